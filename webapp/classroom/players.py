"""The player's cookie on the play pages (HTML), shared by live sessions and outreach events: HttpOnly,
sent only to that session's /play/<code> pages, so reopening the page resumes the game."""

from __future__ import annotations

from flask import Response, current_app, request, url_for

from ..errors import DomainError
from ..models import LiveSession, Player
from ..ratelimits import joins_per_session
from . import sessions
from .codes import normalise_code

PLAYER_COOKIE = "fz_player"
PLAYER_COOKIE_AGE = 12 * 3600


join_limit = joins_per_session(normalise_code)  # successful joins per session (webapp/ratelimits.py)

def play_path(code: str) -> str:
    return url_for("classroom.play", code=code)


def set_play_cookie(response: Response, code: str, name: str, value: str) -> None:
    response.set_cookie(
        name, value, max_age=PLAYER_COOKIE_AGE, path=play_path(code),
        httponly=True, samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )


def set_player_cookie(response: Response, code: str, token: str) -> None:
    set_play_cookie(response, code, PLAYER_COOKIE, token)


def forget_player(response: Response, code: str) -> None:
    response.delete_cookie(PLAYER_COOKIE, path=play_path(code))


def current_player(live: LiveSession) -> tuple[Player | None, DomainError | None]:
    """The player of this request's cookie, or why there is none."""
    try:
        return sessions.player_by_token(live, request.cookies.get(PLAYER_COOKIE)), None
    except DomainError as error:
        return None, error
