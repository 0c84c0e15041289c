"""Where the room is: the current step, its state, and a link when the room has moved on."""

from __future__ import annotations

from ..session import View, page_link
from ..stages import STAGES, StageInfo
from .common import esc, html_block, link, set_html

STATE_TEXT = {"open": "open: answer now", "closed": "closed: waiting for the facilitator",
              "revealed": "results revealed"}


class StepBar:
    def __init__(self, view: View, here: StageInfo, token: str | None = None):
        self.view = view
        self.here = here
        self.token = token
        self.widget = html_block()
        self.refresh()

    def refresh(self) -> None:
        s = self.view.session
        st = self.view.stage(self.here.key)
        text = (f"<strong>{esc(self.here.title)}</strong>: {STATE_TEXT[st.state]}"
                f"{f' (round {st.round})' if st.round > 1 else ''}. "
                f"About {self.here.minutes} minutes. {esc(self.here.ask)}")
        moved = ""
        current = STAGES.get(s.current_stage or "")
        if not s.solo and current and current.key != self.here.key:
            moved = (f'<p class="cd-warn" role="status">The room has moved on to '
                     f"<strong>{esc(current.title)}</strong>. "
                     f"{link(page_link(current.notebook, p=self.token or ''), 'Go there now')}"
                     "</p>")
        set_html(self.widget, f'<div class="cd-stepbar" role="status">{text}</div>{moved}')
