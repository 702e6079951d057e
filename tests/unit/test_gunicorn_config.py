"""gunicorn.conf.py's hooks do what the serving depends on."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_loaded_app_is_frozen_out_of_the_collectors_reach_before_the_workers_fork():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    before = gc.get_freeze_count()
    try:
        config["when_ready"](None)
        assert gc.get_freeze_count() > before  # everything alive now: the workers' full collections skip it
    finally:
        gc.unfreeze()


def _access_line(logger_class, log_format: str) -> str:
    import datetime
    from types import SimpleNamespace

    from gunicorn.config import Config

    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", log_format)
    logger = logger_class(cfg)
    resp = SimpleNamespace(status="304 Not Modified", sent=0, headers=[("ETag", '"Q1-zh-Hans-"')])
    req = SimpleNamespace(path="/play/123456/state", headers=[("USER-AGENT", "phone"), ("COOKIE", "a=b")])
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/play/123456/state?x=1", "PATH_INFO": "/play/123456/state",
               "QUERY_STRING": "x=1", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.7", "HTTP_USER_AGENT": "phone"}
    atoms = logger.atoms(resp, req, environ, datetime.timedelta(seconds=1, microseconds=2345))
    return log_format % logger.atoms_wrapper_class(atoms)


def test_the_access_line_made_from_the_cheap_atoms_is_gunicorns_own():
    from gunicorn.glogging import Logger

    from webapp.serving import QuietHealthLogger

    ours = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["access_log_format"]
    line = _access_line(QuietHealthLogger, ours)
    assert line == _access_line(Logger, ours) == '10.0.0.7 "GET /play/123456/state HTTP/1.1" 304 0 1.002345s'
    # a format asking for more than the common atoms gets gunicorn's whole set
    wider = '%(h)s "%(r)s" %(a)s %({user-agent}i)s %(t)s'
    assert _access_line(QuietHealthLogger, wider).split(" [")[0] == _access_line(Logger, wider).split(" [")[0]
    assert " phone phone " in _access_line(QuietHealthLogger, wider)


def test_a_phones_connection_outlasts_the_pause_between_its_polls():
    from webapp.classroom.codes import POLL_MAX_MS, POLL_STEPS

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    slowest = max([POLL_MAX_MS, *(ms for _, ms in POLL_STEPS)]) / 1000
    assert config["keepalive"] >= slowest + 2  # the pause, plus a slow phone's and a busy worker's delay
    # a whole assembly's phones fit in one worker's connections (2,000, were the accepts to go unevenly)
    assert config["worker_connections"] - config["threads"] >= 2000


def test_the_open_files_limit_is_raised_to_fit_every_connection():
    import resource
    from types import SimpleNamespace

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    before = resource.getrlimit(resource.RLIMIT_NOFILE)
    warnings = []
    server = SimpleNamespace(cfg=SimpleNamespace(worker_connections=config["worker_connections"]),
                             log=SimpleNamespace(warning=lambda *args: warnings.append(args)))
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (512, before[1]))
        config["open_files"](server)
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard == resource.RLIM_INFINITY or hard >= config["worker_connections"] + 256:
            assert soft == config["worker_connections"] + 256 and not warnings
        else:  # a host whose hard limit is lower: as high as it goes, and said so
            assert soft == hard and warnings
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, before)
