"""The demonstration session: every step filled and revealed, and every screen builds on it."""

from __future__ import annotations

import html as html_lib
import re

from widgets import cede, focus, prototype, tracking
from widgets.html.prototype import commitment_html
from widgets.server.demo import seed_demo
from widgets.session import View, Viewer
from widgets.ui.prototype.page import participant_parts
from widgets.ui.shell.console import Console
from widgets.ui.shell.room import RoomScreen


def test_the_demo_fills_every_step(store, facilitator_key):
    session = seed_demo(store, facilitator_key)
    room = View(store, session, Viewer("room"))
    for stage in ("readiness", focus.SCORE, focus.WEIGHTS, cede.POKER, prototype.COMMIT):
        assert room.is_revealed(stage), stage
    areas = focus.decision(room)["areas"]
    assert len(areas) == 3
    assert all(r.owner for r in cede.board(room))
    made = prototype.prototypes(room)
    assert [p.area for p in made] == areas
    short = prototype.short_of_energy(room)
    assert short  # the demo shows a flagged prototype
    # ...and the revealed result flags exactly those, with the same counts (one rule)
    html = commitment_html(made, prototype.commitments(room), prototype.threshold(room))
    flagged = re.findall(r"<li>(.*?): (\d+) of the \d+ needed</li>", html)
    assert {html_lib.unescape(label): int(n) for label, n in flagged} == {
        p.label: short[p.id] for p in made if p.id in short}
    first = made[0]
    assert len(tracking.series(room, first.id, "out").points) == 20
    assert tracking.status(room, first.id) == "adopt"
    assert seed_demo(store, facilitator_key, seed=7).code != session.code  # a new session


def test_every_screen_builds_on_the_demo(store, facilitator_key):
    sqlite_store = store  # either backend
    session = seed_demo(sqlite_store, facilitator_key)
    console = Console(sqlite_store, facilitator_key)
    console.sessions.value = session.id
    console.refresh()
    screen = RoomScreen(sqlite_store, session)
    assert "Prototype: log cycles and read the measures" in screen.top.value
    person = sqlite_store.participants(session.id)[0]
    view = View(sqlite_store, session, Viewer("participant", participant_id=person.id))
    parts = participant_parts(view, solo=False)
    assert any("Special cause" in getattr(p, "chart", None).value for p in parts
               if hasattr(p, "chart") and hasattr(p.chart, "value"))
