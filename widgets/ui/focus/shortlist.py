"""The shortlist: which care areas the room will score (shared work, kept by the facilitator).

Why about ten: scoring ten areas on four questions is forty answers each, about fifteen
minutes; thirty areas would be a hundred and twenty and a tired room. The data proposes
the ten with the highest data-only score; the room argues the list into shape.
"""

from __future__ import annotations

import ipywidgets as w

from ... import focus
from ...session import View
from ...store import StoreError
from ...validation import FieldError
from ..common import Status, button, esc, html_block, set_html
from ..sharing import layout


class Shortlist:
    def __init__(self, view: View, editable: bool):
        self.view = view
        self.editable = editable
        self.status = Status()
        self.summary = html_block()
        self.boxes: dict[str, w.Checkbox] = {}
        self.version = -1
        self._key: tuple | None = None
        self.list = w.VBox()
        controls = []
        if editable:  # participants see a list, not controls they cannot use
            self.save_btn = button("Save the shortlist", "Save the ticked areas as the "
                                   "shortlist", "primary")
            self.propose_btn = button("Tick the data's top ten", "Start again from the data's "
                                                                 "proposal")
            self.save_btn.on_click(lambda _: self.save())
            self.propose_btn.on_click(lambda _: self.propose())
            controls = [w.HBox([self.save_btn, self.propose_btn])]
        self.widget = w.VBox([html_block("<h3>Shortlist</h3>"), self.summary, self.list,
                              *controls, self.status.widget])
        self.refresh()

    def refresh(self) -> None:
        data = focus.care_data(self.view)
        areas, version, proposed = focus.shortlist(self.view, data)
        key = (data.sha256, version, tuple(areas))
        if key == self._key:
            return
        self._key = key
        self.version = version
        self.data = data
        note = ("Proposed from the data (the ten highest on patients, cost, variation, outcome "
                "gap and harm, weighted equally)." if proposed else
                f"Saved by the facilitator (version {version}).")
        set_html(self.summary, f"<p>{len(areas)} areas shortlisted. {esc(note)}</p>")
        if self.editable:
            self.boxes = {a: w.Checkbox(value=a in areas, description=a, indent=False,
                                        layout=layout(width="auto", min_height="44px"))
                          for a in data.table.areas}
            self.list.children = list(self.boxes.values())
        else:
            items = "".join(f"<li>{esc(a)}</li>" for a in areas)
            self.list.children = [html_block(f"<ol>{items}</ol>")]

    def propose(self) -> None:
        top = set(focus.proposed_shortlist(self.data.table))
        for area, box in self.boxes.items():
            box.value = area in top
        self.status.info("Ticked the data's top ten. Save to keep it.")

    def chosen(self) -> list[str]:
        return [a for a, b in self.boxes.items() if b.value]

    def save(self) -> None:
        areas = self.chosen()
        v = self.view
        try:
            stale = focus.save_shortlist(v, areas, self.version)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        if stale:
            self.status.info("Saved. The shortlist had changed since you opened it; your "
                             "version is now the current one and the earlier one is kept.")
        else:
            self.status.saved(f"Saved the shortlist of {len(areas)} areas")
        if focus.scoring_started(v):
            self.status.info("Saved. Scoring has started: scores for areas you removed stay "
                             "on record but no longer count; added areas need scoring.")
        self.refresh()
