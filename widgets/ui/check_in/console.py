"""The facilitator's check-in tools: start a check-in, see the history and who has not
updated, run the clock, move the two rounds, record the board's decisions and level
changes, and hold the focus steady.

Why the facilitator records the board's decision after the reveal: the round shows where
the room stands; the board still decides, and says why, so the paper carries a reason
(and, for a stop, what the prototype taught) rather than a tally.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as w

from ... import agenda, check_in
from ...delegation_levels import LEVELS
from ...html import check_in as h
from ...session import View
from ...store import StoreError
from ...store.check_ins import Sitting
from ...validation import FieldError, example_date, parse_date, show_date
from ..aria import name as aria_name
from ..common import FULL, Status, button, choice_buttons, esc, html_block, set_html
from ..prototype.fields import field
from ..sharing import layout, shown
from ..shell.agenda_panel import agenda_table
from ..shell.export_panel import data_link
from ..shell.stagecontrols import STATE_WORDS, emphasise, next_action, reveal_question
from .state import on_show, rows
from .views import (
    DecisionsView,
    FocusView,
    Following,
    PortfolioView,
    RoundResults,
    SittingPart,
)

STYLE = {"description_width": "initial"}


def _problem(err: Exception) -> str:
    text = str(err)
    return text if "Nothing" in text else f"{text} Nothing was saved."


class StartCheckIn:
    """Start the session's next check-in on a date, or close the one that is open."""

    def __init__(self, view: View):
        self.view = view
        self.status = Status()
        self.history = html_block()
        self.day = field(w.Text(description="Date of the check-in (2025-04-03 or 03/04/2025)",
                                placeholder=example_date(days=14), style=STYLE,
                                layout=layout(width=FULL, max_width="24rem")))
        self.start_btn = button("Start a check-in", "Start the session's next check-in on "
                                "this date; teams can update their work from then")
        self.start_btn.on_click(lambda _: self.start())
        self.starting = w.VBox([self.day, self.start_btn])
        self.close_btn = button("Close this check-in…", "Close the open check-in: its "
                                "decisions go on record")
        self.close_btn.on_click(lambda _: self.ask_close())
        self.confirm_text = html_block()
        self.yes = button("Yes, close it", "Close the check-in now", "warning")
        self.no = button("Cancel", "Keep the check-in open")
        aria_name(self.no, "Cancel: keep the check-in open")
        self.confirm = w.VBox([self.confirm_text, w.HBox([self.yes, self.no])])
        shown(self.confirm, False)
        self.yes.on_click(lambda _: self.close())
        self.no.on_click(lambda _: shown(self.confirm, False))
        self.widget = w.VBox([html_block("<h4>The session's check-ins</h4>"), self.history,
                              self.starting, self.close_btn, self.confirm,
                              self.status.widget])
        self.refresh()

    def refresh(self) -> None:
        set_html(self.history, h.history_html(check_in.history(self.view)))
        s = on_show(self.view)
        is_open = s is not None and s.state == "open"
        shown(self.starting, not is_open)
        shown(self.close_btn, is_open)
        emphasise({"start": self.start_btn}, None if is_open else "start")

    def start(self) -> None:
        typed = self.day.value.strip()
        try:
            held = parse_date(typed) if typed else None
            if held is None:
                raise FieldError("Type the date the board meets, such as "
                                 f"{example_date(days=14)[5:]}.")
            s = check_in.start(self.view, held)
        except (FieldError, StoreError) as err:
            self.status.error(_problem(err))
            return
        self.day.value = ""
        self.status.info(f"{h.sitting_title(s)} has started. Teams can update their measures, "
                         "cycles and what is blocked from their personal links now.")

    def ask_close(self) -> None:
        s = on_show(self.view)
        if s is None or s.state != "open":
            return
        made = len(check_in.decisions(self.view, s))
        n = len(rows(self.view, s))
        set_html(self.confirm_text, f'<p class="cd-warn" role="alert">Close '
                 f"{esc(h.sitting_title(s))}? {made} of {n} prototypes have a decision "
                 "recorded. Once closed its portfolio and decisions are kept as they stand, "
                 "and the next check-in counts “since the last sitting” from now.</p>")
        shown(self.confirm, True)

    def close(self) -> None:
        shown(self.confirm, False)
        s = on_show(self.view)
        if s is None:
            return
        try:
            check_in.close(self.view, s)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        self.status.info(f"Check-in {s.number} is closed and on record.")


