"""Database connections are budgeted: a process (each page's kernel) holds at most one
connection to PostgreSQL: by default kept between uses while the database has room to
spare and none between uses once it has not (``auto``), or always kept
(``CONDUCTOR_DATABASE_CONNECTIONS=kept``), or none between uses (``per-use``). Two servers of
60 pages each then need at most what the database has room for (auto), 120 connections
(kept) or only as many as are in use at one moment (per use), instead of up to 15 per
kernel (SQLAlchemy's default pool of 5 plus 10 overflow).

Connections are counted as the database server lists them (pg_stat_activity, for a
database of the test's own), so the count does not depend on the pool's own bookkeeping.
"""

from __future__ import annotations

import threading

import pytest

pytestmark = pytest.mark.postgres


@pytest.fixture
def database():
    """A database of its own on the test server (other tests empty the shared one)."""
    from tests.conftest import database_of_its_own

    with database_of_its_own("conductor_conns") as url:
        yield url


def connections_to(url: str, expect: int | None = None) -> int:
    """Connections open to the database in ``url`` (each test has a database of its own),
    as the server lists them in pg_stat_activity. With ``expect``, waits a moment for a
    closing connection's server process to go before answering."""
    import time

    import sqlalchemy as sa

    from tests.conftest import postgres_url

    name = sa.engine.make_url(url).database
    watcher = sa.create_engine(postgres_url(), poolclass=sa.pool.NullPool)
    try:
        deadline = time.monotonic() + 10
        while True:
            with watcher.connect() as conn:
                count = conn.execute(sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = :d"), {"d": name}
                ).scalar()
            if expect is None or count == expect or time.monotonic() > deadline:
                return count
            time.sleep(0.05)
    finally:
        watcher.dispose()


def busy_store(url: str):
    """A store that has done what a page does: read, write, read again."""
    from widgets import keys
    from widgets.store import Store

    store = Store(url)
    key = keys.new_secret()
    store.set_setting("facilitator_key_hash", keys.hash_secret(key))
    session = store.create_session("Budget", key)
    store.move_stage(session.id, "readiness", "open", key)
    for _ in range(5):
        store.session(session.id)
        store.get_setting("facilitator_key_hash")
    return store


def test_a_store_keeps_one_connection_and_a_second_thread_waits_its_turn(database, monkeypatch):
    monkeypatch.delenv("CONDUCTOR_DATABASE_CONNECTIONS", raising=False)
    store = busy_store(database)
    try:
        assert connections_to(database, 1) == 1  # kept for the next use, and only one

        # Two threads of one kernel (a page built in a thread while the kernel's loop polls):
        # the second waits for the first's connection instead of opening another.
        holding, release, done = threading.Event(), threading.Event(), threading.Event()

        def first():
            with store._read():
                holding.set()
                release.wait(30)

        def second():
            store.get_setting("facilitator_key_hash")
            done.set()

        a = threading.Thread(target=first)
        a.start()
        assert holding.wait(30)
        b = threading.Thread(target=second)
        b.start()
        assert not done.wait(1.0)  # still waiting: the one connection is in use
        assert connections_to(database, 1) == 1
        release.set()
        assert done.wait(30)  # and it got its turn
        a.join(30)
        b.join(30)
        assert connections_to(database, 1) == 1
    finally:
        store.dispose()
    assert connections_to(database, 0) == 0


@pytest.mark.parametrize("mode", ["auto", None])
def test_by_default_a_connection_is_kept_only_while_the_database_has_room(
        database, monkeypatch, mode):
    """Two servers of 60 pages, each keeping its connection, failed 24 pages against
    PostgreSQL's default max_connections=100. By default a page keeps its connection only
    if, with it open, the database still has a fifth of its connections (at least 5) free;
    otherwise it closes it after each use and asks again with the next."""
    from widgets.store import engine as engine_module

    if mode:
        monkeypatch.setenv("CONDUCTOR_DATABASE_CONNECTIONS", mode)
    else:
        monkeypatch.delenv("CONDUCTOR_DATABASE_CONNECTIONS", raising=False)
    monkeypatch.setattr(engine_module, "SPARE_SHARE", 0.0, raising=False)
    monkeypatch.setattr(engine_module, "SPARE_AT_LEAST", 0, raising=False)  # all room
    store = busy_store(database)
    try:
        assert connections_to(database, 1) == 1  # room to spare: kept
        # No room to spare (other clients of the shared test server change the count: the
        # spare asked for is every connection): the next connection is not kept.
        monkeypatch.setattr(engine_module, "SPARE_AT_LEAST", 100_000)
        store.engine.dispose()
        store.get_setting("facilitator_key_hash")
        assert connections_to(database, 0) == 0  # used, and closed after its use
        with store._read():
            assert connections_to(database, 1) == 1  # one while in use, never more
        assert connections_to(database, 0) == 0
        monkeypatch.setattr(engine_module, "SPARE_AT_LEAST", 0)  # room again: kept again
        store.get_setting("facilitator_key_hash")
        assert connections_to(database, 1) == 1
    finally:
        store.dispose()


def test_per_use_holds_no_connection_between_uses(database, monkeypatch):
    monkeypatch.setenv("CONDUCTOR_DATABASE_CONNECTIONS", "per-use")
    store = busy_store(database)
    try:
        assert connections_to(database, 0) == 0
        with store._read():
            assert connections_to(database, 1) == 1
        assert connections_to(database, 0) == 0
    finally:
        store.dispose()


