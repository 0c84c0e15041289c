"""The chosen prototype's measures over time: enter values or load a CSV file, and read the
chart the Making Data Count way.

Why measurement for improvement: the question is "has something changed?", not "who is to
blame?" (Berwick, James & Coye 2003). The chart separates everyday wobble from a real
signal, so a team neither celebrates noise nor misses a change.
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from ... import prototype, tracking
from ...analysis.spc_rules import XMR_RULES
from ...html import spc_chart
from ...markup import inert
from ...session import View
from ...store import StoreError
from ...validation import FieldError, TableInvalid, parse_date, show_date
from ..common import FULL, Status, button, choice_buttons, html_block, set_html
from ..sharing import layout
from ..upload import FilePicker, show_problems
from .fields import date_example
from .picker import Picker

STYLE = {"description_width": "initial"}
RULE_OPTIONS = [(f"{n} points ({why})", n) for n, why in XMR_RULES.items()]


def _number(text: str) -> float:
    try:
        value = float(text.strip().replace(",", ""))
    except ValueError:
        raise FieldError(f"“{text.strip()[:20]}” is not a number. Type digits only, such as "
                         "12 or 3.5.") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise FieldError("That is not a usable number.")
    return value


class MeasuresPanel:
    def __init__(self, view: View, picker: Picker, editable: bool = True):
        self.view = view
        self.picker = picker
        self.editable = editable
        self.status = Status()
        self.problems = html_block()
        self.chart = html_block()
        self.choose = w.Dropdown(description="Measure", options=[], style=STYLE,
                                 layout=layout(width=FULL, max_width="36rem"))
        self.choose.observe(lambda _: self.refresh(force=True), names="value")
        self.day = w.Text(description="Date", placeholder=date_example(),
                          value=date.today().isoformat(), style=STYLE,
                          layout=layout(width="16rem", max_width=FULL))
        self.value = w.Text(description="Value", placeholder="e.g. 12", style=STYLE,
                            layout=layout(width="12rem", max_width=FULL))
        self.add_btn = button("Add the value", "Add the value for this date", "primary")
        self.add_btn.on_click(lambda _: self.add())
        self.remove_btn = button("Remove the value on this date",
                                 "Take out the value for the date typed")
        self.remove_btn.on_click(lambda _: self.remove())
        self.file = FilePicker(self.load_file, self.status,
                               label="Or load values from a CSV file (columns: date, value)")
        self.rule = choice_buttons(RULE_OPTIONS, "Shift and trend length",
                                   ["NHS-R's default", "Making Data Count's current advice"])
        self.rule.description = "Shifts and trends"
        self.rule.observe(lambda ch: self._set_rule(ch["new"]), names="value")
        self.break_day = w.Text(description="Recalculate the limits from",
                                placeholder="the date a change began", style=STYLE,
                                layout=layout(width="24rem", max_width=FULL))
        self.break_btn = button("Recalculate from this date",
                                "Start new limits from the date typed")
        self.break_btn.on_click(lambda _: self.add_break())
        self.clear_btn = button("Use one set of limits", "Remove the recalculations")
        self.clear_btn.on_click(lambda _: self.clear_breaks())
        self.body = w.VBox()
        self.empty = html_block('<p class="cd-note">Add measures to the canvas (and save it) '
                                "to track them here.</p>")
        tools = [html_block("<h4>Add values</h4>"), w.HBox([self.day, self.value]),
                 w.HBox([self.add_btn, self.remove_btn]), self.file,
                 html_block("<h4>Chart settings</h4>"), self.rule,
                 self.break_day, w.HBox([self.break_btn, self.clear_btn])] if editable else []
        self.inner = w.VBox([self.choose, self.chart, *tools, self.status.widget,
                             self.problems])
        self.widget = w.VBox([html_block("<h3>Measures over time</h3>"), self.body])
        self._measures: list[dict] = []
        self._key = None
        self._loading = False
        picker.on_change(lambda _pid: self.refresh(force=True))
        self.refresh()

    # -- what is shown --------------------------------------------------------------------
    def measure(self) -> dict | None:
        return next((m for m in self._measures if m.get("id") == self.choose.value), None)

    def refresh(self, force: bool = False) -> None:
        if self._loading:
            return
        pid = self.picker.pid
        p = prototype.get(self.view, pid) if pid else None
        measures = [m for m in (p.values.get("measures") or []) if m.get("name")] if p else []
        if measures != self._measures:
            self._measures = measures
            options = [(inert(f"{m['name']} ({m.get('kind', 'outcome')})"), m["id"])
                       for m in measures]
            keep = self.choose.value if self.choose.value in {o[1] for o in options} else (
                options[0][1] if options else None)
            self._loading = True
            try:
                self.choose.options = options
                self.choose.value = keep
            finally:
                self._loading = False
        if not measures:
            if list(self.body.children) != [self.empty]:
                self.body.children = [self.empty]
            self._key = None
            return
        if list(self.body.children) != [self.inner]:
            self.body.children = [self.inner]
        m = self.measure()
        s = tracking.series(self.view, pid, m["id"])
        key = (pid, repr(m), s.points, s.rule, s.breaks)
        if key == self._key and not force:
            return
        self._key = key
        self._draw(m, s)

    def _draw(self, m: dict, s: tracking.Series) -> None:
        set_html(self.chart, measure_html(m, s))
        self._loading = True
        try:
            if self.rule.value != s.rule:
                self.rule.value = s.rule
        finally:
            self._loading = False

    # -- changes ----------------------------------------------------------------------------
    def _ids(self) -> tuple[str, str] | None:
        m = self.measure()
        if self.picker.pid is None or m is None:
            self.status.error("Choose a measure first.")
            return None
        return self.picker.pid, m["id"]

    def add(self) -> None:
        ids = self._ids()
        if ids is None:
            return
        try:
            day = parse_date(self.day.value)
            value = _number(self.value.value)
        except FieldError as err:
            self.status.error(f"{err} Nothing was added.")
            return
        try:
            _added, replaced = tracking.add_points(self.view, *ids, [(day, value)])
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        if replaced:
            self.status.info(f"Replaced the value for {show_date(day)}: it was "
                             f"{replaced[0][1]:g}, now {value:g} (the old one is kept in "
                             "the history).")
        else:
            self.status.saved(f"Added {value:g} for {show_date(day)}")
        self.value.value = ""
        self.refresh(force=True)

    def remove(self) -> None:
        ids = self._ids()
        if ids is None:
            return
        try:
            day = parse_date(self.day.value)
            gone = tracking.remove_point(self.view, *ids, day)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        if gone:
            self.status.saved(f"Removed the value for {show_date(day)}")
        else:
            self.status.error(f"There is no value on {show_date(day)} to remove.")
        self.refresh(force=True)

    def load_file(self, name: str, data: bytes) -> None:
        ids = self._ids()
        if ids is None:
            return
        set_html(self.problems, "")
        try:
            points = tracking.read_values(data, f"file “{name}”")
        except TableInvalid as err:
            show_problems(self.status, self.problems, name, err,
                          "The values on screen have not changed.")
            return
        try:
            added, replaced = tracking.add_points(self.view, *ids, points)
        except (FieldError, StoreError) as err:
            self.status.error(f"“{name}” was not loaded. {err}")
            return
        self.status.saved(f"Loaded “{name}”: {added} new value{'s' if added != 1 else ''}"
                          + (f", {len(replaced)} replaced" if replaced else ""))
        self.refresh(force=True)

    def _set_rule(self, rule) -> None:
        if self._loading or rule is None:
            return
        s = self._series()
        if s is None or s.rule == rule:
            return
        self._settings(rule, s.breaks, f"Shifts and trends now need {rule} points")

    def _series(self) -> tracking.Series | None:
        ids = self._ids()
        return tracking.series(self.view, *ids) if ids else None

    def add_break(self) -> None:
        s = self._series()
        if s is None:
            return
        try:
            day = parse_date(self.break_day.value)
        except FieldError as err:
            self.status.error(str(err))
            return
        if day not in s.dates or day == s.dates[0]:
            self.status.error(f"{show_date(day)} is not one of this measure's dates after the "
                              "first. Type the date of the first point after the change.")
            return
        after = sum(1 for d in s.dates if d >= day)
        self._settings(s.rule, [*s.breaks, day],
                       f"Limits recalculated from {show_date(day)}"
                       + (f" (on {after} points so far; they firm up at 13)" if after < 13
                          else ""))

    def clear_breaks(self) -> None:
        s = self._series()
        if s is not None:
            self._settings(s.rule, [], "One set of limits again")

    def _settings(self, rule: int, breaks: list[date], done: str) -> None:
        ids = self._ids()
        try:
            tracking.save_settings(self.view, *ids, rule, breaks)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        self.status.saved(done)
        self.refresh(force=True)


def measure_html(m: dict, s: tracking.Series) -> str:
    """One measure on the Prototype screen: :func:`widgets.html.spc_chart.measure_html`
    (shared with the report), with the screen's prompt to choose which way is better."""
    return spc_chart.measure_html(
        m, s, '<p class="cd-warn">Which way is better for this measure? Say so on the canvas, '
        "and signals will read as improvement or concern.</p>")
