"""A simulated participant: a real page of the kit, driven without a browser.

Why: a room is forty phones opening the start page within seconds, each page a kernel on
the facilitator's laptop. Chromium costs a few hundred megabytes and a core per page, so one
machine cannot play a room with browsers; this plays each person with the page protocol
client (``protocol.PageClient``): the page's HTTP request, its kernel's websocket, the
snapshot of every widget's state, and ``update`` / ``custom`` messages for typing and
clicks, exactly the messages ``@jupyter-widgets/base`` sends. The server cannot tell it
from a browser; only the drawing is missing.

A person's journey, as a room makes it (``Participant.run``):

1. open the start page (``00_start.ipynb?code=...``, the link on the room screen);
2. type their name and press Join; the page shows the link to the step the room is on;
3. follow it: the start page is closed as a browser closes a page it leaves (its kernel
   is shut down), and the readiness check opens with the personal link;
4. rate every statement, waiting for each "Saved your rating" as a person would see it.

Each step's times are kept (``Timings``), so a benchmark can say how long the room waited.
Used by ``benchmarks/join_storm.py`` and the browser tests; one copy of the protocol, in
``protocol.py``.
"""

from __future__ import annotations

import html
import random
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

from widgets.content import READINESS

from .protocol import Model, PageClient, ProtocolError

JOINED = "You have joined."
READINESS_PAGE = "00_readiness.ipynb"
# What a usable page shows first: the start page's Join button, the one-cell page's box.
BASELINE = "baseline.ipynb"


@dataclass
class Timings:
    """Seconds from the participant's first request (``start``, on the benchmark's clock)."""

    start: float = 0.0  # when the first request was sent (time.perf_counter())
    first_page: float | None = None  # first page usable: snapshot in hand, Join on it
    joined: float | None = None  # the start page said "You have joined"
    readiness_page: float | None = None  # the readiness page usable (every statement on it)
    first_answer: float | None = None  # when (benchmark clock) the first rating was saved
    last_answer: float | None = None  # when (benchmark clock) the last rating was saved
    first_phases: dict[str, float] = field(default_factory=dict)  # PageClient.phases


