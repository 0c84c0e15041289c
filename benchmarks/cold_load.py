"""Cold load: time until a page's first control is usable, against a one-cell notebook.

Each load opens a new browser context (no cache) and waits until the labelled control is
visible and enabled. Pages are loaded in turn (start, baseline, start, ...) on one server so
both see the same machine load; medians and their ratio are printed.

    .venv/bin/python benchmarks/cold_load.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _voila import CHROMIUM_ARGS, server
from playwright.sync_api import sync_playwright

# page -> the label of its first control (the moment a person can use it)
PAGES = {
    "00_start.ipynb": "Session code",
    "01_focus.ipynb": "Sort the table by",
    "baseline.ipynb": "Baseline",
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    times: dict[str, list[float]] = {p: [] for p in PAGES}
    with server() as (base, key, store), sync_playwright() as pw:
        from widgets.session import join

        session = store.create_session("Benchmark", key)
        _, token = join(store, session.code, "Bench")
        query = {"01_focus.ipynb": f"?p={token}"}
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(args.runs + 1):  # the first round warms the disk cache; dropped
            for page_name, label in PAGES.items():
                ctx = browser.new_context()
                page = ctx.new_page()
                t0 = time.perf_counter()
                page.goto(f"{base}voila/render/{page_name}{query.get(page_name, '')}")
                control = page.get_by_label(label)
                control.wait_for(state="visible", timeout=60_000)
                assert control.is_enabled()
                times[page_name].append(time.perf_counter() - t0)
                ctx.close()
                time.sleep(0.5)
        browser.close()
    for name in times:
        times[name] = times[name][1:]
    base_t = statistics.median(times["baseline.ipynb"])
    print(f"runs: {args.runs} cold loads each, interleaved, one server")
    for name, ts in times.items():
        print(f"{name:16s} median {statistics.median(ts):.2f} s  "
              f"(min {min(ts):.2f}, max {max(ts):.2f})  "
              f"ratio to baseline {statistics.median(ts) / base_t:.2f}")


if __name__ == "__main__":
    main()
