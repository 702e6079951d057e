"""A phone with JavaScript changes phase from its poll (/play/<code>/state), without loading a page: the
poll brings the new phase as one fragment shared by every phone, and `me`, the player's own lines."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from tests import factories
from webapp.classroom import live as classroom
from webapp.classroom import results, sessions
from webapp.extensions import db
from webapp.models import Answer, Player

API = "/api/v1/sessions"


def attribute(page: str, name: str) -> str:
    return html.unescape(re.search(rf'{name}="([^"]*)"', page).group(1))


def test_a_phone_plays_a_whole_quiz_from_its_polls(db_app):
    app, client = db_app, db_app.test_client()
    code, host, (ann, bo, cy) = factories.hall(app, "Ann", "<b>Bo</b>", "Cy", time_limit=60)
    with app.app_context():
        keys = [sorted(q.answer) for q in factories.questions(code)]
        choices = [len(q.choices) for q in factories.questions(code)]

    page = ann.get(f"/play/{code}?lang=en").get_data(as_text=True)
    url, etag, csrf = attribute(page, "data-state-url"), attribute(page, "data-etag"), attribute(page, "data-csrf")
    assert url == f"/play/{code}/state" and csrf
    polled = ann.get(url, headers={"If-None-Match": etag})
    assert polled.status_code == 304  # the page's own ETag: nothing to do until the host starts
    assert app.test_client().post("/join", data={"code": code, "nickname": "Dee"}).status_code == 303
    assert ann.get(url, headers={"If-None-Match": etag}).status_code == 304  # a lobby filling up wakes no phone

    def poll(phone, tag=None):
        response = phone.get(url + "?lang=en", headers={"If-None-Match": tag} if tag else {})
        assert response.headers["Cache-Control"] == "no-cache, private"
        return response.status_code, response.headers.get("ETag"), response.get_json(silent=True)

    assert client.post(f"{API}/{code}/advance", headers=host).status_code == 200
    status, question_etag, body = poll(ann, etag)
    assert status == 200 and body["phase"] == "question" and body["index"] == 0
    assert 55 < body["remaining"] <= 60 and body["poll_ms"] == 2000
    assert 'class="answer-form"' in body["html"] and body["html"].count('name="choice"') == choices[0]
    assert 'name="csrf_token" value=""' in body["html"] and csrf not in body["html"]  # nobody's token: the phone puts in its own
    assert body["me"]["answered"] is False and body["me"]["feedback"] is None
    assert poll(bo)[2]["html"] == body["html"]  # one fragment for every phone
    assert poll(ann, question_etag)[0] == 304

    wrong = next(i for i in range(choices[0]) if [i] != keys[0])
    as_js = {"Accept": "application/json"}
    assert ann.post(f"/play/{code}/answer", data={"question": "0", "choice": keys[0]}, headers=as_js).get_json() == {"accepted": True}
    assert bo.post(f"/play/{code}/answer", data={"question": "0", "choice": str(wrong)}, headers=as_js).get_json() == {"accepted": True}
    assert poll(ann, question_etag)[0] == 304  # answers don't wake the phones
    with app.app_context():
        factories.move_deadline(code, -1)
    late = cy.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"}, headers=as_js)
    assert late.status_code == 409 and late.get_json()["reason"] == "too_late"

    status, reveal_etag, revealed = poll(ann, question_etag)
    assert status == 200 and revealed["phase"] == "reveal"
    with app.app_context():
        gained = db.session.scalar(select(Answer.points).join(Player).where(Player.nickname == "Ann"))
    me = revealed["me"]
    assert me["feedback"] == "right" and me["gained"] == gained > 0
    assert me["text"]["gained"] == f"+{gained} points" and me["text"]["rank"] == f"You are number 1 with {gained} points."
    assert me["text"]["strip"] == f" · {gained} points"
    fragment = revealed["html"]
    assert sorted(re.findall(r'data-feedback="(\w+)" hidden', fragment)) == ["late", "none", "right", "wrong"]
    assert re.findall(r'data-me="(\w+)"', fragment) == ["gained", "rank"]
    assert poll(bo)[2]["me"]["feedback"] == "wrong" and poll(cy)[2]["me"]["feedback"] == "late"
    assert poll(bo)[2]["me"]["text"]["gained"] == "+0 points"

    assert client.post(f"{API}/{code}/advance", headers=host).status_code == 200  # question 2
    assert poll(ann, reveal_etag)[2]["index"] == 1
    with app.app_context():
        factories.move_deadline(code, -1)
    assert poll(ann)[2]["me"]["feedback"] == "none"  # nobody answered: time is up
    assert client.post(f"{API}/{code}/advance", headers=host).status_code == 200  # the end
    status, _, final = poll(ann)
    assert status == 200 and final["phase"] == "finished"
    assert final["me"]["text"]["final"] == f"You finished number 1 with {gained} points and 1 of 2 right."
    assert "<b>Bo</b>" not in final["html"]  # a nickname is text, never markup


def test_a_phone_that_is_no_longer_a_player_is_told_to_reload(db_app):
    app = db_app
    code, _host, (ann,) = factories.hall(app, "Ann")
    stranger = app.test_client()
    assert ann.get(f"/play/{code}/state").get_json()["phase"] == "lobby"
    assert stranger.get(f"/play/{code}/state").get_json() == {"reload": True}  # no cookie: the page sends it to /join
    with app.app_context():
        ann_id = db.session.scalar(select(Player.id).where(Player.nickname == "Ann"))
    organizer_client = app.test_client()
    assert organizer_client.post("/auth/login", data={"username": "teacher", "password": "pw"}).status_code in (302, 303)
    assert organizer_client.post(f"/classroom/{code}/players/{ann_id}/remove").status_code == 303
    assert ann.get(f"/play/{code}/state").get_json() == {"reload": True}  # removed: the page says so
    assert "removed" in ann.get(f"/play/{code}?lang=en").get_data(as_text=True).lower()
    assert app.test_client().get("/play/000000/state").get_json() == {"reload": True}


def test_a_poll_with_nothing_new_is_answered_before_flask(db_app):
    """classroom/gate.py: the page's own ETag, the same language, the same step: a 304 with the site's
    security headers and no trip through Flask. Anything else goes to the view, which agrees."""
    from flask import request_started

    app, client = db_app, db_app.test_client()
    code, host, (ann, bo) = factories.hall(app, "Ann", "Bo")
    etag = attribute(ann.get(f"/play/{code}", headers={"Accept-Language": "en"}).get_data(as_text=True), "data-etag")
    reached = []

    def count(sender, **extra):
        reached.append(1)

    request_started.connect(count, app)
    try:
        gated = ann.get(f"/play/{code}/state", headers={"If-None-Match": etag, "Accept-Language": "en"})
        assert gated.status_code == 304 and gated.headers["ETag"] == etag and reached == []
        assert gated.headers["Content-Security-Policy"] and gated.headers["Cache-Control"] == "no-cache, private"
        other = ann.get(f"/play/{code}/state", headers={"If-None-Match": etag, "Accept-Language": "zh-CN"})
        assert other.status_code == 200 and other.get_json()["phase"] == "lobby"  # another language: a body
        assert len(reached) == 1
        viewed = ann.get(f"/play/{code}/state?lang=en", headers={"If-None-Match": etag})  # a query: the view
        assert viewed.status_code == 304 and viewed.headers["ETag"] == etag and len(reached) == 2
        assert client.post(f"{API}/{code}/advance", headers=host).status_code == 200
        before = len(reached)
        moved = ann.get(f"/play/{code}/state", headers={"If-None-Match": etag, "Accept-Language": "en"})
        assert moved.status_code == 200 and moved.get_json()["phase"] == "question" and moved.get_json()["me"]
        assert len(reached) == before + 1  # the first poll of a question is drawn by the view

        # the next phones get that question's shared body without Flask: no `me`, the seconds left
        shared = bo.get(f"/play/{code}/state", headers={"If-None-Match": etag, "Accept-Language": "en"})
        assert shared.status_code == 200 and len(reached) == before + 1
        assert shared.headers["Content-Type"] == "application/json" and shared.headers["Content-Security-Policy"]
        assert shared.headers["ETag"] == moved.headers["ETag"]
        body = shared.get_json()
        assert body["me"] is None and body["html"] == moved.get_json()["html"] and body["phase"] == "question"
        assert 0 < body["remaining"] <= 20 and body["poll_ms"] == moved.get_json()["poll_ms"]
        stranger = app.test_client().get(f"/play/{code}/state", headers={"If-None-Match": etag, "Accept-Language": "en"})
        assert stranger.get_json() == {"reload": True}  # no player cookie: the view, which sends it to /join

        assert client.post(f"{API}/{code}/advance", headers=host).status_code == 200
        asked = {"If-None-Match": shared.headers["ETag"], "Accept-Language": "en"}
        before = len(reached)
        revealed = bo.get(f"/play/{code}/state", headers=asked)
        assert revealed.get_json()["phase"] == "reveal" and revealed.get_json()["me"]["feedback"] == "none"
        assert len(reached) == before + 1  # the first reveal is drawn by the view, with every player's own part

        # the next phones get the reveal and their own part without Flask
        own = ann.get(f"/play/{code}/state", headers=asked)
        assert own.status_code == 200 and len(reached) == before + 1
        mine = own.get_json()["me"]
        assert mine["feedback"] == "none" and mine["text"]["rank"].startswith("You are number 1 with 0 points")
        assert own.get_json()["html"] == revealed.get_json()["html"] and own.get_json()["phase"] == "reveal"

        # someone the drawing did not know (joined since) goes to the view, and so does everyone once a
        # removal has moved the version
        cy = app.test_client()
        assert cy.post("/join", data={"code": code, "nickname": "Cy"}).status_code == 303
        assert cy.get(f"/play/{code}/state", headers=asked).get_json()["me"]["feedback"] == "none"
        assert len(reached) == before + 2  # Cy's poll (the join was the gate's: classroom/quick_join.py)
        with app.app_context():
            live = sessions.get_session(code)
            bo_id = next(p.id for p in live.players if p.nickname == "Bo")
            sessions.remove_player(live, bo_id)
        assert ann.get(f"/play/{code}/state", headers=asked).get_json()["me"]["feedback"] == "none"
        assert len(reached) == before + 3
        assert bo.get(f"/play/{code}/state", headers=asked).get_json() == {"reload": True}  # removed: told so
    finally:
        request_started.disconnect(count, app)


def test_the_end_is_drawn_once_and_every_phone_gets_its_own_final_lines_from_the_gate(db_app):
    """A finished session has no open code any more; its phones still ask once for their final lines, and
    the gate finds the session by its code (the newest with it) and sends each its own part."""
    from flask import request_started

    app, client = db_app, db_app.test_client()
    code, host, (ann, bo, cy) = factories.hall(app, "Ann", "Bo", "Cy", time_limit=60)
    assert client.post(f"{API}/{code}/advance", headers=host).status_code == 200
    for phone, choice in ((ann, "0"), (bo, "1"), (cy, "2")):
        phone.post(f"/play/{code}/answer", data={"question": "0", "choice": choice}, headers={"Accept": "application/json"})
    with app.app_context():
        classroom.end(sessions.get_session(code))
    asked = {"If-None-Match": '"R0-en-"', "Accept-Language": "en"}
    reached = []

    def count(sender, **extra):
        reached.append(1)

    request_started.connect(count, app)
    try:
        finals = {name: phone.get(f"/play/{code}/state", headers=asked) for name, phone in (("Ann", ann), ("Bo", bo), ("Cy", cy))}
        assert len(reached) == 1  # the first phone's poll draws the end for everyone; the others come from the gate
        bodies = {name: reply.get_json() for name, reply in finals.items()}
        assert {body["phase"] for body in bodies.values()} == {"finished"}
        assert len({body["html"] for body in bodies.values()}) == 1
        with app.app_context():
            live = sessions.get_session(code)
            standings = {s.nickname: s for s in results.ranking(live)}
        for name, body in bodies.items():
            assert f"number {standings[name].rank} with {standings[name].points} points" in body["me"]["text"]["final"]
        again = ann.get(f"/play/{code}/state", headers={"If-None-Match": finals["Ann"].headers["ETag"], "Accept-Language": "en"})
        assert again.status_code == 304 and len(reached) == 1
    finally:
        request_started.disconnect(count, app)


def test_an_answer_costs_three_statements(db_app):
    """The hall's commonest write stays cheap, in the view and in the gate (classroom/quick_answer.py): the
    session, the player and the database's clock in one query, the insert, and 'has everyone answered?' (a
    probe, not a count). The gate reads a session's questions once per process, at its first answer."""
    from sqlalchemy import event

    app, client = db_app, db_app.test_client()
    code, host, phones = factories.hall(app, "A", "B", "C", "D")
    assert client.post(f"{API}/{code}/advance", headers=host).status_code == 200
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda conn, cursor, statement, *rest: statements.append(statement)  # noqa: E731
    counts = []
    for phone, body in zip(phones, ("multipart/form-data", "application/x-www-form-urlencoded", "application/x-www-form-urlencoded")):
        statements.clear()
        event.listen(engine, "before_cursor_execute", listener)
        try:
            sent = phone.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"},
                              headers={"Accept": "application/json"}, content_type=body)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert sent.get_json() == {"accepted": True}
        counts.append(len([s for s in statements if not s.strip().upper().startswith("SELECT 1")]))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # the gate's next: the answer in one statement (quick_answer._store_seen), and, as only a few players
        # are left to answer, "has everyone answered?" asked again after its commit (quick_answer.was_last)
        assert counts[2] == 2 and statements[0].startswith("WITH mine"), statements
    else:
        assert counts == [3, 4, 3], statements  # the view; the gate's first answer, and its next


