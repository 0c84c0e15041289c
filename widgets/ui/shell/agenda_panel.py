"""The agenda on the console (choose, customise, run the clock) and on the room screen and
participants' pages (where the room is, and the time left).

Why the clock starts when the room moves: the facilitator's attention belongs to the room.
Moving the room to a step starts that step's countdown from the agenda; the console can
add five minutes, time a break, or stop the clock.
"""

from __future__ import annotations

import ipywidgets as w

from ... import agenda
from ...agenda import EXTRAS, Agenda
from ...session import View
from ...stages import STAGES
from ...store import StoreError
from ..common import FULL, Status, button, esc, html_block, set_html
from ..countdown import Countdown
from ..sharing import layout, sharing, shown
from .stagecontrols import emphasise

STYLE = {"description_width": "initial"}
CHOICES = [(f"{a.title} ({a.minutes()} minutes)", a.name) for a in agenda.TEMPLATES.values()
           ] + [("Custom order", "custom")]


def now_item(view: View, t: agenda.Timer | None) -> str | None:
    """What the room is doing now: a timed break or welcome, else the current step."""
    if t is not None and t.item in EXTRAS and t.seconds_left() > 0:
        return t.item
    return view.session.current_stage


def agenda_next(saved: bool, picked_is_saved: bool, clock_running: bool) -> str | None:
    """The agenda panel's prominent action: use the agenda picked (none saved yet, or the
    facilitator picked another), else start the clock if it is not running. Adding five
    minutes and stopping are choices, not the next step."""
    if not saved or not picked_is_saved:
        return "use"
    return None if clock_running else "start"


def agenda_table(plan: Agenda, now: str | None) -> str:
    out = []
    for part in plan.parts:
        steps = [s for s in plan.steps if s.part == part]
        title = (f"Sitting {part} ({plan.minutes(part)} minutes)" if len(plan.parts) > 1
                 else f"{plan.title} ({plan.minutes()} minutes)")
        rows, clock = [], 0
        for s in steps:
            here = s.item == now
            mark = ' aria-current="step" class="cd-now"' if here else ""
            rows.append(f"<tr{mark}><td>{agenda.clock(clock)}–{agenda.clock(clock + s.minutes)}"
                        f"</td><th scope='row'>{'Now: ' if here else ''}{esc(s.title)}</th>"
                        f"<td>{s.minutes} min</td></tr>")
            clock += s.minutes
        out.append(f"<table class='cd-table cd-agenda'><caption>{esc(title)}</caption><thead>"
                   "<tr><th scope='col'>Time</th><th scope='col'>Step</th>"
                   f"<th scope='col'>Length</th></tr></thead><tbody>{''.join(rows)}"
                   "</tbody></table>")
    return "".join(out)


