"""Pure helpers for live sessions: join codes, tokens, nicknames and points. No Flask, no database."""

from __future__ import annotations

import hashlib
import re
import secrets

CODE_LENGTH = 6
NICKNAME_MAX = 20
MAX_POINTS = 1000
SCORINGS = ("speed", "accuracy")
TIME_LIMITS = (10, 20, 30, 60)  # seconds; 0 / None means untimed
# How often a page polls a live session, by its number of players: (up to this many players, milliseconds).
# A class polls every 2 s; a hall of 1,000 phones polling every 2 s would be 500 requests a second for
# nothing to see (a phase change reaches them at most a poll later).
POLL_STEPS = ((300, 2000), (800, 3000), (1500, 4000))
POLL_MAX_MS = 5000


def new_code() -> str:
    """Six digits from the system's CSPRNG (leading zeros kept)."""
    return f"{secrets.randbelow(10 ** CODE_LENGTH):0{CODE_LENGTH}d}"


def normalise_code(raw: str | None) -> str | None:
    """'123 456' or ' 123456 ' -> '123456'; anything that is not six digits -> None."""
    if raw is None:
        return None
    digits = re.sub(r"[\s-]", "", str(raw))
    return digits if len(digits) == CODE_LENGTH and digits.isascii() and digits.isdigit() else None


def new_token() -> str:
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def clean_nickname(raw: str | None) -> str | None:
    """Trimmed, inner runs of white space collapsed; None unless 1-20 characters remain."""
    if raw is None:
        return None
    nickname = " ".join(str(raw).split())
    if not 1 <= len(nickname) <= NICKNAME_MAX or any(not ch.isprintable() for ch in nickname):
        return None
    return nickname


def nickname_key(nickname: str) -> str:
    """Two nicknames clash when they differ only in case."""
    return nickname.casefold()


def points_for(correct: bool, scoring: str, time_limit: int | None, remaining: float | None) -> int:
    """Accuracy: 1000 per right answer. Speed: at least half of 1000, more the faster; always in [0, 1000].

    `remaining` is measured on the server's clock only. Untimed questions have no speed to reward.
    """
    if not correct:
        return 0
    if scoring != "speed" or not time_limit or remaining is None:
        return MAX_POINTS
    share = min(max(remaining, 0.0), float(time_limit)) / time_limit
    return max(0, min(MAX_POINTS, round(MAX_POINTS * (0.5 + 0.5 * share))))


def csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a nickname as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def poll_ms(players: int) -> int:
    """The interval pages poll at for a session of this many players (POLL_STEPS)."""
    return next((ms for limit, ms in POLL_STEPS if players <= limit), POLL_MAX_MS)
