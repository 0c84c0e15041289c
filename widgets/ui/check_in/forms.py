"""What a participant does at a check-in: say privately whether to keep, change or stop each
prototype; say privately whether each delegated decision's guardrails held and where its
level should go; and before the sitting, say where the leaders' promise to unblock stands.

Why privately and all at once (the same as every vote in the kit): a board that hears its
chair say "keep" says keep. Each answer is saved as it is pressed; the latest counts.
"""

from __future__ import annotations

import ipywidgets as w

from ... import check_in
from ...session import View
from ...store import StoreError
from ...store.check_ins import Sitting
from ...validation import FieldError, example_date, parse_date
from ..common import FULL, Status, button, choice_buttons, esc, html_block, set_html
from ..prototype.fields import field
from ..sharing import layout
from .state import rows

OPEN_NOTE = ("Your answers are private until the facilitator reveals them all at once. "
             "Change them as often as you like: the latest counts.")
CLOSED_NOTE = "This round is not open for answers right now. Your saved answers are shown."


def round_note(state: str, rnd: int) -> str:
    if state == "open":
        return (f"Round {rnd} is open. " if rnd > 1 else "") + OPEN_NOTE
    if state == "revealed":
        return "The room's answers are shown below. Your answers are saved."
    return CLOSED_NOTE


class _RoundForm:
    """A round's private answers: the note on the round, a row of buttons per thing asked
    about (made again when the list changes), the person's saved answers set when a round
    starts, and the buttons usable only while the round is open. Setting the buttons from
    the store does not count as a new answer (``_set``). Subclasses say what is asked
    about (``_items``), make its rows (``_build``), set the saved answers (``_load_mine``)
    and list their buttons (``_buttons``)."""

    round_: str = ""

    def __init__(self, view: View, sitting: Sitting):
        self.view = view
        self.sitting = sitting
        self.status = Status()
        self.note = html_block()
        self.body = w.VBox()
        self._loading = False
        self._key: tuple | None = None
        self._round: int | None = None
        self.widget = w.VBox([self.note, self.body, self.status.widget])

    def _items(self) -> tuple:
        raise NotImplementedError

    def _build(self, items: tuple) -> None:
        raise NotImplementedError

    def _load_mine(self) -> None:
        raise NotImplementedError

    def _buttons(self) -> list[w.ToggleButtons]:
        raise NotImplementedError

    def refresh(self) -> None:
        items = self._items()
        if items != self._key:
            self._key = items
            self._build(items)
            self._round = None
        st = check_in.round_state(self.view, self.sitting, self.round_)
        rnd = self.view.stage(check_in.stage(self.sitting, self.round_)).round
        if rnd != self._round:
            self._round = rnd
            self._load_mine()
        for tb in self._buttons():
            if tb.disabled == (st == "open"):
                tb.disabled = st != "open"
        set_html(self.note, f'<p class="cd-note">{esc(round_note(st, rnd))}</p>')

    def _set(self, tb: w.ToggleButtons, value) -> None:
        self._loading = True
        try:
            if tb.value != value:
                tb.value = value
        finally:
            self._loading = False


class KeepForm(_RoundForm):
    """Keep going, change course, or stop and learn: one private answer per prototype."""

    round_ = check_in.KEEP

    def __init__(self, view: View, sitting: Sitting):
        super().__init__(view, sitting)
        self.buttons: dict[str, w.ToggleButtons] = {}
        self.titles: dict[str, str] = {}
        self.refresh()

    def _items(self) -> tuple:
        """Every prototype but those stopped at an earlier sitting (kept for what they
        taught, not voted on again)."""
        now = check_in.decisions(self.view, self.sitting)
        return tuple((r.id, r.title, r.area) for r in rows(self.view, self.sitting)
                     if not r.stopped or r.id in now)

    def _load_mine(self) -> None:
        mine = check_in.my_keep(self.view, self.sitting)
        for pid, tb in self.buttons.items():
            self._set(tb, mine.get(pid))

    def _buttons(self) -> list[w.ToggleButtons]:
        return list(self.buttons.values())

    def _build(self, found: tuple) -> None:
        rows: list[w.Widget] = []
        self.buttons, self.titles = {}, {}
        for pid, title, area in found:
            tb = choice_buttons(list((words, k) for k, words in check_in.CHOICES.items()),
                                f"Keep, change or stop: {title}")
            tb.observe(self._on_choice(pid), names="value")
            self.buttons[pid] = tb
            self.titles[pid] = title
            row = w.VBox([html_block(f'<div class="cd-question"><strong>{esc(title)}</strong>'
                                     f" ({esc(area)})</div>"), tb])
            row.add_class("cd-rating")
            rows.append(row)
        self.body.children = rows or [html_block("<p>No prototypes to decide on.</p>")]

    def _on_choice(self, pid: str):
        def handler(change):
            if self._loading or change["new"] is None:
                return
            try:
                check_in.submit_keep(self.view, self.sitting, pid, change["new"])
            except (FieldError, StoreError) as err:
                self.status.error(str(err))
                self._set(self.buttons[pid], change["old"])
                return
            self.status.saved(f"Saved your answer for “{self.titles[pid]}”")
        return handler


HELD_OPTIONS = [("Yes, they held", True), ("No, they did not", False)]


