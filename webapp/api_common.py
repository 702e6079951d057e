"""What the JSON APIs share (design.md): the body, the Bearer token, CSRF when a login cookie is used.

Players and hosts authenticate with `Authorization: Bearer <token>` (CSRF-exempt: no cookie is trusted
there); an organizer's login cookie is accepted too, and then the X-CSRFToken header is checked."""

from __future__ import annotations

from flask import current_app, request

from .auth import current_organizer_id
from .errors import DomainError
from .extensions import csrf


def bearer_token() -> str | None:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def json_body(required: bool = True) -> dict:
    data = request.get_json(silent=True)
    if data is None and not required:
        return {}
    if not isinstance(data, dict):
        raise DomainError("bad_request", 400, domain="api")
    return data


def check_csrf() -> None:
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()  # raises CSRFError → 400 {"error": {"code": "csrf"}}


def require_organizer() -> int:
    """The logged-in organizer's id (CSRF checked), else 401 login_required."""
    organizer_id = current_organizer_id()
    if organizer_id is None:
        raise DomainError("login_required", 401, domain="auth")
    check_csrf()
    return organizer_id
