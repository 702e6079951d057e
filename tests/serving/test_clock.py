"""Deadlines from one clock: two app instances on one PostgreSQL, one of them with its host clock a minute ahead
(libfaketime), agree on what is in time. With each host's own clock the fast one would refuse every answer."""

from __future__ import annotations

import http.client
import json
import os
from email.utils import parsedate_to_datetime

import pytest

from tests import factories

API = "/api/v1/sessions"
LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


def call(port: int, method: str, path: str, body=None, token=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}"), parsedate_to_datetime(response.getheader("Date"))
    finally:
        connection.close()


@pytest.mark.postgres
def test_two_app_instances_with_skewed_clocks_agree_on_deadlines(servers, postgres_url):
    if not os.path.exists(LIBFAKETIME):
        if os.environ.get("FANGZHA_REQUIRE_SERVERS") or os.environ.get("CI"):
            pytest.fail("libfaketime is missing: `make system-test-deps` installs faketime", pytrace=False)
        pytest.skip("libfaketime is missing: `make system-test-deps` installs faketime")
    app = servers.database(SQLALCHEMY_DATABASE_URI=postgres_url)
    with app.app_context():
        code, host_token = factories.live_session(factories.organizer().id, time_limit=10, count=3)
        choice = sorted(factories.questions(code)[0].answer)
    on_time = servers.gunicorn(WEB_CONCURRENCY=1, DATABASE_URL=postgres_url, ready=False)
    ahead = servers.gunicorn(  # this host's clock runs a minute fast
        WEB_CONCURRENCY=1, DATABASE_URL=postgres_url, ready=False,
        LD_PRELOAD=LIBFAKETIME, FAKETIME="+60s",
    )
    servers.wait_ready(on_time)
    servers.wait_ready(ahead)

    tokens = [call(on_time.port, "POST", f"{API}/{code}/players", {"nickname": f"p{i}"})[1]["player_token"] for i in range(3)]
    status, _body, on_time_date = call(on_time.port, "POST", f"{API}/{code}/advance", token=host_token)
    assert status == 200  # the question opens on the host with the right clock: 10 s to answer
    status, state, ahead_date = call(ahead.port, "GET", f"{API}/{code}/state")
    assert (ahead_date - on_time_date).total_seconds() > 50  # the skew is real: gunicorn's Date header says so
    assert state["phase"] == "question" and 5 < state["remaining"] <= 10
    status, result, _date = call(ahead.port, "POST", f"{API}/{code}/answers", {"question": 0, "choice": choice}, tokens[0])
    assert status == 200 and result["accepted"] and result["points"] > 500  # in time, and fast
    status, result, _date = call(on_time.port, "POST", f"{API}/{code}/answers", {"question": 0, "choice": choice}, tokens[1])
    assert status == 200 and result["accepted"]