class ReviewForm(_RoundForm):
    """For each delegated decision due for review: did its guardrails hold, and should its
    level stay, move towards the front line or move back? Saved once both are chosen."""

    round_ = check_in.REVIEW

    def __init__(self, view: View, sitting: Sitting):
        super().__init__(view, sitting)
        self.rows: dict[tuple[str, str], tuple[w.ToggleButtons, w.ToggleButtons]] = {}
        self.refresh()

    def _items(self) -> tuple:
        return tuple(check_in.due_for_review(self.view, self.sitting.held_on))

    def _load_mine(self) -> None:
        mine = check_in.my_review(self.view, self.sitting)
        for k, (held, move) in self.rows.items():
            saved = mine.get(k, {})
            self._set(held, saved.get("held"))
            self._set(move, saved.get("move"))

    def _buttons(self) -> list[w.ToggleButtons]:
        return [tb for pair in self.rows.values() for tb in pair]

    def _build(self, items: tuple) -> None:
        kids: list[w.Widget] = []
        self.rows = {}
        for i in items:
            name = f"{i.decision} ({i.area})"
            held = choice_buttons(HELD_OPTIONS, f"Did the guardrails hold: {name}")
            move = choice_buttons([(words, k) for k, words in check_in.MOVES.items()],
                                  f"Where should the level go: {name}")
            k = (i.area, i.decision)
            held.observe(self._on_choice(k), names="value")
            move.observe(self._on_choice(k), names="value")
            self.rows[k] = (held, move)
            guard = "; ".join(f"{v}" for g, v in i.guardrails.items()
                              if v and g != "review_date")
            box = w.VBox([
                html_block(f'<div class="cd-question"><strong>{esc(i.decision)}</strong> '
                           f"({esc(i.area)}). Level now: {esc(i.level_words)}. Guardrails: "
                           f"{esc(guard or 'none written')}.</div>"),
                html_block("<p>Did the guardrails hold?</p>"), held,
                html_block("<p>Where should the level go?</p>"), move])
            box.add_class("cd-rating")
            kids.append(box)
        self.body.children = kids or [html_block(
            "<p>No delegated decision has reached its review date.</p>")]

    def _on_choice(self, k: tuple[str, str]):
        def handler(change):
            if self._loading or change["new"] is None:
                return
            held, move = self.rows[k]
            if held.value is None or move.value is None:
                self.status.info("Now choose the other answer for this decision: both are "
                                 "saved together.")
                return
            try:
                check_in.submit_review(self.view, self.sitting, k[0], k[1], held.value,
                                       move.value)
            except (FieldError, StoreError) as err:
                self.status.error(str(err))
                return
            self.status.saved(f"Saved your review of “{k[1]}”")
        return handler


class UnblockForm:
    """Before the sitting: where each promise to unblock a prototype stands, and when it is
    due (shared work, visible to everyone; the later save wins). Read from the sitting's
    portfolio, so it needs a check-in started (the console can start one ahead of its date,
    when the papers go out)."""

    def __init__(self, view: View, sitting: Sitting):
        self.view = view
        self.sitting = sitting
        self.status = Status()
        self.body = w.VBox()
        self.fields: dict[str, tuple[w.ToggleButtons, w.Text]] = {}
        self._key: tuple | None = None
        self.widget = w.VBox([self.body, self.status.widget])
        self.refresh()

    def refresh(self) -> None:
        found = tuple((r.id, r.title, r.unblocks[0]) for r in
                      rows(self.view, self.sitting) if r.unblocks and
                      not r.stopped)
        if found == self._key:
            return
        self._key = found
        kids: list[w.Widget] = []
        self.fields = {}
        for pid, title, u in found:
            tb = choice_buttons([(words, k) for k, words in check_in.UNBLOCK_STATES.items()],
                                f"Where the promise stands: {title}")
            tb.value = u.status
            when = field(w.Text(value=u.due.isoformat() if u.due else "",
                                description=f"Due date for {title}",
                                placeholder=example_date(days=30),
                                layout=layout(width=FULL, max_width="20rem")))
            save = button("Save", f"Save where the promise for {title} stands",
                          name=f"Save: promise to unblock {title}")
            save.on_click(lambda _b, pid=pid: self.save(pid))
            self.fields[pid] = (tb, when)
            box = w.VBox([html_block(f'<div class="cd-question"><strong>{esc(title)}</strong>:'
                                     f" the leaders promised “{esc(u.text)}”.</div>"),
                          tb, when, save])
            box.add_class("cd-card")
            kids.append(box)
        self.body.children = kids or [html_block(
            "<p>No prototype has a promise to unblock it.</p>")]

    def save(self, pid: str) -> None:
        tb, when = self.fields[pid]
        typed = when.value.strip()
        try:
            due = parse_date(typed) if typed else None
            stale = check_in.save_unblock(self.view, pid, tb.value, due)
        except (FieldError, StoreError) as err:
            text = str(err)
            self.status.error(text if "Nothing" in text else f"{text} Nothing was saved.")
            return
        if stale:
            self.status.info("Saved. Someone else had changed this since you opened it: "
                             "yours is the latest now.")
        else:
            self.status.saved("Saved where the promise stands")
