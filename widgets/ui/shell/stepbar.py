"""Where the room is: the current step, its state, and a link when the room has moved on.

A page can hold several steps (Focus has four); the bar follows whichever of them the room
is on, and points elsewhere when the room is on another page's step.
"""

from __future__ import annotations

import ipywidgets as w

from ... import agenda
from ...session import View, page_link
from ...stages import STAGES
from ..common import esc, html_block, link, set_html
from .agenda_panel import RoomAgenda

STATE_TEXT = {"open": "open: answer now", "closed": "closed: waiting for the facilitator",
              "revealed": "results revealed"}
# Shared work (canvases, logs, measures) has no answers to open, close or reveal.
SHARED_TEXT = "open for work: everyone sees it as it is written"


class StepBar:
    def __init__(self, view: View, notebook: str, token: str | None = None):
        self.view = view
        self.notebook = notebook
        self.token = token
        self.bar = html_block()
        # A live room's countdown, beside where the room is (a solo leader keeps no clock).
        self.clock = None if view.session.solo else RoomAgenda(view, big=False,
                                                                show_plan=False)
        self.widget = w.VBox([self.bar, *([self.clock.widget] if self.clock else [])])
        # Stays at the top while the page scrolls (kit.css): where the room is and the time
        # left are always in view, on a phone too.
        self.widget.add_class("cd-stepbox")
        self.refresh()

    def refresh(self) -> None:
        if self.clock is not None:
            self.clock.refresh()
        s = self.view.session
        current = STAGES.get(s.current_stage or "")
        if current is None or (s.solo and current.notebook != self.notebook):
            here = [i for i in STAGES.values() if i.notebook == self.notebook]
            text = (f"<strong>{esc(here[0].title)}</strong>: "
                    + ("work through the steps below at your own pace." if s.solo else
                       "waiting for the facilitator to start. Stay on this page."))
            set_html(self.bar, f'<div class="cd-stepbar" role="status">{text}</div>')
            return
        if current.notebook != self.notebook:
            set_html(self.bar,
                     f'<p class="cd-warn" role="status">The room has moved on to '
                     f"<strong>{esc(current.title)}</strong>. "
                     f"{link(page_link(current.notebook, p=self.token or ''), 'Go there now')}"
                     "</p>")
            return
        st = self.view.stage(current.key)
        state = (SHARED_TEXT if current.kind == "shared"
                 else STATE_TEXT[st.state] + (f" (round {st.round})" if st.round > 1 else ""))
        minutes = agenda.minutes_for(self.view, current.key)  # what its countdown runs
        set_html(self.bar,
                 f'<div class="cd-stepbar" role="status">Now: <strong>{esc(current.title)}'
                 f'</strong>, {state}. <span class="cd-stepbar-minutes">About {minutes} '
                 f'minutes.</span> <span class="cd-stepbar-ask">{esc(current.ask)}</span>'
                 "</div>")
