"""Transient database errors are retried with back-off; a final failure says what to do."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from widgets.store import StoreUnavailable
from widgets.store.engine import with_retries


def locked():
    """SQLite's error for a file another writer holds, as its driver raises it."""
    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorcode, busy.sqlite_errorname = sqlite3.SQLITE_BUSY, "SQLITE_BUSY"
    return sa.exc.OperationalError("INSERT ...", {}, busy)


def test_a_locked_database_is_retried_until_it_frees(monkeypatch):
    waits = []
    monkeypatch.setattr("widgets.store.engine.time.sleep", waits.append)
    attempts = iter([locked(), locked(), "saved"])

    def work():
        outcome = next(attempts)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert with_retries(work) == "saved"
    assert waits == [0.05, 0.1]  # doubling back-off


def test_a_database_that_stays_down_gives_a_clear_message(monkeypatch):
    monkeypatch.setattr("widgets.store.engine.time.sleep", lambda _s: None)

    def work():
        raise locked()

    with pytest.raises(StoreUnavailable, match="Your earlier answers are safe"):
        with_retries(work)


def test_other_errors_are_not_retried(monkeypatch):
    calls = []

    def work():
        calls.append(1)
        raise sa.exc.OperationalError("SELECT", {}, Exception("no such column: x"))

    with pytest.raises(sa.exc.OperationalError):
        with_retries(work)
    assert calls == [1]


# -- Which errors are transient: told by the database's own code, never by its words ------
# PostgreSQL words its messages in the server's language (lc_messages), and a message can
# quote a person's own text; the SQLSTATE code (PostgreSQL) or result code (SQLite) cannot.

def test_a_sqlite_lock_is_transient_by_its_result_code(tmp_path):
    """A real SQLITE_BUSY from a file another writer holds."""
    from widgets.store import Store
    from widgets.store.engine import is_transient

    path = tmp_path / "locked.sqlite"
    store = Store(f"sqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA busy_timeout=0")  # fail at once, do not wait
            conn.commit()
            with pytest.raises(sa.exc.OperationalError) as caught, \
                    conn.execution_options(conductor_write=True).begin():
                pass
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.dispose()
    assert caught.value.orig.sqlite_errorname == "SQLITE_BUSY"
    assert is_transient(caught.value)


def test_a_sqlite_error_that_quotes_the_words_of_a_lock_is_not_retried(tmp_path, monkeypatch):
    """A real 'no such table' error whose message happens to say "database is locked"
    (an error can quote a name or a person's text) fails at once, not after 5 s of retries."""
    from widgets.store import Store

    monkeypatch.setattr("widgets.store.engine.time.sleep", lambda _s: None)
    store = Store(f"sqlite:///{tmp_path / 'words.sqlite'}")
    calls = []

    def work():
        calls.append(1)
        with store.engine.connect() as conn:
            conn.exec_driver_sql('SELECT * FROM "database is locked"')

    try:
        with pytest.raises(sa.exc.OperationalError) as caught:
            with_retries(work)
    finally:
        store.dispose()
    assert caught.value.orig.sqlite_errorname == "SQLITE_ERROR"
    assert calls == [1]


@pytest.fixture
def pg_engine():
    from widgets.store.engine import make_engine

    from .conftest import postgres_url

    engine = make_engine(postgres_url())
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS retry_probe")
        conn.exec_driver_sql("CREATE TABLE retry_probe (id int PRIMARY KEY, n int)")
        conn.exec_driver_sql("INSERT INTO retry_probe VALUES (1, 0)")
    yield engine
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS retry_probe")
    engine.dispose()


def _real_pg_error(engine, first_sql: str, second_sql: str, isolation: str = "READ COMMITTED"):
    """Run ``first_sql`` in one open transaction, then ``second_sql`` in another: the
    error PostgreSQL raises for the second."""
    holder = engine.connect()
    holder.exec_driver_sql(f"BEGIN ISOLATION LEVEL {isolation}")
    holder.exec_driver_sql(first_sql)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"BEGIN ISOLATION LEVEL {isolation}")
            conn.exec_driver_sql(second_sql)
            conn.exec_driver_sql("COMMIT")
    except sa.exc.DBAPIError as exc:
        return exc
    finally:
        holder.rollback()
        holder.close()
    raise AssertionError("PostgreSQL raised nothing")


@pytest.mark.postgres
def test_a_postgresql_lock_not_available_is_transient_and_retried(pg_engine, monkeypatch):
    """A real 55P03 (lock_not_available: a row another writer holds, NOWAIT)."""
    from widgets.store.engine import is_transient

    err = _real_pg_error(pg_engine, "SELECT * FROM retry_probe WHERE id = 1 FOR UPDATE",
                         "SELECT * FROM retry_probe WHERE id = 1 FOR UPDATE NOWAIT")
    assert err.orig.sqlstate == "55P03"
    assert is_transient(err)
    monkeypatch.setattr("widgets.store.engine.time.sleep", lambda _s: None)
    outcomes = iter([err, "saved"])

    def work():
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert with_retries(work) == "saved"


@pytest.mark.postgres
def test_a_postgresql_serialization_failure_is_transient_in_any_language(pg_engine):
    """A real 40001, and the same error as a server set to French words it."""
    import psycopg

    from widgets.store.engine import is_transient

    holder = pg_engine.connect()
    holder.exec_driver_sql("BEGIN ISOLATION LEVEL REPEATABLE READ")
    holder.exec_driver_sql("SELECT n FROM retry_probe")
    with pg_engine.begin() as conn:
        conn.exec_driver_sql("UPDATE retry_probe SET n = n + 1 WHERE id = 1")
    with pytest.raises(sa.exc.DBAPIError) as caught:
        holder.exec_driver_sql("UPDATE retry_probe SET n = n + 1 WHERE id = 1")
    holder.rollback()
    holder.close()
    assert caught.value.orig.sqlstate == "40001"
    assert is_transient(caught.value)
    french = psycopg.errors.SerializationFailure(
        "n'a pas pu sérialiser un accès à cause d'une mise à jour en parallèle")
    assert is_transient(sa.exc.OperationalError("UPDATE retry_probe", {}, french))


@pytest.mark.postgres
def test_a_postgresql_error_that_quotes_the_words_of_a_retry_is_not_retried(pg_engine,
                                                                             monkeypatch):
    """A real 42P01 (no such table) whose message quotes "could not serialize"."""
    monkeypatch.setattr("widgets.store.engine.time.sleep", lambda _s: None)
    calls = []

    def work():
        calls.append(1)
        with pg_engine.connect() as conn:
            conn.exec_driver_sql('SELECT * FROM "could not serialize"')

    with pytest.raises(sa.exc.DBAPIError) as caught:
        with_retries(work)
    assert caught.value.orig.sqlstate == "42P01"
    assert calls == [1]
