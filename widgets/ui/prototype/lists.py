"""The canvas's list fields: the team, the measures, and the decisions the team holds.

Each list keeps its rows as widgets and speaks two forms: ``raw()`` is what the widgets hold
(compared with what was loaded, to tell an edit from a save by someone else), ``parsed()`` is
the checked value to save (it raises FieldError with a message naming the row).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import ipywidgets as w

from ... import prototype
from ...markup import inert
from ...validation import FieldError, check_text
from ..aria import name as aria_name
from ..common import FULL, button, html_block
from ..sharing import layout
from .fields import check, field

STYLE = {"description_width": "initial"}
KIND_OPTIONS = [("Outcome (impact on patients)", "outcome"),
                ("Process (is the change happening?)", "process"),
                ("Balancing (harm elsewhere?)", "balancing")]
BETTER_OPTIONS = [("Choose…", ""), *((t, k) for k, t in prototype.BETTER.items())]


def display(name: str, value):
    """A saved list in the form the widgets hold, so the two can be compared. Text saved
    before control characters were refused shows them as visible signs (``markup.inert``);
    a row that is not a row (written another way) is left out, never a crash."""
    rows = [m for m in value if isinstance(m, dict)] if isinstance(value, list) else []
    if name == "team":
        return tuple((inert(m.get("role") or ""), bool(m.get("frontline"))) for m in rows)
    if name == "measures":
        kinds, better = [k for _, k in KIND_OPTIONS], [k for _, k in BETTER_OPTIONS]
        return tuple((str(m.get("id") or ""), inert(m.get("name") or ""),
                      _among(m.get("kind"), kinds), _among(m.get("better"), better),
                      inert(m.get("definition") or ""), _number_shown(m.get("target")))
                     for m in rows)
    return tuple(sorted(str(d) for d in value)) if isinstance(value, list) else ()


def _among(value, options: list[str]) -> str:
    return value if value in options else options[0]


def _number_shown(value) -> str:
    try:
        return "" if value is None else f"{float(value):g}"
    except (TypeError, ValueError):
        return ""


class _Rows:
    def __init__(self, editable: bool, on_change: Callable[[], None]):
        self.editable = editable
        self.on_change = on_change
        self.rows: list = []
        self.widget = w.VBox()

    def _watch(self, boxes) -> None:
        for box in boxes:
            box.observe(lambda _: self.on_change(), names="value")

    def load(self, shown) -> None:
        """Rebuild the rows from a saved list in its display form."""
        self.rows = []
        for row in shown:
            self.add(*row, draw=False)
        self.draw()

    def _append(self, row, boxes, draw: bool) -> None:
        self._watch(boxes)
        self.rows.append(row)
        if draw:
            self.draw()
            self.on_change()

    def _drop(self, i: int) -> None:
        self.rows.pop(i)
        self.draw()
        self.on_change()


class TeamList(_Rows):
    def add(self, role: str = "", frontline: bool = False, draw: bool = True) -> None:
        row = (field(w.Text(value=role, description="Role",  # numbered by draw()
                            placeholder="e.g. Staff nurse", style=STYLE,
                            layout=layout(width="20rem", max_width=FULL))),
               check(w.Checkbox(value=frontline, description="Works on the front line",
                                indent=False, layout=layout(width="auto"))))
        self._append(row, row, draw)

    def draw(self) -> None:
        out = []
        for i, (role, front) in enumerate(self.rows):
            role.description = f"Role {i + 1}"  # renumbered, so label and name agree
            drop = button("Remove", f"Remove team member {i + 1}")
            drop.on_click(lambda _b, i=i: self._drop(i))
            aria_name(front, f"Works on the front line, for role {i + 1}")
            aria_name(drop, f"Remove role {i + 1}")  # heard with its row
            out.append(w.HBox([role, front, drop] if self.editable else [role, front]))
        self.widget.children = out

    def raw(self):
        return tuple((r.value, f.value) for r, f in self.rows)

    def parsed(self, strict: bool = True) -> list[dict]:
        """The rows to save (``FieldError`` names the row), or, not ``strict``, what the
        boxes hold as it is, for the canvas check (never raises)."""
        return [{"role": check_text(r, "short", f"Role {i + 1}") if strict else r.strip(),
                 "frontline": f}
                for i, (r, f) in enumerate(self.raw()) if r.strip() or f]


class MeasureList(_Rows):
    def add(self, mid: str = "", name: str = "", kind: str = "outcome", better: str = "",
            definition: str = "", target: str = "", draw: bool = True) -> None:
        short = layout(width="17rem", max_width=FULL)
        row = {"id": mid or secrets.token_hex(3),
               "name": field(w.Text(value=name, description="Measure",  # numbered by draw()
                                    placeholder="e.g. Falls a month", style=STYLE,
                                    layout=layout(width=FULL))),
               "kind": field(w.Dropdown(options=KIND_OPTIONS, value=kind,
                                        description="Kind", style=STYLE, layout=short)),
               "better": field(w.Dropdown(options=BETTER_OPTIONS, value=better,
                                          description="Which way is better", style=STYLE,
                                          layout=short)),
               "target": field(w.Text(value=target, description="Target (a number, "
                                                                "optional)",
                                      style=STYLE, layout=short)),
               "definition": field(w.Textarea(
                   value=definition, rows=2, style=STYLE, layout=layout(width=FULL),
                   description="Definition: what is counted, from where, how often"))}
        self._append(row, [v for k, v in row.items() if k != "id"], draw)

    def draw(self) -> None:
        out = []
        for i, row in enumerate(self.rows):
            row["name"].description = f"Measure {i + 1}"  # renumbered, so label and name agree
            drop = button("Remove this measure", f"Remove measure {i + 1}")
            drop.on_click(lambda _b, i=i: self._drop(i))
            for box in (row["kind"], row["better"], row["target"], row["definition"]):
                aria_name(box, f"{box.description}, for measure {i + 1}")
            aria_name(drop, f"Remove measure {i + 1}")  # heard with its row
            card = w.VBox([row["name"], w.HBox([row["kind"], row["better"], row["target"]]),
                           row["definition"], *([drop] if self.editable else [])])
            card.add_class("cd-card")
            out.append(card)
        self.widget.children = out

    def raw(self):
        return tuple((m["id"], m["name"].value, m["kind"].value, m["better"].value,
                      m["definition"].value, m["target"].value) for m in self.rows)

    def parsed(self, strict: bool = True) -> list[dict]:
        """The rows to save (``FieldError`` names the row), or, not ``strict``, what the
        boxes hold as it is, for the canvas check (never raises)."""
        out = []
        for mid, nm, kind, better, definition, target in self.raw():
            label = f"Measure “{nm.strip() or 'without a name'}”"
            if strict:
                nm = check_text(nm, "short", label)
                definition = check_text(definition, "long", f"{label}'s definition")
            out.append({"id": mid, "name": nm.strip(), "kind": kind, "better": better or None,
                        "definition": definition.strip(),
                        "target": _target(target, label) if strict else
                        _target_or_none(target)})
        return out


class DecisionList(_Rows):
    """Ticks for the Delegation Board's decisions in the prototype's focus area (and any
    saved earlier that have since left the board, so nothing is dropped silently)."""

    def __init__(self, editable: bool, on_change: Callable[[], None]):
        super().__init__(editable, on_change)
        self.checks: dict[str, w.Checkbox] = {}

    def load(self, shown, held: list[tuple[str, int | None]] = ()) -> None:
        chosen = set(shown)
        names = [d for d, _ in held] + sorted(chosen - {d for d, _ in held})
        levels = dict(held)
        self.checks = {}
        for d in names:
            lv = levels.get(d)
            box = check(w.Checkbox(value=d in chosen, indent=False,
                                   layout=layout(width=FULL),
                                   description=inert(d) + (f" (agreed level {lv})"
                                                           if lv is not None else "")))
            self._watch([box])
            self.checks[d] = box
        self.widget.children = list(self.checks.values()) or [html_block(
            '<p class="cd-note">No decisions on the Delegation Board for this area yet.</p>')]

    def raw(self):
        return tuple(sorted(d for d, b in self.checks.items() if b.value))

    def parsed(self, strict: bool = True) -> list[str]:
        return list(self.raw())


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
