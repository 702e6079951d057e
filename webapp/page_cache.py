"""Rendered pages kept ready: explainers, audience, law and help pages change only when content does.

A page is cached when the app says it may be (the `CACHEABLE` response header the app sets and this
layer strips) and nothing in it belongs to one visitor: a GET without a query string, from a visitor
whose Flask session holds nothing but a CSRF secret (or who has none), answered 200 with no cookie
set. A visitor signed in as an organizer, or with a message flashed for the next page, goes to the
app. The key is what the page varies on: the path, the locale and the text size. Content is loaded
once at start-up, so a process's cache is the content version; a deploy starts new processes with
empty caches.

A hit is answered here, before Flask: the stored bytes (gzip when the browser accepts it, compressed
once at store time), a strong ETag per representation, and 304 when the browser already has it.

The home page carries a CSRF token (its "ask us" box posts to the chatbot). It is stored with a hole for
the token (`CACHEABLE: csrf`), and each visitor's copy is filled here with their own token in a request
context of the app that is pushed but not dispatched; a visitor without a session gets the cookie that
holds the new secret, from Flask's own session interface. Such a copy is no-cache and has no ETag.
"""

from __future__ import annotations

import gzip
import hashlib
import struct
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from threading import Lock

from werkzeug.datastructures import LanguageAccept
from itsdangerous import BadSignature
from werkzeug.http import parse_accept_header, parse_cookie

from . import i18n
from .views_common import TEXT_SIZE_COOKIE

CACHEABLE = "X-Fangzha-Page-Cache"
MAX_PAGES = 512  # bounded: only finite paths answer 200, but never let memory grow without limit

# The pages that are the same for every visitor with the same locale and text size.
SHARED_BLUEPRINTS = frozenset({"explainers", "about"})

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


ASKING = "fangzha.page_cache"  # in the environ of a request the cache would keep: the app marks its answer
CSRF_HOLE = b"\xee\x80\x80csrf\xee\x80\x81"  # U+E000 csrf U+E001 in UTF-8: never in a page
PLAIN_SESSION_KEYS = frozenset({"csrf_token"})


def init_app(app) -> None:
    """Mark the shared pages and put the cache in front of the app (PAGE_CACHE=False turns it off)."""
    from flask import g, request

    if not app.config.get("PAGE_CACHE", True):
        return

    @app.after_request
    def mark_shared_page(response):
        if request.blueprint in SHARED_BLUEPRINTS and request.environ.get(ASKING):  # for the cache alone
            token = g.get(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
            # a page that drew a CSRF token is stored with a hole for it; the token tells the cache where
            response.headers[CACHEABLE] = f"csrf {token}" if token else "1"
        return response

    app.wsgi_app = PageCache(app.wsgi_app, flask_app=app)


class Spliced:
    """A gzip body compressed once around holes, so that a visitor's copy costs no compression.

    Each part is deflated at start-up with a full flush: that ends it on a byte boundary with a non-final
    block and leaves nothing after it able to refer back into it. So any blocks may follow (RFC 1951, 3.2.3),
    and each visitor's own text (a CSRF token, a nickname) is set between the parts as a stored block: its
    bytes as they are, behind a five-byte header (3.2.4). The gzip trailer, CRC-32 and length, is computed
    for the whole. Deflating the page per visitor cost more than the rest of filling it; even a new
    compressor for the few bytes of a token costs 60 µs, a stored block a fraction of one."""

    __slots__ = ("parts", "deflated")
    HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip, deflate, no name, mtime 0, best compression
    END = b"\x03\x00"  # an empty final block with fixed codes

    def __init__(self, parts: Sequence[bytes], level: int = 9):
        self.parts = tuple(parts)
        self.deflated = tuple(self._deflate(part, level) for part in self.parts)

    @staticmethod
    def _deflate(data: bytes, level: int) -> bytes:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)  # raw deflate: the gzip frame is written here
        return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)

    @staticmethod
    def _stored(data: bytes) -> bytes:
        blocks = [data[at:at + 0xFFFF] for at in range(0, len(data), 0xFFFF)]
        return b"".join(b"\x00" + struct.pack("<HH", len(block), len(block) ^ 0xFFFF) + block for block in blocks)

    def fill(self, fillings: Sequence[bytes]) -> bytes:
        """The gzip body of the parts with `fillings` between them (one fewer than the parts)."""
        crc, size, chunks = 0, 0, [self.HEADER]
        for index, (part, deflated) in enumerate(zip(self.parts, self.deflated)):
            if index:
                filling = fillings[index - 1]
                crc, size = zlib.crc32(filling, crc), size + len(filling)
                chunks.append(self._stored(filling))
            crc, size = zlib.crc32(part, crc), size + len(part)
            chunks.append(deflated)
        chunks += [self.END, struct.pack("<II", crc, size & 0xFFFFFFFF)]
        return b"".join(chunks)


class Filled(str):
    """A page's text filled into a drawing with holes, which can also give its gzip body without compressing
    it again (`gzipped`, from the drawing's Spliced parts)."""

    def __new__(cls, text: str, spliced: Spliced, fillings: Sequence[str]):
        filled = super().__new__(cls, text)
        filled.spliced, filled.fillings = spliced, fillings
        return filled

    def gzipped(self) -> bytes:
        return self.spliced.fill([filling.encode() for filling in self.fillings])


