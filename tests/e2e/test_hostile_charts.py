"""Hold the room, in Chromium: what one participant puts into a chart cannot stop anyone.

A 300,000-row measure file uploaded in the Prototype measures panel is refused with the
limit named and nothing stored; a BEL typed into a driver line is refused with a message. After
each, the room screen, the console and ``conductor export`` in all three formats still work.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

from widgets import focus, prototype, tracking
from widgets.session import View, Viewer
from widgets.validation import MEASURE_POINTS

from .conftest import ROOT, open_console, see_on_a_later_page, wait_ready

AREA = "Frailty and falls"
NAME = "Night rounding on Ward 7"
MEASURE = "Night falls a month"


def _seed(seeded, server, title_extra: str = "", drivers: str = "Patients supervised",
          stage: str = prototype.TRACK):
    """A prototype with one measure, made through module logic, and the room on ``stage``."""
    store, sid, key = seeded.store, seeded.session.id, server.key
    store.save_shared(sid, focus.DECIDE, "decision", {"areas": [AREA], "reason": "", "n": 1},
                      key=key)
    asha = store.participants(sid)[0]
    view = View(store, store.session(sid), Viewer("participant", participant_id=asha.id))
    p = prototype.create(view, AREA, NAME + title_extra)
    prototype.save_fields(view, p.id, {
        "drivers": drivers,
        "measures": [{"id": "m1", "name": MEASURE + title_extra, "kind": "outcome",
                      "better": "lower", "definition": ""}]}, {})
    store.set_current_stage(sid, stage, key)
    return view, p


def _still_working(new_page, server, seeded, tmp_path, must_show: str) -> dict[str, str]:
    """The room screen, the console and every export format work; returns the exports."""
    room = new_page()
    room.goto(server.url("room.ipynb", f"room={seeded.session.room_token}"))
    wait_ready(room, "Now:")
    see_on_a_later_page(room, must_show)  # the room pages through a long result
    room.locator(".cd-chart svg").first.wait_for(state="attached")  # drawn (on some page)
    fac = open_console(new_page, server, seeded.session)
    fac.get_by_label("Show the tools for").select_option(label="Prototype")
    fac.get_by_text(must_show).first.wait_for()
    out = {}
    for fmt in ("html", "json", "csv"):
        folder = tmp_path / fmt
        done = subprocess.run([sys.executable, "-m", "widgets.server.cli", "--database-url",
                               server.db_url, "export", seeded.session.code, "--format", fmt,
                               "--out", str(folder)], cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, (fmt, done.returncode, done.stderr[-2000:])
        files = sorted(folder.iterdir())
        assert files, fmt
        out[fmt] = "".join(f.read_text(encoding="utf-8") for f in files)
    assert must_show in out["html"]
    return out


def test_a_huge_measure_file_is_refused_and_every_screen_still_works(
        voila_server, new_page, seed_session, tmp_path):
    server = voila_server
    seeded = seed_session("Measures under load", ["Asha"])
    view, p = _seed(seeded, server)
    huge = tmp_path / "falls.csv"
    start = date(1200, 1, 1)
    huge.write_text("date,value\n" + "".join(f"{start + timedelta(days=i)},{i % 97 + 0.5}\n"
                                              for i in range(300_000)))
    assert huge.stat().st_size > 4_500_000  # the 4.8 MB file of the finding

    asha = new_page()
    asha.goto(server.url("03_prototype.ipynb", f"p={seeded.tokens['Asha']}"))
    wait_ready(asha, "Measures over time")
    asha.get_by_text("No values yet").first.wait_for()
    asha.get_by_label("Or load values from a CSV file").set_input_files(str(huge))
    asha.get_by_text("“falls.csv” was not used").wait_for()
    asha.get_by_text(f"it can have at most {MEASURE_POINTS}").wait_for()
    assert tracking.series(view, p.id, "m1").points == []  # nothing stored

    # The panel still takes a value typed by hand, and draws it.
    asha.get_by_label("Date", exact=True).fill("2025-03-03")
    asha.get_by_label("Value", exact=True).fill("4")
    asha.get_by_role("button", name="Add the value", exact=True).click()
    asha.get_by_text("Added 4 for 3 Mar 2025").wait_for()
    _still_working(new_page, server, seeded, tmp_path, NAME)
    assert new_page.watch.errors == []


def test_a_bel_in_a_driver_line_is_refused_and_every_screen_still_works(
        voila_server, new_page, seed_session, tmp_path):
    server = voila_server
    seeded = seed_session("Bells and escapes", ["Asha"])
    old = "Patients supervised at night\n- Hourly rounds"
    view, p = _seed(seeded, server, drivers=old, stage=prototype.DESIGN)
    asha = new_page()
    asha.goto(server.url("03_prototype.ipynb", f"p={seeded.tokens['Asha']}"))
    wait_ready(asha, "The canvas")
    drivers = asha.get_by_label("Drivers (one per line")
    drivers.fill("Patients supervised at night\n- Hourly\x07 rounds")
    asha.get_by_role("button", name="Save the canvas").click()
    asha.get_by_text("control character").first.wait_for()
    assert prototype.get(view, p.id).values["drivers"] == old  # nothing saved

    seeded.store.set_current_stage(seeded.session.id, prototype.TRACK, server.key)
    exports = _still_working(new_page, server, seeded, tmp_path, NAME)
    assert '<svg role="img"' in exports["html"]  # the report drew its charts
    assert "\x07" not in exports["html"]
    assert new_page.watch.errors == []
