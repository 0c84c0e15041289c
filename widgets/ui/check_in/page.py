"""The check-in assembled for each screen: the participants' page (``04_check_in``), the
console's tools and the room screen's view."""

from __future__ import annotations

import ipywidgets as w

from ... import agenda, check_in
from ...html.check_in import sitting_title
from ...session import View
from ...urls import page_link
from ..common import esc, html_block, link, set_html
from ..parts import Sections, heading
from ..shell.agenda_panel import RoomAgenda
from .forms import KeepForm, ReviewForm, UnblockForm
from .state import on_show
from .views import DecisionsView, FocusView, Following, PortfolioView, RoundResults

NO_CHECK_IN = ("No check-in has started yet. When the facilitator starts one, the portfolio "
               "and the rounds appear here. Meanwhile, add your prototype's new measure "
               "values and PDSA cycles on the Prototype page.")


class Group:
    """A heading, a note, and parts below it."""

    def __init__(self, title: str, parts: list, note: str = ""):
        self.parts = parts
        self.widget = w.VBox([heading(esc(title), note), *(p.widget for p in parts)])

    def refresh(self) -> None:
        for p in self.parts:
            p.refresh()


def now_words(view: View) -> str:
    """Where the check-in is, in a line: the check-in on show and the round open now."""
    s = on_show(view)
    if s is None:
        return "The check-in: waiting for the facilitator to start it. Stay on this page."
    if s.state != "open":
        return f"{sitting_title(s)}. It is closed: its decisions are on record below."
    for r, title in check_in.ROUNDS.items():
        st = view.stage(check_in.stage(s, r))
        if st.state == "open":
            again = f" (round {st.round})" if st.round > 1 else ""
            return f"{sitting_title(s)}. Now: {title}{again} is open: answer below."
    return (f"{sitting_title(s)}. The board is reading the portfolio together; the rounds "
            "open when the facilitator starts them.")


class CheckInBar:
    """Where the check-in is, with the countdown the facilitator runs."""

    def __init__(self, view: View):
        self.view = view
        self.bar = html_block()
        self.clock = RoomAgenda(view, big=False, show_plan=False)
        self.widget = w.VBox([self.bar, self.clock.widget])
        self.widget.add_class("cd-stepbox")
        self.refresh()

    def refresh(self) -> None:
        self.clock.refresh()
        set_html(self.bar, f'<div class="cd-stepbar" role="status">{esc(now_words(self.view))}'
                           "</div>")


def _minutes(item: str) -> int:
    return agenda.CHECK_IN.minutes_for(item) or 0


def participant_sections(token: str | None):
    """The parts of a participant's page for one check-in."""
    prototype_page = page_link("03_prototype.ipynb", p=token or "")

    def make(view: View, s) -> list:
        portfolio = Group("The portfolio", [PortfolioView(view, s)],
                          "One row per prototype, what needs the board's attention first. "
                          "Each icon has its words beside it.")
        update = [Group("Before the sitting: your team's update", [UnblockForm(view, s)],
                        "Add new measure values and PDSA cycles on the "
                        f"{link(prototype_page, 'Prototype page')}. Here, say where the "
                        "leaders' promise to unblock your prototype stands.")
                  ] if s.state == "open" else []
        keep = Group(f"Keep, change or stop (about {_minutes('check_in.keep')} minutes)",
                     [KeepForm(view, s), RoundResults(view, s, check_in.KEEP)],
                     "For each prototype, privately: keep going, change course, or stop and "
                     "learn. Stopping a test that did not work is a success of learning.")
        review = Group(f"Delegation review (about {_minutes('check_in.review')} minutes)",
                       [ReviewForm(view, s), RoundResults(view, s, check_in.REVIEW)],
                       "For each delegated decision whose review date has come, privately: "
                       "did its guardrails hold, and where should its level go?")
        decided = Group("Decisions and what we learned", [DecisionsView(view, s)])
        focus = Group("Focus held steady", [FocusView(view)],
                      "The board keeps to a few focus areas: one joins only as another gives "
                      "way.")
        # On a phone, one part at a time: the round that is open, else everything.
        sections = Sections(view, [
            ("Portfolio", (PORTFOLIO,), [portfolio, *update]),
            ("Keep or stop", (check_in.stage(s, check_in.KEEP),), [keep]),
            ("Review", (check_in.stage(s, check_in.REVIEW),), [review]),
            ("Decisions and focus", (DECIDED,), [decided, focus])],
            where=lambda: open_round(view, s))
        return [sections, portfolio, *update, keep, review, decided, focus]
    return make


PORTFOLIO, DECIDED = "check_in.portfolio", "check_in.decided"  # parts of no round


def open_round(view: View, s) -> str | None:
    """The check-in's round open now (its step), if any: the part a phone shows first."""
    for r in check_in.ROUNDS:
        step = check_in.stage(s, r)
        if view.stage(step).state == "open":
            return step
    return None


def participant_parts(view: View, token: str | None) -> list:
    return [CheckInBar(view), Following(view, participant_sections(token), NO_CHECK_IN)]
