"""Which prototype this screen is working on, starting a new one, and the overview of all.

Why a picker: a session may hold a dozen canvases. Building every editor for every canvas
would make each phone slow; one picker chooses the canvas, and the editor, the driver
diagram, the PDSA log and the measures all follow it.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ... import prototype, tracking
from ...analysis.canvas import check
from ...html.prototype import STATUS_WORDS
from ...markup import inert
from ...session import View
from ...store import StoreError
from ...validation import FieldError, check_text
from ..common import FULL, Status, button, esc, html_block, set_html
from ..sharing import layout, shown
from ..shell.stagecontrols import emphasise

STYLE = {"description_width": "initial"}


class Picker:
    def __init__(self, view: View, editable: bool = True):
        self.view = view
        self.editable = editable
        self.status = Status()
        self.pid: str | None = None
        self._listeners: list[Callable[[str | None], None]] = []
        self.choose = w.Dropdown(description="Prototype to work on", options=[], style=STYLE,
                                 layout=layout(width=FULL, max_width="40rem"))
        self._quiet = False  # True while the list itself is being replaced
        self.choose.observe(lambda ch: None if self._quiet else self._select(ch["new"]),
                            names="value")
        self.area = w.Dropdown(description="Focus area", options=[], style=STYLE,
                               layout=layout(width=FULL, max_width="40rem"))
        self.title = w.Text(description="Name of the new prototype",
                            placeholder="e.g. Night-time rounding on Ward 7", style=STYLE,
                            layout=layout(width=FULL, max_width="40rem"))
        self.add_btn = button("Start a new prototype", "Start a canvas for a new prototype")
        self.add_btn.on_click(lambda _: self.add())
        self.empty = html_block()
        starter = [html_block("<h4>Start a prototype</h4>"), self.area, self.title,
                   self.add_btn] if editable else []
        # "Prototypes" heads the overview of them all; this part works on one of them.
        title = "Work on a prototype" if editable else "Look at one prototype"
        self.widget = w.VBox([html_block(f"<h3>{title}</h3>"), self.empty, self.choose,
                              *starter, self.status.widget])
        self._options: list = []
        self.refresh()

    def on_change(self, listener: Callable[[str | None], None]) -> None:
        self._listeners.append(listener)

    def _select(self, pid: str | None) -> None:
        if pid != self.pid:
            self.pid = pid
            for listener in self._listeners:
                listener(pid)

    def refresh(self) -> None:
        found = prototype.prototypes(self.view)
        options = [(inert(p.label), p.id) for p in found]
        if options != self._options:
            self._options = options
            keep = self.pid if self.pid in {o[1] for o in options} else (
                options[0][1] if options else None)
            # Replacing the options briefly empties the choice; that is not the person
            # choosing another prototype, so the parts following the picker are not told.
            self._quiet = True
            try:
                self.choose.options = options
                if self.choose.value != keep:
                    self.choose.value = keep
            finally:
                self._quiet = False
            self._select(keep)
        shown(self.choose, bool(options))
        # With no prototype yet, starting one is the next thing to do.
        emphasise({"add": self.add_btn}, None if options else "add")
        set_html(self.empty, "" if options else
                 '<p class="cd-note">No prototypes yet. Start one for a focus area below.</p>'
                 if self.editable else '<p class="cd-note">No prototypes yet.</p>')
        areas = prototype.area_options(self.view)
        if list(self.area.options) != areas:
            self.area.options = areas
        if self.area.value not in areas:  # ipywidgets 8 leaves a new list unselected
            self.area.value = areas[0]

    def add(self) -> None:
        try:
            title = check_text(self.title.value, "short", "The prototype's name")
        except FieldError as err:
            self.status.error(str(err))
            return
        if not title:
            self.status.error("Give the prototype a short name first, such as "
                              "“Night-time rounding on Ward 7”.")
            return
        try:
            made = prototype.create(self.view, self.area.value, title)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        self.title.value = ""
        self.status.saved(f"Started “{title}”")
        self.refresh()
        self.choose.value = made.id


class Overview:
    """Every prototype at a glance: its area, aim, how complete the canvas is, its status."""

    def __init__(self, view: View):
        self.view = view
        self.widget = html_block()
        self._key = None
        self.refresh()

    def refresh(self) -> None:
        found = prototype.prototypes(self.view)
        track = tracking.tracking_work(self.view)
        weeks = prototype.max_weeks(self.view)
        rows = []
        for p in found:
            prompts = len(check(p.canvas(), weeks))
            rows.append((p.area, p.title, str(p.values.get("aim") or ""), prompts,
                         STATUS_WORDS[tracking.status(self.view, p.id, track)]))
        if rows == self._key:
            return
        self._key = rows
        if not rows:
            set_html(self.widget, "<h3>Prototypes</h3><p>No prototypes yet.</p>")
            return
        body = "".join(
            f"<tr><th scope='row'>{esc(a)}: {esc(t)}</th><td>{esc(aim)}</td>"
            f"<td>{'complete' if n == 0 else f'{n} prompt' + ('s' if n != 1 else '')}</td>"
            f"<td>{esc(st)}</td></tr>" for a, t, aim, n, st in rows)
        set_html(self.widget,
                 "<h3>Prototypes</h3><table class='cd-table'><caption>Every prototype, its "
                 "aim, what its canvas still lacks, and where it stands</caption><thead><tr>"
                 "<th scope='col'>Prototype</th><th scope='col'>Aim</th>"
                 "<th scope='col'>Canvas</th><th scope='col'>Status</th></tr></thead>"
                 f"<tbody>{body}</tbody></table>")


class CanvasSettings:
    """The facilitator's setting for the canvas check: the longest timebox before it prompts
    (12 weeks by default; a system that tests in quarters may want 13)."""

    def __init__(self, view: View):
        self.view = view
        self.status = Status()
        self.weeks = w.Dropdown(description="Longest timebox before the check prompts (weeks)",
                                options=list(range(2, 27)), value=prototype.max_weeks(view),
                                style=STYLE, layout=layout(width="auto", max_width=FULL))
        self.set_btn = button("Set the longest timebox", "Change when the check prompts")
        self.set_btn.on_click(lambda _: self.save())
        self.widget = w.VBox([w.HBox([self.weeks, self.set_btn]), self.status.widget])

    def save(self) -> None:
        try:
            prototype.set_max_weeks(self.view, self.weeks.value)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        self.status.saved(f"The check now prompts above {self.weeks.value} weeks")

    def refresh(self) -> None:
        weeks = prototype.max_weeks(self.view)
        if self.weeks.value != weeks and weeks in self.weeks.options:
            self.weeks.value = weeks
