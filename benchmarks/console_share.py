"""The console's share of a busy machine: how much of one core a facilitator's kernel gets
beside N busy participants' kernels, each started in a session of its own as jupyter_client
starts a page's kernel, with the participants giving way (``widgets/server/priority.py``) or
not. Side by side in one run, medians of ``--repeat``:

- ``none``: participants at the console's priority (``CONDUCTOR_PARTICIPANT_NICENESS=0``);
- ``threads``: only their threads' nice lowered (the kit's first try: where Linux groups
  processes by session, autogroup, it changed nothing);
- ``group``: the kit now (threads and the session group's nice).

    cd benchmarks && ../.venv/bin/python console_share.py [--busy 8] [--repeat 3]

A join storm is the real thing (``join_storm.py --niceness 0 10``); this isolates the CPU
share in a few seconds, with nothing else but busy loops.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BUSY = """
import sys, time
from widgets.server import priority
variant = sys.argv[1]
if variant == "threads":
    priority._lower_group = lambda want: None
if variant != "none":
    priority.give_way("readiness")
end = time.time() + float(sys.argv[2])
while time.time() < end:
    pass
"""

CONSOLE = """
import time
time.sleep(2)
t0, c0 = time.time(), time.process_time()
while time.time() - t0 < 6:
    pass
print(100 * (time.process_time() - c0) / (time.time() - t0))
"""


def share(variant: str, busy: int) -> float:
    """% of one core the console process got while ``busy`` participants spun."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CONDUCTOR_PARTICIPANT_NICENESS", None)
    spinning = [subprocess.Popen([sys.executable, "-c", BUSY, variant, "10"], env=env,
                                 start_new_session=True) for _ in range(busy)]
    try:
        out = subprocess.run([sys.executable, "-c", CONSOLE], start_new_session=True,
                             capture_output=True, text=True, check=True, timeout=60).stdout
    finally:
        for p in spinning:
            p.wait()
    return float(out.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--busy", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    group = Path("/proc/sys/kernel/sched_autogroup_enabled")
    auto = group.read_text().strip() if group.exists() else "absent"
    print(f"{platform.node()}, {os.cpu_count()} cores, Linux autogroup: {auto}; "
          f"{time.strftime('%d %b %Y %H:%M %Z')}; {args.busy} busy participants", flush=True)
    variants = ("none", "threads", "group")
    got: dict[str, list[float]] = {v: [] for v in variants}
    for _ in range(args.repeat):  # interleaved: a slower minute falls on every variant
        for v in variants:
            got[v].append(share(v, args.busy))
    base = statistics.median(got["none"])
    for v in variants:
        m = statistics.median(got[v])
        print(f"{v:8s} console: {m:5.1f}% of one core (median of {args.repeat}; "
              f"{m / max(base, 1e-9):4.2f} x none)", flush=True)


if __name__ == "__main__":
    main()
