"""classroom/quick_answer.py: the plain answer from classroom.js is taken before Flask's dispatch, and the
result is the view's: the same checks, the same row, the same reveal. Everything else reaches the view."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from tests import factories
from webapp.classroom import quick_answer
from webapp.extensions import db
from webapp.models import Answer, LateAnswer, LiveSession, Player

API = "/api/v1/sessions"
JSON = {"Accept": "application/json"}


def stored(app, nickname: str, index: int = 0) -> Answer | None:
    with app.app_context():
        return db.session.scalar(
            select(Answer).join(Player).where(Player.nickname == nickname, Answer.question_index == index)
        )


def test_the_plain_answer_is_stored_without_flask_and_the_last_one_reveals(db_app, reached):
    app, host_client = db_app, db_app.test_client()
    code, host, (ann, bo) = factories.hall(app, "Ann", "Bo", time_limit=60)
    assert host_client.post(f"{API}/{code}/advance", headers=host).status_code == 200
    with app.app_context():
        key = sorted(factories.questions(code)[0].answer)
        version = db.session.scalar(select(LiveSession.version).where(LiveSession.code == code))
    counted = reached(app)

    sent = ann.post(f"/play/{code}/answer", data={"question": "0", "choice": str(key[0])}, headers=JSON)
    assert sent.status_code == 200 and sent.get_json() == {"accepted": True} and counted == []
    assert sent.headers["Cache-Control"] == "no-store" and "Content-Security-Policy" in sent.headers
    mine = stored(app, "Ann")
    assert mine.choice == [key[0]] and mine.correct is (len(key) == 1)
    if mine.correct:
        assert 950 <= mine.points <= 1000  # speed scoring: answered in the first seconds of 60
    with app.app_context():
        assert db.session.scalar(select(LiveSession.phase).where(LiveSession.code == code)) == "question"

    wrong = next(str(i) for i in range(4) if i not in key)
    sent = bo.post(f"/play/{code}/answer", data={"question": "0", "choice": wrong}, headers=JSON)
    assert sent.get_json() == {"accepted": True} and counted == []
    assert stored(app, "Bo").correct is False and stored(app, "Bo").points == 0
    with app.app_context():  # Bo was the last: the question is revealed, as the view does it
        live = db.session.scalar(select(LiveSession).where(LiveSession.code == code))
        assert live.phase == "reveal" and live.version == version + 1


def test_a_repeat_is_accepted_and_a_bad_choice_or_a_removed_player_go_to_the_view(db_app, reached):
    app, host_client = db_app, db_app.test_client()
    code, host, (ann, bo, cy) = factories.hall(app, "Ann", "Bo", "Cy", time_limit=60)
    assert host_client.post(f"{API}/{code}/advance", headers=host).status_code == 200
    counted = reached(app)
    assert ann.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"}, headers=JSON).status_code == 200
    first = stored(app, "Ann")

    again = ann.post(f"/play/{code}/answer", data={"question": "0", "choice": "1"}, headers=JSON)
    assert again.get_json() == {"accepted": True} and counted == []  # a repeat: the first answer stands
    assert stored(app, "Ann").choice == first.choice == [0]

    bad = bo.post(f"/play/{code}/answer", data={"question": "0", "choice": "9"}, headers=JSON)
    assert bad.status_code == 400 and bad.get_json()["reason"] == "bad_choice" and len(counted) == 1
    assert stored(app, "Bo") is None
    wrong_question = bo.post(f"/play/{code}/answer", data={"question": "1", "choice": "0"}, headers=JSON)
    assert wrong_question.status_code == 409 and len(counted) == 2

    with app.app_context():
        player = db.session.scalar(select(Player).where(Player.nickname == "Cy"))
        player.removed_at = player.joined_at
        db.session.commit()
    removed = cy.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"}, headers=JSON)
    assert len(counted) == 3 and stored(app, "Cy") is None
    assert removed.status_code == 303 and removed.headers["Location"].endswith(f"/play/{code}")  # whose page says so


def test_a_late_answer_is_refused_by_the_view_and_counted(db_app, reached):
    app, host_client = db_app, db_app.test_client()
    code, host, (ann, _bo) = factories.hall(app, "Ann", "Bo", time_limit=20)
    assert host_client.post(f"{API}/{code}/advance", headers=host).status_code == 200
    with app.app_context():
        factories.move_deadline(code, -1)
    counted = reached(app)
    late = ann.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"}, headers=JSON)
    assert late.status_code == 409 and late.get_json()["reason"] == "too_late" and counted == [1]
    assert stored(app, "Ann") is None
    with app.app_context():
        assert db.session.scalar(select(LateAnswer.question_index)) == 0


def test_the_csrf_token_is_checked_before_anything_is_stored(make_app, database_uri, reached, monkeypatch):
    app = make_app(SQLALCHEMY_DATABASE_URI=database_uri, WTF_CSRF_ENABLED=True)
    host_client = app.test_client()
    code, host, (ann, bo) = factories.hall(app, "Ann", "Bo", time_limit=60, csrf=True)
    assert host_client.post(f"{API}/{code}/advance", headers=host).status_code == 200
    token = html.unescape(re.search(r'data-csrf="([^"]+)"', ann.get(f"/play/{code}").get_data(as_text=True)).group(1))
    counted = reached(app)

    forged = ann.post(f"/play/{code}/answer", data={"question": "0", "choice": "0", "csrf_token": "x" + token}, headers=JSON)
    assert forged.status_code == 400 and len(counted) == 1 and stored(app, "Ann") is None  # the view's CSRF error
    missing = ann.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"}, headers=JSON)
    assert missing.status_code == 400 and len(counted) == 2 and stored(app, "Ann") is None
    someone_elses = bo.post(f"/play/{code}/answer", data={"question": "0", "choice": "0", "csrf_token": token}, headers=JSON)
    assert someone_elses.status_code == 400 and stored(app, "Bo") is None  # the token belongs to Ann's session

    verified = []
    real = quick_answer._csrf_verified
    monkeypatch.setattr(quick_answer, "_csrf_verified", lambda *args: verified.append(1) or real(*args))
    sent = ann.post(f"/play/{code}/answer", data={"question": "0", "choice": "0", "csrf_token": token}, headers=JSON)
    assert sent.get_json() == {"accepted": True} and len(counted) == 3 and stored(app, "Ann").choice == [0]
    again = ann.post(f"/play/{code}/answer", data={"question": "0", "choice": "1", "csrf_token": token}, headers=JSON)
    # the pair passed once (here, or at the join when its form's token was signed in the same second): kept
    assert again.get_json() == {"accepted": True} and len(counted) == 3 and len(verified) <= 1
    forged_after = ann.post(f"/play/{code}/answer", data={"question": "0", "choice": "1", "csrf_token": token[:-2]},
                            headers=JSON)
    assert forged_after.status_code == 400 and len(counted) == 4  # a pair not seen is verified, and fails


def test_other_bodies_reach_the_view_and_the_form_without_javascript_is_taken_too(db_app, reached):
    app, host_client = db_app, db_app.test_client()
    code, host, (ann, bo, _cy) = factories.hall(app, "Ann", "Bo", "Cy", time_limit=60)
    assert host_client.post(f"{API}/{code}/advance", headers=host).status_code == 200
    counted = reached(app)
    multipart = ann.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"}, headers=JSON,
                         content_type="multipart/form-data")  # classroom.js on a browser without URLSearchParams
    assert multipart.get_json() == {"accepted": True} and counted == [1] and stored(app, "Ann").choice == [0]
    plain = bo.post(f"/play/{code}/answer", data={"question": "0", "choice": "1"})  # no JavaScript: the same road
    assert plain.status_code == 303 and plain.headers["Location"] == f"/play/{code}" and len(counted) == 1
    assert stored(app, "Bo").choice == [1] and "Content-Security-Policy" in plain.headers
    again = bo.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"})  # sent twice: the first stands
    assert again.status_code == 303 and len(counted) == 1 and stored(app, "Bo").choice == [1]
    wrong_question = bo.post(f"/play/{code}/answer", data={"question": "1", "choice": "0"})  # the view says why
    assert wrong_question.status_code == 303 and len(counted) == 2


def test_the_gate_takes_an_answer_only_where_flask_wtf_would_and_the_view_refuses_the_rest(make_app, database_uri, reached):
    """quick_answer.csrf_passes decides without a request context; each case is sent through the real stack and
    must end as flask-wtf's own check ends it: accepted before Flask, or refused by the view."""
    app = make_app(SQLALCHEMY_DATABASE_URI=database_uri, WTF_CSRF_ENABLED=True, SESSION_COOKIE_SECURE=False)
    code, host, phones = factories.hall(app, *(f"p{i}" for i in range(9)), time_limit=60, csrf=True)
    assert app.test_client().post(f"{API}/{code}/advance", headers=host).status_code == 200
    tokens = [html.unescape(re.search(r'data-csrf="([^"]+)"', phone.get(f"/play/{code}").get_data(as_text=True)).group(1))
              for phone in phones]
    counted = reached(app)
    https = {"base_url": "https://localhost"}
    here = {**JSON, "Referer": f"https://localhost/play/{code}"}
    cases = [  # (phone, token, extra headers and options, accepted)
        (0, tokens[0], {"headers": JSON}, True),
        (1, tokens[1][:-2] + "AA", {"headers": JSON}, False),  # its signature tampered with
        (2, tokens[3], {"headers": JSON}, False),  # another session's token
        (3, "", {"headers": {**JSON, "X-CSRFToken": tokens[3]}}, True),  # in the header: the view takes it
        (4, tokens[4], {"headers": here, **https}, True),  # HTTPS from this site
        (5, tokens[5], {"headers": JSON, **https}, False),  # HTTPS with no referrer
        (6, tokens[6], {"headers": {**JSON, "Referer": "https://evil.example/"}, **https}, False),
    ]
    for i, token, options, accepted in cases:
        counted.clear()
        sent = phones[i].post(f"/play/{code}/answer", data={"question": "0", "choice": "0", "csrf_token": token}, **options)
        assert (sent.status_code == 200) == accepted, (i, sent.status_code)
        assert (stored(app, f"p{i}") is not None) == accepted
        assert len(counted) == (0 if accepted and i != 3 else 1), i  # a yes is the gate's, but from a header

    phones[7].set_cookie("session", "not-a-signed-cookie")  # the secret's cookie replaced: no secret to match
    counted.clear()
    sent = phones[7].post(f"/play/{code}/answer", data={"question": "0", "choice": "0", "csrf_token": tokens[7]}, headers=JSON)
    assert sent.status_code == 400 and len(counted) == 1 and stored(app, "p7") is None



