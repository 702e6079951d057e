"""Test data helpers (CTFd's gen_* as plain functions). Call them inside an app context."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from webapp.auth import service as auth_service
from webapp.catalog import get_catalog
from webapp.classroom import live as live_rules
from webapp.classroom import sessions
from webapp.extensions import db
from webapp.models import LiveSession, Organizer, utcnow


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
