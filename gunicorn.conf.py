"""gunicorn settings; every value can be overridden on the command line or with GUNICORN_CMD_ARGS."""

import gc
import multiprocessing
import os
import resource

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threads, with a deadline for reading each request (webapp/serving.py): a client sending its headers a byte at
# a time, or never sending the body it promised, holds one thread for at most REQUEST_READ_TIMEOUT seconds.
worker_class = "webapp.serving.DeadlineThreadWorker"
threads = int(os.environ.get("THREADS", 4))
# Each phone of a live session keeps one connection open. A threaded worker holding worker_connections of them
# accepts no more (and gunicorn 23's own gthread loop stopped reading the ones it had until one closed): at
# 2,000 phones on 2 workers, about 1,000 each, polls waited seconds (README "Capacity"). The soft limit on
# open files is raised to fit (on_starting).
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", 4000))
timeout = 30
graceful_timeout = 20
# Longer than the slowest poll interval (classroom/codes.py POLL_MAX_MS, 5 s at the largest sessions): a phone's
# connection must outlast the pause between its polls, or each poll opens a new one (bench.classroom at 2,000
# phones, keepalive 5 s: 8,690-9,922 connections opened; 10 s: 2,000, one a phone). Also the time a new connection
# has to send its first byte (webapp/serving.py); silent ones wait in the poller, holding no thread.
keepalive = int(os.environ.get("KEEPALIVE", 10))
# No recycling by default: restarting a worker mid-quiz leaves the others every phone for seconds (measured:
# at 1,000 phones, recycling every 5,000 requests put state p95 at 100-232 ms, 10-14 ms without it), and the
# app's caches are bounded. MAX_REQUESTS=N turns it back on, spread by up to half of N.
max_requests = int(os.environ.get("MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 2
preload_app = True  # content is loaded and checked once, before forking; a broken catalog stops the master
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190
accesslog = "-"
# No query strings in the access log: they can carry what people typed. Health checks are not logged.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
logger_class = "webapp.serving.QuietHealthLogger"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    open_files(server)
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    if storage.startswith("memory") and server.cfg.workers > 1:
        server.log.warning(
            "RATELIMIT_STORAGE_URI is memory://: each of the %d workers counts on its own, so rate limits let "
            "%d times as much through. `make serve` starts a local Redis; see README \"Deploying\".",
            server.cfg.workers, server.cfg.workers,
        )


def open_files(server):
    """Raise the soft limit on open files (the workers inherit it) to fit every worker connection plus the
    database's, the logs' and the listeners'; warn when the hard limit will not allow it."""
    needed = server.cfg.worker_connections + 256
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        raised = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
        if raised < needed:
            server.log.warning("open files are limited to %d: each worker can keep about %d connections, not %d "
                               "(raise the hard limit, e.g. LimitNOFILE)", raised, raised - 256, server.cfg.worker_connections)


def when_ready(server):
    """The app is loaded (preload_app) and the workers are about to fork: freeze what exists now (the catalog,
    the chatbot's model, the templates) out of the garbage collector's reach. Without it, each worker's full
    collections walked all of it again and again: at 1,000 phones, four of them took 1.9 s, the longest
    1.1 s, with every request of that worker waiting (bench.classroom prints the collections). It also keeps
    the workers sharing those pages with the master (a collection writes to every object it visits)."""
    gc.freeze()
