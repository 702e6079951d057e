"""Organizer accounts: register, log in, log out, rate limit, CSRF and the CLI."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests import factories
from webapp.extensions import db
from webapp.models import Organizer


def login(client, username="teacher", password="pw", **kwargs):
    return client.post("/auth/login", data={"username": username, "password": password}, **kwargs)


@pytest.fixture
def organizer(app):
    with app.app_context():
        return factories.organizer("teacher", "pw").id


def test_register_logs_in_and_lists_sessions(client, app):
    assert client.get("/classroom/").status_code == 302  # login required
    page = client.get("/auth/register?lang=en").get_data(as_text=True)
    assert 'name="username"' in page and 'name="password"' in page
    response = client.post("/auth/register", data={"username": "Ms Li", "password": "long enough"})
    assert response.status_code == 303 and response.headers["Location"] == "/organizers/dashboard"
    assert "My live sessions" in client.get("/classroom/?lang=en").get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalar(select(Organizer).where(Organizer.username == "Ms Li"))
        assert stored.password_hash != "long enough" and stored.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_register_refuses_duplicate_username_case_insensitively(client, organizer, app):
    response = client.post("/auth/register?lang=en", data={"username": "TEACHER", "password": "long enough"})
    assert response.status_code == 400
    assert "This username is taken" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Organizer.id))) == 1


def test_register_needs_a_long_enough_password(client):
    response = client.post("/auth/register", data={"username": "newbie", "password": "short"})
    assert response.status_code == 400
    assert client.get("/classroom/").status_code == 302


def test_login_and_logout(client, organizer):
    response = login(client)
    assert response.status_code == 303 and response.headers["Location"] == "/organizers/dashboard"
    assert client.get("/classroom/").status_code == 200
    assert client.get("/auth/logout").status_code == 405  # logging out changes state: POST only
    response = client.post("/auth/logout")
    assert response.status_code == 303
    assert client.get("/classroom/").status_code == 302


def test_login_follows_only_local_next(client, organizer):
    assert login(client, query_string={"next": "/classroom/new"}).headers["Location"] == "/classroom/new"
    client.post("/auth/logout")
    assert login(client, query_string={"next": "https://evil.example/"}).headers["Location"] == "/organizers/dashboard"


def test_wrong_password_and_unknown_user(client, organizer):
    for username, password in (("teacher", "nope"), ("nobody", "pw")):
        response = login(client, username, password, query_string={"lang": "en"})
        assert response.status_code == 401
        assert "Wrong username or password." in response.get_data(as_text=True)
    assert client.get("/classroom/").status_code == 302


def test_login_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute", WTF_CSRF_ENABLED=False)
    client = app.test_client()
    with app.app_context():
        factories.organizer("teacher", "pw")
    assert client.get("/auth/login").status_code == 200
    statuses = [login(client, "teacher", "wrong").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    assert login(client).status_code == 429  # even the right password waits
    assert client.get("/auth/login").status_code == 200  # only POSTs count


def test_csrf_is_enforced_on_auth_forms(make_app):
    app = make_app(RATELIMIT_ENABLED=False, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        factories.organizer("teacher", "pw")
    assert login(client).status_code == 400
    assert client.post("/auth/register", data={"username": "x" * 5, "password": "long enough"}).status_code == 400
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"username": "teacher", "password": "pw", "csrf_token": token})
    assert response.status_code == 303
    assert client.post("/auth/logout").status_code == 400  # logout needs the token too
    assert client.get("/classroom/").status_code == 200


def test_cli_creates_an_organizer(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["organizer", "create", "Mr Wang", "--password", "s3cret-pass"])
    assert result.exit_code == 0, result.output
    assert "Mr Wang" in result.output
    client = app.test_client()
    assert login(client, "Mr Wang", "s3cret-pass").status_code == 303
    again = runner.invoke(args=["organizer", "create", "mr wang", "--password", "other"])
    assert again.exit_code != 0 and "already exists" in again.output
