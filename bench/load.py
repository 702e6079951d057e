"""A small load generator: N processes each keeping one HTTP/1.1 connection busy for a while.

Bounded in time and count, loopback only.
"""

from __future__ import annotations

import contextlib
import http.client
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(target: str = "wsgi:app", stderr_lines: list[str] | None = None, config: str = "gunicorn.conf.py",
             **env_overrides):
    """The site (or another WSGI app) on real gunicorn (gunicorn.conf.py, 2 workers) on a free loopback port;
    yields the port. Its stderr is read all along (a full pipe would block gunicorn), into `stderr_lines`."""
    port = free_port()
    env = {**os.environ, "SECRET_KEY": "bench", "WEB_CONCURRENCY": "2", "RATELIMIT_ENABLED": "false", **env_overrides}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", config, "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", target],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    lines = stderr_lines if stderr_lines is not None else []
    reader = threading.Thread(target=lambda: lines.extend(line.decode(errors="replace") for line in server.stderr), daemon=True)
    reader.start()
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=40)  # gunicorn's graceful_timeout is 20 s


@contextlib.contextmanager
def redis_server(directory: Path):
    """A throwaway Redis on a unix socket in `directory`, as `make serve` runs one for the rate limits;
    yields its RATELIMIT_STORAGE_URI."""
    import redis

    socket_path = directory / "redis.sock"
    server = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(socket_path), "--unixsocketperm", "700", "--save", "",
         "--appendonly", "no", "--dir", str(directory)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.time() + 10
        while True:
            try:
                redis.Redis(unix_socket_path=str(socket_path), socket_timeout=0.5).ping()
                break
            except (redis.RedisError, OSError):
                if time.time() > deadline:
                    raise RuntimeError("redis-server did not answer") from None
                time.sleep(0.1)
        yield f"redis+unix://{socket_path}"
    finally:
        server.kill()
        server.wait(timeout=10)


def _worker(host, port, path, seconds, headers, queue, expect=200):
    latencies, errors = [], 0
    connection = http.client.HTTPConnection(host, port, timeout=10)
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline and len(latencies) + errors < 200_000:
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != expect:
                errors += 1
            else:
                latencies.append((time.perf_counter() - started) * 1000)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=10)
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.close()
    queue.put((latencies, errors))


def run_load(host: str, port: int, path: str, seconds: float, concurrency: int, headers=None, expect=200) -> dict:
    assert host in ("127.0.0.1", "localhost", "::1"), "load tests target this machine only"
    queue = multiprocessing.Queue()
    started = time.perf_counter()
    workers = [
        multiprocessing.Process(target=_worker, args=(host, port, path, seconds, headers or {}, queue, expect))
        for _ in range(concurrency)
    ]
    for w in workers:
        w.start()
    results = [queue.get() for _ in workers]
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")  # noqa: E731
    return {
        "requests": len(latencies) + errors, "errors": errors, "seconds": elapsed,
        "rps": len(latencies) / elapsed, "p50": pick(0.5), "p99": pick(0.99),
    }
