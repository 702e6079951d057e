"""Rendered pages kept ready: explainers, audience, law and help pages change only when content does.

A page is cached when the app says it may be (the `CACHEABLE` response header the app sets and this
layer strips) and nothing in it belongs to one visitor: a GET without a query string or a session
cookie, answered 200 with no cookie set and no session touched (a CSRF token touches it). The key is
what the page varies on: the path, the locale and the text size. Content is loaded once at start-up,
so a process's cache is the content version; a deploy starts new processes with empty caches.

A hit is answered here, before Flask: the stored bytes (gzip when the browser accepts it, compressed
once at store time), a strong ETag per representation, and 304 when the browser already has it.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from threading import Lock

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_cookie

from . import i18n
from .views_common import TEXT_SIZE_COOKIE

CACHEABLE = "X-Fangzha-Page-Cache"
MAX_PAGES = 512  # bounded: only finite paths answer 200, but never let memory grow without limit

# The pages that are the same for every visitor with the same locale and text size.
SHARED_BLUEPRINTS = frozenset({"explainers", "about"})

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def init_app(app) -> None:
    """Mark the shared pages and put the cache in front of the app (PAGE_CACHE=False turns it off)."""
    from flask import request

    if not app.config.get("PAGE_CACHE", True):
        return

    @app.after_request
    def mark_shared_page(response):
        if request.blueprint in SHARED_BLUEPRINTS:
            response.headers[CACHEABLE] = "1"
        return response

    app.wsgi_app = PageCache(app.wsgi_app, session_cookie=app.config["SESSION_COOKIE_NAME"])


class Page:
    __slots__ = ("status", "headers", "plain", "gzipped", "etag", "etag_gz")

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes):
        self.status = status
        self.headers = [(k, v) for k, v in headers if k.lower() not in ("content-length", "content-encoding", "etag", "vary", "date")]
        vary = {v.strip().title() for k, value in headers if k.lower() == "vary" for v in value.split(",") if v.strip()}
        self.headers.append(("Vary", ", ".join(sorted(vary | {"Accept-Encoding"}))))
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        self.plain, self.etag = body, f'"{digest}"'
        self.gzipped, self.etag_gz = gzip.compress(body, compresslevel=9, mtime=0), f'"{digest}-gz"'


def page_key(environ: dict, session_cookie: str) -> tuple[str, str, str] | None:
    """What a cacheable page varies on, or None when this request must go to the app."""
    if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or environ.get("QUERY_STRING"):
        return None
    cookies = parse_cookie(environ)  # as Flask will read them
    if session_cookie in cookies:
        return None
    accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE", ""), LanguageAccept)
    locale = i18n.pick_locale(i18n.parse(cookies.get(i18n.LANGUAGE_COOKIE)), accepted.values())
    return environ.get("PATH_INFO", "/"), locale, "large" if cookies.get(TEXT_SIZE_COOKIE) == "large" else "normal"


def _accepts_gzip(environ: dict) -> bool:
    return "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "").lower()


class PageCache:
    """WSGI middleware in front of the Flask app (behind the static files)."""

    def __init__(self, app: WSGIApp, session_cookie: str = "session", max_pages: int = MAX_PAGES):
        self.app, self.session_cookie, self.max_pages = app, session_cookie, max_pages
        self.pages: OrderedDict[tuple, Page] = OrderedDict()
        self.lock = Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        key = page_key(environ, self.session_cookie)
        if key is None:
            return self.app(environ, start_response)
        page = self.pages.get(key)
        if page is None:
            kept: dict = {}

            def sniff(status: str, headers: list, exc_info=None):
                names = {name.lower() for name, _ in headers}
                if status.startswith("200") and CACHEABLE.lower() in names and "set-cookie" not in names:
                    kept["status"], kept["headers"] = status, headers
                    return kept.setdefault("written", []).append
                return start_response(status, [(k, v) for k, v in headers if k.lower() != CACHEABLE.lower()], exc_info)

            result = self.app(environ, sniff)
            if "status" not in kept:
                return result  # not a shared page: the app's own response, untouched and streaming
            try:
                body = b"".join(kept.get("written", [])) + b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
            headers = [(k, v) for k, v in kept["headers"] if k.lower() != CACHEABLE.lower()]
            if any(k.lower() == "content-encoding" and v.lower() == "gzip" for k, v in headers):
                body = gzip.decompress(body)  # once per page and process; both copies are kept
            page = Page(kept["status"], headers, body)
            with self.lock:
                self.pages[key] = page
                while len(self.pages) > self.max_pages:
                    self.pages.popitem(last=False)
        return self._send(page, environ, start_response)

    @staticmethod
    def _send(page: Page, environ: dict, start_response: Callable) -> Iterable[bytes]:
        zipped = _accepts_gzip(environ)
        etag, body = (page.etag_gz, page.gzipped) if zipped else (page.etag, page.plain)
        headers = list(page.headers) + [("ETag", etag)]
        wanted = environ.get("HTTP_IF_NONE_MATCH", "")
        if wanted and (wanted.strip() == "*" or etag in (tag.strip().removeprefix("W/") for tag in wanted.split(","))):
            start_response("304 Not Modified", [(k, v) for k, v in headers if k.lower() != "content-type"])
            return [b""]
        if zipped:
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        start_response(page.status, headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]
