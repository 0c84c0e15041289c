"""The Focus module assembled for each screen: participant, solo leader, console and room.

Each builder returns parts (things with ``refresh()``) in the order they should refresh,
and the widgets to show. One poll refreshes them all when the session changes.
"""

from __future__ import annotations

import ipywidgets as w

from ... import focus
from ...session import View
from ...stages import STAGES
from ..parts import Deferred, Sections, Titled
from ..shell.stagecontrols import StageControls
from .data import FocusData
from .decide import DecisionPanel
from .forms import ScoreForm, WeightsForm
from .results import FocusResults
from .shortlist import Shortlist
from .upload import DataUpload


class DataPart:
    """The data charts, redrawn only when the session's data file changes."""

    def __init__(self, view: View):
        self.view = view
        self.data = focus.care_data(view)
        self.inner = FocusData(self.data)
        self.widget = self.inner.widget

    def refresh(self) -> None:
        data = focus.care_data(self.view)
        if data.sha256 != self.data.sha256:
            self.data = data
            self.inner.show(data)


def participant_parts(view: View, solo: bool) -> list:
    """What a participant (or a solo leader, who also runs the steps) works through: on a
    phone one part at a time, the room's first (``Sections``)."""
    data = [DataPart(view), Shortlist(view, editable=solo)]
    if solo:
        data.append(DataUpload(view))
    score: list = [Titled("Score the shortlist", Deferred(view, focus.SCORE, ScoreForm),
                          "For each area: how true is each statement? Use “Don't know” "
                          "rather than guessing.")]
    if solo:
        score.append(StageControls(view, STAGES[focus.SCORE], solo=True))
    weights: list = [Titled("Weigh what matters", Deferred(view, focus.WEIGHTS, WeightsForm))]
    if solo:
        weights.append(StageControls(view, STAGES[focus.WEIGHTS], solo=True))
    results = FocusResults(view)
    decide = [results, DecisionPanel(view, editable=solo, source=results)]
    sections = Sections(view, [("Data", (focus.SHORTLIST,), data),
                               ("Score", (focus.SCORE,), score),
                               ("Weigh", (focus.WEIGHTS,), weights),
                               ("Ranking", (focus.DECIDE,), decide)])
    return [sections, *data, *score, *weights, *decide]


def console_parts(view: View) -> list:
    """The facilitator's Focus tools: data, shortlist, results and the decision."""
    results = FocusResults(view)
    return [Titled("Focus", DataUpload(view)), Shortlist(view, editable=True), results,
            DecisionPanel(view, editable=True, source=results)]


class RoomFocus:
    """The projector's Focus view: the data while shortlisting, the ranking once revealed."""

    def __init__(self, view: View):
        self.view = view
        self.data: DataPart | None = None
        self.shortlist = Shortlist(view, editable=False)
        self.results = FocusResults(view)
        self.decision = DecisionPanel(view, editable=False, source=self.results)
        self.widget = w.VBox()
        self.refresh()

    def refresh(self) -> None:
        current = self.view.session.current_stage or ""
        if not current.startswith("focus."):
            if self.widget.children:
                self.widget.children = []
            return
        if current == focus.SHORTLIST:
            if self.data is None:
                self.data = DataPart(self.view)
            self.data.refresh()
            self.shortlist.refresh()
            kids = [self.data.widget, self.shortlist.widget]
        else:
            self.shortlist.refresh()
            self.decision.refresh()  # refreshes the results it reads
            # The result first: the room's first page is the ranking, the shortlist after.
            kids = [self.results.widget, self.decision.widget, self.shortlist.widget]
        if list(self.widget.children) != kids:
            self.widget.children = kids
