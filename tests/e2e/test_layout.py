"""Layout as people meet it: every page scrolls by wheel and by finger, the room screen's big
lines never overlap and show revealed results on a 1080 px projector, tables on a phone keep
numbers whole and scroll in their own box, and chart labels are readable.

Why these tests scroll with real input events: Playwright scrolls any element it touches
into view by itself, so a page that cannot be scrolled by a person passed every other test.
Here the page is moved only by a wheel event or a touch swipe (Chromium's own gesture), and
the check is that something that started below the fold is then on screen.
"""

from __future__ import annotations

import time

import pytest

from widgets.server.demo import seed_demo
from widgets.store import Store
from widgets.ui.shell.console import session_label

from .conftest import PHONE, demo_with_ada, wait_ready

PROJECTOR = {"width": 1920, "height": 1080}

# Each page, the query that opens it, and a text its first screen shows.
PAGES = {"00_start.ipynb": "Today's steps", "00_readiness.ipynb": "The group's readiness profile",
         "01_focus.ipynb": "The ranking", "02_cede.ipynb": "The Delegation Board",
         "03_prototype.ipynb": "The aim rests on", "facilitator.ipynb": "Your sessions",
         "room.ipynb": "Join at"}

# The tables each page shows once it is whole, each named by its caption or, without one,
# by its header row ("Care area · Cost a year (£)"); a name here is the start of that text.
TABLES = {
    "00_start.ipynb": (),
    "00_readiness.ipynb": ("Group ratings, 1 to 5",),
    "01_focus.ipynb": ("Care area · Patients a year", "Care area · Cost a year",
                       "Candidate care areas", "Ranking (score out of 100)"),
    "02_cede.ipynb": ("Delegation Board",),
    "03_prototype.ipynb": ("Every prototype, its aim", "Commitment per prototype",
                           "Date · Value"),
    "facilitator.ipynb": ("One three-hour session", "Every prototype, its aim",
                          "Commitment per prototype", "Date · Value"),
    "room.ipynb": ("One three-hour session", "Every prototype, its aim",
                   "Commitment per prototype", "Date · Value"),
}

# A table's name as in TABLES (a JavaScript function of the table).
TABLE_NAME = """(t => t.caption ? t.caption.textContent.trim()
  : [...t.querySelectorAll('thead th')].map(h => h.textContent.trim()).join(' · '))"""

# True once the page has stopped being built: fonts loaded, no part still loading, the
# tables named in ``names`` present, and the page's size and number of elements unchanged
# over ten animation frames in a row (polled once a frame, so a busy machine only waits
# longer). Parts of a page arrive after its first screen (the Focus ranking, the console's
# module tools, charts); measuring before then measures a page that is still moving.
SETTLED = """(names) => {
  const main = document.querySelector('#rendered_cells');
  if (!main || document.fonts.status !== 'loaded') return false;
  if (/Loading widget|Loading the .* tools|Working out the ranking/.test(main.textContent))
    return false;
  const have = [...main.querySelectorAll('.cd-table')].map(TABLE_NAME_HERE);
  if (!names.every(n => have.some(h => h.startsWith(n)))) return false;
  const shape = [main.scrollHeight, main.scrollWidth, document.scrollingElement.scrollHeight,
                 main.getElementsByTagName('*').length, main.textContent.length].join();
  const last = window.__cdSettled;
  if (!last || last.shape !== shape) { window.__cdSettled = {shape, frames: 0}; return false; }
  return ++last.frames >= 10;
}""".replace("TABLE_NAME_HERE", TABLE_NAME)


def settle(page, tables: tuple[str, ...] = ()) -> None:
    """Wait until the page, with the ``tables`` it must show, is whole and has stopped
    moving (see ``SETTLED``)."""
    page.evaluate("delete window.__cdSettled")
    page.wait_for_function(SETTLED, arg=list(tables), polling="raf", timeout=90_000)


# How far the page has scrolled, whichever box does the scrolling.
SCROLLED = """() => Math.max(window.scrollY, document.scrollingElement.scrollTop,
    document.querySelector('#rendered_cells').scrollTop)"""

