"""The facilitator's keys on the room screen (issue 17, item 2), in Chromium: F asks for full
screen (and Escape leaves it), the arrows and Page Up/Down page through a long result, ``?``
shows and hides the list of keys; none of them act while someone types in a text box, and
none needs the kernel (the page's own script, share/.../conductor/static/room.js)."""

from __future__ import annotations

from widgets.server.demo import seed_demo
from widgets.session import View, Viewer, move_room
from widgets.store import Store

from .conftest import wait_ready

FULL_HD = {"width": 1920, "height": 1080}

# Counts the page's calls for full screen (and still makes them): a headless browser may
# refuse to enter full screen, and the test is about the key asking for it. ``delay``
# holds a request back that many ms, as a busy machine does (the browser is then asked
# while the key press still counts as the person's); ``settled`` counts requests answered.
SPY = """(() => {
  window.__cdFull = {asked: 0, left: 0, delay: 0, settled: 0};
  const ask = Element.prototype.requestFullscreen;
  Element.prototype.requestFullscreen = function (...a) {
    window.__cdFull.asked += 1;
    const go = () => ask ? ask.apply(this, a) : Promise.resolve();
    const wait = window.__cdFull.delay;
    const asked = wait ? new Promise(r => setTimeout(r, wait)).then(go) : go();
    return asked.catch(() => {}).finally(() => { window.__cdFull.settled += 1; }); };
  const leave = Document.prototype.exitFullscreen;
  Document.prototype.exitFullscreen = function (...a) {
    window.__cdFull.left += 1;
    return leave ? leave.apply(this, a).catch(() => {}) : Promise.resolve(); };
})();"""

PAGE_SHOWN = """() => { const p = document.querySelector('.cd-room-pager');
  return p && p.checkVisibility() ? p.textContent : null; }"""

# The first visible piece of the result on show (what "the shown page" starts with).
FIRST_SHOWN = """() => [...document.querySelectorAll('.cd-room-results [data-cd-block]')]
  .filter(e => e.checkVisibility()).map(e => e.textContent.trim().slice(0, 60))[0] || null"""


def test_room_keys(voila_server, new_page):
    server = voila_server
    store = Store(server.db_url)
    try:
        demo = seed_demo(store, server.key, title="Keys day")
        fac = View(store, store.session(demo.id), Viewer("facilitator", key=server.key))
        move_room(fac, "cede.board")  # the Delegation Board: longer than one screen
    finally:
        store.dispose()
    page = new_page(FULL_HD)
    page.add_init_script(SPY)
    page.goto(server.url("room.ipynb", f"room={demo.room_token}"))
    wait_ready(page, "Join at", timeout=180_000)
    page.get_by_text("Now: Cede").first.wait_for(timeout=90_000)

    # A long result is split into pages, the first on show.
    page.wait_for_function("(" + PAGE_SHOWN + ")()?.startsWith('Page 1 of')",
                           timeout=60_000)
    pages = int(page.evaluate(PAGE_SHOWN).split(" of ")[1].split()[0])
    assert pages >= 2
    first = page.evaluate(FIRST_SHOWN)
    page.keyboard.press("ArrowRight")
    assert page.evaluate(PAGE_SHOWN).startswith("Page 2 of")
    assert page.evaluate(FIRST_SHOWN) != first
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(PAGE_SHOWN).startswith("Page 1 of")
    assert page.evaluate(FIRST_SHOWN) == first
    page.keyboard.press("PageDown")
    assert page.evaluate(PAGE_SHOWN).startswith("Page 2 of")
    page.keyboard.press("PageUp")
    assert page.evaluate(PAGE_SHOWN).startswith("Page 1 of")

    # F asks for full screen; Escape leaves it.
    page.keyboard.press("f")
    assert page.evaluate("window.__cdFull.asked") == 1
    page.wait_for_function("window.__cdFull.settled === 1")
    page.keyboard.press("Escape")
    page.wait_for_function("!document.fullscreenElement")
    # Escape pressed before full screen has come (a busy laptop takes its time) still
    # leaves it once it comes: the screen never stays full after the person said no.
    page.evaluate("window.__cdFull.delay = 400")
    page.keyboard.press("f")
    page.keyboard.press("Escape")
    page.wait_for_function("window.__cdFull.settled === 2 && !document.fullscreenElement",
                           timeout=15_000)
    # It did come, and was left: the page asks to leave only a full screen it is in.
    assert page.evaluate("window.__cdFull.left") == 2
    page.evaluate("window.__cdFull.delay = 0")

    # ? shows the keys, readable, and ? or Escape hides them.
    help_panel = page.get_by_role("dialog", name="Keys for the room screen")
    assert not help_panel.is_visible()
    page.keyboard.press("?")
    help_panel.wait_for(state="visible")
    for words in ("F", "Escape", "Page Down", "?"):
        assert words in help_panel.inner_text()
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                         "'.cd-room-help li')).fontSize)")
    assert size >= 28
    page.keyboard.press("?")
    help_panel.wait_for(state="hidden")
    page.keyboard.press("?")
    help_panel.wait_for(state="visible")
    page.keyboard.press("Escape")
    help_panel.wait_for(state="hidden")

    # Typing in a text box is typing, not a key for the room.
    page.evaluate("""() => { const i = document.createElement('input');
      i.setAttribute('aria-label', 'A note'); i.id = 'typed';
      document.querySelector('#rendered_cells').prepend(i); i.focus(); }""")
    page.keyboard.type("f?")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.querySelector('#typed').value") == "f?"
    assert page.evaluate("window.__cdFull.asked") == 2
    assert not help_panel.is_visible()
    assert page.evaluate(PAGE_SHOWN).startswith("Page 1 of")


def test_keys_act_only_on_the_room_screen(voila_server, new_page):
    """A participant's page pressing F or ? gets nothing from the room's script."""
    page = new_page(FULL_HD)
    page.add_init_script(SPY)
    page.goto(server_url := voila_server.url("00_start.ipynb"))
    assert server_url
    wait_ready(page, "Session code")
    page.locator("body").press("f")
    page.locator("body").press("?")
    assert page.evaluate("window.__cdFull.asked") == 0
    assert page.get_by_role("dialog", name="Keys for the room screen").count() == 0
