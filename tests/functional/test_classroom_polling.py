"""Polling a live session stays cheap: during a question a phone gets 304 until something it shows
changes, while the host's screen still sees every new answer."""

from __future__ import annotations

from tests import factories
from webapp.classroom import live as classroom

API = "/api/v1/sessions"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_answers_do_not_wake_every_phone_but_the_host_sees_the_count(app, client):
    with app.app_context():
        organizer = factories.organizer()
        live, host_token = classroom.create_session(organizer.id, app.extensions["catalog"].quizzes["elderly-basics"], count=2)
        code = live.code
    tokens = [client.post(f"{API}/{code}/players", json={"nickname": name}).get_json()["player_token"] for name in ("A", "B", "C")]
    assert client.post(f"{API}/{code}/advance", headers=bearer(host_token)).status_code == 200

    def poll(token, etag=None):
        headers = bearer(token) | ({"If-None-Match": etag} if etag else {})
        response = client.get(f"{API}/{code}/state", headers=headers)
        return response.status_code, response.headers["ETag"], response.get_json(silent=True)

    _, phone_etag, phone_state = poll(tokens[2])
    _, host_etag, host_state = poll(host_token)
    assert phone_state["phase"] == "question" and host_state["answers"] == 0
    assert phone_state["leaderboard"] == []  # sent between questions only

    client.post(f"{API}/{code}/answers", headers=bearer(tokens[0]), json={"question": 0, "choice": 0})

    assert poll(tokens[2], phone_etag)[0] == 304  # C's screen has not changed
    status, host_etag, host_state = poll(host_token, host_etag)
    assert status == 200 and host_state["answers"] == 1  # the host's count has
    status, _, own = poll(tokens[0])
    assert own["me"]["answered"] is True
    assert poll(tokens[0], phone_etag)[0] == 200  # A's own view changed: answered

    client.post(f"{API}/{code}/answers", headers=bearer(tokens[1]), json={"question": 0, "choice": 0})
    client.post(f"{API}/{code}/answers", headers=bearer(tokens[2]), json={"question": 0, "choice": 1})
    status, _, revealed = poll(tokens[2], phone_etag)  # everyone answered: the reveal wakes every phone
    assert status == 200 and revealed["phase"] == "reveal"
    assert sum(revealed["reveal"]["counts"]) == 3
    board = revealed["leaderboard"]
    assert sorted(row["nickname"] for row in board) == ["A", "B", "C"]
    # ties share a rank (1, 1, 3): A and B chose the same, so equal points mean equal right answers too
    assert [row["rank"] for row in board] == [1 + sum(o["points"] > row["points"] for o in board) for row in board]
    assert [row["points"] for row in board] == sorted((row["points"] for row in board), reverse=True)
    chose = {"A": [0], "B": [0], "C": [1]}  # only a right answer scores
    assert all((row["points"] > 0) is (chose[row["nickname"]] == revealed["reveal"]["answer"]) for row in board)
    assert revealed["me"]["rank"] == next(row["rank"] for row in board if row["nickname"] == "C")


def test_a_phones_page_polls_with_the_etag_it_was_given_and_answers_do_not_wake_it(app, client):
    """The play page polls /play/<code>/state with the ETag written in the page: 304 from the first poll, through
    other players' answers, until the phase changes; a question past its deadline still turns into its
    reveal on that poll (the quick path steps aside)."""
    import html
    import re

    with app.app_context():
        organizer = factories.organizer(username="teacher", password="pw")
        live, host_token = classroom.create_session(organizer.id, app.extensions["catalog"].quizzes["elderly-basics"], count=2)
        code = live.code
    assert client.post("/auth/login", data={"username": "teacher", "password": "pw"}).status_code == 303
    phones = [app.test_client() for _ in range(3)]
    for phone, name in zip(phones, "ABC"):
        assert phone.post("/join", data={"code": code, "nickname": name}).status_code == 303
    assert client.post(f"{API}/{code}/advance", headers=bearer(host_token)).status_code == 200

    page = phones[2].get(f"/play/{code}").get_data(as_text=True)
    url = html.unescape(re.search(r'data-state-url="([^"]+)"', page).group(1))
    etag = html.unescape(re.search(r'data-etag="([^"]+)"', page).group(1))
    assert url == f"/play/{code}/state"
    host_page = client.get(f"/classroom/{code}/host").get_data(as_text=True)
    host_url = html.unescape(re.search(r'data-state-url="([^"]+)"', host_page).group(1))
    host_etag = html.unescape(re.search(r'data-etag="([^"]+)"', host_page).group(1))
    assert host_url == f"{API}/{code}/state"
    assert client.get(host_url, headers={"If-None-Match": host_etag}).status_code == 304  # the host's page too

    def poll(tag):
        return phones[2].get(url, headers={"If-None-Match": tag})

    assert poll(etag).status_code == 304
    assert phones[0].post(f"/play/{code}/answer", data={"question": "0", "choice": "0"}).status_code == 303
    assert poll(etag).status_code == 304  # another phone's answer: nothing to show here
    assert client.get(host_url, headers={"If-None-Match": host_etag}).status_code == 200  # the host's count moved

    with app.app_context():
        factories.move_deadline(code, -1)
    response = poll(etag)
    assert response.status_code == 200 and response.get_json()["phase"] == "reveal"
    assert response.get_json()["me"]["feedback"] == "none" and "data-feedback=\"none\"" in response.get_json()["html"]