def test_on_postgresql_answers_racing_to_be_last_still_reveal_the_question(make_app, postgres_url, reached, monkeypatch):
    """On PostgreSQL the answer and "has everyone answered?" are one statement, whose snapshot cannot see an
    answer being stored at the same moment. With few others missing it asks again once committed (three
    statements), with many it does not (two). The race, step by step: Bo's statement runs while Ann's is not
    yet committed, so each misses the other; Bo's second probe cannot see Ann either; Ann's, after her
    commit, sees Bo, and the question is revealed."""
    from sqlalchemy import event

    from webapp import clock
    from webapp.classroom import quick_answer

    app = make_app(SQLALCHEMY_DATABASE_URI=postgres_url)
    with app.app_context():
        db.create_all()
        engine = db.engine
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2].split()[0]))
    names = ["Ann", "Bo", *[f"P{i}" for i in range(10)]]
    code, host, phones = factories.hall(app, *names, time_limit=60)
    assert app.test_client().post(f"{API}/{code}/advance", headers=host).status_code == 200
    reached(app)
    phone = dict(zip(names, phones))

    def answer(name):
        statements.clear()
        sent = phone[name].post(f"/play/{code}/answer", data={"question": "0", "choice": "0"}, headers=JSON)
        assert sent.get_json() == {"accepted": True}
        return statements[statements.index("WITH"):]  # from the INSERT with its probe on (the session read before)

    def phase():
        with app.app_context():
            return db.session.scalar(select(LiveSession.phase).where(LiveSession.code == code))

    assert answer("P0") == ["WITH", "SELECT"]  # 11 missing, fewer than IN_FLIGHT: asked again
    monkeypatch.setattr(quick_answer, "IN_FLIGHT", 5)
    assert answer("P1") == ["WITH"]  # 10 missing, more than can be in flight at once: not the last
    monkeypatch.undo()
    for name in names[4:]:
        answer(name)
    assert phase() == "question"  # Ann and Bo have not answered

    with app.app_context():
        session_id = db.session.scalar(select(LiveSession.id).where(LiveSession.code == code))
        ann_id = db.session.scalar(select(Player.id).where(Player.nickname == "Ann"))
    with engine.connect() as ann:
        racing = ann.begin()  # Ann's statement has run, and is not committed yet
        inserted, missing = ann.execute(quick_answer.store_and_probe_query(), {
            "session_id": session_id, "player_id": ann_id, "question_index": 0, "choice": [0], "correct": False,
            "points": 0, "answered_at": clock.now(),
        }).one()
        assert (inserted, missing) == (1, 1)  # Bo missing
        assert answer("Bo") == ["WITH", "SELECT"]  # Bo sees Ann missing, and asks again: still missing
        assert phase() == "question"
        racing.commit()
        assert quick_answer.was_last(ann, session_id, 0, inserted, missing) is True  # Ann's second look: everyone


