"""One live class session with 300 simulated phones on real gunicorn (2 sync workers, SQLite).

    python -m bench.classroom [--players 300] [--questions 10] [--time-limit 10] [--processes 2]

A fresh SQLite database in a temporary directory (created by the app, removed at the end), an
organizer made directly in it; then everything goes over HTTP: the organizer logs in with the form
(CSRF token and cookie, as a browser) and starts the session with POST /api/v1/sessions; every phone
joins, polls `state` every 2 s with If-None-Match (as static/js/classroom.js does), answers each
question once after a human-like pause (10 % of phones send their answer twice, as a phone retrying
on a bad network would), and the host advances through the questions with its Bearer token. Rate
limits are off (300 phones on one address). At the end the database is read back: every accepted
answer must be there exactly once.
Reported: lost and duplicated answers, and p50/p95/p99 latency of state polls and answer posts as
the phones saw them (client-side, so it includes connection set-up and the client's own scheduling
on this machine; loopback only), requests/s, errors, the CPU the server and the phones used, and
the load average (other work on the machine). Exit status 1 when an answer was lost or duplicated,
a retry was scored twice, or a request failed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from .load import gunicorn

POLL_SECONDS = 2.0
TARGET_MS = 100
API = "/api/v1/sessions"




class Http:
    """One phone's connection: http.client re-opens it when gunicorn's sync worker closes it."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, dict, bytes, float]:
        headers = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in range(3):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                elapsed = (time.perf_counter() - started) * 1000
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                return response.status, dict(response.getheaders()), payload, elapsed
            except (OSError, http.client.HTTPException):
                self.connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def phone(port: int, code: str, nickname: str, retry: bool, stop: threading.Event, out: dict) -> None:
    """One player: join, poll, answer every question once (twice when `retry`), until the session ends."""
    try:
        _phone(port, code, nickname, retry, stop, out)
    except Exception as error:  # a dead connection or a body that isn't JSON: counted, never a silent thread death
        out["errors"].append(f"{nickname}: {type(error).__name__}: {error}"[:200])


def _phone(port: int, code: str, nickname: str, retry: bool, stop: threading.Event, out: dict) -> None:
    http_ = Http(port)
    rng = random.Random(nickname)
    status, _, payload, elapsed = http_.request("POST", f"{API}/{code}/players", {"nickname": nickname})
    out["join"].append(elapsed)
    if status != 201:
        out["errors"].append(f"join {status}")
        return
    auth = {"Authorization": f"Bearer {json.loads(payload)['player_token']}"}
    etag, answered, pending = None, set(), None  # pending: (index, choice, due time)
    next_poll = time.monotonic() + rng.uniform(0, POLL_SECONDS)
    while not stop.is_set():
        now = time.monotonic()
        if pending and now >= pending[2]:
            index, choice, _ = pending
            pending = None
            for _send in range(2 if retry else 1):
                status, _, payload, elapsed = http_.request("POST", f"{API}/{code}/answers", {"question": index, "choice": choice}, auth)
                out["answer"].append(elapsed)
                body = json.loads(payload)
                if status == 200 and body.get("accepted"):
                    out["accepted"].append((nickname, index))
                    out["results"].append((nickname, index, body.get("correct"), body.get("points")))
                elif status == 409 and body.get("reason") in ("already_answered", "not_open", "too_late", "wrong_question"):
                    out["refused"].append(body.get("reason"))
                else:
                    out["errors"].append(f"answer {status} {body}")
            answered.add(index)
            continue
        if now < next_poll:
            stop.wait(min(next_poll, pending[2] if pending else next_poll) - now)
            continue
        headers = {**auth, **({"If-None-Match": etag} if etag else {})}
        status, response_headers, payload, elapsed = http_.request("GET", f"{API}/{code}/state", headers=headers)
        next_poll = time.monotonic() + POLL_SECONDS  # 2 s after the answer, as classroom.js: a slow server isn't flooded
        out["state"].append(elapsed)
        out["state_304"].append(status == 304)
        if status == 304:
            continue
        if status != 200:
            out["errors"].append(f"state {status}")
            continue
        etag = response_headers.get("ETag")
        state = json.loads(payload)
        if state["phase"] == "finished":
            return
        question = state.get("question")
        if state["phase"] == "question" and question and question["index"] not in answered and pending is None:
            choices = len(question["choices"])
            choice = [rng.randrange(choices)] if question["kind"] == "multiple" else rng.randrange(choices)
            pending = (question["index"], choice, time.monotonic() + rng.uniform(1.0, 5.0))  # reading, thinking


def phones_process(port: int, code: str, nicknames: list[str], retry_share: float, seconds: float, queue) -> None:
    out = {key: [] for key in ("join", "state", "state_304", "answer", "accepted", "results", "refused", "errors")}
    stop = threading.Event()
    rng = random.Random(nicknames[0])
    threads = [
        threading.Thread(target=phone, args=(port, code, name, rng.random() < retry_share, stop, out), daemon=True)
        for name in nicknames
    ]
    for thread in threads:
        thread.start()
        time.sleep(0.01)  # a class doesn't join in the same millisecond
    deadline = time.monotonic() + seconds
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stop.set()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu"] = [usage.ru_utime + usage.ru_stime]
    queue.put(out)


