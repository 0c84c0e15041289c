"""Small building blocks for module pages: a titled part, and a form built when its step
first opens."""

from __future__ import annotations

import ipywidgets as w

from ..session import View
from ..stages import STAGES
from .common import html_block


def heading(text: str, note: str = "") -> w.HTML:
    return html_block(f"<h3>{text}</h3>" + (f"<p>{note}</p>" if note else ""))


class Deferred:
    """A vote form built the first time its step opens (or once it has answers).

    Why: forty rating rows are a few hundred widgets; building them before the step opens
    slows every participant's first load for nothing, and clutters the page.
    """

    def __init__(self, view: View, stage: str, factory):
        self.view = view
        self.stage = stage
        self.factory = factory
        self.form = None
        self.widget = w.VBox([html_block(
            f'<p class="cd-note">This opens when the facilitator starts '
            f"“{STAGES[stage].title}”.</p>")])
        self.refresh()

    def refresh(self) -> None:
        if self.form is None:
            st = self.view.stage(self.stage)
            if st.state == "closed" and st.round == 1 and not self.view.my_answers(self.stage):
                return
            self.form = self.factory(self.view)
            self.widget.children = [self.form.widget]
            return
        self.form.refresh()


class Titled:
    """A part with a heading above it."""

    def __init__(self, title: str, part, note: str = ""):
        self.part = part
        self.widget = w.VBox([heading(title, note), part.widget])

    def refresh(self) -> None:
        if hasattr(self.part, "refresh"):
            self.part.refresh()
