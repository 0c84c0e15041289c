"""Shared, read-only layouts and styles: fewer models per page, and no widget can restyle
another by accident."""

from __future__ import annotations

import ipywidgets as w
import pytest

from widgets.server.demo import seed_demo
from widgets.session import join
from widgets.ui import pages
from widgets.ui.sharing import (
    SharedModelError,
    is_shown,
    layout,
    shared_defaults,
    shown,
    style,
)

from .helpers import as_voila_page, sends_during


def test_widgets_made_inside_share_their_models_and_widgets_made_outside_do_not():
    with shared_defaults():
        a, b = w.Button(description="a"), w.Button(description="b")
        c, d = w.Text(style={"description_width": "initial"}), w.Text(
            style={"description_width": "initial"})
    assert a.layout is b.layout and a.style is b.style
    assert c.style is d.style and c.style.description_width == "initial"
    e, f = w.Button(), w.Button()
    assert e.layout is not f.layout and e.layout is not a.layout
    e.layout.width = "10rem"  # a private layout still changes as ipywidgets documents
    assert f.layout.width is None


def test_the_same_settings_give_the_same_model_and_different_settings_do_not():
    assert layout(width="auto") is layout(width="auto")
    assert layout(width="auto") is not layout(width="auto", max_width="30rem")
    assert style(w.ButtonStyle) is style(w.ButtonStyle)
    assert isinstance(layout(width="auto"), w.Layout)


def test_a_shared_layout_refuses_a_change_and_says_what_to_do_instead():
    with shared_defaults():
        box = w.VBox()
    with pytest.raises(SharedModelError, match="shown"):
        box.layout.display = "none"
    with pytest.raises(SharedModelError, match="shared by many widgets"):
        style(w.ButtonStyle).button_color = "red"
    assert box.layout.display is None and w.VBox().layout.display is None


def test_shown_hides_by_a_class_and_sends_nothing_when_unchanged():
    box = w.VBox(layout=layout())
    shown(box, False)
    assert not is_shown(box) and box.layout.display is None
    assert sends_during(lambda: shown(box, False)) == []
    shown(box, True)
    assert is_shown(box)
    assert sends_during(lambda: shown(box, True)) == []


def _tree(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _tree(child)


@pytest.fixture
def demo(monkeypatch, sqlite_store):
    """A demonstration session (every step filled) and the query strings that open it."""
    key = as_voila_page(monkeypatch, sqlite_store)
    session = seed_demo(sqlite_store, key, title="Sharing")
    _, token = join(sqlite_store, session.code, "Reader")
    query = {"p": f"p={token}", "key": f"key={key}", "room": f"room={session.room_token}"}
    return monkeypatch, query, key


@pytest.mark.parametrize("build, who", [
    ("focus_page", "p"), ("cede_page", "p"), ("prototype_page", "p"),
    ("readiness_page", "p"), ("console_page", "key"), ("room_page", "room")])
def test_every_page_shares_its_layouts_and_refreshes_without_touching_them(demo, build, who):
    env, query, key = demo
    polls = []
    real = pages.Poller

    def recording(*args):
        polls.append(real(*args))
        return polls[-1]

    env.setattr(pages, "Poller", recording)
    env.setenv("QUERY_STRING", query[who])
    page = getattr(pages, build)()
    widgets = list(_tree(page))
    assert len(widgets) > 20
    assert len({id(x.layout) for x in widgets}) <= max(20, len(widgets) // 5)
    # The room moves and a new round starts: each refresh (what the page's poll runs)
    # shows, hides and rebuilds parts without writing to a shared layout.
    store = pages.get_store()
    session = store.list_sessions()[0]
    for change in (lambda: store.set_current_stage(session.id, "readiness", key),
                   lambda: store.set_current_stage(session.id, "cede.poker", key),
                   lambda: store.move_stage(session.id, "cede.poker", "new_round", key),
                   lambda: store.move_stage(session.id, "cede.poker", "close", key)):
        change()
        assert polls[0].check()
