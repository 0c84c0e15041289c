"""A room screen and pages fit for a boardroom (issue 17): layout checks in Chromium and a
screenshot of every state, in one folder a person can look through after CI.

The room screen is checked in every state a room meets: waiting (before any step), each
step open and each vote revealed, with the demonstration session's answers. One room page
stays open; the facilitator's moves go through the store as the console makes them, and the
page refreshes itself, as on the day. At 1920x1080 and 1280x720 (16:9 projectors) and
1024x768 (an old one, where only "nothing overlaps, nothing scrolls sideways" is asked):
  - no piece of text overlaps another, or a picture or control (HTML text and SVG labels);
  - no sideways scroll (the document and the kit's main box);
  - the join view and every single result need no vertical scroll (RESULTS), and a result
    is in view: a chart, figure or table of it on screen (on the first page, if the room
    pages through a long one);
  - body text at least 28 px and headings larger, chart labels at least 20 px at 1920x1080;
    at 1280x720 the same rule scaled by the screen's width (2/3: 18.7 px and 13.3 px);
  - the QR code decodes to the join address; axe finds nothing serious or critical.
Every participant page, opened with a personal link, at 375x667, 1280x720 and 1920x1080:
no sideways scroll, no overlap, axe clean; on the phone also tap targets at least 44x44 px,
the current step and its countdown on screen even at the bottom of the page, and no
typewriter font in text boxes.

Screenshots go to test-output/screenshots/ at the repository's root, or to the folder in
CONDUCTOR_SCREENSHOTS; the room's text sizes and width used at 1920x1080 are printed (pytest
-s) and written there as room-1920x1080.tsv.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from widgets import agenda, check_in
from widgets.server.demo import seed_check_in, seed_demo
from widgets.session import View, Viewer, join, move_room, move_stage
from widgets.stages import STAGES
from widgets.store import Store

from . import layout_checks as js
from .conftest import PHONE, ROOT, axe_problems, page_reaching_only, wait_ready
from .test_join_qr import _decoded
from .test_layout import PAGES, SCROLL_STILL, TABLES, settle

SHOTS = Path(os.environ.get("CONDUCTOR_SCREENSHOTS") or ROOT / "test-output" / "screenshots")

FULL_HD = {"width": 1920, "height": 1080}
HD = {"width": 1280, "height": 720}
OLD = {"width": 1024, "height": 768}
ROOM_SIZES = (FULL_HD, HD, OLD)
PAGE_SIZES = (PHONE, HD, FULL_HD)

BODY_PX, CHART_PX, TARGET_PX = 28.0, 20.0, 44.0  # at 1920 wide (issue 17)

VOTES = [k for k, s in STAGES.items() if s.kind == "vote"]
# The room's states, in the order a room meets them (the revealed results first, with the
# shared steps in between; then each vote opened again for a new round, nobody answered).
# Last, the board's check-in months later (issue 20): its portfolio while no round is open,
# then its keep, change or stop round revealed (on a session of its own, with a past sitting).
CHECK_IN_STATES = ["check_in-open", "check_in.keep-revealed"]
ROOM_STATES = (["waiting"]
               + [f"{k}-{'revealed' if k in VOTES else 'open'}" for k in STAGES]
               + [f"{k}-open" for k in VOTES] + CHECK_IN_STATES)
# The states that show one result, which must fit the screen without scrolling: every
# revealed vote, the ranking with its robustness while the room decides, the Delegation
# Board and the measures (shared work whose charts are the room's result), and the join view.
RESULTS = {"waiting", *(f"{k}-revealed" for k in VOTES), "focus.decide-open",
           "cede.board-open", "prototype.track-open", *CHECK_IN_STATES}

# The board's check-in (issue 20) is a participant's page too, on a session of its own
# with a check-in open and its keep, change or stop round running.
CHECK_IN_PAGE = "04_check_in.ipynb"
NOTEBOOKS = [nb for nb in PAGES if nb not in ("facilitator.ipynb", "room.ipynb")] + [
    CHECK_IN_PAGE]
PAGE_SHOWS = {**PAGES, CHECK_IN_PAGE: "The portfolio"}
PAGE_TABLES = {**TABLES, CHECK_IN_PAGE: ()}
# The step the room is on while a page is checked: one of the page's own, with its clock.
PAGE_STEP = {"00_start.ipynb": "readiness", "00_readiness.ipynb": "readiness",
             "01_focus.ipynb": "focus.decide", "02_cede.ipynb": "cede.board",
             "03_prototype.ipynb": "prototype.track", CHECK_IN_PAGE: "check_in.keep"}


def size_name(size: dict) -> str:
    return f"{size['width']}x{size['height']}"


def shot(page, name: str, *, full: bool = False) -> None:
    """A screenshot into the folder. ``full``: the whole page, however long. The kit's main
    box scrolls by itself, so for that the page is laid out once at its full height (after
    every check has run), then put back."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    if not full:
        page.screenshot(path=SHOTS / name)
        return
    page.evaluate(UNFOLD)
    page.screenshot(path=SHOTS / name, full_page=True)
    page.evaluate(FOLD)


