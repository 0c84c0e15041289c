"""A participant's kernel never builds a facilitator control (issue 15, item 4).

Why: anything a page's kernel holds, a script on the room's Wi-Fi can reach over the page's
websocket, hidden or not. "Set the threshold" was built, hidden, in every participant's
Prototype page; only the store's key check stopped a click on it. So participant pages
must not build the facilitator's controls at all, and this test walks every widget model
in each participant page's kernel, as the protocol sees them, looking for one.

What counts as a facilitator control is read from the kit itself: the controls the
facilitator's console shows (its session controls, every step's controls and every
module's tools) that no participant page shows. Built for the same seeded session in this
process, so a new console control is covered without editing this file.
"""

from __future__ import annotations

import os

import ipywidgets as w
import pytest

from .conftest import demo_with_ada
from .protocol import PageClient

INTERACTIVE = (w.Button, w.ToggleButton, w.ToggleButtons, w.Text, w.Textarea, w.IntText,
               w.BoundedIntText, w.FloatText, w.BoundedFloatText, w.Dropdown, w.Select,
               w.SelectMultiple, w.RadioButtons, w.Checkbox, w.FileUpload, w.DatePicker,
               w.Combobox)
PAGES = ["00_readiness.ipynb", "01_focus.ipynb", "02_cede.ipynb", "03_prototype.ipynb"]


def _shown_controls(widget, out: set) -> set:
    """(model name, description) of each control a person can see on a screen."""
    if isinstance(widget, INTERACTIVE) and widget.description:
        out.add((widget._model_name, widget.description))
    for child in getattr(widget, "children", ()) or ():
        _shown_controls(child, out)
    return out


def facilitator_controls(server, session, token: str) -> set[tuple[str, str]]:
    """The console's controls that no participant page shows, for ``session``."""
    from widgets.session import View, Viewer
    from widgets.stages import STAGES
    from widgets.store import Store
    from widgets.ui import pages
    from widgets.ui.shell import console_tools
    from widgets.ui.shell.console import Console
    from widgets.ui.shell.stagecontrols import StageControls

    store = Store(server.db_url)
    saved_store, saved_query = pages._STORE, os.environ.get("QUERY_STRING")
    try:
        pages._STORE = store
        session = store.session(session.id)
        view = View(store, session, Viewer("facilitator", key=server.key))
        console: set = set()
        _shown_controls(Console(store, server.key, session_code=session.code).widget, console)
        for info in STAGES.values():
            _shown_controls(StageControls(view, info).widget, console)
        for module in console_tools.MODULES:
            for part in console_tools._build(view, module):
                _shown_controls(part.widget, console)
        os.environ["QUERY_STRING"] = f"p={token}"
        participant: set = set()
        for page in (pages.readiness_page, pages.focus_page, pages.cede_page,
                     pages.prototype_page):
            _shown_controls(page(), participant)
        return console - participant
    finally:
        pages._STORE = saved_store
        if saved_query is None:
            os.environ.pop("QUERY_STRING", None)
        else:
            os.environ["QUERY_STRING"] = saved_query
        store.dispose()


@pytest.fixture(scope="module")
def demo(voila_server):
    """The demonstration session (every step done and revealed) with rounds open again on
    the vote steps, so every participant form and result is on the pages; and Ada."""
    return demo_with_ada(voila_server, "Controls board",
                         new_round=("readiness", "focus.score", "focus.weights",
                                    "cede.poker", "prototype.commit"))


def test_the_console_controls_are_known(voila_server, demo):
    controls = {d for _, d in facilitator_controls(voila_server, *demo)}
    for expected in ("Set the threshold", "Open for answers", "Reveal to the room…",
                     "Move the room to this step", "Save the shortlist", "Record the decision"):
        assert expected in controls


@pytest.mark.parametrize("notebook", PAGES)
def test_a_participant_page_builds_no_facilitator_control(voila_server, demo, notebook):
    session, token = demo
    banned = facilitator_controls(voila_server, session, token)
    with PageClient(voila_server.url(notebook, f"p={token}")) as page:
        found = sorted({(m.name, m["description"]) for m in page.models()
                        if (m.name, m.get("description")) in banned})
        page.shutdown()
    assert not found, f"{notebook} builds facilitator controls: {found}"
