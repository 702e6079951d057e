"""Real servers on loopback for the serving tests: Redis on a unix socket, gunicorn with gunicorn.conf.py, Debian's
nginx with deploy/nginx.conf. Every process is started in its own process group and killed at the end."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
NGINX = "/usr/sbin/nginx"


def need(binary: str) -> str:
    """The path of a server binary `make system-test-deps` installs; skip (fail under make test or CI) without it."""
    path = shutil.which(binary) or (binary if os.access(binary, os.X_OK) else None)
    if path:
        return path
    why = f"{binary} is not installed: `make system-test-deps` installs it"
    if os.environ.get("FANGZHA_REQUIRE_SERVERS") or os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{why}; the serving tests are required here", pytrace=False)
    pytest.skip(why)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} within {seconds} s")


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, seconds: float = 15) -> None:
    """Stop the process's whole group (each server is started in its own), including what outlives its leader:
    the new master of a USR2 deploy is the old master's child and stays when the old one has exited."""
    def group_alive() -> bool:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    if not group_alive():
        process.poll()
        return
    os.killpg(process.pid, sig)
    deadline = time.monotonic() + seconds
    while group_alive() and time.monotonic() < deadline:
        process.poll()  # reap the leader, so that its pid is not kept as a zombie member
        time.sleep(0.05)
    if group_alive():
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(timeout=5)


@dataclass
class Redis:
    socket_path: Path
    process: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f"redis+unix://{self.socket_path}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [need("redis-server"), "--port", "0", "--unixsocket", str(self.socket_path), "--unixsocketperm", "700",
             "--save", "", "--appendonly", "no", "--dir", str(self.socket_path.parent)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        wait_until(self.answers, 10, "redis-server did not answer")

    def answers(self) -> bool:
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(0.5)
                s.connect(str(self.socket_path))
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, signal.SIGKILL)
            self.process = None
        self.socket_path.unlink(missing_ok=True)


@pytest.fixture
def redis_server(tmp_path):
    server = Redis(tmp_path / "redis.sock")
    server.start()
    yield server
    server.stop()


@dataclass
class Gunicorn:
    port: int
    process: subprocess.Popen
    log: Path
    pid_file: Path

    def get(self, path: str, timeout: float = 10, headers=None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def master_pid(self) -> int:
        return int(self.pid_file.read_text().strip())

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@dataclass
class Servers:
    """Starts gunicorn processes (and remembers them to stop them)."""

    tmp_path: Path
    started: list = field(default_factory=list)
    apps: list = field(default_factory=list)

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.tmp_path / 'site.db'}"

    def database(self, **config):
        """Creates the tables in the database the gunicorn processes use; returns an app bound to it, for data."""
        from webapp import create_app

        app = create_app({
            "TESTING": True, "SECRET_KEY": "serving-test", "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": self.database_url, **config,
        })
        self.apps.append(app)
        return app

    def env(self, **overrides) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "RATELIMIT_", "DATABASE_URL"))}
        env.update({
            "SECRET_KEY": "serving-test", "WEB_CONCURRENCY": "2", "RATELIMIT_ENABLED": "false",
            "DATABASE_URL": self.database_url, "PYTHONUNBUFFERED": "1",
        })
        env.update({k: str(v) for k, v in overrides.items()})
        return env

    def gunicorn(self, *args: str, ready: bool = True, **env) -> Gunicorn:
        port = free_port()
        log = self.tmp_path / f"gunicorn-{port}.log"
        pid_file = self.tmp_path / f"gunicorn-{port}.pid"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                # The gunicorn script, as `make serve` runs it: `python -m gunicorn` cannot re-exec itself on USR2
                # (the new master would find gunicorn's own `http` package in place of the standard library's).
                [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                 "--pid", str(pid_file), *args, "wsgi:app"],
                cwd=ROOT, env=self.env(**env), stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        server = Gunicorn(port, process, log, pid_file)
        self.started.append(process)
        if ready:
            self.wait_ready(server)
        return server

    def wait_ready(self, server: Gunicorn, seconds: float = 90) -> None:
        def up() -> bool:
            if server.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {server.output()[-2000:]}")
            try:
                return server.get("/healthz", timeout=1)[0] == 200
            except OSError:
                return False

        wait_until(up, seconds, "gunicorn did not answer /healthz")

    def nginx(self, upstream_port: int) -> int:
        """deploy/nginx.conf, pointed at gunicorn on upstream_port, listening on a free loopback port."""
        binary = need(NGINX)
        port = free_port()
        prefix = self.tmp_path / f"nginx-{port}"
        (prefix / "logs").mkdir(parents=True)
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        site = (site.replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")
                    .replace("listen 80;", f"listen 127.0.0.1:{port};")
                    .replace("listen [::]:80;", "")
                    .replace("/srv/fangzha", str(ROOT)))
        (prefix / "site.conf").write_text(site)
        user = "" if os.getuid() != 0 else "user root;\n"
        (prefix / "nginx.conf").write_text(
            f"{user}worker_processes 1;\ndaemon off;\npid {prefix}/nginx.pid;\nerror_log {prefix}/logs/error.log warn;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  access_log {prefix}/logs/access.log;\n"
            f"  client_body_temp_path {prefix}/body;\n  proxy_temp_path {prefix}/proxy;\n"
            f"  fastcgi_temp_path {prefix}/fastcgi;\n  uwsgi_temp_path {prefix}/uwsgi;\n  scgi_temp_path {prefix}/scgi;\n"
            f"  include {prefix}/site.conf;\n}}\n"
        )
        with open(prefix / "logs" / "stderr.log", "wb") as err:
            process = subprocess.Popen(
                [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
            )
        self.started.append(process)

        def up() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"nginx exited: {(prefix / 'logs' / 'stderr.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return True
            except OSError:
                return False

        wait_until(up, 20, "nginx did not listen")
        return port

    def stop_all(self) -> None:
        for process in reversed(self.started):
            stop(process)
        from webapp import release_database

        for app in self.apps:
            release_database(app)


@pytest.fixture
def servers(tmp_path):
    made = Servers(tmp_path)
    yield made
    made.stop_all()


@pytest.fixture(scope="module")
def module_servers(tmp_path_factory):
    """One set of servers for a whole test module (starting gunicorn takes seconds)."""
    made = Servers(tmp_path_factory.mktemp("servers"))
    yield made
    made.stop_all()
