"""Rate limits: one shared counter store for every worker and host, a fallback when it fails, and join
limits that let a whole school in while keeping code guessing slow.

- The storage is `RATELIMIT_STORAGE_URI`: `make serve` starts a local Redis on a unix socket, several hosts
  share one Redis. `memory://` counts per process, so N workers let N times the limit through.
- At start-up a Redis address needs the client and a server that answers: otherwise one clear ConfigError.
- At run time an unreachable storage makes Flask-Limiter count in each process's memory (logged once per
  outage, with a recheck every few seconds) and the site keeps answering.
- Join codes: *failed* lookups (404 on any route that takes a session code) are counted per address, and
  once an address has spent its budget every code lookup from it waits; *successful* joins are counted per
  session, generously: 300 phones behind one school address join in seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, current_app, request
from flask.logging import default_handler
from limits import RateLimitItem, parse_many

from .config import ConfigError
from .extensions import limiter

REDIS_SCHEMES = ("redis", "rediss", "redis+unix", "valkey", "valkeys", "valkey+unix")
# Redis that hangs must not hang a request: give up after this many seconds and fall back.
REDIS_TIMEOUTS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}


def init_app(app: Flask) -> None:
    config = app.config
    uri = config["RATELIMIT_STORAGE_URI"]
    scheme = urlsplit(uri).scheme
    if scheme in REDIS_SCHEMES:
        try:
            import redis  # noqa: F401
        except ImportError:
            raise ConfigError(
                f"RATELIMIT_STORAGE_URI is a Redis address ({redacted(uri)}) but the Python client `redis` "
                "is not installed: run `make install` (it is a declared dependency)."
            ) from None
        config["RATELIMIT_STORAGE_OPTIONS"] = {**REDIS_TIMEOUTS, **config.get("RATELIMIT_STORAGE_OPTIONS", {})}
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)  # a storage failure never turns into a 500
    # Failed code guesses: one budget per address across every route that takes a session code.
    config["RATELIMIT_APPLICATION"] = lambda: current_app.config["RATELIMIT_CODE_GUESSES"]
    config["RATELIMIT_APPLICATION_EXEMPT_WHEN"] = looks_up_no_code
    config["RATELIMIT_APPLICATION_DEDUCT_WHEN"] = code_not_found
    limiter.init_app(app)
    # The limiter is one object for the whole process; a new app (tests build many) starts healthy.
    limiter._storage_dead = False
    show_limiter_warnings()
    if config["RATELIMIT_ENABLED"] and not limiter.storage.check():
        raise ConfigError(
            f"The rate-limit storage at {redacted(uri)} does not answer: start it (`make serve` starts a local "
            "Redis) or point RATELIMIT_STORAGE_URI at one that runs."
        )


def show_limiter_warnings() -> None:
    """Flask-Limiter logs "storage unreachable - falling back" on a logger with only a NullHandler, so
    nobody would see it: send its warnings where Flask's own go (stderr, gunicorn's error log)."""
    logger = logging.getLogger("flask-limiter")
    if default_handler not in logger.handlers:
        logger.addHandler(default_handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)  # its INFO lines name every address that hit a limit


def storage_reachable() -> bool:
    """For /readyz: does the shared counter store answer right now?"""
    try:
        return bool(limiter.storage.check())
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False


def redacted(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.password:
        host = parts.hostname or ""
        netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return uri


# -- join codes ------------------------------------------------------------------------------------


def looks_up_no_code() -> bool:
    """True for requests that cannot tell whether a session code exists (they skip the guess budget)."""
    if request.view_args and "code" in request.view_args:
        return False
    return not (request.endpoint == "classroom.join" and request.method == "POST")


def code_not_found(response: Response) -> bool:
    return response.status_code == 404


def joined(response: Response) -> bool:
    """A player was added: 201 from the API, a 303 to the play page from the forms."""
    return response.status_code in (201, 303)


def session_limit_key(code: str | None) -> str:
    """The key a session's joins are counted under (the view's limit and the poll gate's join alike)."""
    return f"session:{code or 'none'}"


def joins_per_session(normalise_code: Callable[[str | None], str | None]) -> Callable[[Callable], Callable]:
    """A decorator for join views: successful joins per session (capacity: RATELIMIT_JOIN), the session read
    from the URL or the join form's code field; failed guesses are the application-wide limit."""

    def session_key() -> str:
        raw = (request.view_args or {}).get("code") or request.form.get("code")
        return session_limit_key(normalise_code(raw))

    def join_limit(view: Callable) -> Callable:
        return limiter.limit(
            lambda: current_app.config["RATELIMIT_JOIN"], key_func=session_key, methods=["POST"], deduct_when=joined,
            override_defaults=False,
        )(view)

    return join_limit


# -- the poll gate's join ------------------------------------------------------------------------------

JOIN_ENDPOINT = "classroom.join"  # the scope Flask-Limiter gives the limit `joins_per_session` puts on the form


class Check(NamedTuple):
    limit: RateLimitItem
    keys: tuple[str, ...]  # as Flask-Limiter builds them: [prefix,] key, scope
    counted_on_join: bool  # a successful join spends it (the joins of a session), or only failures do


def join_checks(flask_app: Flask, remote_addr: str | None, code: str) -> list[Check] | None:
    """The limits Flask-Limiter applies to a form join (POST /join) of session `code`, for the poll gate
    (classroom/quick_join.py), which takes a join before Flask: the code guesses of this address (the
    application's limit: tested, spent only by a failure) and the joins of this session (`joins_per_session`:
    tested, spent by the join). [] when rate limits are off; None when other limits are configured (defaults,
    meta limits), which only the view applies."""
    config = flask_app.config
    if not config["RATELIMIT_ENABLED"]:
        return []
    if config.get("RATELIMIT_DEFAULT") or config.get("RATELIMIT_META") or config.get("RATELIMIT_APPLICATION_PER_METHOD"):
        return None
    prefix = (config["RATELIMIT_KEY_PREFIX"],) if config.get("RATELIMIT_KEY_PREFIX") else ()
    guesses = [Check(item, (*prefix, remote_addr or "127.0.0.1", "global"), False)
               for item in _parsed(config["RATELIMIT_CODE_GUESSES"])]
    joins = [Check(item, (*prefix, session_limit_key(code), JOIN_ENDPOINT), True) for item in _parsed(config["RATELIMIT_JOIN"])]
    return guesses + joins


def within(checks: list[Check]) -> bool:
    """Whether every limit lets one more through (the storage's errors are the caller's: then the view)."""
    return all(limiter.limiter.test(check.limit, *check.keys) for check in checks)


def count_join(checks: list[Check]) -> None:
    """Spend what a successful join spends, as Flask-Limiter's deduct_when does after the view."""
    for check in checks:
        if check.counted_on_join:
            limiter.limiter.hit(check.limit, *check.keys)


@cache
def _parsed(limits: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(limits))