# Mark the first visible piece of text lying wholly below the fold; return where it is.
PICK_BELOW_FOLD = """() => {
  document.querySelectorAll('[data-below-fold]').forEach(e => e.removeAttribute('data-below-fold'));
  const main = document.querySelector('#rendered_cells');
  const tags = 'h1,h2,h3,h4,p,li,td,th,label,button,summary,figcaption,.widget-label';
  for (const el of main.querySelectorAll(tags)) {
    const r = el.getBoundingClientRect();
    if (r.top >= innerHeight && r.height > 0 && r.height < innerHeight / 3
        && r.left >= 0 && r.right <= innerWidth && el.textContent.trim()
        && el.checkVisibility({visibilityProperty: true})) {
      el.setAttribute('data-below-fold', '1');
      return {top: r.top, height: r.height, text: el.textContent.trim().slice(0, 60)};
    }
  }
  return null;
}"""

# Where the marked piece is now, relative to the middle of the screen (positive: below it).
BELOW_MIDDLE = """() => { const r = document.querySelector('[data-below-fold]')
  .getBoundingClientRect(); return r.top + r.height / 2 - innerHeight / 2; }"""

IN_VIEW = """() => { const r = document.querySelector('[data-below-fold]')
  .getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"""


@pytest.fixture(scope="module")
def demo(voila_server):
    """A session with every step filled and revealed (long pages), and a person in it."""
    return demo_with_ada(voila_server, "Layout day")


@pytest.fixture
def touch_page(browser, voila_server):
    """Make a page in a phone-like context (touch, mobile) that reaches only the server."""
    contexts = []
    local = voila_server.base.rstrip("/")

    def route(r):
        if r.request.url.startswith(local) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            r.abort()

    def make(viewport):
        ctx = browser.new_context(viewport=viewport, has_touch=True, is_mobile=True)
        ctx.set_default_timeout(60_000)
        ctx.route("**/*", route)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def open_app(page, server, app: str, demo) -> None:
    """Open ``app`` for the demo session as its user would (the console with it chosen)."""
    session, token = demo
    query = {"00_start.ipynb": "", "room.ipynb": f"room={session.room_token}",
             "facilitator.ipynb": f"key={server.key}"}.get(app, f"p={token}")
    page.goto(server.url(app, query))
    wait_ready(page, PAGES[app], timeout=180_000)  # a bound for a busy machine, not a measure
    if app == "facilitator.ipynb":
        page.get_by_label("Session", exact=True).select_option(label=session_label(session))
        page.get_by_role("heading", name=session.title).wait_for()


def pick_below_fold(page, where: str) -> dict:
    below = page.evaluate(PICK_BELOW_FOLD)
    assert below is not None, f"{where}: nothing below the fold to scroll to"
    return below


# True once the page's scroll position has not moved for ten animation frames in a row.
SCROLL_STILL = """() => {
  const at = Math.max(window.scrollY, document.scrollingElement.scrollTop,
                      document.querySelector('#rendered_cells').scrollTop);
  const last = window.__cdScroll;
  if (!last || last.at !== at) { window.__cdScroll = {at, frames: 0}; return false; }
  return ++last.frames >= 10;
}"""


def swipe(page, cdp, distance: float) -> None:
    """One finger drawn up the screen by ``distance`` pixels (down, if negative): touch
    events sent to Chromium as a phone's screen would send them. The finger rests before
    lifting, so the page should move by the swipe alone; whether it flings on a little
    or not, the caller swipes again from wherever the page came to rest."""
    height = page.viewport_size["height"]
    x, start = 12, height * (0.85 if distance > 0 else 0.15)
    at = time.time()  # the events' own clock: ten moves a frame apart, then a rest

    def touch(kind: str, y: float | None) -> None:
        points = [] if y is None else [{"x": x, "y": y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points,
                                              "timestamp": at})

    touch("touchStart", start)
    for step in range(1, 11):
        at += 0.016
        touch("touchMove", start - distance * step / 10)
    at += 0.5
    touch("touchMove", start - distance)
    touch("touchEnd", None)