@pytest.mark.parametrize("mode", ["kept", "per-use"])  # auto keeps, or not, as these
def test_a_use_inside_a_use_on_one_thread_does_not_wait_for_itself(database, monkeypatch, mode):
    """Waiting for its own connection would hang the kernel: a nested use gets a second
    connection for as long as it lasts (the kit makes none today; this is the safety net)."""
    monkeypatch.setenv("CONDUCTOR_DATABASE_CONNECTIONS", mode)
    store = busy_store(database)
    try:
        with store._read():
            assert store.get_setting("facilitator_key_hash")
        kept = 1 if mode == "kept" else 0
        assert connections_to(database, kept) == kept
    finally:
        store.dispose()


def test_the_database_sees_which_connections_are_conductors(database, monkeypatch):
    """pg_stat_activity names them, with the process id, so IT can count them per page."""
    import os

    import sqlalchemy as sa

    monkeypatch.delenv("CONDUCTOR_DATABASE_CONNECTIONS", raising=False)
    store = busy_store(database)
    try:
        with store._read() as conn:
            name = conn.execute(sa.text("SELECT current_setting('application_name')")).scalar()
        assert name == f"conductor {os.getpid()}"
    finally:
        store.dispose()


def test_an_unknown_connections_setting_is_refused_with_a_clear_message(database, monkeypatch):
    from widgets.store import Store, StoreUnavailable

    monkeypatch.setenv("CONDUCTOR_DATABASE_CONNECTIONS", "lots")
    with pytest.raises(StoreUnavailable) as err:
        Store(database)
    message = str(err.value)
    assert "CONDUCTOR_DATABASE_CONNECTIONS" in message and "per-use" in message
    assert "auto" in message and "lots" in message


def test_sqlite_is_opened_as_before(tmp_path, monkeypatch):
    """SQLite is a file: its pool and settings are untouched by the connections budget."""
    import sqlalchemy as sa

    from widgets.store.engine import make_engine

    monkeypatch.setenv("CONDUCTOR_DATABASE_CONNECTIONS", "per-use")
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    try:
        assert isinstance(engine.pool, sa.pool.QueuePool)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


@pytest.mark.parametrize("mode", ["kept", "per-use"])
def test_a_read_waits_for_a_connection_when_the_database_is_full(database, monkeypatch, mode):
    """Per use, every read opens a connection; PostgreSQL refuses one when all its slots are
    taken (FATAL: too many clients). Reads are not retried as writes are, so the opening of a
    connection itself is tried again for a few seconds (a page failed to build without it)."""
    import psycopg

    from widgets.store import engine as engine_module

    monkeypatch.setenv("CONDUCTOR_DATABASE_CONNECTIONS", mode)
    store = busy_store(database)
    store.engine.dispose()  # the next use opens a new connection
    pool = store.engine.pool
    real, refusals = pool._create_connection, []

    def refuse_twice():
        if len(refusals) < 2:
            refusals.append(1)
            raise psycopg.OperationalError("connection failed: FATAL:  sorry, too many "
                                           "clients already")
        return real()

    monkeypatch.setattr(pool, "_create_connection", refuse_twice)
    monkeypatch.setattr(engine_module, "FIRST_CONNECT_WAIT", 0.01, raising=False)
    try:
        assert store.get_setting("facilitator_key_hash")  # a read, as a page's poll makes
        assert len(refusals) == 2
    finally:
        store.dispose()


def test_prepared_statements_can_be_turned_off_for_pgbouncer(database, monkeypatch):
    """PgBouncer's transaction pooling (1.18, Debian 12's) hands each transaction any server
    connection, where a statement psycopg prepared on another does not exist. The guide says
    to add ?prepare_threshold=none to the URL; psycopg needs None there, not the text."""
    monkeypatch.delenv("CONDUCTOR_DATABASE_CONNECTIONS", raising=False)
    from widgets.store import Store

    for given, wanted in (("none", None), ("0", 0)):
        store = Store(f"{database}?prepare_threshold={given}")
        try:
            with store._read() as conn:
                assert conn.connection.dbapi_connection.prepare_threshold == wanted
        finally:
            store.dispose()
    store = Store(database)  # psycopg's own default, unless the URL says otherwise
    try:
        with store._read() as conn:
            assert conn.connection.dbapi_connection.prepare_threshold == 5
    finally:
        store.dispose()


def test_threads_waiting_for_the_connection_take_their_turns_in_order(database, monkeypatch):
    """The connection goes to the thread that has waited longest, never back to the one
    that just let it go: with twenty threads on one store (tests/test_store_concurrency.py
    through PgBouncer) a thread that kept losing the race waited past its 30 s."""
    monkeypatch.delenv("CONDUCTOR_DATABASE_CONNECTIONS", raising=False)
    store = busy_store(database)
    pool = store.engine.pool
    order: list[str] = []
    try:
        with store._read():
            waiter = threading.Thread(
                target=lambda: (store.get_setting("facilitator_key_hash"), order.append("B")))
            waiter.start()
            for _ in range(3000):  # until B waits for the connection (a bound, not a measure)
                if len(pool._turn._waiters) == 1:
                    break
                threading.Event().wait(0.01)
            assert len(pool._turn._waiters) == 1
        store.get_setting("facilitator_key_hash")  # A, at once, again
        order.append("A")
        waiter.join(30)
        assert order == ["B", "A"]
    finally:
        store.dispose()
