"""Load: 100 participants join one session and answer a whole module (the readiness check,
14 ratings each) within a minute: most as store clients (threads writing through the same
store code the pages use), some as real Chromium pages clicking the real buttons. Checks
that no answer is lost or duplicated, times how long the facilitator's console takes to
show every answer after the last one, and prints store write latencies.

    .venv/bin/python benchmarks/load.py [--participants 100] [--pages 20]

The test suite runs a short form (100 participants, 5 pages) that fails only on a lost or
duplicated answer: tests/e2e/test_load.py.
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field

from widgets.content import READINESS

ITEMS = [q.id for q in READINESS]


@dataclass
class Result:
    participants: int
    pages: int
    expected: dict = field(default_factory=dict)  # (participant id, item) -> last value sent
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    lost: int = 0
    duplicated: int = 0
    wrong: int = 0
    console_seconds: float | None = None
    writes: int = 0  # answers sent and acknowledged (a store call returned, a click saved)
    join_seconds: float = 0.0  # opening the browser pages, one after another

    def report(self) -> str:
        lat = sorted(self.latencies_ms)
        p95 = lat[int(0.95 * (len(lat) - 1))] if lat else float("nan")
        console = ("not measured" if self.console_seconds is None
                   else f"{self.console_seconds:.2f} s")
        return (f"{self.participants} participants ({self.pages} in Chromium, the rest store "
                f"clients); the {self.pages} pages opened in {self.join_seconds:.1f} s (one "
                f"after another); then {len(self.expected)} answers in {self.seconds:.1f} s\n"
                f"lost {self.lost}, duplicated {self.duplicated}, wrong value {self.wrong}, "
                f"errors {len(self.errors)}\n"
                f"store write latency: median {statistics.median(lat):.1f} ms, "
                f"p95 {p95:.1f} ms, max {lat[-1]:.1f} ms ({len(lat)} writes)\n"
                f"console showed every answer {console} after the last one")


def _client(store, session_id, person, rng, out: Result, lock) -> None:
    for item in rng.sample(ITEMS, len(ITEMS)):
        value = rng.randint(1, 5)
        t = time.perf_counter()
        try:
            store.submit(session_id, person.id, "readiness", item, value, uuid.uuid4().hex)
        except Exception as err:
            with lock:
                out.errors.append(repr(err))
            continue
        with lock:
            out.latencies_ms.append((time.perf_counter() - t) * 1000)
            out.expected[(person.id, item)] = value
            out.writes += 1
        time.sleep(rng.uniform(0.5, 3.0))  # people take a moment to read each statement


def run(base: str, store, key: str, participants: int = 100, pages: int = 20,
        browser=None, console_page=None) -> Result:
    """Run the load against a served session; ``browser`` is a Playwright browser for the
    page participants (None: store clients only)."""
    from widgets.session import join

    session = store.create_session("Load", key)
    store.move_stage(session.id, "readiness", "open", key)
    out = Result(participants, pages if browser else 0)
    people = [join(store, session.code, f"Person {i}")[0:2] for i in range(participants)]
    lock = threading.Lock()
    console = None
    if console_page is not None:
        console = console_page
        console.goto(f"{base}voila/render/facilitator.ipynb?key={key}")
        label = f"{session.code} · Load · {session.created_at:%d %b %Y}"
        console.get_by_label("Session", exact=True).select_option(label=label)
        console.get_by_role("heading", name="Load").wait_for(timeout=120_000)
    browsers = people[: out.pages]
    clients = people[out.pages:]
    t_join = time.perf_counter()
    pages = _open_pages(base, browser, browsers) if browser is not None and browsers else []
    out.join_seconds = time.perf_counter() - t_join
    t0 = time.perf_counter()
    threads = [threading.Thread(target=_client, args=(store, session.id, p, random.Random(i),
                                                      out, lock))
               for i, (p, _tok) in enumerate(clients)]
    for t in threads:
        t.start()
    if pages:
        _answer_pages(pages, out, lock)
    for t in threads:
        t.join()
    last_write = time.perf_counter()
    out.seconds = last_write - t0
    if console is not None:
        answered = len({pid for pid, _ in out.expected})
        console.locator(".cd-stage-readiness").get_by_text(
            f"{answered} of {participants} answered").wait_for(timeout=60_000)
        out.console_seconds = time.perf_counter() - last_write
    _check(store, session.id, out)
    return out


def _open_pages(base, browser, people) -> list:
    """Real pages: each person opens the check (one after another: one test driver)."""
    pages = []
    for person, token in people:
        ctx = browser.new_context(viewport={"width": 375, "height": 667})
        ctx.set_default_timeout(120_000)
        page = ctx.new_page()
        page.goto(f"{base}voila/render/00_readiness.ipynb?p={token}")
        page.get_by_text(READINESS[0].text).wait_for()
        pages.append((person, page))
    return pages


def _answer_pages(pages, out: Result, lock) -> None:
    """Each page clicks a rating for every statement, the pages taking turns."""
    rng = random.Random(99)
    for i, item in enumerate(ITEMS):
        for person, page in pages:
            value = rng.randint(1, 5)
            row = page.locator(".cd-rating").nth(i)
            row.get_by_role("button", name=str(value), exact=True).click()
            with lock:
                out.expected[(person.id, item)] = value
                out.writes += 1
    for _person, page in pages:  # every click saved (the last status names the last item)
        page.get_by_text(f"Saved your rating for “{READINESS[-1].short}”").wait_for()
        page.context.close()


def _check(store, session_id: int, out: Result) -> None:
    """Every answer sent is stored once, with its last value; nothing else is stored."""
    latest = {(a.participant_id, a.item): a.value
              for a in store.latest_answers(session_id, "readiness", 1)}
    rows = store.count_submissions(session_id)
    missing = sum(1 for k in out.expected if k not in latest)
    out.lost = missing + max(0, out.writes - rows - missing)
    out.duplicated = max(0, rows - out.writes)
    out.wrong = sum(1 for k, v in out.expected.items() if latest.get(k, v) != v)


def main() -> None:
    from _voila import CHROMIUM_ARGS, server
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser()
    ap.add_argument("--participants", type=int, default=100)
    ap.add_argument("--pages", type=int, default=20)
    args = ap.parse_args()
    with server(max_kernels=200) as (base, key, store), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        console = browser.new_context().new_page()
        result = run(base, store, key, args.participants, args.pages, browser, console)
        browser.close()
    print(result.report())


if __name__ == "__main__":
    main()
