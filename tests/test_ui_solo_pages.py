"""Every self-guided page, built headless as JupyterLab builds it, refreshes without error.

Why: a page refreshes all its parts from one poll; a part without ``refresh`` (the Focus
page's data upload once was one) stops the whole page updating at the first button, and
only a solo leader ever saw it, since only their page holds that part.
"""

from __future__ import annotations

import pytest

from widgets.ui import pages

SOLO_PAGES = [pages.readiness_page, pages.focus_page, pages.cede_page, pages.prototype_page]


@pytest.fixture
def built(monkeypatch, sqlite_store):
    """Build a page solo (no URL, not in Voila) and hand back the component its poll
    refreshes."""
    monkeypatch.setattr(pages, "_STORE", sqlite_store)
    for name in ("QUERY_STRING", "SERVER_SOFTWARE", "VOILA_PREHEAT"):
        monkeypatch.delenv(name, raising=False)
    shown = []
    original = pages._show

    def keep(component, *before):
        shown.append(component)
        return original(component, *before)

    monkeypatch.setattr(pages, "_show", keep)

    def build(page_function):
        page_function()
        component = shown[-1]
        component.poller.stop()
        return component
    return build


@pytest.mark.parametrize("page_function", SOLO_PAGES, ids=lambda f: f.__name__)
def test_every_part_of_a_solo_page_refreshes(built, page_function):
    component = built(page_function)
    missing = [type(p).__name__ for p in component.parts
               if not callable(getattr(p, "refresh", None))]
    assert not missing, f"parts the page's poll cannot refresh: {missing}"
    component.refresh()


@pytest.mark.parametrize("page_function", SOLO_PAGES, ids=lambda f: f.__name__)
def test_a_solo_page_refreshes_through_every_step(built, page_function, sqlite_store):
    """Each of the page's steps opened, then revealed, as the solo leader's buttons do, the
    page refreshing after each (so parts built when a step opens refresh too)."""
    from widgets.stages import STAGES

    component = built(page_function)
    view = component.view
    sid = view.session.id
    keys = [k for k, info in STAGES.items() if info.kind != "shared"
            and info.notebook == STAGES_NOTEBOOK[page_function.__name__]]
    assert keys
    for key in keys:
        if sqlite_store.stage(sid, key).state == "closed":
            sqlite_store.move_stage(sid, key, "open", None)
        component.refresh()
        sqlite_store.move_stage(sid, key, "close", None)
        sqlite_store.move_stage(sid, key, "reveal", None)
        component.refresh()


STAGES_NOTEBOOK = {"readiness_page": "00_readiness.ipynb", "focus_page": "01_focus.ipynb",
                   "cede_page": "02_cede.ipynb", "prototype_page": "03_prototype.ipynb"}
