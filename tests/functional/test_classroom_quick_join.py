"""classroom/quick_join.py: the plain join from the form is taken before Flask's dispatch, with the view's
CSRF check, the view's rate limits (the same counters) and the view's reply. Everything else reaches the view."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests import factories
from webapp.classroom import live as live_rules
from webapp.extensions import db
from webapp.models import LiveSession, Player


def open_session(app, how_many: int = 1) -> str | list[str]:
    """A session in its lobby (or `how_many`, as a list of codes), hosted by one organizer."""
    with app.app_context():
        host, quiz = factories.organizer().id, app.extensions["catalog"].quizzes["elderly-basics"]
        made = [live_rules.create_session(host, quiz, time_limit=20, count=2)[0].code for _ in range(how_many)]
    return made[0] if how_many == 1 else made


def form_token(phone, code: str) -> str:
    page = phone.get(f"/join?code={code}").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def joining(app, code: str, nickname: str, query: str = "", **fields):
    """A phone that opens the join form (its CSRF token) and sends it: (the phone, the response)."""
    phone = app.test_client()
    data = {"code": code, "nickname": nickname, "csrf_token": form_token(phone, code), **fields}
    return phone, phone.post(f"/join{query}", data=data)


def players(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(Player.nickname)))


def cookie_attributes(response) -> set[str]:
    """The player cookie's attributes, without its value and its date."""
    parts = [part.strip() for part in response.headers["Set-Cookie"].split(";")]
    assert parts[0].startswith("fz_player=") and len(parts[0]) > 20
    return {part for part in parts[1:] if not part.startswith("Expires=")}


def test_the_plain_join_is_taken_without_flask_and_answered_as_the_view_answers(make_app, database_uri, reached):
    app = make_app(SQLALCHEMY_DATABASE_URI=database_uri, WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True)
    code = open_session(app)
    board = app.extensions["live_board"]
    with app.app_context():
        version = db.session.scalar(select(LiveSession.version).where(LiveSession.code == code))
    mark, counted = board.mark(), reached(app)

    phone, joined = joining(app, code, "  Ann  ")
    assert len(counted) == 1  # the join form (filled by the gate once the view has drawn it once)
    assert joined.status_code == 303 and joined.headers["Location"] == f"/play/{code}" and len(counted) == 1
    assert joined.headers["Cache-Control"] == "no-store" and "Content-Security-Policy" in joined.headers
    assert players(app) == ["Ann"]
    with app.app_context():  # in the lobby: the version is bumped (the host's list), the board moved at once
        assert db.session.scalar(select(LiveSession.version).where(LiveSession.code == code)) == version + 1
    assert board.mark() > mark
    assert "Ann" in phone.get(f"/play/{code}?lang=en").get_data(as_text=True)  # its cookie is its player's

    _bo, by_view = joining(app, code, "Bo", query="?lang=en")  # a query string: the view takes it
    assert by_view.status_code == 303 and len(counted) == 3  # (Ann's page, Bo's join; Bo's form was the gate's)
    assert cookie_attributes(joined) == cookie_attributes(by_view) == {
        f"Path=/play/{code}", "HttpOnly", "SameSite=Lax", "Max-Age=43200"}
    assert players(app) == ["Ann", "Bo"]


def test_the_joins_of_a_session_are_counted_with_the_views(make_app, reached):
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True, RATELIMIT_JOIN="3 per minute")
    code, other = open_session(app, 2)
    counted = reached(app)
    assert joining(app, code, "Ann", query="?lang=en")[1].status_code == 303  # the view counts one
    assert len(counted) == 2
    assert [joining(app, code, name)[1].status_code for name in ("Bo", "Cy")] == [303, 303]
    assert len(counted) == 2  # the gate took both and counted them
    refused = joining(app, code, "Di")[1]
    assert refused.status_code == 429 and len(counted) == 3  # the fourth: the view answers the limit
    assert players(app) == ["Ann", "Bo", "Cy"]
    assert joining(app, other, "Di")[1].status_code == 303  # another session's own count
    assert len(counted) == 4  # (its join form, drawn by the view the first time)


def test_an_address_that_spent_its_code_guesses_cannot_join(make_app, reached):
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True, RATELIMIT_CODE_GUESSES="2 per minute")
    code = open_session(app)
    wrong = "000000" if code != "000000" else "111111"
    counted = reached(app)
    assert [joining(app, wrong, "Ann")[1].status_code for _ in range(2)] == [404, 404]  # the view: failed guesses
    assert joining(app, code, "Ann")[1].status_code == 429 and players(app) == []
    assert len(counted) == 5  # every join reached the view; of the forms, the first of each code


def test_what_the_gate_cannot_take_reaches_the_view_with_its_reason(make_app, database_uri, reached):
    app = make_app(SQLALCHEMY_DATABASE_URI=database_uri, WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True)
    code = open_session(app)
    assert joining(app, code, "Ann")[1].status_code == 303
    counted = reached(app)
    forged = joining(app, code, "Bo", csrf_token="forged")[1]
    assert forged.status_code == 400 and len(counted) == 1
    long = joining(app, code, "B" * 61)[1]
    assert long.status_code == 400 and len(counted) == 2
    blank = joining(app, code, "   ")[1]
    assert blank.status_code == 400 and len(counted) == 3
    taken = joining(app, code, "ANN", query="")[1]
    assert taken.status_code == 409 and "nickname" in taken.get_data(as_text=True).lower() and len(counted) == 4
    with app.app_context():
        db.session.execute(LiveSession.__table__.update().values(phase="finished"))
        db.session.commit()
    finished = joining(app, code, "Cy")[1]
    assert finished.status_code == 409 and len(counted) == 5 and players(app) == ["Ann"]
