"""Join storm: a room of N people opens the start page within T seconds, joins, goes to the
readiness check and answers all of it, the facilitator's console open throughout.

Every person is a real page: a simulated participant (tests/e2e/participant.py) speaks to
Voila as a browser does (the page request, the kernel's websocket, the widgets' snapshot,
typing and clicks as widget messages), so each has a kernel of its own on the server, as a
phone would. Per N it prints, side by side in one run:

- ``cold``: the storm on a plain ``conductor serve`` (every page starts its kernel);
- ``preheat``: the same storm with the start and readiness pages' kernels started before
  the room arrives (``conductor serve --expect N``: a pool of N on each, warm and quiet first);
- ``floor``: the storm with a one-cell ipywidgets notebook in place of the start page (the
  floor Voila itself sets; these people are joined through the store and go on to the
  readiness check as the others do).

For each: time from request to a usable page (the snapshot of the page's widgets in hand,
its first control there), median, p95 and max, for the first page and for the readiness
check; failures of any kind; answers lost or duplicated (checked against the store: must
be 0); the console's lag behind the answers (when it showed k people answered, after the
k-th person's first answer was saved); the server's CPU (Voila and every kernel, as a share
of the machine's cores) and the total PSS of its kernels at the peak. One cold start page on
the idle server is timed first, so the storm's p95 is also given as a ratio to it.

    cd benchmarks && ../.venv/bin/python join_storm.py [--n 20 40 80] [--within 10]
        [--modes cold preheat floor] [--idle-runs 5] [--niceness 0 10]

``--niceness`` runs each storm once for each niceness participants' kernels take
(``CONDUCTOR_PARTICIPANT_NICENESS``; 0: as high as the console's), the mode then named
``preheat/10``; without it, the kit's own (``widgets.server.priority``).

The test suite runs a short form (15 people within 5 s, cold) that fails only on a failure,
a lost or a duplicated answer: tests/e2e/test_join_storm.py. Times are never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the simulator lives beside the protocol client, in tests/e2e
    sys.path.insert(0, str(ROOT))

from tests.e2e.participant import BASELINE, Participant  # noqa: E402
from tests.e2e.protocol import PageClient  # noqa: E402
from widgets.content import READINESS  # noqa: E402
from widgets.server.cli import expect_needs  # noqa: E402
from widgets.server.kernels import is_kernel  # noqa: E402

ITEMS = [q.id for q in READINESS]
# The first page's steps (PageClient.phases): the page's HTML in hand, its kernel's
# websocket open, the widgets' snapshot in hand.
PHASES = ("html", "websocket", "snapshot")
ANSWERED = re.compile(r"(\d+) of (\d+) answered")


def _pct(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank, as the other benchmarks print p95)."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))] if s else float("nan")


@dataclass
class Storm:
    mode: str
    n: int
    within: float
    first: list[float] = field(default_factory=list)  # s from request to usable first page
    phases: dict[str, list[float]] = field(default_factory=dict)  # first page, step by step
    readiness: list[float] = field(default_factory=list)  # s from following the link
    failures: list[str] = field(default_factory=list)
    answers: int = 0  # answers saved (each acknowledged on its page)
    lost: int = 0
    duplicated: int = 0
    wrong: int = 0
    console_lag: list[float] = field(default_factory=list)  # per count of people answered
    console_last: float | None = None  # lag after the last person's first answer
    seconds: float = 0.0  # first request to the last answer saved
    cpu_mean: float = 0.0  # server CPU over the storm, % of all cores
    cpu_peak: float = 0.0  # the busiest second
    voila_mean: float = 0.0  # the Voila process alone, % of one core (one thread renders)
    pss_peak: float = 0.0  # MB, all kernels together
    kernels_peak: int = 0
    connections_peak: int | None = None  # PostgreSQL (--postgres): the kit's, at the peak
    driver_cpu: float = 0.0  # the simulator's own CPU over the storm, % of all cores
    console_cpu: float = 0.0  # the console's kernel over the storm, % of one core
    idle_start: float | None = None  # one cold start page on the idle server (median)
    load: tuple[float, float] = (0.0, 0.0)  # the machine's 1-minute load average, before/after

    def where(self) -> str:
        """Where the first page's time went: each step's own seconds (median / p95)."""
        parts, before = [], None
        for step in PHASES:
            own = self.phases.get(step, [])
            if before is not None:
                own = [b - a for a, b in zip(self.phases[before], own, strict=False)]
            before = step
            if own:
                parts.append(f"{step} {statistics.median(own):.2f} / {_pct(own, 0.95):.2f}")
        return (f"   first page, each step's own seconds (median / p95): {'; '.join(parts)}"
                if parts else "")

    def row(self) -> str:
        def stats(v):
            if not v:
                return "    -       -       -  "
            return f"{statistics.median(v):6.2f} {_pct(v, 0.95):6.2f} {max(v):6.2f}"

        ratio = (f"{_pct(self.first, 0.95) / self.idle_start:5.2f}"
                 if self.first and self.idle_start else "   - ")
        lag = (f"{statistics.median(self.console_lag):5.2f} {max(self.console_lag):5.2f}"
               if self.console_lag else "   -     - ")
        last = f"{self.console_last:5.2f}" if self.console_last is not None else "   - "
        return (f"{self.mode:10s} {self.n:4d} {stats(self.first)} {ratio} "
                f"{stats(self.readiness)} {len(self.failures):4d} {self.answers:6d} "
                f"{self.lost:4d} {self.duplicated:4d} {last} {lag} {self.seconds:6.1f} "
                f"{self.cpu_mean:5.0f} {self.cpu_peak:5.0f} {self.voila_mean:6.0f} "
                f"{self.pss_peak:8.0f} "
                f"{self.kernels_peak:4d} {self.pss_peak / max(1, self.kernels_peak):6.1f} "
                f"{self.driver_cpu:5.0f} {self.console_cpu:8.0f} "
                f"{self.load[0]:5.1f} {self.load[1]:5.1f}")


HEADER = ("mode          N  first page: med    p95    max  p95/idle  readiness: med    p95    "
          "max fail answers lost dup  lag(last) lag(med) lag(max)  secs cpu% peak% voila% "
          "PSS(MB) kern MB/kern sim% console% load: before after")


class Sampler(threading.Thread):
    """Every second: the server's CPU (Voila and all its descendants, each process's own
    time, so a kernel that ends mid-second still counts what it used) and, every other
    second, the PSS of every kernel."""

    def __init__(self, root_pid: int):
        super().__init__(daemon=True)
        import psutil

        self.psutil = psutil
        self.root = psutil.Process(root_pid)
        self.stop = threading.Event()
        self.last: dict[int, float] = {}
        self.cpu: list[float] = []  # % of all cores, per second
        self.voila: list[float] = []  # the Voila process alone (it renders pages), % of a core
        self.pss_peak = 0.0
        self.kernels_peak = 0
        self.cores = psutil.cpu_count() or 1

    def _procs(self):
        try:
            return [self.root, *self.root.children(recursive=True)]
        except self.psutil.NoSuchProcess:
            return []

    def _cpu_now(self) -> tuple[float, float]:
        used, root = 0.0, 0.0
        for p in self._procs():
            try:
                t = p.cpu_times()
            except (self.psutil.NoSuchProcess, self.psutil.AccessDenied):
                continue
            total = t.user + t.system  # a reaped kernel's time would count twice
            step = max(0.0, total - self.last.get(p.pid, 0.0))
            used += step
            if p.pid == self.root.pid:
                root = step
            self.last[p.pid] = total
        return used, root

    def _pss(self) -> None:
        total, count = 0.0, 0
        for p in self._procs()[1:]:
            try:
                if not is_kernel(p.cmdline()):
                    continue
                total += p.memory_full_info().pss / 2**20
                count += 1
            except (self.psutil.NoSuchProcess, self.psutil.AccessDenied,
                    self.psutil.ZombieProcess):
                continue
        if total > self.pss_peak:
            self.pss_peak, self.kernels_peak = total, count

    def run(self) -> None:
        self._cpu_now()
        t = time.perf_counter()
        tick = 0
        while not self.stop.wait(1.0):
            used, root = self._cpu_now()
            now = time.perf_counter()
            self.cpu.append(100 * used / ((now - t) * self.cores))
            self.voila.append(100 * root / (now - t))
            t = now
            if tick % 2 == 0:
                self._pss()
            tick += 1
        self._pss()


def _console(base: str, key: str, code: str) -> PageClient:
    console = PageClient(f"{base}voila/render/facilitator.ipynb?key={key}&session={code}",
                         timeout=180).open()
    console.wait_for(lambda p: _answered(p) is not None, "the console's readiness step")
    return console


def _kernel_process(proc, kernel_id: str):
    """The psutil process of the server's kernel ``kernel_id`` (found by the connection file
    on its command line), or None."""
    import psutil

    if proc is None:
        return None
    for child in psutil.Process(proc.pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if any(f"kernel-{kernel_id}.json" in part for part in child.cmdline()):
                return child
    return None


def _cpu_seconds(process) -> float:
    """User and system seconds ``process`` has used (0 if there is none)."""
    import psutil

    if process is None:
        return 0.0
    try:
        return sum(process.cpu_times()[:2])
    except psutil.Error:  # it ended: the storm's figure says so by being low
        return 0.0


def _answered(console: PageClient) -> int | None:
    counts = [int(m.group(1)) for t in console.texts() for m in ANSWERED.finditer(t)]
    return max(counts) if counts else None


def idle_start(base: str, runs: int) -> float:
    """One cold start page on the idle server, ``runs`` times: the median time to usable
    (once the whole machine is quiet: ``_voila.wait_machine_quiet``)."""
    from _voila import wait_machine_quiet

    waited = wait_machine_quiet()
    print(f"(the machine was quiet after {waited:.0f} s)", flush=True)
    times = []
    for i in range(runs):
        t = time.perf_counter()
        with PageClient(f"{base}voila/render/00_start.ipynb", timeout=120) as page:
            page.find(description="Join", model_name="ButtonModel")
            times.append(time.perf_counter() - t)
            page.shutdown()
        time.sleep(2 if i < runs - 1 else 0)
    return statistics.median(times)


def storm(base: str, store, key: str, n: int, within: float, mode: str = "cold",
          proc=None, seed: int = 7, idle: float | None = None, pg=None) -> Storm:
    """One storm against a running server: a new session with the readiness check open,
    the console open on it, ``n`` people arriving within ``within`` seconds."""
    from widgets.session import join

    session = store.create_session(f"Storm {mode} {n}", key)
    store.move_stage(session.id, "readiness", "open", key)
    out = Storm(mode, n, within, idle_start=idle)
    load_before = os.getloadavg()[0]
    console = _console(base, key, session.code)
    console_kernel = _kernel_process(proc, console.kernel_id)
    console_before = _cpu_seconds(console_kernel)
    seen: dict[int, float] = {}  # people answered -> when the console first showed it
    done = threading.Event()

    def watch():
        while not done.is_set():
            k = _answered(console)
            if k is not None and k not in seen:
                seen[k] = time.perf_counter()
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    sampler = Sampler(proc.pid) if proc is not None else None
    rng = random.Random(seed)
    first = BASELINE if mode == "floor" else "00_start.ipynb"
    people = [Participant(base, session.code, f"Person {i}", seed=seed * 1000 + i,
                          first=first,
                          join_token=lambda i=i: join(store, session.code, f"Person {i}")[1])
              for i in range(n)]
    arrivals = sorted(rng.uniform(0, within) for _ in range(n))
    import psutil

    me = psutil.Process()
    driver_before = sum(me.cpu_times()[:2])
    t0 = time.perf_counter()
    if sampler is not None:
        sampler.start()
    connections = None
    if pg is not None:  # the kit's connections, from pg_stat_activity every 20 ms
        from db_connections import Sampler as ConnectionSampler

        connections = ConnectionSampler(pg, "conductor_storm").__enter__()

    def arrive(person, at):
        time.sleep(max(0.0, t0 + at - time.perf_counter()))
        person.run()

    threads = [threading.Thread(target=arrive, args=(p, a)) for p, a in zip(people, arrivals,
                                                                           strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ends = [p.timings.last_answer for p in people if p.timings.last_answer]
    out.seconds = (max(ends) - t0) if ends else 0.0
    out.driver_cpu = 100 * (sum(me.cpu_times()[:2]) - driver_before) / (
        max(1e-9, time.perf_counter() - t0) * (psutil.cpu_count() or 1))
    out.console_cpu = 100 * (_cpu_seconds(console_kernel) - console_before) / max(
        1e-9, time.perf_counter() - t0)
    # The console: it counts people who have answered; wait until it shows them all.
    firsts = sorted(p.timings.first_answer for p in people if p.timings.first_answer)
    deadline = time.perf_counter() + 60
    while len(firsts) and (max(seen) if seen else 0) < len(firsts) \
            and time.perf_counter() < deadline:
        time.sleep(0.05)
    done.set()
    watcher.join()
    if connections is not None:
        connections.__exit__(None, None, None)
        out.connections_peak = connections.peak
        print(f"PostgreSQL: the kit's connections at the peak {connections.peak} "
              f"(one process at most {connections.peak_per_process}; "
              f"{connections.samples} samples)", flush=True)
    if sampler is not None:
        sampler.stop.set()
        sampler.join()
        out.cpu_mean = statistics.mean(sampler.cpu) if sampler.cpu else 0.0
        out.cpu_peak = max(sampler.cpu, default=0.0)
        out.voila_mean = statistics.mean(sampler.voila) if sampler.voila else 0.0
        out.pss_peak, out.kernels_peak = sampler.pss_peak, sampler.kernels_peak
    for k, at in enumerate(firsts, start=1):
        if k in seen:
            out.console_lag.append(max(0.0, seen[k] - at))
    if firsts:
        shown = seen.get(len(firsts))
        out.console_last = None if shown is None else max(0.0, shown - firsts[-1])
        if shown is None:
            out.failures.append(f"the console never showed {len(firsts)} of {n} answered")
    for p in people:
        if p.timings.first_page is not None:
            out.first.append(p.timings.first_page)
            if all(step in p.timings.first_phases for step in PHASES):
                for step in PHASES:
                    out.phases.setdefault(step, []).append(p.timings.first_phases[step])
        if p.timings.readiness_page is not None and p.timings.joined is not None:
            out.readiness.append(p.timings.readiness_page - p.timings.joined)
        if p.error:
            out.failures.append(f"{p.name}: {p.error}")
    _check(store, session.id, people, out)
    out.load = (load_before, os.getloadavg()[0])
    closing = [threading.Thread(target=p.close) for p in people]  # as a room leaving
    for t in closing:
        t.start()
    for t in closing:
        t.join()
    console.shutdown()
    return out


def _check(store, session_id: int, people: list[Participant], out: Storm) -> None:
    """Every answer saved on a page is in the store once, with its value; nothing else is.
    A person whose page failed part-way is checked for what they saw saved."""
    latest = {(a.participant_id, a.item): a.value
              for a in store.latest_answers(session_id, "readiness", 1)}
    ids = {}
    for person in store.participants(session_id):
        ids[person.display_name] = person.id
    expected = {(ids.get(p.name), item): v for p in people for item, v in p.answers.items()}
    out.answers = len(expected)
    rows = store.count_submissions(session_id)
    out.lost = sum(1 for k in expected if k not in latest)
    out.wrong = sum(1 for k, v in expected.items() if k in latest and latest[k] != v)
    out.duplicated = max(0, rows - len(expected))
    joined = len(ids)
    if joined != sum(1 for p in people if p.token):
        out.failures.append(f"{joined} people in the store, "
                            f"{sum(1 for p in people if p.token)} joined on their pages")


def wait_quiet(proc, kernels_left: int, timeout: float = 120) -> None:
    """Wait until the server is back to ``kernels_left`` kernels and a few seconds idle."""
    from _voila import kernels

    deadline = time.time() + timeout
    while time.time() < deadline and kernels(proc) > kernels_left:
        time.sleep(0.5)
    time.sleep(3)


def end_kernels(proc) -> None:
    """End the server's kernels before the server: a pool sized to a room of 80 holds some
    200, more than the server's own shutdown finishes in the 20 s ``_voila.server`` gives
    it."""
    import psutil

    mine = [c for c in psutil.Process(proc.pid).children(recursive=True)
            if is_kernel(c.cmdline())]
    for kernel in mine:
        with contextlib.suppress(psutil.Error):
            kernel.terminate()
    psutil.wait_procs(mine, timeout=30)


def fill_delay(seconds: float) -> tuple[str, ...]:
    """Voila's pause before it refills a pool (the kit then waits for the room to be quiet:
    ``CappedKernelManager.refill_after_quiet``)."""
    return (f"--VoilaKernelManager.fill_delay={seconds}",)


def machine() -> str:
    import psutil

    return (f"{platform.node()} (Linux {platform.release()}, {psutil.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB), Python "
            f"{platform.python_version()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[20, 40, 80])
    ap.add_argument("--within", type=float, default=10.0, help="seconds the room arrives in")
    ap.add_argument("--modes", nargs="+", default=["cold", "preheat", "floor"],
                    choices=["cold", "preheat", "floor"])
    ap.add_argument("--idle-runs", type=int, default=5)
    ap.add_argument("--fill-delay", type=float, default=1.0,
                    help="seconds before Voila refills a pool after a kernel is taken "
                         "(its default is 1)")
    ap.add_argument("--preheat-extra", type=int, default=0,
                    help="kernels more than N in each pool")
    ap.add_argument("--postgres", type=int, default=0, metavar="MAX_CONNECTIONS",
                    help="store in a throwaway PostgreSQL server of its own with this "
                         "max_connections (benchmarks/db_connections.py starts it), and print "
                         "the kit's connections at the peak; default: SQLite")
    ap.add_argument("--niceness", type=int, nargs="+", default=[],
                    help="run each storm once per niceness of participants' kernels "
                         "(0 to 19; default: the kit's own)")
    ap.add_argument("--max-kernels", type=int, default=0,
                    help="the server's kernel cap (default 2N+20, never reached)")
    args = ap.parse_args()
    with contextlib.ExitStack() as stack:
        pg = database = None
        if args.postgres:
            from db_connections import postgres

            pg = stack.enter_context(postgres(args.postgres))
            pg.create_database("conductor_storm")
            database = pg.url("conductor_storm")
        run(args, pg, database)


def run(args, pg, database) -> None:
    print(f"Join storm on {machine()}, {time.strftime('%d %b %Y %H:%M %Z')}; "
          f"people arrive within {args.within:g} s; "
          f"{'PostgreSQL' if pg else 'SQLite'} store, chart service on",
          flush=True)
    results: list[Storm] = []
    for n in args.n:
        # Each niceness of participants' kernels in turn, for the same N (the servers'
        # kernels take it from the environment); or once, with the kit's own.
        for niceness in args.niceness or [None]:
            if niceness is not None:
                os.environ["CONDUCTOR_PARTICIPANT_NICENESS"] = str(niceness)
            try:
                storms(args, pg, database, n, results)
            finally:
                os.environ.pop("CONDUCTOR_PARTICIPANT_NICENESS", None)
            if niceness is not None:
                for r in results:
                    if r.n == n and "/" not in r.mode:
                        r.mode = f"{r.mode}/{niceness}"
    print("\n" + HEADER)
    for r in results:
        print(r.row())
        print(r.where())
    print("\nTimes in seconds. first page: request to a usable page (snapshot in hand, its "
          "first control there; start page, or the one-cell notebook for 'floor'); "
          "p95/idle: that p95 over one cold start page on the idle server; readiness: "
          "following the link to the check being usable; lag: the console showing k people "
          "answered after the k-th person's first saved answer (for the last, the "
          "median over k, and the most); cpu%: server (Voila and kernels) over the storm, "
          "% of all "
          f"{os.cpu_count()} cores, and its busiest second; voila%: the Voila process alone "
          "(it renders every page), % of one core; PSS: all kernels at the peak; "
          "sim%: the simulator's own CPU on the same machine; console%: the console's kernel, "
          "% of one core (near 100: its refreshes are what keeps it behind); load: the "
          "machine's 1-minute load average before and after the storm (other work on a "
          "shared machine shows here).")


def storms(args, pg, database, n: int, results: list) -> None:
    """The storms of one N (each of ``--modes``), added to ``results``."""
    from _voila import server, wait_for_pool

    # the room, its start pages closing, the console: never the cap
    cap = args.max_kernels or 2 * n + 20
    cold_modes = [m for m in args.modes if m != "preheat"]
    if cold_modes:
        with server(with_proc=True, max_kernels=cap, database_url=database or "") as (
                base, key, store, proc):
            idle = idle_start(base, args.idle_runs)
            print(f"N={n}: one cold start page on the idle server: {idle:.2f} s "
                  f"(median of {args.idle_runs})", flush=True)
            for mode in cold_modes:
                wait_quiet(proc, 0)
                r = storm(base, store, key, n, args.within, mode, proc, idle=idle, pg=pg)
                results.append(r)
                print(HEADER + "\n" + r.row() + "\n" + r.where(), flush=True)
                for f in r.failures[:5]:
                    print("   ", f, flush=True)
            end_kernels(proc)
    if "preheat" in args.modes:
        size = n + args.preheat_extra
        with server(with_proc=True, max_kernels=max(expect_needs(size), 2 * size + cap),
                    expect=size, extra=fill_delay(args.fill_delay)) as (
                base, key, store, proc):
            warmed = wait_for_pool(proc, 2 * size, timeout=900)
            print(f"N={n}: pools of {size} on the start and readiness pages warm and "
                  f"quiet after {warmed:.0f} s", flush=True)
            idle = next((r.idle_start for r in results if r.n == n and r.idle_start),
                        None)
            r = storm(base, store, key, n, args.within, "preheat", proc, idle=idle)
            results.append(r)
            print(HEADER + "\n" + r.row() + "\n" + r.where(), flush=True)
            for f in r.failures[:5]:
                print("   ", f, flush=True)
            end_kernels(proc)


if __name__ == "__main__":
    main()
