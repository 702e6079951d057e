"""gunicorn's threaded worker with deadlines, so that slow or silent clients cannot hold the site.

gunicorn's `gthread` worker hands a connection to a thread once its first byte arrives, and the thread then
blocks reading the headers and the body for as long as the client likes: a few clients sending a byte at a
time, or promising a body they never send, take every thread. This worker bounds both:

- a new connection must send its first byte within `keepalive` seconds (like an idle kept-alive one);
- the whole request, headers and body, must arrive within REQUEST_READ_TIMEOUT seconds (default 10; a 64 KiB
  form takes about 13 s at 5 KB/s, ordinary forms well under 1 s); past it the connection reads as closed:
  the request is dropped (headers) or answered 400 (body cut short) and the connection is closed;
- each write to the client may wait REQUEST_SEND_TIMEOUT seconds (default 30).

With nginx in front (deploy/nginx.conf) nginx buffers whole requests and these limits are never reached.
"""

from __future__ import annotations

import errno
import os
import re
import selectors
import socket
import time
from concurrent import futures
from functools import partial

from gunicorn.glogging import Logger
from gunicorn.workers.gthread import TConn, ThreadWorker
from werkzeug.exceptions import ClientDisconnected

READ_TIMEOUT = float(os.environ.get("REQUEST_READ_TIMEOUT", "10"))
SEND_TIMEOUT = float(os.environ.get("REQUEST_SEND_TIMEOUT", "30"))
HEALTH_PATHS = ("/healthz", "/readyz")


