"""Focus in Chromium: shortlist, score, weights, reveal, results, decide, and a bad file.

The facilitator and three participants work in separate browser contexts (one a phone).
Nobody sees a group result before the reveal; the console and the room screen show the
ranking, robustness and disagreement after it; the decision survives a reload; a bad CSV
gets row-and-column messages and changes nothing.
"""

from __future__ import annotations

from widgets import focus

from .conftest import PHONE, axe_problems, open_console, see_on_a_later_page, wait_ready

HUMAN = ["Willing, able clinical leads", "Patient and citizen energy",
         "Can move it in 12 months", "Fits our purpose"]


def test_focus_round(voila_server, new_page, seed_session, tmp_path):
    server = voila_server
    seeded = seed_session("Focus board", ["Asha", "Ben", "Chen"])
    store, sid = seeded.store, seeded.session.id

    fac = open_console(new_page, server, seeded.session)
    fac.get_by_text(f"Join code {seeded.session.code}").wait_for()
    # Before the room starts, the facilitator opens the Focus tools to prepare.
    fac.get_by_label("Show the tools for").select_option(label="Focus")

    # A bad file: every problem named, nothing changed.
    bad = tmp_path / "ours.csv"
    bad.write_text("area,patients_per_year,cost_per_year_gbp,variation_cv,outcome_gap_pct,"
                   "harm_risk,effort_points\nSepsis,lots,1,0.2,3,9,2\n")
    fac.get_by_label("Load your own care-area file").set_input_files(str(bad))
    fac.get_by_text("was not used: 2 problems").wait_for()
    fac.get_by_text("Row 2, column 'patients_per_year': 'lots' is not a number").wait_for()
    fac.get_by_text("Row 2, column 'harm_risk': 9 is above the largest allowed value, 5").wait_for()
    assert not axe_problems(fac)  # with an error showing
    assert store.dataset(sid, focus.DATA_KIND) is None

    # Shortlist: keep the data's proposal but swap one area, and move the room there.
    shortlist = fac.locator(".widget-vbox", has=fac.get_by_role("button",
                                                                name="Save the shortlist")).last
    proposed, _, _ = focus.shortlist(_view(store, seeded))
    shortlist.get_by_label(proposed[-1], exact=True).uncheck()
    shortlist.get_by_label("Cataract surgery", exact=True).check()
    shortlist.get_by_role("button", name="Save the shortlist").click()
    fac.get_by_text("Saved the shortlist of 10 areas").wait_for()
    fac.locator(".cd-stage-focus-shortlist").get_by_role(
        "button", name="Move the room to this step").click()

    room = new_page()
    room.goto(server.url("room.ipynb", f"room={seeded.session.room_token}"))
    wait_ready(room, "Where the patients are")
    room.get_by_text("Cataract surgery").first.wait_for()

    pages = {}
    for name, viewport in (("Asha", PHONE), ("Ben", None), ("Chen", None)):
        p = new_page(viewport)
        p.goto(server.url("01_focus.ipynb", f"p={seeded.tokens[name]}"))
        wait_ready(p, "What the data says")
        p.get_by_text("Cataract surgery").first.wait_for()
        pages[name] = p
    phone = pages["Asha"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    score_steps = fac.locator(".cd-stage-focus-score")
    score_steps.get_by_role("button", name="Open for answers").click()
    areas, _, _ = focus.shortlist(_view(store, seeded))
    for i, (name, p) in enumerate(pages.items()):
        p.get_by_text("Now: Focus: score the shortlist").wait_for()
        for a in range(len(areas)):
            score = str((a + 2 * i) % 5 + 1)
            for question in HUMAN:
                row = p.locator(".cd-rating").filter(has_text=f"{question}:").nth(a)
                row.get_by_role("button", name=score, exact=True).click()
        p.get_by_text(f"Saved your rating for “{areas[-1]}: Fits our purpose”").wait_for()
        assert len(store.latest_answers(sid, focus.SCORE, 1,
                                        participant_id=_pid(store, seeded, name))) == 40
    assert not axe_problems(phone)  # while answering
    score_steps.get_by_text("3 of 3 answered").wait_for()

    weight_steps = fac.locator(".cd-stage-focus-weights")
    weight_steps.get_by_role("button", name="Open for answers").click()
    for p in pages.values():
        p.get_by_text("Split 100 points across the criteria: more points").wait_for()
        p.get_by_label("Willing, able clinical leads (the room's scores)").fill("50")
        p.get_by_label("Patients a year (from the data)").fill("30")
        p.get_by_role("button", name="Save my weights").click()
        p.get_by_text("must add up to exactly 100").wait_for()  # 80 so far: refused
        p.get_by_label("Fits our purpose (the room's scores)").fill("20")
        p.get_by_role("button", name="Save my weights").click()
        p.get_by_text("Saved your weights").wait_for()

    # Before the reveal: no group result anywhere.
    fac.locator(".cd-stage-focus-decide").get_by_role(
        "button", name="Move the room to this step").click()
    room.get_by_text("Results appear once the scores are revealed").wait_for()
    for p in pages.values():
        p.get_by_text("Results appear once the scores are revealed").wait_for()
        assert p.get_by_text("ranks first").count() == 0

    for steps in (score_steps, weight_steps):
        steps.get_by_role("button", name="Close answers").click()
        steps.get_by_role("button", name="Reveal to the room…").click()
        steps.get_by_role("button", name="Yes, reveal to the room").click()
        steps.get_by_text("Revealed.", exact=True).wait_for()

    for p in (fac, room, pages["Ben"]):
        p.get_by_text("ranks first").first.wait_for(timeout=15_000)
        p.get_by_text("Where people differ most").first.wait_for()
        if p is room:  # the room shows a long result in pages: the facilitator turns them
            see_on_a_later_page(room, "In top 6, near the group's weights")
        p.get_by_text("In top 6, near the group's weights").first.wait_for()
        chart = p.locator("figure.cd-chart svg[role=img]").last
        assert "ranks first" in chart.get_attribute("aria-label")
    assert not axe_problems(room)  # after reveal
    assert not axe_problems(phone)

    # Decide: the default top six, recorded; everyone sees it; it survives a reload.
    fac.get_by_role("button", name="Record the decision").click()
    fac.get_by_text("Recorded 6 focus areas").wait_for()
    made = focus.decision(_view(store, seeded))
    assert len(made["areas"]) == 6
    see_on_a_later_page(room, "Decided:")
    for p in (room, phone):
        p.get_by_text("Decided:").first.wait_for()
    phone.reload()
    wait_ready(phone, "Decided:")
    assert made["areas"][0] in phone.locator("p", has_text="Decided:").first.inner_text()

    assert new_page.watch.outside == []
    assert new_page.watch.errors == []


def _view(store, seeded):
    from widgets.session import View, Viewer

    return View(store, store.session(seeded.session.id), Viewer("room"))


def _pid(store, seeded, name):
    return next(p.id for p in store.participants(seeded.session.id) if p.display_name == name)
