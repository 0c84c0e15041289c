"""Memory: proportional set size (PSS) of a participant's kernel for each app, after its
first chart and after a reveal. Target: at most 150 MB.

A demonstration session (every step filled) is served; each app is opened by a participant
in a fresh browser context; the page's kernel is found as the one new kernel process. Then
the app's vote step gets a new round, is revealed, and the kernel is measured again once the
page has redrawn.

    .venv/bin/python benchmarks/memory.py
"""

from __future__ import annotations

import time

import psutil
from _voila import CHROMIUM_ARGS, close_page, server
from _voila import kernels as kernel_count
from playwright.sync_api import sync_playwright

from widgets.server.kernels import is_kernel

# app -> (query, text that shows the first chart has been drawn, its vote step)
APPS = {
    "00_start.ipynb": ("", "Session code", None),
    "00_readiness.ipynb": ("p", "The group's readiness profile", "readiness"),
    "01_focus.ipynb": ("p", "The ranking", "focus.score"),
    # A live session scoring its shortlist: the data and the score form, nothing revealed.
    "01_focus.ipynb, scoring": ("live", "Willing, able clinical leads", None),
    # The board's editors (its title is also a section button, hidden on a wide screen).
    "02_cede.ipynb": ("p", "Owners and guardrails", "cede.poker"),
    "03_prototype.ipynb": ("p", "The aim rests on", "prototype.commit"),
    # The board's check-in months later: a past sitting with its rounds revealed and the
    # decisions taken (widgets.server.demo.seed_check_in), from a participant's link.
    "04_check_in.ipynb": ("board", "The portfolio", None),
    "room.ipynb": ("room", "Join at", "readiness"),
    "baseline.ipynb": ("", "Baseline", None),
}


def kernels(root: int) -> dict[int, float]:
    out = {}
    for c in psutil.Process(root).children(recursive=True):
        try:
            if is_kernel(c.cmdline()):
                out[c.pid] = c.memory_full_info().pss / 2**20
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return out


def reveal_new_answers(store, session, key, stage) -> None:
    """A second round with different answers, revealed: the page must recompute and redraw."""
    import random
    import uuid

    rng = random.Random(len(stage))
    old = store.latest_answers(session.id, stage, store.stage(session.id, stage).round)
    store.move_stage(session.id, stage, "new_round", key)
    for a in old:
        value = a.value
        if isinstance(value, int) and not isinstance(value, bool):
            value = max(0 if stage == "prototype.commit" else 1,
                        min(2 if stage == "prototype.commit" else 5 if stage != "cede.poker"
                            else 7, value + rng.choice((-1, 1))))
        store.submit(session.id, a.participant_id, stage, a.item, value, uuid.uuid4().hex)
    store.move_stage(session.id, stage, "close", key)
    store.move_stage(session.id, stage, "reveal", key)


def as_the_console(store, session, key) -> None:
    """Work the Focus ranking out as the facilitator's console does when it is revealed
    (and keep it for every page): a live room has its console open, and a participant's
    page reads the kept ranking rather than work it out (``widgets.focus.works_out_ranking``).
    Without this, the page works it out itself after ``WAIT_FOR_RANKING_SECONDS``."""
    from widgets import focus
    from widgets.session import View, Viewer

    focus.results(View(store, store.session(session.id), Viewer("facilitator", key=key)))


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--no-chart-service", action="store_true",
                    help="let each kernel draw its own charts (the alternative measured)")
    ap.add_argument("--only", nargs="*", help="apps to measure (the baseline always is)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="measure every app this many times (a fresh server each time) and print "
                         "the median of each column after the single figures")
    args = ap.parse_args()
    apps = {k: v for k, v in APPS.items()
            if not args.only or k in args.only or k == "baseline.ipynb"}
    print(f"{'app':24s} {'after first chart':>18s} {'after a reveal':>15s}")
    figures: dict[str, list[tuple[float, float]]] = {}
    for _ in range(args.repeat):  # a fresh server each time, as the first
        measure(apps, not args.no_chart_service, figures)
    if args.repeat > 1:
        import statistics

        print(f"\nmedian of {args.repeat} (the machine: {machine()})")
        for app, runs in figures.items():
            first = statistics.median(f for f, _ in runs)
            after = statistics.median(a for _, a in runs)
            print(f"{app:24s} {first:15.1f} MB {after:12.1f} MB")


def measure(apps: dict, chart_service: bool,
            figures: dict[str, list[tuple[float, float]]]) -> None:
    from widgets.server.demo import seed_check_in, seed_demo
    from widgets.session import join

    with server(with_proc=True, chart_service=chart_service) as (
            base, key, store, proc), sync_playwright() as pw:
        session = seed_demo(store, key, title="Memory")
        _, token = join(store, session.code, "Bench")
        live = store.create_session("Live", key)
        store.move_stage(live.id, "focus.score", "open", key)
        _, live_token = join(store, live.code, "Bench")
        board = seed_demo(store, key, title="Check-in")  # its own: the others stay as they were
        seed_check_in(store, key, board)
        _, board_token = join(store, board.code, "Bench")
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for app, (param, ready, stage) in apps.items():
            before = set(kernels(proc.pid))
            open_before = kernel_count(proc)
            page = browser.new_context().new_page()
            query = {"p": f"?p={token}", "room": f"?room={session.room_token}", "": "",
                     "live": f"?p={live_token}", "board": f"?p={board_token}"}[param]
            page.goto(f"{base}voila/render/{app.split(',')[0]}{query}")
            page.get_by_text(ready).first.wait_for(timeout=120_000)
            time.sleep(3)
            mine = [pid for pid in kernels(proc.pid) if pid not in before]
            first = kernels(proc.pid)[mine[0]]
            after = float("nan")
            if stage:
                reveal_new_answers(store, session, key, stage)
                if stage.startswith("focus."):
                    as_the_console(store, session, key)
                time.sleep(8)  # the poll notices within a second; redraws take a few
                after = kernels(proc.pid)[mine[0]]
            print(f"{app:24s} {first:15.1f} MB {after:12.1f} MB", flush=True)
            figures.setdefault(app, []).append((first, after))
            close_page(page, proc, open_before)  # as a closed tab: its kernel goes
            time.sleep(1)
        browser.close()


def machine() -> str:
    import os
    import platform

    return (f"{platform.node()}, {os.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB, load average "
            f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
