"""The facilitator's controls for one step: open, close, reveal (with confirmation), new round.

Why a confirmation on reveal: once a room has seen the results it cannot unsee them, and
with fewer than three answers people can work out who said what. The warning says so.
"""

from __future__ import annotations

import ipywidgets as w

from ...agenda import start_for_stage
from ...session import View, move_room, move_stage
from ...stages import StageInfo
from ...store import StoreError
from ...validation import FieldError
from ..aria import name as aria_name
from ..common import Status, button, esc, html_block, set_html
from ..sharing import layout, shown

STATE_WORDS = {"closed": "Closed", "open": "Open for answers", "revealed": "Revealed"}
SHOW_MINE = "Show my results"  # a solo leader's reveal button; pages that point to it say so


def next_action(kind: str, state: str, answered: int, solo: bool = False,
                here: bool = False) -> str | None:
    """The one action a step's controls make prominent: what the facilitator does next.

    Why one place: the blue button is where the eye goes. On a closed step nobody has
    answered it was "Reveal to the room…", while "Open for answers", the next thing to do,
    looked like plain text. A vote step goes open, close, reveal; after a reveal a new
    round is a choice, not the next step. Shared work has nothing to open: the room is
    moved there, unless it is there already. ``answered`` counts this round's answers.
    """
    if kind == "shared":
        return None if here or solo else "here"
    if state == "closed":
        return "reveal" if answered else "open"
    if state == "open":
        if solo:  # one click closes and shows a solo leader's results
            return "reveal" if answered else None
        return "close"
    return None


def emphasise(buttons: dict, chosen: str | None) -> None:
    """Make ``buttons[chosen]`` the primary (blue) button and the others plain; sends only
    what changed. Danger and warning buttons are not passed here: their style says what
    they do, not what comes next."""
    for action, btn in buttons.items():
        style = "primary" if action == chosen else ""
        if btn.button_style != style:
            btn.button_style = style



# Fewer answers than this and people can work out who said what: the console warns first.
FEW_ANSWERS = 3


def reveal_question(title: str, rnd: int, answered: int, joined: int) -> str:
    """The console's question before a round is revealed, with the warning when so few
    have answered that the room could tell who said what (every vote step asks it)."""
    text = (f"Reveal round {rnd} of “{esc(title)}” to the room? {answered} of {joined} "
            "people answered.")
    if answered < FEW_ANSWERS:
        text += (f" <strong>With fewer than {FEW_ANSWERS} answers, people can work out who "
                 "said what.</strong>")
    return f'<p class="cd-warn" role="alert">{text}</p>'

