"""A whole readiness round in Chromium through Voila.

The facilitator creates a session; three people join in separate browser contexts (one on
a phone); they answer, reload and find their answers; the console count changes without a
reload; a forged console without the key gets nothing; the room screen shows nothing until
the reveal and the profile after it. axe-core checks each state; nothing leaves the server.
"""

from __future__ import annotations

import re

from .conftest import PHONE, axe_problems, wait_ready

QUESTION = "Everyone here could say our mission in a sentence"
HOSTILE = 'Chen <img src=x onerror="alert(1)"> \u202e 🎉'


def store_title(server, code):
    from widgets.store import Store

    store = Store(server.db_url)
    try:
        return store.session_by_code(code).title
    finally:
        store.dispose()


def question(page, text=QUESTION):
    return page.locator(".widget-vbox", has=page.get_by_text(text, exact=False)).last


def join(page, server, code, name, named=True):
    page.goto(server.url("00_start.ipynb"))
    wait_ready(page, "Session code")
    page.get_by_label("Session code").fill(code.lower())
    page.get_by_label("Your name").fill(name)
    if named:
        page.get_by_role("button", name="Yes", exact=True).click()
    page.get_by_role("button", name="Join", exact=True).click()
    page.get_by_text("bookmark this page").wait_for()


def test_readiness_round(voila_server, new_page):
    server = voila_server
    fac = new_page()
    fac.goto(server.url("facilitator.ipynb", f"key={server.key}"))
    wait_ready(fac, "Your sessions")
    assert not axe_problems(fac)
    fac.get_by_label("New session title").fill("E2E board <b>day</b>")
    fac.get_by_role("button", name="Create session").click()
    # The console switches to the new session; its title shows as text, not markup.
    fac.get_by_role("heading", name="E2E board <b>day</b>").wait_for()
    header = fac.get_by_text("Join code")
    code = re.search(r"Join code ([A-Z0-9]{6})", header.inner_text()).group(1)
    assert store_title(server, code) == "E2E board <b>day</b>"

    room = new_page()  # by the room screen's link the console gives (its room token)
    room.goto(fac.locator(".cd-session-in-use").get_by_role(
        "link", name=re.compile(r"room\.ipynb\?room=")).get_attribute("href"))
    wait_ready(room, "people have joined")
    assert room.locator(".cd-code").inner_text().strip() == code
    assert not axe_problems(room)

    # Three people: one on a phone. A bad code first: a clear message, nothing lost.
    phone = new_page(PHONE)
    phone.goto(server.url("00_start.ipynb"))
    wait_ready(phone, "Session code")
    phone.get_by_label("Session code").fill("ZZZ")
    phone.get_by_label("Your name").fill("Asha")
    phone.get_by_role("button", name="Join", exact=True).click()
    phone.get_by_role("alert").filter(has_text="not a session code").wait_for()
    assert not axe_problems(phone)  # with an error showing, before joining
    assert phone.get_by_label("Your name").input_value() == "Asha"
    phone.get_by_label("Session code").fill(code.lower())
    phone.get_by_role("button", name="Yes", exact=True).click()
    phone.get_by_role("button", name="Join", exact=True).click()
    phone.get_by_text("bookmark this page").wait_for()
    fac.get_by_text("1 joined").wait_for(timeout=5_000)  # no reload: the poll brings it

    laptop = new_page()
    join(laptop, server, code, "Ben", named=False)
    third = new_page()
    dialogs = []
    for p in (fac, room, third):
        p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    join(third, server, code, HOSTILE)
    fac.get_by_text("3 joined").wait_for(timeout=5_000)
    # A hostile display name shows as text on the console and on the person's own page.
    fac.get_by_text(HOSTILE).wait_for()
    third.get_by_text(HOSTILE).first.wait_for()
    for p in (fac, third):
        assert p.locator("img[src=x]").count() == 0
    room.get_by_text("3").first.wait_for()

    steps = fac.locator(".cd-stage-readiness")
    steps.get_by_role("button", name="Open for answers").click()
    steps.get_by_text("Open for answers, round 1").wait_for()
    scores = {phone: "2", laptop: "4", third: "5"}
    for page, score in scores.items():
        page.get_by_role("link", name="Go to Board readiness check").click(timeout=10_000)
        wait_ready(page, "open: answer now")
        question(page).get_by_role("button", name=score, exact=True).click()
        page.get_by_text("Saved your rating for “A clear mission”").wait_for()
    # A keyboard-only answer on the phone: focus the button and press Enter.
    other = question(phone, "We keep coming back to what patients")
    other.get_by_role("button", name="3", exact=True).focus()
    phone.keyboard.press("Enter")
    phone.get_by_text("Saved your rating for “Users' needs first”").wait_for()
    assert not axe_problems(phone)  # while answering

    # The phone: no sideways scrolling, rating buttons big enough to tap.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = question(phone).get_by_role("button", name="2", exact=True).bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44

    steps.get_by_text("3 of 3 answered").wait_for(timeout=5_000)
    assert steps.get_by_text(f"Asha, Ben, {HOSTILE}").count() == 1  # names, never answers

    # Reload: the saved answers are still there.
    phone.reload()
    wait_ready(phone, "open: answer now")
    pressed = question(phone).get_by_role("button", name="2", exact=True)
    assert "mod-active" in pressed.get_attribute("class")

    # Nothing shows before the reveal: not on the room screen, not to participants.
    assert room.locator("figure.cd-chart").count() == 0  # no chart (the join QR code is
    assert room.locator("svg").count() == room.locator(".cd-qr svg").count()  # the only svg)
    assert laptop.get_by_text("readiness profile").count() == 0

    # A forged console without the key gets a polite refusal and no controls.
    forged = new_page()
    forged.goto(server.url("facilitator.ipynb", "key=guessed"))
    wait_ready(forged, "This page is for the facilitator")
    assert forged.get_by_role("button", name=re.compile("Reveal")).count() == 0

    steps.get_by_role("button", name="Close answers").click()
    steps.get_by_role("button", name="Reveal to the room…").click()
    steps.get_by_text("3 of 3 people answered").wait_for()
    steps.get_by_role("button", name="Yes, reveal to the room").click()

    for page in (room, laptop, fac):
        page.get_by_text("The group's readiness profile").wait_for(timeout=10_000)
        page.get_by_text("Across 3 people").first.wait_for()
        chart = page.locator("figure.cd-chart svg[role=img]").first
        assert "Across 3 people" in chart.get_attribute("aria-label")
        assert chart.locator("g.mark-rect path, g.mark-rect rect, path").count() > 0
    assert room.get_by_text("Talk about these first").count() == 1
    assert not axe_problems(room)  # after reveal
    assert not axe_problems(laptop)

    assert dialogs == []  # no script ran
    assert new_page.watch.outside == []
    assert new_page.watch.errors == []
