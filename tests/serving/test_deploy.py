"""A zero-downtime deploy on one host, as README "Deploying" describes it: gunicorn's USR2 (a new master with the new
code beside the old one), then TERM to the old master (its workers finish what they have). Mid-question, with phones answering and polling
the whole time: no request refused or failed, no answer lost."""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time

from sqlalchemy import func, select

from tests import factories
from webapp.extensions import db
from webapp.models import Answer

API = "/api/v1/sessions"
PLAYERS = 30


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return found


def request(port: int, method: str, path: str, body=None, token=None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Connection": "close", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data and response.getheader("Content-Type") == "application/json" else {})
    finally:
        connection.close()


def test_a_deploy_mid_question_loses_no_answer_and_refuses_no_request(servers):
    app = servers.database()
    with app.app_context():
        code, host_token = factories.live_session(factories.organizer().id, time_limit=None, count=3)
        question = factories.questions(code)[0]
    choice = sorted(question.answer)
    server = servers.gunicorn(WEB_CONCURRENCY=2)
    port = server.port
    tokens = [request(port, "POST", f"{API}/{code}/players", {"nickname": f"p{i:02d}"})[1]["player_token"]
              for i in range(PLAYERS)]
    assert request(port, "POST", f"{API}/{code}/advance", token=host_token)[0] == 200

    results: list[tuple[str, object]] = []
    answers: dict[int, int] = {}
    done = threading.Event()
    lock = threading.Lock()

    def poller() -> None:
        while not done.is_set():
            try:
                status, _ = request(port, "GET", f"{API}/{code}/state")
            except OSError as error:
                status = repr(error)
            with lock:
                results.append(("state", status))
            time.sleep(0.1)  # a class polls every 2 s; three pollers like this are about 30 phones

    def answerer(mine: list[int], pause: float) -> None:
        for i in mine:
            if done.is_set():
                return
            try:
                status, body = request(port, "POST", f"{API}/{code}/answers", {"question": 0, "choice": choice}, tokens[i])
            except OSError as error:
                status, body = repr(error), {}
            with lock:
                results.append(("answer", status))
                answers[i] = status
            time.sleep(pause)

    old_master = server.master_pid()
    threads = [threading.Thread(target=poller, daemon=True) for _ in range(3)]
    threads += [threading.Thread(target=answerer, args=(list(range(k, PLAYERS, 2)), 0.6), daemon=True) for k in range(2)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        os.kill(old_master, signal.SIGUSR2)  # a new master with the new code, beside the old one
        deadline = time.monotonic() + 90
        new_master = None
        new_pid_file = server.pid_file.with_name(server.pid_file.name + ".2")  # gunicorn's name for the new one
        while time.monotonic() < deadline:
            if new_pid_file.exists() and (text := new_pid_file.read_text().strip()):
                new_master = int(text)
                if len(children_of(new_master)) >= 2:
                    break
            time.sleep(0.2)
        assert new_master and len(children_of(new_master)) >= 2, server.output()[-3000:]
        time.sleep(2)  # the new workers take requests
        # TERM: the old master stops its workers gracefully (they finish what they have) and exits. (WINCH does that
        # without exiting, so that one can roll back, but gunicorn honours it only when run with --daemon.)
        os.kill(old_master, signal.SIGTERM)
        def old_workers() -> list[int]:  # the new master is a child of the old one too
            return [pid for pid in children_of(old_master) if pid != new_master]

        while old_workers() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not old_workers()
        server.process.wait(timeout=30)  # the old master is gone
        time.sleep(1)  # the new code alone serves a little longer
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=40)

    failures = [(kind, status) for kind, status in results if status not in (200, 304)]
    assert not failures, failures[:10]
    assert len(results) > 100 and sum(1 for kind, _ in results if kind == "answer") > 10
    answered = [i for i, status in answers.items() if status == 200]
    # Whoever did not get to answer during the deploy answers now, on the new code.
    for i in range(PLAYERS):
        if i not in answers:
            assert request(port, "POST", f"{API}/{code}/answers", {"question": 0, "choice": choice}, tokens[i])[0] == 200
            answered.append(i)
    with app.app_context():
        stored = db.session.scalar(select(func.count(Answer.id)))
    assert stored == PLAYERS == len(answered)
    log = server.output()
    assert "Traceback" not in log
