"""The poll gate's kept sightings on real gunicorn with two worker processes (classroom/board.py): a host's
step taken in one worker is seen at once by phones whose polls the other worker answers from its memory."""

from __future__ import annotations

import http.client
import json

from tests import factories

API = "/api/v1/sessions"
PHONES = 12


def send(connection: http.client.HTTPConnection, method: str, path: str, headers=None, body=None):
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.read()


def test_every_phone_sees_each_step_at_once_whichever_worker_answers_it(servers, database_uri):
    app = servers.database(SQLALCHEMY_DATABASE_URI=database_uri)
    with app.app_context():
        code, host_token = factories.live_session(factories.organizer().id, time_limit=60, count=3)
    site = servers.gunicorn(WEB_CONCURRENCY=2, DATABASE_URL=database_uri)
    host = {"Authorization": f"Bearer {host_token}", "Content-Type": "application/json"}
    phones = []  # one keep-alive connection each: the two workers share them out
    for number in range(PHONES):
        connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=20)
        status, body = send(connection, "POST", f"{API}/{code}/players", {"Content-Type": "application/json"},
                            json.dumps({"nickname": f"p{number}"}))
        assert status == 201 or status == 200, body
        phones.append((connection, {"Cookie": f"fz_player={json.loads(body)['player_token']}"}))
    steps = ["L", "Q0", "R0", "Q1", "R1", "Q2"]
    host_connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=20)
    try:
        for shown, moved_to in zip(steps, steps[1:]):
            tag = f'"{shown}-zh-Hans-"'
            for _ in range(3):  # every worker keeps this step's sighting
                for connection, cookie in phones:
                    assert send(connection, "GET", f"/play/{code}/state", {**cookie, "If-None-Match": tag})[0] == 304
            assert send(host_connection, "POST", f"{API}/{code}/advance", host, b"{}")[0] == 200
            for connection, cookie in phones:  # at once, not after the sighting's age runs out
                status, body = send(connection, "GET", f"/play/{code}/state", {**cookie, "If-None-Match": tag})
                assert status == 200, f"a phone was told {shown} is still on after the host moved to {moved_to}"
                state = json.loads(body)
                assert (state["phase"][0].upper(), state["index"]) == (moved_to[0], int(moved_to[1:]))
    finally:
        for connection, _cookie in phones:
            connection.close()
        host_connection.close()
    assert "Traceback" not in site.output()
