"""classroom/phone_pages.py: a hall's join form and lobby page are drawn once by the view and filled in for
each phone, by the view and by the gate before Flask; what the phone gets is the page the view would draw."""

from __future__ import annotations

import gzip
import html
import re
import secrets

from sqlalchemy import select

from tests import factories
from webapp.extensions import db
from webapp.models import LiveSession, Player

API = "/api/v1/sessions"
JSON = {"Accept": "application/json"}
NAMES = ("Ann", "<b>Bo</b>", "Cy & Di")


def own_parts(page: str) -> tuple[str, str]:
    """The nickname and the CSRF token a play page carries, as the browser reads them."""
    nick = re.search(r'<span class="nick">(.*?)</span>', page).group(1)
    token = re.search(r'data-csrf="([^"]+)"', page).group(1)
    return html.unescape(nick), html.unescape(token)


def without_own_parts(page: str) -> str:
    page = re.sub(r'<span class="nick">.*?</span>', "<span class=nick></span>", page)
    return re.sub(r'data-csrf="[^"]+"', "data-csrf", page)


def test_a_lobby_is_drawn_once_and_each_phone_gets_its_own_page_before_flask(make_app, database_uri, reached):
    app = make_app(SQLALCHEMY_DATABASE_URI=database_uri, WTF_CSRF_ENABLED=True)
    code, host, phones = factories.hall(app, *NAMES, time_limit=60, csrf=True)
    counted = reached(app)

    pages = [phone.get(f"/play/{code}") for phone in phones]
    assert len(counted) == 1  # the first phone's page was drawn by the view; the others filled before Flask
    texts = [page.get_data(as_text=True) for page in pages]
    for name, page, text in zip(NAMES, pages, texts):
        assert page.status_code == 200 and page.mimetype == "text/html"
        assert own_parts(text)[0] == name and f">{name}<" not in text.replace("Ann", "")  # escaped, never raw
        assert page.headers["Cache-Control"] == "no-cache, private"
        assert page.headers["Last-Modified"] == pages[0].headers["Last-Modified"]
        assert page.headers["Content-Security-Policy"] == pages[0].headers["Content-Security-Policy"]
        assert {"Cookie", "Accept-Language"} <= {v.strip() for v in page.headers["Vary"].split(",")}
        assert "data-players" not in text  # the hall's count is the host's: a phone's page is the same for all
    assert len({without_own_parts(text) for text in texts}) == 1
    assert len({own_parts(text)[1] for text in texts}) == 3  # each its own session's token

    zipped = phones[2].get(f"/play/{code}", headers={"Accept-Encoding": "gzip"})
    assert len(counted) == 1 and zipped.headers["Content-Encoding"] == "gzip"
    assert int(zipped.headers["Content-Length"]) == len(zipped.data)
    assert without_own_parts(gzip.decompress(zipped.data).decode()) == without_own_parts(texts[0])

    # the tokens are good ones: each phone answers with its own, and not with another's
    host_client = app.test_client()
    assert host_client.post(f"{API}/{code}/advance", headers=host).status_code == 200
    tokens = [own_parts(text)[1] for text in texts]
    stolen = phones[1].post(f"/play/{code}/answer", data={"question": "0", "choice": "0", "csrf_token": tokens[0]}, headers=JSON)
    assert stolen.status_code == 400
    for phone, token in zip(phones, tokens):
        sent = phone.post(f"/play/{code}/answer", data={"question": "0", "choice": "0", "csrf_token": token}, headers=JSON)
        assert sent.status_code == 200 and sent.get_json() == {"accepted": True}


