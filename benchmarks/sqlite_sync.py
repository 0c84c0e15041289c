"""What SQLite's ``synchronous=FULL`` costs a room, against ``NORMAL``, side by side.

In WAL mode, NORMAL syncs the log to disk only at checkpoints, so an answer the page showed
as "Saved" can be lost if the laptop loses power (or its disk cache is not flushed) a moment
later; FULL syncs the log at every commit. The question is whether that sync is felt.

A room answering at once: ``--people`` processes (each one a participant's kernel, with its
own store on the same file) start together and each saves ``--answers`` answers as fast as
the store allows, through ``Store.submit`` as a page does. Rounds alternate NORMAL and FULL
on a fresh file each time, on the same disk as the kit's data folder (or ``--folder``). It
prints, per setting, the median and 95th percentile of one answer's save and the median
time for the whole room's burst, and the ratio FULL / NORMAL; then one person alone.

    .venv/bin/python benchmarks/sqlite_sync.py [--rounds 7] [--people 20] [--answers 20]
        [--folder DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from widgets import keys
from widgets.session import join
from widgets.store import Store, engine

MODES = ("NORMAL", "FULL")


def seed(url: str, people: int) -> tuple[int, list[int]]:
    store = Store(url)
    key = keys.new_secret()
    store.set_setting("facilitator_key_hash", keys.hash_secret(key))
    session = store.create_session("Sync benchmark", key)
    ids = [join(store, session.code, f"P{i}")[0].id for i in range(people)]
    store.move_stage(session.id, "readiness", "open", key)
    store.dispose()
    return session.id, ids


def participant(url, mode, session_id, person, answers, start, out):
    engine.SQLITE_SYNCHRONOUS = mode
    store = Store(url)
    start.wait()
    took = []
    for i in range(answers):
        t0 = time.perf_counter()
        store.submit(session_id, person, "readiness", f"q{i}", i % 5 + 1, f"{person}-{i}")
        took.append(time.perf_counter() - t0)
    store.dispose()
    out.put(took)


def room(folder: Path, mode: str, people: int, answers: int) -> tuple[list[float], float]:
    """One burst: every answer's save time, and the wall time until the last is saved."""
    path = folder / f"{mode}-{time.monotonic_ns()}.sqlite"
    url = f"sqlite:///{path}"
    sid, ids = seed(url, people)
    ctx = mp.get_context("fork")
    start, out = ctx.Barrier(people + 1), ctx.Queue()
    procs = [ctx.Process(target=participant, args=(url, mode, sid, p, answers, start, out))
             for p in ids]
    for p in procs:
        p.start()
    start.wait()
    t0 = time.perf_counter()
    took = [x for _ in procs for x in out.get()]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join()
    store = Store(url)
    saved = len(store.latest_answers(sid, "readiness", 1))
    store.dispose()
    if saved != people * answers:
        raise SystemExit(f"{mode}: {saved} answers saved of {people * answers}")
    for f in folder.glob(path.name + "*"):
        f.unlink()
    return took, wall


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1]


def machine(folder: Path) -> str:
    mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
    mount = max((m for m in mounts if str(folder).startswith(m[1])), key=lambda m: len(m[1]))
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.node()}: {platform.platform()}, {os.cpu_count()} cores, "
            f"{memory:.0f} GB; {folder} on {mount[0]} ({mount[2]}); SQLite "
            f"{sqlite3.sqlite_version}, Python {platform.python_version()}")


def main() -> None:
    from widgets.paths import data_dir

    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--people", type=int, default=20)
    ap.add_argument("--answers", type=int, default=20)
    ap.add_argument("--folder", type=Path, default=None)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sync-bench-", dir=args.folder or data_dir()))
    try:
        print(machine(folder))
        print(f"{args.rounds} rounds, NORMAL and FULL alternating; each round {args.people} "
              f"people x {args.answers} answers at once, then 1 person x 100 answers\n")
        each = {m: [] for m in MODES}
        walls = {m: [] for m in MODES}
        alone = {m: [] for m in MODES}
        for r in range(args.rounds):
            for mode in (MODES if r % 2 == 0 else MODES[::-1]):
                took, wall = room(folder, mode, args.people, args.answers)
                each[mode] += took
                walls[mode].append(wall)
                alone[mode] += room(folder, mode, 1, 100)[0]
        print("setting | one answer saved: median | p95 | room's burst: median "
              "| one person alone: median")
        for mode in MODES:
            print(f"{mode:7} | {statistics.median(each[mode]) * 1000:7.1f} ms | "
                  f"{p95(each[mode]) * 1000:6.1f} ms | {statistics.median(walls[mode]):6.2f} s"
                  f" | {statistics.median(alone[mode]) * 1000:6.2f} ms")
        ratio = {k: statistics.median(v["FULL"]) / statistics.median(v["NORMAL"])
                 for k, v in (("answer", each), ("burst", walls), ("alone", alone))}
        print(f"FULL / NORMAL: one answer {ratio['answer']:.2f}, room's burst "
              f"{ratio['burst']:.2f}, one person alone {ratio['alone']:.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
