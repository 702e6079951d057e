"""Test helpers: the test apps' settings, and test data (CTFd's gen_* as plain functions, to call inside
an app context). Test modules import these; nobody imports conftest."""

from __future__ import annotations

import os
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
