"""The prototype canvas editor, with the check's prompts as you type.

Why prompts and never a block: a canvas is a draft a team improves together, so a half-done
canvas saves like any other; the prompts point at the gaps that most often sink a test of
change. Each field saves as its own version, so two people editing different fields never
overwrite each other; when someone else saves a field you have not touched, it appears in
your editor; when you had changed it too, yours is kept on screen and the save tells you.
"""

from __future__ import annotations

import secrets

import ipywidgets as w

from .. import prototype
from ..analysis.canvas import check
from ..session import View
from ..store import StoreError
from ..validation import FieldError, check_text
from .common import FULL, Status, button, esc, html_block, set_html
from .proto_picker import Picker

STYLE = {"description_width": "initial"}
KIND_OPTIONS = [("Outcome (impact on patients)", "outcome"),
                ("Process (is the change happening?)", "process"),
                ("Balancing (harm elsewhere?)", "balancing")]
BETTER_OPTIONS = [("Choose…", ""), *((t, k) for k, t in prototype.BETTER.items())]
LABELS = {f: label for f, label, _, _ in prototype.TEXT_FIELDS} | {
    "title": "Prototype name", "timebox_weeks": "Timebox (weeks)", "team": "Team",
    "measures": "Measures", "decisions": "Decisions the team holds"}


def _stack(widget: w.Widget) -> w.Widget:
    widget.add_class("cd-stack")
    return widget


