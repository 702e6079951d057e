"""Organizer accounts: plain values in, Organizer rows out."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import DISPLAY_NAME_MAX, ORGANIZATION_MAX, Organizer

USERNAME_MAX = 40
PASSWORD_MIN = 8
# Checked when the username is unknown, so a wrong name costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class UsernameTaken(Exception):
    """Another organizer already has this username (compared case-insensitively)."""


def clean_username(raw: str | None) -> str:
    return " ".join((raw or "").split())


def find(username: str) -> Organizer | None:
    return db.session.scalar(select(Organizer).where(func.lower(Organizer.username) == clean_username(username).lower()))


def clean_text(raw: str | None, limit: int) -> str:
    """One line, inner whitespace collapsed, cut at `limit` characters (the column's length)."""
    return " ".join((raw or "").split())[:limit]


def create_organizer(username: str, password: str, display_name: str = "", organization: str = "") -> Organizer:
    username = clean_username(username)
    if not username or len(username) > USERNAME_MAX or not password:
        raise ValueError("username and password are required")
    if find(username) is not None:
        raise UsernameTaken(username)
    organizer = Organizer(
        username=username, password_hash=generate_password_hash(password),
        display_name=clean_text(display_name, DISPLAY_NAME_MAX), organization=clean_text(organization, ORGANIZATION_MAX),
    )
    db.session.add(organizer)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise UsernameTaken(username) from None
    return organizer


def authenticate(username: str, password: str) -> Organizer | None:
    organizer = find(username)
    if organizer is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    return organizer if check_password_hash(organizer.password_hash, password or "") else None


def update_profile(organizer: Organizer, display_name: str, organization: str) -> Organizer:
    organizer.display_name = clean_text(display_name, DISPLAY_NAME_MAX)
    organizer.organization = clean_text(organization, ORGANIZATION_MAX)
    db.session.commit()
    return organizer
