"""Text an older version let into the store, shown inertly: a canvas saved with a control
character (BEL, ESC) before the kit refused them at input still opens.

Why: the checks at input (``validation.check_text``) stop new control characters, but a
session saved by an older version, or written to the store another way, still holds them.
Such a page must load and show the text, never hang on "Loading widget...".
"""

from __future__ import annotations

from widgets import focus, prototype
from widgets.session import View, Viewer

from .conftest import wait_ready

AREA = "Frailty and falls"
BELL = "Patients supervised at night\x07\n- Hourly\x1b[2J rounds"


def test_a_prototype_page_opens_when_its_stored_canvas_holds_control_characters(
        voila_server, new_page, seed_session):
    seeded = seed_session("Old bells", ["Asha"])
    store, sid, key = seeded.store, seeded.session.id, voila_server.key
    store.save_shared(sid, focus.DECIDE, "decision", {"areas": [AREA], "reason": "", "n": 1},
                      key=key)
    asha = store.participants(sid)[0]
    view = View(store, store.session(sid), Viewer("participant", participant_id=asha.id))
    p = prototype.create(view, AREA, "Night rounding")
    # Straight into the store, as older versions allowed (module logic now refuses it).
    for name, value in (("title", "Night\x07 rounding"), ("drivers", BELL),
                        ("aim", "Fewer falls\x1b by June"),
                        ("measures", [{"id": "m1", "name": "Falls\x07", "kind": "outcome",
                                       "better": "lower", "definition": "\x00count"}])):
        store.save_shared(sid, prototype.DESIGN, prototype.key("canvas", p.id, name), value,
                          participant_id=asha.id)
    store.set_current_stage(sid, prototype.TRACK, key)

    page = new_page()
    page.goto(voila_server.url("03_prototype.ipynb", f"p={seeded.tokens['Asha']}"))
    wait_ready(page, "The canvas")
    page.get_by_text("Measures over time").first.wait_for()
    page.locator(".cd-chart svg").first.wait_for()  # the driver diagram, drawn
    assert page.get_by_text("Hourly").count() > 0
    assert page.get_by_text("Loading widget").count() == 0