def display(name: str, value):
    """A saved value in the form the editor's widgets hold, so the two can be compared."""
    if name == "team":
        return tuple((str(m.get("role") or ""), bool(m.get("frontline")))
                     for m in value or [])
    if name == "measures":
        return tuple((str(m.get("id") or ""), str(m.get("name") or ""),
                      str(m.get("kind") or "outcome"), str(m.get("better") or ""),
                      str(m.get("definition") or ""),
                      "" if m.get("target") is None else f"{float(m['target']):g}")
                     for m in value or [])
    if name == "decisions":
        return tuple(sorted(value or []))
    if name == "timebox_weeks":
        return "" if value in (None, "") else f"{float(value):g}"
    return str(value or "")


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
        self.widget = w.VBox([html_block("<h3>The canvas</h3>"), self.body, self.prompts,
                              self.status.widget])
        picker.on_change(lambda pid: self.show(pid))
        self.show(picker.pid)

    # -- building -------------------------------------------------------------------------
    def show(self, pid: str | None) -> None:
        self.pid = pid
        self.status.clear()
        p = prototype.get(self.view, pid) if pid else None
        if p is None:
            self.body.children = [html_block('<p class="cd-note">Choose or start a prototype '
                                             "to see its canvas.</p>")]
            set_html(self.prompts, "")
            return
        self.boxes: dict[str, w.Widget] = {
            "title": w.Text(description=LABELS["title"], style=STYLE,
                            layout=w.Layout(width=FULL))}
        for f, label, size, hint in prototype.TEXT_FIELDS:
            box = (w.Textarea(description=label, placeholder=hint, style=STYLE,
                              layout=w.Layout(width=FULL, height="5rem"))
                   if size == "long" else
                   w.Text(description=label, placeholder=hint, style=STYLE,
                          layout=w.Layout(width=FULL)))
            self.boxes[f] = _stack(box)
        self.boxes["timebox_weeks"] = w.Text(description=LABELS["timebox_weeks"],
                                             placeholder="e.g. 8", style=STYLE,
                                             layout=w.Layout(width="16rem", max_width=FULL))
        self.team_box = w.VBox()
        self.measure_box = w.VBox()
        self.decision_box = w.VBox()
        self.team_rows: list[tuple[w.Text, w.Checkbox]] = []
        self.measure_rows: list[dict] = []
        self.decision_checks: dict[str, w.Checkbox] = {}
        add_member = button("Add a team member", "Add a row for a team member")
        add_member.on_click(lambda _: self._add_member())
        add_measure = button("Add a measure", "Add a row for a measure")
        add_measure.on_click(lambda _: self._add_measure())
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
                       "the front line.</p>"), self.team_box, add_member,
            html_block("<h4>Measures</h4><p>A few, just enough: at least one outcome, one "
                       "process and one balancing measure.</p>"), self.measure_box,
            add_measure,
            html_block("<h4>Decisions the team holds</h4><p>From the Delegation Board for "
                       "this focus area.</p>"), self.decision_box,
            self.boxes["timebox_weeks"], w.HBox(editing)]
        self._prompt()

    def _load(self, name: str, value) -> None:
        """Put a saved value into the widgets and remember it as seen."""
        self._loading = True
        try:
            shown = display(name, value)
            if name == "team":
                self.team_rows = []
                for role, front in shown:
                    self._add_member(role, front)
                self._draw_team()
            elif name == "measures":
                self.measure_rows = []
                for row in shown:
                    self._add_measure(*row)
                self._draw_measures()
            elif name == "decisions":
                self._draw_decisions(set(shown))
            elif self.boxes[name].value != shown:
                self.boxes[name].value = shown
            self.seen[name] = shown
        finally:
            self._loading = False

    def _add_member(self, role: str = "", frontline: bool = False) -> None:
        n = len(self.team_rows) + 1
        row = (w.Text(value=role, description=f"Role {n}", placeholder="e.g. Staff nurse",
                      style=STYLE, layout=w.Layout(width="20rem", max_width=FULL)),
               w.Checkbox(value=frontline, description="Works on the front line",
                          indent=False, layout=w.Layout(width="auto")))
        for box in row:
            box.observe(lambda _: self._prompt(), names="value")
        self.team_rows.append(row)
        if not self._loading:
            self._draw_team()
            self._prompt()

    def _draw_team(self) -> None:
        rows = []
        for i, (role, front) in enumerate(self.team_rows):
            drop = button("Remove", f"Remove team member {i + 1}")
            drop.on_click(lambda _b, i=i: self._drop(self.team_rows, i, self._draw_team))
            rows.append(w.HBox([role, front, drop] if self.editable else [role, front]))
        self.team_box.children = rows

    def _add_measure(self, mid: str = "", name: str = "", kind: str = "outcome",
                     better: str = "", definition: str = "", target: str = "") -> None:
        n = len(self.measure_rows) + 1
        row = {"id": mid or secrets.token_hex(3),
               "name": w.Text(value=name, description=f"Measure {n}",
                              placeholder="e.g. Falls a month", style=STYLE,
                              layout=w.Layout(width=FULL)),
               "kind": w.Dropdown(options=KIND_OPTIONS, value=kind, description="Kind",
                                  style=STYLE, layout=w.Layout(width="auto", max_width=FULL)),
               "better": w.Dropdown(options=BETTER_OPTIONS, value=better,
                                    description="Which way is better", style=STYLE,
                                    layout=w.Layout(width="auto", max_width=FULL)),
               "target": w.Text(value=target, description="Target (a number, optional)",
                                style=STYLE, layout=w.Layout(width="18rem", max_width=FULL)),
               "definition": _stack(w.Textarea(
                   value=definition, description="Definition: what is counted, from where, "
                                                 "how often", style=STYLE,
                   layout=w.Layout(width=FULL, height="3.5rem")))}
        for key, box in row.items():
            if key != "id":
                box.observe(lambda _: self._prompt(), names="value")
        self.measure_rows.append(row)
        if not self._loading:
            self._draw_measures()
            self._prompt()

    def _draw_measures(self) -> None:
        kids = []
        for i, row in enumerate(self.measure_rows):
            drop = button("Remove this measure", f"Remove measure {i + 1}")
            drop.on_click(lambda _b, i=i: self._drop(self.measure_rows, i,
                                                     self._draw_measures))
            card = w.VBox([row["name"], w.HBox([row["kind"], row["better"], row["target"]]),
                           row["definition"], *([drop] if self.editable else [])])
            card.add_class("cd-card")
            kids.append(card)
        self.measure_box.children = kids

    def _draw_decisions(self, chosen: set[str]) -> None:
        p = prototype.get(self.view, self.pid)
        held = prototype.held_decisions(self.view, p.area) if p else []
        names = [d for d, _ in held] + sorted(chosen - {d for d, _ in held})
        levels = dict(held)
        self.decision_checks = {}
        for d in names:
            lv = levels.get(d)
            label = d + (f" (agreed level {lv})" if lv is not None else "")
            box = w.Checkbox(value=d in chosen, description=label, indent=False,
                             layout=w.Layout(width=FULL))
            self.decision_checks[d] = box
        self.decision_box.children = list(self.decision_checks.values()) or [html_block(
            '<p class="cd-note">No decisions on the Delegation Board for this area yet.</p>')]

    def _drop(self, rows: list, i: int, redraw) -> None:
        rows.pop(i)
        redraw()
        self._prompt()

    # -- reading the widgets --------------------------------------------------------------
    def raw(self, name: str):
        """The display form of what the widgets hold now (unvalidated)."""
        if name == "team":
            return tuple((r.value, f.value) for r, f in self.team_rows)
        if name == "measures":
            return tuple((m["id"], m["name"].value, m["kind"].value, m["better"].value,
                          m["definition"].value, m["target"].value)
                         for m in self.measure_rows)
        if name == "decisions":
            return tuple(sorted(d for d, b in self.decision_checks.items() if b.value))
        return self.boxes[name].value

    def parsed(self, name: str, strict: bool = True):
        """The value to save for one field; FieldError says what is wrong."""
        raw = self.raw(name)
        if name == "team":
            return [{"role": check_text(r, "short", f"Role {i + 1}"), "frontline": f}
                    for i, (r, f) in enumerate(raw) if r.strip() or f]
        if name == "measures":
            out = []
            for mid, nm, kind, better, definition, target in raw:
                label = f"Measure “{nm.strip() or 'without a name'}”"
                out.append({"id": mid, "name": check_text(nm, "short", label),
                            "kind": kind, "better": better or None,
                            "definition": check_text(definition, "long",
                                                     f"{label}'s definition"),
                            "target": _target(target, label) if strict else
                            _target_or_none(target)})
            return out
        if name == "decisions":
            return list(raw)
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
            if strict and not 1 <= weeks <= 104:
                raise FieldError("The timebox is in weeks, from 1 to 104.")
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
            except FieldError:
                canvas[name] = self.raw(name)
        prompts = check(canvas)
        if not prompts:
            set_html(self.prompts, '<div class="cd-note"><strong>The check finds nothing '
                                   "missing.</strong> Remember to save.</div>")
            return
        items = "".join(f"<li><strong>{esc(LABELS.get(p.field, p.field))}:</strong> "
                        f"{esc(p.text)}</li>" for p in prompts)
        set_html(self.prompts, f'<div class="cd-note"><strong>Prompts to strengthen the '
                               f"canvas ({len(prompts)})</strong>: it saves as it is, these "
                               f"only help.<ul>{items}</ul></div>")

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
        except StoreError as err:
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
        except StoreError as err:
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
        for name in self.EDITED:
            version = p.versions.get(name, 0)
            if version == self.versions.get(name, 0):
                continue
            if self.raw(name) == self.seen.get(name):
                self._load(name, p.values.get(name))
                self.versions[name] = version
        self._prompt()


def _target(text: str, label: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise FieldError(f"{label}: the target “{text[:20]}” is not a number. Type a "
                         "number such as 6, or leave it empty.") from None


def _target_or_none(text: str) -> float | None:
    try:
        return _target(text, "")
    except FieldError:
        return None