# The main box and every box around it (Lumino places them absolutely, at the screen's
# height), laid out at the main box's full height; their styles are kept for FOLD.
UNFOLD = """() => {
  window.__cdFolded = [];
  const main = document.querySelector('#rendered_cells');
  const height = `${main.scrollHeight}px`;
  for (let e = main; e; e = e.parentElement) {
    window.__cdFolded.push([e, e.style.cssText]);
    for (const [k, v] of [['height', height], ['max-height', 'none'], ['overflow', 'visible'],
                          ['position', 'static'], ['contain', 'none']])
      e.style.setProperty(k, v, 'important');
  }
}"""
FOLD = "() => window.__cdFolded.forEach(([e, css]) => { e.style.cssText = css; })"


def size_rules(size: dict) -> tuple[float, float] | None:
    """(smallest body text, smallest chart label) in px at this size, or None where the
    sizes are not asked (1024x768): the 1920x1080 numbers scaled by the screen's width."""
    if size == OLD:
        return None
    scale = size["width"] / FULL_HD["width"]
    return BODY_PX * scale, CHART_PX * scale


def size_problems(measured: dict, size: dict) -> list[str]:
    rules = size_rules(size)
    if rules is None:
        return []
    body_min, chart_min = rules
    out = []
    small = sorted({(s, t) for s, kind, t in measured["pieces"]
                    if kind == "text" and s < body_min - 0.05})
    if small:
        out.append(f"{len(small)} pieces of text under {body_min:.1f} px, smallest: "
                   + "; ".join(f"{s} px {t!r}" for s, t in small[:5]))
    heading_min = max(body_min, measured["body"] or 0)
    low = sorted({(s, t) for s, kind, t in measured["pieces"]
                  if kind == "heading" and s <= heading_min})
    if low:
        out.append(f"headings not larger than the body text ({heading_min:.1f} px): "
                   + "; ".join(f"{s} px {t!r}" for s, t in low[:5]))
    labels = sorted({(s, t) for s, kind, t in measured["pieces"]
                     if kind == "chart" and s < chart_min - 0.05})
    if labels:
        out.append(f"{len(labels)} chart labels under {chart_min:.1f} px, smallest: "
                   + "; ".join(f"{s} px {t!r}" for s, t in labels[:5]))
    return out


def common_problems(page, *, axe: bool) -> list[str]:
    """Overlaps, sideways scroll and (``axe``) axe's serious and critical findings."""
    out = [f"overlap: {o}" for o in page.evaluate(js.OVERLAPS, "#rendered_cells")]
    sideways = page.evaluate(js.SIDEWAYS)
    out += [f"scrolls sideways: {box} by {px} px" for box, px in sideways.items() if px > 0]
    if axe:
        out += [f"axe: {p}" for p in axe_problems(page)]
    return out


