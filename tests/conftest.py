from __future__ import annotations

import os
import secrets

import pytest
from flask import request_started

from tests.factories import app_config
from webapp import create_app, release_database


@pytest.fixture
def reached():
    """Counts the requests that reach Flask's dispatch of an app (the rest were answered before it, by the
    gate or the page cache): reached(app) starts counting and returns the list it appends to."""
    counted, apps = [], []

    def count(sender, **extra):
        counted.append(1)

    def start(app):
        request_started.connect(count, app)
        apps.append(app)
        return counted

    yield start
    for app in apps:
        request_started.disconnect(count, app)


@pytest.fixture
def make_app(tmp_path):
    """make_app(**overrides) → a test app (CSRF and rate limits off, a fresh SQLite file, see
    tests/factories.py) with `overrides` on top; its database connections are closed at the end."""
    made = []

    def make(**overrides):
        name = f"test{len(made)}.db" if made else "test.db"
        uri = f"sqlite:///{tmp_path / name}"
        made.append(create_app(app_config(overrides.pop("SQLALCHEMY_DATABASE_URI", uri), **overrides)))
        return made[-1]

    yield make
    for app in made:
        release_database(app)


@pytest.fixture
def app(make_app):
    return make_app()


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
def db_app(make_app, database_uri):
    """The app on SQLite and again on PostgreSQL: for tests of what the database must guarantee."""
    return make_app(SQLALCHEMY_DATABASE_URI=database_uri)
