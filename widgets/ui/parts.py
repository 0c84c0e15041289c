"""Small building blocks for module pages: a titled part, and a form built when its step
first opens."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ..session import View
from ..stages import STAGES
from .common import choice_buttons, html_block


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


ELSEWHERE = "cd-elsewhere"  # the stylesheet hides it on a phone only (kit.css, section 5)
EVERYTHING = "everything"


class Sections:
    """On a phone, one part of a page at a time: the part the room is on, with the others one
    tap away (issue 17, item 3).

    Why: a module page holds a whole module (Prototype: the canvas, the commitment, the PDSA
    log and the measures); on a 375 px screen that is ten thousand pixels of scrolling, and
    the part the room is doing now is somewhere in the middle. So this choice sits at the top
    of the parts and follows the room: when the room moves to a step of this page, its part
    is chosen for the person; they may pick another part, or "Everything", and their pick
    stays until the room moves again. A page the room is not on shows everything.

    The parts stay where they are and keep refreshing; this only marks those outside the
    chosen part with ``cd-elsewhere``, which the stylesheet hides on a narrow screen. A laptop
    shows the whole page, and the choice itself is shown only on a narrow screen.

    ``sections``: (title, the steps it serves, its parts); a part may serve several (the
    Prototype picker chooses what the canvas and the measures work on)."""

    def __init__(self, view: View, sections: list[tuple[str, tuple[str, ...], list]],
                 where: Callable[[], str | None] | None = None):
        self.view = view
        self.sections = sections
        # The step the room is on; a check-in's rounds leave the session's current step
        # alone, so its page says which of its own steps is under way.
        self.where = where or (lambda: self.view.session.current_stage)
        self.members: list[tuple[object, set[str]]] = []
        for _, stages, parts in sections:
            for part in parts:
                found = next((m for p, m in self.members if p is part), None)
                if found is None:
                    self.members.append((part, set(stages)))
                else:
                    found.update(stages)
        self.choice = choice_buttons(
            [(title, stages[0]) for title, stages, _ in sections] + [("Everything", EVERYTHING)],
            "Parts of this page")
        self.choice.observe(lambda _: self._apply(), names="value")
        self.widget = w.VBox([html_block(
            '<p class="cd-sections-label">Parts of this page (the room\'s is chosen for '
            "you):</p>"), self.choice])
        self.widget.add_class("cd-sections")
        self._room: object = object()  # the room's step when the choice last followed it
        self.refresh()

    def room_section(self) -> str:
        """The choice for the room's step: its part, or everything when the room is on a
        step of another page (or none yet)."""
        room = self.where() or ""
        for _, stages, _ in self.sections:
            if room in stages:
                return stages[0]
        return EVERYTHING

    def refresh(self) -> None:
        room = self.where()
        if room != self._room:
            self._room = room
            self.choice.value = self.room_section()  # observed: marks the parts
            self._apply()

    def _apply(self) -> None:
        chosen = self.choice.value
        for part, stages in self.members:
            if chosen == EVERYTHING or chosen in stages:
                part.widget.remove_class(ELSEWHERE)
            else:
                part.widget.add_class(ELSEWHERE)
