"""The console's downloads: the workshop report, the session as JSON, its tables as CSV.

Why prepared on request: a report draws every chart and weighs a few hundred kilobytes;
building it on every refresh would slow the console for nothing. The file is handed to the
browser as a link holding its own bytes, so nothing else is served and nothing is left on
the server's disk.
"""

from __future__ import annotations

import base64

import ipywidgets as w

from ...session import View
from ...store import StoreError
from ..common import Status, button, esc, html_block, set_html
from ..sharing import layout

KINDS = {"html": ("The workshop report (HTML, prints on A4)", "text/html", "report.html"),
         "json": ("The whole session (JSON)", "application/json", "session.json"),
         "csv": ("The tables (CSV files in a zip)", "application/zip", "tables.zip"),
         "paper": ("The check-in's board paper (HTML, prints on A4)", "text/html",
                   "board-paper.html")}


def data_link(data: bytes, mime: str, filename: str, text: str) -> str:
    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return f'<a class="cd-download" download="{esc(filename)}" href="{href}">{esc(text)}</a>'


class ExportPanel:
    def __init__(self, view: View):
        self.view = view
        self.status = Status()
        self.individual = w.Checkbox(
            value=False, indent=False, layout=layout(width="auto"),
            description="Include each person's revealed answers (names only for people "
                        "who agreed)")
        self.buttons = {}
        for kind, (label, _, _) in KINDS.items():
            b = button(f"Prepare {label[0].lower()}{label[1:]}", f"Make {label.lower()}")
            b.on_click(lambda _b, k=kind: self.prepare(k))
            self.buttons[kind] = b
        self.link = html_block()
        self.widget = w.VBox([
            html_block("<h3>Report and exports</h3><p>Only revealed results are included, "
                       "and names only for people who agreed to be named. The report opens "
                       "offline and prints on A4. Keep these files as you would board papers."
                       "</p>"),
            *self.buttons.values(), self.individual, self.link, self.status.widget])

    def make(self, kind: str) -> bytes:
        # here, not at the top: 239 ms to import (benchmarks/import_cost.py)
        from ... import exports

        if kind == "paper":
            # here, not at the top: the check-in's paper is asked for once a month or so
            from ...board_paper import build as paper

            return paper(self.view).encode("utf-8")
        if kind == "html":
            # here, not at the top: 286 ms to import (benchmarks/import_cost.py)
            from ...report import build

            return build(self.view).encode("utf-8")
        data = exports.session_data(self.view, individual=self.individual.value)
        if kind == "json":
            return exports.to_json(data).encode("utf-8")
        return exports.csv_zip(data)

    def prepare(self, kind: str) -> None:
        label, mime, suffix = KINDS[kind]
        try:
            data = self.make(kind)
        except (StoreError, ValueError) as err:
            self.status.error(str(err))
            return
        name = f"conductor-{self.view.session.code}-{suffix}"
        size = f"{len(data) / 1024:,.0f} KB"
        set_html(self.link, "<p>" + data_link(data, mime, name, f"Download {label[0].lower()}"
                                                                f"{label[1:]}, {size}") + "</p>")
        self.status.saved(f"Ready: {label.split(' (')[0].lower()}")

    def refresh(self) -> None:
        """Nothing to follow: files are made when asked for."""
