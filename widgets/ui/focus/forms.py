"""Focus votes: score the shortlist on the human criteria, and split 100 points of weight.

Why 100 points: asking "how important is each criterion?" gets "very" for everything.
A fixed budget makes people trade off, which is what the ranking needs.
"""

from __future__ import annotations

import ipywidgets as w

from ... import focus
from ...care_areas import DATA_CRITERIA, HUMAN_CRITERIA
from ...focus import SCORE_SCALE
from ...session import View
from ...store import StoreError
from ...validation import FieldError
from ..common import FULL, Status, button, esc, html_block, set_html
from ..ratings import Rated, RatingForm
from ..sharing import layout

QUESTIONS = {
    "leads": "are there clinicians here who want to lead this, and are able to?",
    "energy": "do patients and citizens want this to change?",
    "feasible": "could we make a visible improvement within 12 months?",
    "purpose": "does it fit what this organisation is for?",
}


class ScoreForm(RatingForm):
    """Each shortlisted area on the four human criteria, rebuilt when the shortlist changes."""

    def __init__(self, view: View):
        areas, _, _ = focus.shortlist(view)
        self._areas: tuple[str, ...] | None = tuple(areas)
        super().__init__(view, focus.SCORE, SCORE_SCALE, self._sections(areas),
                         submit=focus.submit_score)

    def _sections(self, areas):
        return [(area, [Rated(focus.item_key(area, c.key), f"{c.label}: {QUESTIONS[c.key]}",
                              f"{area}: {c.label}") for c in HUMAN_CRITERIA])
                for area in areas]

    def refresh(self) -> None:
        areas, _, _ = focus.shortlist(self.view)
        if tuple(areas) != self._areas:
            self._areas = tuple(areas)
            self.rebuild(self._sections(areas))  # rebuild() refreshes
            return
        super().refresh()


class WeightsForm:
    """Nine boxes that must add up to 100, saved together with one button."""

    def __init__(self, view: View):
        self.view = view
        self.status = Status()
        self.total = html_block()
        self.inputs: dict[str, w.BoundedIntText] = {}
        rows = []
        for c in DATA_CRITERIA + HUMAN_CRITERIA:
            source = "from the data" if c.kind == "data" else "the room's scores"
            box = w.BoundedIntText(value=0, min=0, max=100, step=5,
                                   description=f"{c.label} ({source})",
                                   style={"description_width": "initial"},
                                   layout=layout(width=FULL, max_width="30rem"))
            box.observe(lambda _: self._show_total(), names="value")
            self.inputs[c.key] = box
            rows.append(box)
        self.save_btn = button("Save my weights", "Save your 100 points", "primary")
        self.save_btn.on_click(lambda _: self.save())
        self.note = html_block()
        self._round: int | None = None
        self.widget = w.VBox([self.note, *rows, self.total, self.save_btn, self.status.widget])
        self.refresh()

    def points(self) -> dict[str, int]:
        return {k: int(b.value or 0) for k, b in self.inputs.items()}

    def _show_total(self) -> None:
        total = sum(self.points().values())
        left = 100 - total
        msg = ("All 100 points placed." if left == 0 else
               f"{left} points left to place." if left > 0 else
               f"{-left} points too many: take some away.")
        set_html(self.total, f'<p role="status"><strong>Total: {total} of 100.</strong> '
                             f"{esc(msg)}</p>")

    def save(self) -> None:
        """Send the boxes' points to module logic, which checks them (the boxes' min and
        max are only a convenience: a script can change them)."""
        try:
            focus.submit_weights(self.view, {k: b.value for k, b in self.inputs.items()})
        except (StoreError, FieldError) as err:
            self.status.error(str(err))
            return
        self.status.saved("Saved your weights")

    def refresh(self) -> None:
        st = self.view.stage(focus.WEIGHTS)
        if st.round != self._round:
            self._round = st.round
            mine = self.view.my_answers(focus.WEIGHTS).get("points") or {}
            for k, box in self.inputs.items():
                value = int(mine.get(k, 0))
                if box.value != value:
                    box.value = value
            self._show_total()
        is_open = st.state == "open"
        for box in [*self.inputs.values(), self.save_btn]:
            if box.disabled == is_open:
                box.disabled = not is_open
        text = ("Split 100 points across the criteria: more points, more say in the ranking. "
                "Your split is private until the facilitator reveals the group's."
                if is_open else "Weights are not open for answers right now.")
        set_html(self.note, f'<p class="cd-note">{esc(text)}</p>')
