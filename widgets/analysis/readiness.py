"""The board readiness profile: where the group agrees, and where it does not.

Why median and interquartile range: a board of eight should not have one enthusiast or
one sceptic move the picture; the median is the middle view, and the spread between the
quartiles says how far apart the middle half of the room is. The widest spreads are the
conversations worth having.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

PROFILE_COLUMNS = ["item", "answers", "median", "q1", "q3", "spread", "lowest", "highest"]


def readiness_profile(answers: pd.DataFrame, items: Sequence[str]) -> pd.DataFrame:
    """One row per item, in ``items`` order: how many answered, median, quartiles, spread.

    ``answers`` has columns ``participant``, ``item`` and ``score`` (1-5; missing for
    "don't know", which is left out rather than counted as zero).
    """
    rows = []
    scores = answers.dropna(subset=["score"]) if len(answers) else answers
    for item in items:
        vals = (scores.loc[scores["item"] == item, "score"].astype(float).to_numpy()
                if len(scores) else np.array([]))
        if len(vals) == 0:
            rows.append({"item": item, "answers": 0, "median": np.nan, "q1": np.nan,
                         "q3": np.nan, "spread": np.nan, "lowest": np.nan, "highest": np.nan})
            continue
        q1, med, q3 = np.percentile(vals, [25, 50, 75])
        rows.append({"item": item, "answers": len(vals), "median": float(med), "q1": float(q1),
                     "q3": float(q3), "spread": float(q3 - q1), "lowest": float(vals.min()),
                     "highest": float(vals.max())})
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)


def disagreements(profile: pd.DataFrame, k: int = 3) -> list[str]:
    """The ``k`` items where the group is furthest apart, widest first.

    Ordered by interquartile spread, then by full range, then by the item's place in the
    list, so the same answers always give the same prompts. Items with fewer than two
    answers cannot show disagreement and are left out, as are items where all agree.
    """
    p = profile.reset_index(drop=True).copy()
    p["order"] = range(len(p))
    p["range"] = p["highest"] - p["lowest"]
    p = p[(p["answers"] >= 2) & (p["range"] > 0)]
    p = p.sort_values(["spread", "range", "order"], ascending=[False, False, True])
    return list(p["item"].head(k))


def profile_sentence(profile: pd.DataFrame, labels: Mapping[str, str],
                     solo: bool = False) -> str:
    """One sentence, computed from the data, that says what the profile chart shows.

    ``solo``: the ratings are one leader's own (a self-guided session), so the sentence
    speaks to them, and says nothing of spread: one person's answers have none.
    """
    rated = profile.dropna(subset=["median"])
    if rated.empty:
        return "No ratings have been given yet."
    if solo:
        return _solo_sentence(rated, labels)
    people = int(rated["answers"].max())
    top = rated.sort_values(["median", "spread"], ascending=[False, True]).iloc[0]
    low = rated.sort_values(["median", "spread"], ascending=[True, True]).iloc[0]
    apart = disagreements(profile, k=1)
    text = (f"Across {people} {'person' if people == 1 else 'people'}, the group rates itself "
            f"highest on “{labels[top['item']]}” (median {top['median']:g} of 5) and lowest on "
            f"“{labels[low['item']]}” (median {low['median']:g} of 5)")
    if apart:
        row = rated.set_index("item").loc[apart[0]]
        text += (f"; it is furthest apart on “{labels[apart[0]]}” (answers from "
                 f"{row['lowest']:g} to {row['highest']:g})")
    return text + "."


def _solo_sentence(rated: pd.DataFrame, labels: Mapping[str, str]) -> str:
    """One leader's own ratings: "You rate yourself highest on ... (4 of 5) and lowest on
    ... (2 of 5)"."""
    top = rated.sort_values("median", ascending=False, kind="stable").iloc[0]
    low = rated.sort_values("median", ascending=True, kind="stable").iloc[0]
    if top["median"] == low["median"]:
        return (f"You rate yourself {top['median']:g} of 5 on every statement you rated "
                f"({len(rated)} of {len(labels)}).")
    return (f"You rate yourself highest on “{labels[top['item']]}” ({top['median']:g} of 5) "
            f"and lowest on “{labels[low['item']]}” ({low['median']:g} of 5).")
