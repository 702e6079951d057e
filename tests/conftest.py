from __future__ import annotations

import os
from pathlib import Path

import pytest

from webapp import create_app

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
LOCALES = ("zh-Hans", "zh-Hant", "en")


def content_dirs() -> dict:
    """FANGZHA_TEST_CONTENT=/some/root points the app at another content/ and quizzes/ (for drafting)."""
    root = os.environ.get("FANGZHA_TEST_CONTENT")
    return {"CONTENT_DIR": f"{root}/content", "QUIZ_DIR": f"{root}/quizzes"} if root else {}


@pytest.fixture
def app(tmp_path):
    return create_app({
        **content_dirs(),
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
    })


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def catalog(app):
    return app.extensions["catalog"]


@pytest.fixture
def postgres_url():
    """A fresh database on the throwaway PostgreSQL server `make test` starts (TEST_PG_URL)."""
    from webapp.config import normalise_database_url

    server = normalise_database_url(os.environ.get("TEST_PG_URL", ""))
    if not server:
        why = "TEST_PG_URL is not set: `make test` starts a PostgreSQL server and sets it"
        if os.environ.get("FANGZHA_REQUIRE_PG") or os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{why}; PostgreSQL is required here (FANGZHA_REQUIRE_PG or CI is set)", pytrace=False)
        pytest.skip(why)
    import secrets

    import psycopg

    name = f"fz_test_{secrets.token_hex(6)}"
    admin = server.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_uri(request, tmp_path):
    """A fresh database on SQLite, and again on PostgreSQL (skipped by hand without TEST_PG_URL)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def db_app(database_uri):
    """The app on SQLite and again on PostgreSQL: for tests of what the database must guarantee."""
    uri = database_uri
    app = create_app({
        **content_dirs(),
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": uri,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
    })
    yield app
    from webapp.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