class CheckInClock:
    """The check-in's own agenda (``agenda.CHECK_IN``) and its countdown."""

    def __init__(self, view: View):
        self.view = view
        self.status = Status()
        self.table = html_block()
        self.what = w.Dropdown(description="Time this", style=STYLE,
                               options=[(s.title, s.item) for s in agenda.CHECK_IN.steps],
                               layout=layout(width="auto", max_width=FULL))
        self.start_btn = button("Start the clock", "Start the countdown for the chosen "
                                "check-in step")
        self.more_btn = button("5 more minutes", "Add five minutes to the countdown")
        self.stop_btn = button("Stop the clock", "Stop the countdown")
        for b in (self.start_btn, self.more_btn, self.stop_btn):
            aria_name(b, f"{b.description}: the check-in")
        self.start_btn.on_click(lambda _: self.start())
        self.more_btn.on_click(lambda _: self._do(lambda: agenda.add_minutes(self.view, 5),
                                                  "Added 5 minutes"))
        self.stop_btn.on_click(lambda _: self._do(lambda: agenda.stop_timer(self.view),
                                                  "The clock is stopped"))
        self.widget = w.VBox([self.table, w.HBox([self.what, self.start_btn, self.more_btn,
                                                  self.stop_btn]), self.status.widget])
        self._now: object = object()
        self.refresh()

    def start(self) -> None:
        item = self.what.value
        minutes = agenda.CHECK_IN.minutes_for(item) or 5
        self._do(lambda: agenda.start_timer(self.view, item, minutes),
                 f"The clock is running: {minutes} minutes")

    def _do(self, action, done: str) -> None:
        try:
            action()
        except StoreError as err:
            self.status.error(str(err))
            return
        self.status.saved(done)

    def refresh(self) -> None:
        t = agenda.timer(self.view)
        now = t.item if t is not None and t.item in agenda.CHECK_IN_STEPS else None
        if now != self._now:
            self._now = now
            set_html(self.table, agenda_table(agenda.CHECK_IN, now))


class RoundControls:
    """Open, close, reveal (with confirmation) and new round, for one of a check-in's
    rounds; opening starts the round's countdown."""

    def __init__(self, view: View, sitting: Sitting, round_: str):
        self.view = view
        self.sitting = sitting
        self.round = round_
        self.title = check_in.ROUNDS[round_]
        self.summary = html_block()
        self.status = Status()
        self.open_btn = button("Open for answers", f"Let participants answer: {self.title}")
        self.close_btn = button("Close answers", f"Stop new answers: {self.title}")
        self.reveal_btn = button("Reveal to the room…", f"Show the room's answers: "
                                 f"{self.title}")
        self.round_btn = button("Start a new round", f"Vote again, privately: {self.title}")
        self.confirm_text = html_block()
        self.yes = button("Yes, reveal to the room", "Reveal now", "warning")
        self.no = button("Cancel", "Do not reveal yet")
        self.confirm = w.VBox([self.confirm_text, w.HBox([self.yes, self.no])])
        shown(self.confirm, False)
        self.open_btn.on_click(lambda _: self.move("open"))
        self.close_btn.on_click(lambda _: self.move("close"))
        self.reveal_btn.on_click(lambda _: self.ask_reveal())
        self.round_btn.on_click(lambda _: self.move("new_round"))
        self.yes.on_click(lambda _: self.move("reveal"))
        self.no.on_click(lambda _: shown(self.confirm, False))
        for b in (self.open_btn, self.close_btn, self.reveal_btn, self.round_btn, self.yes,
                  self.no):
            aria_name(b, f"{b.description}: {self.title}")
        self.widget = w.VBox([self.summary, w.HBox([self.open_btn, self.close_btn,
                                                    self.reveal_btn, self.round_btn]),
                              self.confirm, self.status.widget])
        self.refresh()

    @property
    def step(self) -> str:
        return check_in.stage(self.sitting, self.round)

    def ask_reveal(self) -> None:
        prog = self.view.progress(self.step)
        set_html(self.confirm_text, reveal_question(
            self.title, self.view.stage(self.step).round, prog.answered, prog.joined))
        shown(self.confirm, True)

    def move(self, action: str) -> None:
        shown(self.confirm, False)
        try:
            check_in.move_round(self.view, self.sitting, self.round, action)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        done = {"open": "Opened.", "close": "Closed.", "reveal": "Revealed.",
                "new_round": "New round started."}[action]
        if action == "open":
            item = f"check_in.{self.round}"
            minutes = agenda.CHECK_IN.minutes_for(item)
            try:
                if minutes:
                    agenda.start_timer(self.view, item, minutes)
                    done += f" The clock is running: {minutes} minutes."
            except StoreError:
                done += " The clock could not be started; use the clock above."
        self.status.info(done)
        self.refresh()

    def refresh(self) -> None:
        st = self.view.stage(self.step)
        prog = self.view.progress(self.step)
        who = ", ".join(prog.names) if prog.names else "nobody yet"
        set_html(self.summary, f"<p><strong>{esc(self.title)}</strong>: "
                               f"{STATE_WORDS[st.state]}, round {st.round}. {prog.answered} "
                               f"of {prog.joined} answered: {esc(who)}.</p>")
        open_ = self.sitting.state == "open"
        allowed = {self.open_btn: open_ and st.state == "closed",
                   self.close_btn: st.state == "open",
                   self.reveal_btn: st.state == "closed" and prog.answered > 0,
                   self.round_btn: open_ and st.state == "revealed"}
        for b, ok in allowed.items():
            shown(b, ok)
        emphasise({"open": self.open_btn, "close": self.close_btn, "reveal": self.reveal_btn},
                  next_action("vote", st.state, prog.answered))