def test_on_postgresql_the_one_statement_holds_the_rules_the_gates_sighting_cannot_see(make_app, postgres_url, reached):
    """With the gate's sighting at the question, an answer is one statement with no read first
    (quick_answer._store_seen). A player removed or a deadline passed by a write the board cannot see
    (another host, raw SQL) leaves the sighting as it was: the statement's own conditions refuse to store,
    and the view answers with its reason."""
    from sqlalchemy import create_engine, text

    app = make_app(SQLALCHEMY_DATABASE_URI=postgres_url)
    code, host, (ann, bo, cy, _di) = factories.hall(app, "Ann", "Bo", "Cy", "Di", time_limit=60)
    assert app.test_client().post(f"{API}/{code}/advance", headers=host).status_code == 200
    counted = reached(app)
    assert ann.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"}, headers=JSON).get_json() == {"accepted": True}
    assert counted == [] and stored(app, "Ann") is not None  # the gate now holds a sighting at question 0
    elsewhere = create_engine(postgres_url)  # not the app's engine: the board does not move
    try:
        with elsewhere.begin() as connection:
            connection.execute(text("UPDATE player SET removed_at = now() WHERE nickname = 'Bo'"))
        removed = bo.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"}, headers=JSON)
        assert removed.status_code == 303 and len(counted) == 1 and stored(app, "Bo") is None  # to the page that says so

        with elsewhere.begin() as connection:
            connection.execute(text("UPDATE live_session SET deadline = now() - interval '1 second' WHERE code = :code"),
                               {"code": code})
        late = cy.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"}, headers=JSON)
        assert late.status_code == 409 and late.get_json()["reason"] == "too_late" and len(counted) == 2
        assert stored(app, "Cy") is None
    finally:
        elsewhere.dispose()