def test_the_view_draws_the_lobby_when_the_gate_cannot(db_app, reached):
    app = db_app
    code, host, (ann, bo, cy) = factories.hall(app, "Ann", "Bo", "Cy", time_limit=60)  # no join form: no CSRF secret yet
    counted = reached(app)
    first = ann.get(f"/play/{code}")
    assert len(counted) == 1 and "session=" in first.headers.get("Set-Cookie", "")  # the secret is set by the view
    assert bo.get(f"/play/{code}").status_code == 200 and len(counted) == 2
    again = bo.get(f"/play/{code}")
    assert again.status_code == 200 and len(counted) == 2 and own_parts(again.get_data(as_text=True))[0] == "Bo"

    # a hall that grows past a poll step: the page polls slower, so it is drawn again
    assert 'data-poll-ms="2000"' in again.get_data(as_text=True)
    with app.app_context():
        live = db.session.scalar(select(LiveSession).where(LiveSession.code == code))
        db.session.add_all(Player(live_session_id=live.id, nickname=f"p{i}", nickname_key=f"p{i}",
                                  token_hash=secrets.token_hex(32)) for i in range(300))
        db.session.commit()
    grown = bo.get(f"/play/{code}")
    assert len(counted) == 3 and 'data-poll-ms="3000"' in grown.get_data(as_text=True)
    assert 'data-poll-ms="3000"' in ann.get(f"/play/{code}").get_data(as_text=True) and len(counted) == 3

    with app.app_context():  # a removed player is told so by the view, never given the lobby
        player = db.session.scalar(select(Player).where(Player.nickname == "Bo"))
        player.removed_at = player.joined_at
        db.session.commit()
    assert bo.get(f"/play/{code}").status_code == 403 and len(counted) == 4

    # once the quiz has started the page is the view's again
    assert app.test_client().post(f"{API}/{code}/advance", headers=host).status_code == 200
    question = ann.get(f"/play/{code}")
    assert question.status_code == 200 and len(counted) == 6 and 'class="answer-form"' in question.get_data(as_text=True)


def form_token(page: str) -> str:
    return html.unescape(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1))


def test_the_join_form_is_drawn_once_and_each_phone_gets_its_own_token_and_cookie(make_app, database_uri, reached):
    app = make_app(SQLALCHEMY_DATABASE_URI=database_uri, WTF_CSRF_ENABLED=True)
    code, _host, _phones = factories.hall(app)
    counted = reached(app)
    phones = [app.test_client() for _ in NAMES]
    forms = [phone.get(f"/join?code={code}") for phone in phones]
    assert len(counted) == 1  # the first drawn by the view, the others filled before Flask
    texts = [form.get_data(as_text=True) for form in forms]
    for form, text in zip(forms, texts):
        assert form.status_code == 200 and form.mimetype == "text/html" and f'value="{code}"' in text
        assert form.headers["Cache-Control"] == "no-cache, private"
        assert form.headers["Content-Security-Policy"] == forms[0].headers["Content-Security-Policy"]
        assert form.headers.get("Set-Cookie", "").startswith("session=")  # the secret its token is checked against
    tokens = [form_token(text) for text in texts]
    assert len(set(tokens)) == 3
    assert len({text.replace(token, "") for text, token in zip(texts, tokens)}) == 1

    again = phones[2].get(f"/join?code={code}", headers={"Accept-Encoding": "gzip"})
    assert len(counted) == 1 and again.headers["Content-Encoding"] == "gzip" and "Set-Cookie" not in again.headers
    assert form_token(gzip.decompress(again.data).decode())  # a new token of the same secret
    for other in (f"code={code}&lang=en", "code=12345", f"code={code}x"):
        assert app.test_client().get(f"/join?{other}").status_code == 200
    assert len(counted) == 4  # not the QR code's address: the view

    stolen = phones[1].post("/join", data={"code": code, "nickname": "Bo", "csrf_token": tokens[0]})
    assert stolen.status_code == 400
    for phone, name, token in zip(phones, NAMES, tokens):
        joined = phone.post("/join", data={"code": code, "nickname": name, "csrf_token": token})
        assert joined.status_code == 303 and joined.headers["Location"].endswith(f"/play/{code}")
        assert own_parts(phone.get(f"/play/{code}").get_data(as_text=True))[0] == name


