"""Test helpers: the test apps' settings, and test data (CTFd's gen_* as plain functions, to call inside
an app context). Test modules import these; nobody imports conftest."""

from __future__ import annotations

import os
import re
from datetime import timedelta

from sqlalchemy import update

from webapp.auth import service as auth_service
from webapp.catalog import get_catalog
from webapp.classroom import live as live_rules
from webapp.classroom import sessions
from webapp.extensions import db
from webapp.models import LiveSession, Organizer, utcnow

LOCALES = ("zh-Hans", "zh-Hant", "en")
# What every test app runs with unless a test says otherwise (make_app(**overrides) in conftest.py).
TEST_CONFIG = {"TESTING": True, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}


def content_dirs() -> dict:
    """FANGZHA_TEST_CONTENT=/some/root points the app at another content/ and quizzes/ (for drafting)."""
    root = os.environ.get("FANGZHA_TEST_CONTENT")
    return {"CONTENT_DIR": f"{root}/content", "QUIZ_DIR": f"{root}/quizzes"} if root else {}


def app_config(database_uri: str, **overrides) -> dict:
    """The settings of a test app: TEST_CONFIG on this database, with `overrides` on top."""
    return {**content_dirs(), **TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_uri, **overrides}


def organizer(username: str = "teacher", password: str = "pw") -> Organizer:
    return auth_service.create_organizer(username, password)


def first_quiz():
    return next(iter(get_catalog().quizzes.values()))


def live_session(organizer_id: int, quiz=None, scoring: str = "speed", time_limit: int | None = 20, count: int = 3):
    """A session in its lobby: returns (code, host_token)."""
    live, host_token = live_rules.create_session(organizer_id, quiz or first_quiz(), scoring, time_limit, count)
    return live.code, host_token


def move_deadline(code: str, seconds_from_now: float) -> None:
    """Put the open question's deadline in the past (negative) or the future, as a clock jump would."""
    db.session.execute(
        update(LiveSession).where(LiveSession.open_code == code).values(deadline=utcnow() + timedelta(seconds=seconds_from_now))
    )
    db.session.commit()


def questions(code: str):
    """The session's questions in play order (with their answer keys: for tests only)."""
    return sessions.questions_of(sessions.get_session(code))


def hall(app, *names: str, time_limit: int = 20, csrf: bool = False):
    """A two-question session in its lobby and one phone (a test client keeping its cookie) per name:
    (code, the host's Bearer header, phones). With `csrf` (an app that checks it), each phone's join form
    is sent with its token."""
    with app.app_context():
        live, host_token = live_rules.create_session(
            organizer().id, app.extensions["catalog"].quizzes["elderly-basics"], time_limit=time_limit, count=2,
        )
        code = live.code
    phones = [app.test_client() for _ in names]
    for phone, name in zip(phones, names):
        fields = {"code": code, "nickname": name}
        if csrf:
            page = phone.get(f"/join?code={code}").get_data(as_text=True)
            fields["csrf_token"] = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        assert phone.post("/join", data=fields).status_code == 303
    return code, {"Authorization": f"Bearer {host_token}"}, phones
