"""Delegation Poker and the Delegation Board, as numbers.

Why these measures: Delegation Poker (Management 3.0, Jurgen Appelo) has everyone choose a
level from 1 (Tell: I decide) to 7 (Delegate: they decide, I need not be told) privately,
then show them together. What the room needs next is: how spread are the choices (so the
highest and lowest can explain), is there a consensus worth recording, and how far each
decision moves towards the front line once the group agrees (the cede gap).

The Cede screens use only the plain-Python functions here (a page shows a dozen decisions
of a few votes each), so opening one does not import pandas and numpy, a quarter of a second
of a participant's page load; the data-frame summaries import pandas when called.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

LEVELS = range(1, 8)
ADVISE = 5  # from "Advise" upwards the team decides, so guardrails are needed


def level_distribution(votes: pd.DataFrame) -> pd.DataFrame:
    """Counts of each level (1-7) per decision. ``votes``: columns ``decision``, ``level``.

    Returns one row per decision (in first-seen order) and one column per level, zeros
    included, so a chart shows the gaps in the spread as well as the peaks.
    """
    decisions = list(dict.fromkeys(votes["decision"]))
    counts = (votes.groupby(["decision", "level"]).size().unstack(fill_value=0)
              .reindex(index=decisions, columns=list(LEVELS), fill_value=0))
    counts.columns.name = "level"
    return counts


def consensus(levels: Iterable[int]) -> float:
    """Share of votes within one level of the median: 1.0 when everyone is close together.

    An empty set of votes has no consensus (NaN), not a perfect one.
    """
    values = [float(v) for v in levels]
    if not values:
        return math.nan
    med = statistics.median(values)
    return sum(abs(v - med) <= 1.0 for v in values) / len(values)


def summarise(votes: pd.DataFrame) -> pd.DataFrame:
    """Per decision: answers, median, lowest, highest, consensus (see :func:`consensus`)."""
    import pandas as pd

    rows = []
    for decision, group in votes.groupby("decision", sort=False):
        lv = group["level"].astype(int)
        rows.append({"decision": decision, "answers": len(lv), "median": float(lv.median()),
                     "lowest": int(lv.min()), "highest": int(lv.max()),
                     "consensus": consensus(lv)})
    return pd.DataFrame(rows, columns=["decision", "answers", "median", "lowest", "highest",
                                       "consensus"])


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

    def named(level: int) -> list[str]:
        if low == high:
            return []
        return sorted(n for lv, n in votes if lv == level and isinstance(n, str) and n)

    return Spread(len(levels), float(statistics.median(levels)), low, high, named(low),
                  named(high), consensus(levels))


def extremes(votes: pd.DataFrame, decision: str) -> tuple[list[str], list[str]]:
    """Who chose the lowest and the highest level for a decision, by the ``name`` column.

    Unnamed votes (people who did not agree to be named) are never listed; the caller shows
    "someone" for them. Both lists are empty when everyone chose the same level.
    """
    d = votes[votes["decision"] == decision]
    found = spread(zip(d["level"], d["name"].where(d["name"].notna(), None), strict=True))
    return ([], []) if found is None else (found.low_names, found.high_names)


def cede_gaps(today: Mapping, agreed: Mapping) -> dict:
    """Agreed level minus today's level, for every decision with both (in ``agreed``'s
    order); positive means the decision moves towards the front line."""
    keys = [k for k in agreed if k in today and today[k] == today[k]]  # skip NaN
    return {k: float(agreed[k]) - float(today[k]) for k in keys}


def board_sentence(gaps: Mapping) -> str:
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


def guardrail_gaps(agreed: Mapping[str, int], owners: Mapping[str, str],
                   guardrails: Mapping[str, Mapping[str, str]]) -> dict[str, list[str]]:
    """What is missing per decision: an accountable owner always; for decisions agreed at
    Advise (5) or beyond, each guardrail (money, risk and scope, reporting, review date).
    Decisions with nothing missing are left out."""
    missing: dict[str, list[str]] = {}
    for decision, level in agreed.items():
        gaps = [] if (owners.get(decision) or "").strip() else ["owner"]
        if level >= ADVISE:
            g = guardrails.get(decision, {})
            gaps += [f for f in GUARDRAIL_FIELDS if not str(g.get(f) or "").strip()]
        if gaps:
            missing[decision] = gaps
    return missing


def completeness(agreed: Mapping[str, int], owners: Mapping[str, str],
                 guardrails: Mapping[str, Mapping[str, str]]) -> float:
    """Share of required items (owners and guardrails) that are filled in; 1.0 when done."""
    needed = sum(1 + (len(GUARDRAIL_FIELDS) if lvl >= ADVISE else 0) for lvl in agreed.values())
    if needed == 0:
        return 1.0
    gone = sum(len(v) for v in guardrail_gaps(agreed, owners, guardrails).values())
    return (needed - gone) / needed