class Page:
    __slots__ = ("status", "headers", "plain", "gzipped", "etag", "etag_gz", "parts", "spliced")

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes, token: str | None = None):
        self.status = status
        dropped = {"content-length", "content-encoding", "etag", "vary", "date"}
        if token:  # a visitor's copy: its own session cookie and no validator
            dropped |= {"set-cookie", "cache-control"}
        self.headers = [(k, v) for k, v in headers if k.lower() not in dropped]
        vary = {v.strip().title() for k, value in headers if k.lower() == "vary" for v in value.split(",") if v.strip()}
        self.headers.append(("Vary", ", ".join(sorted(vary | {"Accept-Encoding"}))))
        self.plain = self.gzipped = self.etag = self.etag_gz = self.parts = self.spliced = None
        if token:  # the text around the token, filled per visitor: never one visitor's token for another
            self.parts = body.replace(token.encode(), CSRF_HOLE).split(CSRF_HOLE)
            self.spliced = Spliced(self.parts)
            self.headers.append(("Cache-Control", "no-cache, private"))
            return
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        self.plain, self.etag = body, f'"{digest}"'
        self.gzipped, self.etag_gz = gzip.compress(body, compresslevel=9, mtime=0), f'"{digest}-gz"'


def page_key(environ: dict, session_cookie: str, plain_session: Callable[[str], bool] = lambda _: False) -> tuple[str, str, str] | None:
    """What a cacheable page varies on, or None when this request must go to the app."""
    if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or environ.get("QUERY_STRING"):
        return None
    cookies = parse_cookie(environ)  # as Flask will read them
    if session_cookie in cookies and not plain_session(cookies[session_cookie]):
        return None
    accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE", ""), LanguageAccept)
    locale = i18n.pick_locale(i18n.parse(cookies.get(i18n.LANGUAGE_COOKIE)), accepted.values())
    return environ.get("PATH_INFO", "/"), locale, "large" if cookies.get(TEXT_SIZE_COOKIE) == "large" else "normal"


def _accepts_gzip(environ: dict) -> bool:
    return "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "").lower()


def encoded(environ: dict, page: str, headers: list[tuple[str, str]]) -> bytes:
    """A page drawn for one visitor, as their browser takes it: gzipped when it accepts gzip (a Filled page
    from its drawing's compressed parts, any other at level 6, as Flask-Compress), with the header that says
    so added to `headers`."""
    if not _accepts_gzip(environ):
        return page.encode()
    headers.append(("Content-Encoding", "gzip"))
    if isinstance(page, Filled):
        return page.gzipped()
    return gzip.compress(page.encode(), compresslevel=6, mtime=0)


class PageCache:
    """WSGI middleware in front of the Flask app (behind the static files)."""

    def __init__(self, app: WSGIApp, flask_app, max_pages: int = MAX_PAGES):
        self.app, self.flask_app, self.max_pages = app, flask_app, max_pages
        self.session_cookie = flask_app.config["SESSION_COOKIE_NAME"]
        self.pages: OrderedDict[tuple, Page] = OrderedDict()
        self.lock = Lock()

    def plain_session(self, cookie: str) -> bool:
        """Whether this session cookie holds nothing that changes a shared page (only a CSRF secret)."""
        serializer = self.flask_app.session_interface.get_signing_serializer(self.flask_app)
        try:
            data = serializer.loads(cookie, max_age=int(self.flask_app.permanent_session_lifetime.total_seconds()))
        except BadSignature:
            return False  # the app's own reading decides what a bad cookie means
        return isinstance(data, dict) and data.keys() <= PLAIN_SESSION_KEYS

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        key = page_key(environ, self.session_cookie, self.plain_session)
        if key is None:
            return self.app(environ, start_response)
        page = self.pages.get(key)
        if page is None:
            kept: dict = {}

            def sniff(status: str, headers: list, exc_info=None):
                mark = next((v for k, v in headers if k.lower() == CACHEABLE.lower()), None)
                cookies = [v for k, v in headers if k.lower() == "set-cookie"]
                token = mark[5:] if mark and mark.startswith("csrf ") else None
                # a page with a token may set the session cookie that holds its secret, and nothing else
                if status.startswith("200") and mark and (not cookies or (token and all(
                        v.startswith(f"{self.session_cookie}=") for v in cookies))):
                    kept["status"], kept["headers"], kept["token"] = status, headers, token
                    return kept.setdefault("written", []).append
                return start_response(status, [(k, v) for k, v in headers if k.lower() != CACHEABLE.lower()], exc_info)

            environ[ASKING] = True
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
            page = Page(kept["status"], headers, body, kept["token"])
            with self.lock:
                self.pages[key] = page
                while len(self.pages) > self.max_pages:
                    self.pages.popitem(last=False)
        if page.parts is not None:
            return self._send_filled(page, environ, start_response)
        return self._send(page, environ, start_response)

    def _send_filled(self, page: Page, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """A page with this visitor's own CSRF token, and the cookie of a new session when it had none."""
        from flask import session
        from flask_wtf.csrf import generate_csrf

        with self.flask_app.request_context(environ) as context:
            token = generate_csrf().encode()
            headers = list(page.headers)
            if session.modified:  # a new secret: the cookie the app's response would set
                response = self.flask_app.response_class()
                self.flask_app.session_interface.save_session(self.flask_app, context.session, response)
                headers += [("Set-Cookie", cookie) for cookie in response.headers.getlist("Set-Cookie")]
        if _accepts_gzip(environ):
            body = page.spliced.fill([token] * (len(page.parts) - 1))
            headers.append(("Content-Encoding", "gzip"))
        else:
            body = token.join(page.parts)
        headers.append(("Content-Length", str(len(body))))
        start_response(page.status, headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]

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
