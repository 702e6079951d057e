"""One clock for deadlines and answer times: the database's.

Several app hosts share one database, but not one clock: a host 30 s ahead would refuse answers as "too late"
that another accepts. So the time that decides comes from the database server (PostgreSQL's clock_timestamp();
SQLite runs inside the one host that has the file, so its clock is that host's). Asked once per request.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask import g, has_app_context, has_request_context
from sqlalchemy import literal_column, null, text

from .extensions import db
from .types import utcnow

NOW_SQL = {  # the database's time as an SQL expression, by dialect
    "postgresql": "clock_timestamp()",
    "sqlite": "strftime('%Y-%m-%d %H:%M:%f', 'now')",
}


def now_column(dialect: str | None = None):
    """The database's time as a column to add to a query (NULL where the dialect has none): see remember().
    The dialect is the session's unless given (a query built once per dialect)."""
    expression = NOW_SQL.get(dialect or db.session.get_bind().dialect.name)
    return literal_column(expression) if expression else null()


def from_database(value) -> datetime:
    """A NOW_SQL value as a timezone-aware UTC datetime."""
    if isinstance(value, str):  # SQLite: UTC, without a zone
        value = datetime.strptime(value, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def remember(value) -> None:
    """The database's time, read by another query of this request (a NOW_SQL column): now() returns it."""
    if has_request_context() and value is not None:
        g._db_now = from_database(value)


def now() -> datetime:
    """The database's current time, timezone-aware UTC (the same value for the rest of the request)."""
    if not has_app_context():
        return utcnow()
    cached = g.get("_db_now") if has_request_context() else None
    if cached is not None:
        return cached
    expression = NOW_SQL.get(db.session.get_bind().dialect.name)
    if expression is None:
        return utcnow()
    value = from_database(db.session.execute(text(f"SELECT {expression}")).scalar_one())
    if has_request_context():
        g._db_now = value
    return value
