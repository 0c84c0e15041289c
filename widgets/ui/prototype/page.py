"""The Prototype module assembled for each screen: participant, solo leader, console, room."""

from __future__ import annotations

import ipywidgets as w

from ... import prototype
from ...session import View
from ...stages import STAGES
from ..parts import Deferred, Sections, Titled
from ..shell.stagecontrols import StageControls
from .canvas import CanvasEditor
from .commit import CommitForm, CommitResults
from .diagram import DriverDiagram
from .measures import MeasuresPanel
from .pdsa import PdsaLog
from .picker import CanvasSettings, Overview, Picker


def participant_parts(view: View, solo: bool) -> list:
    """Design, commit, then track: one picker chooses the prototype the parts work on. On a
    phone one part at a time, the room's first (``Sections``)."""
    overview, picker = Overview(view), Picker(view, editable=True)
    canvas, diagram = CanvasEditor(view, picker), DriverDiagram(view, picker)
    commit: list = [Titled("Who has the energy?", Deferred(view, prototype.COMMIT, CommitForm),
                           "For each prototype, privately: will you help make it happen, "
                           "support it, or is it not for you now? Nobody sees your answer "
                           "until the facilitator reveals them all at once.")]
    if solo:
        commit.append(StageControls(view, STAGES[prototype.COMMIT], solo=True))
    commit.append(CommitResults(view, editable=solo, heading="Who will carry each prototype"))
    pdsa, measures = PdsaLog(view, picker), MeasuresPanel(view, picker)
    sections = Sections(view, [
        ("Design", (prototype.DESIGN,), [overview, picker, canvas, diagram]),
        ("Commit", (prototype.COMMIT,), commit),
        ("Track", (prototype.TRACK,), [picker, diagram, pdsa, measures])])
    return [sections, overview, picker, canvas, diagram, *commit, pdsa, measures]


def console_parts(view: View) -> list:
    """The facilitator's view: every prototype, the commitment with its threshold, and the
    chosen prototype's log and measures (read-only: the teams write them). The overview's
    "Prototypes" heads the module's tools (a "Prototype" heading above it said it twice)."""
    picker = Picker(view, editable=False)
    return [Overview(view), CanvasSettings(view),
            CommitResults(view, editable=True), picker,
            DriverDiagram(view, picker), PdsaLog(view, picker, editable=False),
            MeasuresPanel(view, picker, editable=False)]


class RoomPrototype:
    """The projector: the prototypes while designing, the commitment once revealed, and the
    measures while tracking."""

    def __init__(self, view: View):
        self.view = view
        self.overview = Overview(view)
        self.commit = CommitResults(view)
        self.picker: Picker | None = None
        self.tracking: list = []
        self.widget = w.VBox()
        self.refresh()

    def refresh(self) -> None:
        current = self.view.session.current_stage or ""
        if not current.startswith("prototype."):
            if self.widget.children:
                self.widget.children = []
            return
        self.overview.refresh()
        # The step's result first (the room's first page), the prototypes after it.
        kids = []
        if current == prototype.TRACK:
            if self.picker is None:
                # The measures first (the room's first page is their chart), then the
                # prototype they are of, which the facilitator may change, and its diagram.
                self.picker = Picker(self.view, editable=False)
                self.tracking = [MeasuresPanel(self.view, self.picker, editable=False),
                                 self.picker, DriverDiagram(self.view, self.picker)]
            for part in self.tracking:
                part.refresh()
            kids += [p.widget for p in self.tracking]
        if current in (prototype.COMMIT, prototype.TRACK):
            self.commit.refresh()
            kids.append(self.commit.widget)
        kids.append(self.overview.widget)
        if list(self.widget.children) != kids:
            self.widget.children = kids