class AgendaPanel:
    """The console's agenda: pick or build the plan, see where the room is, run the clock."""

    def __init__(self, view: View):
        self.view = view
        self.status = Status()
        self.choice = w.Dropdown(description="Agenda", options=CHOICES, style=STYLE,
                                 layout=layout(width="auto", max_width=FULL))
        saved = agenda.saved(view)
        if saved is not None and saved.name in {c[1] for c in CHOICES}:
            self.choice.value = saved.name  # show the agenda in use, not the first one
        self._saved: str | None = None  # the name of the agenda in use, once chosen
        self._running = False
        self.choice.observe(sharing(lambda _: self._show_custom()), names="value")
        self.use_btn = button("Use this agenda", "Make this the session's agenda")
        self.use_btn.on_click(lambda _: self.use())
        self.rows: list[tuple[str, w.Checkbox, w.Text, w.Checkbox]] = []
        self.custom_box = w.VBox()  # built when first chosen
        shown(self.custom_box, False)
        self.table = html_block()
        self.countdown = Countdown()
        self.what = w.Dropdown(description="Time this", options=[], style=STYLE,
                               layout=layout(width="auto", max_width=FULL))
        self.start_btn = button("Start the clock", "Start the countdown for the chosen step")
        self.start_btn.on_click(lambda _: self.start())
        self.more_btn = button("5 more minutes", "Add five minutes to the countdown")
        self.more_btn.on_click(lambda _: self.more(5))
        self.stop_btn = button("Stop the clock", "Stop the countdown")
        self.stop_btn.on_click(lambda _: self.stop())
        self._key = None
        self.widget = w.VBox([
            html_block("<h3>Agenda and clock</h3>"), w.HBox([self.choice, self.use_btn]),
            self.custom_box, self.table, self.countdown,
            w.HBox([self.what, self.start_btn, self.more_btn, self.stop_btn]),
            self.status.widget])
        self.refresh()
        if self.choice.value == "custom":  # the session's own order, ready to change
            self._show_custom()

    # -- choosing the plan ----------------------------------------------------------------
    def _build_custom(self, plan: Agenda) -> None:
        order = [s.item for s in plan.steps]
        items = order + [k for k in [*STAGES, *EXTRAS] if k not in order]
        minutes = {s.item: s.minutes for s in plan.steps}
        starts = {s.item for i, s in enumerate(plan.steps)
                  if i and s.part != plan.steps[i - 1].part}
        self.rows = []
        for item in items:
            title = agenda.Step(item, 1).title
            include = w.Checkbox(value=item in minutes, description=title, indent=False,
                                 layout=layout(width="auto", max_width=FULL))
            mins = w.Text(value=str(minutes.get(item, STAGES[item].minutes if item in STAGES
                                                else 10)),
                          description=f"Minutes for {title}", style=STYLE,
                          layout=layout(width="auto", max_width=FULL))
            new_part = w.Checkbox(value=item in starts, description="A new sitting starts here",
                                  indent=False, layout=layout(width="auto"))
            self.rows.append((item, include, mins, new_part))
        self._draw_custom()

    def _draw_custom(self) -> None:
        kids = [html_block("<p>Tick the steps to run, in the order shown; move a step up "
                           "to change the order.</p>")]
        for i, (item, include, mins, new_part) in enumerate(self.rows):
            up = button("Move up", f"Move {agenda.Step(item, 1).title} earlier")
            up.on_click(lambda _b, i=i: self._move_up(i))
            row = w.VBox([include, w.HBox([mins, new_part, *([up] if i else [])])])
            row.add_class("cd-card")
            kids.append(row)
        save = button("Save the custom agenda", "Use the steps ticked above", "primary")
        save.on_click(lambda _: self.use_custom())
        self.custom_box.children = [*kids, save]

    def _move_up(self, i: int) -> None:
        self.rows[i - 1], self.rows[i] = self.rows[i], self.rows[i - 1]
        self._draw_custom()

    def _show_custom(self) -> None:
        if self.choice.value == "custom" and not self.rows:
            self._build_custom(agenda.current(self.view))  # some 70 controls: only on demand
        shown(self.custom_box, self.choice.value == "custom")
        self._emphasise()

    def _emphasise(self) -> None:
        picked = self._saved == self.choice.value
        action = agenda_next(self._saved is not None, picked, self._running)
        if action == "use" and self.choice.value == "custom":
            action = None  # the custom editor's own Save button is the one to press
        emphasise({"use": self.use_btn, "start": self.start_btn}, action)

    def use(self) -> None:
        if self.choice.value == "custom":
            self.use_custom()
            return
        self._save(agenda.TEMPLATES[self.choice.value])

    def use_custom(self) -> None:
        steps, breaks = [], []
        for item, include, mins, new_part in self.rows:
            if not include.value:
                continue
            try:
                minutes = int(mins.value.strip())
            except ValueError:
                self.status.error(f"“{include.description}”: minutes must be a whole number, "
                                  f"such as 15 (not “{mins.value[:10]}”). Nothing changed.")
                return
            if new_part.value and steps:
                breaks.append(len(steps))
            steps.append((item, minutes))
        try:
            plan = agenda.custom(steps, tuple(breaks))
        except ValueError as err:
            self.status.error(f"{err} Nothing changed.")
            return
        self._save(plan)

    def _save(self, plan: Agenda) -> None:
        try:
            agenda.choose(self.view, plan)
        except StoreError as err:
            self.status.error(str(err))
            return
        self.status.saved(f"The agenda is now “{plan.title}”, {plan.minutes()} minutes")
        self.refresh()

    # -- the clock ------------------------------------------------------------------------
    def start(self) -> None:
        plan = agenda.current(self.view)
        item = self.what.value
        minutes = plan.minutes_for(item)
        if item is None or minutes is None:
            self.status.error("Choose a step from the agenda to time.")
            return
        self._clock(lambda: agenda.start_timer(self.view, item, minutes),
                    f"The clock is running: {minutes} minutes")

    def more(self, minutes: int) -> None:
        if agenda.timer(self.view) is None:
            self.status.error("The clock is not running. Start it first.")
            return
        self._clock(lambda: agenda.add_minutes(self.view, minutes), f"Added {minutes} minutes")

    def stop(self) -> None:
        self._clock(lambda: agenda.stop_timer(self.view), "The clock is stopped")

    def _clock(self, action, done: str) -> None:
        try:
            action()
        except StoreError as err:
            self.status.error(str(err))
            return
        self.status.saved(done)
        self.refresh()

    def refresh(self) -> None:
        chosen = agenda.saved(self.view)
        plan = chosen or agenda.current(self.view)
        t = agenda.timer(self.view)
        now = now_item(self.view, t)
        # Whether the clock runs is read from the clock each time: nothing is saved when a
        # countdown reaches nought, so the store's state alone would never say it stopped.
        running = t is not None and t.seconds_left() > 0
        key = (repr(chosen), repr(plan), t, now, running)
        if key == self._key:
            return
        self._key = key
        self._saved = chosen.name if chosen else None
        self._running = running
        self._emphasise()
        set_html(self.table, agenda_table(plan, now))
        self.countdown.show(t)
        options = [(s.title, s.item) for s in plan.steps]
        if list(self.what.options) != options:
            self.what.options = options
        if now in {o[1] for o in options} and self.what.value != now:
            self.what.value = now


class RoomAgenda:
    """The projector's clock (large) and where the room is in the agenda."""

    def __init__(self, view: View, big: bool = True, show_plan: bool = True):
        self.view = view
        self.show_plan = show_plan
        self.countdown = Countdown(big=big)
        self.plan = html_block()
        self._key = None
        self.widget = w.VBox([self.countdown, self.plan] if show_plan else [self.countdown])
        self.refresh()

    def refresh(self) -> None:
        t = agenda.timer(self.view)
        self.countdown.show(t)
        if not self.show_plan:
            return
        plan = agenda.current(self.view)
        now = now_item(self.view, t)
        key = (repr(plan), now)
        if key != self._key:
            self._key = key
            parts = [s.part for s in plan.steps if s.item == now]
            if parts:  # show the sitting the room is in
                plan = Agenda(plan.name, plan.title,
                              tuple(s for s in plan.steps if s.part == parts[0]))
            set_html(self.plan, f"<details><summary>Today's agenda</summary>"
                                f"{agenda_table(plan, now)}</details>")
