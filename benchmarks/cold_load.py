"""Cold load: time until each workshop app's first control is usable, against a one-cell
notebook on the same server and settings (a demonstration session fills every step).

Each load opens a new browser context (no cache) and waits until the labelled control is
visible and enabled, then closes the page as a person closing the tab would (its kernel
shut down before the next load). Pages are loaded in turn (start, baseline, start, ...)
on one server so both see the same machine load; medians and their ratio are printed.

    .venv/bin/python benchmarks/cold_load.py [--runs 5] [--in-place]

``--in-place`` also loads, in the same rounds, a copy of each module page whose cell builds
the page before it ends (as before ``widgets/ui/shell/opening.py``), to measure that change side
by side.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from _voila import CHROMIUM_ARGS, close_page, kernels, server, wait_for_pool
from playwright.sync_api import sync_playwright

from widgets.server.cli import WORKSHOPS

# page -> (who opens it, the control that shows it is usable)
PAGES = {
    "00_start.ipynb": ("", ("label", "Session code")),
    "00_readiness.ipynb": ("p", ("text", "The group's readiness profile")),
    "01_focus.ipynb": ("p", ("label", "Sort the table by")),
    # Each owner box is named for its decision ("Accountable owner (a role) for AREA:
    # DECISION"), so the first such box, by the start of its name.
    "02_cede.ipynb": ("p", ("label-start", "Accountable owner (a role) for ")),
    "03_prototype.ipynb": ("p", ("label", "Prototype to work on")),
    "facilitator.ipynb": ("key", ("label", "New session title")),
    "room.ipynb": ("room", ("text", "Join at")),
    "baseline.ipynb": ("", ("label", "Baseline")),
}
# Parts a page fills in once the browser has it (``opening.when_shown``): how long until
# they are there too, so the time to interactive is never the whole story.
LATER = {
    "01_focus.ipynb": ("text", "Ranking (score out of 100) and robustness"),
    "facilitator.ipynb": ("label", "Measure"),  # the Prototype tools, last on the console
}


IN_PLACE = "import widgets.ui.pages\nwidgets.ui.pages.open_page = lambda build, *_: build()\n"


def built_in_place(name: str) -> dict:
    """A copy of the notebook ``name`` whose page is built inside its cell."""
    notebook = json.loads((WORKSHOPS / name).read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["source"] = IN_PLACE + "".join(cell["source"])
    return notebook


def control(page, how):
    kind, name = how
    if kind == "label":
        return page.get_by_label(name, exact=True).first
    if kind == "label-start":
        return page.get_by_label(name).first
    if kind == "role":
        return page.get_by_role("button", name=name, exact=True).first
    return page.get_by_text(name).first


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", nargs="*", help="apps to load (the baseline always is)")
    ap.add_argument("--in-place", action="store_true",
                    help="also load each module page as a copy built inside its cell")
    ap.add_argument("--preheat", type=int, default=0,
                    help="kernels kept waiting per notebook, as `conductor serve --preheat`; "
                         "the pool is refilled before every load")
    args = ap.parse_args()
    if args.only:
        for name in list(PAGES):
            if name not in args.only and name != "baseline.ipynb":
                del PAGES[name]
    copies = {}
    if args.in_place:
        for name in [n for n in PAGES if n.startswith("0")]:
            copies["in_place_" + name] = built_in_place(name)
            PAGES["in_place_" + name] = PAGES[name]
    times: dict[str, list[float]] = {p: [] for p in PAGES}
    whole: dict[str, list[float]] = {p: [] for p in PAGES if p in LATER}
    with server(with_proc=True, preheat=args.preheat, notebooks=copies) as (
            base, key, store, proc), sync_playwright() as pw:
        from widgets.server.demo import seed_demo
        from widgets.session import join

        session = seed_demo(store, key, title="Benchmark")  # every step filled
        _, token = join(store, session.code, "Bench")
        query = {"p": f"?p={token}", "key": f"?key={key}", "room": f"?room={session.room_token}",
                 "": ""}
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(args.runs + 1):  # the first round warms the disk cache; dropped
            for page_name, (who, how) in PAGES.items():
                if args.preheat:
                    # every notebook on the server: the workshop's, the baseline, any copies
                    wait_for_pool(proc, args.preheat * (8 + len(copies)))
                before = kernels(proc)
                ctx = browser.new_context()
                page = ctx.new_page()
                t0 = time.perf_counter()
                page.goto(f"{base}voila/render/{page_name}{query[who]}")
                ready = control(page, how)
                ready.wait_for(state="visible", timeout=120_000)
                assert how[0] == "text" or ready.is_enabled()
                times[page_name].append(time.perf_counter() - t0)
                if page_name in LATER:
                    control(page, LATER[page_name]).wait_for(state="visible", timeout=120_000)
                    whole[page_name].append(time.perf_counter() - t0)
                close_page(page, proc, before)
                time.sleep(0.5)
        browser.close()
    for name in times:
        times[name] = times[name][1:]
    for name in whole:
        whole[name] = whole[name][1:]
    base = times["baseline.ipynb"]
    base_t = statistics.median(base)
    print(f"runs: {args.runs} cold loads each, interleaved, one server"
          + (f", {args.preheat} preheated kernel(s) per notebook" if args.preheat else ""))
    print("ratio to baseline: of the medians; paired: the median of each round's ratio (an "
          "app against the baseline loaded in the same round, steadier when load drifts)")
    for name, ts in times.items():
        paired = statistics.median(t / b for t, b in zip(ts, base, strict=True))
        print(f"{name:28s} median {statistics.median(ts):.2f} s  "
              f"(min {min(ts):.2f}, max {max(ts):.2f})  "
              f"ratio to baseline {statistics.median(ts) / base_t:.2f}  paired {paired:.2f}")
    for name, ts in whole.items():
        print(f"{name:28s} whole page (with {LATER[name][1]!r}): median "
              f"{statistics.median(ts):.2f} s (min {min(ts):.2f}, max {max(ts):.2f})")


if __name__ == "__main__":
    main()
