"""With every patch of a library's private parts refused, a page still opens and saves.

``CONDUCTOR_PLAIN=all`` makes every shape check in ``widgets.compat`` fail, as a new release
of ipywidgets, comm, ipykernel or Voila that changed those parts would: the server must say
so once in its log, and its pages must be built the plain way (in their cell, Voila's own
handler and pool) and still work in Chromium: one page, one answer, "Saved", and a reload
that shows the answer.
"""

from __future__ import annotations

import os

import pytest

from widgets import compat

from .conftest import PHONE, start_server, stop_server, wait_ready


@pytest.fixture
def plain_server(tmp_path, cull_idle):
    # start_server uses this store for a given env too (tmp / e2e.sqlite)
    env = {**os.environ, "CONDUCTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.sqlite'}",
           compat.PLAIN_ENV: "all"}
    env.pop(compat.CHECKED_ENV, None)
    server = start_server(tmp_path, cull_idle, env=env)
    yield server
    stop_server(server)


def test_a_page_opens_and_saves_with_every_patch_refused(plain_server, browser):
    from widgets.session import join
    from widgets.store import Store

    server = plain_server
    store = Store(server.db_url)
    try:
        session = store.create_session("Plain day", server.key)
        _, token = join(store, session.code, "Asha", named_ok=True)
        store.move_stage(session.id, "readiness", "open", server.key)
        context = browser.new_context(viewport=PHONE)
        context.set_default_timeout(60_000)
        errors: list[str] = []
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(server.url("00_readiness.ipynb", f"p={token}"))
            wait_ready(page, "Everyone here could say our mission")
            page.locator(".cd-rating").nth(0).get_by_role("button", name="4", exact=True).click()
            page.get_by_text("Saved your rating").wait_for()
            page.reload()
            wait_ready(page, "Everyone here could say our mission")
            row = page.locator(".cd-rating").nth(0)
            assert row.locator(".mod-active").inner_text().strip() == "4"
        finally:
            context.close()
        answers = store.latest_answers(session.id, "readiness", 1)
        assert [a.value for a in answers] == [4]
    finally:
        store.dispose()
    assert errors == []
    log = server.log.read_text()
    for name in compat.CHECKS:  # each said once, by the server, not once per page
        said = f"Not using a faster path ({name}): turned off by {compat.PLAIN_ENV}"
        assert log.count(said) == 1, (name, log[-3000:])
