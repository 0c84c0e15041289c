"""±1e400 weights (issue 15, item 2): sent into the real Focus page over its websocket, as a
script on the room's Wi-Fi would, they are refused with a message; a split that got into
the store some other way is left out of the ranking. After the reveal the room screen and
the console show the ranking (not "Working out the ranking…" for good) and `conductor
export` writes all three formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from widgets import focus
from widgets.session import View, Viewer

from .conftest import ROOT, open_console, wait_ready
from .protocol import PageClient


def _split(**points) -> dict:
    return {c: points.get(c, 0) for c in focus.WEIGHTED}


def test_infinite_weights_cannot_stall_the_ranking(voila_server, new_page, seed_session,
                                                   tmp_path):
    server = voila_server
    seeded = seed_session("Huge weights board", ["Asha", "Ben", "Chen"])
    store, sid, key = seeded.store, seeded.session.id, server.key
    store.move_stage(sid, focus.SCORE, "open", key)
    store.move_stage(sid, focus.WEIGHTS, "open", key)
    people = {p.display_name: p for p in store.participants(sid)}
    for i, name in enumerate(("Asha", "Ben", "Chen")):
        me = View(store, seeded.session, Viewer("participant", participant_id=people[name].id))
        for a, area in enumerate(focus.shortlist(me)[0]):
            for c in focus.HUMAN_CRITERIA:
                focus.submit_score(me, focus.item_key(area, c.key), (a + i) % 5 + 1)
    ben = View(store, seeded.session, Viewer("participant", participant_id=people["Ben"].id))
    focus.submit_weights(ben, _split(patients_per_year=60, leads=40))

    # Asha's page: ±1e400 through the widget protocol, boxes widened first.
    with PageClient(server.url("01_focus.ipynb", f"p={seeded.tokens['Asha']}")) as page:
        boxes = page.models(model_name="BoundedIntTextModel",
                            description=lambda d: d.endswith(")"))
        huge = 10 ** 400
        page.update(boxes[0], {"min": -huge * 10, "max": huge * 10, "value": huge})
        page.update(boxes[1], {"min": -huge * 10, "max": huge * 10, "value": 100 - huge})
        # And as a hand-written message: 1e400 is infinity to the server's JSON reader.
        page.send_text(json.dumps(page._message("comm_msg", {
            "comm_id": boxes[2].id, "data": {"method": "update", "state": {
                "max": 1, "value": 1}, "buffer_paths": []}})).replace(
            '"max": 1, "value": 1', '"max": 1e400, "value": 1e400'))
        page.click(page.find(description="Save my weights"))
        page.wait_for_text("Nothing was saved")
        page.shutdown()
    assert not store.latest_answers(sid, focus.WEIGHTS, 1, participant_id=people["Asha"].id)

    # Chen's split got in some other way (before the checks): the ranking leaves it out.
    store.submit(sid, people["Chen"].id, focus.WEIGHTS, "points",
                 _split(patients_per_year=float("inf"), cost_per_year_gbp=float("-inf")), "x")

    for stage in (focus.SCORE, focus.WEIGHTS):
        store.move_stage(sid, stage, "close", key)
        store.move_stage(sid, stage, "reveal", key)
    store.set_current_stage(sid, focus.DECIDE, key)

    room = new_page()
    room.goto(server.url("room.ipynb", f"room={seeded.session.room_token}"))
    wait_ready(room, "Join at")
    room.get_by_role("heading", name="The ranking").first.wait_for(timeout=120_000)
    assert not room.get_by_text(focus.WORKING).is_visible()
    fac = open_console(new_page, server, seeded.session)
    fac.get_by_label("Show the tools for").select_option(label="Focus")
    fac.get_by_role("heading", name="The ranking").first.wait_for(timeout=120_000)

    env = {**os.environ, "CONDUCTOR_DATABASE_URL": server.db_url}
    for fmt in ("html", "json", "csv"):
        out = tmp_path / fmt
        done = subprocess.run([sys.executable, "-m", "widgets.server.cli", "export",
                               seeded.session.code, "--format", fmt, "--out", str(out)],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert any(out.iterdir()), fmt
