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

import math
import re
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

from flask import session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy import Connection, bindparam, select

from ..extensions import db
from ..page_cache import Filled, Spliced
from ..models import Answer, LiveSession, Phase, Player
from . import codes, phone, queries, results
from . import live as live_rules
from .codes import hash_token
from .phone import SharedBodies, page_validator

_HOLE = re.compile("\ue000([a-z]+)\ue001")  # private-use characters: never in a template or a translation
ME_TEXT = ("strip", "gained", "rank", "final")  # a player's own lines (phone.mine)
HOLES = {name: Markup(f"\ue000{name}\ue001") for name in ("nickname", "csrf", *ME_TEXT, "remaining", "seconds")}
OWN_HOLES = {name: HOLES[name] for name in ("nickname", "csrf")}  # a lobby's and a join form's
PAGE_HOLES = {name: HOLES[name] for name in ("nickname", "csrf", "remaining", "seconds")}  # a step's, but `me`


class Holed(NamedTuple):
    version: int  # what the drawing changes with: the lobby's poll interval
    parts: tuple[str, ...]  # text, hole name, text, hole name, … text
    spliced: Spliced  # the texts between the holes, compressed once (a filled copy's gzip body costs no deflate)

    @classmethod
    def of(cls, version: int, html: str) -> Holed:
        parts = tuple(_HOLE.split(html))
        return cls(version, parts, Spliced([text.encode() for text in parts[0::2]]))

    def fill(self, **values: str) -> Filled:
        parts = list(self.parts)
        parts[1::2] = fillings = [str(escape(values[name])) for name in parts[1::2]]
        return Filled("".join(parts), self.spliced, fillings)


lobby_pages = SharedBodies()


def plain_request() -> bool:
    """Whether this request's page can be a filled drawing: no flashed message to show (the drawing has
    none), no organizer signed in (the drawing's header is a player's)."""
    return "_flashes" not in session and not session.get("organizer_id")


def plain_request_with_secret(flask_app) -> bool:
    """plain_request, and the Flask session already holds the CSRF secret (else the view sets the cookie)."""
    return plain_request() and flask_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in session


def key(database: str, session_id: int, lang: str, large_text: bool) -> tuple:
    return (database, session_id, lang, large_text)


def lobby(live: LiveSession, player: Player, lang: str, large_text: bool, draw: Callable[[int], str]) -> str:
    """This player's lobby page, filled from the process's drawing; the view's road, for the plain request.
    `draw(poll_ms)` renders the page with HOLES, polling at that interval: once per interval."""
    poll_ms = codes.poll_ms(queries.player_count(live))
    drawn = lobby_pages.drawn(key(str(db.engine.url), live.id, lang, large_text), poll_ms,
                              lambda: Holed.of(poll_ms, draw(poll_ms)))
    return drawn.fill(nickname=player.nickname, csrf=generate_csrf())


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
        if not plain_request_with_secret(flask_app):
            return None
        return drawn.fill(nickname=row.nickname, csrf=generate_csrf()), page_validator(row.id, "L", lang, large_text)


JOIN_QUERY = re.compile(r"code=(\d{6})")  # the address the QR code and the host screen give


def join_forms(app) -> SharedBodies:
    """The join forms drawn in this process for `app` (an app's own: its CSRF setting is in the form)."""
    return app.extensions.setdefault("join_forms", SharedBodies())


def join_form(app, code: str, lang: str, large_text: bool, draw: Callable[[str], str]) -> str:
    """The join form of this code filled with this request's CSRF token; `draw(hole)` renders it with the
    token's hole, once per code, language and text size."""
    drawn = join_forms(app).drawn((code, lang, large_text), 0, lambda: Holed.of(0, draw(HOLES["csrf"])))
    return drawn.fill(csrf=generate_csrf())


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
        html = drawn.fill(csrf=generate_csrf())
        cookies = []
        if session.modified:  # a new secret: the cookie the view's response would set
            response = flask_app.response_class()
            flask_app.session_interface.save_session(flask_app, context.session, response)
            cookies = response.headers.getlist("Set-Cookie")
        return html, cookies


