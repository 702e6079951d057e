"""Database models (SQLAlchemy 2.0 style)."""

from __future__ import annotations

from datetime import date as calendar_date
from datetime import datetime
from enum import StrEnum

from flask import Flask
from sqlalchemy import JSON, Date, ForeignKey, String, UniqueConstraint, event, false
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .types import UTCDateTime, utcnow

__all__ = ["Answer", "Event", "LateAnswer", "LiveSession", "Organizer", "Phase", "Player", "QuizStep", "UTCDateTime", "utcnow"]

DISPLAY_NAME_MAX = 40
ORGANIZATION_MAX = 80


class Organizer(db.Model):
    """A teacher or community worker who hosts live sessions and outreach events."""

    __tablename__ = "organizer"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Shown on certificates instead of the login handle; both optional, as typed, always escaped on output.
    display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX), default="", server_default="")
    organization: Mapped[str] = mapped_column(String(ORGANIZATION_MAX), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def init_app(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            engine: Engine = db.engine
            event.listen(engine, "connect", _sqlite_pragmas)


class QuizStep(db.Model):
    """That step N of a solo quiz run was answered: nothing else, so a replayed answer is refused."""

    __tablename__ = "quiz_step"
    __table_args__ = (UniqueConstraint("run_id", "step"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[str] = mapped_column(String(32))
    step: Mapped[int]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# -- live class sessions (webapp/classroom) ------------------------------------------------------


class Phase(StrEnum):
    """The states of a live session, in order: lobby → (question → reveal)* → finished. Stored as the
    plain string (a StrEnum member is one), so the column and the JSON state stay as they were."""

    LOBBY = "lobby"
    QUESTION = "question"
    REVEAL = "reveal"
    FINISHED = "finished"


class LiveSession(db.Model):
    """A quiz hosted live by an organizer; the database is the only shared state between workers."""

    __tablename__ = "live_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), index=True)
    # The code while the session is open, NULL once finished: unique, so no two open sessions share one.
    open_code: Mapped[str | None] = mapped_column(String(6), unique=True)
    quiz_id: Mapped[str] = mapped_column(String(80))  # a file id in quizzes/, not a foreign key
    content_hash: Mapped[str] = mapped_column(String(64))  # of the questions as played
    question_ids: Mapped[list[str]] = mapped_column(JSON)  # order fixed at start
    organizer_id: Mapped[int] = mapped_column(ForeignKey("organizer.id", ondelete="CASCADE"), index=True)
    host_token_hash: Mapped[str] = mapped_column(String(64))
    scoring: Mapped[str] = mapped_column(String(10), default="speed")  # "speed" | "accuracy"
    # Self-paced (an outreach event): no host drives it; each player is at their own question.
    self_paced: Mapped[bool] = mapped_column(default=False, server_default=false())
    time_limit: Mapped[int | None]  # seconds per question; None: untimed, the host reveals
    phase: Mapped[str] = mapped_column(String(10), default=Phase.LOBBY)
    question_index: Mapped[int | None]
    question_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    players: Mapped[list["Player"]] = relationship(
        back_populates="live_session", cascade="all, delete-orphan", passive_deletes=True
    )


class Player(db.Model):
    """Someone who joined a live session with a nickname; known by a random token kept hashed."""

    __tablename__ = "player"
    __table_args__ = (UniqueConstraint("live_session_id", "nickname_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    live_session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id", ondelete="CASCADE"), index=True)
    nickname: Mapped[str] = mapped_column(String(20))  # as typed; always escaped on output
    nickname_key: Mapped[str | None] = mapped_column(String(80))  # casefolded; NULL once removed
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A paper quiz sheet typed in by the organizer of an outreach event: its token is never handed out.
    paper: Mapped[bool] = mapped_column(default=False, server_default=false())
    live_session: Mapped[LiveSession] = relationship(back_populates="players")


class Answer(db.Model):
    """One player's answer to one question: the unique constraint makes a retried POST count once."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("player_id", "question_index"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    player_id: Mapped[int] = mapped_column(ForeignKey("player.id", ondelete="CASCADE"), index=True)
    question_index: Mapped[int]
    choice: Mapped[list[int]] = mapped_column(JSON)
    correct: Mapped[bool]
    points: Mapped[int] = mapped_column(default=0)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LateAnswer(db.Model):
    """An answer that reached the server after its question closed: not scored, but kept as a fact, so the
    player is told their answer came too late (not that they sent none) and the host sees how many did.
    Unique like Answer, so a phone re-sending it counts once."""

    __tablename__ = "late_answer"
    __table_args__ = (UniqueConstraint("player_id", "question_index"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    player_id: Mapped[int] = mapped_column(ForeignKey("player.id", ondelete="CASCADE"), index=True)
    question_index: Mapped[int]
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# -- outreach events (webapp/outreach) -----------------------------------------------------------


class Event(db.Model):
    """A "five-into" outreach event: what, where and when, played as a self-paced session."""

    __tablename__ = "event"
    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int] = mapped_column(ForeignKey("organizer.id", ondelete="CASCADE"), index=True)
    live_session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(12))  # school | enterprise | community | village | family
    place: Mapped[str] = mapped_column(String(100))  # as typed; always escaped on output
    date: Mapped[calendar_date] = mapped_column(Date)
    audience: Mapped[str] = mapped_column(String(100), default="")
    quiz_id: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    live_session: Mapped[LiveSession] = relationship()
