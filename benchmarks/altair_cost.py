"""altair builds the charts in the drawing process, not in kernels (issue 16, item 3):
what that costs, before and after, side by side in one run.

``--before DIR`` is a checkout of the commit before the change (hand-written Vega-Lite
dictionaries), made with ``git worktree add DIR <commit>``; this tree is "after". Both
are run with this Python, each tree first on ``PYTHONPATH``, in alternate turns
(``--after DIR`` measures another checkout as "after", such as a worktree of the change
itself when this tree holds other work too).

1. What altair costs a fresh process: the kit's page modules alone, with altair
   imported, and with one spec built (altair reads its Vega-Lite schema then).
2. A participant's kernel and the drawing process, per tree: each module page of a
   demonstration session (every step filled and revealed, so every kind of chart shows)
   built in a fresh process as a participant's kernel builds it, with a chart service of
   that tree answering, on an empty chart cache. Printed: the page process's PSS and build
   time (its charts included), whether altair or vl-convert was loaded in it, and the
   drawing process's PSS once every page has drawn.
3. Building each kind of chart's spec with altair (median of many builds), against
   drawing it with vl-convert.
4. With ``--voila``: ``benchmarks/memory.py`` and ``benchmarks/cold_load.py`` (real Voila
   pages in Chromium) run in each tree in turn, their output printed one after the other.

    git worktree add --detach /tmp/conductor-before <the commit before>
    .venv/bin/python benchmarks/altair_cost.py --before /tmp/conductor-before [--repeats 5]
        [--voila [--cold-runs 5]]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("readiness", "focus", "cede", "prototype", "room")
KIT = "import widgets.ui.pages, widgets.charts.draw"
FIELD = """
def field(name):
    for line in open('/proc/self/smaps_rollup'):
        if line.startswith(name + ':'):
            return int(line.split()[1]) / 1024
"""
FRESH = FIELD + """
import json, time
t = time.perf_counter()
{code}
print(json.dumps({{'pss': field('Pss'), 'seconds': time.perf_counter() - t}}))
"""
PAGE = FIELD + """
import json, sys, time
t = time.perf_counter()
from widgets.ui import pages
page = getattr(pages, sys.argv[1] + "_page")()
def texts(w):
    own = [w.value] if isinstance(getattr(w, "value", None), str) else []
    return own + [x for c in getattr(w, "children", ()) for x in texts(c)]
charts = "".join(texts(page)).count("<svg")
print(json.dumps({"pss": field("Pss"), "seconds": time.perf_counter() - t, "charts": charts,
                  "altair": "altair" in sys.modules, "engine": "vl_convert" in sys.modules}))