def whole_page(app, code: str, nickname: str) -> str:
    """This player's play page as the view draws it whole (no drawing, no holes): what a filled one must equal."""
    from webapp.classroom import phone, views

    with app.test_request_context(f"/play/{code}"):
        app.preprocess_request()
        live = db.session.scalar(select(LiveSession).where(LiveSession.code == code))
        player = db.session.scalar(select(Player).where(Player.live_session_id == live.id, Player.nickname == nickname))
        return views.play_page(live, phone.me(live, player), nickname=player.nickname, csrf="token")


def comparable(page: str) -> str:
    """A play page less what differs from load to load: the CSRF token, the seconds left."""
    page = re.sub(r'data-csrf="[^"]*"', 'data-csrf=""', page)
    page = re.sub(r'(name="csrf_token" type="hidden" value=")[^"]*"', r'\1"', page)
    return re.sub(r'data-remaining="[^"]*">\d+<', 'data-remaining="">0<', page)


def test_each_step_page_is_drawn_once_per_kind_and_filled_for_each_phone_before_flask(make_app, database_uri, reached):
    app = make_app(SQLALCHEMY_DATABASE_URI=database_uri, WTF_CSRF_ENABLED=True)
    names = (*NAMES, "Ed")
    code, host, phones = factories.hall(app, *names, time_limit=60, csrf=True)
    host_client, counted = app.test_client(), reached(app)

    def load(phone, name: str) -> str:
        page = phone.get(f"/play/{code}")
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-cache, private"
        assert comparable(text) == comparable(whole_page(app, code, name)), name
        nick, token = own_parts(text)
        assert nick == name and "\ue000" not in text
        if 'class="answer-form"' in text:
            assert form_token(text) == token
        return text

    def loads(who) -> list[str]:
        return [load(phones[i], names[i]) for i in who]

    def answer(i: int, choice: str, token: str):
        sent = phones[i].post(f"/play/{code}/answer", data={"question": "0", "choice": choice, "csrf_token": token})
        assert sent.status_code == 303

    assert host_client.post(f"{API}/{code}/advance", headers=host).status_code == 200
    counted.clear()
    questions = loads(range(4))
    assert len(counted) == 1  # the first drawn by the view, the others filled before Flask
    assert 'data-remaining="' in questions[1]

    answer(0, "0", own_parts(questions[0])[1])  # the no-JS form: 303, then the answered page
    answer(1, "1", own_parts(questions[1])[1])
    counted.clear()
    loads((0, 1))
    assert len(counted) == 1  # a new kind of page (answered): drawn once
    answer(2, "9", own_parts(questions[2])[1])  # refused: the view says why, with its flashed message
    refused = phones[2].get(f"/play/{code}").get_data(as_text=True)
    assert re.search(r"class=\"notice error\" role=\"alert\" data-reason=\"\w+\"", refused) and len(counted) == 3, refused
    answer(2, "0", own_parts(questions[2])[1])

    assert host_client.post(f"{API}/{code}/advance", headers=host).status_code == 200  # the reveal: Ed sent none
    counted.clear()
    loads(range(3))
    assert len(counted) in (1, 2)  # one drawing for each feedback (right, wrong: who chose what decides)
    before = len(counted)
    loads((3, 3))  # no answer: the view looks each time (one that came too late may have come since)
    assert len(counted) == before + 2

    assert host_client.post(f"{API}/{code}/advance", headers=host).status_code == 200  # the second question
    for i in range(3):  # answered too: the end's page shows no question's answer, drawn or filled
        token = own_parts(phones[i].get(f"/play/{code}").get_data(as_text=True))[1]
        sent = phones[i].post(f"/play/{code}/answer", data={"question": "1", "choice": "0", "csrf_token": token})
        assert sent.status_code == 303
    for _ in range(2):  # its reveal, the end
        assert host_client.post(f"{API}/{code}/advance", headers=host).status_code == 200
    counted.clear()
    finals = loads(range(3))
    assert len(counted) == 1 and all("final-rank" in text for text in finals)