def scrolled_by(page, move, where: str) -> float:
    """Do ``move`` (a swipe, a wheel turn), wait until the page has scrolled and come to
    rest, and return how far it went; fail if it did not scroll at all."""
    before = page.evaluate(SCROLLED)
    move()
    try:
        page.wait_for_function(f"() => ({SCROLLED})() !== {before}", timeout=30_000)
    except Exception:
        pytest.fail(f"{where}: the page did not scroll at all (still at {before:.0f} px)")
    page.evaluate("delete window.__cdScroll")
    page.wait_for_function(SCROLL_STILL, polling="raf", timeout=30_000)
    return page.evaluate(SCROLLED) - before


def check_scrolls(page, where: str) -> None:
    """By touch, then by wheel: each brings text from below the fold into view.

    Each swipe or wheel turn must move the page, and the next is made only once the page
    has come to rest, so how fast the machine is decides how long this takes, never
    whether it passes. A long way down takes several swipes, as with a finger, and one
    that carries the page past the text is followed by one back."""
    height = page.viewport_size["height"]
    cdp = page.context.new_cdp_session(page)
    page.mouse.move(6, height / 2)
    for how in ("touch", "wheel"):
        below = pick_below_fold(page, f"{where} ({how})")
        before = page.evaluate(SCROLLED)
        for _ in range(12):
            if page.evaluate(IN_VIEW):
                break
            distance = page.evaluate(BELOW_MIDDLE)  # aim to bring it to mid-screen
            if how == "touch":
                step = max(-0.6 * height, min(distance, 0.6 * height))
                scrolled_by(page, lambda step=step: swipe(page, cdp, step),
                            f"{where}: a swipe of {step:.0f} px")
            else:
                scrolled_by(page, lambda d=distance: page.mouse.wheel(0, d),
                            f"{where}: a wheel turn of {distance:.0f} px")
        assert page.evaluate(IN_VIEW), (
            f"{where}: {how} did not bring {below['text']!r} (at {below['top']:.0f} px) "
            f"into view; scrolled {page.evaluate(SCROLLED) - before:.0f} px")
        assert page.evaluate(SCROLLED) > before, (where, how)


@pytest.mark.parametrize("app", list(PAGES))
def test_every_page_scrolls_by_wheel_and_touch(app, demo, voila_server, touch_page):
    # On the projector the room screen scrolls no more: a long result is shown in pages
    # that fit the screen, turned with the arrow keys (tests/e2e/test_room_keys.py), and
    # tests/e2e/test_boardroom.py checks that nothing is below the fold there.
    for size in [PHONE]:
        page = touch_page(size)  # its context is closed by the fixture
        open_app(page, voila_server, app, demo)
        settle(page, TABLES[app])  # what is below the fold is picked once nothing moves it
        check_scrolls(page, f"{app} at {size['width']}x{size['height']}")
        # Keyboard users reach the same scrolling box: the main landmark takes focus.
        assert page.evaluate("document.querySelector('main').tabIndex") == 0


# Pairs of text pieces (each line of each text node) whose boxes overlap on screen.
TEXT_OVERLAPS = """() => {
  const main = document.querySelector('#rendered_cells');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const boxes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    // Text a person cannot see (a closed <details> still lays its content out) is skipped.
    if (!n.textContent.trim() || n.parentElement.closest('svg, style, script')
        || !n.parentElement.checkVisibility({visibilityProperty: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && r.height > 0) boxes.push({r, text: n.textContent.trim().slice(0, 50)});
    }
  }
  const out = [];
  for (let a = 0; a < boxes.length; a++) {
    for (let b = a + 1; b < boxes.length; b++) {
      const p = boxes[a].r, q = boxes[b].r;
      const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (w > 1 && h > 1) out.push(`${boxes[a].text} | ${boxes[b].text} (${h.toFixed(0)} px)`);
    }
  }
  return out.slice(0, 12);
}"""

