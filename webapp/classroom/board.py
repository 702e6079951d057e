"""A counter every worker process on this host reads for free and moves after each write to a live session.

The poll gate (classroom/gate.py) asks the database where a session is (live.sight) for each poll it
answers: at an assembly of 2,000 phones that is hundreds of identical queries a second, and the largest
part of a poll's cost, in the worker and in the database. Where a session is changes only when a row of
`live_session` is written: a join in the lobby, the host's start, reveal and next, the last answer's reveal,
the end, a new session taking a code. So the gate keeps the last look at each code together with this
counter as it read it *before* the query, and asks again only once the counter has moved.

The counter is eight bytes of one small file in the instance folder (`live-board`), mapped into every
process (the workers of one gunicorn share it; apps on other databases only make it move more often).
SQLAlchemy events on the app's engine move it:

- after a statement that writes `live_session` on a connection in autocommit (the gate's own): at once;
- otherwise when that connection goes back to the pool, which the ORM session does as it commits (or rolls
  back): after the commit, so that a reader who sees the old counter has not yet been able to read the
  new row with it. A look cached under the old counter is then refused by everyone.

Increments are taken under a POSIX record lock (per process) and a thread lock, so none is lost. The only
writes it cannot see are those of another host, or of a tool that writes the table with raw SQL: the gate
also refreshes a look older than a few seconds (MAX_AGE), and LIVE_BOARD=0 turns the board off for sites
with several app hosts (then every poll asks the database, as before)."""

from __future__ import annotations

import fcntl
import mmap
import os
import struct
import threading
import weakref
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

from ..extensions import db
from ..models import LiveSession

_COUNTER = struct.Struct("=Q")
_boards: weakref.WeakKeyDictionary[Engine, Board] = weakref.WeakKeyDictionary()  # what `watch` moves, per engine
_WRITTEN = "fangzha.live_written"  # in a pooled connection's info: it wrote a live session, not yet returned


class Board:
    """The counter; `mark()` is None when there is no board (every look then goes to the database)."""

    def __init__(self, path: Path | None):
        self.path, self.map, self.fd = path, None, -1
        self.lock = threading.Lock()
        if path is None:
            return
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if os.fstat(self.fd).st_size < _COUNTER.size:
            os.ftruncate(self.fd, _COUNTER.size)
        self.map = mmap.mmap(self.fd, _COUNTER.size)  # MAP_SHARED: forked workers see one another's writes

    def mark(self) -> int | None:
        return _COUNTER.unpack_from(self.map)[0] if self.map is not None else None

    def touch(self) -> None:
        if self.map is None:
            return
        with self.lock:  # POSIX record locks do not exclude this process's own threads
            fcntl.lockf(self.fd, fcntl.LOCK_EX)
            try:
                _COUNTER.pack_into(self.map, 0, (_COUNTER.unpack_from(self.map)[0] + 1) % 2 ** 64)
            finally:
                fcntl.lockf(self.fd, fcntl.LOCK_UN)


_by_path: dict[Path, Board] = {}  # one Board per file in a process
_by_path_lock = threading.Lock()


def init_app(app) -> None:
    """The app's board (app.extensions["live_board"]), watching its engine; none when LIVE_BOARD is off or
    the database lives in this process's memory. One Board per file in a process: tests make many apps."""
    board = Board(None)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    in_memory = uri.startswith("sqlite") and (":memory:" in uri or uri.rstrip("/") in ("sqlite:", "sqlite+pysqlite:"))
    if app.config["LIVE_BOARD"] and not in_memory:
        path = Path(app.instance_path) / "live-board"
        try:
            with _by_path_lock:
                board = _by_path.get(path) or _by_path.setdefault(path, Board(path))
        except OSError as error:  # an instance folder it cannot write: the gate asks the database every time
            app.logger.warning("No live board at %s (%s): every poll asks the database.", path, error)
        else:
            with app.app_context():
                watch(db.engine, board)
    app.extensions["live_board"] = board


def written_in_cte(connection) -> None:
    """Tell the board that a statement it cannot see as a write (a SELECT whose CTE writes `live_session`) did
    write it on this connection: in autocommit (the gate's) it moves at once, in a transaction when the
    connection goes back to the pool."""
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        if (watching := _boards.get(connection.engine)) is not None:
            watching.touch()
    else:
        connection.info[_WRITTEN] = True


def watch(engine: Engine, board: Board) -> None:
    """Move `board` after every committed write to `live_session` through `engine` (see the module's text)."""
    name = LiveSession.__tablename__
    _boards[engine] = board

    @event.listens_for(engine, "after_cursor_execute")
    def written(connection, cursor, statement, parameters, context, executemany):
        if context is None or not (context.isinsert or context.isupdate or context.isdelete):
            return
        table = getattr(getattr(context.compiled, "statement", None), "table", None)  # an ORM update's is annotated
        if getattr(table, "name", None) != name:
            return
        if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            board.touch()
        else:
            connection.info[_WRITTEN] = True

    @event.listens_for(engine, "checkin")
    def returned(dbapi_connection, record):
        if record is not None and record.info.pop(_WRITTEN, False):
            board.touch()