class StageControls:
    def __init__(self, view: View, info: StageInfo, solo: bool = False):
        self.view = view
        self.info = info
        self.solo = solo
        self.summary = html_block()
        self.status = Status()
        # A solo leader has no room or group: their buttons and tooltips speak to one person.
        self.open_btn = button("Open for answers" if not solo else "Start answering",
                               f"Let participants answer: {info.title}" if not solo else
                               f"Start answering: {info.title}")
        self.close_btn = button("Close answers" if not solo else "Stop answering",
                                f"Stop new answers: {info.title}")
        self.reveal_btn = button("Reveal to the room…" if not solo else SHOW_MINE,
                                 f"Show the group's result: {info.title}" if not solo else
                                 f"{SHOW_MINE}: {info.title}")
        self.round_btn = button("Start a new round" if not solo else "Answer again",
                                f"Vote again, privately: {info.title}" if not solo else
                                f"Answer again: {info.title}")
        self.confirm_text = html_block()
        self.confirm_yes = button("Yes, reveal to the room", "Reveal now", "warning")
        self.confirm_no = button("Cancel", "Do not reveal yet")
        self.confirm = w.VBox([self.confirm_text, w.HBox([self.confirm_yes, self.confirm_no])],
                              layout=layout())
        shown(self.confirm, False)
        self.open_btn.on_click(lambda _: self.move("open"))
        self.close_btn.on_click(lambda _: self.move("close"))
        self.reveal_btn.on_click(lambda _: self.ask_reveal())
        self.round_btn.on_click(lambda _: self.move("new_round"))
        self.confirm_yes.on_click(lambda _: self.move("reveal"))
        self.confirm_no.on_click(lambda _: self._hide_confirm())
        self.here_btn = button("Move the room to this step", f"Show the room: {info.title}")
        self.here_btn.on_click(lambda _: self.move_room())
        for b in (self.open_btn, self.close_btn, self.reveal_btn, self.round_btn,
                  self.confirm_yes, self.confirm_no, self.here_btn):  # one per step: say which
            aria_name(b, f"{b.description}: {info.title}")
        self.buttons = w.HBox([self.open_btn, self.close_btn, self.reveal_btn, self.round_btn,
                               self.here_btn])
        self.widget = w.VBox([self.summary, self.buttons, self.confirm, self.status.widget])
        self.widget.add_class("cd-stage-" + info.key.replace(".", "-"))
        self.refresh()

    def _hide_confirm(self) -> None:
        shown(self.confirm, False)

    def ask_reveal(self) -> None:
        if self.solo:
            self.move("reveal")
            return
        prog = self.view.progress(self.info.key)
        set_html(self.confirm_text, reveal_question(
            self.info.title, self.view.stage(self.info.key).round, prog.answered, prog.joined))
        shown(self.confirm, True)

    def move(self, action: str) -> None:
        self._hide_confirm()
        try:
            move_stage(self.view, self.info.key, action)  # reveal closes an open round first
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        done = {"open": "Opened.", "close": "Closed.", "reveal": "Revealed.",
                "new_round": "New round started."}[action]
        if action == "open":
            done += self._start_clock()
        self.status.info(done)
        self.refresh()

    def _start_clock(self) -> str:
        """Moving the room to a step the agenda times starts its countdown."""
        if self.solo:
            return ""

        try:
            t = start_for_stage(self.view, self.info.key)
        except StoreError:
            return " The clock could not be started; use the agenda's clock controls."
        if t is None:
            return ""
        return f" The clock is running: {max(0, round(t.seconds_left() / 60))} minutes."

    def move_room(self) -> None:
        try:
            move_room(self.view, self.info.key)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        self.status.info("The room is now on this step." + self._start_clock())
        self.refresh()

    def refresh(self) -> None:
        if self.info.kind == "shared":
            self._refresh_shared()
            return
        st = self.view.stage(self.info.key)
        prog = self.view.progress(self.info.key)
        who = ", ".join(prog.names) if prog.names else "nobody yet"
        if self.solo:
            line = f"<strong>{esc(self.info.title)}</strong>: {STATE_WORDS[st.state]}"
        else:
            line = (f"<strong>{esc(self.info.title)}</strong>: {STATE_WORDS[st.state]}, "
                    f"round {st.round}. {prog.answered} of {prog.joined} answered: {esc(who)}.")
        set_html(self.summary, f"<p>{line}</p>")
        allowed = {
            self.open_btn: st.state == "closed",
            self.close_btn: st.state == "open",
            self.reveal_btn: st.state == "closed" or (self.solo and st.state == "open"),
            self.round_btn: st.state == "revealed",
            self.here_btn: False,
        }
        self._show(allowed)
        self._emphasise(next_action("vote", st.state, prog.answered, self.solo))

    def _refresh_shared(self) -> None:
        """Shared work has no votes to open or reveal: the room is simply moved here."""
        here = self.view.session.current_stage == self.info.key
        line = (f"<strong>{esc(self.info.title)}</strong>: shared work, visible as it is "
                f"written. {'The room is on this step.' if here else ''}")
        set_html(self.summary, f"<p>{line}</p>")
        self._show({self.open_btn: False, self.close_btn: False, self.reveal_btn: False,
                    self.round_btn: False, self.here_btn: not here and not self.solo})
        self._emphasise(next_action("shared", "", 0, self.solo, here))

    def _emphasise(self, action: str | None) -> None:
        emphasise({"open": self.open_btn, "close": self.close_btn, "reveal": self.reveal_btn,
                   "here": self.here_btn}, action)

    def _show(self, allowed: dict) -> None:
        for btn, ok in allowed.items():
            shown(btn, ok)