def facilitator(store: Store, session, key: str) -> View:
    return View(store, store.session(session.id), Viewer("facilitator", key=key))


def page_for(browser, server, contexts: list, errors: list, viewport: dict, *, phone=False):
    """A page reaching only the server; ``phone``: a touch screen, as a phone's browser."""
    if not phone:
        return page_reaching_only(browser, server.base.rstrip("/"), contexts, [], errors,
                                  viewport=viewport)
    ctx = browser.new_context(viewport=viewport, has_touch=True, is_mobile=True)
    ctx.set_default_timeout(60_000)
    local = server.base.rstrip("/")
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith((local, "data:"))
              else r.abort())
    contexts.append(ctx)
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


# -- the room screen ------------------------------------------------------------------------

class Room:
    """One room page, moved from state to state and size to size in place."""

    def __init__(self, server, page, store: Store, waiting, demo):
        self.server, self.page, self.store = server, page, store
        self.waiting, self.demo = waiting, demo
        self.state: str | None = None
        self.latecomer: int | None = None  # joins and leaves: the sign a refresh is done
        self.table: dict[str, dict] = {}
        self.sitting = None  # (session, its open check-in), once a check-in state is shown

    def shown_people(self, session) -> int:
        return len(self.store.participants(session.id))

    def go(self, state: str) -> None:
        if state == self.state:
            return
        page, server = self.page, self.server
        if state in CHECK_IN_STATES:
            self.check_in(state)
            self.state = state
            return
        if state == "waiting":
            page.goto(server.url("room.ipynb", f"room={self.waiting.room_token}"))
            wait_ready(page, "Join at", timeout=180_000)  # a bound for a busy machine
            settle(page)
            self.state = state
            return
        if self.state in (None, "waiting"):
            page.goto(server.url("room.ipynb", f"room={self.demo.room_token}"))
            wait_ready(page, "Join at", timeout=180_000)
            settle(page)
        stage, how = state.rsplit("-", 1)
        fac = facilitator(self.store, self.demo, server.key)
        before = page.evaluate(WITHOUT_CLOCK)
        moved = fac.session.current_stage != stage
        if how == "open" and stage in VOTES and fac.stage(stage).state == "revealed":
            move_stage(fac, stage, "new_round")  # opens it again: the room is on it
            moved = True
        move_room(fac, stage)
        agenda.start_for_stage(fac, stage)  # as the console does when it moves the room
        # The room shows the step once it has refreshed (or already did, if it was on it).
        page.wait_for_function("([before, title, moved]) => { const now = (" + WITHOUT_CLOCK
                               + ")(); return (now !== before || !moved) && now.includes(title)"
                               "; }", arg=[before, STAGES[stage].title, moved], timeout=90_000)
        # The room refreshes once a second, and a refresh draws its charts before the next:
        # one more visible change (a latecomer joining or leaving) shows this one is whole.
        if self.latecomer is None:
            self.latecomer = join(self.store, self.demo.code, "Latecomer",
                                  named_ok=False)[0].id
        else:
            self.store.withdraw_participant(self.latecomer, server.key, self.demo.id)
            self.latecomer = None
        people = self.shown_people(self.demo)
        try:
            page.wait_for_function(COUNT_SHOWN, arg=people, timeout=90_000)
        except PlaywrightTimeout:
            pytest.fail(f"room {state}: the room screen did not show '{people} people have "
                        "joined' within 90 s of a latecomer joining or leaving (the test waits "
                        "for the head count to know a refresh is whole)")
        settle(page)
        self.state = state


    def check_in(self, state: str) -> None:
        """The board's second check-in on a demonstration workshop (the first, a month ago,
        is closed): open with no round yet, then its keep, change or stop round answered by
        everyone and revealed."""
        page, store, key = self.page, self.store, self.server.key
        if self.sitting is None:
            day = seed_demo(store, key, title="Boardroom check-in day")
            seed_check_in(store, key, day)
            fac = facilitator(store, day, key)
            self.sitting = (day, check_in.start(fac, date.today()))
            page.goto(self.server.url("room.ipynb", f"room={day.room_token}"))
            wait_ready(page, "The portfolio", timeout=180_000)  # a bound for a busy machine
        day, sitting = self.sitting
        if state == "check_in.keep-revealed":
            fac = facilitator(store, day, key)
            check_in.move_round(fac, sitting, check_in.KEEP, "open")
            made = [r.id for r in check_in.portfolio(fac, sitting)]
            for i, person in enumerate(store.participants(day.id)):
                them = View(store, store.session(day.id), Viewer("participant",
                                                                 participant_id=person.id))
                for j, pid in enumerate(made):
                    check_in.submit_keep(them, sitting, pid, ("keep", "change", "stop")[
                        (i + j) % 3])
            check_in.move_round(fac, sitting, check_in.KEEP, "reveal")
            page.get_by_text(re.compile(r"^What the room said")).first.wait_for(
                timeout=90_000)
        settle(page)


