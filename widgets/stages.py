"""The workshop's steps, in the order a room meets them.

Why a registry: the console, the room screen, the start page and the agenda all need the
same list of steps, their titles, their notebook and whether answers are private votes or
shared work. Modules add themselves here as they land.

Each step's minutes are its time in the standard three-hour agenda, which is built from them
(:data:`widgets.agenda.THREE_HOURS`); a screen shows the time the session's own agenda gives
the step (:func:`widgets.agenda.minutes_for`), the time its countdown runs. A test holds the
notebooks, the README and the facilitator guide to these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StageInfo:
    key: str
    title: str
    notebook: str
    kind: str  # "vote" (private until revealed) or "shared" (visible as written)
    minutes: int  # its time in the standard three-hour agenda (widgets.agenda.THREE_HOURS)
    ask: str  # what the room is asked, in one short line


STAGES: dict[str, StageInfo] = {
    s.key: s
    for s in (
        StageInfo(
            key="readiness",
            title="Board readiness check",
            notebook="00_readiness.ipynb",
            kind="vote",
            minutes=10,
            ask="Rate your organisation from 1 to 5 on fourteen short statements.",
        ),
        StageInfo(
            key="focus.shortlist",
            title="Focus: look at the data and shortlist",
            notebook="01_focus.ipynb",
            kind="shared",
            minutes=15,
            ask="Look at what the data says, then agree about ten care areas to score.",
        ),
        StageInfo(
            key="focus.score",
            title="Focus: score the shortlist",
            notebook="01_focus.ipynb",
            kind="vote",
            minutes=10,
            ask="Score each shortlisted area from 1 to 5 on four questions.",
        ),
        StageInfo(
            key="focus.weights",
            title="Focus: weigh what matters",
            notebook="01_focus.ipynb",
            kind="vote",
            minutes=5,
            ask="Split 100 points across the criteria to say what matters most.",
        ),
        StageInfo(
            key="focus.decide",
            title="Focus: see the ranking and decide",
            notebook="01_focus.ipynb",
            kind="shared",
            minutes=20,
            ask="See how robust the ranking is, talk, and choose the few to focus on.",
        ),
        StageInfo(
            key="cede.setup",
            title="Cede: choose the decisions to play",
            notebook="02_cede.ipynb",
            kind="shared",
            minutes=5,
            ask="For each focus area, agree the few decisions worth playing.",
        ),
        StageInfo(
            key="cede.poker",
            title="Cede: Delegation Poker",
            notebook="02_cede.ipynb",
            kind="vote",
            minutes=20,
            ask="For each decision: who decides today, and who should? Pick a card for each.",
        ),
        StageInfo(
            key="cede.board",
            title="Cede: the Delegation Board, guardrails and owners",
            notebook="02_cede.ipynb",
            kind="shared",
            minutes=20,
            ask="Agree each level, then name an owner and the guardrails; plan for pushback.",
        ),
        StageInfo(
            key="prototype.design",
            title="Prototype: design small tests of change",
            notebook="03_prototype.ipynb",
            kind="shared",
            minutes=30,
            ask="For each focus area, fill in a canvas for one small test; use the prompts.",
        ),
        StageInfo(
            key="prototype.commit",
            title="Prototype: who has the energy?",
            notebook="03_prototype.ipynb",
            kind="vote",
            minutes=5,
            ask="For each prototype, privately: will you help, support it, or not now?",
        ),
        StageInfo(
            key="prototype.track",
            title="Prototype: log cycles and read the measures",
            notebook="03_prototype.ipynb",
            kind="shared",
            minutes=10,
            ask="Log each PDSA cycle, add the measures' values, and read the charts.",
        ),
    )
}


def stage_info(key: str) -> StageInfo:
    try:
        return STAGES[key]
    except KeyError:
        raise KeyError(f"There is no workshop step called {key!r}.") from None