class DecisionForm:
    """The board's decision for each prototype, with its reason; a stop with what it taught."""

    def __init__(self, view: View, sitting: Sitting):
        self.view = view
        self.sitting = sitting
        self.status = Status()
        self.body = w.VBox()
        self.rows: dict[str, tuple[w.ToggleButtons, w.Textarea, w.Textarea]] = {}
        self.titles: dict[str, str] = {}
        self._key: tuple | None = None
        self.widget = w.VBox([html_block("<h4>Record the board's decision</h4><p>After the "
                                         "reveal, the board decides and says why. A stop "
                                         "needs what the prototype taught us.</p>"),
                              self.body, self.status.widget])
        self.refresh()

    def refresh(self) -> None:
        now = check_in.decisions(self.view, self.sitting)
        found = tuple((r.id, r.title) for r in rows(self.view, self.sitting)
                      if not r.stopped or r.id in now)
        if found == self._key:
            return
        self._key = found
        kids: list[w.Widget] = []
        self.rows, self.titles = {}, dict(found)
        editable = self.sitting.state == "open"
        for pid, title in found:
            d = now.get(pid)
            choice = choice_buttons([(words, k) for k, words in check_in.CHOICES.items()],
                                    f"The board's decision: {title}")
            choice.value = d.decision if d else None
            reason = field(w.Textarea(value=d.reason if d else "", style=STYLE,
                                      description=f"Why (for {title})", rows=2,
                                      layout=layout(width=FULL)))
            learned = field(w.Textarea(value=d.learned if d else "", style=STYLE, rows=2,
                                       description=f"What we learned (needed for a stop; "
                                                   f"{title})", layout=layout(width=FULL)))
            save = button("Record the decision", f"Record the board's decision on {title}",
                          name=f"Record the decision: {title}")
            save.on_click(lambda _b, pid=pid: self.record(pid))
            self.rows[pid] = (choice, reason, learned)
            parts: list[w.Widget] = [html_block(f"<p><strong>{esc(title)}</strong></p>"),
                                     choice, reason, learned]
            if editable:
                parts.append(save)
            box = w.VBox(parts)
            box.add_class("cd-card")
            kids.append(box)
        self.body.children = kids or [html_block("<p>No prototypes to decide on.</p>")]

    def record(self, pid: str) -> None:
        choice, reason, learned = self.rows[pid]
        if choice.value is None:
            self.status.error(f"Choose keep going, change course or stop and learn for "
                              f"“{self.titles[pid]}”. Nothing was saved.")
            return
        try:
            check_in.record_decision(self.view, self.sitting, pid, choice.value, reason.value,
                                     learned.value if choice.value == "stop" else "")
        except (FieldError, StoreError) as err:
            self.status.error(_problem(err))
            return
        self.status.saved(f"Recorded “{check_in.CHOICES[choice.value]}” for "
                          f"“{self.titles[pid]}”")


HELD_CHOICES = [("They held", True), ("They did not hold", False), ("Not said", None)]