class DeadlineSocket:
    """A client socket whose reads share one deadline per request. Past it, reading the headers sees the end of
    the stream (gunicorn closes the connection quietly) and reading the body raises ClientDisconnected (the app
    answers 400, never acting on half a form); later reads see the end of the stream."""

    def __init__(self, sock: socket.socket):
        self._sock = sock
        self._deadline = float("inf")
        self.expired = False
        self.in_body = False

    def start_request(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds
        self.in_body = False

    def recv(self, size: int, *flags) -> bytes:
        if self.expired:
            return b""
        remaining = self._deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise TimeoutError
            self._sock.settimeout(remaining)
            return self._sock.recv(size, *flags)
        except TimeoutError:
            self.expired = True
            if self.in_body:
                raise ClientDisconnected("The request body did not arrive in time.") from None
            return b""

    def sendall(self, data, *flags) -> None:
        self._sock.settimeout(SEND_TIMEOUT)
        self._sock.sendall(data, *flags)

    def send(self, data, *flags) -> int:
        self._sock.settimeout(SEND_TIMEOUT)
        return self._sock.send(data, *flags)

    def sendfile(self, file, offset: int = 0, count: int | None = None) -> int:
        self._sock.settimeout(SEND_TIMEOUT)
        return self._sock.sendfile(file, offset, count)

    def fileno(self) -> int:
        return self._sock.fileno()

    def __getattr__(self, name: str):  # setblocking, close, getpeername, shutdown...
        return getattr(self._sock, name)


class DeadlineConn(TConn):
    def __init__(self, cfg, sock, client, server):
        super().__init__(cfg, DeadlineSocket(sock), client, server)


class DeadlineThreadWorker(ThreadWorker):
    """gthread with the deadlines above, and a main loop that does not walk every request in flight each turn.
    gunicorn 23's loop calls futures.wait over all of them after each poll only to forget the finished ones (the
    requests' own callbacks do the work): at a burst, with hundreds queued for a thread, that walk took an eighth
    of a worker's GIL (py-spy at 2,000 phones). Here each request's callback drops it from a set. And a worker
    holding worker_connections connections stops accepting new ones but goes on reading those it has (gunicorn
    23 stopped polling altogether until a thread finished)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.futures = set()  # the requests handed to a thread and not yet finished
        self._accepting = False

    def _wrap_future(self, fs, conn):
        fs.conn = conn
        self.futures.add(fs)
        fs.add_done_callback(self._finished)

    def _finished(self, fs):
        self.futures.discard(fs)
        self.finish_request(fs)

    def _accept_new(self, wanted: bool) -> None:
        if wanted == self._accepting:
            return
        for sock in self.sockets:
            if wanted:
                self.poller.register(sock, selectors.EVENT_READ, partial(self.accept, sock.getsockname()))
            else:
                self.poller.unregister(sock)
        self._accepting = wanted

    def run(self):
        for sock in self.sockets:
            sock.setblocking(False)
        while self.alive:
            self.notify()
            with self._lock:
                self._accept_new(self.nr_conns < self.worker_connections)
            try:
                events = self.poller.select(1.0)
            except InterruptedError:
                events = ()
            for key, _ in events:
                key.data(key.fileobj)
            if not self.is_parent_alive():
                break
            self.murder_keepalived()
        self.tpool.shutdown(False)
        self.poller.close()
        for sock in self.sockets:
            sock.close()
        futures.wait(list(self.futures), timeout=self.cfg.graceful_timeout)

    def accept(self, server, listener):
        try:
            sock, client = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        conn = DeadlineConn(self.cfg, sock, client, server)
        self.nr_conns += 1
        conn.set_timeout()  # silent new connections are closed like idle kept-alive ones (murder_keepalived)
        with self._lock:
            self._keep.append(conn)
            self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_client_socket_readable, conn))

    def on_client_socket_readable(self, conn, client):
        conn.ready_at = time.perf_counter()  # the request's first bytes are in: from here it waits for a thread
        with self._lock:
            self.poller.unregister(client)
            try:
                self._keep.remove(conn)
            except ValueError:  # closed for idling a moment ago
                return
        self.enqueue_req(conn)

    def murder_keepalived(self):
        super().murder_keepalived()
        if not self.alive:  # the last turn of the loop before a graceful exit (deploys: README)
            self.serve_pending_connections()

    def serve_pending_connections(self):
        """Connections accepted but not yet read would be dropped with the poller on exit: serve them first (the
        thread pool finishes its work within graceful_timeout). Idle kept-alive ones are closed as usual."""
        with self._lock:
            pending = [conn for conn in self._keep if not conn.initialized]
            for conn in pending:
                self._keep.remove(conn)
                try:
                    self.poller.unregister(conn.sock)
                except (KeyError, ValueError, OSError):
                    pass
        for conn in pending:
            self.enqueue_req(conn)

    def handle(self, conn):
        if conn.sock.expired:
            return (False, conn)
        conn.sock.start_request(READ_TIMEOUT)
        keepalive, conn = super().handle(conn)
        return (keepalive and not conn.sock.expired, conn)

    def handle_request(self, req, conn):
        conn.sock.in_body = True  # the headers are in; the app reads the body
        req.ready_at = getattr(conn, "ready_at", None)  # for a pre_request hook (bench/gunicorn_cpu.py)
        return super().handle_request(req, conn)


class QuietHealthLogger(Logger):
    """gunicorn's logger, less the access lines of successful health checks (a balancer asks every few seconds),
    and with the access line's atoms made cheaply when the format asks only for common ones: gunicorn's own
    `atoms` builds every atom there is (the date, each request and response header, every environ key) for each
    request, 47 µs of a worker's GIL, a tenth of a poll answered 304 (measured in-process)."""

    _wanted: frozenset[str] | None = None

    def access(self, resp, req, environ, request_time):
        if req.path in HEALTH_PATHS and str(resp.status).startswith("200"):
            return
        super().access(resp, req, environ, request_time)

    def atoms(self, resp, req, environ, request_time):
        if self._wanted is None:
            self._wanted = frozenset(_ATOM.findall(self.cfg.access_log_format))
        if not self._wanted <= _CHEAP_ATOMS:
            return super().atoms(resp, req, environ, request_time)
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        sent = getattr(resp, "sent", None)
        return {
            "h": environ.get("REMOTE_ADDR", "-"), "m": environ.get("REQUEST_METHOD"), "U": environ.get("PATH_INFO"),
            "q": environ.get("QUERY_STRING"), "H": environ.get("SERVER_PROTOCOL"), "s": status,
            "b": sent is not None and str(sent) or "-", "B": sent,
            "L": "%d.%06d" % (request_time.seconds, request_time.microseconds),
        }


_ATOM = re.compile(r"%\(([^)]*)\)")
_CHEAP_ATOMS = frozenset("hmUqHsbBL")
