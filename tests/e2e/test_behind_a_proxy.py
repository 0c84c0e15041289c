"""Conductor under a sub-path behind an HTTPS reverse proxy, as a trust's IT team would run
it: the console, the join link it shows, joining, answering (websockets through the proxy)
and the room screen all work at https://host/conductor/."""

from __future__ import annotations

import re

import pytest

from .conftest import (
    CHROMIUM_ARGS,
    free_port,
    page_reaching_only,
    start_server,
    stop_server,
    wait_ready,
)
from .proxy import Proxy, self_signed

PREFIX = "/conductor/"


@pytest.fixture(scope="module")
def proxied(tmp_path_factory, cull_idle):
    tmp = tmp_path_factory.mktemp("proxied")
    cert, key = self_signed(tmp)
    port = free_port()
    public = f"https://127.0.0.1:{port}{PREFIX}"
    server = start_server(tmp, cull_idle, "--base-url", PREFIX, "--public-url", public,
                          probe=PREFIX.lstrip("/"))
    proxy = Proxy(int(server.base.rsplit(":", 1)[1].strip("/")), port, PREFIX, cert,
                  key).start()
    yield server, proxy
    proxy.stop()
    stop_server(server)


def test_the_kit_works_under_a_sub_path_behind_https(proxied, browser):
    server, proxy = proxied
    outside, errors = [], []
    contexts = []

    def page():
        return page_reaching_only(browser, proxy.url, contexts, outside, errors, https=True)

    assert CHROMIUM_ARGS  # the same Debian Chromium as every browser test
    fac = page()
    fac.goto(f"{proxy.url}voila/render/facilitator.ipynb?key={server.key}")
    wait_ready(fac, "Your sessions")
    fac.get_by_label("New session title").fill("Behind the proxy")
    fac.get_by_role("button", name="Create session").click()
    fac.get_by_role("heading", name="Behind the proxy").wait_for()
    join = fac.get_by_role("link", name=f"{proxy.url}voila/render/00_start.ipynb?code=")
    href = join.first.get_attribute("href")
    assert href.startswith(proxy.url)
    fac.locator(".cd-stage-readiness").get_by_role("button", name="Open for answers").click()

    person = page()
    person.goto(href)
    wait_ready(person, "Session code")
    person.get_by_label("Your name").fill("Asha")
    person.get_by_role("button", name="Join").click()
    person.get_by_role("link", name="Go to Board readiness check").click()
    wait_ready(person, "Everyone here could say our mission")
    person.locator(".cd-rating").first.get_by_role("button", name="4", exact=True).click()
    person.get_by_text("Saved your rating").wait_for()
    fac.get_by_text("1 of 1 answered").wait_for()

    room = page()
    room.goto(fac.locator(".cd-session-in-use").get_by_role(
        "link", name=re.compile(r"room\.ipynb")).get_attribute("href"))
    wait_ready(room, "Behind the proxy")
    room.get_by_text("Time left for Board readiness check").wait_for()

    for ctx in contexts:
        ctx.close()
    assert outside == []
    assert errors == []


def test_the_short_join_address_works_under_the_sub_path(proxied, browser):
    """``/conductor/join/CODE`` through the proxy lands on the start page under the same
    sub-path with the code filled in (the redirect is relative, so it needs no setting)."""
    from widgets.store import Store

    server, proxy = proxied
    store = Store(server.db_url)
    try:
        session = store.create_session("Joined by the short address", server.key)
    finally:
        store.dispose()
    outside, errors, contexts = [], [], []
    person = page_reaching_only(browser, proxy.url, contexts, outside, errors, https=True)
    person.goto(f"{proxy.url}join/{session.code}")
    wait_ready(person, "Session code")
    assert person.url == f"{proxy.url}voila/render/00_start.ipynb?code={session.code}"
    assert person.get_by_label("Session code").input_value() == session.code
    for ctx in contexts:
        ctx.close()
    assert outside == [] and errors == []
