"""Shared fixtures. Like Voila's test suite, each is small and can be overridden by a
test module that needs something different (define a fixture of the same name there).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

# Notebooks run by nbval in this process's children must never touch the real store.
_TMP = Path(tempfile.mkdtemp(prefix="conductor-tests-"))
os.environ["CONDUCTOR_DATABASE_URL"] = f"sqlite:///{_TMP / 'notebooks.sqlite'}"
os.environ["CONDUCTOR_CHART_CACHE"] = str(_TMP / "charts")
# ...nor read a tester's own files from their per-user data folder (the default one).
os.environ["CONDUCTOR_DATA_DIR"] = str(_TMP / "data")

PG_ENV = "CONDUCTOR_TEST_POSTGRES_URL"


def postgres_url() -> str:
    url = os.environ.get(PG_ENV, "")
    if not url:
        pytest.fail(f"The PostgreSQL tests need {PG_ENV}. Run the tests with ./dev test, which "
                    "installs and starts PostgreSQL, or set the variable to a test database.")
    return url


@contextlib.contextmanager
def database_of_its_own(prefix: str):
    """A new database on the PostgreSQL test server, dropped afterwards: for tests whose
    servers must not see the shared one emptied by other tests. Yields its URL."""
    import secrets

    import sqlalchemy as sa

    url = sa.engine.make_url(postgres_url())
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> str:
    """A database URL for an empty store, once on a SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"

    from widgets.store import schema
    from widgets.store.engine import make_engine

    url = postgres_url()
    engine = make_engine(url)
    with engine.begin() as conn:
        schema.metadata.drop_all(conn)
    engine.dispose()
    return url


@pytest.fixture
def store(store_url):
    from widgets.store import Store

    s = Store(store_url)
    yield s
    s.dispose()


@pytest.fixture
def sqlite_store(tmp_path):
    from widgets.store import Store

    s = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield s
    s.dispose()


@pytest.fixture
def facilitator_key(store) -> str:
    """Installs a facilitator key in ``store`` and returns it."""
    from widgets import keys

    key = keys.new_secret()
    store.set_setting("facilitator_key_hash", keys.hash_secret(key))
    return key


@dataclass
class Live:
    """A live session with three joined participants (Ben did not agree to be named)."""

    store: object
    session: object
    key: str
    people: list  # [(ParticipantRow, personal token)]


@pytest.fixture
def live(store, facilitator_key) -> Live:
    from widgets.session import join

    session = store.create_session("Test board", facilitator_key)
    people = [join(store, session.code, name, named_ok=(i != 1))
              for i, name in enumerate(["Asha", "Ben", "Chen"])]
    return Live(store, session, facilitator_key, people)


@pytest.fixture
def room(live) -> Live:
    """A live session whose Focus decision is already recorded (seeded, not clicked): where
    the Cede and Prototype modules start."""
    from widgets import focus

    from .helpers import AREAS

    live.store.save_shared(live.session.id, focus.DECIDE, "decision",
                           {"areas": AREAS, "reason": "", "n": 2}, key=live.key)
    return live


@pytest.fixture
def local_time(monkeypatch):
    """This machine's clock set to a time zone that is not UTC (India, UTC+05:30 all year),
    so a time shown in UTC instead of local time cannot pass unseen."""
    import time

    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    yield "Asia/Kolkata"
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def no_exec(monkeypatch):
    """serve ends by replacing itself with Voila; capture that instead (the calls it made),
    and hand Voila no chart service port (tested in test_chart_service.py)."""
    from widgets.server import cli

    calls = []
    monkeypatch.setattr(cli.os, "execv", lambda exe, argv: calls.append(argv))
    monkeypatch.setattr(cli, "_chart_service_port", lambda: None)
    for name in ("CONDUCTOR_PUBLIC_URL", "CONDUCTOR_CHART_SERVICE", "JUPYTER_PATH"):
        monkeypatch.setenv(name, "")  # serve sets these; put them back afterwards
    return calls


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """One demonstration session (``seed_demo``) in a SQLite file, seeded once per test
    module: copying it is far quicker than seeding it again. (path, facilitator key, id)"""
    from widgets import keys
    from widgets.server.demo import seed_demo
    from widgets.store import Store

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    store = Store(f"sqlite:///{path}")
    key = keys.new_secret()
    store.set_setting("facilitator_key_hash", keys.hash_secret(key))
    session = seed_demo(store, key)
    store.dispose()
    return path, key, session.id


class DemoCopy:
    """A test's own copy of the demonstration session, and the views of its people."""

    def __init__(self, store, key: str, sid: int):
        self.store, self.key, self.sid = store, key, sid
        self.session = store.session(sid)
        self.people = store.participants(sid)

    def _view(self, viewer):
        from widgets.session import View

        return View(self.store, self.store.session(self.sid), viewer)

    def fac(self):
        from widgets.session import Viewer

        return self._view(Viewer("facilitator", key=self.key))

    def person(self, i: int):
        from widgets.session import Viewer

        return self._view(Viewer("participant", participant_id=self.people[i].id))

    def room(self):
        from widgets.session import Viewer

        return self._view(Viewer("room"))


@pytest.fixture
def demo_copy(demo_file, tmp_path):
    """A copy of ``demo_file``'s session of this test's own (``DemoCopy``)."""
    import sqlite3

    from widgets.store import Store

    path, key, sid = demo_file
    copy = tmp_path / "demo.sqlite"
    with sqlite3.connect(path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    store = Store(f"sqlite:///{copy}")
    yield DemoCopy(store, key, sid)
    store.dispose()
