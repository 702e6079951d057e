"""One live class session with hundreds of real-behaving phones on real gunicorn (2 workers).

    python -m bench.classroom [--players 300] [--questions 10] [--time-limit 10] [--processes 2] [--join-seconds S]
                              [--database sqlite|postgresql] [--no-js-share 0.1] [--retry-share 0.1]
                              [--typing-seconds 3,10] [--rate-limits redis|memory|off]

A fresh database (SQLite in a temporary directory, or a throwaway PostgreSQL cluster with its default
durability, started by scripts/pg_test.sh), an organizer made directly in it; then everything goes over
HTTP. The organizer logs in with the form and starts the session with POST /api/v1/sessions, then drives it
with its Bearer token. Every phone is a browser (bench/phones.py): it joins with the form, loads the HTML
play page; with JavaScript (90 % by default) it polls /play/<code>/state with If-None-Match at the interval
the server sets, swaps in the phase the poll brought and answers with fetch (a JSON reply); without it,
it answers with a form POST → 303 → GET and the <noscript> refresh reloads the page every 3 s. Retries as phones do them: a failed poll waits for the next tick, a failed
answer is sent again after 1-3 s; 10 % of phones send each answer twice. A person takes 3-10 s to type a
nickname once the join form is open (--typing-seconds). The rate limits are on, counted in a local Redis
as `make serve` runs them (--rate-limits): the phones share one address, so only the joins per session
count (and a failed guess, were there one). gunicorn's stderr is read all along and its error lines reported.
At the end the database is read back: every answer a phone saw accepted must be stored exactly once, and
the points each phone saw at the reveal must be the stored ones.
Reported: p50/p95/p99 per request kind as the phones saw them (client-side, loopback, on the same cores as
the server), answers that came too late, requests/s, the CPU the server and the phones used, the load
average. Exit status 1 when an answer was lost, duplicated or rescored, a request failed for good, or the
server logged an error.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .load import gunicorn, redis_server
from .phones import KINDS, phones_process

TARGET_MS = {1000: 100, 2000: 250}  # polls' and answers' p95 by the number of phones (issue 19's): up to 1,000, up to 2,000


def target_ms(players: int) -> int:
    """The p95 a session of this many phones is held to: the smallest size's at or above it (the largest's beyond)."""
    return next((ms for size, ms in sorted(TARGET_MS.items()) if players <= size), max(TARGET_MS.values()))
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


def machine_busy() -> tuple[float, float, float]:
    """(busy, all, stolen) CPU seconds of the whole machine so far, every core (Linux /proc/stat): whatever
    ran, the server, the phones, the database, anything else; stolen: the time a virtual machine's cores
    were ready to run but its host ran something else."""
    fields = [int(value) for value in open("/proc/stat").readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle) / tick, sum(fields) / tick, fields[7] / tick


def processes() -> dict[str, tuple[str, str, float, float]]:
    """Every process now (Linux /proc): pid -> (name, parent pid, own CPU seconds, its finished children's)."""
    tick, found = os.sysconf("SC_CLK_TCK"), {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                name, rest = f.read().split(" (", 1)[1].rsplit(")", 1)
        except OSError:
            continue
        fields = rest.split()
        found[pid] = (name, fields[1], (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick)
    return found


def database_cpu_seconds() -> float:
    """User + system CPU of the PostgreSQL processes so far, with their finished children (0 with SQLite)."""
    return sum(own + children for name, _parent, own, children in processes().values() if name.startswith("postgres"))


def server_cpu_seconds(port: int) -> float:
    """User + system CPU of the gunicorn processes serving this port, so far: those whose command line names
    the port, with their finished children (workers that max_requests recycled), and their children
    (setproctitle may rename the workers)."""
    stats, serving = processes(), set()
    for pid in stats:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f"127.0.0.1:{port}".encode() in f.read():
                    serving.add(pid)
        except OSError:
            continue
    return sum(own + (children if pid in serving else 0)
               for pid, (_name, parent, own, children) in stats.items() if pid in serving or parent in serving)


def failed(summary: dict) -> bool:
    """What must never happen, whatever the machine's load: a lost, duplicated or rescored answer, a phone
    that gave up with an error, a server error."""
    return bool(summary["lost"] or summary["duplicated"] or summary["rescored"] or summary["errors"]
                or summary["server_errors"])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


@contextlib.contextmanager
def database(kind: str, workdir: Path):
    """A fresh, empty database URL: SQLite in `workdir`, or a throwaway PostgreSQL cluster (scripts/pg_test.sh,
    with PostgreSQL's default durability: fsync and synchronous commit on, as in production)."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    script = Path(__file__).resolve().parent.parent / "scripts" / "pg_test.sh"
    started = subprocess.run(["bash", str(script), "start"], capture_output=True, text=True, check=True,
                             env={**os.environ, "PG_DURABLE": "1"})
    values = dict(part.split("=", 1) for part in started.stdout.split()[1:])
    try:
        yield values["TEST_PG_URL"]
    finally:
        subprocess.run(["bash", str(script), "stop", values["PG_TEST_DIR"]], check=False)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--players", type=int, default=300)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--time-limit", type=int, default=10, choices=(10, 20, 30, 60))
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--retry-share", type=float, default=0.10)
    parser.add_argument("--no-js-share", type=float, default=0.10)
    parser.add_argument("--join-seconds", type=float, default=None,
                        help="spread the phones' joins over this many seconds, as a hall that takes its time "
                             "(default: all within about 5 s, a storm)")
    parser.add_argument("--typing-seconds", default="3,10",
                        help="LOW,HIGH: how long a person takes to type a nickname once the join form is open "
                             "(0,0: they send it at once)")
    parser.add_argument("--rate-limits", choices=("redis", "memory", "off"), default="redis",
                        help="the rate limits as `make serve` runs them (a local Redis), counted in each worker's "
                             "memory, or off (the phones share one address; only the joins per session count)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (WEB_CONCURRENCY)")
    parser.add_argument("--threads", type=int, default=None, help="threads a worker (THREADS; gunicorn.conf.py's default)")
    parser.add_argument("--target-ms", type=float, default=None,
                        help="the polls' and answers' p95 to meet (default: 100 ms up to 1,000 phones, 250 ms up to 2,000)")
    parser.add_argument("--timeline", action="store_true",
                        help="also print, second by second, how many requests the phones sent and their slowest, with the host's steps")
    parser.add_argument("--form-answers", action="store_true",
                        help="phones with JavaScript answer with the plain form POST → 303 → page, as classroom.js did "
                             "before it sent answers with fetch (to measure older versions)")
    args = parser.parse_args(argv)

    args.typing = tuple(float(part) for part in args.typing_seconds.split(","))
    workdir = Path(tempfile.mkdtemp(prefix="fangzha-bench-"))
    try:
        with database(args.database, workdir) as url, contextlib.ExitStack() as stack:
            args.limits = {"RATELIMIT_ENABLED": "false"} if args.rate_limits == "off" else {
                "RATELIMIT_ENABLED": "true",
                "RATELIMIT_STORAGE_URI": stack.enter_context(redis_server(workdir)) if args.rate_limits == "redis" else "memory://",
            }
            return _prepared(args, url)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _prepared(args, url: str) -> dict:
    from webapp import create_app, release_database
    from webapp.auth import service as auth_service

    setup = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with setup.app_context():  # the app creates the tables; the organizer account as `flask organizer create` would
        auth_service.create_organizer("bench-teacher", "bench-password-1")
    try:
        return _run(args, url, setup, os.getloadavg())
    finally:
        release_database(setup)


def drive(port: int, code: str, host_token: str, args, started: float, game=None, steps=None) -> float:
    """The host: wait for the class, then start, and go on from each reveal after 2 s. Sets `game` and
    returns the server's CPU seconds so far just before the start."""
    host = Http(port)
    bearer = {"Authorization": f"Bearer {host_token}"}
    steps = steps if steps is not None else []

    def host_state() -> dict:
        status, _, payload, _ = host.request("GET", f"{API}/{code}/state", headers=bearer)
        assert status == 200, status
        return json.loads(payload)

    def advance(phase: str, question: int | None) -> None:
        steps.append((time.time(), f"host advances from {phase} {question}"))
        status, _, payload, _ = host.request("POST", f"{API}/{code}/advance", {"phase": phase, "question": question}, bearer)
        assert status == 200, (status, payload)

    while host_state()["players"] < args.players and time.perf_counter() - started < 60 + (args.join_seconds or 0):
        time.sleep(0.5)
    cpu_at_start = server_cpu_seconds(port)
    if game is not None:
        game.set()
    for index in range(args.questions):
        advance("lobby" if index == 0 else "reveal", None if index == 0 else index - 1)
        while host_state()["phase"] == "question":  # revealed when everyone answered or at the deadline
            time.sleep(0.25)
        time.sleep(2.0)  # the class looks at the answer and the leaderboard
    advance("reveal", args.questions - 1)
    return cpu_at_start


def _run(args, url: str, setup, load_before) -> dict:
    from sqlalchemy import func, select

    from webapp.extensions import db
    from webapp import models
    from webapp.models import Answer, Player

    LateAnswer = getattr(models, "LateAnswer", None)  # noqa: N806  (absent in versions before late answers)

    server_log: list[str] = []
    cpu_dir = Path(tempfile.mkdtemp(prefix="fangzha-cpu-"))
    serving = {"WEB_CONCURRENCY": str(args.workers), **({"THREADS": str(args.threads)} if args.threads else {})}
    with gunicorn(DATABASE_URL=url, stderr_lines=server_log, config="bench/gunicorn_cpu.py", BENCH_CPU_DIR=str(cpu_dir),
                  **serving, **args.limits) as port:
        code, host_token = host_session(port, "bench-teacher", "bench-password-1", args)
        nicknames = [f"p{i:04d}" for i in range(args.players)]
        budget = 60 + (args.join_seconds or 0) + args.questions * (args.time_limit + 8)
        options = {"retry_share": args.retry_share, "no_js_share": args.no_js_share, "time_limit": args.time_limit,
                   "form_answers": args.form_answers, "typing": args.typing,
                   "join_spacing": (args.join_seconds * args.processes / max(1, args.players) if args.join_seconds
                                    else min(0.01, 20.0 / max(1, args.players)))}
        queue, game = multiprocessing.Queue(), multiprocessing.Event()
        workers = [
            multiprocessing.Process(target=phones_process, args=(port, code, nicknames[i::args.processes], options, budget, queue, game))
            for i in range(args.processes)
        ]
        server_cpu_start = server_cpu_seconds(port)  # after the start-up (preloading the app and its content)
        busy_start, database_start = machine_busy(), database_cpu_seconds()
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        steps: list[tuple[float, str]] = []
        cpu_at_game = drive(port, code, host_token, args, started, game, steps)
        results = [queue.get(timeout=budget + 30) for _ in workers]
        wall = time.perf_counter() - started
        busy_end, database_cpu = machine_busy(), database_cpu_seconds() - database_start
        server_cpu = server_cpu_seconds(port) - server_cpu_start
        game_cpu = server_cpu_seconds(port) - cpu_at_game
        for worker in workers:
            worker.join(10)
        server_log = list(server_log)  # before the shutdown: its SIGTERM lines are not errors
    load_after = os.getloadavg()
    by_kind, per_worker, walls = cpu_by_kind(cpu_dir)

    merged = {key: [item for part in results for item in part[key]] for key in results[0]}
    with setup.app_context():
        rows = db.session.execute(
            select(Player.nickname, Answer.question_index, func.count(), func.max(Answer.points))
            .join(Answer, Answer.player_id == Player.id).group_by(Player.nickname, Answer.question_index)
        ).all()
        late_rows, late_keys = 0, set()
        if LateAnswer is not None:
            late_rows = db.session.scalar(select(func.count(LateAnswer.id))) or 0
            late_keys = set(db.session.execute(select(Player.nickname, LateAnswer.question_index).join(Player)).all())
    stored = {(nickname, index): (count, points) for nickname, index, count, points in rows}
    accepted = set(merged["accepted"])
    lost = sorted(accepted - set(stored))
    duplicated = sorted(key for key, (count, _points) in stored.items() if count > 1)
    rescored = sorted((n, i) for n, i, points in merged["points_seen"] if (n, i) in stored and stored[(n, i)][1] != points)
    if lost:
        print("lost (nickname, question; late row stored?):", [(key, key in late_keys) for key in lost[:8]])
    server_errors = [line for line in server_log if "Traceback" in line or "[ERROR]" in line or "CRITICAL" in line]
    requests = sum(len(merged[kind]) for kind in KINDS if kind != "answer_trip")
    summary = {
        "players": args.players, "questions": args.questions, "database": args.database,
        "answers_accepted": len(accepted), "answers_stored": len(stored), "lost": len(lost),
        "duplicated": len(duplicated), "rescored": len(rescored), "late": len(set(merged["late"])),
        "late_stored": late_rows, "points_checked": len(merged["points_seen"]), "refused": len(merged["refused"]), "failures": len(merged["failures"]),
        "errors": len(merged["errors"]), "server_errors": len(server_errors), "requests": requests,
        "seconds": wall, "rps": requests / wall, "server_cpu_ms": server_cpu * 1000 / max(1, requests),
    }
    game_requests = sum(len(merged[f"game_{kind}"]) for kind in KINDS if kind != "answer_trip")
    summary["game_requests"], summary["game_cpu_ms"] = game_requests, game_cpu * 1000 / max(1, game_requests)
    for kind in KINDS:
        for q in (50, 95, 99):
            summary[f"{kind}_p{q}"] = percentile(merged[kind], q / 100)
            summary[f"game_{kind}_p{q}"] = percentile(merged[f"game_{kind}"], q / 100)
    summary["cpu_by_kind"], summary["per_worker"], summary["walls"] = by_kind, per_worker, walls
    summary["database_cpu"] = database_cpu
    summary["machine_busy"] = (busy_end[0] - busy_start[0]) / max(1e-9, busy_end[1] - busy_start[1])
    summary["machine_stolen"] = (busy_end[2] - busy_start[2]) / max(1e-9, busy_end[1] - busy_start[1])
    report(args, summary, merged, server_cpu, wall, load_before, load_after, server_errors)
    if args.timeline:
        timeline(merged["trace"], steps)
    return summary


def timeline(trace: list[tuple[float, str, float]], steps: list[tuple[float, str]]) -> None:
    """Second by second: requests the phones sent by kind, the slowest of each, and the host's steps."""
    if not trace:
        return
    start = min(at for at, _kind, _ms in trace)
    seconds: dict[int, dict[str, list[float]]] = {}
    for at, kind, ms in trace:
        seconds.setdefault(int(at - start), {}).setdefault(kind, []).append(ms)
    notes: dict[int, list[str]] = {}
    for at, what in steps:
        notes.setdefault(int(at - start), []).append(what)
    print("timeline (second: kind count/slowest ms):")
    for second in range(max(seconds) + 1):
        kinds = seconds.get(second, {})
        line = "  ".join(f"{kind} {len(ms)}/{max(ms):.0f}" for kind, ms in sorted(kinds.items()))
        print(f"  {second:4d}  {line}  {' · '.join(notes.get(second, []))}")


def cpu_by_kind(directory: Path) -> tuple[dict[str, tuple[int, float]], list[tuple[int, float]], dict[str, list[float]]]:
    """What bench/gunicorn_cpu.py's workers wrote as they exited: kind -> (requests, CPU seconds); each
    worker's requests and CPU seconds (a worker keeps the connections it accepted: a hall can lean on one);
    kind -> each request's handling wall time in ms."""
    total: dict[str, list] = {}
    workers = []
    walls: dict[str, list[float]] = {}
    for path in directory.glob("*.wall"):
        for kind, times in json.loads(path.read_text()).items():
            walls.setdefault(kind, []).extend(times)
    for path in directory.glob("*.json"):
        mine = [0, 0.0]
        for kind, (count, seconds, *longest) in json.loads(path.read_text()).items():
            entry = total.setdefault(kind, [0, 0.0, 0.0])
            entry[0] += count
            entry[1] += seconds
            entry[2] = max([entry[2], *longest])
            if not kind.startswith("gc"):
                mine[0] += count
                mine[1] += seconds
        workers.append(tuple(mine))
    shutil.rmtree(directory, ignore_errors=True)
    kinds = {kind: tuple(entry) for kind, entry in sorted(total.items(), key=lambda item: -item[1][1])}
    return kinds, sorted(workers, reverse=True), walls


def report(args, summary, merged, server_cpu, wall, load_before, load_after, server_errors) -> None:
    goal = args.target_ms or target_ms(args.players)

    def verdict(p95: float) -> str:
        return "MET" if p95 < goal else "MISSED"

    not_modified = len(merged["poll_304"]) / max(1, len(merged["poll"]))
    joining = f"joining over {args.join_seconds:.0f} s" if args.join_seconds else "joining all at once"
    typing = "sent at once" if not any(args.typing) else f"typed in {args.typing[0]:g}-{args.typing[1]:g} s"
    print(f"live session: {args.players} phones ({args.no_js_share:.0%} without JavaScript, {joining}, nicknames {typing}), "
          f"{args.questions} questions of {args.time_limit} s, gunicorn {args.workers} workers of {args.threads or 'the default'} "
          f"threads, {args.database}, rate limits {args.rate_limits}; phones: {args.processes} client processes of threads")
    print(f"requests: {summary['requests']} in {wall:.0f} s ({summary['rps']:.0f}/s); "
          f"failed and retried {summary['failures']}; phones that gave up {summary['errors']}; "
          f"connections opened {len(merged['connects'])}; "
          f"server error lines {summary['server_errors']}")
    print(f"answers: {summary['answers_accepted']} of {args.players * args.questions} possible accepted, "
          f"{summary['answers_stored']} stored; lost {summary['lost']}, duplicated {summary['duplicated']}, "
          f"rescored {summary['rescored']} of {summary['points_checked']} checked at the reveal (all must be 0); too late {summary['late']} "
          f"(told so on the phone; {summary['late_stored']} counted for the host); other refusals {summary['refused']}")
    for kind, label in (("poll", "state polls"), ("answer", "answer posts"), ("answer_trip", "answer + page"),
                        ("page", "page loads"), ("join", "joins")):
        extra = f" ({not_modified:.0%} answered 304)" if kind == "poll" else ""
        target = f": target p95 < {goal:g} ms {verdict(summary[f'{kind}_p95'])}" if kind in ("poll", "answer") else ""
        print(f"{label}: {len(merged[kind])}{extra}, p50 {summary[f'{kind}_p50']:.1f} ms, "
              f"p95 {summary[f'{kind}_p95']:.1f} ms, p99 {summary[f'{kind}_p99']:.1f} ms{target}")
    game = ", ".join(
        f"{label} p50 {summary[f'game_{kind}_p50']:.1f} / p95 {summary[f'game_{kind}_p95']:.1f} / "
        f"p99 {summary[f'game_{kind}_p99']:.1f} ms"
        for kind, label in (("poll", "polls"), ("answer", "answers"), ("page", "pages"))
    )
    print(f"the game alone (from the host's start, everyone joined; {summary['game_requests']} requests, "
          f"{summary['game_cpu_ms']:.1f} ms of server CPU a request): {game}")
    print(f"CPU: gunicorn {server_cpu:.0f} s ({summary['server_cpu_ms']:.1f} ms a request), phones "
          f"{sum(merged['cpu']):.0f} s, the database {summary['database_cpu']:.0f} s, over {wall:.0f} s on {os.cpu_count()} cores; load average {load_before[0]:.2f} before "
          f"the run (other work on the machine; about 0 when idle), {load_after[0]:.2f} at the end; the machine's cores "
          f"were busy {summary['machine_busy']:.0%} of the run (server, phones, database and anything else), "
          f"{summary['machine_stolen']:.1%} stolen by the virtual machine's host")
    if summary["cpu_by_kind"]:
        kinds = summary["cpu_by_kind"].items()
        print("server CPU by kind (the handling thread's own, from gunicorn's pre_request to post_request): " + ", ".join(
            f"{kind} {count} × {seconds * 1000 / max(1, count):.2f} ms = {seconds:.1f} s"
            for kind, (count, seconds, _longest) in kinds if not kind.startswith("gc")))
        print("each worker: " + ", ".join(f"{count} requests, {seconds:.1f} s of CPU" for count, seconds in summary["per_worker"]))
        print("handling wall time by kind, p50 / p95 / p99 (pre_request to post_request; a phone's latency less this "
              "is the wait for a thread and the network): " + ", ".join(
                  f"{kind} {percentile(times, 0.5):.1f} / {percentile(times, 0.95):.1f} / {percentile(times, 0.99):.1f} ms"
                  for kind, times in sorted(summary["walls"].items(), key=lambda item: -len(item[1]))
                  if len(times) >= 20 and not kind.startswith("wait:")))
        print("waiting in the server before that, p50 / p95 / p99 (from the request's first bytes reaching the worker "
              "to pre_request: the wait for a free thread, and reading the headers): " + ", ".join(
                  f"{kind[5:]} {percentile(times, 0.5):.1f} / {percentile(times, 0.95):.1f} / {percentile(times, 0.99):.1f} ms"
                  for kind, times in sorted(summary["walls"].items(), key=lambda item: -len(item[1]))
                  if len(times) >= 20 and kind.startswith("wait:")))
        print("garbage collections in the workers: " + ", ".join(
            f"generation {kind[2:]}: {count}, {seconds:.1f} s in all, the longest {longest * 1000:.0f} ms"
            for kind, (count, seconds, longest) in sorted(kinds) if kind.startswith("gc")))
    failures: dict[str, int] = {}
    for failure in merged["failures"]:
        failures[failure] = failures.get(failure, 0) + 1
    if failures:
        print("failed and retried: " + ", ".join(f"{n} {what}" for what, n in sorted(failures.items())))
    for line in [*merged["errors"][:5], *server_errors[:5]]:
        print(f"    error: {line}")
    print("FAILED: answers lost, duplicated or rescored, or errors" if failed(summary) else
          "exactly once: every accepted answer stored once with the points the phone saw, no errors")


if __name__ == "__main__":
    sys.exit(1 if failed(main()) else 0)
