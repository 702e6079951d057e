"""Live class sessions through the JSON API and the HTML pages, with every refusal."""

from __future__ import annotations

import csv
import io
import json
import re
import threading

import pytest
from sqlalchemy import event, func, select

from tests import factories
from webapp.catalog import get_catalog
from webapp.classroom import codes
from webapp.classroom import live as live_rules
from webapp.classroom import queries, results, sessions
from webapp.extensions import db
from webapp.models import Answer, LiveSession, Player

API = "/api/v1/sessions"


@pytest.fixture
def app(db_app):
    """Every test here that touches the database runs twice: `[sqlite]` and `[postgresql]` (the server
    `make test` starts; by hand without TEST_PG_URL the PostgreSQL runs are skipped, saying why)."""
    return db_app


@pytest.fixture
def organizer(app, client):
    """An organizer, logged in on `client` (the host's browser)."""
    with app.app_context():
        organizer_id = factories.organizer(username="teacher", password="pw").id
    assert client.post("/auth/login", data={"username": "teacher", "password": "pw"}).status_code == 303
    return organizer_id


@pytest.fixture
def phones(app):
    """The players' side: no cookies needed for the JSON API."""
    return app.test_client()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def create(client, **options):
    response = client.post(API, json={"quiz": "elderly-basics", "questions": 3, **options})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) == {"code", "host_token"} and re.fullmatch(r"\d{6}", body["code"])
    return body["code"], body["host_token"]


def join(phones, code, nickname):
    response = phones.post(f"{API}/{code}/players", json={"nickname": nickname})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["player_token"]


def advance(phones, code, host_token, **body):
    return phones.post(f"{API}/{code}/advance", headers=bearer(host_token), json=body or None)


def state(phones, code, **kwargs):
    response = phones.get(f"{API}/{code}/state", **kwargs)
    assert response.status_code == 200
    return response.get_json()


def answer(phones, code, token, question, choice):
    return phones.post(f"{API}/{code}/answers", headers=bearer(token), json={"question": question, "choice": choice})


def questions(app, code):
    with app.app_context():
        return factories.questions(code)


def right(question):
    chosen = sorted(question.answer)
    return chosen if question.kind == "multiple" else chosen[0]


def wrong(question):
    return next(i for i in range(len(question.choices)) if i not in question.answer)


def error_code(response):
    return response.get_json()["error"]["code"]


# -- the whole game ------------------------------------------------------------------------------


