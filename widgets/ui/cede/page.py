"""The Cede module assembled for each screen: participant, solo leader, console and room."""

from __future__ import annotations

import ipywidgets as w

from ... import cede
from ...session import View
from ...stages import STAGES
from ..parts import Deferred, Sections, Titled
from ..shell.stagecontrols import StageControls
from .board import DelegationBoard
from .poker import PokerForm, PokerResults
from .setup import CedeSetup


def participant_parts(view: View, solo: bool) -> list:
    """The decisions, the cards and the board: on a phone one part at a time, the room's
    first (``Sections``)."""
    setup = [CedeSetup(view, editable=solo)]
    poker: list = [Titled("Delegation Poker", Deferred(view, cede.POKER, PokerForm),
                          "For each decision pick two cards: who decides today, and who "
                          "should. Your cards stay private until the facilitator reveals "
                          "them all at once.")]
    if solo:
        poker.append(StageControls(view, STAGES[cede.POKER], solo=True))
    results = PokerResults(view, editable=solo)
    board = DelegationBoard(view, editable=True)
    sections = Sections(view, [("Decisions", (cede.SETUP,), setup),
                               ("Poker", (cede.POKER,), [*poker, results]),
                               ("Board", (cede.BOARD,), [results, board])])
    return [sections, *setup, *poker, results, board]


def console_parts(view: View) -> list:
    return [Titled("Cede", CedeSetup(view, editable=True)), PokerResults(view, editable=True),
            DelegationBoard(view, editable=True)]


class RoomCede:
    """The projector: the cards once revealed, then the board."""

    def __init__(self, view: View):
        self.view = view
        self.results = PokerResults(view, editable=False)
        self.board = DelegationBoard(view, editable=False)
        self.widget = w.VBox()
        self.refresh()

    def refresh(self) -> None:
        on = (self.view.session.current_stage or "").startswith("cede.")
        kids = []
        if on:
            self.results.refresh()
            self.board.refresh()
            # The step's result first (the room's first page): the cards while they are
            # the news, the board once the room is agreeing it.
            kids = [self.board.widget, self.results.widget] \
                if self.view.session.current_stage == cede.BOARD \
                else [self.results.widget, self.board.widget]
        if list(self.widget.children) != kids:
            self.widget.children = kids
