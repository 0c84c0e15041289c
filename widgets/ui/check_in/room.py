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
from ...html.check_in import sitting_title
from ...session import View
from ..common import esc, html_block, set_html
from .state import on_show
from .views import DecisionsView, FocusView, Following, PortfolioView, RoundResults


def room_sections(view: View, s) -> list:
    return [PortfolioView(view, s), RoundResults(view, s, check_in.KEEP),
            RoundResults(view, s, check_in.REVIEW), DecisionsView(view, s), FocusView(view)]


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

