"""A phone's poll answered before Flask when nothing has changed.

Most requests of a live session are phones asking /play/<code>/state whether the version their page
shows is still the session's. When it is, the answer is an empty 304, and the whole Flask stack (the
session cookie, the locale, the hooks) would cost several times the one small query that decides it.
This WSGI layer answers those itself: the request must carry the ETag the page was given, ask for the
language that ETag was drawn in, and the session's phone step must still match (live.quick_look, on a
connection of the app's own engine). Anything else, including a question past its deadline, goes to
the view, which does the same check and everything else."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_cookie

from .. import i18n
from ..extensions import db
from ..security import SECURITY_HEADERS
from . import live as live_rules

_POLL_PATH = re.compile(r"/play/(\d{6})/state")
_POLL_TAG = re.compile(r'(?:W/)?"([LF]|[QR]\d+)-([A-Za-z-]+)-"')

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def request_tag(environ: dict) -> str:
    """The language the app would answer this request in (a poll carries no ?lang=): cookie, then browser."""
    cookies = parse_cookie(environ)
    accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE", ""), LanguageAccept)
    return i18n.to_tag(i18n.pick_locale(i18n.parse(cookies.get(i18n.LANGUAGE_COOKIE)), accepted.values()))


class PollGate:
    def __init__(self, app: WSGIApp, flask_app):
        self.app, self.flask_app = app, flask_app
        self.engine = None  # the app's, taken at the first poll (in the worker process, after any fork)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] == "GET" and not environ.get("QUERY_STRING"):
            path = _POLL_PATH.fullmatch(environ.get("PATH_INFO", ""))
            tag = path and _POLL_TAG.fullmatch(environ.get("HTTP_IF_NONE_MATCH", "").strip())
            if tag and tag.group(2) == request_tag(environ) and self._step(path.group(1)) == tag.group(1):
                start_response("304 Not Modified", [
                    ("ETag", f'"{tag.group(1)}-{tag.group(2)}-"'), ("Cache-Control", "no-cache, private"),
                    *SECURITY_HEADERS,
                ])
                return [b""]
        return self.app(environ, start_response)

    def _step(self, code: str) -> str | None:
        if self.engine is None:
            with self.flask_app.app_context():
                self.engine = db.engine
        with self.engine.connect() as connection:
            look = live_rules.quick_look(code, connection)
        return look[1] if look else None
