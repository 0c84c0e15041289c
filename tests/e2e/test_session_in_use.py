"""The session in use is unmistakable, in Chromium through Voila.

A store often holds a demonstration or last month's session beside today's. The console
used to open on the newest, so the wrong room link went on the projector. Now, among
several, the console asks; once chosen, the session's title and code are large at the top,
the address bar names it (a reload keeps it), and the room link it gives opens that room.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from widgets.validation import show_time

from .conftest import wait_ready


def test_the_console_asks_which_session_and_keeps_the_choice(voila_server, new_page,
                                                             seed_session):
    server = voila_server
    ours = seed_session("March board", ["Asha"]).session
    demo = seed_session("Demonstration day", ["Ben", "Chen"]).session  # the newest
    fac = new_page()
    fac.goto(server.url("facilitator.ipynb", f"key={server.key}"))
    wait_ready(fac, "Your sessions")
    fac.get_by_role("heading", name="Which session are you running?").wait_for()
    # Nothing to put on the projector until a session is chosen: no guess at the newest.
    assert fac.get_by_role("heading", name="Demonstration day").count() == 0
    assert fac.get_by_role("link", name=re.compile(r"room\.ipynb")).count() == 0
    assert fac.get_by_role("button", name="Open for answers").count() == 0

    fac.get_by_label("Session", exact=True).select_option(
        label=f"{ours.code} · March board · {show_time(ours.created_at)}")
    fac.get_by_role("heading", name="March board").wait_for()
    top = fac.locator(".cd-session-in-use")
    assert f"Join code {ours.code}" in top.inner_text()
    assert f"created {show_time(ours.created_at)}" in top.inner_text()
    assert "1 joined" in top.inner_text()
    expect(fac).to_have_url(re.compile(rf"facilitator\.ipynb\?key=[^&]+&session={ours.code}$"))
    room_link = top.get_by_role("link", name=re.compile(r"room\.ipynb"))
    assert room_link.get_attribute("href").endswith(f"room.ipynb?room={ours.room_token}")

    fac.reload()  # the address names the session: the console opens on it again
    fac.get_by_role("heading", name="March board").wait_for()
    assert fac.get_by_role("heading", name="Which session are you running?").count() == 0
    assert f"Join code {ours.code}" in fac.locator(".cd-session-in-use").inner_text()

    room = new_page()
    room.goto(fac.locator(".cd-session-in-use").get_by_role(
        "link", name=re.compile(r"room\.ipynb")).get_attribute("href"))
    wait_ready(room, "March board")
    assert room.locator(".cd-code").inner_text().strip() == ours.code
    assert room.get_by_text("Demonstration day").count() == 0

    bare = new_page()  # the room screen without a code does not guess either
    bare.goto(server.url("room.ipynb"))
    wait_ready(bare, "Open the room screen from the facilitator's console")
    assert bare.get_by_text(demo.code).count() == 0
    assert new_page.watch.errors == []
