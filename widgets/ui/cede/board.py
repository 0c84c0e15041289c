"""The Delegation Board: today's level against the agreed one, the cede gap, and the owners
and guardrails that make delegation safe; plus each focus area's pushback plan.

Why guardrails: handing a decision to the front line without limits is abdication, not
delegation. From Advise upwards the team decides, so the board names the money, risk and
scope limits, what must be reported and to whom, and when it will look again. Owners and
guardrails are shared work: anyone in the room can write them, and every save is kept.
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from ... import cede
from ...analysis.delegation import board_sentence
from ...charts.draw import figure
from ...delegation_levels import ADVISE
from ...html.cede import board_chart, level_html
from ...session import View
from ...store import StoreError
from ...validation import FieldError, example_date
from ..aria import name as aria_name
from ..common import FULL, Status, button, esc, html_block, set_html
from ..sharing import layout

FIELDS, PUSHBACK = cede.GUARDRAILS, cede.PUSHBACK  # the words, written once in module logic
STYLE = {"description_width": "initial"}


def review_example(today: date | None = None) -> str:
    """The review date's example: three months on, so it is never a date already past."""

    return example_date(days=91, today=today)


class DelegationBoard:
    """The board (everyone), with owner and guardrail editors (everyone in the session)."""

    def __init__(self, view: View, editable: bool = True):
        self.view = view
        self.editable = editable
        self.status = Status()
        self.summary = html_block()
        self.editors = w.VBox()
        self.fields: dict[tuple[str, str], dict[str, w.Text]] = {}
        self.plans: dict[str, dict[str, w.Textarea]] = {}
        self._key: tuple | None = None
        self._versions: dict[str, int] = {}
        self._shape: tuple | None = None  # the decisions the editors were built for
        self._seen: dict[tuple, str] = {}  # the saved values the editors last took in
        self.widget = w.VBox([html_block("<h3>The Delegation Board</h3>"), self.summary,
                              self.editors, self.status.widget])
        self.refresh()

    def refresh(self) -> None:

        v = self.view
        rows = cede.board(v)
        versions = cede.board_versions(v)
        state = (repr([vars(r) for r in rows]), repr(versions))
        if state == self._key:
            return
        self._key = state
        self._versions = dict(versions)  # what an edit was made on (a newer save wins a clash)
        if not rows:
            set_html(self.summary, '<p class="cd-note">The board fills in once the room has '
                                   "chosen its focus areas and the decisions to play.</p>")
            self.editors.children = []
            return
        gaps = cede.gaps(rows)
        sentence = board_sentence(gaps)
        missing = cede.warnings(rows)
        warn = ""
        if missing:
            items = "".join(f"<li>{esc(a)}: {esc(d)} needs {esc(_needs(ms))}</li>"
                            for (a, d), ms in missing.items())
            warn = (f'<div class="cd-warn" role="alert"><strong>Not safe to delegate yet:'
                    f"</strong><ul>{items}</ul></div>")
        table = ["<table class='cd-table'><caption>Delegation Board</caption><thead><tr>"
                 "<th scope='col'>Decision</th><th scope='col'>Today</th>"
                 "<th scope='col'>Proposed</th><th scope='col'>Agreed</th>"
                 "<th scope='col'>Gap</th><th scope='col'>Owner</th></tr></thead><tbody>"]
        for r in rows:
            g = gaps.get((r.area, r.decision))
            table.append(f"<tr><th scope='row'>{esc(r.area)}: {esc(r.decision)}</th>"
                         f"<td>{level_html(r.today)}</td><td>{level_html(r.proposed)}</td>"
                         f"<td>{level_html(r.agreed)}</td><td>{'' if g is None else f'{g:+g}'}</td>"
                         f"<td>{esc(r.owner)}</td></tr>")
        table.append("</tbody></table>")
        chart = figure(board_chart(rows, sentence), sentence) if any(
            r.today is not None or r.agreed is not None for r in rows) else \
            f"<p>{esc(sentence)}</p>"
        state_line = f"<p>{esc(cede.in_place(rows).sentence())}</p>"
        set_html(self.summary, warn + chart + state_line + "".join(table))
        if self.editable:
            self._sync_editors(rows)

    def _saved_values(self, rows: list[cede.BoardRow]) -> dict[tuple, str]:
        values: dict[tuple, str] = {}
        for r in rows:
            values[(r.area, r.decision, "owner")] = r.owner
            for f in FIELDS:
                values[(r.area, r.decision, f)] = str(r.guardrails.get(f, ""))
        for area in cede.focus_areas(self.view):
            plan = cede.pushback(self.view, area)
            for f in PUSHBACK:
                values[(area, None, f)] = str(plan.get(f, ""))
        return values

    def _sync_editors(self, rows: list[cede.BoardRow]) -> None:
        """Rebuild only when decisions or their need for guardrails change; otherwise
        bring in just the fields someone saved, so nobody loses text they have not saved."""
        shape = tuple((r.area, r.decision, r.agreed is not None and r.agreed >= ADVISE)
                      for r in rows) + tuple(cede.focus_areas(self.view))
        saved = self._saved_values(rows)
        if shape != self._shape:
            self._shape = shape
            self._build_editors(rows)
        else:
            for (a, d, f), value in saved.items():
                if value != self._seen.get((a, d, f)):
                    box = (self.plans.get(a, {}) if d is None
                           else self.fields.get((a, d), {})).get(f)
                    if box is not None and box.value != value:
                        box.value = value
        self._seen = saved

    def _build_editors(self, rows: list[cede.BoardRow]) -> None:
        kids: list[w.Widget] = [html_block("<h4>Owners and guardrails</h4>")]
        self.fields = {}
        for r in rows:
            needs = r.agreed is not None and r.agreed >= ADVISE
            boxes = {"owner": w.Text(value=r.owner, description="Accountable owner (a role)",
                                     style=STYLE, layout=layout(width=FULL))}
            if needs:
                for f, label in FIELDS.items():
                    boxes[f] = w.Text(value=str(r.guardrails.get(f, "")), description=label,
                                      placeholder=review_example() if f == "review_date"
                                      else "", style=STYLE, layout=layout(width=FULL))
            save = button("Save owner and guardrails" if needs else "Save the owner",
                          f"Save for {r.decision} in {r.area}")
            save.on_click(lambda _b, a=r.area, d=r.decision: self.save(a, d))
            for box in (*boxes.values(), save):  # heard with the decision it is for
                aria_name(box, f"{box.description} for {r.area}: {r.decision}")
            self.fields[(r.area, r.decision)] = boxes
            kids += [html_block(f"<p><strong>{esc(r.area)}: {esc(r.decision)}</strong>"
                                f"{' (delegated: guardrails needed)' if needs else ''}</p>"),
                     *boxes.values(), save]
        kids.append(html_block("<h4>Pushback plans</h4><p>Plan now for the influential person "
                               "who objects later.</p>"))
        self.plans = {}
        for area in cede.focus_areas(self.view):
            plan = cede.pushback(self.view, area)
            boxes = {f: w.Textarea(value=str(plan.get(f, "")), description=label, style=STYLE,
                                   layout=layout(width=FULL, height="4rem"))
                     for f, label in PUSHBACK.items()}
            save = button("Save the plan", f"Save the pushback plan for {area}")
            save.on_click(lambda _b, a=area: self.save_plan(a))
            for box in (*boxes.values(), save):  # heard with the area it is for
                aria_name(box, f"{box.description} for {area}")
            self.plans[area] = boxes
            kids += [html_block(f"<p><strong>{esc(area)}</strong></p>"), *boxes.values(), save]
        self.editors.children = kids

    def _said(self, stale: bool, done: str) -> None:
        if stale:
            self.status.info(f"{done}. Someone else had changed this since you opened it; "
                             "yours is now current and theirs is kept in the history.")
        else:
            self.status.saved(done)

    def save(self, area: str, decision: str) -> None:
        boxes = self.fields[(area, decision)]
        guard = {f: boxes[f].value for f in FIELDS if f in boxes}
        try:
            stale = cede.save_owner_and_guardrails(self.view, area, decision,
                                                   boxes["owner"].value, guard or None,
                                                   self._versions)
        except FieldError as err:
            self.status.error(f"{decision}: {err}")
            return
        except StoreError as err:
            self.status.error(str(err))
            return
        self._said(stale["owner"], f"Saved the owner of “{decision}”")
        if "guardrails" in stale:
            self._said(stale["guardrails"], f"Saved the guardrails for “{decision}”")
        self.refresh()

    def save_plan(self, area: str) -> None:
        plan = {f: b.value for f, b in self.plans[area].items()}
        try:
            stale = cede.save_pushback(self.view, area, plan, self._versions)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        self._said(stale, f"Saved the pushback plan for {area}")
        self.refresh()


def _needs(missing: list[str]) -> str:
    return ", ".join(FIELDS[m].lower() if m in FIELDS else "an accountable owner"
                     for m in missing)
