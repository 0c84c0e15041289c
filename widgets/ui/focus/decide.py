"""Decide: capacity, the final weights and the chosen focus areas (the facilitator records;
everyone sees the record).

Why a written reason to override: the ranking is the group's own judgement made explicit.
Choosing differently can be right, but the room, and the board paper later, should see why.
"""

from __future__ import annotations

import ipywidgets as w

from ... import focus
from ...care_areas import DATA_CRITERIA, HUMAN_CRITERIA
from ...session import View
from ...store import StoreError
from ...validation import FieldError
from ..aria import name as aria_name
from ..common import FULL, Status, button, esc, html_block, set_html
from ..sharing import layout
from .results import FocusResults, weight_percentages

STYLE = {"description_width": "initial"}


class DecisionPanel:
    def __init__(self, view: View, editable: bool, source: FocusResults):
        """``source`` is the page's results view: its figures are reused, not recomputed."""
        self.view = view
        self.source = source
        source.followers.append(self)  # refreshed when results arrive after the page opens
        self.editable = editable
        self.status = Status()
        self.record = html_block()
        self._key: tuple | None = None
        self.results: focus.Results | None = None
        self.boxes: dict[str, w.Checkbox] = {}
        parts: list[w.Widget] = [html_block("<h3>Decide</h3>"), self.record]
        if editable:  # only editors get the controls: every widget costs the page a message
            self._build_editor()
            parts += [w.HBox([self.mode, self.limit, self.cap_btn]),
                      html_block("<h4>Final weights (optional)</h4><p>Points per criterion; "
                                 "they are scaled to add up to 100%.</p>"),
                      w.VBox(list(self.weights.values())), w.HBox([self.weights_btn,
                                                                   self.group_btn]),
                      html_block("<h4>Choose the focus areas</h4>"), self.choices,
                      self.warning, self.reason, self.decide_btn]
        parts.append(self.status.widget)
        self.widget = w.VBox(parts)
        self.refresh()

    def _build_editor(self) -> None:
        self.mode = w.ToggleButtons(description="Capacity counted in",
                                    options=[("Programmes", "programmes"),
                                             ("Effort points", "effort")],
                                    style={**STYLE, "button_width": "auto"})
        self.limit = w.BoundedIntText(description="How many we can take on", min=1, max=1000,
                                      value=focus.DEFAULT_CAPACITY, style=STYLE)
        self.cap_btn = button("Save the capacity", "Save the capacity")
        self.cap_btn.on_click(lambda _: self.save_capacity())
        self.weights = {c.key: w.BoundedIntText(description=c.label, min=0, max=100,
                                                style=STYLE) for c in
                        DATA_CRITERIA + HUMAN_CRITERIA}
        self.weights_btn = button("Set these as the final weights", "Set the final weights")
        self.weights_btn.on_click(lambda _: self.save_weights())
        self.group_btn = button("Use the group's weights", "Go back to the group's weights")
        self.group_btn.on_click(lambda _: self.save_weights(clear=True))
        self.choices = w.VBox()
        self.warning = html_block()
        self.reason = w.Textarea(description="Why this choice differs from the ranking",
                                 placeholder="Needed only when you do not take the top areas",
                                 style=STYLE, layout=layout(width=FULL, height="6rem"))
        self.decide_btn = button("Record the decision", "Record the chosen focus areas",
                                 "primary")
        self.decide_btn.on_click(lambda _: self.save_decision())

    def refresh(self) -> None:
        v = self.view
        self.source.refresh()  # cheap when nothing changed
        self.results = self.source.results
        cap = focus.capacity(v)
        made = focus.decision(v)
        if made:
            why = f" Reason given: {esc(made['reason'])}" if made.get("reason") else ""
            set_html(self.record, f'<p class="cd-note" role="status"><strong>Decided:</strong> '
                                  f"{esc(', '.join(made['areas']))}.{why}</p>")
        else:
            set_html(self.record, "<p>No decision recorded yet.</p>")
        if not self.editable:
            return
        ranking = self.results.ranking or []
        key = (repr(cap), repr(made), self.results.ready and tuple(row.area for row in ranking),
               self.results.ready and self.results.n, self.results.reason)
        if key == self._key:
            return
        self._key = key
        self.mode.value, self.limit.value = cap["mode"], int(cap["limit"])
        if self.results.ready:
            shown = weight_percentages(self.results)
            for k, box in self.weights.items():
                box.value = shown.get(k, 0)
            ranked = [row.area for row in self.results.ranked()]
            chosen = set(made["areas"]) if made else set(ranked[: self.results.n])
            self.boxes = {a: aria_name(w.Checkbox(value=a in chosen, description=a, indent=False,
                                                  layout=layout(width="auto", min_height="44px")),
                                       f"{a}, chosen as a focus area") for a in ranked}
            for box in self.boxes.values():
                box.observe(lambda _: self._warn(), names="value")
            self.choices.children = list(self.boxes.values())
        else:
            self.choices.children = [html_block(f"<p>{esc(self.results.reason)}</p>")]
        self._warn()

    def chosen(self) -> list[str]:
        return [a for a, b in self.boxes.items() if b.value]

    def _warn(self) -> None:
        data = focus.care_data(self.view)
        msg = focus.over_capacity(self.chosen(), focus.capacity(self.view), data.table)
        set_html(self.warning, f'<p class="cd-warn" role="alert">{esc(msg)}</p>' if msg else "")

    def _save(self, write, done: str) -> None:
        """``write()`` through the module's logic, which checks what it keeps."""
        try:
            write()
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        self.status.saved(done)
        self.refresh()

    def save_capacity(self) -> None:
        self._save(lambda: focus.save_capacity(self.view, self.mode.value, self.limit.value),
                   "Capacity saved")

    def save_weights(self, clear: bool = False) -> None:
        if clear:
            self._save(lambda: focus.save_final_weights(self.view, None),
                       "Using the group's weights again")
            return
        points = {k: b.value for k, b in self.weights.items()}
        self._save(lambda: focus.save_final_weights(self.view, points), "Final weights set")

    def save_decision(self) -> None:
        if not self.results:
            self.status.error("The ranking is not ready yet: reveal the scores and weights "
                              "first.")
            return
        areas = self.chosen()
        self._save(lambda: focus.record_decision(self.view, areas, self.reason.value,
                                                 self.results),
                   f"Recorded {len(areas)} focus areas")


