"""Bring your own data: the facilitator loads the organisation's care-area file.

Nothing changes until the whole file is valid. Replacing the data after scoring has begun
asks first and says what happens: scores are kept on record, areas that disappear drop out
of the results, and new areas need scoring.
"""

from __future__ import annotations

import ipywidgets as w

from ... import focus
from ...care_areas import read_care_areas
from ...session import View
from ...store import StoreError
from ...validation import UPLOAD_LIMIT, TableInvalid
from ..common import Status, button, esc, html_block, set_html
from ..sharing import layout, shown
from ..upload import FilePicker, show_problems


class DataUpload:
    def __init__(self, view: View, on_loaded=None):
        self.view = view
        self.on_loaded = on_loaded
        self.status = Status()
        self.problems = html_block()
        self.pending: tuple[str, bytes] | None = None
        self.picker = FilePicker(self.offer, self.status,
                                 label=f"Load your own care-area file (CSV, up to "
                                       f"{UPLOAD_LIMIT})")
        self.confirm_text = html_block()
        self.yes = button("Yes, replace the data", "Replace the data now", "warning")
        self.no = button("Keep the current data", "Cancel the replacement")
        self.yes.on_click(lambda _: self.apply())
        self.no.on_click(lambda _: self.cancel())
        self.confirm = w.VBox([self.confirm_text, w.HBox([self.yes, self.no])],
                              layout=layout())
        shown(self.confirm, False)
        self.widget = w.VBox([
            html_block("<h4>Your own data</h4><p>Columns and units are described in "
                       "<code>data/README.md</code>. The file is checked first; nothing "
                       "changes unless all of it is valid.</p>"),
            self.picker, self.status.widget, self.problems, self.confirm])

    def refresh(self) -> None:
        """Part of a page's parts, refreshed by its poll like every other part. Nothing on
        it follows the session: what it says comes from the file just offered."""

    def offer(self, name: str, data: bytes) -> None:
        """A file arrived: validate it, then apply (or ask first if scoring has begun)."""

        set_html(self.problems, "")
        try:
            table = read_care_areas(data, f"file “{name}”")
        except TableInvalid as err:
            show_problems(self.status, self.problems, name, err,
                          "The data on screen has not changed.")
            return
        self.pending = (name, data)
        if focus.scoring_started(self.view):
            areas, _, _ = focus.shortlist(self.view)
            gone = [a for a in areas if a not in table]
            lost = (f" {len(gone)} shortlisted areas are not in the new file "
                    f"({esc(', '.join(gone[:5]))}{'…' if len(gone) > 5 else ''}): their "
                    "scores stay on record but drop out of the results." if gone else "")
            set_html(self.confirm_text,
                     f'<p class="cd-warn" role="alert">Scoring has already started. Replace '
                     f"the data with “{esc(name)}” ({len(table)} areas)? Scores given so far "
                     f"are kept.{lost}</p>")
            shown(self.confirm, True)
            return
        self.apply()

    def cancel(self) -> None:
        self.pending = None
        shown(self.confirm, False)
        self.status.info("Kept the current data.")

    def apply(self) -> None:
        if self.pending is None:
            return
        name, data = self.pending
        self.pending = None
        shown(self.confirm, False)
        try:
            loaded = focus.load_data(self.view, data, name)
        except (StoreError, TableInvalid) as err:
            self.status.error(str(err))
            return
        self.status.saved(f"Loaded “{name}”: {len(loaded.table)} care areas")
        if self.on_loaded:
            self.on_loaded()