# Form controls (and the boxes they sit in) that overlap one another.
CONTROL_OVERLAPS = """() => {
  const els = [...document.querySelectorAll(
      '#rendered_cells select, #rendered_cells input, #rendered_cells textarea, '
      + '#rendered_cells button')].filter(e => e.getClientRects().length && e.type !== 'hidden');
  const name = e => (e.getAttribute('aria-label') || e.textContent || e.title || e.tagName)
      .trim().slice(0, 40);
  const out = [];
  for (let a = 0; a < els.length; a++) {
    for (let b = a + 1; b < els.length; b++) {
      if (els[a].contains(els[b]) || els[b].contains(els[a])) continue;
      const p = els[a].getBoundingClientRect(), q = els[b].getBoundingClientRect();
      const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (w > 1 && h > 1) out.push(`${name(els[a])} | ${name(els[b])}`);
    }
  }
  return out.slice(0, 12);
}"""


def result_on_show(page, caption: str) -> dict | None:
    """The first chart on show whose caption has ``caption``, and where its top is."""
    return page.evaluate("""(caption) => {
      for (const f of document.querySelectorAll('#rendered_cells figure.cd-chart')) {
        const r = f.getBoundingClientRect();
        if (r.height > 0 && f.querySelector('figcaption').textContent.includes(caption))
          return {top: r.top, text: f.textContent.trim().slice(0, 80)};
      }
      return null; }""", caption)


def test_room_screen_lines_never_overlap_and_results_are_in_view(voila_server, new_page,
                                                                  seed_session):
    """On a 1920x1080 projector: the waiting screen's big join lines stand apart, and once
    a result is revealed its chart starts on screen, with nothing overlapping."""
    server = voila_server
    waiting = seed_session("The waiting room, with a title long enough to wrap on a "
                           "projector screen", ["Asha", "Ben", "Cleo"])
    page = new_page(PROJECTOR)
    page.goto(server.url("room.ipynb", f"room={waiting.session.room_token}"))
    wait_ready(page, "Waiting to start")
    settle(page)  # fonts in and lines laid out
    assert page.evaluate(TEXT_OVERLAPS) == []

    store = Store(server.db_url)
    try:
        session = seed_demo(store, server.key, title="Room results day")
        page.goto(server.url("room.ipynb", f"room={session.room_token}"))
        wait_ready(page, "Join at")
        for stage, title, caption in (
                ("readiness", "Board readiness check", "rates itself"),
                ("focus.weights", "Focus: weigh what matters", "ranks"),
                ("cede.poker", "Cede: Delegation Poker", "today: median")):
            store.set_current_stage(session.id, stage, server.key)  # the facilitator moves on
            page.get_by_text(title).first.wait_for()
            page.wait_for_function("""(caption) => [...document.querySelectorAll(
                '#rendered_cells figure.cd-chart')].some(f => f.getBoundingClientRect().height
                && f.querySelector('figcaption').textContent.includes(caption))""",
                                   arg=caption)
            settle(page)  # the chart has arrived; wait until nothing moves
            result = result_on_show(page, caption)
            assert 0 <= result["top"] < PROJECTOR["height"] - 300, (stage, result)
            assert page.evaluate(TEXT_OVERLAPS) == [], stage
    finally:
        store.dispose()
    assert new_page.watch.errors == []


# Words and figures in table cells that the browser broke across lines. A figure (a word
# with a digit: "61,000", "£23.0m", "(2–4)") must stay on one line; other words may break
# only after a hyphen, dash or slash.
TABLE_BREAKS = """() => {
  const range = document.createRange();
  const broken = (node, start, end) => {
    range.setStart(node, start);
    range.setEnd(node, end);
    const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => r.top);
    return tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 5;
  };
  const out = [];
  for (const cell of document.querySelectorAll('#rendered_cells td, #rendered_cells th')) {
    if (!cell.checkVisibility({visibilityProperty: true})) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (const m of n.data.matchAll(/\\S+/g)) {
        const parts = /\\d/.test(m[0]) ? [m] : [...m[0].matchAll(/[^-–—\\/]+[-–—\\/]*/g)]
            .map(p => Object.assign([p[0]], {index: m.index + p.index}));
        for (const p of parts) {
          if (broken(n, p.index, p.index + p[0].length)) out.push(p[0]);
        }
      }
    }
  }
  return out.slice(0, 12);
}"""