def test_a_code_used_again_never_gets_the_last_sessions_question(db_app, monkeypatch):
    """A code is free again once its session is over; the shared question bodies belong to a session, not
    to a code, so the next session's phones see their own first question."""
    from webapp.classroom import codes

    app, client = db_app, db_app.test_client()
    monkeypatch.setattr(codes, "new_code", lambda: "424242")
    firsts = []
    for quiz in ("elderly-basics", "students-basics"):
        with app.app_context():
            organizer = factories.organizer(f"teacher-{quiz}")
            live, host_token = classroom.create_session(organizer.id, app.extensions["catalog"].quizzes[quiz], count=2)
            assert live.code == "424242"
        host = {"Authorization": f"Bearer {host_token}"}
        phones = [app.test_client(), app.test_client()]
        for phone, name in zip(phones, ("Ann", "Bo")):
            assert phone.post("/join", data={"code": "424242", "nickname": name}).status_code == 303
        lobby = attribute(phones[0].get("/play/424242").get_data(as_text=True), "data-etag")
        assert client.post(f"{API}/424242/advance", headers=host).status_code == 200
        # the first poll may come to the gate: it must not answer with the last session's question
        first = phones[1].get("/play/424242/state", headers={"If-None-Match": lobby}).get_json()
        drawn = phones[0].get("/play/424242/state?view=1", headers={"If-None-Match": lobby}).get_json()  # the view
        assert first["phase"] == "question" and first["html"] == drawn["html"]
        firsts.append(drawn["html"])
        with app.app_context():
            live = sessions.get_session("424242")
            classroom.end(live)
    assert firsts[0] != firsts[1]


