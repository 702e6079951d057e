"""Settings: safe defaults, then the environment. No side effects at import."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The environment does not describe a runnable site."""


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "SECRET_KEY": None,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'fangzha.db'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "CONTENT_DIR": str(PROJECT_ROOT / "content"),
        "QUIZ_DIR": str(PROJECT_ROOT / "quizzes"),
        "BABEL_DEFAULT_LOCALE": "zh_Hans",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",  # per process: `make serve` sets a local Redis (see ratelimits.py)
        "RATELIMIT_STRATEGY": "moving-window",  # "20 per minute" means any 60 s, not 40 across a window edge
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_CHAT": "20 per minute;200 per day",
        # Per address, only lookups of a session code that does not exist (404) count: guessing one of a
        # million codes stays slow while a school's mistyped codes rarely reach it.
        "RATELIMIT_CODE_GUESSES": "30 per minute;300 per day",
        # Per session, successful joins only: an assembly of 2,000 phones behind one school address joins
        # within a minute (at 600 a minute, 400 of a 1,000-phone hall were turned away).
        "RATELIMIT_JOIN": "3000 per minute",
        "RATELIMIT_LOGIN": "10 per minute",
        "WTF_CSRF_TIME_LIMIT": None,  # pages stay open for long in WeChat; the session bounds the token
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SEND_FILE_MAX_AGE_DEFAULT": 31_536_000,  # static names carry a content hash
        "COMPRESS_MIMETYPES": [
            "text/html", "text/css", "text/csv", "text/plain", "application/javascript",
            "text/javascript", "application/json", "image/svg+xml",
        ],
        "COMPRESS_ALGORITHM": ["gzip"],
        "COMPRESS_MIN_SIZE": 500,
        "COMPRESS_STREAMS": False,  # static files come gzipped from WhiteNoise (see serve_static_files)
        # The views decide their own 304s (a poll's ETag; the gate, a play page's Last-Modified). Flask-Compress
        # would also compare that Last-Modified as a date, which it is not (classroom/phone.page_validator):
        # a reload after the step moved would get a 304 whenever the new page's date happened to be earlier.
        "COMPRESS_EVALUATE_CONDITIONAL_REQUEST": False,
        "FLASK_STATIC_DIGEST_HOST_URL": None,
        "TRUSTED_PROXY_HOPS": 0,
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "REGISTRATION_OPEN": True,  # anyone may create an organizer account at /auth/register
        # A counter in instance/live-board that lets the poll gate skip the database while no live session
        # changes (webapp/classroom/board.py). Off (LIVE_BOARD=0) for several app hosts on one database.
        "LIVE_BOARD": True,
        "PAGE_CACHE": True,  # shared pages (explainers, law, help) rendered once per process (webapp/page_cache.py)
        **operator_defaults(),
    }


# -- who runs the site (footer and /about); empty means "say nothing", never a placeholder -------------

OPERATOR_SETTINGS = ("SITE_OPERATOR", "SITE_CONTACT", "ICP_NUMBER", "PSB_FILING_NUMBER")


def operator_defaults() -> dict[str, str]:
    return {name: "" for name in OPERATOR_SETTINGS}


def operator_from_environment(env: Mapping[str, str]) -> dict[str, str]:
    """SITE_OPERATOR (who runs the site), SITE_CONTACT (how to reach them), ICP_NUMBER (the ICP filing,
    e.g. 京ICP备12345678号) and PSB_FILING_NUMBER (the public-security filing, 京公网安备…号), trimmed."""
    return {name: env[name].strip()[:200] for name in OPERATOR_SETTINGS if env.get(name, "").strip()}


def from_environment(env: Mapping[str, str]) -> dict[str, Any]:
    """Read FLASK-independent settings from environment variables."""
    out: dict[str, Any] = {}
    if env.get("SECRET_KEY"):
        out["SECRET_KEY"] = env["SECRET_KEY"]
    if env.get("DATABASE_URL"):
        out["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(env["DATABASE_URL"])
    if env.get("RATELIMIT_STORAGE_URI"):
        out["RATELIMIT_STORAGE_URI"] = env["RATELIMIT_STORAGE_URI"]
    if env.get("RATELIMIT_ENABLED"):
        out["RATELIMIT_ENABLED"] = env["RATELIMIT_ENABLED"].lower() not in ("0", "false", "no")
    if env.get("TRUSTED_PROXY_HOPS"):
        out["TRUSTED_PROXY_HOPS"] = int(env["TRUSTED_PROXY_HOPS"])
    if env.get("REGISTRATION_OPEN"):
        out["REGISTRATION_OPEN"] = env["REGISTRATION_OPEN"].lower() not in ("0", "false", "no", "off")
    if env.get("PAGE_CACHE"):
        out["PAGE_CACHE"] = env["PAGE_CACHE"].lower() not in ("0", "false", "no")
    if env.get("LIVE_BOARD"):
        out["LIVE_BOARD"] = env["LIVE_BOARD"].lower() not in ("0", "false", "no", "off")
    if env.get("FANGZHA_DEBUG", "").lower() in ("1", "true", "yes"):
        out["DEBUG"] = True
    if env.get("SESSION_COOKIE_SECURE", "").lower() in ("1", "true", "yes"):
        out["SESSION_COOKIE_SECURE"] = True
    out.update(operator_from_environment(env))
    return out


def secret_key_file(env: Mapping[str, str], instance_path: str) -> Path:
    """Where the key is kept when SECRET_KEY is not set: SECRET_KEY_FILE, else instance/secret_key (the file
    `make serve` creates), so `flask organizer create` and gunicorn read the key `make serve` uses."""
    return Path(env.get("SECRET_KEY_FILE") or Path(instance_path) / "secret_key")


def secret_key_from_file(env: Mapping[str, str], instance_path: str) -> dict[str, Any]:
    if env.get("SECRET_KEY"):
        return {}
    path = secret_key_file(env, instance_path)
    try:
        key = path.read_text(encoding="utf-8").strip()
    except OSError:
        return {"SECRET_KEY_FILE": str(path)}  # named in check()'s message
    return {"SECRET_KEY": key, "SECRET_KEY_FILE": str(path)} if key else {"SECRET_KEY_FILE": str(path)}


def normalise_database_url(url: str) -> str:
    """Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver name."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def check(config: Mapping[str, Any]) -> None:
    if not config.get("SECRET_KEY"):
        if config.get("DEBUG") or config.get("TESTING"):
            return
        where = config.get("SECRET_KEY_FILE") or "instance/secret_key"
        raise ConfigError(
            f"SECRET_KEY is not set and {where} does not exist. Set the SECRET_KEY environment variable "
            "(for example: export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')), "
            "or run `make instance/secret_key` once (as `make serve` does) to keep one in that file."
        )


def temporary_sqlite_uri() -> str:
    handle, path = tempfile.mkstemp(prefix="fangzha-test-", suffix=".db")
    os.close(handle)
    return f"sqlite:///{path}"