# The page's own sideways overflow, and wide tables whose box a keyboard cannot reach.
SIDEWAYS = """() => {
  const main = document.querySelector('#rendered_cells');
  const unreachable = [...document.querySelectorAll('#rendered_cells .cd-table')]
    .filter(t => t.checkVisibility())
    .map(t => t.closest('.cd-scroll') || t)
    .filter(box => box.scrollWidth > box.clientWidth + 1
                   && !(box.tabIndex === 0 && box.getAttribute('aria-label')))
    .map(box => box.textContent.trim().slice(0, 60));
  return {page: document.scrollingElement.scrollWidth - innerWidth,
          main: main.scrollWidth - main.clientWidth, unreachable};
}"""

# Chart labels cut short with an ellipsis. The driver diagram is left out on purpose: its
# boxes end a long text with "…" and the whole tree is the list beside it.
TRUNCATED_LABELS = """() => [...document.querySelectorAll('#rendered_cells figure.cd-chart')]
  .filter(f => !f.closest('.widget-vbox').textContent.includes('Driver diagram'))
  .flatMap(f => [...f.querySelectorAll('svg text')].map(t => t.textContent))
  .filter(t => t.includes('…'))"""


# The visible tables the checks above looked at, by name (after every <details> is open).
TABLES_ON_SHOW = f"""() => [...document.querySelectorAll('#rendered_cells .cd-table')]
  .filter(t => t.checkVisibility({{visibilityProperty: true}})).map({TABLE_NAME})"""


@pytest.mark.parametrize("app", list(PAGES))
def test_phone_pages_keep_tables_whole_controls_apart_and_labels_readable(
        app, demo, voila_server, new_page):
    """At 375x667, with every "numbers as a table" opened: no word or figure in a table
    breaks mid-way, the page never scrolls sideways (wide tables scroll in their own
    focusable, named box), no two controls overlap, and no chart label is cut short."""
    page = new_page(PHONE)
    open_app(page, voila_server, app, demo)
    settle(page, TABLES[app])  # every table the page shows is there, some only a moment later
    # A phone shows one part of a module page at a time, the room's step first (issue 17);
    # these checks look at every table, so they choose "Everything", as a person can.
    everything = page.locator(".cd-sections").get_by_role("button", name="Everything")
    if everything.count() and everything.first.is_visible():
        everything.first.click()
        settle(page, TABLES[app])
    page.evaluate("document.querySelectorAll('#rendered_cells details')"
                  ".forEach(d => { d.open = true; })")
    settle(page, TABLES[app])  # laid out again with the tables open
    # The checks below look at these tables: each named one, and no other unnamed.
    shown = page.evaluate(TABLES_ON_SHOW)
    assert len(shown) == len(TABLES[app]), (app, shown)
    assert all(any(s.startswith(n) for s in shown) for n in TABLES[app]), (app, shown)
    assert page.evaluate(TABLE_BREAKS) == [], app
    sideways = page.evaluate(SIDEWAYS)
    assert sideways == {"page": 0, "main": 0, "unreachable": []}, (app, sideways)
    assert page.evaluate(CONTROL_OVERLAPS) == [], app
    assert page.evaluate(TRUNCATED_LABELS) == [], app
    assert new_page.watch.errors == []


def test_console_session_list_does_not_cover_the_title_box(demo, voila_server, new_page):
    """The console's session dropdown (44 px tall) once spilled over the "New session title"
    box below it; on a phone and on a laptop no two controls overlap."""
    for size in (PHONE, {"width": 1280, "height": 800}):
        page = new_page(size)
        open_app(page, voila_server, "facilitator.ipynb", demo)
        assert page.evaluate(CONTROL_OVERLAPS) == [], size