class LevelForm:
    """The level the room agrees for each decision under review, recorded on the
    Delegation Board with the check-in's date."""

    def __init__(self, view: View, sitting: Sitting):
        self.view = view
        self.sitting = sitting
        self.status = Status()
        self.body = w.VBox()
        self.rows: dict[tuple[str, str],
                        tuple[w.ToggleButtons, w.ToggleButtons, w.Text, w.Text]] = {}
        self._key: tuple | None = None
        self.widget = w.VBox([html_block("<h4>Record the agreed level</h4><p>After the "
                                         "reveal, record the level the room agrees; it goes "
                                         "on the Delegation Board with today's date, and the "
                                         "decision comes up again on its next review date."
                                         "</p>"),
                              self.body, self.status.widget])
        self.refresh()

    def refresh(self) -> None:
        items = tuple(check_in.due_for_review(self.view, self.sitting.held_on))
        if items == self._key:
            return
        self._key = items
        kids: list[w.Widget] = []
        self.rows = {}
        for i in items:
            name = f"{i.decision} ({i.area})"
            level = choice_buttons([(f"{lv.number} {lv.name}", lv.number) for lv in LEVELS],
                                   f"Agreed level for {name}", [lv.meaning for lv in LEVELS])
            level.value = i.level
            held = choice_buttons(HELD_CHOICES, f"Did the guardrails hold: {name}")
            held.value = None
            reason = field(w.Text(description=f"Why (for {i.decision})", style=STYLE,
                                  layout=layout(width=FULL)))
            nxt = field(w.Text(
                value=check_in.next_review_default(self.sitting).isoformat(),
                description=f"Next review date (for {i.decision})", style=STYLE,
                placeholder="e.g. " + check_in.next_review_default(self.sitting).isoformat(),
                layout=layout(width=FULL, max_width="24rem")))
            save = button("Record the level", f"Record the agreed level for {name}",
                          name=f"Record the level: {name}")
            save.on_click(lambda _b, k=(i.area, i.decision): self.record(k))
            self.rows[(i.area, i.decision)] = (level, held, reason, nxt)
            box = w.VBox([html_block(f"<p><strong>{esc(name)}</strong>: now "
                                     f"{esc(i.level_words)}.</p>"), level,
                          html_block("<p>Did the guardrails hold?</p>"), held, reason, nxt,
                          *([save] if self.sitting.state == "open" else [])])
            box.add_class("cd-card")
            kids.append(box)
        self.body.children = kids or [html_block(
            "<p>No delegated decision has reached its review date by this check-in's date."
            "</p>")]

    def record(self, k: tuple[str, str]) -> None:
        level, held, reason, nxt = self.rows[k]
        try:
            c = check_in.record_level_change(self.view, self.sitting, k[0], k[1], level.value,
                                             reason.value, guardrails_held=held.value,
                                             next_review=nxt.value)
        except (FieldError, StoreError) as err:
            self.status.error(_problem(err))
            return
        then = next(i.review_date for i in check_in.due_for_review(self.view, date.max)
                    if (i.area, i.decision) == k)
        self.status.saved(check_in.describe_change(c).rstrip(".") + f". Next review "
                          f"{show_date(then)}. Recorded")


class FocusChange:
    """Focus held steady: an area joins only by naming the one that gives way."""

    def __init__(self, view: View):
        self.view = view
        self.status = Status()
        self.add = w.Dropdown(description="Area to add", style=STYLE, options=[],
                              layout=layout(width="auto", max_width=FULL))
        self.gives_way = w.Dropdown(description="The area that gives way", style=STYLE,
                                    options=[], layout=layout(width="auto", max_width=FULL))
        self.reason = field(w.Text(description="Why the focus changes", style=STYLE,
                                   layout=layout(width=FULL)))
        self.save = button("Change the focus", "Add the area and let the other give way")
        self.save.on_click(lambda _: self.change())
        self._key: tuple | None = None
        self.widget = w.VBox([html_block("<p>Adding a focus area means another gives way: "
                                         "the board keeps to a few.</p>"), self.add,
                              self.gives_way, self.reason, self.save, self.status.widget])
        self.refresh()

    def refresh(self) -> None:
        areas = tuple(check_in.focus_count(self.view).areas)
        if areas == self._key:
            return
        self._key = areas
        self.add.options = [("Choose an area…", None), *((a, a) for a in
                                                        check_in.candidates(self.view))]
        self.gives_way.options = [("Choose the area that gives way…", None),
                                  *((a, a) for a in areas)]

    def change(self) -> None:
        if self.add.value is None:
            self.status.error("Choose the area to add. Nothing was saved.")
            return
        try:
            areas = check_in.change_focus(self.view, self.add.value, self.gives_way.value,
                                          self.reason.value)
        except (FieldError, StoreError) as err:
            self.status.error(_problem(err))
            return
        self.reason.value = ""
        self.status.saved(f"The focus areas are now {', '.join(areas)}")


