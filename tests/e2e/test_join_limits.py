"""Joining cannot be abused over the page's websocket (issue 15, items 4 and 6).

A script speaking the widget protocol to the start page could click the Join button after
joining (it was only hidden: one connection made 200 participants in 4 seconds) and guess
codes as fast as the kernel answers (about 74 a second). So, after joining, the join form is
gone from the page's kernel, not hidden; and a page that keeps guessing codes is told to
wait.
"""

from __future__ import annotations

from widgets.store import Store

from .protocol import PageClient


def test_after_joining_the_join_form_is_gone_from_the_kernel(voila_server, seed_session):
    seeded = seed_session("Form gone after joining", [])
    with PageClient(voila_server.url("00_start.ipynb")) as page:
        code = page.find(description="Session code", model_name="TextModel")
        name = page.find(description="Your name", model_name="TextModel")
        join = page.find(description="Join", model_name="ButtonModel")
        page.set(code, value=seeded.session.code)
        page.set(name, value="Asha")
        page.click(join)
        page.wait_for_text("Welcome")
        page.refresh_states()  # the whole page, as a browser that reconnects reads it
        assert not page.models(description="Join", model_name="ButtonModel")
        assert not page.models(description="Session code")
        assert not page.models(description="Your name")
        assert not join.alive and not code.alive
        # The old Join model's id, clicked over the protocol, adds nobody.
        page.click(join.id)
        page.click(join.id)
    store = Store(voila_server.db_url)
    try:
        assert [p.display_name for p in store.participants(seeded.session.id)] == ["Asha"]
    finally:
        store.dispose()


def test_a_page_that_keeps_guessing_codes_is_told_to_wait(voila_server, seed_session):
    seeded = seed_session("Guessing is slowed", [])
    with PageClient(voila_server.url("00_start.ipynb")) as page:
        code = page.find(description="Session code", model_name="TextModel")
        name = page.find(description="Your name", model_name="TextModel")
        join = page.find(description="Join", model_name="ButtonModel")
        page.set(name, value="Guesser")
        for guess in ("ACDE34", "ACDE36", "ACDE37", "ACDE39", "ACDE3C", "ACDE3D",
                      "ACDE3E", "ACDE3F", "ACDE3G", "ACDE3H"):
            page.set(code, value=guess)
            page.click(join)
        page.wait_for_text("Too many tries")
        # Even the right code is refused for now: the page must wait, not keep guessing.
        page.set(code, value=seeded.session.code)
        page.click(join)
        assert page.shows("Too many tries")
        assert not page.shows("Welcome")
    store = Store(voila_server.db_url)
    try:
        assert store.participants(seeded.session.id) == []
    finally:
        store.dispose()


def test_a_bare_room_address_shows_no_join_code(tmp_path, browser):
    """The room screen with no parameters used to show the only session's join code to
    anyone on the network; now it says where the room screen's link is."""
    from .conftest import start_server, stop_server, wait_ready

    server = start_server(tmp_path, 60)
    store = Store(server.db_url)
    try:
        only = store.create_session("The only session", server.key)
        ctx = browser.new_context()
        try:
            page = ctx.new_page()
            page.goto(server.url("room.ipynb"))
            wait_ready(page, "Open the room screen from the facilitator's console")
            assert page.get_by_text(only.code).count() == 0
            assert page.get_by_text("The only session").count() == 0
        finally:
            ctx.close()
    finally:
        store.dispose()
        stop_server(server)
