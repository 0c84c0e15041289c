"""One part of a step at a time on a phone (issue 17, item 3), driven headless.

A module page holds several parts (Focus: the data and shortlist, scoring, weights, the
ranking; Prototype: the canvas, the commitment, the PDSA log and measures). On a phone the
page shows the part the room is on and keeps the others one tap away ("Parts of this
page"); the kit's stylesheet hides the others only on a narrow screen (``cd-elsewhere``), so
a laptop shows the whole page as before.
"""

from __future__ import annotations

import pytest

from widgets import cede, focus, prototype
from widgets.ui.cede.page import participant_parts as cede_parts
from widgets.ui.focus.page import participant_parts as focus_parts
from widgets.ui.parts import ELSEWHERE, EVERYTHING, Sections, Titled
from widgets.ui.prototype.commit import CommitResults
from widgets.ui.prototype.measures import MeasuresPanel
from widgets.ui.prototype.page import participant_parts as prototype_parts
from widgets.ui.prototype.pdsa import PdsaLog
from widgets.ui.prototype.picker import Picker

from .helpers import pview, sends_during


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


def on_room(live, stage):
    live.store.set_current_stage(live.session.id, stage, live.key)


def page(live, build, i=0):
    """A person's module page as the poll refreshes it: its parts, and its sections."""
    view = pview(live, i)
    view.refresh()  # the session as the page opens on it
    parts = build(view, False)
    sections = next(p for p in parts if isinstance(p, Sections))

    def refresh():
        view.refresh()
        for p in parts:
            p.refresh()
    return view, parts, sections, refresh


def shown(part) -> bool:
    return ELSEWHERE not in part.widget._dom_classes


def titled(parts, heading: str):
    return next(p for p in parts if isinstance(p, Titled) and heading in p.widget.children[0].value)


def choose(sections: Sections, title: str) -> None:
    """What a tap on a part's button does."""
    sections.choice.value = next(v for label, v in sections.choice.options if label == title)


def test_prototype_shows_the_step_the_room_is_on_and_the_rest_a_tap_away(room):
    on_room(room, prototype.COMMIT)
    _, parts, sections, _ = page(room, prototype_parts)
    commit = titled(parts, "Who has the energy?")
    pdsa = next(p for p in parts if isinstance(p, PdsaLog))
    measures = next(p for p in parts if isinstance(p, MeasuresPanel))
    picker = next(p for p in parts if isinstance(p, Picker))
    assert shown(commit) and shown(next(p for p in parts if isinstance(p, CommitResults)))
    assert not shown(pdsa) and not shown(measures) and not shown(picker)
    # Every part is one tap away, and all at once is a choice too.
    labels = [label for label, _ in sections.choice.options]
    assert labels[-1] == "Everything" and len(labels) >= 4
    choose(sections, "Track")
    assert shown(pdsa) and shown(measures) and shown(picker) and not shown(commit)
    choose(sections, "Everything")
    assert all(shown(p) for p in parts if p is not sections)


def test_a_part_chosen_stays_until_the_room_moves_on(live):
    on_room(live, focus.SCORE)
    _, parts, sections, refresh = page(live, focus_parts)
    data = parts[1]  # the data charts come first after the choice
    assert not shown(data)
    choose(sections, "Data")
    refresh()
    assert shown(data)  # a refresh with the room still on scoring keeps the person's choice
    on_room(live, focus.WEIGHTS)
    refresh()
    assert not shown(data)
    assert sections.choice.value == focus.WEIGHTS


def test_a_page_the_room_is_not_on_shows_everything(room):
    on_room(room, prototype.DESIGN)
    _, parts, sections, refresh = page(room, cede_parts)
    assert sections.choice.value == EVERYTHING
    assert all(shown(p) for p in parts if p is not sections)
    on_room(room, cede.POKER)
    refresh()
    assert sections.choice.value == cede.POKER
    assert not all(shown(p) for p in parts if p is not sections)


def test_an_idle_page_sends_nothing(live):
    on_room(live, focus.SCORE)
    _, _, _, refresh = page(live, focus_parts)
    refresh()
    assert sends_during(refresh) == []