def test_the_answer_form_sent_by_javascript_gets_json_and_no_page(app, client):
    """classroom.js sends a live session's answer form with fetch (Accept: application/json): the same checks
    as the form, a JSON reply instead of 303 + page, once per answer; a late one is refused in words."""
    with app.app_context():
        organizer = factories.organizer()
        live, host_token = classroom.create_session(organizer.id, app.extensions["catalog"].quizzes["elderly-basics"], count=2)
        code = live.code
    ann, bo = app.test_client(), app.test_client()
    for phone, name in ((ann, "Ann"), (bo, "Bo")):
        assert phone.post("/join", data={"code": code, "nickname": name}).status_code == 303
    assert client.post(f"{API}/{code}/advance", headers=bearer(host_token)).status_code == 200
    as_js = {"Accept": "application/json"}

    for _twice in range(2):
        sent = ann.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"}, headers=as_js)
        assert sent.status_code == 200 and sent.get_json() == {"accepted": True}
    assert "Answer sent!" in ann.get(f"/play/{code}?lang=en").get_data(as_text=True)
    bad = ann.post(f"/play/{code}/answer", data={"question": "0"}, headers=as_js)
    assert bad.status_code == 200 and bad.get_json() == {"accepted": True}  # answered already: the first result
    none = bo.post(f"/play/{code}/answer?lang=en", data={"question": "0"}, headers=as_js)
    assert none.status_code == 400 and none.get_json()["reason"] == "no_choice" and none.get_json()["message"]

    with app.app_context():
        factories.move_deadline(code, -1)
    late = bo.post(f"/play/{code}/answer?lang=en", data={"question": "0", "choice": "1"}, headers=as_js)
    assert late.status_code == 409 and late.get_json()["reason"] == "too_late"
    assert "after the time was up" in late.get_json()["message"]
    assert "Your answer came too late" in bo.get(f"/play/{code}?lang=en").get_data(as_text=True)
    plain = bo.post(f"/play/{code}/answer", data={"question": "0", "choice": "1"})  # without JS: the 303 as before
    assert plain.status_code == 303


def test_the_server_sets_the_poll_interval_by_the_size_of_the_session(app, client, monkeypatch):
    """A class polls every 2 s; a hall polls less often (codes.POLL_STEPS), told in the page and the state."""
    import re

    from webapp.classroom import codes

    assert [codes.poll_ms(n) for n in (1, 300, 301, 800, 801, 1500, 1501, 5000)] == [
        2000, 2000, 3000, 3000, 4000, 4000, 5000, 5000]
    with app.app_context():
        organizer = factories.organizer()
        live, _host_token = classroom.create_session(organizer.id, app.extensions["catalog"].quizzes["elderly-basics"], count=2)
        code = live.code
    phone = app.test_client()
    assert phone.post("/join", data={"code": code, "nickname": "Ann"}).status_code == 303
    page = phone.get(f"/play/{code}").get_data(as_text=True)
    assert re.search(r'data-poll-ms="(\d+)"', page).group(1) == "2000"
    assert client.get(f"{API}/{code}/state").get_json()["poll_ms"] == 2000
    assert '<meta http-equiv="refresh" content="3">' in page  # without JavaScript: every 3 s

    monkeypatch.setattr(codes, "POLL_STEPS", ((1, 2000),))  # a session of two is "big" now
    with app.app_context():
        organizer = factories.organizer("big-teacher")
        live, _host_token = classroom.create_session(organizer.id, app.extensions["catalog"].quizzes["elderly-basics"], count=2)
        code = live.code
    phones = [app.test_client(), app.test_client()]
    for phone, name in zip(phones, ("Ann", "Bo")):
        assert phone.post("/join", data={"code": code, "nickname": name}).status_code == 303
    page = phones[0].get(f"/play/{code}").get_data(as_text=True)
    assert re.search(r'data-poll-ms="(\d+)"', page).group(1) == str(codes.POLL_MAX_MS)
    assert f'<meta http-equiv="refresh" content="{codes.POLL_MAX_MS // 1000}">' in page  # and the page less often


def test_a_lobbys_304_tells_the_first_phones_to_poll_less_often_as_the_hall_fills(app, monkeypatch):
    """The first phones of a hall got a lobby page drawn at 2 s, and a 304 has no body to bring them the new
    interval: the gate's 304 in the lobby carries it (X-Poll-Ms), which classroom.js reads."""
    import html
    import re

    from webapp.classroom import codes

    monkeypatch.setattr(codes, "POLL_STEPS", ((1, 2000), (2, 3000)))  # a third player makes it a hall
    with app.app_context():
        live, _host = classroom.create_session(factories.organizer().id, app.extensions["catalog"].quizzes["elderly-basics"],
                                               count=2)
        code = live.code
    ann = app.test_client()
    assert ann.post("/join", data={"code": code, "nickname": "Ann"}).status_code == 303
    page = ann.get(f"/play/{code}").get_data(as_text=True)
    assert re.search(r'data-poll-ms="(\d+)"', page).group(1) == "2000"
    etag = html.unescape(re.search(r'data-etag="([^"]+)"', page).group(1))
    asked = {"If-None-Match": etag, "Accept": "application/json"}
    first = ann.get(f"/play/{code}/state", headers=asked)
    assert first.status_code == 304 and first.headers["X-Poll-Ms"] == "2000"
    for name in ("Bo", "Cy"):
        phone = app.test_client()
        assert phone.post("/join", data={"code": code, "nickname": name}).status_code == 303
        phone.get(f"/play/{code}")  # each loads its lobby: Cy's is drawn at the hall's interval
    later = ann.get(f"/play/{code}/state", headers=asked)
    assert later.status_code == 304 and later.headers["X-Poll-Ms"] == str(codes.POLL_MAX_MS)