def test_a_whole_game_through_the_json_api(app, client, organizer, phones):
    code, host = create(client, scoring="accuracy", questions=3)
    qs = questions(app, code)
    assert len(qs) == 3 and len({q.id for q in qs}) == 3  # drawn without repeats
    tokens = {name: join(phones, code, name) for name in ("Ann", "Bo", "Chen")}
    lobby = state(phones, code)
    assert lobby["phase"] == "lobby" and lobby["question"] is None and lobby["players"] == 3
    assert advance(phones, code, host).status_code == 200
    for index, question in enumerate(qs):
        current = state(phones, code)
        assert current["phase"] == "question" and current["deadline"]
        assert set(current["question"]) == {"index", "kind", "prompt", "choices"}
        assert current["question"]["index"] == index and "reveal" not in current
        assert len(current["question"]["choices"]) == len(question.choices)
        results = {
            "Ann": answer(phones, code, tokens["Ann"], index, right(question)).get_json(),
            "Bo": answer(phones, code, tokens["Bo"], index, right(question) if index == 0 else wrong(question)).get_json(),
        }
        assert results["Ann"] == {"accepted": True, "correct": True, "points": 1000}
        assert results["Bo"]["correct"] is (index == 0)
        assert state(phones, code)["answers"] == 2
        assert advance(phones, code, host).get_json()["phase"] == "reveal"  # Chen never answers
        revealed = state(phones, code)
        assert revealed["reveal"]["answer"] == sorted(question.answer)
        counts = [0] * len(question.choices)  # Ann's choice, then Bo's; Chen sent none
        for chosen in (right(question), right(question) if index == 0 else wrong(question)):
            for choice in (chosen if isinstance(chosen, list) else [chosen]):
                counts[choice] += 1
        assert revealed["reveal"]["counts"] == counts
        assert advance(phones, code, host).status_code == 200
    final = state(phones, code)
    assert final["phase"] == "finished" and final["question"] is None
    assert [(r["nickname"], r["points"]) for r in final["leaderboard"]] == [("Ann", 3000), ("Bo", 1000), ("Chen", 0)]
    assert error_code(advance(phones, code, host)) == "finished"

    rows = list(csv.reader(io.StringIO(client.get(f"{API}/{code}/results.csv?lang=en").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Rank", "Nickname", "Points", "Right answers", "Questions", "Q1", "Q2", "Q3"]
    assert rows[1] == ["1", "Ann", "3000", "3", "3", "1000", "1000", "1000"]
    assert rows[2] == ["2", "Bo", "1000", "1", "3", "1000", "0", "0"]
    assert rows[3] == ["3", "Chen", "0", "0", "3", "", "", ""]
    assert phones.get(f"{API}/{code}/results.csv", headers=bearer(host)).status_code == 200
    assert phones.get(f"{API}/{code}/results.csv").status_code == 401
    assert phones.get(f"{API}/{code}/results.csv", headers=bearer(tokens["Ann"])).status_code == 403


def test_everyone_answered_reveals_at_once(app, client, organizer, phones):
    code, host = create(client)
    token = join(phones, code, "Solo")
    advance(phones, code, host)
    question = questions(app, code)[0]
    assert answer(phones, code, token, 0, wrong(question)).get_json() == {"accepted": True, "correct": False, "points": 0}
    assert state(phones, code)["phase"] == "reveal"


def test_the_everyone_answered_probe_is_built_once_not_once_per_answer():
    # asked after every answer: a statement built anew each time would also fill a cache keyed by its fresh bind parameters
    assert queries._everyone_answered_query() is queries._everyone_answered_query()


def written_statements(app):
    """The statements that read or write a live session or a player, as the database receives them."""
    seen = []
    with app.app_context():
        engine = db.engine

    def note(connection, cursor, statement, parameters, context, executemany):
        if "live_session" in statement or "player" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    return seen, lambda: event.remove(engine, "before_cursor_execute", note)


def test_a_join_adds_the_player_and_in_the_lobby_bumps_the_version_in_one_statement(app, client, organizer, phones):
    """sessions.quick_join: when a hall joins at once, the form's and the API's join load no session object:
    one statement on PostgreSQL (two on SQLite) where the ORM took three. The board moves with it; a join
    mid-game wakes nobody; what it cannot take (a nickname in use, a finished session) is refused as before."""
    code, host = create(client)
    board = app.extensions["live_board"]

    def version():
        with app.app_context():
            return db.session.scalar(select(LiveSession.version).where(LiveSession.code == code))

    before, mark = version(), board.mark()
    seen, stop = written_statements(app)
    phone = app.test_client()
    response = phone.post("/join", data={"code": code, "nickname": " Ann "})
    stop()
    assert response.status_code == 303 and response.headers["Location"] == f"/play/{code}"
    assert response.headers["Set-Cookie"].startswith("fz_player=")
    assert len(seen) == (1 if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") else 2), seen
    assert version() == before + 1 and board.mark() > mark  # the host's list of players and the gate both see it
    with app.app_context():
        ann = db.session.scalar(select(Player).where(Player.nickname == "Ann"))
        assert ann.nickname_key == "ann" and ann.paper is False and ann.removed_at is None and ann.joined_at is not None
    assert "You're in!" in phone.get(f"/play/{code}?lang=en").get_data(as_text=True)  # its cookie is its player's

    response = phones.post(f"{API}/{code}/players", json={"nickname": "ANN"})  # taken (case aside): refused as before
    assert response.status_code == 409 and error_code(response) == "nickname_taken"
    refused = app.test_client().post("/join?lang=en", data={"code": code, "nickname": "ann"})
    assert refused.status_code == 409 and "already uses that nickname" in refused.get_data(as_text=True)

    advance(phones, code, host)
    started = version()
    late = join(phones, code, "Late")  # through the API, mid-game: no bump
    assert late and version() == started
    assert answer(phones, code, late, 0, right(questions(app, code)[0])).get_json()["accepted"] is True


def test_a_phone_joining_while_the_host_screen_is_drawn_does_not_reload_it(app, client, organizer, monkeypatch):
    """The host's page reads the session, then its players: a phone that joins in between is in the list. The
    page's count (what its poll compares) is the list it shows, so the next poll finds nothing to reload for."""
    response = client.post("/classroom/new", data={"quiz": "elderly-basics", "scoring": "speed", "time_limit": "30", "questions": "2"})
    code = re.fullmatch(r"/classroom/(\d{6})/host", response.headers["Location"]).group(1)
    ann = app.test_client()
    assert ann.post("/join", data={"code": code, "nickname": "Ann"}).status_code == 303
    assert "You're in!" in ann.get(f"/play/{code}?lang=en").get_data(as_text=True)  # this version's state, kept
    listed = queries.players_of

    def bo_joins_first(live):
        with db.engine.begin() as connection:  # another request's join, committed in between
            assert sessions.join_on(connection, code, "Bo") is not None
        return listed(live)

    monkeypatch.setattr(queries, "players_of", bo_joins_first)
    page = client.get(f"/classroom/{code}/host?lang=en").get_data(as_text=True)
    monkeypatch.setattr(queries, "players_of", listed)
    assert '<span class="player-count">2</span>' in page and "Bo" in page
    assert 'data-players="2"' in page  # not the 1 of the version the page read
    shown_etag = re.search(r'data-etag="&#34;([^&]*)&#34;"', page).group(1)
    state = client.get(f"/api/v1/sessions/{code}/state", headers={"If-None-Match": f'"{shown_etag}"'})
    assert state.status_code == 200 and state.get_json()["players"] == 2  # a newer version, the same count: no reload


def test_a_whole_game_through_the_pages(app, client, organizer):
    page = client.get("/classroom/new?lang=en").get_data(as_text=True)
    assert "elderly-basics" in page and "No time limit" in page
    response = client.post("/classroom/new", data={"quiz": "elderly-basics", "scoring": "speed", "time_limit": "30", "questions": "2"})
    assert response.status_code == 303
    code = re.fullmatch(r"/classroom/(\d{6})/host", response.headers["Location"]).group(1)
    host = client.get(f"/classroom/{code}/host?lang=en").get_data(as_text=True)
    assert code[:3] in host and code[3:] in host and "/join" in host and f"/classroom/{code}/qr.svg" in host
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in host
    assert "style=" not in host and "<script>" not in host
    qr = client.get(f"/classroom/{code}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data

    phones = {}
    for name in ("Ann", "<b>Bo</b>"):
        phone = app.test_client()
        assert f'value="{code}"' in phone.get(f"/join?code={code}").get_data(as_text=True)  # prefilled from the QR
        joined = phone.post("/join", data={"code": code, "nickname": name})
        assert joined.status_code == 303 and joined.headers["Location"] == f"/play/{code}"
        cookie = joined.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and f"Path=/play/{code}" in cookie
        phones[name] = phone
    assert "You're in!" in phones["Ann"].get(f"/play/{code}?lang=en").get_data(as_text=True)
    host = client.get(f"/classroom/{code}/host?lang=en").get_data(as_text=True)
    assert "&lt;b&gt;Bo&lt;/b&gt;" in host and "<b>Bo</b>" not in host

    qs = questions(app, code)
    for index, question in enumerate(qs):
        host = client.get(f"/classroom/{code}/host").get_data(as_text=True)
        expected = re.search(r'name="expected" type="hidden" value="([^"]*)"', host).group(1)
        assert client.post(f"/classroom/{code}/advance", data={"expected": expected}).status_code == 303
        play = phones["Ann"].get(f"/play/{code}?lang=en").get_data(as_text=True)
        assert "answer-button" in play and "seconds left" in play
        assert "noscript" not in play  # no refresh while choosing
        choices = right(question)
        phones["Ann"].post(f"/play/{code}/answer", data={"question": str(index), "choice": choices if isinstance(choices, list) else [choices]})
        waiting = phones["Ann"].get(f"/play/{code}?lang=en").get_data(as_text=True)
        assert "Answer sent!" in waiting and "noscript" in waiting
        assert "1</span> / <span data-player-count>2" in client.get(f"/classroom/{code}/host").get_data(as_text=True)
        host = client.get(f"/classroom/{code}/host").get_data(as_text=True)
        expected = re.search(r'name="expected" type="hidden" value="([^"]*)"', host).group(1)
        client.post(f"/classroom/{code}/advance", data={"expected": expected})  # reveal
        client.post(f"/classroom/{code}/advance", data={"expected": expected})  # a double click: nothing more
        reveal = phones["Ann"].get(f"/play/{code}?lang=en").get_data(as_text=True)
        assert "Right!" in reveal and "You are number 1" in reveal
        assert "Time is up" in phones["<b>Bo</b>"].get(f"/play/{code}?lang=en").get_data(as_text=True)
        host = client.get(f"/classroom/{code}/host?lang=en").get_data(as_text=True)
        assert "Leaderboard" in host and question.explanation.en in host
    host = client.get(f"/classroom/{code}/host").get_data(as_text=True)
    expected = re.search(r'name="expected" type="hidden" value="([^"]*)"', host).group(1)
    client.post(f"/classroom/{code}/advance", data={"expected": expected})
    final = client.get(f"/classroom/{code}/host?lang=en").get_data(as_text=True)
    assert "Final results" in final and "podium" in final and f"/classroom/{code}/results" in final
    over = phones["Ann"].get(f"/play/{code}?lang=en").get_data(as_text=True)
    assert "You finished number 1" in over and "2 of 2 right" in over

    results = client.get(f"/classroom/{code}/results?lang=en").get_data(as_text=True)
    assert "Ann" in results and "&lt;b&gt;Bo&lt;/b&gt;" in results
    assert results.count("/scams/") == 2 and "50% right" in results  # a link to each question's scam type
    certificates = client.get(f"/classroom/{code}/certificates?lang=en").get_data(as_text=True)
    assert certificates.count('class="certificate"') == 1  # Ann 2 of 2; Bo 0 of 2 is under the 60 % pass mark
    everyone = client.get(f"/classroom/{code}/certificates?lang=en&pass=0").get_data(as_text=True)
    assert everyone.count('class="certificate"') == 2
    sessions = client.get("/classroom/?lang=en").get_data(as_text=True)
    assert code in sessions and "Finished" in sessions


def test_most_missed_questions_come_first(app, client, organizer, phones):
    code, host = create(client, questions=3)
    a, b = join(phones, code, "A"), join(phones, code, "B")
    qs = questions(app, code)
    advance(phones, code, host)
    for index, question in enumerate(qs):
        answer(phones, code, a, index, right(question) if index != 1 else wrong(question))
        answer(phones, code, b, index, right(question) if index == 0 else wrong(question))
        advance(phones, code, host)
    with app.app_context():
        ordered = results.most_missed_first(results.question_results(sessions.get_session(code)))
        assert [(r.index, r.share_right) for r in ordered] == [(1, 0), (2, 50), (0, 100)]


def test_ties_share_a_rank(app, client, organizer, phones):
    """Equal points and equal right answers: the same rank, standard competition style (1, 1, 3, 4, 4),
    in the state's leaderboard, the CSV and the podium; tied 0-point players too, and they stay off it."""
    code, host = create(client, scoring="accuracy", questions=2)
    names = ("Ann", "Bo", "Chen", "Dan", "Eve")
    tokens = {name: join(phones, code, name) for name in names}
    qs = questions(app, code)
    advance(phones, code, host)
    rights = {"Ann": 2, "Bo": 2, "Chen": 1, "Dan": 0, "Eve": 0}
    for index, question in enumerate(qs):
        for name in names:
            if name != "Eve":  # Eve never answers; Dan always answers wrong: both end on 0
                answer(phones, code, tokens[name], index, right(question) if index < rights[name] else wrong(question))
        assert advance(phones, code, host).get_json()["phase"] == "reveal"  # Eve has not answered
        advance(phones, code, host)
    final = state(phones, code)
    assert [(r["rank"], r["points"]) for r in final["leaderboard"]] == [(1, 2000), (1, 2000), (3, 1000), (4, 0), (4, 0)]
    assert {r["nickname"] for r in final["leaderboard"][:2]} == {"Ann", "Bo"}
    assert {r["nickname"] for r in final["leaderboard"][3:]} == {"Dan", "Eve"}

    rows = list(csv.reader(io.StringIO(client.get(f"{API}/{code}/results.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert [(row[0], row[2], row[3]) for row in rows[1:]] == [
        ("1", "2000", "2"), ("1", "2000", "2"), ("3", "1000", "1"), ("4", "0", "0"), ("4", "0", "0"),
    ]
    with app.app_context():
        live = sessions.get_session(code)
        assert [(s.rank, s.nickname) for s in results.podium(live)] == [(s.rank, s.nickname) for s in results.leaderboard(live)[:3]]
        assert [s.rank for s in results.podium(live)] == [1, 1, 3]
    host_page = client.get(f"/classroom/{code}/host?lang=en").get_data(as_text=True)
    assert host_page.count('class="podium-place place-1"') == 2 and host_page.count("place-3") == 1
    assert "place-2" not in host_page and "place-4" not in host_page


def test_equal_points_with_different_right_answers_are_not_a_tie():
    rows = [(1, "A", 1000, 2), (2, "B", 1000, 1), (3, "C", 1000, 1), (4, "D", 0, 0)]
    assert [(s.nickname, s.rank) for s in results.ranked(rows)] == [("A", 1), ("B", 2), ("C", 2), ("D", 4)]


# -- refusals ------------------------------------------------------------------------------------


def test_bad_codes(client, organizer, phones):
    code, _host = create(client)
    other = "000000" if code != "000000" else "000001"
    for bad in (other, "12ab56", "1234567"):
        assert phones.get(f"{API}/{bad}/state").status_code == 404
        response = phones.post(f"{API}/{bad}/players", json={"nickname": "x"})
        assert response.status_code == 404 and error_code(response) == "bad_code"
    response = phones.post("/join?lang=en", data={"code": other, "nickname": "x"})
    assert response.status_code == 404 and "No open session has this code" in response.get_data(as_text=True)
    assert phones.get(f"/play/{other}").status_code == 404


def test_a_finished_session_refuses_joins_and_answers_but_still_answers_state(app, client, organizer, phones):
    code, host = create(client, questions=1)
    token = join(phones, code, "Ann")
    other = join(phones, code, "Bo")
    advance(phones, code, host)
    answer(phones, code, token, 0, right(questions(app, code)[0]))
    advance(phones, code, host)  # reveal
    advance(phones, code, host)  # finished
    response = phones.post(f"{API}/{code}/players", json={"nickname": "Late"})
    assert response.status_code == 409 and error_code(response) == "finished"
    response = answer(phones, code, other, 0, 0)
    assert response.status_code == 409 and error_code(response) == "finished"
    final = state(phones, code)
    assert final["phase"] == "finished" and final["leaderboard"][0]["nickname"] == "Ann"
    with app.app_context():
        assert db.session.scalar(select(LiveSession.open_code).where(LiveSession.code == code)) is None


def test_a_latecomer_joins_mid_game_and_plays_from_the_current_question(app, client, organizer, phones):
    """The host screen keeps the code in its corner during the game: someone who comes in late joins and
    answers the open question; the others' polls are not woken by it (no version bump mid-game)."""
    code, host = create(client)
    ann = join(phones, code, "Ann")
    advance(phones, code, host)
    before = phones.get(f"{API}/{code}/state?view=phone").headers["ETag"]
    late = join(phones, code, "Late")
    assert phones.get(f"{API}/{code}/state?view=phone", headers={"If-None-Match": before}).status_code == 304
    host_page = client.get(f"/classroom/{code}/host?lang=en").get_data(as_text=True)
    assert "Late? Join at" in host_page and f"{code[:3]}&#8239;{code[3:]}" in host_page
    qs = questions(app, code)
    assert answer(phones, code, late, 0, right(qs[0])).get_json()["accepted"] is True
    assert answer(phones, code, ann, 0, wrong(qs[0])).get_json()["accepted"] is True
    revealed = state(phones, code)  # everyone, the latecomer too, has answered: the reveal came at once
    assert revealed["phase"] == "reveal" and revealed["leaderboard"][0]["nickname"] == "Late"
    while state(phones, code)["phase"] != "finished":
        advance(phones, code, host)
    response = phones.post(f"{API}/{code}/players", json={"nickname": "Too late"})
    assert response.status_code == 409 and error_code(response) == "finished"


def test_the_host_can_end_the_quiz_early_after_being_asked(app, client, organizer, phones):
    code, host = create(client)
    ann = join(phones, code, "Ann")
    join(phones, code, "Bo")
    advance(phones, code, host)
    assert answer(phones, code, ann, 0, right(questions(app, code)[0])).get_json()["accepted"] is True
    screen = client.get(f"/classroom/{code}/host?lang=en").get_data(as_text=True)
    assert f'href="/classroom/{code}/end"' in screen and "End now" in screen
    asked = client.get(f"/classroom/{code}/end?lang=en").get_data(as_text=True)
    assert "End the quiz now?" in asked and "The 2 players keep the points" in asked
    assert state(phones, code)["phase"] == "question"  # asking changes nothing
    assert phones.post(f"/classroom/{code}/end").status_code in (302, 303, 401)  # not the host: no
    assert state(phones, code)["phase"] == "question"
    assert client.post(f"/classroom/{code}/end").status_code == 303
    final = state(phones, code)
    assert final["phase"] == "finished" and final["leaderboard"][0]["nickname"] == "Ann"
    assert final["leaderboard"][0]["points"] > 0
    assert client.get(f"/classroom/{code}/end").status_code == 303  # over already: back to the results


def test_nicknames(app, client, organizer, phones):
    code, _host = create(client)
    join(phones, code, "  Xiao  Ming  ")
    for taken in ("xiao ming", "XIAO MING", "Xiao Ming"):
        response = phones.post(f"{API}/{code}/players", json={"nickname": taken})
        assert response.status_code == 409 and error_code(response) == "nickname_taken"
    for bad in ("", "   ", "x" * 21, None, 42, "a\x00b"):
        response = phones.post(f"{API}/{code}/players", json={"nickname": bad})
        assert response.status_code == 400 and error_code(response) == "bad_nickname", bad
    join(phones, code, "x" * 20)
    join(phones, code, "  " + "y" * 20 + "  ")  # trimmed first
    with app.app_context():
        names = db.session.scalars(select(Player.nickname).order_by(Player.id)).all()
    assert names == ["Xiao Ming", "x" * 20, "y" * 20]
    assert phones.post(f"{API}/{code}/players", data="not json").status_code == 400
    response = phones.post("/join?lang=en", data={"code": code, "nickname": "X" * 21})
    assert response.status_code == 400 and "1 to 20 characters" in response.get_data(as_text=True)


def test_a_removed_player_is_out(app, client, organizer, phones):
    code, host = create(client)
    phone = app.test_client()
    phone.post("/join", data={"code": code, "nickname": "Troll"})
    token = join(phones, code, "Ann")
    join(phones, code, "Bo")  # so that Ann's answer doesn't close the question
    with app.app_context():
        troll = db.session.scalar(select(Player).where(Player.nickname == "Troll")).id
    assert client.post(f"/classroom/{code}/players/{troll}/remove").status_code == 303
    assert state(phones, code)["players"] == 2
    assert phone.get(f"/play/{code}").status_code == 403
    host_page = client.get(f"/classroom/{code}/host").get_data(as_text=True)
    assert "Troll" not in host_page and "Ann" in host_page
    advance(phones, code, host)
    # Latecomers may join mid-game, so someone removed can come back as a new player: the host removes again.
    again = phones.post(f"{API}/{code}/players", json={"nickname": "troll"})
    assert again.status_code == 201
    with app.app_context():
        back = db.session.scalar(select(Player).where(Player.nickname == "troll", Player.removed_at.is_(None))).id
    assert answer(phones, code, token, 0, right(questions(app, code)[0])).get_json()["accepted"] is True
    advance(phones, code, host)  # the reveal: the leaderboard has a remove button for each player
    reveal = client.get(f"/classroom/{code}/host?lang=en").get_data(as_text=True)
    assert f'action="/classroom/{code}/players/{back}/remove"' in reveal and 'aria-label="Remove troll"' in reveal
    assert client.post(f"/classroom/{code}/players/{back}/remove").status_code == 303
    assert "troll" not in client.get(f"/classroom/{code}/host").get_data(as_text=True)
    assert client.post(f"/classroom/{code}/players/{troll}/remove").status_code == 303  # twice: a notice, no crash


def test_a_removed_players_token_is_refused(app, client, organizer, phones):
    code, host = create(client)
    token = join(phones, code, "Troll")
    join(phones, code, "Ann")
    with app.app_context():
        live = sessions.get_session(code)
        troll = db.session.scalar(select(Player).where(Player.nickname == "Troll"))
        sessions.remove_player(live, troll.id)
    advance(phones, code, host)
    response = answer(phones, code, token, 0, 0)
    assert response.status_code == 403 and error_code(response) == "removed"
    assert state(phones, code)["players"] == 1


def test_answering_twice_counts_once(app, client, organizer, phones):
    code, host = create(client)
    token = join(phones, code, "Ann")
    join(phones, code, "Bo")
    advance(phones, code, host)
    question = questions(app, code)[0]
    first = answer(phones, code, token, 0, right(question)).get_json()
    again = answer(phones, code, token, 0, wrong(question)).get_json()
    assert first["accepted"] and first["correct"] and again == first
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 1


def at_once(app, count, request):
    """`request(client)` from `count` threads released together, each with its own client (and so its
    own database connection), as phones hitting two gunicorn workers: the responses, in thread order."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(i):
        client = app.test_client()
        barrier.wait()
        response = request(client)
        results[i] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_the_same_answer_sent_at_once_counts_once(app, client, organizer, phones):
    code, host = create(client)
    token = join(phones, code, "Ann")
    join(phones, code, "Bo")
    advance(phones, code, host)
    question = questions(app, code)[0]
    results = at_once(app, 8, lambda c: answer(c, code, token, 0, right(question)))
    assert {status for status, _ in results} == {200}
    assert len({json.dumps(body, sort_keys=True) for _, body in results}) == 1  # every retry gets the first result
    assert results[0][1]["accepted"] and results[0][1]["correct"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 1
    assert state(phones, code)["phase"] == "question"  # Bo hasn't answered: one answer, counted once


def test_the_same_nickname_joining_at_once_gets_in_once(app, client, organizer, phones):
    code, _host = create(client)
    results = at_once(app, 8, lambda c: c.post(f"{API}/{code}/players", json={"nickname": "Twin"}))
    assert sorted(status for status, _ in results) == [201] + [409] * 7
    assert all(body["error"]["code"] == "nickname_taken" for status, body in results if status == 409)
    assert state(phones, code)["players"] == 1


def test_an_answer_after_the_deadline_is_refused(app, client, organizer, phones):
    code, host = create(client)
    token = join(phones, code, "Ann")
    advance(phones, code, host)
    with app.app_context():
        factories.move_deadline(code, -1)
    response = answer(phones, code, token, 0, 0)
    assert response.status_code == 409
    body = response.get_json()
    assert body["accepted"] is False and body["reason"] == "too_late" and body["error"]["code"] == "too_late"
    assert state(phones, code)["phase"] == "reveal"  # the first look past the deadline reveals
    assert answer(phones, code, token, 0, 0).get_json()["reason"] == "too_late"


def test_a_late_answer_is_told_so_and_counted_for_the_host(app, client, organizer, phones):
    """Overload must never be silent: the player whose answer came after the deadline reads that it came
    too late (not "no answer was sent"), and the host and the results count late answers, once each."""
    code, host = create(client, time_limit=10)
    ann, bo = app.test_client(), app.test_client()
    for phone, name in ((ann, "Ann"), (bo, "Bo")):
        assert phone.post("/join", data={"code": code, "nickname": name}).status_code == 303
    advance(phones, code, host)
    with app.app_context():
        factories.move_deadline(code, -1)
    for _resent in range(2):  # the phone re-sends it: counted once
        sent = ann.post(f"/play/{code}/answer", data={"question": "0", "choice": ["0"]}, headers={"Accept-Language": "en"})
        assert sent.status_code == 303
    late = ann.get(f"/play/{code}?lang=en").get_data(as_text=True)
    assert "Your answer came too late" in late and "It is not your fault" in late
    assert "No answer was sent" not in late
    assert "No answer was sent" in bo.get(f"/play/{code}?lang=en").get_data(as_text=True)
    assert "您的回答来晚了" in ann.get(f"/play/{code}?lang=zh-Hans").get_data(as_text=True)
    reveal = client.get(f"/classroom/{code}/host?lang=en").get_data(as_text=True)
    assert "1 answer came after the time was up and was not counted." in reveal
    with app.app_context():
        assert app.extensions["sqlalchemy"].session.query(Answer).count() == 0
    while state(phones, code)["phase"] != "finished":
        advance(phones, code, host)
    results = client.get(f"/classroom/{code}/results?lang=en").get_data(as_text=True)
    assert results.count("1 came too late") == 1


def test_an_answer_for_another_question_is_refused(app, client, organizer, phones):
    code, host = create(client)
    token = join(phones, code, "Ann")
    response = answer(phones, code, token, 0, 0)  # still in the lobby
    assert response.status_code == 409 and response.get_json()["reason"] == "not_question"
    advance(phones, code, host)
    for other in (1, 7, -1):
        response = answer(phones, code, token, other, 0)
        assert response.status_code == 409 and response.get_json()["reason"] == "wrong_question"


def test_bad_choices_are_refused(app, client, organizer, phones):
    code, host = create(client)
    token = join(phones, code, "Ann")
    advance(phones, code, host)
    question = questions(app, code)[0]
    for bad in (len(question.choices), -1, "x", None, True, [], [0, 99], {"a": 1}):
        response = answer(phones, code, token, 0, bad)
        assert response.status_code == 400, bad
        assert error_code(response) in ("bad_choice", "no_choice"), bad
    if question.kind != "multiple":
        assert error_code(answer(phones, code, token, 0, [0, 1])) == "one_choice"
    response = phones.post(f"{API}/{code}/answers", headers=bearer(token), json={"question": 0})
    assert response.status_code == 400
    response = phones.post(f"{API}/{code}/answers", headers=bearer(token), json={"question": "0", "choice": 0})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_multiple_choice_answers_need_the_exact_set(app, client, organizer, phones):
    with app.app_context():
        quiz = factories.first_quiz()
        assert any(q.kind == "multiple" for q in quiz.questions)
    # draw until the first question is a multiple one (the draw is random)
    for _ in range(200):
        code, host = create(client, questions=len(quiz.questions))
        if questions(app, code)[0].kind == "multiple":
            break
    question = questions(app, code)[0]
    a, b = join(phones, code, "A"), join(phones, code, "B")
    advance(phones, code, host)
    assert answer(phones, code, a, 0, sorted(question.answer)).get_json()["correct"] is True
    assert answer(phones, code, b, 0, sorted(question.answer)[:1]).get_json()["correct"] is False


def test_tokens_are_required(app, client, organizer, phones):
    code, host = create(client)
    other_code, _ = create(client)
    stranger = join(phones, other_code, "Stranger")
    join(phones, code, "Ann")
    advance(phones, code, host)
    response = phones.post(f"{API}/{code}/answers", json={"question": 0, "choice": 0})
    assert response.status_code == 401 and error_code(response) == "no_token"
    for headers in (bearer("nonsense"), bearer(stranger), {"Authorization": "Basic abc"}):
        response = phones.post(f"{API}/{code}/answers", headers=headers, json={"question": 0, "choice": 0})
        assert response.status_code == 401
    with app.app_context():
        assert db.session.scalar(select(Player.token_hash).where(Player.nickname == "Stranger")) == codes.hash_token(stranger)
        for table in db.metadata.sorted_tables:  # the raw token is stored nowhere, in no column
            for row in db.session.execute(table.select()):
                assert stranger not in " ".join(str(value) for value in row), table.name


def test_only_the_host_advances(app, client, organizer, phones):
    code, host = create(client)
    token = join(phones, code, "Ann")
    response = phones.post(f"{API}/{code}/advance")
    assert response.status_code == 401
    for not_host in (token, "nonsense"):
        response = phones.post(f"{API}/{code}/advance", headers=bearer(not_host))
        assert response.status_code == 403 and error_code(response) == "not_host"
    other = app.test_client()
    with app.app_context():
        factories.organizer("other", "pw")
    other.post("/auth/login", data={"username": "other", "password": "pw"})
    assert other.post(f"{API}/{code}/advance").status_code == 403
    assert other.get(f"/classroom/{code}/host").status_code == 403
    assert other.post(f"/classroom/{code}/advance", data={"expected": "lobby:"}).status_code == 403
    assert other.get(f"/classroom/{code}/results").status_code == 403
    assert state(phones, code)["phase"] == "lobby"
    assert client.post(f"{API}/{code}/advance").status_code == 200  # the organizer's login (CSRF off here)
    stale = advance(phones, code, host, phase="lobby")
    assert stale.status_code == 409 and error_code(stale) == "stale"


def test_advancing_from_an_empty_lobby_is_refused(client, organizer, phones):
    code, host = create(client)
    response = advance(phones, code, host)
    assert response.status_code == 409 and error_code(response) == "no_players"


def test_state_is_conditional(app, client, organizer, phones):
    code, host = create(client)
    first = phones.get(f"{API}/{code}/state")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag
    unchanged = phones.get(f"{API}/{code}/state", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    join(phones, code, "Ann")
    changed = phones.get(f"{API}/{code}/state", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert len(changed.data) < 1000  # tiny


def test_state_speaks_the_requests_language(app, client, organizer, phones):
    code, host = create(client)
    join(phones, code, "Ann")
    advance(phones, code, host)
    question = questions(app, code)[0]
    assert state(phones, code, query_string={"lang": "en"})["question"]["prompt"] == question.prompt.en
    zh = state(app.test_client(), code, headers={"Accept-Language": "zh-CN"})["question"]
    assert zh["prompt"] == question.prompt.zh_Hans and zh["choices"] == [c.zh_Hans for c in question.choices]
    assert "answer" not in json.dumps(zh)


def test_scoring_speed_accuracy_and_the_half_points_floor(app, client, organizer, phones):
    speed, host = create(client, scoring="speed", time_limit=20)
    fast, slow, _late = (join(phones, speed, n) for n in ("Fast", "Slow", "Late"))
    advance(phones, speed, host)
    question = questions(app, speed)[0]
    assert answer(phones, speed, fast, 0, right(question)).get_json()["points"] >= 990
    with app.app_context():
        factories.move_deadline(speed, 0.5)  # nearly out of time
    slow_points = answer(phones, speed, slow, 0, right(question)).get_json()["points"]
    assert 500 <= slow_points <= 520
    accuracy, host2 = create(client, scoring="accuracy", time_limit=10)
    token = join(phones, accuracy, "Acc")
    join(phones, accuracy, "Other")
    advance(phones, accuracy, host2)
    with app.app_context():
        factories.move_deadline(accuracy, 0.5)
    assert answer(phones, accuracy, token, 0, right(questions(app, accuracy)[0])).get_json()["points"] == 1000


@pytest.mark.parametrize(("remaining", "expected"), [(20, 1000), (10, 750), (0, 500), (-5, 500), (99, 1000), (None, 1000)])
def test_speed_points_are_clamped(remaining, expected):
    assert codes.points_for(True, "speed", 20, remaining) == expected
    assert codes.points_for(False, "speed", 20, remaining) == 0
    assert codes.points_for(True, "accuracy", 20, remaining) == 1000


def test_untimed_sessions_wait_for_the_host(app, client, organizer, phones):
    code, host = create(client, time_limit=None)
    a, _b = join(phones, code, "A"), join(phones, code, "B")
    advance(phones, code, host)
    current = state(phones, code)
    assert current["phase"] == "question" and current["deadline"] is None and current["remaining"] is None
    with app.app_context():
        live_rules.expire_if_due(sessions.get_session(code))
    assert state(phones, code)["phase"] == "question"
    assert answer(phones, code, a, 0, right(questions(app, code)[0])).get_json()["points"] == 1000  # no speed to reward
    assert advance(phones, code, host).get_json()["phase"] == "reveal"
    code0, _ = create(client, time_limit=0)
    with app.app_context():
        assert sessions.get_session(code0).time_limit is None


def test_creating_sessions_needs_a_login_and_good_options(app, client, phones):
    assert phones.post(API, json={"quiz": "elderly-basics"}).status_code == 401
    with app.app_context():
        factories.organizer()
    client.post("/auth/login", data={"username": "teacher", "password": "pw"})
    assert error_code(client.post(API, json={"quiz": "no-such-quiz"})) == "bad_quiz"
    for bad in ({"scoring": "luck"}, {"time_limit": 7}, {"questions": 0}, {"questions": "5"}):
        response = client.post(API, json={"quiz": "elderly-basics", **bad})
        assert response.status_code == 400 and error_code(response) == "bad_options", bad
    assert client.post(API, data="x").status_code == 400
    code, _ = create(client, questions=500)  # capped at the bank's size
    with app.app_context():
        assert len(sessions.get_session(code).question_ids) == len(factories.first_quiz().questions)
    code, _ = create(client, questions=None)
    with app.app_context():
        assert len(sessions.get_session(code).question_ids) == 10


def test_codes_are_retried_when_taken(app, client, organizer, monkeypatch):
    code, _ = create(client)
    drawn = iter([code, code, "654321" if code != "654321" else "123456"])
    monkeypatch.setattr(codes, "new_code", lambda: next(drawn))
    second, _ = create(client)
    assert second != code and len(second) == 6
    with app.app_context():
        assert db.session.scalar(select(func.count(LiveSession.id))) == 2


def test_player_pages_resume_from_the_cookie(app, client, organizer):
    code, host = create(client)
    phone = app.test_client()
    phone.post("/join", data={"code": code, "nickname": "Ann"})
    assert "Ann" in phone.get(f"/play/{code}").get_data(as_text=True)
    stranger = app.test_client()
    response = stranger.get(f"/play/{code}")
    assert response.status_code == 303 and response.headers["Location"] == f"/join?code={code}"
    phone.post(f"{API}/{code}/advance", headers=bearer(host))
    assert "answer-button" in phone.get(f"/play/{code}").get_data(as_text=True)  # still Ann, mid-game


@pytest.fixture
def tmp_app(make_app, database_uri):
    """Apps with their own settings (rate limits, CSRF) on the same two databases."""
    return lambda **overrides: make_app(SQLALCHEMY_DATABASE_URI=database_uri, **overrides)


def test_joins_are_rate_limited(tmp_app):
    app = tmp_app(RATELIMIT_ENABLED=True, RATELIMIT_JOIN="3 per minute", WTF_CSRF_ENABLED=False)
    client = app.test_client()
    with app.app_context():
        organizer_id = factories.organizer().id
        code, _ = factories.live_session(organizer_id)
    statuses = [client.post(f"{API}/{code}/players", json={"nickname": f"p{i}"}).status_code for i in range(4)]
    assert statuses == [201, 201, 201, 429]  # RATELIMIT_JOIN: successful joins per session
    response = client.post(f"{API}/{'000000' if code != '000000' else '000001'}/players", json={"nickname": "guess"})
    assert response.status_code == 404  # another code has its own capacity; guesses have their own budget


def test_the_join_form_is_rate_limited(tmp_app):
    app = tmp_app(RATELIMIT_ENABLED=True, RATELIMIT_CODE_GUESSES="2 per minute", WTF_CSRF_ENABLED=False)
    client = app.test_client()
    statuses = [client.post("/join", data={"code": "111111", "nickname": "x"}).status_code for _ in range(3)]
    assert statuses == [404, 404, 429]  # RATELIMIT_CODE_GUESSES: failed code guesses per address
    assert client.get("/join").status_code == 200


def test_csrf_is_enforced_for_the_organizers_cookie(tmp_app):
    app = tmp_app(RATELIMIT_ENABLED=False, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        factories.organizer()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/auth/login", data={"username": "teacher", "password": "pw", "csrf_token": token})
    page = client.get("/classroom/new").get_data(as_text=True)  # logging in starts a fresh session: a new token
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(API, json={"quiz": "elderly-basics"})
    assert response.status_code == 400 and error_code(response) == "csrf"
    response = client.post(API, json={"quiz": "elderly-basics"}, headers={"X-CSRFToken": token})
    assert response.status_code == 201
    code, host = response.get_json()["code"], response.get_json()["host_token"]
    phones = app.test_client()
    assert phones.post(f"{API}/{code}/players", json={"nickname": "Ann"}).status_code == 201  # Bearer side: exempt
    assert client.post(f"{API}/{code}/advance").status_code == 400  # cookie without the header
    assert client.post(f"{API}/{code}/advance", headers={"X-CSRFToken": token}).status_code == 200
    assert phones.post(f"{API}/{code}/advance", headers=bearer(host)).status_code == 200  # token: no CSRF needed
    assert client.post("/classroom/new", data={"quiz": "elderly-basics", "questions": "3"}).status_code == 400


def test_a_live_session_asks_ten_different_scam_types(app):
    """Live sessions draw like solo runs: one question per scam type while the bank has types left."""
    with app.app_context():
        teacher = factories.organizer("spread")
        quiz = get_catalog().quizzes["students-basics"]
        for _ in range(20):
            code, _token = factories.live_session(teacher.id, quiz, count=10)
            slugs = [question.slug for question in factories.questions(code)]
            assert len(slugs) == 10 and len(set(slugs)) == 10