# The room's text without the countdown (which changes every second).
WITHOUT_CLOCK = """() => { const main = document.querySelector('#rendered_cells');
  if (!main) return '';
  const copy = main.cloneNode(true);
  copy.querySelectorAll('[role=timer]').forEach(t => t.remove());
  return copy.textContent; }"""

# True once the room shows ``n`` people joined.
COUNT_SHOWN = """(n) => new RegExp('(^|\\\\D)' + n + '\\\\D[^\\\\d]{0,30}joined')
  .test(document.querySelector('#rendered_cells').innerText)"""


@pytest.fixture(scope="module")
def room(browser, voila_server):
    server = voila_server
    store = Store(server.db_url)
    waiting = store.create_session("Board development day: the room before the first step",
                                   server.key)
    for name in ("Amara", "Ben", "Chen", "Dafydd", "Esther"):
        join(store, waiting.code, name, named_ok=True)
    demo = seed_demo(store, server.key, title="Boardroom day")
    contexts, errors = [], []
    page = page_for(browser, server, contexts, errors, FULL_HD)
    r = Room(server, page, store, waiting, demo)
    r.errors = errors
    yield r
    for ctx in contexts:
        ctx.close()
    store.dispose()
    write_table(r.table)


def write_table(table: dict[str, dict]) -> None:
    if not table:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    rows = ["state\tsmallest text px\tsmallest HTML text px\tsmallest chart label px"
            "\tbody text px\twidth used\tcontent bottom px"]
    for state in ROOM_STATES:
        m = table.get(state)
        if m is None:
            continue
        html = [s for s, kind, _ in m["pieces"] if kind != "chart"]
        chart = [s for s, kind, _ in m["pieces"] if kind == "chart"]
        every = html + chart
        rows.append("\t".join([state, f"{min(every):.1f}" if every else "-",
                               f"{min(html):.1f}" if html else "-",
                               f"{min(chart):.1f}" if chart else "-",
                               f"{m['body']:.1f}" if m["body"] else "-",
                               f"{m['width_share']:.0%}", f"{m['content_bottom']:.0f}"]))
    (SHOTS / "room-1920x1080.tsv").write_text("\n".join(rows) + "\n")
    print("\nThe room screen at 1920x1080, per state:")
    for row in rows:
        print("  " + row.replace("\t", " | "))
    print(f"Screenshots and the table: {SHOTS.resolve()}")


ROOM_CASES = [pytest.param(state, size, id=f"{state}@{size_name(size)}")
              for state in ROOM_STATES for size in ROOM_SIZES]


