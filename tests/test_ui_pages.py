"""Each notebook's page function: who it is for, and the messages when it cannot serve them."""

from __future__ import annotations

import pytest

from widgets.content import READINESS
from widgets.ui import pages


@pytest.fixture
def env(monkeypatch, sqlite_store):
    monkeypatch.setattr(pages, "_STORE", sqlite_store)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    return monkeypatch


def texts(widget) -> str:
    out = []

    def walk(w):
        if isinstance(getattr(w, "value", None), str):
            out.append(w.value)
        for c in getattr(w, "children", ()):
            walk(c)
    walk(widget)
    return "\n".join(out)


def test_solo_readiness_runs_without_any_setup(env, sqlite_store):
    page = pages.readiness_page()
    shown = texts(page)
    assert "Everyone here could say our mission" in shown
    assert "moved on" not in shown  # a solo leader is never told the room moved
    session_id = int(sqlite_store.get_setting("solo_session_id"))
    assert sqlite_store.stage(session_id, "readiness").state == "open"
    # The same solo session after a "kernel restart" (a fresh page build).
    pages.readiness_page()
    assert int(sqlite_store.get_setting("solo_session_id")) == session_id


def test_solo_leader_answers_and_sees_results(env, sqlite_store):
    from widgets.session import View, Viewer, solo_session
    from widgets.stages import STAGES
    from widgets.ui.readiness.form import ReadinessForm
    from widgets.ui.readiness.results import ReadinessResults
    from widgets.ui.shell.stagecontrols import StageControls

    pages.readiness_page()
    session, me = solo_session(sqlite_store)
    view = View(sqlite_store, session, Viewer("solo", participant_id=me.id))
    form = ReadinessForm(view)
    for q in READINESS:
        form.buttons[q.id].value = 4
    controls = StageControls(view, STAGES["readiness"], solo=True)
    assert controls.reveal_btn.description == "Show my results"
    controls.reveal_btn.click()
    results = ReadinessResults(view)
    assert "You rate yourself" in results.widget.value  # one leader, not a room


def test_module_page_in_voila_without_a_link_says_join_first(env):
    env.setenv("SERVER_SOFTWARE", "voila/0.5")
    assert "Join first" in texts(pages.readiness_page())
    env.setenv("QUERY_STRING", "p=forged")
    assert "not recognised" in texts(pages.readiness_page())


def test_console_without_the_key_is_refused_politely(env, sqlite_store):
    env.setenv("QUERY_STRING", "key=guess")
    shown = texts(pages.console_page())
    assert "This page is for the facilitator" in shown
    assert "Reveal" not in shown


def test_room_without_a_session_says_what_to_do(env):
    assert "Open the room screen from the facilitator" in texts(pages.room_page())


def test_a_bare_room_address_never_shows_the_only_session(env, sqlite_store):
    from widgets import keys

    key = keys.new_secret()
    sqlite_store.set_setting("facilitator_key_hash", keys.hash_secret(key))
    only = sqlite_store.create_session("The only one", key)
    shown = texts(pages.room_page())
    assert "Open the room screen from the facilitator" in shown
    assert only.code not in shown


def test_the_room_screen_opens_by_its_token_never_by_the_join_code(env, sqlite_store):
    from widgets import keys

    key = keys.new_secret()
    sqlite_store.set_setting("facilitator_key_hash", keys.hash_secret(key))
    s = sqlite_store.create_session("Token only", key)
    env.setenv("QUERY_STRING", f"code={s.code}")
    shown = texts(pages.room_page())
    assert "Open the room screen from the facilitator" in shown and s.code not in shown
    env.setenv("QUERY_STRING", f"room={s.room_token[:-1]}")
    shown = texts(pages.room_page())
    assert "not recognised" in shown and s.code not in shown
    env.setenv("QUERY_STRING", f"room={s.room_token}")
    shown = texts(pages.room_page())
    assert "Token only" in shown and s.code in shown


def test_a_store_problem_is_a_message_not_a_traceback(env, sqlite_store):
    sqlite_store.set_setting("schema_version", "77")
    env.setattr(pages, "_STORE", None)
    env.setenv("CONDUCTOR_DATABASE_URL", sqlite_store.url)
    shown = texts(pages.start_page())
    assert "schema version 77" in shown and "Traceback" not in shown


def test_solo_prototype_page_builds_and_opens_the_commitment(env, sqlite_store):
    page = pages.prototype_page()
    shown = texts(page)
    assert "No prototypes yet. Start one" in shown
    assert "Who has the energy?" in shown
    session_id = int(sqlite_store.get_setting("solo_session_id"))
    assert sqlite_store.stage(session_id, "prototype.commit").state == "open"


def test_a_solo_leader_carries_focus_into_cede_and_prototype(env, sqlite_store):
    from widgets import focus
    from widgets.session import solo_session

    session, person = solo_session(sqlite_store)
    sqlite_store.save_shared(session.id, focus.DECIDE, "decision",
                             {"areas": ["Sepsis", "Stroke"], "reason": "", "n": 2},
                             participant_id=person.id, facilitator_only=True)
    assert "Sepsis" in texts(pages.cede_page())
    page = pages.prototype_page()
    import ipywidgets as w

    shown = next(d for d in _all(page, w.Dropdown) if d.description == "Focus area")
    assert list(shown.options) == ["Sepsis", "Stroke"]
    assert "Time left" not in texts(page)  # a solo leader keeps no clock


def _all(widget, kind):
    out = [widget] if isinstance(widget, kind) else []
    for c in getattr(widget, "children", ()):
        out += _all(c, kind)
    return out


IMPORTS_OF_A_PAGE = r"""
import sys
from widgets.ui import pages
getattr(pages, sys.argv[1] + "_page")()
print(" ".join(m for m in ("pandas", "numpy") if m in sys.modules))
"""


@pytest.mark.parametrize(("page", "allowed"), [("cede", ""), ("room", "numpy"),
                                                ("prototype", "numpy"), ("focus", "")])
def test_pages_open_without_importing_what_they_do_not_show(tmp_path, page, allowed):
    """Importing pandas and numpy costs a participant's kernel a quarter of a second of a
    page load: the Cede page needs neither, the room screen (on the demo's Prototype step)
    and the Prototype page only numpy for their run charts. The Focus page, while the room
    scores (its data, charts, shortlist and score form on screen), needs neither."""
    import os
    import subprocess
    import sys

    from widgets import keys
    from widgets.server.demo import seed_demo
    from widgets.session import join
    from widgets.store import Store

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = Store(url)
    store.set_setting("facilitator_key_hash", keys.hash_secret("k" * 24))
    if page == "focus":  # a live session scoring its shortlist: nothing revealed yet
        from widgets import focus

        session = store.create_session("Scoring", "k" * 24)
        store.move_stage(session.id, focus.SCORE, "open", "k" * 24)
    else:
        session = seed_demo(store, "k" * 24)  # every step filled: pages show all they can
    _, token = join(store, session.code, "Reader")
    store.dispose()
    env = {k: v for k, v in os.environ.items() if k not in ("SERVER_SOFTWARE", "VOILA_PREHEAT")}
    env.update(CONDUCTOR_DATABASE_URL=url, CONDUCTOR_CHART_CACHE=str(tmp_path / "charts"),
               QUERY_STRING=f"room={session.room_token}" if page == "room" else f"p={token}")
    done = subprocess.run([sys.executable, "-c", IMPORTS_OF_A_PAGE, page], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == allowed.split()
