"""What a page's kernel loads when a room arrives (issue 18, item 3: storms made cheaper).

A join storm is forty kernels starting on two cores at once, and then forty readiness
checks: every module a page imports before it is shown is paid forty times over, in CPU
while the room waits and in memory for as long as the pages stay open. The readiness check
needs pandas and numpy only for the group's profile, once it is revealed: while the room
answers, its kernel loaded them (about 0.45 s of CPU and 37 MB per kernel, measured in one
process on 6 Dec) for nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .test_ui_pages import IMPORTS_OF_A_PAGE

KEY = "k" * 24


def _imports(tmp_path, page: str, reveal: bool = False) -> str:
    from widgets import keys
    from widgets.session import join
    from widgets.store import Store

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = Store(url)
    store.set_setting("facilitator_key_hash", keys.hash_secret(KEY))
    session = store.create_session("Answering", KEY)
    store.move_stage(session.id, "readiness", "open", KEY)
    person, token = join(store, session.code, "Reader")
    if reveal:
        store.submit(session.id, person.id, "readiness", "mission", 3, "one")
        store.move_stage(session.id, "readiness", "close", KEY)
        store.move_stage(session.id, "readiness", "reveal", KEY)
    store.dispose()
    env = {k: v for k, v in os.environ.items() if k not in ("SERVER_SOFTWARE", "VOILA_PREHEAT")}
    env.update(CONDUCTOR_DATABASE_URL=url, CONDUCTOR_CHART_CACHE=str(tmp_path / "charts"),
               QUERY_STRING=f"p={token}" if page != "start" else f"code={session.code}")
    done = subprocess.run([sys.executable, "-c", IMPORTS_OF_A_PAGE, page], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("page", ["readiness", "start"])
def test_pages_a_room_opens_at_once_load_neither_pandas_nor_numpy(tmp_path, page):
    assert _imports(tmp_path, page) == ""


def test_the_readiness_profile_still_loads_what_it_draws_with(tmp_path):
    assert _imports(tmp_path, "readiness", reveal=True) == "pandas numpy"
