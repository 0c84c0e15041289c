"""The board readiness check's results on a screen: the HTML of ``widgets.html.readiness``
(shared with the report), shown once the facilitator reveals the profile."""

from __future__ import annotations

from ...html.readiness import results_html
from ...readiness import STAGE
from ...session import View
from ..common import html_block, set_html


class ReadinessResults:
    """Shows the profile once the facilitator reveals it; nothing before."""

    def __init__(self, view: View, draw_now: bool = True):
        self.view = view
        self.widget = html_block()
        self._key: tuple | None = None
        if draw_now:  # the room screen draws it only when the room is on readiness
            self.refresh()

    def refresh(self) -> None:
        st = self.view.stage(STAGE)
        # Results change only with the round's state (answers are frozen once revealed).
        key = (st.round, st.state)
        if key == self._key:
            return
        self._key = key
        set_html(self.widget, results_html(self.view))
