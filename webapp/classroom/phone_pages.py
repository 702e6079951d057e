"""A phone's join form and lobby page, drawn once for a hall and filled in for each phone.

At an assembly a thousand phones join within seconds, and each then loads its play page: the lobby. Drawn
whole, that page cost a worker about 6 ms, half of it the templates, yet only two things on it are the
phone's own: the player's nickname and the CSRF token classroom.js sends the answers with. So the lobby is
drawn once per session, language and text size in each process, with a hole for each of those two
(`Holed`), and filled for every phone: by the view, and by the gate before Flask
(classroom/gate.py, `quick_lobby`) when the request is the plain case: a player of the open session, a
Flask session that already holds the CSRF secret (the join form put it there), no flashed message, no
organizer signed in. The lobby's page changes only with the poll interval the session's size sets (the
phone's data-poll-ms and its no-JS refresh): that interval is the drawing's `version`.

The join form the QR code opens (/join?code=…) is the same: the same for every phone of the hall but its CSRF
token. The view draws it per app, code, language and text size; the gate fills it (`quick_join_form`), and
when the phone has no Flask session yet, gives it one holding the CSRF secret, as the view would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

from flask import session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy import Connection, bindparam, select

from ..extensions import db
from ..models import LiveSession, Phase, Player
from . import codes, queries
from .codes import hash_token
from .phone import SharedBodies, page_validator

_HOLE = re.compile("\ue000(nickname|csrf)\ue001")  # private-use characters: never in a template or a translation
HOLES = {name: Markup(f"\ue000{name}\ue001") for name in ("nickname", "csrf")}


class Holed(NamedTuple):
    version: int  # what the drawing changes with: the lobby's poll interval
    parts: tuple[str, ...]  # text, hole name, text, hole name, … text

    @classmethod
    def of(cls, version: int, html: str) -> Holed:
        return cls(version, tuple(_HOLE.split(html)))

    def fill(self, nickname: str, csrf: str) -> str:
        values = {"nickname": str(escape(nickname)), "csrf": str(escape(csrf))}
        parts = list(self.parts)
        parts[1::2] = [values[name] for name in parts[1::2]]
        return "".join(parts)


lobby_pages = SharedBodies()


def plain_request() -> bool:
    """Whether this request's page can be a filled drawing: no flashed message to show (the drawing has
    none), no organizer signed in (the drawing's header is a player's)."""
    return "_flashes" not in session and not session.get("organizer_id")


def key(database: str, session_id: int, lang: str, large_text: bool) -> tuple:
    return (database, session_id, lang, large_text)


def lobby(live: LiveSession, player: Player, lang: str, large_text: bool, draw: Callable[[int], str]) -> str:
    """This player's lobby page, filled from the process's drawing; the view's road, for the plain request.
    `draw(poll_ms)` renders the page with HOLES, polling at that interval: once per interval."""
    poll_ms = codes.poll_ms(queries.player_count(live))
    drawn = lobby_pages.drawn(key(str(db.engine.url), live.id, lang, large_text), poll_ms,
                              lambda: Holed.of(poll_ms, draw(poll_ms)))
    return drawn.fill(player.nickname, generate_csrf())


@cache
def _lobby_query(dialect: str):
    """Core, built once: the open session with a code, the nickname of its player with a token (unless
    removed), and how many players it has (which sets the poll interval)."""
    live, mine = LiveSession.__table__, Player.__table__.alias("mine")
    joined = ((mine.c.live_session_id == live.c.id) & (mine.c.token_hash == bindparam("token_hash"))
              & mine.c.removed_at.is_(None))
    return (
        select(live.c.id, live.c.phase, live.c.self_paced, mine.c.nickname, queries.player_count_column())
        .outerjoin(mine, joined).where(live.c.open_code == bindparam("code"))
    )


def quick_lobby(flask_app, environ: dict, connection: Connection, database: str, code: str, token: str,
                lang: str, large_text: bool) -> tuple[str, str] | None:
    """The lobby page of this phone filled from this process's drawing, and its Last-Modified; None when the
    view must draw it (not the lobby, no such player, not yet drawn here, not the plain request, a session
    without a CSRF secret yet: the view sets the cookie that holds it)."""
    query = _lobby_query(connection.dialect.name)
    row = connection.execute(query, {"code": code, "token_hash": hash_token(token)}).first()
    if row is None or row.phase != Phase.LOBBY or row.self_paced or row.nickname is None:
        return None
    drawn = lobby_pages.get(key(database, row.id, lang, large_text))
    if drawn is None or drawn.version != codes.poll_ms(row[-1]):
        return None
    with flask_app.request_context(environ):
        if not plain_request() or flask_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") not in session:
            return None
        return drawn.fill(row.nickname, generate_csrf()), page_validator(row.id, "L", lang, large_text)


JOIN_QUERY = re.compile(r"code=(\d{6})")  # the address the QR code and the host screen give


def join_forms(app) -> SharedBodies:
    """The join forms drawn in this process for `app` (an app's own: its CSRF setting is in the form)."""
    return app.extensions.setdefault("join_forms", SharedBodies())


def join_form(app, code: str, lang: str, large_text: bool, draw: Callable[[str], str]) -> str:
    """The join form of this code filled with this request's CSRF token; `draw(hole)` renders it with the
    token's hole, once per code, language and text size."""
    drawn = join_forms(app).drawn((code, lang, large_text), 0, lambda: Holed.of(0, draw(HOLES["csrf"])))
    return drawn.fill("", generate_csrf())


def quick_join_form(flask_app, environ: dict, code: str, lang: str, large_text: bool) -> tuple[str, list[str]] | None:
    """The join form of this code filled for this phone, and the Set-Cookie headers of the Flask session
    that holds its CSRF secret when the phone had none; None when the view must draw it (not drawn here
    yet, or not the plain request)."""
    drawn = join_forms(flask_app).get((code, lang, large_text))
    if drawn is None:
        return None
    with flask_app.request_context(environ) as context:
        if not plain_request():
            return None
        html = drawn.fill("", generate_csrf())
        cookies = []
        if session.modified:  # a new secret: the cookie the view's response would set
            response = flask_app.response_class()
            flask_app.session_interface.save_session(flask_app, context.session, response)
            cookies = response.headers.getlist("Set-Cookie")
        return html, cookies
