"""From a new vote's store write to updated Focus results, at 40 areas and 50 (or, with
--participants 100, the load benchmark's 100) participants.

Seeds a session (its own 40-area data file, all 40 shortlisted, 50 people scoring every
area on four criteria and splitting their 100 points, both rounds revealed), opens a
second scoring round, then repeatedly: writes one vote, reads everything back through the
reveal filter, recomputes ranking, 2 x 10,000-draw robustness and disagreement, and builds
the chart spec. Prints the median and spread.

    .venv/bin/python benchmarks/focus_recompute.py [--repeats 21] [--participants 100]
        [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid

import numpy as np

from widgets import focus, keys
from widgets.care_areas import HUMAN_CRITERIA, SAMPLE
from widgets.html.focus import robustness_chart, robustness_sentence
from widgets.session import View, Viewer, join
from widgets.store import Store


def forty_areas() -> str:
    rows = SAMPLE.read_text().splitlines()
    extra = [line.replace(",", " (north),", 1) for line in rows[1:11]]
    return "\n".join(rows + extra) + "\n"


def seed(store: Store, rng, n_people: int = 50) -> tuple:
    key = keys.new_secret()
    store.set_setting("facilitator_key_hash", keys.hash_secret(key))
    session = store.create_session("Benchmark", key)
    fac = View(store, session, Viewer("facilitator", key=key))
    focus.load_data(fac, forty_areas().encode(), "forty.csv")
    areas = list(focus.care_data(fac).table.areas)
    store.save_shared(session.id, focus.SHORTLIST, "areas", areas, key=key,
                      facilitator_only=True)
    people = [join(store, session.code, f"P{i}")[0] for i in range(n_people)]
    store.move_stage(session.id, focus.SCORE, "open", key)
    store.move_stage(session.id, focus.WEIGHTS, "open", key)
    for p in people:
        for area in areas:
            for c in HUMAN_CRITERIA:
                store.submit(session.id, p.id, focus.SCORE, focus.item_key(area, c.key),
                             int(rng.integers(1, 6)), uuid.uuid4().hex)
        split = rng.multinomial(100, np.ones(9) / 9)
        crit = [*[c for c in focus.CRITERIA]]
        store.submit(session.id, p.id, focus.WEIGHTS, "points",
                     dict(zip(crit, map(int, split), strict=True)), uuid.uuid4().hex)
    for stage in (focus.SCORE, focus.WEIGHTS):
        store.move_stage(session.id, stage, "close", key)
        store.move_stage(session.id, stage, "reveal", key)
    store.move_stage(session.id, focus.SCORE, "new_round", key)
    return session, key, people, areas


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=21)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--participants", type=int, default=50)
    args = ap.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    store = Store(url)
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    session, _key, people, areas = seed(store, rng, args.participants)
    rows = store.count_submissions()
    print(f"seeded 40 areas x {args.participants} people x 4 criteria ({rows:,} rows) "
          f"in {time.perf_counter() - t0:.1f} s")
    room = View(store, store.session(session.id), Viewer("room"))
    times, full = [], []
    for i in range(args.repeats + 1):
        # A vote in the open round: every screen refreshes (results are unchanged, since
        # votes stay hidden until the reveal, and come from the results cache).
        t = time.perf_counter()
        store.submit(session.id, people[i % len(people)].id, focus.SCORE,
                     focus.item_key(areas[i % 40], "leads"), 3, uuid.uuid4().hex)
        room.refresh()
        r = focus.results(room)
        robustness_chart(r, robustness_sentence(r))
        times.append((time.perf_counter() - t) * 1000)
        # A reveal: the whole computation from the stored answers (cache emptied first).
        focus._RESULTS.clear()
        t = time.perf_counter()
        room.refresh()
        r = focus.results(room)
        robustness_chart(r, robustness_sentence(r))
        full.append((time.perf_counter() - t) * 1000)
    times, full = times[1:], full[1:]  # the first includes one-off imports
    print(f"store: {store._safe_url().split(':')[0]}")
    print(f"vote written -> every screen's results (write + read + results + chart spec): "
          f"median {statistics.median(times):.1f} ms (min {min(times):.1f}, max "
          f"{max(times):.1f}, {args.repeats} repeats)")
    print(f"full recompute, as after a reveal (read + ranking + 2 x {focus.DRAWS:,} draws + "
          f"chart spec): median {statistics.median(full):.1f} ms (min {min(full):.1f}, max "
          f"{max(full):.1f})")

if __name__ == "__main__":
    main()
