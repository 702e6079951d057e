"""Who gets a certificate: the players whose share of right answers reaches the organizer's pass mark."""

from __future__ import annotations

from ..extensions import db
from ..models import Organizer
from .results import Standing

DEFAULT_PASS_MARK = 60  # percent of the questions answered right


def pass_mark(raw: str | None) -> int:
    """The pass mark from `?pass=` (a whole percent, 0 to 100); the default when missing or not a number."""
    try:
        value = int((raw or "").strip().rstrip("%"))
    except ValueError:
        return DEFAULT_PASS_MARK
    return min(max(value, 0), 100)


def passed(standings: list[Standing], total: int, mark: int) -> list[Standing]:
    """The standings at or above `mark` percent right, in ranking order. With no questions nobody passes."""
    if total <= 0:
        return []
    return [s for s in standings if 100 * s.right >= mark * total]


def signed_by(organizer_id: int) -> tuple[str, str]:
    """(display name, school or organization) for the certificate's signature: never the login handle."""
    organizer = db.session.get(Organizer, organizer_id)
    return (organizer.display_name, organizer.organization) if organizer else ("", "")
