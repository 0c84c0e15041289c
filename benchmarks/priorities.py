"""Focus analysis at workshop scale: 40 areas, 50 participants, 10,000 weight draws.

Times the pure part of a recompute (human-score medians, normalisation, weighting, ranking,
top-N acceptability for uniform and centred weights, disagreement). The store read and chart
spec join this when the Focus screens land.

    .venv/bin/python benchmarks/priorities.py [--repeats 21]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from widgets.analysis.priorities import (
    group_weights,
    human_scores,
    most_disputed,
    normalise,
    rank,
    top_n_acceptability,
    weighted_scores,
)

DATA = ["patients", "cost", "variation", "outcome_gap", "harm"]
HUMAN = ["leads", "energy", "feasible", "purpose"]


def workload(rng):
    areas = [f"area{i:02d}" for i in range(40)]
    data = pd.DataFrame(rng.random((40, len(DATA))) * 1000, index=areas, columns=DATA)
    rows = [(p, a, c, (rng.integers(1, 6) if rng.random() > 0.1 else np.nan))
            for p in range(50) for a in areas for c in HUMAN]
    answers = pd.DataFrame(rows, columns=["participant", "area", "criterion", "score"])
    pts = pd.DataFrame([(p, c, rng.integers(0, 30)) for p in range(50) for c in DATA + HUMAN],
                       columns=["participant", "criterion", "points"])
    return data, answers, pts


def recompute(data, answers, pts):
    human = human_scores(answers)
    table = data.join(human)
    norm = normalise(table, dict.fromkeys(table.columns, 1))
    weights = group_weights(pts, list(table.columns))
    ranking = rank(weighted_scores(norm, weights))
    uniform = top_n_acceptability(norm, 6, draws=10_000, seed=1)
    centred = top_n_acceptability(norm, 6, draws=10_000, seed=1, centre=weights,
                                  concentration=50)
    return ranking, uniform, centred, most_disputed(answers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=21)
    args = ap.parse_args()
    inputs = workload(np.random.default_rng(0))
    recompute(*inputs)  # warm-up
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        recompute(*inputs)
        times.append((time.perf_counter() - t0) * 1000)
    print("40 areas, 50 participants, 9 criteria, 2 x 10,000 draws")
    print(f"analysis median {statistics.median(times):.1f} ms "
          f"(min {min(times):.1f}, max {max(times):.1f}, {args.repeats} repeats)")


if __name__ == "__main__":
    main()
