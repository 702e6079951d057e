"""A phone's poll answered before Flask when nothing has changed.

Most requests of a live session are phones asking /play/<code>/state whether the step their page
shows (live.phone_step) is still the session's. When it is, the answer is an empty 304, and the whole Flask stack (the
session cookie, the locale, the hooks) would cost several times the one small query that decides it.
This WSGI layer answers those itself: the request must carry the ETag the page was given, ask for the
language that ETag was drawn in, and the session's phone step must still match (live.quick_look, on a
connection of the app's own engine). When the step has moved on to a question or a reveal this
process has already drawn (phone.shared_bodies), the poll gets that shared body too, without Flask: a
question needs nothing of the player's own (a player the host removed learns it at the reveal, or from
the refusal of an answer); a reveal's own parts were drawn for every player at once, and the cookie's
token picks this one. Anything else (no player cookie, a question past its deadline, a version moved by
a removal, a player the drawing did not know, the end) goes to the view.

A phone's join with the form is taken here when it is the plain case (classroom/quick_join.py), and a
phone's answer as classroom.js or the form without JavaScript sends it too, when it is the
plain case (classroom/quick_answer.py): an open question, in time, from a player still playing, with a good
CSRF token. A phone without JavaScript that reloads its play page with the Last-Modified it was given gets a
304 while the lobby, its answered question, a reveal or the end lasts (phone.page_validator). And the join form
and the lobby page, the same for a whole hall but a few holes, are filled here once the view has drawn them
(classroom/phone_pages.py)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_cookie

from .. import i18n, page_cache
from ..extensions import db
from ..security import SECURITY_HEADERS
from . import live as live_rules
from . import board, phone, phone_pages, quick_answer, quick_join
from .codes import hash_token
from ..views_common import TEXT_SIZE_COOKIE
from .players import PLAYER_COOKIE

_POLL_PATH = re.compile(r"/play/(\d{6})/state")
_PAGE_PATH = re.compile(r"/play/(\d{6})")
# the ETag the page wrote, or as Flask-Compress rewrote it for a gzipped body (browsers send back what they got)
_POLL_TAG = re.compile(r'(?:W/)?"(([LF]|[QR]\d+)-([A-Za-z-]+)-(?::gzip)?)"')

_PAGE_HEADERS = (("Cache-Control", "no-cache, private"), *SECURITY_HEADERS)
# A sighting is asked again after this long even when the board has not moved: writes the board cannot see
# (another host, raw SQL) are then seen within it.
MAX_AGE = 2.0
SIGHTINGS_KEPT = 256
# Kept open between polls: a worker's threads (gunicorn.conf.py) and then some. They are checked out of the
# engine's pool, which the views share (SQLAlchemy's default: 5 + 10 overflow): holding more would leave the
# views waiting for a connection (tried: 32 with 16 threads, views timed out after 30 s).
IDLE_CONNECTIONS = 8
WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
T = TypeVar("T")


def request_tag(environ: dict, cookies) -> str:
    """The language the app would answer this request in (a poll carries no ?lang=): cookie, then browser."""
    accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE", ""), LanguageAccept)
    return i18n.to_tag(i18n.pick_locale(i18n.parse(cookies.get(i18n.LANGUAGE_COOKIE)), accepted.values()))


POLL_HEADER = "X-Poll-Ms"


def lobby_poll_header(database: str, look: live_rules.Look, lang: str) -> list[tuple[str, str]]:
    """On a lobby's 304: the interval the lobby polls at now (its latest drawing's, set by the session's size,
    phone_pages.lobby), so that the first phones of a hall, whose pages were drawn at 2 s, slow down as it
    fills; a 304 has no body to carry it. Nothing when this process has not drawn that lobby."""
    for large_text in (False, True):
        if (drawn := phone_pages.lobby_pages.get(phone_pages.key(database, look.session_id, lang, large_text))) is not None:
            return [(POLL_HEADER, str(drawn.version))]
    return []


class PollGate:
    def __init__(self, app: WSGIApp, flask_app):
        self.app, self.flask_app = app, flask_app
        self.session_cookie = flask_app.config["SESSION_COOKIE_NAME"]
        self.engine = None  # the app's, taken at the first poll (in the worker process, after any fork)
        self.database = ""
        self.lock, self.idle = threading.Lock(), []  # open connections between polls
        self.board: board.Board | None = None  # the app's (classroom/board.py), taken at the first look
        self.sightings: dict[str, tuple[int, live_rules.Sighting]] = {}  # code -> (board's mark, last sighting)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if quick_answer.is_quick_answer(environ):
            code = quick_answer.answer_code(environ)
            taken = self._on_connection(lambda connection: quick_answer.take(
                environ, self.flask_app, connection, lambda: self._look(code, connection)))
            if taken is None:
                return self.app(environ, start_response)  # anything but the plain case: the view
            if quick_answer.wants_json(environ):
                return self._reply(environ, start_response, "200 OK", None, taken)
            # a form without JavaScript: back to its play page, as the view does
            return self._see_other(environ, start_response, [("Location", quick_answer.play_page(environ))])
        if quick_join.is_quick_join(environ):
            headers = self._on_connection(lambda connection: quick_join.take(environ, self.flask_app, connection))
            if headers is None:
                return self.app(environ, start_response)  # anything but the plain case: the view
            return self._see_other(environ, start_response, headers)
        if environ["REQUEST_METHOD"] == "GET" and not environ.get("QUERY_STRING"):
            if (page := _PAGE_PATH.fullmatch(environ.get("PATH_INFO", ""))) is not None:
                return self._page(page.group(1), environ, start_response)
        if environ["REQUEST_METHOD"] == "GET" and environ.get("PATH_INFO") == "/join":
            if (join := phone_pages.JOIN_QUERY.fullmatch(environ.get("QUERY_STRING", ""))) is not None:
                return self._join_form(join.group(1), environ, start_response)
        if environ["REQUEST_METHOD"] == "GET" and not environ.get("QUERY_STRING"):
            path = _POLL_PATH.fullmatch(environ.get("PATH_INFO", ""))
            tag = path and _POLL_TAG.fullmatch(environ.get("HTTP_IF_NONE_MATCH", "").strip())
            cookies = parse_cookie(environ) if tag else {}
            if tag and tag.group(3) == request_tag(environ, cookies) and PLAYER_COOKIE in cookies:
                code, lang = path.group(1), tag.group(3)
                look = self._look(code)
                if look is not None and look.step == tag.group(2):  # the same ETag back, as the browser sent it
                    extra = lobby_poll_header(self.database, look, lang) if look.step == "L" else []
                    return self._reply(environ, start_response, "304 Not Modified", f'"{tag.group(1)}"', b"", extra)
                shared = look and phone.shared_bodies.get((self.database, look.session_id, look.step, lang))
                if shared and (own := self._own(shared, look, cookies[PLAYER_COOKIE])) is not False:
                    # a new question or reveal already drawn in this process: its shared body (and at a reveal
                    # this player's own part, drawn with everyone's)
                    data = json.dumps({**shared.body, "remaining": look.seconds_left, "me": own}, ensure_ascii=False)
                    return self._reply(environ, start_response, "200 OK", f'"{look.step}-{lang}-"', data.encode())
        return self.app(environ, start_response)

    def _page(self, code: str, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """A player's play page. Reloaded by its <noscript> refresh with the Last-Modified it was given: a 304
        while the session is at the same lobby, answered question, reveal or end and the page would be drawn
        in the same language and text size (phone.page_validator, phone.page_step). Otherwise, when this
        process has drawn the step's page: filled in for this phone (phone_pages.quick_lobby, quick_page).
        Else the view draws it."""
        cookies = parse_cookie(environ)
        look = self._look(code) if PLAYER_COOKIE in cookies else None
        if look is None:  # no player, no such session, a question past its deadline: the view
            return self.app(environ, start_response)
        lang, large = request_tag(environ, cookies), cookies.get(TEXT_SIZE_COOKIE) == "large"
        # at a question, only an answered page was given this step's date
        validator = phone.page_validator(look.session_id, phone.page_step(look.step, True), lang, large)
        if environ.get("HTTP_IF_MODIFIED_SINCE", "").strip() == validator:
            environ["fangzha.gate"] = True
            start_response("304 Not Modified", [("Last-Modified", validator), *_PAGE_HEADERS])
            return [b""]
        if self.session_cookie not in cookies:  # no CSRF secret yet: the view gives one
            return self.app(environ, start_response)
        token = cookies[PLAYER_COOKIE]
        if look.step == "L":
            page = self._on_connection(lambda connection: phone_pages.quick_lobby(
                self.flask_app, environ, connection, self.database, code, token, lang, large))
        else:
            page = self._on_connection(lambda connection: phone_pages.quick_page(
                self.flask_app, environ, connection, self.database, look, token, lang, large))
        if page is None:
            return self.app(environ, start_response)
        html, validator = page
        return self._html(environ, start_response, html, [("Last-Modified", validator)])

    def _join_form(self, code: str, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """The join form the QR code opens, filled for this phone when this process has drawn it."""
        cookies = parse_cookie(environ)
        lang, large = request_tag(environ, cookies), cookies.get(TEXT_SIZE_COOKIE) == "large"
        form = phone_pages.quick_join_form(self.flask_app, environ, code, lang, large)
        if form is None:
            return self.app(environ, start_response)
        html, set_cookies = form
        return self._html(environ, start_response, html, [("Set-Cookie", cookie) for cookie in set_cookies])

    @staticmethod
    def _html(environ: dict, start_response: Callable, html: str, headers: list[tuple[str, str]]) -> Iterable[bytes]:
        """A page as the view would send it: its headers, gzipped when the browser takes it."""
        environ["fangzha.gate"] = True
        headers = [("Content-Type", "text/html; charset=utf-8"), *headers]
        body = page_cache.encoded(environ, html, headers)
        start_response("200 OK", [*headers, ("Content-Length", str(len(body))), *_PAGE_HEADERS,
                                  ("Vary", "Cookie, Accept-Language, Accept-Encoding")])
        return [body]

    @staticmethod
    def _own(shared: phone.Shared, look: live_rules.Look, token: str) -> dict | None | bool:
        """The player's own part to send with a shared body: None for a question (the phone has not answered
        it yet, its points are those of the last reveal); at a reveal or the end, theirs as drawn for this
        version; False when the view must answer (a removal moved the version, or a player the drawing did
        not know: joined since, or removed)."""
        if look.step.startswith("Q"):
            return None
        if shared.version != look.version:
            return False
        own = shared.players.get(hash_token(token))
        return False if own is None else own.me

    @staticmethod
    def _see_other(environ: dict, start_response: Callable, headers: list[tuple[str, str]]) -> Iterable[bytes]:
        """The view's 303 after a form: `headers` (its Location, a cookie), no body, never cached."""
        environ["fangzha.gate"] = True
        start_response("303 See Other", [*headers, ("Content-Length", "0"), ("Cache-Control", "no-store"),
                                         *SECURITY_HEADERS])
        return [b""]

    @staticmethod
    def _reply(environ: dict, start_response: Callable, status: str, etag: str | None, body: bytes,
               extra: list[tuple[str, str]] = ()) -> Iterable[bytes]:
        environ["fangzha.gate"] = True  # for bench/gunicorn_cpu.py's count of what the gate answered
        headers = [("ETag", etag), ("Cache-Control", "no-cache, private")] if etag else [("Cache-Control", "no-store")]
        headers += [*extra, *SECURITY_HEADERS]
        if body:
            headers += [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        start_response(status, headers)
        return [body]

    def _look(self, code: str, connection: Connection | None = None) -> live_rules.Look | None:
        """Where the session is: the last sighting of this code while the board has not moved since before it
        was read (classroom/board.py) and it is at most MAX_AGE old, else a new one from the database (on
        `connection` when the caller holds one of the gate's)."""
        if self.board is None:
            self.board = self.flask_app.extensions["live_board"]
        mark, now = self.board.mark(), time.monotonic()
        kept = self.sightings.get(code)
        if mark is not None and kept is not None and kept[0] == mark and now - kept[1].at < MAX_AGE:
            return kept[1].look(now)
        if connection is not None:
            read = (live_rules.sight(code, connection),)
        else:
            read = self._on_connection(lambda held: (live_rules.sight(code, held),))
        if read is None:
            return None
        seen = read[0]
        if seen is None:
            return None  # no session with this code (yet): not kept, a guesser's codes would fill the memory
        if mark is not None:
            if len(self.sightings) >= SIGHTINGS_KEPT:
                self.sightings.clear()
            self.sightings[code] = (mark, seen)
        return seen.look(now)

    def _on_connection(self, work: Callable[[Connection], T]) -> T | None:
        """`work` on one of the gate's own connections, kept open in autocommit between requests (no
        checkout, ping, BEGIN or ROLLBACK each time). A connection that fails is dropped, and the request
        goes to the view."""
        with self.lock:
            connection = self.idle.pop() if self.idle else None
        try:
            if connection is None:
                connection = self._connect()
            done = work(connection)
        except SQLAlchemyError:
            if connection is not None:
                connection.invalidate()
            return None
        with self.lock:
            if len(self.idle) < IDLE_CONNECTIONS:
                self.idle.append(connection)
                connection = None
        if connection is not None:
            connection.close()
        return done

    def _connect(self):
        if self.engine is None:
            with self.flask_app.app_context():
                self.engine = db.engine
            self.database = str(self.engine.url)
        return self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")

    def close(self) -> None:
        """Close the idle connections (webapp.release_database: tests and tools that make many apps)."""
        with self.lock:
            idle, self.idle = self.idle, []
        for connection in idle:
            connection.close()
