"""Cede's set-up in Chromium: the facilitator changes the decisions to play in three focus
areas with one save, and every screen then plays exactly that set: the console after a
reload, a participant's poker cards, the Delegation Board and the room screen. The board
says nothing is due before any level is agreed, and never "100%" while an owner is missing.
"""

from __future__ import annotations

from widgets import cede, focus
from widgets.decisions import starter
from widgets.ui.shell.console import session_label

from .conftest import open_console, see_on_a_later_page, wait_ready

AREAS = ["Frailty and falls", "Sepsis", "Heart failure"]
PATHWAY, TEST = "Change the care pathway within the evidence", "Start a small test of change"
STOP, MEASURES = "Stop a test of change", "Set the team's own measures"
SPEND, ROTAS = "Spend within a budget", "Rotas"
SHARE = "Share data with partner organisations"
# From the default four (pathway, small test, stop, measures) in each area:
WANTED = {AREAS[0]: [PATHWAY, MEASURES],  # two unticked
          AREAS[1]: [TEST, STOP, MEASURES, ROTAS],  # one unticked, one ticked
          AREAS[2]: [PATHWAY, SPEND, SHARE]}  # three unticked, two ticked
EXPECTED = [f"{a}: {d}" for a, ds in WANTED.items() for d in ds]
NOT_DUE = "No decision has an agreed level yet, so owners and guardrails are not due."


def boxes(page, decision: str):
    """The set-up's tick boxes for one decision, one per focus area in order (no decision's
    name is part of another's, so a name that also says the area still matches)."""
    return page.get_by_role("checkbox", name=decision)


def board_rows(page) -> list[str]:
    table = page.locator("table.cd-table").filter(
        has=page.locator("caption", has_text="Delegation Board"))
    return table.first.locator("tbody th[scope=row]").all_inner_texts()


def wait_for_board(page, rows: list[str]) -> None:
    """Wait until the board's last row is the last expected one (it redraws as a whole)."""
    page.locator("table.cd-table tbody th[scope=row]").filter(
        has_text=rows[-1]).first.wait_for()


def test_saving_the_decisions_to_play_keeps_all_three_areas(voila_server, new_page,
                                                            seed_session):
    server = voila_server
    seeded = seed_session("Cede set-up", ["Asha", "Ben"], unnamed=("Ben",))
    store, sid, key = seeded.store, seeded.session.id, server.key
    store.save_shared(sid, focus.DECIDE, "decision", {"areas": AREAS, "reason": "", "n": 3},
                      key=key)
    store.set_current_stage(sid, cede.POKER, key)
    store.move_stage(sid, cede.POKER, "open", key)

    fac = open_console(new_page, server, seeded.session)
    fac.set_default_timeout(180_000)  # the Cede tools are built once the console is shown
    boxes(fac, PATHWAY).first.wait_for()
    catalogue = [d["decision"] for d in starter()]
    for decision in catalogue:
        found = boxes(fac, decision)
        assert found.count() == 3, decision
        for i, area in enumerate(AREAS):
            found.nth(i).set_checked(decision in WANTED[area])
    fac.get_by_role("button", name="Save the decisions to play").click()
    fac.get_by_text("Saved the decisions to play").wait_for()
    assert fac.get_by_text("Nothing was saved").count() == 0

    def ticks(page) -> dict[str, list[str]]:
        got: dict[str, list[str]] = {a: [] for a in AREAS}
        for decision in catalogue:
            for i, area in enumerate(AREAS):
                if boxes(page, decision).nth(i).is_checked():
                    got[area].append(decision)
        return got

    assert ticks(fac) == WANTED  # nothing ticked itself again
    fac.reload()
    wait_ready(fac, "Your sessions")
    fac.get_by_label("Session", exact=True).select_option(label=session_label(seeded.session))
    fac.get_by_role("heading", name=seeded.session.title).wait_for()
    boxes(fac, PATHWAY).first.wait_for()
    assert ticks(fac) == WANTED

    # A participant plays exactly the saved set: two cards per decision, in order.
    p = new_page()
    p.goto(server.url("02_cede.ipynb", f"p={seeded.tokens['Asha']}"))
    wait_ready(p, "Delegation Poker")
    p.locator(".cd-rating").first.wait_for()
    headings = [h for h in p.locator("h4").all_inner_texts() if ": " in h]
    assert headings == EXPECTED
    assert p.locator(".cd-rating").count() == 2 * len(EXPECTED)

    # The Delegation Board, on the participant's page and on the room screen.
    wait_for_board(p, EXPECTED)
    assert board_rows(p) == EXPECTED
    room = new_page({"width": 1920, "height": 1080})
    room.goto(server.url("room.ipynb", f"room={seeded.session.room_token}"))
    wait_ready(room, "Now:")
    wait_for_board(room, EXPECTED)
    assert board_rows(room) == EXPECTED

    # Item 6: nothing is due before a level is agreed, and no "100%" with an owner missing.
    for page in (p, room):
        page.get_by_text(NOT_DUE).wait_for()
        assert page.get_by_text("100%").count() == 0
    store.save_shared(sid, cede.BOARD, cede.key("agreed", AREAS[0], PATHWAY), 3, key=key)
    room.get_by_text("Owners and guardrails in place: 0 of 1 needed so far. 8 decisions "
                     "have no agreed level yet").wait_for()
    for area, decisions in WANTED.items():
        for decision in decisions:
            store.save_shared(sid, cede.BOARD, cede.key("agreed", area, decision), 3, key=key)
            store.save_shared(sid, cede.BOARD, cede.key("owner", area, decision), "Lead",
                              key=key)
    store.save_shared(sid, cede.BOARD, cede.key("owner", AREAS[2], SHARE), " ", key=key)
    # The room shows a long board in pages: the facilitator turns to the line.
    see_on_a_later_page(room, "Owners and guardrails in place: 8 of 9 needed (89%).")
    assert room.get_by_text("100%").count() == 0

    assert new_page.watch.outside == []
    assert new_page.watch.errors == []
