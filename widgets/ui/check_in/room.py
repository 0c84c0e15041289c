"""The room screen's view of a check-in (issue 20): the portfolio on the projector, what
needs the board's attention first, and each round once revealed.

Why it follows the open check-in rather than the room's step: a check-in is a sitting of
its own, and its rounds leave the workshop's current step as it was (``check_in.move_round``),
so the projector shows a check-in while one is open. It reads as "room", through the
reveal filter: nothing private shows.
"""

from __future__ import annotations

import ipywidgets as w

from ... import check_in
from ...html.check_in import review_items_html, sitting_title
from ...session import View
from ..common import esc, html_block, set_html
from .state import on_show
from .views import (
    DecisionsView,
    FocusView,
    Following,
    PortfolioView,
    RoundResults,
    SittingPart,
)


class RoomOrder:
    """The check-in's parts in the order the room needs them: before any round, the
    portfolio; while a round runs, its note (answers private) or its revealed result first,
    then what it is about; the decisions, what stopped work taught and the focus after. The
    room screen pages a long result, so what is first is what the board sees."""

    def __init__(self, view: View, s):
        self.view, self.sitting = view, s
        self.portfolio = PortfolioView(view, s, room=True)
        self.keep = RoundResults(view, s, check_in.KEEP, room=True)
        self.review = RoundResults(view, s, check_in.REVIEW)
        self.due = ReviewDue(view, s)
        self.decisions = DecisionsView(view, s)
        self.focus = FocusView(view)
        self.widget = w.VBox()
        self.refresh()

    def order(self) -> list:
        now = check_in.room_round(self.view, self.sitting)
        if now == check_in.KEEP:
            return [self.keep, self.portfolio, self.decisions, self.focus]
        if now == check_in.REVIEW:
            return [self.review, self.due, self.decisions, self.portfolio, self.focus]
        return [self.portfolio, self.focus, self.decisions]

    def refresh(self) -> None:
        parts = self.order()
        for part in parts:
            part.refresh()
        children = tuple(p.widget for p in parts)
        if self.widget.children != children:
            self.widget.children = children


class ReviewDue(SittingPart):
    """The delegated decisions due for review at this sitting, with their guardrails."""

    def markup(self) -> str:
        due = check_in.due_for_review(self.view, self.sitting.held_on)
        return "<h4>Due for review today</h4>" + review_items_html(due)


def room_sections(view: View, s) -> list:
    return [RoomOrder(view, s)]


class RoomCheckIn:
    """The projector while a check-in is open: the portfolio with what needs attention
    first, and each round once revealed (read as "room": nothing private shows)."""

    def __init__(self, view: View):
        self.view = view
        self.title = html_block()
        self.body = Following(view, room_sections, "", open_only=True)
        self.widget = w.VBox([self.title, self.body.widget])
        self.refresh()

    def is_on(self) -> bool:
        s = on_show(self.view)
        return s is not None and s.state == "open"

    def refresh(self) -> None:
        s = on_show(self.view)
        on = s is not None and s.state == "open"
        set_html(self.title, f"<h2>{esc(sitting_title(s))}</h2>" if on and s else "")
        self.body.refresh()

