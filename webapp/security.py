"""Response headers every page gets (a strict content security policy and friends), and text that is not valid
Unicode refused at the door."""

from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import BadRequest
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

from .errors import DomainError, message, wants_json

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


# On every response, also those answered before Flask (classroom/gate.py).
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


def init_app(app: Flask) -> None:
    app.session_interface = KeptSerializerSessions()
    app.before_request(refuse_invalid_unicode)

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS:
            response.headers.setdefault(name, value)
        return response


class KeptSerializerSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, unchanged, but with the signing serializer built once for the app's keys
    instead of for every request (twice for a new visitor: to open its session and to save it). Building one
    costs about 30 µs: itsdangerous tries the JSON serializer out each time. It is built again if the keys
    change."""

    _kept: tuple | None = None

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = self._kept  # one read: another thread may replace it, never half
        if kept is None or kept[0] != keys:
            kept = self._kept = (keys, super().get_signing_serializer(app))
        return kept[1]


# -- invalid Unicode -------------------------------------------------------------------------------


def refuse_invalid_unicode() -> None:
    """400 for a path, query string or body that is not valid UTF-8, and for JSON strings holding a lone surrogate
    ("\\ud800" is valid JSON but no character): Werkzeug would quietly turn bad bytes into U+FFFD, and a lone
    surrogate reaches the matcher, templates or the database and fails there as a 500."""
    if not (valid_path() and valid_urlencoded(request.query_string) and valid_body()):
        if wants_json():
            raise DomainError("bad_unicode", domain="api")
        raise BadRequest(message("api", "bad_unicode"))


def valid_path() -> bool:
    raw = request.environ.get("PATH_INFO", "")
    try:
        raw.encode("latin-1").decode("utf-8")  # WSGI hands the path over as bytes decoded as Latin-1
    except UnicodeError:
        return False
    return True


def valid_urlencoded(data: bytes) -> bool:
    try:
        for pair in data.split(b"&"):
            unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def valid_body() -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.content_length:
        return True
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        return valid_urlencoded(request.get_data(cache=True))
    if mimetype == "multipart/form-data":  # the text fields; an uploaded file (compose's import) is bytes
        return text_parts_decode(request.get_data(cache=True), request.mimetype_params.get("boundary", ""))
    if request.is_json:
        data = request.get_data(cache=True)
        if not decodes(data):
            return False
        try:
            parsed = json.loads(data)
        except ValueError:
            return True  # not JSON at all: the view answers that in its own words
        return no_lone_surrogates(parsed)
    return True


def text_parts_decode(data: bytes, boundary: str) -> bool:
    """Every part of a multipart body but its files is UTF-8 (a GBK spreadsheet may be uploaded as it is)."""
    if not boundary:
        return decodes(data)
    decoder = MultipartDecoder(boundary.encode("latin-1"))
    decoder.receive_data(data)
    decoder.receive_data(None)
    is_text, chunk = False, b""
    try:
        while not isinstance(event := decoder.next_event(), NeedData | Epilogue):
            if isinstance(event, File | Field):
                is_text, chunk = not isinstance(event, File), b""
            elif isinstance(event, Data) and is_text:
                chunk += event.data
                if not event.more_data and not decodes(chunk):
                    return False
    except ValueError:  # not multipart at all: the form parser answers that
        return True
    return True


def decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def no_lone_surrogates(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True
