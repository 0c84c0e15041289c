"""The seven levels of delegation (Management 3.0), in the workshop's words.

The one definition: the Cede screens, the Delegation Board's numbers
(:mod:`widgets.analysis.delegation`), the report and the checks on a vote read them here,
and a test holds the Cede notebook's table and the README to them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    meaning: str


LEVELS: tuple[Level, ...] = (
    Level(1, "Tell", "The board decides and tells the team."),
    Level(2, "Sell", "The board decides and tries to win the team over."),
    Level(3, "Consult", "The board asks the team first, then decides."),
    Level(4, "Agree", "The board and the team decide together."),
    Level(5, "Advise", "The board advises; the team decides."),
    Level(6, "Inquire", "The team decides, then tells the board."),
    Level(7, "Delegate", "The team decides; the board need not be told."),
)

BY_NUMBER = {lv.number: lv for lv in LEVELS}
# From Advise upwards the team decides, so the board names the guardrails (money, risk and
# scope, reporting, a review date) as well as an accountable owner.
ADVISE = next(lv.number for lv in LEVELS if lv.name == "Advise")
