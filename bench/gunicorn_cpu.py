"""gunicorn.conf.py, plus the server CPU each kind of request costs, and the workers' garbage collections.

    gunicorn -c bench/gunicorn_cpu.py ...   with BENCH_CPU_DIR=<a directory>

The handling thread's own CPU (time.thread_time) from gunicorn's pre_request to its post_request hook, so other
threads of the worker waiting on the GIL are not counted; summed per kind, written by each worker as it exits
to BENCH_CPU_DIR/<pid>.json. Reading the request line and headers comes before pre_request and is not counted.
"""

import json
import os
import re
import runpy
import time
from pathlib import Path

globals().update({key: value for key, value in runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py")).items()
                  if not key.startswith("__")})

_KINDS = (
    (re.compile(r"/play/\d+/state"), "GET", "poll"),
    (re.compile(r"/play/\d+/answer"), "POST", "answer"),
    (re.compile(r"/play/\d+"), "GET", "page"),
    (re.compile(r"/join"), "GET", "join form"),
    (re.compile(r"/join"), "POST", "join"),
    (re.compile(r"/api/.*"), None, "host"),
)
_spent: dict[str, list[float]] = {}  # kind -> [requests, CPU seconds]
_walls: dict[str, list[float]] = {}  # kind -> each request's wall time from pre_request to post_request, ms


def kind_of(method: str, path: str, status: str, gated: bool) -> str:
    for pattern, wanted, kind in _KINDS:
        if pattern.fullmatch(path) and wanted in (None, method):
            kind = f"poll {status[:3]}" if kind == "poll" else kind
            return f"{kind} (gate)" if gated else kind
    return "other"


_gc = {"started": 0.0}


def _gc_watch(phase, info):
    """Garbage collections: how many, how long in all and at most, per generation."""
    if phase == "start":
        _gc["started"] = time.perf_counter()
        return
    took = time.perf_counter() - _gc["started"]
    entry = _spent.setdefault(f"gc{info['generation']}", [0, 0.0, 0.0])
    entry[0] += 1
    entry[1] += took
    entry[2] = max(entry[2], took)


def post_fork(server, worker):
    import gc

    gc.callbacks.append(_gc_watch)


def pre_request(worker, req):
    req.cpu_started, req.wall_started = time.thread_time(), time.perf_counter()
    if (ready := getattr(req, "ready_at", None)) is not None:  # webapp/serving.py: its bytes arrived then
        req.waited = 1000 * (req.wall_started - ready)


def post_request(worker, req, environ, resp):
    spent = time.thread_time() - getattr(req, "cpu_started", time.thread_time())
    kind = kind_of(req.method, req.path, str(getattr(resp, "status", "") or ""), bool(environ.get("fangzha.gate")))
    entry = _spent.setdefault(kind, [0, 0.0])
    entry[0] += 1
    entry[1] += spent
    # the handling's wall time: its own CPU plus waiting for the GIL, the database and the disk; not the
    # time the request waited for a thread (a phone's latency less this is the queue)
    _walls.setdefault(kind, []).append(1000 * (time.perf_counter() - getattr(req, "wall_started", time.perf_counter())))
    if (waited := getattr(req, "waited", None)) is not None:  # for a thread, and reading the headers
        _walls.setdefault(f"wait:{kind}", []).append(waited)


def worker_exit(server, worker):
    if directory := os.environ.get("BENCH_CPU_DIR"):
        (Path(directory) / f"{os.getpid()}.json").write_text(json.dumps(_spent))
        (Path(directory) / f"{os.getpid()}.wall").write_text(json.dumps(_walls))