@pytest.mark.parametrize(("state", "size"), ROOM_CASES)
def test_room_screen_fits_the_projector(room, state, size):
    page = room.page
    room.go(state)
    if page.viewport_size != size:
        page.set_viewport_size(size)
        settle(page)
    where = f"room {state} at {size_name(size)}"
    sized = size != OLD
    problems = common_problems(page, axe=sized)
    measured = page.evaluate(js.TEXT_AND_WIDTH, "#rendered_cells")
    if size == FULL_HD:
        room.table[state] = measured
        shot(page, f"room-{size_name(size)}-{state}.png")
    problems += size_problems(measured, size)
    if (sized and state in RESULTS and state != "waiting"
            and not page.evaluate(js.RESULTS_ON_SCREEN)):
        problems.append("no result on screen: no chart, figure or table of the step in "
                        "view (on the first page, if the room pages through it)")
    if sized and state in RESULTS:
        upright = page.evaluate(js.UPRIGHT)
        for box in ("document", "main"):
            if upright[box] > 0:
                problems.append(f"needs vertical scrolling: the {box} is {upright[box]} px "
                                f"taller than the {size['height']} px screen")
        problems += [f"a box scrolls by itself: {b}" for b in upright["inner"]]
    if sized:
        shown = (room.waiting if state == "waiting" else room.sitting[0]
                 if state in CHECK_IN_STATES else room.demo)
        problems += qr_problems(page, shown,
                                room.server, needed=state == "waiting")
    if problems and size != FULL_HD:  # a picture of what failed, beside the 1920 ones
        shot(page, f"room-{size_name(size)}-{state}.png")
    assert not room.errors, (where, room.errors)
    assert not problems, f"{where}:\n  " + "\n  ".join(problems)


def qr_problems(page, session, server, *, needed: bool) -> list[str]:
    """The QR code on show decodes to the join address with the session's code (``needed``:
    the screen must show one)."""
    address = f"{server.base.rstrip('/')}/join"
    qr = page.get_by_role("img", name=re.compile(r"^QR code"))
    if qr.count() == 0:
        return ["no QR code of the join address on screen"] if needed else []
    out = []
    decoded = _decoded(qr.first)
    if decoded != [f"{address}/{session.code}"]:
        out.append(f"the QR code decodes to {decoded}, not {address}/{session.code}")
    if needed and address not in page.evaluate("document.querySelector('#rendered_cells')"
                                               ".innerText"):
        out.append(f"the join address {address} is not written on screen")
    return out


# -- participant pages ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def pages(browser, voila_server):
    """A demonstration session of its own, a person's link into it, and two pages: a phone
    and a laptop (resized in place to a projector)."""
    server = voila_server
    store = Store(server.db_url)
    demo = seed_demo(store, server.key, title="Boardroom pages day")
    _, token = join(store, demo.code, "Ada", named_ok=True)
    contexts, errors = [], []
    phone = page_for(browser, server, contexts, errors, PHONE, phone=True)
    laptop = page_for(browser, server, contexts, errors, HD)
    sitting_day = seed_demo(store, server.key, title="Boardroom check-in day")
    _, sitting_token = join(store, sitting_day.code, "Ada", named_ok=True)
    fac = facilitator(store, sitting_day, server.key)
    sitting = check_in.start(fac, date.today())
    check_in.move_round(fac, sitting, check_in.KEEP, "open")
    agenda.start_timer(fac, "check_in.keep", agenda.CHECK_IN.minutes_for("check_in.keep"))
    state = {"store": store, "demo": demo, "token": token, "errors": errors,
             "check_in_token": sitting_token,
             "open": {id(phone): None, id(laptop): None}, "phone": phone, "laptop": laptop}
    yield state
    for ctx in contexts:
        ctx.close()
    store.dispose()
    print(f"\nScreenshots: {SHOTS.resolve()}")


PAGE_CASES = [pytest.param(nb, size, id=f"{nb.removesuffix('.ipynb')}@{size_name(size)}")
              for size in (PHONE,) for nb in NOTEBOOKS] + [
              pytest.param(nb, size, id=f"{nb.removesuffix('.ipynb')}@{size_name(size)}")
              for nb in NOTEBOOKS for size in (HD, FULL_HD)]


