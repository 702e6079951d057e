"""Rate limits on a real Redis: they hold across workers and app instances, fall back when Redis goes away at run
time, refuse to start with one clear line when it is not there at start-up; join limits that fit schools."""

from __future__ import annotations

import http.client
import json
import logging
import subprocess
import sys
import time
from pathlib import Path

import pytest
from limits import parse_many

from tests import factories
from webapp.classroom.codes import CODE_LENGTH
from webapp.config import ConfigError, defaults

API = "/api/v1/sessions"
ROOT = Path(__file__).resolve().parents[2]


def post_chat(port: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("POST", "/api/v1/chat", body=json.dumps({"message": "hello"}),
                           headers={"Content-Type": "application/json", "Connection": "close"})
        return connection.getresponse().status
    finally:
        connection.close()


def test_limits_hold_across_workers_and_app_instances(servers, redis_server):
    """Two gunicorn instances (3 workers in all) on one Redis, as two hosts would be: exactly 20 chats a minute."""
    servers.database()
    limited = {"RATELIMIT_ENABLED": "true", "RATELIMIT_STORAGE_URI": redis_server.uri}
    first = servers.gunicorn(WEB_CONCURRENCY=2, ready=False, **limited)
    second = servers.gunicorn(WEB_CONCURRENCY=1, ready=False, **limited)
    servers.wait_ready(first)
    servers.wait_ready(second)
    statuses = [post_chat((first, second)[i % 2].port) for i in range(30)]  # a new connection each: any worker
    assert statuses.count(200) == 20, statuses  # RATELIMIT_CHAT's default: 20 per minute
    assert statuses.count(429) == 10


def limited(make_app, **config):
    """The test app with rate limits on (the make_app fixture turns them off)."""
    return make_app(RATELIMIT_ENABLED=True, **config)


def chat(client) -> int:
    return client.post("/api/v1/chat", json={"message": "我收到短信说医保卡异常"}).status_code


def test_redis_going_away_falls_back_to_memory_and_warns_once(make_app, redis_server, caplog):
    app = limited(make_app, RATELIMIT_STORAGE_URI=redis_server.uri, RATELIMIT_CHAT="6 per minute")
    client = app.test_client()
    assert [chat(client) for _ in range(3)] == [200] * 3
    assert client.get("/readyz").get_json()["checks"]["ratelimit_storage"] is True
    redis_server.stop()
    with caplog.at_level(logging.WARNING):
        statuses = [chat(client) for _ in range(8)]
        assert client.get("/").status_code == 200
        ready = client.get("/readyz")
    assert statuses == [200] * 6 + [429] * 2  # the site answers, and still limits, counting in memory
    assert client.get("/healthz").status_code == 200
    assert ready.status_code == 503 and ready.get_json()["checks"] == {
        "database": True, "catalog": True, "ratelimit_storage": False,
    }
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING and r.name == "flask-limiter"]
    assert len(warnings) == 1 and "falling back to in-memory" in warnings[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_unreachable_redis_at_start_up_is_one_clear_error(make_app, tmp_path):
    with pytest.raises(ConfigError, match=r"rate-limit storage at redis\+unix://.*does not answer"):
        limited(make_app, RATELIMIT_STORAGE_URI=f"redis+unix://{tmp_path / 'none.sock'}")
    with pytest.raises(ConfigError, match=r"redis://:\*\*\*@127\.0\.0\.1:1/0"):  # the password is not printed
        limited(make_app, RATELIMIT_STORAGE_URI="redis://:secret@127.0.0.1:1/0")


@pytest.mark.parametrize("shadow_redis", [False, True])
def test_start_up_failures_are_one_line_not_a_traceback(tmp_path, shadow_redis):
    """As gunicorn would import it: no server at the address, or the redis client missing (shadowed here)."""
    env = {"SECRET_KEY": "x", "PATH": "/usr/bin:/bin", "RATELIMIT_STORAGE_URI": f"redis+unix://{tmp_path / 'no.sock'}",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    if shadow_redis:
        (tmp_path / "redis").mkdir()
        (tmp_path / "redis" / "__init__.py").write_text("raise ImportError('No module named redis')\n")
        env["PYTHONPATH"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-c", "import wsgi"], capture_output=True, text=True, cwd=ROOT,
                            timeout=120, env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fangzha cannot start: "), result.stderr
    assert ("client `redis` is not installed" in lines[0]) == shadow_redis
    assert ("does not answer" in lines[0]) != shadow_redis


# -- joins: a whole school behind one address, and code guessing --------------------------------------------


@pytest.fixture
def school(make_app):
    """The default limits (only the storage is this process's memory), a session in its lobby."""
    app = limited(make_app)
    with app.app_context():
        code, _host = factories.live_session(factories.organizer().id, time_limit=20)
    return app, code


def other_code(code: str) -> str:
    return next(c for c in (f"{n:0{CODE_LENGTH}d}" for n in range(10)) if c != code)


def test_a_class_of_300_behind_one_school_address_joins_at_once(school):
    app, code = school
    phones = app.test_client()  # every phone has the school's one NAT address
    started = time.monotonic()
    mistyped = [phones.post(f"{API}/{other_code(code)}/players", json={"nickname": f"typo{i}"}).status_code
                for i in range(20)]  # one phone in fifteen gets the code wrong once
    joined = [phones.post(f"{API}/{code}/players", json={"nickname": f"student{i:03d}"}).status_code
              for i in range(300)]
    form = phones.post("/join", data={"code": code, "nickname": "by-form"})
    assert mistyped == [404] * 20
    assert joined == [201] * 300 and form.status_code == 303
    assert time.monotonic() - started < 60  # all inside one minute: the limits let the whole class in


def test_failed_code_guesses_are_cut_off_per_address(school):
    app, code = school
    guesser = app.test_client()
    budget = parse_many(defaults("/tmp")["RATELIMIT_CODE_GUESSES"])[0].amount  # per minute
    wrong = [f"{n:06d}" for n in range(900000, 900000 + budget + 1) if f"{n:06d}" != code][: budget]
    assert [guesser.post(f"{API}/{c}/players", json={"nickname": "g"}).status_code for c in wrong] == [404] * budget
    # The budget is spent: every route that tells whether a code exists now waits, even for the right code.
    assert guesser.post(f"{API}/{code}/players", json={"nickname": "g"}).status_code == 429
    assert guesser.get(f"{API}/{code}/state").status_code == 429
    assert guesser.get(f"/play/{code}").status_code == 429
    assert guesser.post("/join", data={"code": code, "nickname": "g"}).status_code == 429
    assert guesser.get("/").status_code == 200  # the rest of the site is not affected
    school_phone = app.test_client()
    school_phone.environ_base["REMOTE_ADDR"] = "10.9.8.7"  # another address keeps its own budget
    assert school_phone.post(f"{API}/{code}/players", json={"nickname": "ok"}).status_code == 201


def test_lookups_of_existing_codes_spend_no_guesses(school):
    """Polling the state 300 times (a class does that every 2 s) costs nothing of the guess budget."""
    app, code = school
    phone = app.test_client()
    assert all(phone.get(f"{API}/{code}/state").status_code == 200 for _ in range(300))
    budget = parse_many(defaults("/tmp")["RATELIMIT_CODE_GUESSES"])[0].amount
    assert [phone.get(f"/play/{other_code(code)}").status_code for _ in range(budget + 1)] == [404] * budget + [429]


def test_successful_joins_are_limited_per_session(make_app):
    app = limited(make_app, RATELIMIT_JOIN="5 per minute")
    with app.app_context():
        organizer = factories.organizer().id
        full, _ = factories.live_session(organizer)
        other, _ = factories.live_session(organizer)
    client = app.test_client()
    assert [client.post(f"{API}/{full}/players", json={"nickname": f"p{i}"}).status_code for i in range(6)] == [201] * 5 + [429]
    assert client.post(f"{API}/{other}/players", json={"nickname": "p"}).status_code == 201  # per session


def test_the_default_join_limit_lets_a_2000_phone_assembly_in_within_a_minute():
    """The largest assembly sized for (README, Capacity), scanning the QR code in under a minute: never a 429."""
    items = parse_many(defaults("/tmp")["RATELIMIT_JOIN"])
    # within one minute: a window of a minute or more lets its amount through, a shorter one its amount each time
    assert min(item.amount * max(1, 60 // item.get_expiry()) for item in items) >= 2000


def test_guessing_a_code_stays_infeasible_with_the_default_limits():
    """With the default budget one address needs, on average, weeks to find any one of 100 open sessions."""
    per_day = min(
        item.amount * 86400 / item.get_expiry() for item in parse_many(defaults("/tmp")["RATELIMIT_CODE_GUESSES"])
    )
    codes, open_sessions = 10 ** CODE_LENGTH, 100
    expected_days = codes / open_sessions / per_day
    assert expected_days > 30, f"{per_day:.0f} guesses a day find a session in {expected_days:.1f} days"
