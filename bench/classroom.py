"""One live class session with 300 simulated phones on real gunicorn (2 sync workers, SQLite).

    python -m bench.classroom [--players 300] [--questions 10] [--time-limit 10] [--processes 2]

Every phone joins, polls `state` every 2 s with If-None-Match (as static/js/classroom.js does),
answers each question once after a human-like pause (10 % of phones send their answer twice, as a
phone retrying on a bad network would), and the host advances through the questions with its Bearer
token. At the end the database is read back: every accepted answer must be there exactly once.
Reported: lost and duplicated answers, and p50/p95/p99 latency of state polls and answer posts as
the phones saw them (client-side, so it includes connection set-up; loopback only).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import random
import tempfile
import threading
import time
from pathlib import Path

from .load import gunicorn

POLL_SECONDS = 2.0
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
        next_poll += POLL_SECONDS
        headers = {**auth, **({"If-None-Match": etag} if etag else {})}
        status, response_headers, payload, elapsed = http_.request("GET", f"{API}/{code}/state", headers=headers)
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
    queue.put(out)


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
    from sqlalchemy import func, select

    from webapp import create_app
    from webapp.auth import service as auth_service
    from webapp.catalog import get_catalog
    from webapp.classroom import service as classroom
    from webapp.extensions import db
    from webapp.models import Answer, Player

    setup = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database, "RATELIMIT_ENABLED": False})
    with setup.app_context():  # the host's side, set up directly: the benchmark is about the phones
        organizer = auth_service.create_organizer("bench-teacher", "bench-password-1")
        live, host_token = classroom.create_session(
            organizer.id, get_catalog().quizzes["students-basics"], "speed", args.time_limit, args.questions,
        )
        code = live.code

    with gunicorn(DATABASE_URL=database) as port:
        nicknames = [f"p{i:03d}" for i in range(args.players)]
        budget = 30 + args.questions * (args.time_limit + 6)
        queue = multiprocessing.Queue()
        workers = [
            multiprocessing.Process(target=phones_process, args=(port, code, nicknames[i::args.processes], args.retry_share, budget, queue))
            for i in range(args.processes)
        ]
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
        for worker in workers:
            worker.join(10)

    merged = {key: [item for part in results for item in part[key]] for key in results[0]}
    with setup.app_context():
        rows = db.session.execute(
            select(Player.nickname, Answer.question_index, func.count()).join(Answer, Answer.player_id == Player.id)
            .group_by(Player.nickname, Answer.question_index)
        ).all()
    stored = {(nickname, index): count for nickname, index, count in rows}
    accepted = set(merged["accepted"])
    lost = sorted(accepted - set(stored))
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
        "retries": retries, "retry_changed": changed, "errors": len(merged["errors"]),
        "state_p50": percentile(merged["state"], 0.50), "state_p95": percentile(merged["state"], 0.95),
        "state_p99": percentile(merged["state"], 0.99),
        "answer_p50": percentile(merged["answer"], 0.50), "answer_p95": percentile(merged["answer"], 0.95),
        "answer_p99": percentile(merged["answer"], 0.99),
    }
    not_modified = sum(merged["state_304"]) / max(1, len(merged["state_304"]))
    print(f"live session: {args.players} phones, {args.questions} questions of {args.time_limit} s, gunicorn 2 sync workers, "
          f"SQLite (WAL), {args.processes} client processes; {requests} requests in {wall:.0f} s ({requests / wall:.0f}/s)")
    print(f"answers: {len(accepted)} accepted, {summary['answers_stored']} stored; lost {len(lost)}, duplicated {len(duplicated)} "
          f"(must both be 0); {retries} retried sends got the first result back ({changed} differed, must be 0); "
          f"{len(merged['refused'])} refused (retries, too late); {len(merged['errors'])} errors")
    print(f"state polls: {len(merged['state'])} ({not_modified:.0%} answered 304), p50 {summary['state_p50']:.1f} ms, "
          f"p95 {summary['state_p95']:.1f} ms, p99 {summary['state_p99']:.1f} ms (target p95 < 100 ms)")
    print(f"answer posts: {len(merged['answer'])}, p50 {summary['answer_p50']:.1f} ms, p95 {summary['answer_p95']:.1f} ms, "
          f"p99 {summary['answer_p99']:.1f} ms (target p95 < 100 ms)")
    print(f"joins: p95 {percentile(merged['join'], 0.95):.1f} ms")
    for error in merged["errors"][:5]:
        print(f"    error: {error}")
    return summary


if __name__ == "__main__":
    main()
