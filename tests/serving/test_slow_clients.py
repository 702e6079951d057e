"""Slow clients against real gunicorn (gunicorn.conf.py, as `make serve` runs it) and Debian's nginx with
deploy/nginx.conf in front: clients trickling their headers a byte at a time, or promising a body they never send,
must not stall the site. Bounded: every socket has a timeout, every server is killed at the end."""

from __future__ import annotations

import gzip
import http.client
import re
import select
import socket
import threading
import time

import pytest

READ_TIMEOUT = 3  # REQUEST_READ_TIMEOUT for this gunicorn (default 10 s): keeps the test short
THREADS = 4


class SlowClient(threading.Thread):
    """One connection that never completes its request; records when (and how) the server gave up on it."""

    def __init__(self, port: int, kind: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.kind, self.stop = port, kind, stop
        self.opened = self.closed_at = None
        self.reply = b""

    def run(self) -> None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            self.opened = time.monotonic()
            if self.kind == "headers":  # a header line that never ends, one byte at a time
                sock.sendall(b"GET / HTTP/1.1\r\nHost: slow\r\nX-Slow: ")
            else:  # complete headers, a body promised and never sent
                sock.sendall(b"POST /api/v1/chat HTTP/1.1\r\nHost: slow\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 2000\r\n\r\n{\"message\": \"")
            while not self.stop.is_set() and time.monotonic() - self.opened < 60:
                readable, _, _ = select.select([sock], [], [], 0.3)
                if readable:
                    try:
                        data = sock.recv(4096)
                    except OSError:
                        data = b""
                    self.reply += data
                    if not data:
                        self.closed_at = time.monotonic()
                        return
                    continue
                if self.kind == "headers":
                    try:
                        sock.send(b"x")
                    except OSError:
                        self.closed_at = time.monotonic()
                        return

    @property
    def status(self) -> int | None:
        found = re.match(rb"HTTP/1\.[01] (\d{3})", self.reply)
        return int(found.group(1)) if found else None


def timed_get(port: int, path: str = "/", timeout: float = 30) -> tuple[int, float, http.client.HTTPResponse, bytes]:
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        body = response.read()
        return response.status, time.monotonic() - started, response, body
    finally:
        connection.close()


def slow_clients(port: int, count: int, stop: threading.Event) -> list[SlowClient]:
    clients = [SlowClient(port, "headers" if i % 2 == 0 else "body", stop) for i in range(count)]
    for client in clients:
        client.start()
    time.sleep(0.5)  # every one of them has been handed to a thread by now
    return clients


@pytest.fixture(scope="module")
def site(module_servers):
    """One gunicorn worker (the worst case) with gunicorn.conf.py's worker class; nginx in front of it."""
    module_servers.database()
    server = module_servers.gunicorn(
        WEB_CONCURRENCY=1, THREADS=THREADS, REQUEST_READ_TIMEOUT=READ_TIMEOUT, TRUSTED_PROXY_HOPS=1,
        RATELIMIT_ENABLED="true", RATELIMIT_STORAGE_URI="memory://",  # one worker: memory counts exactly
    )
    proxy_port = module_servers.nginx(server.port)
    return server, proxy_port


def test_two_slow_clients_do_not_stall_gunicorn(site):
    server, _proxy = site
    stop = threading.Event()
    try:
        slow_clients(server.port, 2, stop)
        for _ in range(3):
            status, seconds, _response, _body = timed_get(server.port)
            assert status == 200 and seconds < 2, f"a page took {seconds:.1f} s behind two slow clients"
    finally:
        stop.set()


def test_gunicorn_cuts_slow_clients_off_at_the_read_deadline(site):
    """As many slow clients as the worker has threads: the site answers again once the deadline cuts them off."""
    server, _proxy = site
    stop = threading.Event()
    try:
        clients = slow_clients(server.port, THREADS, stop)
        status, seconds, _response, _body = timed_get(server.port)
        assert status == 200 and seconds < READ_TIMEOUT + 2, f"the page took {seconds:.1f} s"
        for client in clients:
            client.join(timeout=READ_TIMEOUT + 5)
            assert client.closed_at is not None, f"gunicorn kept a slow {client.kind} client"
            assert client.closed_at - client.opened < READ_TIMEOUT + 2
        body_clients = [c for c in clients if c.kind == "body"]
        assert all(c.status == 400 for c in body_clients), "half a body is refused, never acted on"
        assert all(c.status is None for c in clients if c.kind == "headers")  # dropped without a word
    finally:
        stop.set()
    assert "Traceback" not in server.output()


def test_nginx_holds_many_slow_clients_without_stalling(site):
    server, proxy = site
    stop = threading.Event()
    try:
        slow_clients(proxy, 20, stop)  # five times what gunicorn alone has threads for
        for _ in range(3):
            status, seconds, _response, _body = timed_get(proxy)
            assert status == 200 and seconds < 2, f"a page through nginx took {seconds:.1f} s"
    finally:
        stop.set()


def test_nginx_serves_static_files_and_gzips_pages(site):
    server, proxy = site
    status, _seconds, response, body = timed_get(proxy, "/")
    assert status == 200 and response.getheader("Content-Encoding") == "gzip"
    page = gzip.decompress(body).decode()
    stylesheet = re.search(r'href="(/static/css/site-[0-9a-f]{32}\.css)"', page).group(1)
    status, _seconds, response, body = timed_get(proxy, stylesheet)
    assert status == 200 and response.getheader("Content-Encoding") == "gzip"  # the .gz copy from disk
    assert "immutable" in response.getheader("Cache-Control")
    assert b"{" in gzip.decompress(body)
    log = server.output()
    assert 'GET / HTTP/1.0"' in log or 'GET / HTTP/1.1"' in log
    assert "/static/" not in log, "static files must come from nginx, not through gunicorn"


def test_rate_limits_see_the_real_client_address_through_nginx(site):
    """TRUSTED_PROXY_HOPS=1 and nginx's X-Forwarded-For: a client cannot dodge a limit by writing the header."""
    _server, proxy = site
    statuses = []
    for i in range(25):  # RATELIMIT_CHAT's default: 20 per minute; from an address no other test uses
        connection = http.client.HTTPConnection("127.0.0.1", proxy, timeout=10, source_address=("127.0.0.2", 0))
        connection.request("POST", "/api/v1/chat", body='{"message": "hello"}',
                           headers={"Content-Type": "application/json", "X-Forwarded-For": f"10.0.0.{i}"})
        statuses.append(connection.getresponse().status)
        connection.close()
    assert statuses.count(200) == 20 and statuses[20:] == [429] * 5



def test_a_worker_at_its_connection_limit_still_answers_the_connections_it_holds(module_servers):
    """A worker holding worker_connections connections accepts no more, but a request on one it holds is answered
    at once (gunicorn 23's own loop stopped reading them until a thread finished or one idled out: 10 s here)."""
    limit, threads = 4, 2
    server = module_servers.gunicorn(WEB_CONCURRENCY=1, THREADS=threads, WORKER_CONNECTIONS=limit, KEEPALIVE=10)
    time.sleep(11)  # the readiness check's connection has idled out: the worker holds none
    held = [http.client.HTTPConnection("127.0.0.1", server.port, timeout=5) for _ in range(limit - threads)]
    silent = []
    try:
        for connection in held:  # answered and kept alive
            connection.request("GET", "/healthz")
            assert b"ok" in connection.getresponse().read()
        silent = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(threads)]
        time.sleep(0.5)  # accepted, waiting for a first byte: the worker is at its limit
        for connection in held:
            started = time.monotonic()
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            assert response.status == 200 and b"ok" in response.read()
            assert time.monotonic() - started < 2, "a held connection waited for the worker to read it"
    finally:
        for connection in [*held, *silent]:
            connection.close()