# -- the play page at a question, a reveal, the end --------------------------------------------------------
# A phone without JavaScript loads its play page at every step (its refresh), and after each answer it sends.
# Drawn whole that is about 10 ms of a worker; the same page for every player of the step but their own
# lines, which `me` sets. So a step's page is drawn once per variant (what `me` changes in the page's shape:
# answered or not, which feedback, whether a rank or final line shows) with holes for the player's own lines,
# nickname, CSRF token and the seconds left; the view fills it, and so does the gate (`quick_page`) from the
# step's shared drawing (phone.shared: every player's nickname and `me`).

step_pages = SharedBodies(256)


def variant(me: dict) -> tuple:
    """What of a player's `me` a play page's drawing depends on (everything else in `me` is a hole)."""
    text = me["text"]
    return me["answered"], me["feedback"], bool(text["rank"]), bool(text["final"])


def step_key(database: str, session_id: int, step: str, lang: str, large_text: bool, me: dict) -> tuple:
    return (database, session_id, step, lang, large_text, variant(me))


def fill_page(drawn: Holed, nickname: str, csrf: str, me: dict, remaining: float | None) -> str:
    """A step's drawing filled for one player (`remaining`: the open question's seconds left, if timed)."""
    values = {**me["text"], "nickname": nickname, "csrf": csrf}
    if remaining is not None:
        values |= {"remaining": str(remaining), "seconds": str(math.ceil(remaining))}
    return drawn.fill(**values)


def step_page(live: LiveSession, nickname: str, me: dict, lang: str, large_text: bool,
              draw: Callable[[dict, dict], str]) -> str:
    """This player's page at a question, reveal or the end (`me`: phone.me), filled from the process's drawing
    of its variant; the view's road, for the plain request. `draw(me, holes)` renders it with holes. The step's
    shared drawing is made too (phone.shared), so that the gate can fill the next phones' pages itself."""
    phone.shared(live)
    step = live_rules.phone_step(live.phase, live.question_index)
    key = step_key(str(db.engine.url), live.id, step, lang, large_text, me)
    holed = {**me, "text": {name: HOLES[name] for name in ME_TEXT}}
    drawn = step_pages.drawn(key, live.version, lambda: Holed.of(live.version, draw(holed, PAGE_HOLES)))
    timed = live.phase == Phase.QUESTION and live.deadline is not None
    return fill_page(drawn, nickname, generate_csrf(), me, results.seconds_left(live) if timed else None)


@cache
def _points_query(dialect: str):
    """Core, built once: the points of one player's answer (by token hash) to one question of a session."""
    answer, player = Answer.__table__, Player.__table__
    return (
        select(answer.c.points).join(player, player.c.id == answer.c.player_id)
        .where(player.c.live_session_id == bindparam("session_id"), player.c.token_hash == bindparam("token_hash"),
               answer.c.question_index == bindparam("index"))
    )


def quick_page(flask_app, environ: dict, connection: Connection, database: str, look: live_rules.Look, token: str,
               lang: str, large_text: bool) -> tuple[str, str] | None:
    """The play page of this phone at a question, reveal or the end (`look`: where the session is), filled from
    this process's drawings, and its Last-Modified; None when the view must draw it: the step or this variant
    not drawn here yet at this version, a player the drawing did not know, a reveal where this player had no
    answer (one that came too late may have come since), not the plain request."""
    token_hash = hash_token(token)
    shared = phone.shared_bodies.get((database, look.session_id, look.step, lang))
    own = shared.players.get(token_hash) if shared is not None and shared.version == look.version else None
    if own is None or own.me["feedback"] == "none":
        return None
    points = None
    if look.step.startswith("Q"):
        points = connection.execute(_points_query(connection.dialect.name), {
            "session_id": look.session_id, "token_hash": token_hash, "index": int(look.step[1:])}).scalar()
    with flask_app.request_context(environ):
        if not plain_request_with_secret(flask_app):
            return None
        me = phone.answered(own.me, points) if points is not None else own.me
        drawn = step_pages.get(step_key(database, look.session_id, look.step, lang, large_text, me))
        if drawn is None or drawn.version != look.version:
            return None
        html = fill_page(drawn, own.nickname, generate_csrf(), me, look.seconds_left)
        return html, page_validator(look.session_id, phone.page_step(look.step, me["answered"]), lang, large_text)
