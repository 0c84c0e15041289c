"""Private 1-5 ratings with "don't know", saved as each button is pressed.

Why each click saves: on a phone in a busy room, a "save all" button at the bottom is the
one thing people miss. Every rating is its own answer, saved at once, and the latest counts;
changing your mind adds a row, it never overwrites one. "Don't know" is saved as a missing
value, so it is left out of the group's figures rather than counted as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as w

from ..session import View
from ..store import StoreError
from ..validation import FieldError
from .common import Status, choice_buttons, esc, html_block, set_html

DONT_KNOW = "dk"


@dataclass(frozen=True)
class Rated:
    item: str  # the store's item key
    text: str  # the statement or question shown above the buttons
    short: str  # a short name for the "Saved" line


def scale_options(scale: dict[int, str], names: dict[int, str] | None = None,
                  dont_know: bool = True, numbered: bool = True) -> tuple[list, list[str]]:
    """Buttons for a scale: "3", or "3 Consult" when the levels have names, or just the
    name when the numbers mean nothing to people (``numbered=False``)."""
    options = [((f"{n} {names[n]}" if numbered else names[n]) if names else str(n), n)
               for n in scale]
    tips = [f"{n}: {t}" if numbered else t for n, t in scale.items()]
    if dont_know:
        options.append(("Don't know", DONT_KNOW))
        tips.append("Don't know: left out of the figures")
    return options, tips


class RatingForm:
    """Sections of rated items for one stage; enabled only while the stage is open.

    ``submit(view, item, value)`` is the module logic that checks and stores one answer
    (``focus.submit_score``, ``cede.submit_level``...): the buttons are never the check."""

    def __init__(self, view: View, stage: str, scale: dict[int, str],
                 sections: Sequence[tuple[str, Sequence[Rated]]] = (),
                 names: dict[int, str] | None = None, dont_know: bool = True,
                 numbered: bool = True,
                 submit: Callable[[View, str, int | None], None] | None = None):
        self.view = view
        self.submit = submit
        self.numbered = numbered
        self.stage = stage
        self.scale = scale
        self.names = names
        self.dont_know = dont_know
        self.status = Status()
        self.note = html_block()
        self.buttons: dict[str, w.ToggleButtons] = {}
        self.shorts: dict[str, str] = {}
        self._loading = False
        self._round: int | None = None
        self.body = w.VBox()
        if names and not numbered:
            legend = ""
        elif names:
            legend = "<dl>" + "".join(f"<dt>{n} {esc(names[n])}</dt><dd>{esc(t)}</dd>"
                                      for n, t in scale.items()) + "</dl>"
        else:
            legend = "<p>" + " · ".join(f"{n} = {esc(t)}" for n, t in scale.items()) + "</p>"
        self.widget = w.VBox([html_block(legend), self.note, self.body,
                              self.status.widget])
        self.rebuild(sections)

    def rebuild(self, sections: Sequence[tuple[str, Sequence[Rated]]]) -> None:
        options, tips = scale_options(self.scale, self.names, self.dont_know, self.numbered)
        rows: list[w.Widget] = []
        self.buttons, self.shorts = {}, {}
        for heading, items in sections:
            if heading:
                rows.append(html_block(f"<h4>{esc(heading)}</h4>"))
            for r in items:
                # Heard as its statement (under its section), not as the buttons' "1" to "5".
                tb = choice_buttons(options, f"{heading}: {r.text}" if heading else r.text, tips)
                tb.observe(self._on_choice(r.item), names="value")
                self.buttons[r.item] = tb
                self.shorts[r.item] = r.short
                row = w.VBox([html_block(f'<div class="cd-question">{esc(r.text)}</div>'), tb])
                row.add_class("cd-rating")
                rows.append(row)
        self.body.children = rows
        self._round = None  # reload saved answers into the new buttons
        self.refresh()

    def _on_choice(self, item: str):
        def handler(change):
            if self._loading or change["new"] is None:
                return
            value = None if change["new"] == DONT_KNOW else int(change["new"])
            self.save(item, value, previous=change["old"])
        return handler

    def save(self, item: str, value: int | None, previous=None) -> bool:
        try:
            self.submit(self.view, item, value)
        except (StoreError, FieldError) as err:
            self.status.error(str(err))
            self._set(item, previous)
            return False
        self.status.saved(f"Saved your rating for “{self.shorts[item]}”")
        return True

    def _set(self, item: str, value) -> None:
        self._loading = True
        try:
            tb = self.buttons[item]
            if tb.value != value:
                tb.value = value
        finally:
            self._loading = False

    def refresh(self) -> None:
        """Follow the stage: answers allowed only while open; a new round starts blank."""
        st = self.view.stage(self.stage)
        if st.round != self._round:
            self._round = st.round
            mine = self.view.my_answers(self.stage)
            for item in self.buttons:
                if item not in mine:
                    self._set(item, None)  # not answered yet
                else:  # a saved null is "don't know", which has its own button
                    self._set(item, DONT_KNOW if mine[item] is None else mine[item])
        is_open = st.state == "open"
        for tb in self.buttons.values():
            if tb.disabled == is_open:
                tb.disabled = not is_open
        set_html(self.note, f'<p class="cd-note">{esc(self._note(st))}</p>')

    @staticmethod
    def _note(st) -> str:
        if st.state == "open":
            again = f"Round {st.round} is open. " if st.round > 1 else ""
            return (again + "Your answers are private until the facilitator reveals the "
                    "group's picture. Change them as often as you like: the latest counts.")
        if st.state == "revealed":
            return "The group's results are shown. Your answers are saved."
        return ("This step is not open for answers right now. Your saved answers are shown; "
                "wait for the facilitator.")