class NotUpdated(SittingPart):
    """The prototypes nobody has updated since the last sitting."""

    def markup(self) -> str:
        found = [r for r in rows(self.view, self.sitting)
                 if any(x.code == "no_update" for x in r.reasons)]
        body = ("<p>Every prototype has been updated since the last sitting.</p>" if not found
                else "<ul>" + "".join(f"<li>{esc(r.title)} ({esc(r.area)})</li>"
                                      for r in found) + "</ul>")
        return "<h4>Not updated since the last sitting</h4>" + body


def _sections(view: View, s: Sitting) -> list:
    return [NotUpdated(view, s), PortfolioView(view, s),
            RoundControls(view, s, check_in.KEEP), RoundResults(view, s, check_in.KEEP),
            DecisionForm(view, s),
            RoundControls(view, s, check_in.REVIEW), RoundResults(view, s, check_in.REVIEW),
            LevelForm(view, s), DecisionsView(view, s)]


class CheckInTools:
    """Everything the facilitator runs a check-in with, in the order of the sitting."""

    def __init__(self, view: View):
        self.view = view
        self.status = Status()
        # An earlier check-in, to look back at (its portfolio as it stood when it closed,
        # its rounds and decisions) and to make its board paper again.
        self.pick = w.Dropdown(description="Check-in to show", options=[], style=STYLE,
                               layout=layout(width="auto", max_width=FULL))
        self._quiet = False  # True while the list itself is replaced
        self.pick.observe(lambda _: None if self._quiet else self.refresh(), names="value")
        self.paper_btn = button("Prepare this check-in's board paper",
                                "Make the board paper of the check-in shown")
        self.paper_btn.on_click(lambda _: self.paper())
        self.link = html_block()
        self.following = Following(view, _sections, "Start a check-in to see its portfolio "
                                   "and run its rounds.", choose=self.chosen)
        self.parts: list[Any] = [StartCheckIn(view), CheckInClock(view), self.following,
                                 FocusView(view), FocusChange(view)]
        titles = ["", "<h4>The check-in's agenda and clock</h4>", "", "<h4>Focus held steady"
                  "</h4>", ""]
        kids: list[w.Widget] = [html_block("<h3>The check-in</h3>")]
        for t, p in zip(titles, self.parts, strict=True):
            if t:
                kids.append(html_block(t))
            if p is self.following:
                kids += [self.pick, self.paper_btn, self.link, self.status.widget]
            kids.append(p.widget)
        self.widget = w.VBox(kids)
        self._sittings: tuple = ()
        self.refresh()

    def chosen(self) -> Sitting | None:
        sid = self.pick.value
        return next((s for s in check_in.sittings(self.view) if s.id == sid), None) \
            if sid else None

    def _list(self) -> None:
        found = tuple(check_in.sittings(self.view))
        if found == self._sittings:
            return
        newest = not self._sittings or self.pick.value == self._sittings[-1].id
        self._sittings = found
        options = [(h.sitting_title(s), s.id) for s in reversed(found)]
        self._quiet = True
        try:
            if list(self.pick.options) != options:
                self.pick.options = options
            if found and (newest or self.pick.value is None):
                self.pick.value = found[-1].id  # a new check-in is the one shown
        finally:
            self._quiet = False
        shown(self.pick, bool(found))
        shown(self.paper_btn, bool(found))

    def paper(self) -> None:
        # here, not at the top: the board paper draws every measure's chart, once a month
        from ... import board_paper

        s = self.chosen()
        if s is None:
            self.status.error("Start a check-in first: there is no board paper yet.")
            return
        try:
            data = board_paper.build(self.view, s).encode("utf-8")
        except (StoreError, ValueError) as err:
            self.status.error(str(err))
            return
        name = f"conductor-{self.view.session.code}-check-in-{s.number}-board-paper.html"
        set_html(self.link, "<p>" + data_link(data, "text/html", name,
                                              f"Download the board paper of check-in "
                                              f"{s.number}, {len(data) / 1024:,.0f} KB")
                 + "</p>")
        self.status.saved(f"Ready: the board paper of check-in {s.number}")

    def refresh(self) -> None:
        self._list()
        for p in self.parts:
            p.refresh()