@pytest.mark.parametrize(("notebook", "size"), PAGE_CASES)
def test_participant_page_fits(pages, voila_server, notebook, size):
    server = voila_server
    on_phone = size == PHONE
    page = pages["phone" if on_phone else "laptop"]
    stage = PAGE_STEP[notebook]
    if pages["open"][id(page)] != notebook:
        token = pages["token"]
        if notebook == CHECK_IN_PAGE:  # its round and clock run on a session of their own
            token = pages["check_in_token"]
        else:
            fac = facilitator(pages["store"], pages["demo"], server.key)
            move_room(fac, stage)
            agenda.start_for_stage(fac, stage)
        if page.viewport_size != size:
            page.set_viewport_size(size)
        page.goto(server.url(notebook, f"p={token}"))
        pages["open"][id(page)] = None
        try:
            wait_ready(page, PAGE_SHOWS[notebook], timeout=180_000)  # a bound, not a measure
        except PlaywrightTimeout:
            shown = page.evaluate("(document.querySelector('#rendered_cells') || "
                                  "document.body).innerText.slice(0, 400)")
            pytest.fail(f"{notebook} at {size_name(size)} did not show {PAGE_SHOWS[notebook]!r} "
                        f"within 180 s; it shows: {shown!r}")
        pages["open"][id(page)] = notebook
    elif page.viewport_size != size:
        page.set_viewport_size(size)
    settle(page, PAGE_TABLES[notebook])
    where = f"{notebook} at {size_name(size)}"
    problems = common_problems(page, axe=True)
    if on_phone:
        problems += [f"tap target under 44x44 px: {t}"
                     for t in page.evaluate(js.SMALL_TARGETS, TARGET_PX)]
        problems += [f"typewriter font in {what}: {font}"
                     for what, font in page.evaluate(js.TYPEWRITER)]
        page.evaluate(js.TO_BOTTOM)
        page.evaluate("delete window.__cdScroll")
        page.wait_for_function(SCROLL_STILL, polling="raf", timeout=30_000)
        title = (check_in.ROUNDS[check_in.KEEP] if notebook == CHECK_IN_PAGE
                 else STAGES[stage].title)
        seen = page.evaluate(js.STEP_AND_TIMER, title)
        if seen["step"] is None:
            problems.append(f"at the bottom of the page the current step ({title!r}, in a "
                            "status line: role=status) is not on screen (it is at "
                            f"{seen['step_anywhere']})")
        if seen["timer"] is None:
            problems.append("at the bottom of the page the step's countdown is not on screen "
                            f"(it is at {seen['timer_anywhere']})")
        shot(page, f"phone-{size_name(size)}-{notebook.removesuffix('.ipynb')}.png", full=True)
        if notebook == CHECK_IN_PAGE:
            problems += portfolio_as_cards(page)
            shot(page, f"phone-{size_name(size)}-04_check_in-portfolio.png", full=True)
    assert not pages["errors"], (where, pages["errors"])
    assert not problems, f"{where}:\n  " + "\n  ".join(problems)


def portfolio_as_cards(page) -> list[str]:
    """The check-in's portfolio on a phone: a card per prototype, nothing to scroll
    sideways, each cell under its column's name."""
    page.get_by_role("radio", name="Portfolio").or_(
        page.get_by_role("button", name="Portfolio")).first.click()
    table = page.locator("table.cd-portfolio").first
    table.wait_for()
    settle(page)
    out = []
    wide = table.evaluate("t => { const box = t.closest('.cd-scroll') || t.parentElement;"
                          " return box.scrollWidth - box.clientWidth; }")
    if wide > 0:
        out.append(f"the portfolio scrolls sideways by {wide} px on a phone (not cards)")
    if table.evaluate("t => getComputedStyle(t.querySelector('tbody tr')).display") != "block":
        out.append("the portfolio's rows are not cards on a phone")
    caption = table.evaluate("t => t.querySelector('caption').getBoundingClientRect().height")
    if caption > 120:  # a caption squeezed to a letter a line
        out.append(f"the portfolio's caption is {caption:.0f} px tall on a phone")
    label = table.evaluate("t => getComputedStyle(t.querySelector('td[data-label]'),"
                           " '::before').content")
    if "Measures" not in label:
        out.append(f"a portfolio card's first cell is not named by its column: {label!r}")
    return out


