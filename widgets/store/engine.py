"""Opening a database: SQLite by default, PostgreSQL when a URL says so.

Why the SQLite settings: many participant kernels write to one file at once. WAL lets
readers carry on while one writer writes; a busy timeout makes a writer wait its turn
instead of failing; and write transactions begin IMMEDIATE so that a read-then-write
transaction never finds, half-way through, that someone else wrote first.
"""

from __future__ import annotations

import collections
import contextlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.pool import ConnectionPoolEntry

from ..paths import data_dir
from .errors import StoreUnavailable

ENV_URL = "CONDUCTOR_DATABASE_URL"
# How a process (each page's kernel) holds its one PostgreSQL connection: "kept" between
# uses (a use costs a query, about half a millisecond here), or "per-use": opened for each
# use and closed after it, so an idle page holds none (a use then also pays for a new
# connection, about 15 ms and a few ms of CPU on each side with password logins;
# benchmarks/db_connections.py measures both). The default, "auto": kept while the database
# has room to spare, per use once it has not (``has_room``). Why a default that changes its
# mind: with "kept" two servers of 60 pages against PostgreSQL's default max_connections=100
# failed 24 pages (7 Dec); with "per-use" a room of 100 open pages logs in 100 times a
# second for ever. See the facilitator guide's budget.
ENV_CONNECTIONS = "CONDUCTOR_DATABASE_CONNECTIONS"
CONNECTION_MODES = ("auto", "kept", "per-use")
# "auto" keeps a connection only while this share of the connections PostgreSQL allows (at
# least SPARE_AT_LEAST of them) is still free once it is open: the rest are for the pages
# that then open one per use, and for whatever else uses that server.
SPARE_SHARE = 0.2
SPARE_AT_LEAST = 5
# A use waits this long for the process's connection while another thread of the same
# process has it (a use is one transaction: milliseconds, or with_retries' few seconds).
CONNECTION_WAIT_SECONDS = 30.0
# Opening a connection that PostgreSQL refuses (all its slots taken, or restarting) is tried
# again, doubling from this wait, CONNECT_ATTEMPTS times in all (about five seconds), unless
# with_retries already tries the whole use again. Reads are not wrapped in with_retries, and
# per use every read opens a connection: without this a page failed to build when the
# database was full for a moment.
CONNECT_ATTEMPTS = 8
FIRST_CONNECT_WAIT = 0.05
_retrying = threading.local()  # .active: inside with_retries on this thread
BUSY_TIMEOUT_MS = 10_000
# An answer shown as "Saved" must survive the laptop losing power a moment later. In WAL
# mode NORMAL syncs the log only at checkpoints (such answers can be lost); FULL syncs it at
# every commit. benchmarks/sqlite_sync.py measures what FULL costs a room answering at once
# (figures in benchmarks/README.md): too little to be felt, so FULL.
SQLITE_SYNCHRONOUS = "FULL"
T = TypeVar("T")


