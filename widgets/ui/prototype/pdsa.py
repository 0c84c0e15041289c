"""The PDSA log for the chosen prototype: each cycle dated, with its plan and prediction,
what happened, the study against the prediction, and the act (adopt, adapt or abandon).

Why append-only: the log is the team's memory of what it learned, failures included. A cycle
can be filled in over days (plan first, study later); every save is a new version, and no
version is ever removed.
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from ... import tracking
from ...html.prototype import cycles_html
from ...markup import inert
from ...session import View
from ...store import StoreError
from ...validation import FieldError, check_text, parse_date, show_date
from ..common import FULL, Status, button, choice_buttons, html_block, set_html
from ..sharing import layout, shown
from .fields import date_example, field
from .picker import Picker

STYLE = {"description_width": "initial"}
ACT_OPTIONS = [("Not decided yet", ""), ("Adopt", "adopt"), ("Adapt", "adapt"),
               ("Abandon", "abandon")]
NEW = "new"


class PdsaLog:
    def __init__(self, view: View, picker: Picker, editable: bool = True):
        self.view = view
        self.picker = picker
        self.editable = editable
        self.status = Status()
        self.log = html_block()
        self.which = w.Dropdown(description="Cycle to write", options=[("A new cycle", NEW)],
                                value=NEW, style=STYLE,
                                layout=layout(width=FULL, max_width="30rem"))
        self.which.observe(lambda ch: self._load(ch["new"]), names="value")
        self.day = w.Text(description="Date the cycle starts", placeholder=date_example(),
                          style=STYLE, layout=layout(width="22rem", max_width=FULL))
        self.boxes = {f: field(w.Textarea(description=label, rows=3, style=STYLE,
                                          layout=layout(width=FULL)))
                      for f, label in tracking.CYCLE_FIELDS.items()}
        self.act = choice_buttons(ACT_OPTIONS, "Act: what we decide",
                                  ["Not decided yet", *tracking.ACTS.values()])
        self.act.description = "Act"
        self.save_btn = button("Save the cycle", "Save this PDSA cycle", "primary")
        self.save_btn.on_click(lambda _: self.save())
        self._cycles: list[tracking.Cycle] = []
        self._key = None
        self._pid = None
        form = [html_block("<h4>Write a cycle</h4>"), self.which, self.day,
                self.boxes["plan"], self.boxes["prediction"], self.boxes["do"],
                self.boxes["study"], html_block("<p>Act: what we decide</p>"), self.act,
                self.boxes["next"], self.save_btn, self.status.widget] if editable else []
        self.form = w.VBox(form)
        self.widget = w.VBox([html_block("<h3>PDSA log</h3>"), self.log, self.form])
        picker.on_change(lambda _pid: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        pid = self.picker.pid
        if pid is None:
            set_html(self.log, "")
            shown(self.form, False)
            return
        shown(self.form, True)
        found = tracking.cycles(self.view, pid)
        key = (pid, [(c.id, c.version) for c in found])
        if key == self._key:
            return
        self._key = key
        self._cycles = found
        if pid != self._pid:
            self._pid = pid
            self.status.clear()
        options = [("A new cycle", NEW)] + [
            (f"Cycle {i}: {show_date(c.day)}", c.id) for i, c in enumerate(found, 1)]
        keep = self.which.value if self.which.value in {o[1] for o in options} else NEW
        if list(self.which.options) != options:
            self.which.options = options
            self.which.value = keep
        if keep == NEW and not self.day.value:
            self._load(NEW)
        set_html(self.log, cycles_html(found))

    def _load(self, which: str) -> None:
        cycle = next((c for c in self._cycles if c.id == which), None)
        values = cycle.value if cycle else {}
        self.day.value = (cycle.day if cycle else date.today()).isoformat()
        for f, box in self.boxes.items():
            box.value = inert(values.get(f) or "")
        self.act.value = str(values.get("act") or "")

    def save(self) -> None:
        pid = self.picker.pid
        if pid is None:
            return
        try:
            day = parse_date(self.day.value)
            value = {f: check_text(b.value, "long", tracking.CYCLE_FIELDS[f].split(":")[0])
                     for f, b in self.boxes.items()}
        except FieldError as err:
            self.status.error(f"{err} Nothing was saved yet.")
            return
        if not value["plan"]:
            self.status.error("Write the plan first: what you will do, who, where and when. "
                              "Nothing was saved yet.")
            return
        value.update(date=day.isoformat(), act=self.act.value or "")
        cycle = next((c for c in self._cycles if c.id == self.which.value), None)
        if cycle:
            value["logged"] = cycle.value.get("logged")
        try:
            cid, stale = tracking.save_cycle(self.view, pid, value,
                                             cycle.id if cycle else None,
                                             cycle.version if cycle else None)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        self.refresh()
        if self.which.value != cid:
            self.which.value = cid
        number = next(i for i, c in enumerate(self._cycles, 1) if c.id == cid)
        if stale:
            self.status.info(f"Saved cycle {number}. Someone else had changed it since you "
                             "opened it; yours is now current and theirs is kept.")
        else:
            self.status.saved(f"Saved cycle {number}")
        if value["act"] == "abandon":
            self.status.info(f"Saved cycle {number}: abandoned. Dropping what does not work "
                             "is part of the method; the log keeps what was learned.")
        self.picker.refresh()