def host_session(port: int, username: str, password: str, args) -> tuple[str, str]:
    """The organizer's browser: log in with the form, then POST /api/v1/sessions with the cookie and
    the page's CSRF token, as static/js does; returns (code, host_token)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cookies: dict[str, str] = {}

    def send(method, path, body=None, headers=None):
        headers = {**(headers or {}), "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        for line in response.msg.get_all("Set-Cookie") or []:
            name, _, value = line.split(";", 1)[0].partition("=")
            cookies[name.strip()] = value.strip()
        connection.close()  # sync workers close after each response anyway
        return response.status, payload.decode()

    def csrf_token(page: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    from urllib.parse import urlencode

    status, page = send("GET", "/auth/login")
    assert status == 200, status
    form = urlencode({"username": username, "password": password, "csrf_token": csrf_token(page)})
    status, _ = send("POST", "/auth/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 303, f"login: {status}"
    status, page = send("GET", "/classroom/new")  # logging in starts a fresh session: a new CSRF token
    assert status == 200, status
    body = {"quiz": "students-basics", "scoring": "speed", "time_limit": args.time_limit, "questions": args.questions}
    status, payload = send("POST", API, json.dumps(body),
                           {"Content-Type": "application/json", "X-CSRFToken": csrf_token(page)})
    assert status == 201, (status, payload)
    created = json.loads(payload)
    return created["code"], created["host_token"]


def server_cpu_seconds(port: int) -> float:
    """User + system CPU of the gunicorn processes serving this port, so far (Linux /proc): those whose
    command line names the port, and their children (setproctitle may rename the workers)."""
    tick, stats, serving = os.sysconf("SC_CLK_TCK"), {}, set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f"127.0.0.1:{port}".encode() in f.read():
                    serving.add(pid)
        except OSError:
            continue
        own, children = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
        stats[pid] = (fields[1], own / tick, children / tick)  # children: workers that max_requests recycled
    return sum(own + (children if pid in serving else 0)
               for pid, (parent, own, children) in stats.items() if pid in serving or parent in serving)


def failed(summary: dict) -> bool:
    """What must never happen, whatever the machine's load: a lost or duplicated answer, a retry scored
    twice, a failed request."""
    return bool(summary["lost"] or summary["duplicated"] or summary["retry_changed"] or summary["errors"])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--players", type=int, default=300)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--time-limit", type=int, default=10, choices=(10, 20, 30, 60))
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--retry-share", type=float, default=0.10)
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="fangzha-bench-"))
    database = f"sqlite:///{workdir / 'bench.db'}"
    from webapp import create_app
    from webapp.auth import service as auth_service
    from webapp.extensions import db

    setup = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database, "RATELIMIT_ENABLED": False})
    with setup.app_context():  # the app creates the tables; the organizer account as `flask organizer create` would
        auth_service.create_organizer("bench-teacher", "bench-password-1")
    load_before = os.getloadavg()

    try:
        return _run(args, database, setup, load_before)
    finally:
        with setup.app_context():
            db.session.remove()
            db.engine.dispose()
        shutil.rmtree(workdir, ignore_errors=True)


def _run(args, database: str, setup, load_before) -> dict:
    from sqlalchemy import func, select

    from webapp.extensions import db
    from webapp.models import Answer, Player

    with gunicorn(DATABASE_URL=database) as port:
        code, host_token = host_session(port, "bench-teacher", "bench-password-1", args)
        nicknames = [f"p{i:03d}" for i in range(args.players)]
        budget = 30 + args.questions * (args.time_limit + 6)
        queue = multiprocessing.Queue()
        workers = [
            multiprocessing.Process(target=phones_process, args=(port, code, nicknames[i::args.processes], args.retry_share, budget, queue))
            for i in range(args.processes)
        ]
        server_cpu_start = server_cpu_seconds(port)  # after the start-up (preloading the app and its content)
        started = time.perf_counter()
        for worker in workers:
            worker.start()

        host = Http(port)
        bearer = {"Authorization": f"Bearer {host_token}"}

        def host_state() -> dict:
            status, _, payload, _ = host.request("GET", f"{API}/{code}/state", headers=bearer)
            assert status == 200, status
            return json.loads(payload)

        while host_state()["players"] < args.players and time.perf_counter() - started < 30:
            time.sleep(0.5)
        for index in range(args.questions):
            status, _, payload, _ = host.request("POST", f"{API}/{code}/advance", {"phase": "lobby" if index == 0 else "reveal", "question": None if index == 0 else index - 1}, bearer)
            assert status == 200, (status, payload)
            while host_state()["phase"] == "question":  # revealed when everyone answered or at the deadline
                time.sleep(0.25)
            time.sleep(2.0)  # the class looks at the answer and the leaderboard
        status, _, payload, _ = host.request("POST", f"{API}/{code}/advance", {"phase": "reveal", "question": args.questions - 1}, bearer)
        assert status == 200, (status, payload)
        results = [queue.get(timeout=budget + 30) for _ in workers]
        wall = time.perf_counter() - started
        server_cpu = server_cpu_seconds(port) - server_cpu_start
        for worker in workers:
            worker.join(10)
    load_after = os.getloadavg()

    merged = {key: [item for part in results for item in part[key]] for key in results[0]}
    with setup.app_context():
        rows = db.session.execute(
            select(Player.nickname, Answer.question_index, func.count()).join(Answer, Answer.player_id == Player.id)
            .group_by(Player.nickname, Answer.question_index)
        ).all()
    stored = {(nickname, index): count for nickname, index, count in rows}
    accepted = set(merged["accepted"])
    lost = sorted(accepted - set(stored))
    unacknowledged = sorted(set(stored) - accepted)  # stored although the phone never heard back (a timeout)
    duplicated = sorted(key for key, count in stored.items() if count > 1)
    first: dict = {}
    changed = 0  # a retry must get the first send's result back, never a second scoring
    for nickname, index, correct, points in merged["results"]:
        if (nickname, index) in first and first[(nickname, index)] != (correct, points):
            changed += 1
        first.setdefault((nickname, index), (correct, points))
    retries = len(merged["accepted"]) - len(accepted)
    requests = len(merged["join"]) + len(merged["state"]) + len(merged["answer"])
    summary = {
        "players": args.players, "questions": args.questions, "answers_accepted": len(accepted),
        "answers_stored": sum(stored.values()), "lost": len(lost), "duplicated": len(duplicated),
        "unacknowledged": len(unacknowledged), "retries": retries, "retry_changed": changed,
        "errors": len(merged["errors"]), "requests": requests, "seconds": wall, "rps": requests / wall,
        "state_p50": percentile(merged["state"], 0.50), "state_p95": percentile(merged["state"], 0.95),
        "state_p99": percentile(merged["state"], 0.99),
        "answer_p50": percentile(merged["answer"], 0.50), "answer_p95": percentile(merged["answer"], 0.95),
        "answer_p99": percentile(merged["answer"], 0.99),
    }
    not_modified = sum(merged["state_304"]) / max(1, len(merged["state_304"]))
    refused: dict[str, int] = {}
    for reason in merged["refused"]:
        refused[reason] = refused.get(reason, 0) + 1

    def verdict(p95: float) -> str:
        return "MET" if p95 < TARGET_MS else "MISSED"

    print(f"live session: {args.players} phones, {args.questions} questions of {args.time_limit} s (reveal early when all "
          f"have answered), gunicorn 2 sync workers, SQLite (WAL); phones: {args.processes} client processes of threads")
    print(f"requests: {requests} in {wall:.0f} s ({requests / wall:.0f}/s); errors {len(merged['errors'])}")
    print(f"answers: {len(accepted)} of {args.players * args.questions} possible accepted, {summary['answers_stored']} stored; "
          f"lost {len(lost)}, duplicated {len(duplicated)} (must both be 0); "
          f"{len(unacknowledged)} stored without the phone hearing back")
    print(f"retries: {retries} second sends got the first result back ({changed} scored differently, must be 0); "
          f"refused: {', '.join(f'{n} {r}' for r, n in sorted(refused.items())) or 'none'}")
    print(f"state polls: {len(merged['state'])} ({not_modified:.0%} answered 304), p50 {summary['state_p50']:.1f} ms, "
          f"p95 {summary['state_p95']:.1f} ms, p99 {summary['state_p99']:.1f} ms: target p95 < {TARGET_MS} ms "
          f"{verdict(summary['state_p95'])}")
    print(f"answer posts: {len(merged['answer'])}, p50 {summary['answer_p50']:.1f} ms, p95 {summary['answer_p95']:.1f} ms, "
          f"p99 {summary['answer_p99']:.1f} ms: target p95 < {TARGET_MS} ms {verdict(summary['answer_p95'])}")
    print(f"joins: {len(merged['join'])}, p50 {percentile(merged['join'], 0.5):.1f} ms, "
          f"p95 {percentile(merged['join'], 0.95):.1f} ms")
    print(f"CPU: gunicorn {server_cpu:.0f} s ({server_cpu * 1000 / max(1, requests):.1f} ms a request), phones "
          f"{sum(merged['cpu']):.0f} s, over {wall:.0f} s on {os.cpu_count()} cores; load average {load_before[0]:.2f} before "
          f"the run (other work on the machine; about 0 when idle), {load_after[0]:.2f} at the end")
    for error in merged["errors"][:5]:
        print(f"    error: {error}")
    print("FAILED: answers lost, duplicated or rescored, or requests failed" if failed(summary) else
          "exactly once: every accepted answer stored once, no errors")
    return summary


if __name__ == "__main__":
    sys.exit(1 if failed(main()) else 0)
