"""Delegation Poker and the Delegation Board, as numbers.

Why these measures: Delegation Poker (Management 3.0, Jurgen Appelo) has everyone choose one
of seven levels (:mod:`widgets.delegation_levels`, from the board deciding alone to the team
deciding alone) privately, then show them together. What the room needs next is: how
spread are the choices (so the highest and lowest can explain), is there a consensus worth
recording, and how far each decision moves towards the front line once the group agrees
(the cede gap).

Plain Python, no pandas: a page shows a dozen decisions of a few votes each, and opening
one without importing pandas and numpy saves a quarter of a second of a participant's page
load.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from ..delegation_levels import ADVISE

# A decision's key: its name, or (area, name) on a board that plays it in several areas.
K = TypeVar("K", bound=Hashable)


def consensus(levels: Iterable[int]) -> float:
    """Share of votes within one level of the median: 1.0 when everyone is close together.

    An empty set of votes has no consensus (NaN), not a perfect one.
    """
    values = [float(v) for v in levels]
    if not values:
        return math.nan
    med = statistics.median(values)
    return sum(abs(v - med) <= 1.0 for v in values) / len(values)


@dataclass(frozen=True)
class Spread:
    """One decision's cards of one kind (today or proposed), as the room discusses them."""

    answers: int
    median: float
    lowest: int
    highest: int
    low_names: list[str]  # who chose the lowest level, named only if they agreed
    high_names: list[str]  # empty when everyone chose the same level
    consensus: float
    low_others: int = 0  # people at the lowest level who are not named
    high_others: int = 0


def spread(votes: Iterable[tuple[int, str | None]]) -> Spread | None:
    """The spread of ``(level, name or None)`` votes; None when there are none.

    Plain lists rather than a data frame: a page shows a dozen decisions of a few votes
    each, and per-decision frame filtering cost a quarter of a second on the Cede page.
    """
    votes = [(int(level), name) for level, name in votes]
    if not votes:
        return None
    levels = [lv for lv, _ in votes]
    low, high = min(levels), max(levels)

    def named(level: int) -> tuple[list[str], int]:
        if low == high:
            return [], 0
        names = sorted(n for lv, n in votes if lv == level and isinstance(n, str) and n)
        return names, levels.count(level) - len(names)

    (low_names, low_others), (high_names, high_others) = named(low), named(high)
    return Spread(len(levels), float(statistics.median(levels)), low, high, low_names,
                  high_names, consensus(levels), low_others, high_others)


def who_chose(names: list[str], others: int) -> str:
    """"Alice", "Alice and 1 other", "Alice, Ben and 2 others", "someone", "3 people".

    ``names`` are only those who agreed to be named; ``others`` counts the rest, so a
    card nobody is named for is still seen to have been played.
    """
    if not names:
        return "someone" if others <= 1 else f"{others} people"
    parts = [*names, f"{others} other{'s' if others != 1 else ''}"] if others else names
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def cede_gaps(today: Mapping[K, float], agreed: Mapping[K, float]) -> dict[K, float]:
    """Agreed level minus today's level, for every decision with both (in ``agreed``'s
    order); positive means the decision moves towards the front line."""
    keys = [k for k in agreed if k in today and today[k] == today[k]]  # skip NaN
    return {k: float(agreed[k]) - float(today[k]) for k in keys}


def board_sentence(gaps: Mapping[K, float]) -> str:
    """"9 of 12 decisions move towards the front line, by 2.3 levels on average"."""
    values = [float(g) for g in dict(gaps).values()]
    if not values:
        return "No agreed levels have been recorded yet."
    moving = [g for g in values if g > 0]
    text = (f"{len(moving)} of {len(values)} decision{'s' if len(values) != 1 else ''} "
            f"move{'s' if len(moving) == 1 else ''} towards the front line")
    if moving:
        mean = statistics.fmean(moving)
        text += f", by {mean:.1f} level{'s' if mean != 1 else ''} on average"
    back = sum(g < 0 for g in values)
    if back:
        text += f"; {back} move{'s' if back == 1 else ''} back towards the board"
    return text + "."


GUARDRAIL_FIELDS = ("money", "risk_scope", "report", "review_date")


def guardrail_gaps(agreed: Mapping[K, int], owners: Mapping[K, str],
                   guardrails: Mapping[K, Mapping[str, str]]) -> dict[K, list[str]]:
    """What is missing per decision: an accountable owner always; for decisions agreed at
    Advise (5) or beyond, each guardrail (money, risk and scope, reporting, review date).
    Decisions with nothing missing are left out."""
    missing: dict[K, list[str]] = {}
    for decision, level in agreed.items():
        gaps = [] if (owners.get(decision) or "").strip() else ["owner"]
        if level >= ADVISE:
            g = guardrails.get(decision, {})
            gaps += [f for f in GUARDRAIL_FIELDS if not str(g.get(f) or "").strip()]
        if gaps:
            missing[decision] = gaps
    return missing


@dataclass(frozen=True)
class InPlace:
    """Owners and guardrails in place against those due.

    Due only once a decision has an agreed level (the same rule as :func:`guardrail_gaps`):
    an owner for each, and the four guardrails from Advise upwards.
    """

    decisions: int  # on the board
    agreed: int  # of those, with an agreed level
    due: int
    done: int

    def sentence(self) -> str:
        """Plain words; "100%" only when every decision is agreed and nothing is missing."""
        if not self.agreed:
            return ("No decision has an agreed level yet, so owners and guardrails are "
                    "not due.")
        line = f"Owners and guardrails in place: {self.done} of {self.due} needed"
        waiting = self.decisions - self.agreed
        if waiting:
            one = waiting == 1
            return (f"{line} so far. {waiting} decision{'' if one else 's'} "
                    f"ha{'s' if one else 've'} no agreed level yet, so "
                    f"{'its owner' if one else 'their owners'} and guardrails are not due.")
        share = round(100 * self.done / self.due)
        if self.done < self.due:
            share = min(share, 99)  # one missing owner in 200 is not "100%"
        return f"{line} ({share}%)."


def in_place(decisions: Iterable[K], agreed: Mapping[K, int], owners: Mapping[K, str],
             guardrails: Mapping[K, Mapping[str, str]]) -> InPlace:
    """Count the owners and guardrails due and in place for the board's ``decisions``."""
    keys = list(dict.fromkeys([*decisions, *agreed]))
    due = sum(1 + (len(GUARDRAIL_FIELDS) if lvl >= ADVISE else 0) for lvl in agreed.values())
    missing = sum(len(v) for v in guardrail_gaps(agreed, owners, guardrails).values())
    return InPlace(len(keys), len(agreed), due, due - missing)
