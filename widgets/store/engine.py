"""Opening a database: SQLite by default, PostgreSQL when a URL says so.

Why the SQLite settings: many participant kernels write to one file at once. WAL lets
readers carry on while one writer writes; a busy timeout makes a writer wait its turn
instead of failing; and write transactions begin IMMEDIATE so that a read-then-write
transaction never finds, half-way through, that someone else wrote first.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa

from .errors import StoreUnavailable

ENV_URL = "CONDUCTOR_DATABASE_URL"
BUSY_TIMEOUT_MS = 10_000
T = TypeVar("T")


def default_url() -> str:
    """The URL from ``CONDUCTOR_DATABASE_URL``, else the SQLite file in the data folder."""
    from ..paths import data_dir

    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    return f"sqlite:///{data_dir() / 'conductor.sqlite'}"


def make_engine(url: str) -> sa.Engine:
    """An engine with the settings Conductor relies on for this kind of database."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _sqlite_engine(url: str) -> sa.Engine:
    path = sa.engine.make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = conn.get_execution_options().get("conductor_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def is_transient(exc: BaseException) -> bool:
    """True for errors that a retry may cure: a locked file, a dropped connection."""
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return True
    text = str(getattr(exc, "orig", exc)).lower()
    return any(
        marker in text
        for marker in (
            "database is locked",
            "database is busy",
            "server closed the connection",
            "connection refused",
            "terminating connection",
            "could not connect",
            "connection is closed",
            "deadlock detected",
            "could not serialize",
            "shutting down",
            "starting up",
            "connection failed",
            "could not receive data",
            "connection reset",
            "consuming input failed",
        )
    )


def with_retries(work: Callable[[], T], attempts: int = 8, first_wait: float = 0.05) -> T:
    """Run ``work``; on a transient database error wait (doubling) and try again.

    Eight attempts wait about five seconds in all: long enough for PostgreSQL to restart
    or a long write to finish, short enough that a participant is not left wondering.

    After the last attempt the participant gets :class:`StoreUnavailable`, whose message
    says their earlier answers are safe and what to do.
    """
    wait = first_wait
    for attempt in range(attempts):
        try:
            return work()
        except (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DBAPIError) as exc:
            if not is_transient(exc) or attempt == attempts - 1:
                if is_transient(exc):
                    raise StoreUnavailable(
                        "The workshop database is busy or unreachable, so this answer was "
                        "not saved. Your earlier answers are safe. Wait a moment and try again."
                    ) from exc
                raise
            time.sleep(wait)
            wait = min(wait * 2, 2.0)
    raise AssertionError("unreachable")  # pragma: no cover