def default_url() -> str:
    """The URL from ``CONDUCTOR_DATABASE_URL``, else the SQLite file in the data folder."""

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
    mode = os.environ.get(ENV_CONNECTIONS, "").strip().lower() or "auto"
    if mode not in CONNECTION_MODES:
        raise sa.exc.ArgumentError(  # Store says which database it was opening
            f"{ENV_CONNECTIONS} is {mode!r}; it must be \"auto\" (the default: each page "
            "keeps one database connection while the database has room, and opens one only "
            "while it reads or writes once it has not), \"kept\" (each page keeps one) or "
            "\"per-use\" (a page opens a connection only while it reads or writes)")
    pool = OneConnectionPerUse if mode == "per-use" else OneConnectionPool
    connect_args: dict[str, object] = {}
    parsed = sa.engine.make_url(url)
    if "prepare_threshold" in parsed.query:
        # psycopg prepares a statement it has run 5 times on a connection. Behind PgBouncer's
        # transaction pooling (before 1.21) the next transaction may get another server
        # connection, where it does not exist: ?prepare_threshold=none turns that off.
        raw = str(parsed.query["prepare_threshold"]).strip().lower()
        if raw not in ("none", "off", "") and not raw.isdigit():
            raise sa.exc.ArgumentError(
                f"prepare_threshold in the database URL is {raw!r}; it must be none (no "
                "prepared statements, for PgBouncer) or a whole number")
        connect_args["prepare_threshold"] = int(raw) if raw.isdigit() else None
        url = parsed.difference_update_query(["prepare_threshold"]).render_as_string(
            hide_password=False)
    if "application_name" not in parsed.query:
        # IT can count the kit's connections, and each process's, in pg_stat_activity.
        connect_args["application_name"] = f"conductor {os.getpid()}"
    engine = sa.create_engine(url, poolclass=pool, pool_pre_ping=True,
                              connect_args=connect_args)
    if mode == "auto":
        @sa.event.listens_for(engine, "connect")
        def _keep_while_room(dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
            record.info[KEEP] = has_room(dbapi_conn)

    return engine


KEEP = "conductor_keep"  # in a connection's info: False, closed after its use (auto)


def has_room(dbapi_conn: Any) -> bool:
    """Whether the database will still have room to spare with this connection kept: at
    most all but ``SPARE_SHARE`` (at least ``SPARE_AT_LEAST``) of the connections it allows
    ordinary users are open (this one counted), every client of that server counted, the
    kit's own on other servers too. Asked once per new connection: one query.

    When it cannot tell (a server without these settings, or a role that may not read
    them), the connection is kept, as "kept" would."""
    try:
        cur = dbapi_conn.cursor()
        try:
            cur.execute(
                "SELECT (SELECT count(*) FROM pg_stat_activity "
                "        WHERE backend_type = 'client backend'), "
                "current_setting('max_connections')::int "
                "- current_setting('superuser_reserved_connections')::int "
                "- coalesce(nullif(current_setting('reserved_connections', true), '')::int, 0)")
            row = cur.fetchone()
        finally:
            cur.close()
            dbapi_conn.rollback()  # leave no transaction open: the pool's user begins its own
    except Exception:  # any doubt: keep, as before this rule
        with contextlib.suppress(Exception):
            dbapi_conn.rollback()
        return True
    if not row or row[0] is None or row[1] is None:
        return True
    in_use, allowed = int(row[0]), int(row[1])
    spare = max(SPARE_AT_LEAST, int(allowed * SPARE_SHARE))
    return in_use <= allowed - spare


class OneConnectionPool(sa.pool.NullPool):
    """At most one connection per process, kept between uses (unless its ``info`` says not
    to keep it: "auto", when the database had no room to spare as it opened).

    Why: every page has its own kernel, and every kernel its own pool. SQLAlchemy's default
    pool lets each open up to 15 connections (5 kept, 10 more when busy), so two servers of
    80 pages could ask PostgreSQL for thousands where it allows 100. With this pool a server
    needs at most one connection per open page (the budget in the facilitator guide).

    Threads of one process take turns, in the order they asked: a second thread waits until
    the first has finished its transaction. A use nested inside another on the same thread
    (the kit makes none) gets a connection of its own for its duration rather than waiting
    for itself forever.
    """

    keep = True

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._turn = threading.Condition()
        self._holder: int | None = None  # the thread using the connection now
        self._depth = 0  # how many uses that thread has open (more than 1 only when nested)
        self._queue: collections.deque[int] = collections.deque()  # threads waiting, in order
        self._idle: ConnectionPoolEntry | None = None  # the kept connection, between uses

    def status(self) -> str:
        return f"{type(self).__name__} holder={self._holder} depth={self._depth}"

    def _do_get(self) -> ConnectionPoolEntry:
        me = threading.get_ident()
        with self._turn:
            if self._holder != me:
                if self._holder is None and not self._queue:
                    self._holder = me
                else:  # wait in line: the connection is handed to the longest waiting
                    self._queue.append(me)
                    if not self._turn.wait_for(lambda: self._holder == me,
                                               CONNECTION_WAIT_SECONDS):
                        self._queue.remove(me)
                        raise StoreUnavailable(
                            "The workshop database is busy, so this was not saved or shown. "
                            "Your earlier answers are safe. Wait a moment and try again.")
            self._depth += 1
            kept, self._idle = (self._idle, None) if self._depth == 1 else (None, self._idle)
        if kept is not None:
            return kept  # SQLAlchemy checks it (pre-ping) and reconnects if it has gone
        try:
            return self._open()
        except BaseException:
            self._release()
            raise

    def _open(self) -> ConnectionPoolEntry:
        """A new connection; refused for a moment (too many clients, a restart), try again."""
        if getattr(_retrying, "active", False):
            return self._create_connection()  # with_retries tries the whole use again
        wait = FIRST_CONNECT_WAIT
        for attempt in range(CONNECT_ATTEMPTS):
            try:
                return self._create_connection()
            except Exception as exc:
                if attempt == CONNECT_ATTEMPTS - 1 or not is_transient(exc):
                    raise
            time.sleep(wait)
            wait = min(wait * 2, 2.0)
        raise AssertionError("unreachable")  # pragma: no cover

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        try:
            with self._turn:
                keep = (self.keep and record.info.get(KEEP, True) and self._idle is None
                        and self._depth == 1)
                if keep:
                    self._idle = record
            if not keep:
                record.close()
        finally:
            self._release()

    def _release(self) -> None:
        with self._turn:
            self._depth = max(0, self._depth - 1)
            if self._depth == 0:
                # Handed on, not let go: a thread that just finished cannot take it back
                # ahead of those waiting (with many threads some waited past their limit).
                self._holder = self._queue.popleft() if self._queue else None
                self._turn.notify_all()

    def dispose(self) -> None:
        with self._turn:
            kept, self._idle = self._idle, None
        if kept is not None:
            kept.close()


class OneConnectionPerUse(OneConnectionPool):
    """At most one connection per process, opened for each use and closed after it: an
    idle page holds none (``CONDUCTOR_DATABASE_CONNECTIONS=per-use``)."""

    keep = False


def _sqlite_engine(url: str) -> sa.Engine:
    path = sa.engine.make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: object) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get("conductor_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


# Errors a retry may cure, by the database's own code: PostgreSQL words its messages in the
# server's language (lc_messages), and a message can quote a name or a person's text.
# PostgreSQL's SQLSTATE codes: serialization failure, deadlock, a lock not available, the
# server shutting down, crashed or starting up, too many connections; and class 08, the
# connection exceptions.
RETRY_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57P01", "57P02", "57P03", "53300"})
RETRY_SQLSTATE_CLASSES = frozenset({"08"})
# SQLite's primary result codes (the low byte of an extended code such as SQLITE_BUSY_SNAPSHOT):
# the file is busy with another writer, or a table is locked.
RETRY_SQLITE_CODES = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED


def is_transient(exc: BaseException) -> bool:
    """True for errors that a retry may cure: a locked file, a dropped connection, a
    transaction that lost a race. Decided by codes, never by the words of a message."""
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return True
    orig = getattr(exc, "orig", None) or exc
    sqlite_code = getattr(orig, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return sqlite_code & 0xFF in RETRY_SQLITE_CODES
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        return sqlstate in RETRY_SQLSTATES or sqlstate[:2] in RETRY_SQLSTATE_CLASSES
    return _unreachable_server(orig)


def _unreachable_server(orig: BaseException) -> bool:
    """psycopg's errors with no SQLSTATE at all: the server was never reached or the
    connection broke (libpq gives such errors no code; the server gave none)."""
    try:
        import psycopg  # here, not at the top: 59 ms to import (benchmarks/import_cost.py)
    except ImportError:  # pragma: no cover - PostgreSQL support not installed
        return False
    return (isinstance(orig, (psycopg.OperationalError, psycopg.InterfaceError))
            and not getattr(orig, "sqlstate", None))


def with_retries(work: Callable[[], T], attempts: int = 8, first_wait: float = 0.05) -> T:
    """Run ``work``; on a transient database error wait (doubling) and try again.

    Eight attempts wait about five seconds in all: long enough for PostgreSQL to restart
    or a long write to finish, short enough that a participant is not left wondering.

    After the last attempt the participant gets :class:`StoreUnavailable`, whose message
    says their earlier answers are safe and what to do.
    """
    outer = getattr(_retrying, "active", False)
    _retrying.active = True
    try:
        return _retried(work, attempts, first_wait)
    finally:
        _retrying.active = outer


def _retried(work: Callable[[], T], attempts: int, first_wait: float) -> T:
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