@dataclass
class Participant:
    """One person in the room. ``base`` is the server's address (``http://host:port/``).

    ``first`` is the first page they open: ``00_start.ipynb`` (join there, as a room does)
    or ``baseline.ipynb`` (the one-cell notebook: the floor Voila itself sets; the person is
    then joined through the store, ``join_token``, and goes on to the readiness check)."""

    base: str
    code: str
    name: str
    seed: int = 0
    first: str = "00_start.ipynb"
    join_token: object = None  # () -> personal-link token, for the floor (no start page)
    timeout: float = 120.0
    timings: Timings = field(default_factory=Timings)
    answers: dict[str, int | None] = field(default_factory=dict)  # item -> last value saved
    token: str = ""
    error: str = ""
    page: PageClient | None = None  # the readiness page, kept open until ``close``

    def url(self, notebook: str, query: str = "") -> str:
        return f"{self.base}voila/render/{notebook}{'?' + query if query else ''}"

    def run(self, answer: bool = True) -> Participant:
        """The whole journey; a failure of any kind is kept in ``error`` (never raised), so a
        storm can count them."""
        self.timings.start = time.perf_counter()
        try:
            if self.first == BASELINE:
                self._open_floor()
            else:
                self._join()
            self._open_readiness()
            if answer:
                self.answer_all()
        except Exception as err:  # every failure is counted and reported
            self.error = f"{type(err).__name__}: {str(err)[:300]}"
        return self

    def _since(self) -> float:
        return time.perf_counter() - self.timings.start

    def _open_floor(self) -> None:
        page = PageClient(self.url(BASELINE), timeout=self.timeout).open()
        try:
            page.find(description="Baseline", model_name="TextModel")
            self.timings.first_page = self._since()
            self.timings.first_phases = dict(page.phases)
            self.token = self.join_token()
            self.timings.joined = self._since()
        finally:
            threading.Thread(target=page.shutdown, daemon=True).start()  # as on leaving

    def _join(self) -> None:
        page = PageClient(self.url("00_start.ipynb", f"code={self.code}"),
                          timeout=self.timeout).open()
        try:
            join = page.find(description="Join", model_name="ButtonModel")
            self.timings.first_page = self._since()
            self.timings.first_phases = dict(page.phases)
            rng = random.Random(self.seed)
            time.sleep(rng.uniform(0.5, 2.0))  # reading the page, typing a name
            page.set(page.find(description="Your name", model_name="TextModel"),
                     value=self.name)
            page.click(join)
            page.wait_for(lambda p: p.shows(JOINED) or _error(p), "the join to end")
            if not page.shows(JOINED):
                raise ProtocolError(f"the start page did not join: {_error(page)}")
            link = page.wait_for(lambda p: _link_to(p, READINESS_PAGE),
                                 "the link to the readiness check")
            self.timings.joined = self._since()
            self.token = re.search(r"[?&]p=([^&#]+)", link).group(1)
        finally:
            # The browser leaves the page; its unload handler asks for the kernel to be shut
            # down without holding up the next page, so this does not either.
            threading.Thread(target=page.shutdown, daemon=True).start()

    def _open_readiness(self) -> None:
        self.page = PageClient(self.url(READINESS_PAGE, f"p={self.token}"),
                               timeout=self.timeout).open()
        self.rows = rating_rows(self.page)
        if len(self.rows) != len(READINESS):
            raise ProtocolError(f"the readiness page shows {len(self.rows)} statements")
        self.timings.readiness_page = self._since()

    def answer_all(self, plan: list[tuple[str, int | None]] | None = None,
                   pause: tuple[float, float] = (0.2, 1.0)) -> None:
        """Rate every statement in turn (a random 1 to 5, seeded), ``pause`` seconds apart
        (reading the statement), each checked as saved on the page before the next.
        ``plan`` gives the (item, value) presses instead (None: "Don't know")."""
        rng = random.Random(self.seed + 1)
        if plan is None:
            plan = [(q.id, rng.randint(1, 5)) for q in READINESS]
        shorts = {q.id: q.short for q in READINESS}
        for item, value in plan:
            if pause[1] > 0:
                time.sleep(rng.uniform(*pause))
            self.page.wait_for(lambda p, i=item: self.rows[i].get("disabled") is False,
                               "the buttons to be enabled")
            rate(self.page, self.rows[item], value)
            saved = f"Saved your rating for “{html.escape(shorts[item])}”"
            self.page.wait_for(lambda p, s=saved: p.shows(s) or _error(p),
                               f"the rating of {item} to be saved")
            if not self.page.shows(saved):
                raise ProtocolError(f"rating {item} was not saved: {_error(self.page)}")
            self.answers[item] = value
            now = time.perf_counter()
            if self.timings.first_answer is None:
                self.timings.first_answer = now
            self.timings.last_answer = now

    def close(self) -> None:
        """Close the readiness page as a person closing the tab does."""
        if self.page is not None:
            self.page.shutdown()
            self.page = None


def _error(page: PageClient) -> str:
    """The page's error message, if it shows one (``Status.error``: class cd-error)."""
    for m in page.models(model_name="HTMLModel"):
        value = m.get("value") or ""
        if "cd-error" in value or 'role="alert"' in value:
            return re.sub(r"<[^>]+>", " ", value).strip()
    return ""


def _link_to(page: PageClient, notebook: str) -> str:
    """The address of the page's link to ``notebook``, made absolute (or "" if none)."""
    for text in page.texts():
        m = re.search(rf'href="([^"]*{re.escape(notebook)}\?[^"]*)"', text)
        if m:
            return urljoin(page.url, html.unescape(m.group(1)))
    return ""


def rating_rows(page: PageClient) -> dict[str, Model]:
    """Each readiness statement's buttons (item -> the ToggleButtons model), found as a
    person finds them: under the statement's text (``RatingForm``'s rows)."""
    texts = {html.escape(q.text): q.id for q in READINESS}
    rows = {}
    for row in page.models(dom_class="cd-rating"):
        children = [c.removeprefix("IPY_MODEL_") for c in row.get("children", [])]
        if len(children) != 2:
            continue
        label = page.state_of(children[0]).get("value", "")
        for text, item in texts.items():
            if f">{text}<" in label:
                rows[item] = Model(page, children[1])
    return rows


def rate(page: PageClient, buttons: Model, value: int | None) -> None:
    """Press a rating button, as the browser tells the kernel: ToggleButtons send the
    pressed button's ``index`` (1 to 5 are the first five, "Don't know" the last)."""
    labels = buttons["_options_labels"]
    label = "Don't know" if value is None else str(value)
    page.update(buttons, {"index": labels.index(label)})
