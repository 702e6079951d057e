"""A phone's join taken before Flask's dispatch, for the gate (classroom/gate.py).

When a hall scans the QR code, each phone makes three requests on its way in: the join form, the join, and
its lobby page. The gate fills the form and the lobby without Flask; the join went through the whole stack,
its rate limits and the ORM, and was the costliest of the three. The commonest join is plain: the form's
code and a free nickname for a live session that is open, a good CSRF token, within the rate limits. That
one is taken here, with no request context: flask-wtf's check as the answer makes it
(quick_answer.csrf_passes), the limits Flask-Limiter would apply with its own keys and storage
(ratelimits.join_checks: tested first, the session's joins spent once the player is in), and the statement
the view uses (sessions.join_on) on the gate's autocommit connection. The reply is the view's: 303 to the
play page with the player's cookie.

Everything else goes to the view, the request body put back as it came: a field too long or blank, a code
no open live session has (the failed guess counts there), a nickname in use (the view says so), a
bad CSRF token, a limit reached (the view answers 429), a self-paced session, a storage that fails."""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from werkzeug.http import parse_cookie

from .. import ratelimits
from . import codes, sessions
from .forms import CODE_FIELD_MAX, NICKNAME_FIELD_MAX
from .players import PLAYER_COOKIE, play_cookie
from .quick_answer import csrf_passes, first, read_form


def is_quick_join(environ: dict) -> bool:
    """A join as the join form sends it: a plain form body to /join."""
    return (environ["REQUEST_METHOD"] == "POST" and environ.get("PATH_INFO") == "/join"
            and environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded")
            and not environ.get("QUERY_STRING"))


def take(environ: dict, flask_app, connection: Connection) -> list[tuple[str, str]] | None:
    """The 303's Location and Set-Cookie of a player added; None when the view must answer."""
    if (form := read_form(environ)) is None:
        return None
    raw_code, raw_nickname = first(form, "code"), first(form, "nickname")
    if len(raw_code) > CODE_FIELD_MAX or len(raw_nickname) > NICKNAME_FIELD_MAX:
        return None  # the form's own limits: the view says so
    code = codes.normalise_code(raw_code)
    if code is None or codes.clean_nickname(raw_nickname) is None:
        return None
    if not csrf_passes(flask_app, environ, parse_cookie(environ), form):
        return None
    checks = ratelimits.join_checks(flask_app, environ.get("REMOTE_ADDR"), code)
    try:
        allowed = checks is not None and ratelimits.within(checks)
    except Exception:  # noqa: BLE001 - the limits' storage failed: the view has the fallback, and logs it
        return None
    if not allowed:
        return None
    try:
        joined = sessions.join_on(connection, code, raw_nickname)
    except IntegrityError:  # the nickname is in use
        return None
    if joined is None:
        return None
    try:
        ratelimits.count_join(checks)
    except Exception:  # noqa: BLE001 - the player is in; the count is lost, as the view's swallowed error loses it
        flask_app.logger.exception("the rate-limit storage failed while counting a join")
    code, token = joined
    path = environ.get("SCRIPT_NAME", "") + f"/play/{code}"
    return [("Location", path), ("Set-Cookie", play_cookie(flask_app, path, PLAYER_COOKIE, token))]