def test_a_gzipped_polls_etag_is_matched_as_the_browser_sends_it_back(db_app):
    """A body big enough is gzipped, and Flask-Compress then rewrites its ETag ("R0-en-:gzip"): that is
    the one a browser sends back, so the gate and the view must match it too."""
    from flask import request_started

    app, client = db_app, db_app.test_client()
    code, host, (ann, bo) = factories.hall(app, "Ann", "Bo")
    gzip = {"Accept-Encoding": "gzip", "Accept-Language": "en"}
    assert client.post(f"{API}/{code}/advance", headers=host).status_code == 200
    drawn = ann.get(f"/play/{code}/state", headers=gzip)
    assert drawn.headers["Content-Encoding"] == "gzip" and drawn.headers["ETag"] == '"Q0-en-:gzip"'
    reached = []

    def count(sender, **extra):
        reached.append(1)

    request_started.connect(count, app)
    try:
        again = ann.get(f"/play/{code}/state", headers={**gzip, "If-None-Match": drawn.headers["ETag"]})
        assert again.status_code == 304 and again.headers["ETag"] == '"Q0-en-:gzip"' and reached == []
        viewed = ann.get(f"/play/{code}/state?lang=en", headers={**gzip, "If-None-Match": drawn.headers["ETag"]})
        assert viewed.status_code == 304 and len(reached) == 1
        host_etag = client.get(f"{API}/{code}/state", headers={**host, **gzip}).headers["ETag"]
        assert client.get(f"{API}/{code}/state", headers={**host, **gzip, "If-None-Match": host_etag}).status_code == 304
    finally:
        request_started.disconnect(count, app)