def test_the_answer_probe_keeps_to_the_index_when_statistics_say_a_question_has_no_answers(make_app, postgres_url):
    """PostgreSQL's ANALYZE can run in the middle of a quiz, while the next question has no answers yet. Planned
    from those statistics, "has everyone answered?" became an anti-join over every answer of the question for
    each player: each answer scanned the others, and at 2,000 phones the database spent three times its usual
    CPU. The probe looks each player's answer up in the unique index, whatever the statistics say."""
    from sqlalchemy import text

    from webapp.classroom import live as classroom
    from webapp.classroom import queries

    app = make_app(SQLALCHEMY_DATABASE_URI=postgres_url)
    with app.app_context():
        live, _token = classroom.create_session(
            factories.organizer().id, app.extensions["catalog"].quizzes["elderly-basics"], count=3)
        db.session.execute(text(
            "INSERT INTO player (live_session_id, nickname, nickname_key, token_hash, joined_at, paper) "
            "SELECT :s, 'p' || g, 'p' || g, md5(g::text), now(), false FROM generate_series(1, 2000) g"), {"s": live.id})
        answers = ("INSERT INTO answer (player_id, question_index, choice, correct, points, answered_at) "
                   "SELECT id, :q, '0', true, 10, now() FROM player WHERE live_session_id = :s AND id % :every = 0")
        db.session.execute(text(answers), {"s": live.id, "q": 0, "every": 1})  # everyone answered question 0
        db.session.commit()
        db.session.execute(text("ANALYZE player; ANALYZE answer"))  # question 1: no answers, say the statistics
        db.session.execute(text(answers), {"s": live.id, "q": 1, "every": 2})  # then half the hall answers it
        db.session.commit()
        probe = queries.waiting(live.id, 1).limit(65)
        sql = str(probe.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
        plan = "\n".join(row[0] for row in db.session.execute(text(f"EXPLAIN {sql}")))
        assert "Seq Scan on answer" not in plan and "uq_answer_player_id_question_index" in plan, plan
        assert len(db.session.execute(probe).all()) == 65  # and it still finds who has not answered
