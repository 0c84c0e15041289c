"""Real faults, not mocks: a SQLite file locked by another writer, and a PostgreSQL server
restarted in the middle of a session. Writes wait and retry; nothing saved is lost; a
write that finally fails says so plainly."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time

import pytest

from widgets import keys
from widgets.session import join
from widgets.store import Store, StoreUnavailable

from .conftest import postgres_url


def _session(store: Store):
    key = keys.new_secret()
    store.set_setting("facilitator_key_hash", keys.hash_secret(key))
    session = store.create_session("Faults", key)
    person, _ = join(store, session.code, "Asha")
    store.move_stage(session.id, "readiness", "open", key)
    return session.id, person.id


def test_a_write_waits_for_another_writer_to_finish(tmp_path):
    path = tmp_path / "locked.sqlite"
    store = Store(f"sqlite:///{path}")
    sid, person = _session(store)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    release = threading.Timer(1.5, lambda: other.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    store.submit(sid, person, "readiness", "mission", 4, "locked-1")
    assert time.monotonic() - started >= 1.0  # it waited rather than failing
    release.join()
    other.close()
    assert store.latest_answers(sid, "readiness", 1)[0].value == 4
    store.dispose()


def _restart_postgres():
    listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True)
    if listing.returncode != 0 or not listing.stdout.strip():
        pytest.fail("pg_lsclusters is missing: run the tests with ./dev test.")
    version = listing.stdout.split()[0]
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    done = subprocess.run([*sudo, "pg_ctlcluster", version, "main", "restart"],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        pytest.fail(f"Could not restart PostgreSQL for this test: {done.stderr.strip()}. "
                    "Run the tests as root or with passwordless sudo (./dev test).")


@pytest.mark.postgres
def test_a_postgresql_restart_mid_session_loses_nothing():
    from widgets.store import schema
    from widgets.store.engine import make_engine

    url = postgres_url()
    engine = make_engine(url)
    with engine.begin() as conn:
        schema.metadata.drop_all(conn)
    engine.dispose()
    store = Store(url)
    sid, person = _session(store)
    saved, refused, crashed = [], [], []
    stop = threading.Event()

    def participant():
        i = 0
        while not stop.is_set():
            try:
                store.submit(sid, person, "readiness", f"q{i}", i % 5 + 1, f"restart-{i}")
                saved.append(i)
            except StoreUnavailable as err:
                assert "Your earlier answers are safe" in str(err)
                refused.append(i)
            except Exception as err:
                crashed.append(repr(err))
                return
            i += 1
            time.sleep(0.02)

    t = threading.Thread(target=participant)
    t.start()
    time.sleep(0.5)
    before = len(saved)
    _restart_postgres()
    time.sleep(2.0)
    stop.set()
    t.join(timeout=60)
    assert crashed == []  # every failure was a clear message, never a raw error
    assert before > 0 and len(saved) > before  # saving again after the restart
    after = {a.item for a in store.latest_answers(sid, "readiness", 1)}
    assert after == {f"q{i}" for i in saved}  # every saved answer is there, once
    assert store.count_submissions(sid) == len(saved)
    store.dispose()
