"""What the players' pages (HTML) of live sessions and outreach events share: the player's cookie
(HttpOnly, sent only to that session's /play/<code> pages, so reopening the page resumes the game),
the "no such session" and "session over" pages, and the hook through which webapp/outreach draws
/play/<code> of a self-paced session without classroom/ importing outreach/."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, render_template, request, url_for

from sqlalchemy import select
from werkzeug.http import dump_cookie

from .. import clock
from ..errors import DomainError, message
from ..extensions import db
from ..models import LiveSession, Player
from ..ratelimits import joins_per_session
from . import sessions
from .codes import hash_token, normalise_code
from .forms import JoinForm

PlayPage = Callable[[LiveSession, "Player | None"], Response]
_self_paced_page: list[PlayPage] = []

PLAYER_COOKIE = "fz_player"
PLAYER_COOKIE_AGE = 12 * 3600
join_limit = joins_per_session(normalise_code)  # successful joins per session (webapp/ratelimits.py)

def play_path(code: str) -> str:
    return url_for("classroom.play", code=code)


def set_play_cookie(response: Response, code: str, name: str, value: str) -> None:
    response.headers.add("Set-Cookie", play_cookie(current_app, play_path(code), name, value))


def play_cookie(flask_app, path: str, name: str, value: str) -> str:
    """The Set-Cookie of a player's cookie under its play page's path (the view's, and the gate's join)."""
    return dump_cookie(name, value, max_age=PLAYER_COOKIE_AGE, path=path, httponly=True, samesite="Lax",
                       secure=flask_app.config.get("SESSION_COOKIE_SECURE", False))


def set_player_cookie(response: Response, code: str, token: str) -> None:
    set_play_cookie(response, code, PLAYER_COOKIE, token)


def forget_player(response: Response, code: str) -> None:
    response.delete_cookie(PLAYER_COOKIE, path=play_path(code))


def session_and_player(raw_code: str) -> tuple[LiveSession | None, Player | None, DomainError | None]:
    """The session with this code, the player of this request's cookie (or why there is none), and the
    database's time for clock.now(): one query for the commonest case, an open session and a cookie (a
    phone's answer, a phone's poll); find_session and current_player otherwise."""
    code, token = normalise_code(raw_code), request.cookies.get(PLAYER_COOKIE)
    if code is not None and token:
        mine = (Player.live_session_id == LiveSession.id) & (Player.token_hash == hash_token(token))
        row = db.session.execute(
            select(LiveSession, Player, clock.now_column()).outerjoin(Player, mine).where(LiveSession.open_code == code)
        ).first()
        if row is not None:
            live, player, now = row
            clock.remember(now)
            if player is None:
                return live, None, sessions.refused("bad_token", 401)
            if player.removed_at is not None:
                return live, None, sessions.refused("removed", 403)
            return live, player, None
    live = sessions.find_session(raw_code)
    if live is None:
        return None, None, None
    return (live, *current_player(live))


def current_player(live: LiveSession) -> tuple[Player | None, DomainError | None]:
    """The player of this request's cookie, or why there is none."""
    try:
        return sessions.player_by_token(live, request.cookies.get(PLAYER_COOKIE)), None
    except DomainError as error:
        return None, error


def bad_code_page(code: str):
    return render_template("classroom/join.html", form=JoinForm(code=code), error=message("classroom", "bad_code")), 404


def gone_page(live: LiveSession, reason: str = "finished", status: int = 200):
    return render_template("classroom/gone.html", live=live, message=message("classroom", reason)), status


def self_paced_play_page(view: PlayPage) -> PlayPage:
    """Register the GET /play/<code> page of self-paced sessions (outreach/player.py does, on import)."""
    _self_paced_page[:] = [view]
    return view


def self_paced_page() -> PlayPage | None:
    return _self_paced_page[0] if _self_paced_page else None
