"""The commitment round: privately, per prototype, "I will help", "I support it" or "not for me
now"; after the reveal, the prototypes without enough helpers are flagged.

Why privately: in a board room nobody says "not for me" to the chief executive's favourite
idea out loud. The seed "The Old World Bites Back" advises committing only to what the group
has the stomach and energy for; a prototype that nobody will carry is better paused now than
abandoned quietly in three months.
"""

from __future__ import annotations

import ipywidgets as w

from ... import prototype
from ...html.prototype import commitment_html
from ...prototype import COMMITMENT, HELP, NOT_NOW, SUPPORT
from ...session import View
from ...store import StoreError
from ...validation import THRESHOLD_PEOPLE, FieldError
from ..common import FULL, Status, button, esc, html_block, set_html
from ..ratings import Rated, RatingForm
from ..sharing import layout
from ..shell.stagecontrols import SHOW_MINE

COMMIT_TIPS = {HELP: "You will give time to make it happen",
               SUPPORT: "You back it, but cannot give it time",
               NOT_NOW: "You would rather the group did not take it on now"}


class CommitForm(RatingForm):
    """One row of three buttons per prototype; rebuilt when prototypes come or go."""

    def __init__(self, view: View):
        self._key = self._state(view)
        super().__init__(view, prototype.COMMIT, COMMIT_TIPS,
                         self._sections(), names=COMMITMENT, dont_know=False,
                         numbered=False, submit=prototype.submit_commitment)

    @staticmethod
    def _state(view: View) -> tuple:
        return tuple((p.id, p.label, str(p.values.get("aim") or ""))
                     for p in prototype.prototypes(view))

    def _sections(self):
        return [("", [Rated(prototype.key("p", pid), f"{label}. Aim: {aim or '(not set)'}",
                            label) for pid, label, aim in self._key])]

    def refresh(self) -> None:
        state = self._state(self.view)
        if state != self._key:
            self._key = state
            self.rebuild(self._sections())
            return
        super().refresh()


class CommitResults:
    """After the reveal: who will carry what, and which prototypes lack the energy.

    On a participant's page the form above it already asks "Who has the energy?", so the
    results there take a heading of their own (one heading per part)."""

    def __init__(self, view: View, editable: bool = False,
                 heading: str = "Who has the energy?"):
        self.view = view
        self.editable = editable
        self.status = Status()
        self.body = html_block()
        # The threshold is the facilitator's: a participant's kernel never builds its
        # controls (anything a kernel holds, a script can click over the websocket).
        self.need: w.Dropdown | None = None
        self.set_btn: w.Button | None = None
        controls: list[w.Widget] = []
        if editable:
            self.need = w.Dropdown(description="Helpers needed for each prototype",
                                   options=list(range(THRESHOLD_PEOPLE[0],
                                                      THRESHOLD_PEOPLE[1] + 1)),
                                   value=prototype.DEFAULT_THRESHOLD,
                                   style={"description_width": "initial"},
                                   layout=layout(width="auto", max_width=FULL))
            self.set_btn = button("Set the threshold", "Set how many helpers a prototype "
                                  "needs")
            self.set_btn.on_click(lambda _: self.set_threshold())
            controls = [w.HBox([self.need, self.set_btn]), self.status.widget]
        self.widget = w.VBox([html_block(f"<h3>{esc(heading)}</h3>"), self.body,
                              *controls])
        self._key = None
        self.refresh()

    def set_threshold(self) -> None:
        try:
            prototype.set_threshold(self.view, self.need.value)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        self.status.saved(f"Prototypes now need {self.need.value} helpers")
        self.refresh()

    def refresh(self) -> None:
        v = self.view
        made = prototype.commitments(v)
        need = prototype.threshold(v)
        found = prototype.prototypes(v)
        prog = v.progress(prototype.COMMIT)
        key = (None if made is None else {k: vars(c) for k, c in made.items()}, need,
               [(p.id, p.label) for p in found], prog.answered)
        if key == self._key:
            return
        self._key = key
        if self.need is not None and self.need.value != need:
            self.need.value = need
        solo = v.session.solo
        if made is None and solo:
            set_html(self.body, '<p class="cd-note">Your answers show here once you press '
                                f"“{SHOW_MINE}”.</p>")
            return
        if made is None:
            set_html(self.body, f'<p class="cd-note">Answers stay private until the '
                                f"facilitator reveals them. {prog.answered} of {prog.joined} "
                                "have answered so far.</p>")
            return
        set_html(self.body, commitment_html(found, made, need, solo=solo))
