"""axe-core over every app with every step filled and revealed (the demonstration session),
on a phone and on a laptop: no serious or critical violation, and no sideways scrolling on
the phone. The other browser tests scan the states before joining, while answering and
with an error showing."""

from __future__ import annotations

import pytest

from widgets.ui.shell.console import session_label

from .conftest import PHONE, axe_problems, demo_with_ada, wait_ready

APPS = {"00_start.ipynb": "Welcome", "00_readiness.ipynb": "The group's readiness profile",
        "01_focus.ipynb": "The ranking", "02_cede.ipynb": "The Delegation Board",
        "03_prototype.ipynb": "The aim rests on", "room.ipynb": "Join at",
        "facilitator.ipynb": "Your sessions"}


@pytest.fixture(scope="module")
def demo(voila_server):
    return demo_with_ada(voila_server, "Accessibility day")


@pytest.mark.parametrize("app", list(APPS))
def test_every_app_after_reveal_passes_axe(app, demo, voila_server, new_page):
    session, token = demo
    query = {"room.ipynb": f"room={session.room_token}",
             "facilitator.ipynb": f"key={voila_server.key}"}.get(app, f"p={token}")
    for viewport in (PHONE, None):
        page = new_page(viewport)
        page.goto(voila_server.url(app, query))
        wait_ready(page, APPS[app])
        if app == "facilitator.ipynb":
            page.get_by_label("Session", exact=True).select_option(
                label=session_label(session))
            page.get_by_role("heading", name="Accessibility day").wait_for()
        problems = axe_problems(page)
        assert not problems, (app, viewport, problems)
        if viewport == PHONE:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], (app, width)
        page.context.close()
    assert new_page.watch.errors == []