"""


def run(tree: Path, code: str, *args: str, env: dict | None = None) -> dict:
    full = {**os.environ, **(env or {}), "PYTHONPATH": str(tree)}
    for name in ("SERVER_SOFTWARE", "VOILA_PREHEAT"):
        full.pop(name, None)
    out = subprocess.run([sys.executable, "-c", code, *args], env=full, cwd=tree,
                         capture_output=True, text=True, timeout=600, check=False)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def pss(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_full_info().pss / 2**20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_round(tree: Path, work: Path) -> dict:
    """Every module page built once against a fresh chart service of ``tree``."""
    import psutil

    from widgets import keys
    from widgets.server.demo import seed_demo
    from widgets.session import join
    from widgets.store import Store

    work.mkdir(parents=True)
    db = f"sqlite:///{work / 'store.sqlite'}"
    store = Store(db)
    store.set_setting("facilitator_key_hash", keys.hash_secret("k" * 24))
    session = seed_demo(store, "k" * 24)
    _, token = join(store, session.code, "Bench")
    store.dispose()
    port = free_port()
    service = subprocess.Popen([sys.executable, "-m", "widgets.charts.service", "--port",
                                str(port)], cwd=tree, env={**os.environ,
                                                           "PYTHONPATH": str(tree)})
    try:
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # The drawing process has loaded what it loads at start (before: the engine; after:
        # the engine and altair with its schema) once it is the service's only child and
        # answers; give it that time outside the pages' timings.
        time.sleep(8)
        drawer = psutil.Process(service.pid).children()[0].pid
        idle = pss(drawer)
        out = {"drawing process at start": idle}
        for page in PAGES:
            env = {"CONDUCTOR_DATABASE_URL": db,
                   "CONDUCTOR_CHART_SERVICE": f"http://127.0.0.1:{port}/svg",
                   "CONDUCTOR_CHART_CACHE": str(work / "charts"),
                   "QUERY_STRING": f"room={session.room_token}" if page == "room"
                   else f"p={token}"}
            out[page] = run(tree, PAGE, page, env=env)
        out["drawing process after every page"] = pss(drawer)
        return out
    finally:
        service.kill()
        service.wait()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", type=Path, required=True,
                    help="a checkout of the commit before the change (git worktree add)")
    ap.add_argument("--after", type=Path, default=ROOT,
                    help="a checkout of the change (default: this tree)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--builds", type=int, default=50, help="spec builds per median")
    ap.add_argument("--voila", action="store_true",
                    help="also run memory.py and cold_load.py in each tree")
    ap.add_argument("--cold-runs", type=int, default=5, help="cold_load.py --runs")
    args = ap.parse_args()
    import altair
    import vl_convert

    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    after = trees["after"]
    print(f"Machine: {platform.node()}, {platform.platform()}, {os.cpu_count()} CPUs, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
          f"Python {platform.python_version()}, altair {altair.__version__}, vl-convert "
          f"{vl_convert.__version__}")
    for name, tree in trees.items():
        rev = subprocess.run(["git", "log", "-1", "--format=%h %s"], cwd=tree,
                             capture_output=True, text=True, check=False).stdout.strip()
        print(f"{name}: {tree} at {rev[:90]}")

    print(f"\n1. A fresh process (median of {args.repeats}): PSS MB, seconds")
    cases = {"kit page modules": KIT, "kit + import altair": f"{KIT}; import altair",
             "kit + one spec built with altair":
                 f"{KIT}; from widgets.charts import specs; specs.readiness_profile("
                 "[{'label': 'A', 'lowest': 1, 'highest': 5, 'q1': 2, 'q3': 4, "
                 "'median': 3.0}], 'S')"}
    for name, code in cases.items():
        runs = [run(after, FRESH.format(code=code)) for _ in range(args.repeats)]
        print(f"  {name:36} {statistics.median(r['pss'] for r in runs):7.1f} MB "
              f"{statistics.median(r['seconds'] for r in runs):7.3f} s")

    print(f"\n2. Module pages built as a participant's kernel builds them, chart service on, "
          f"empty chart cache (median of {args.repeats} rounds, trees taking turns)")
    rounds: dict[str, list[dict]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeats):
            for name, tree in trees.items():
                rounds[name].append(one_round(tree, Path(tmp) / f"{name}-{i}"))
    print(f"  {'page':12} {'PSS before':>11} {'PSS after':>10} {'ratio':>6} "
          f"{'time before':>12} {'time after':>11} {'ratio':>6}  charts  altair/engine "
          "loaded (after)")
    for page in PAGES:
        b = [r[page] for r in rounds["before"]]
        a = [r[page] for r in rounds["after"]]
        mb, ma = (statistics.median(x["pss"] for x in xs) for xs in (b, a))
        tb, ta = (statistics.median(x["seconds"] for x in xs) for xs in (b, a))
        print(f"  {page:12} {mb:8.1f} MB {ma:7.1f} MB {ma / mb:6.2f} {tb:10.2f} s "
              f"{ta:9.2f} s {ta / tb:6.2f}  {a[0]['charts']:6d}  "
              f"{any(x['altair'] for x in a)}/{any(x['engine'] for x in a)}")
    for what in ("drawing process at start", "drawing process after every page"):
        mb, ma = (statistics.median(r[what] for r in rounds[n]) for n in ("before", "after"))
        print(f"  {what:33} before {mb:6.1f} MB, after {ma:6.1f} MB ({ma - mb:+.1f} MB)")

    print(f"\n3. One spec built with altair, by kind (median of {args.builds}), against "
          "drawing it")
    sys.path.insert(0, str(after))
    from tests.test_chart_specs import SAMPLES
    from widgets.charts import specs as chart_specs

    for kind, params in SAMPLES.items():
        chart_specs.build(kind, params)  # warm: the schema is read on the first validation
        times = []
        for _ in range(args.builds):
            t = time.perf_counter()
            spec = chart_specs.build(kind, params)
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        vl_convert.vegalite_to_svg(spec)
        drawn = time.perf_counter() - t
        print(f"  {kind:22} build {statistics.median(times) * 1e3:6.1f} ms, "
              f"draw {drawn * 1e3:6.1f} ms")

    if args.voila:
        for script in ("memory.py", f"cold_load.py --runs {args.cold_runs}"):
            for name, tree in trees.items():
                print(f"\n4. benchmarks/{script}, {name} ({tree})", flush=True)
                name_, *rest = script.split()
                subprocess.run([sys.executable, str(tree / "benchmarks" / name_), *rest],
                               cwd=tree / "benchmarks",
                               env={**os.environ, "PYTHONPATH": str(tree)}, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