# -- the measurements themselves --------------------------------------------------------------

# A page with one of each fault the checks look for, and near misses that are not faults.
FAULTS = """<!doctype html><html><body style="margin:0; font-family: sans-serif">
<style>main > * { display: block; margin: 4px 0; }
  textarea, input[aria-label] { height: 48px; }</style>
<main id="rendered_cells" style="width: 600px">
  <p style="font-size: 30px; line-height: 1; margin: 0">Stacked lines, set<br>close: not an
     overlap</p>
  <p style="font-size: 30px; margin: 0">Join at</p>
  <p style="font-size: 30px; margin: -20px 0 0 0">with the code</p>
  <svg width="400" height="200" viewBox="0 0 200 100">
    <text x="10" y="20" font-size="10">doubled label</text>
    <text x="10" y="90" font-size="10" transform="rotate(-45 10 90)">turned one</text>
    <text x="40" y="90" font-size="10" transform="rotate(-45 40 90)">turned two</text>
    <text x="100" y="60" font-size="10">crossing</text>
    <text x="110" y="62" font-size="10">crossed</text>
  </svg>
  <button style="width: 30px; height: 30px">x</button>
  <button style="width: 120px; height: 48px">Big enough</button>
  <label><input type="checkbox"> a checkbox in a tall label</label>
  <textarea aria-label="Notes" style="font-family: monospace">typed</textarea>
  <input aria-label="Name" style="font-family: inherit">
  <select aria-label="Pick" style="font-size: 12px; height: 48px"><option>chosen</option></select>
  <div style="width: 900px">too wide</div>
</main></body></html>"""


# A table whose one row is hidden as the room hides what is on another page (or shown).
RESULT_TABLE = """<!doctype html><html><body><style>.cd-off-page {{ display: none }}
  td, th {{ height: 40px }}</style><main id="rendered_cells"><table>
  <caption>The portfolio</caption><thead><tr><th>Prototype</th></tr></thead>
  <tbody><tr class="{row}"><td>Night-time rounding</td></tr></tbody></table></main>
  </body></html>"""


def test_the_measurements_find_each_fault_and_only_those(browser):
    """The page checks above pass only if each measurement can fail: on a page made with
    one of each fault, each is found, and the near misses beside them are not."""
    page = browser.new_page(viewport={"width": 640, "height": 480})
    try:
        page.set_content(FAULTS)
        overlaps = page.evaluate(js.OVERLAPS, "#rendered_cells")
        assert any('"Join at"' in o and '"with the code"' in o for o in overlaps), overlaps
        assert any('"crossing"' in o and '"crossed"' in o for o in overlaps), overlaps
        assert not any("Stacked" in o or "close" in o or "turned" in o for o in overlaps), (
            overlaps)
        assert page.evaluate(js.SIDEWAYS)["document"] > 0
        measured = page.evaluate(js.TEXT_AND_WIDTH, "#rendered_cells")
        labels = {t: s for s, kind, t in measured["pieces"] if kind == "chart"}
        assert labels["doubled label"] == 20.0  # 10 px drawn at twice its size
        assert measured["body"] == 30.0
        assert [12.0, "text", "select: chosen"] in measured["pieces"]
        small = page.evaluate(js.SMALL_TARGETS, TARGET_PX)
        assert [t.split(" ")[0] for t in small] == ["button[submit]", "input[checkbox]"], small
        assert [what for what, _ in page.evaluate(js.TYPEWRITER)] == ['textarea "Notes"']
        # A table's caption and header alone, its rows on the next page, is no result.
        page.set_content(RESULT_TABLE.format(row="cd-off-page"))
        assert page.evaluate(js.RESULTS_ON_SCREEN) == []
        page.set_content(RESULT_TABLE.format(row=""))
        assert [r[:13] for r in page.evaluate(js.RESULTS_ON_SCREEN)] == ["The portfolio"]
    finally:
        page.close()
