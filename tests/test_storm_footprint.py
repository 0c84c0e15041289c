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
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_the_revealed_readiness_profile_needs_neither_pandas_nor_numpy(tmp_path):
    """Every participant's readiness page shows the group's profile once it is revealed:
    fourteen statements' medians and quartiles. With pandas and numpy a readiness kernel was
    84 to 92 MB (benchmarks/memory.py, 7 Dec) against issue 18's 70 MB per page. The module
    logic's profile (its rows, sentence and the statements to talk about first) and the
    page's HTML of it are plain Python; only the DataFrame form (``Profile.table``, for the
    report and exports) loads pandas, when asked for."""
    from widgets import keys
    from widgets.content import READINESS
    from widgets.session import join
    from widgets.store import Store

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = Store(url)
    store.set_setting("facilitator_key_hash", keys.hash_secret(KEY))
    session = store.create_session("Revealed", KEY)
    store.move_stage(session.id, "readiness", "open", KEY)
    for n in range(5):
        person, _ = join(store, session.code, f"Reader {n}")
        for i, q in enumerate(READINESS):
            store.submit(session.id, person.id, "readiness", q.id,
                         None if (n + i) % 6 == 0 else 1 + (n * i) % 5, f"{n}-{q.id}")
    store.move_stage(session.id, "readiness", "close", KEY)
    store.move_stage(session.id, "readiness", "reveal", KEY)
    store.dispose()
    script = r"""
import sys
from widgets.readiness import revealed_profile
from widgets.session import View, Viewer
from widgets.store import Store

store = Store()
session = store.session_by_code(sys.argv[1])
found = revealed_profile(View(store, session, Viewer("room")))
# The page's HTML of it too (the chart's drawing, done by the chart service in a server,
# left out: here it would be drawn in this process, with altair).
from widgets.html import readiness as page_html
page_html.figure = lambda spec, sentence, table: table
html = page_html.results_html(View(store, session, Viewer("room")))
assert "<table" in html and "Talk about these first" in html, html
print(" ".join(m for m in ("pandas", "numpy") if m in sys.modules))
print(found.sentence)
print(" ".join(found.talk_first))
print(sum(r.answers for r in found.rows), found.empty)
found.table  # the DataFrame form, for the report and exports
print(" ".join(m for m in ("pandas", "numpy") if m in sys.modules))
"""
    env = {k: v for k, v in os.environ.items() if k not in ("SERVER_SOFTWARE", "VOILA_PREHEAT")}
    env.update(CONDUCTOR_DATABASE_URL=url)
    done = subprocess.run([sys.executable, "-c", script, session.code], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    loaded, sentence, talk, answered, table_loads = done.stdout.rstrip("\n").split("\n")
    assert loaded == ""
    assert sentence.startswith("Across 5 people")
    assert len(talk.split()) == 3
    assert answered.split() == [str(sum(1 for n in range(5) for i in range(len(READINESS))
                                        if (n + i) % 6)), "False"]
    assert table_loads == "pandas numpy"


@settings(deadline=None)  # its first example imports numpy: slow on a busy machine
@given(st.lists(st.tuples(st.integers(1, 30), st.sampled_from("abcd"),
                          st.one_of(st.none(), st.integers(1, 5))), max_size=150))
def test_the_plain_profile_is_numpys_profile(answers):
    """The readiness profile without numpy (``analysis.readiness.profile_rows``) gives the
    medians and quartiles numpy's percentile gave, for any answers ("don't know" left out)."""
    import numpy as np

    from widgets.analysis.readiness import profile_rows

    for row in profile_rows(answers, list("abcd")):
        vals = [float(s) for _, item, s in answers if item == row.item and s is not None]
        assert row.answers == len(vals)
        if not vals:
            assert np.isnan([row.median, row.q1, row.q3, row.lowest, row.highest]).all()
            continue
        q1, med, q3 = np.percentile(vals, [25, 50, 75])
        assert (row.q1, row.median, row.q3) == pytest.approx((q1, med, q3), abs=1e-12)
        assert (row.lowest, row.highest, row.spread) == pytest.approx(
            (min(vals), max(vals), q3 - q1), abs=1e-12)


@pytest.mark.parametrize("max_kernels", [80, 100, 220])
def test_the_server_can_hold_the_sockets_of_every_page_it_allows(max_kernels):
    """A room of 100 pages arriving within ten seconds stalled (join_storm.py, 7 Dec): ZeroMQ
    allows a context 1023 sockets unless told otherwise, and every page being rendered holds
    about 11 in the server (its kernel's, its websocket's channels and Voila's own client).
    With the context set to 60 sockets, 8 pages at once gave "ZMQError: Too many open files"
    in the server's log and a page whose websocket closed before its widgets came, as the
    failed pages of the storms of 80 did. The kernel manager makes room for its cap."""
    import resource

    import zmq

    from widgets.server.kernels import CappedKernelManager

    manager = CappedKernelManager(max_kernels=max_kernels)
    assert manager.context.get(zmq.MAX_SOCKETS) >= 11 * max_kernels
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert soft == resource.RLIM_INFINITY or soft >= min(hard, 2 * 11 * max_kernels)


def test_serve_says_how_big_a_room_it_holds_and_how_to_change_it():
    """A room of 100 needs --max-kernels past its default of 80, and a room behind one
    shared address needs --max-kernels-per-address 0: `conductor serve` says both, with the
    memory the cap may take (benchmarks/memory.py's figures)."""
    from widgets.server.cli import capacity_lines

    said = "\n".join(capacity_lines(80, 4))
    assert "--max-kernels 80" in said and "about 60 people" in said
    assert "--max-kernels PEOPLE+20" in said and "--max-kernels 120" in said
    assert "--max-kernels-per-address 4" in said and "set it to 0" in said
    assert "GB" in said
    assert "--max-kernels-per-address" not in "\n".join(capacity_lines(120, 0))
    assert "WARNING" in "\n".join(capacity_lines(100_000, 0))  # more than any machine has
