"""The prototype canvas editor, with the check's prompts as you type.

Why prompts and never a block: a canvas is a draft a team improves together, so a half-done
canvas saves like any other; the prompts point at the gaps that most often sink a test of
change. Each field saves as its own version, so two people editing different fields never
overwrite each other; when someone else saves a field you have not touched, it appears in
your editor; when you had changed it too, yours is kept on screen and the save tells you.
"""

from __future__ import annotations

import ipywidgets as w

from ... import prototype
from ...analysis.canvas import check
from ...html.prototype import LABELS
from ...markup import inert
from ...session import View
from ...store import StoreError
from ...validation import TIMEBOX_WEEKS, FieldError, check_text
from ..common import FULL, Status, button, esc, html_block, set_html
from ..sharing import layout
from .fields import field
from .lists import DecisionList, MeasureList, TeamList, display
from .picker import Picker

STYLE = {"description_width": "initial"}


class CanvasEditor:
    EDITED = (*(f for f, *_ in prototype.TEXT_FIELDS), "title", "timebox_weeks", "team",
              "measures", "decisions")

    def __init__(self, view: View, picker: Picker, editable: bool = True):
        self.view = view
        self.picker = picker
        self.editable = editable
        self.status = Status()
        self.prompts = html_block()
        self.body = w.VBox()
        self.pid: str | None = None
        self.seen: dict[str, object] = {}  # display form of what each widget was loaded with
        self.versions: dict[str, int] = {}
        self._loading = False
        self.max_weeks = prototype.max_weeks(view)
        self.widget = w.VBox([html_block("<h3>The canvas</h3>"), self.body,
                              self.prompts, self.status.widget])
        self.widget.add_class("cd-canvas")
        picker.on_change(lambda pid: self.show(pid))
        self.show(picker.pid)

    # -- building -------------------------------------------------------------------------
    def show(self, pid: str | None) -> None:
        self.pid = pid
        self.max_weeks = prototype.max_weeks(self.view)
        self.status.clear()
        p = prototype.get(self.view, pid) if pid else None
        if p is None:
            self.body.children = [html_block('<p class="cd-note">Choose or start a prototype '
                                             "to see its canvas.</p>")]
            set_html(self.prompts, "")
            return
        self.boxes: dict[str, w.Widget] = {
            "title": field(w.Text(description=LABELS["title"], style=STYLE,
                                  layout=layout(width=FULL)))}
        for f, label, size, _ in prototype.TEXT_FIELDS:
            hint = prototype.hint(f)
            box = (w.Textarea(description=label, placeholder=hint, rows=3, style=STYLE,
                              layout=layout(width=FULL))
                   if size == "long" else
                   w.Text(description=label, placeholder=hint, style=STYLE,
                          layout=layout(width=FULL)))
            self.boxes[f] = field(box)
        self.boxes["timebox_weeks"] = field(w.Text(
            description=LABELS["timebox_weeks"], placeholder="e.g. 8", style=STYLE,
            layout=layout(width="16rem", max_width=FULL)))
        self.team = TeamList(self.editable, self._prompt)
        self.measures = MeasureList(self.editable, self._prompt)
        self.decisions = DecisionList(self.editable, self._prompt)
        self.lists = {"team": self.team, "measures": self.measures,
                      "decisions": self.decisions}
        add_member = button("Add a team member", "Add a row for a team member")
        add_member.on_click(lambda _: self.team.add())
        add_measure = button("Add a measure", "Add a row for a measure")
        add_measure.on_click(lambda _: self.measures.add())
        self.save_btn = button("Save the canvas", "Save your changes to this canvas",
                               "primary")
        self.save_btn.on_click(lambda _: self.save())
        self.aside_btn = button("Set this prototype aside",
                                "Remove it from the list (it is kept)")
        self.aside_btn.on_click(lambda _: self.set_aside())
        for box in self.boxes.values():
            box.observe(lambda _: self._prompt(), names="value")
        for name in self.EDITED:
            self._load(name, p.values.get(name))
        self.versions = dict(p.versions)
        editing = [self.save_btn, self.aside_btn] if self.editable else []
        self.body.children = [
            html_block(f"<p>Focus area: <strong>{esc(p.area)}</strong></p>"),
            self.boxes["title"], self.boxes["aim"], self.boxes["drivers"],
            *(self.boxes[f] for f, *_ in prototype.TEXT_FIELDS[2:]),
            html_block("<h4>The team</h4><p>Roles, not only names; tick those who work on "
                       "the front line.</p>"), self.team.widget, add_member,
            html_block("<h4>Measures</h4><p>A few, just enough: at least one outcome, one "
                       "process and one balancing measure.</p>"), self.measures.widget,
            add_measure,
            html_block("<h4>Decisions the team holds</h4><p>From the Delegation Board for "
                       "this focus area.</p>"), self.decisions.widget,
            self.boxes["timebox_weeks"], w.HBox(editing)]
        self._prompt()

    def _load(self, name: str, value) -> None:
        """Put a saved value into the widgets and remember it as seen."""
        self._loading = True
        try:
            if name in self.lists:
                shown = display(name, value)
                if name == "decisions":
                    p = prototype.get(self.view, self.pid)
                    self.decisions.load(shown, prototype.held_decisions(self.view, p.area))
                else:
                    self.lists[name].load(shown)
            else:
                shown = _shown(name, value)
                if self.boxes[name].value != shown:
                    self.boxes[name].value = shown
            self.seen[name] = shown
        finally:
            self._loading = False

    # -- reading the widgets --------------------------------------------------------------
    def raw(self, name: str):
        """The display form of what the widgets hold now (unvalidated)."""
        if name in self.lists:
            return self.lists[name].raw()
        return self.boxes[name].value

    def parsed(self, name: str, strict: bool = True):
        """The value to save for one field; FieldError says what is wrong."""
        if name in self.lists:  # not strict: never raises (the check reads what is there)
            return self.lists[name].parsed(strict)
        raw = self.raw(name)
        if name == "timebox_weeks":
            if not raw.strip():
                return None
            try:
                weeks = float(raw)
            except ValueError:
                if not strict:
                    return raw
                raise FieldError(f"The timebox “{raw[:20]}” is not a number of weeks; type "
                                 "a number such as 8.") from None
            low, high = TIMEBOX_WEEKS
            if strict and not low <= weeks <= high:
                raise FieldError(f"The timebox is in weeks, from {low} to {high}.")
            return weeks
        size = "short" if name in ("title", "need", "smallest_test") else "long"
        return check_text(raw, size, LABELS[name])

    def _prompt(self) -> None:
        if self._loading or self.pid is None:
            return
        canvas = {}
        for name in self.EDITED:
            try:
                canvas[name] = self.parsed(name, strict=False)
            except FieldError:  # text the check reads as typed (lists never get here)
                canvas[name] = self.raw(name)
        prompts = check(canvas, self.max_weeks)
        remind = (" <strong>Remember to save: you have changes not saved yet.</strong>"
                  if self.unsaved() else "")
        if not prompts:
            set_html(self.prompts, '<div class="cd-note"><strong>The check finds nothing '
                                   f"missing.</strong>{remind}</div>")
            return
        items = "".join(f"<li><strong>{esc(LABELS.get(p.field, p.field))}:</strong> "
                        f"{esc(p.text)}</li>" for p in prompts)
        set_html(self.prompts, f'<div class="cd-note"><strong>Prompts to strengthen the '
                               f"canvas ({len(prompts)})</strong>: it saves as it is, these "
                               f"only help.{remind}<ul>{items}</ul></div>")

    def unsaved(self) -> bool:
        """Whether the editor holds a change not yet saved (what differs from what was
        loaded or last saved)."""
        return any(self.raw(name) != self.seen.get(name) for name in self.EDITED)

    # -- saving and following others ------------------------------------------------------
    def save(self) -> None:
        if self.pid is None:
            return
        try:
            values = {name: self.parsed(name) for name in self.EDITED}
        except FieldError as err:
            self.status.error(f"{err} Nothing was saved yet.")
            return
        changed = {n: v for n, v in values.items() if self.raw(n) != self.seen.get(n)}
        if not values["title"]:
            self.status.error("The prototype needs a name. Nothing was saved yet.")
            return
        if not changed:
            self.status.info("Nothing new to save.")
            return
        try:
            stale = prototype.save_fields(self.view, self.pid, changed, self.versions)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        p = prototype.get(self.view, self.pid)
        for name in changed:
            self._load(name, p.values.get(name))
            self.versions[name] = p.versions[name]
        self._prompt()
        if stale:
            names = ", ".join(LABELS[n] for n in stale)
            self.status.info(f"Saved. Someone else had changed {names} since you opened it; "
                             "yours is now current and theirs is kept in the history.")
        else:
            self.status.saved("Saved the canvas")
        self.picker.refresh()

    def set_aside(self) -> None:
        try:
            prototype.remove(self.view, self.pid)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        self.picker.status.info("Set the prototype aside. It is kept in the history.")
        self.picker.refresh()

    def refresh(self) -> None:
        """Bring in fields others saved, unless you have changed the same field here."""
        if self.pid is None:
            return
        p = prototype.get(self.view, self.pid)
        if p is None:
            return
        self.max_weeks = prototype.max_weeks(self.view)
        for name in self.EDITED:
            version = p.versions.get(name, 0)
            if version == self.versions.get(name, 0):
                continue
            if self.raw(name) == self.seen.get(name):
                self._load(name, p.values.get(name))
                self.versions[name] = version
        self._prompt()


def _shown(name: str, value) -> str:
    """A saved text or number as its box shows it: text saved before control characters
    were refused shows them as visible signs (``markup.inert``), never a crash."""
    if name == "timebox_weeks" and value not in (None, ""):
        try:
            return f"{float(value):g}"
        except (TypeError, ValueError):
            pass
    return inert(value or "")
