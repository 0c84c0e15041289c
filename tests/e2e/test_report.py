"""The report in Chromium: downloaded from the console, opened from disk with every outside
request blocked, no console errors, hostile text inert, every table shown when printed, and
no serious accessibility problems."""

from __future__ import annotations

from playwright.sync_api import expect

from widgets import cede
from widgets.server.demo import seed_demo
from widgets.session import View, Viewer
from widgets.store import Store

from .conftest import axe_problems, download_and_open_offline, open_console

HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


def test_the_report_downloads_and_opens_offline(voila_server, new_page, tmp_path):
    server = voila_server
    store = Store(server.db_url)
    session = seed_demo(store, server.key, title="Report day")
    area = cede.focus_areas(View(store, session, Viewer("room")))[0]
    store.save_shared(session.id, cede.BOARD, cede.key("pushback", area),
                      {"who": HOSTILE, "cares": "Safety", "talker": "", "backing": ""},
                      key=server.key)
    store.dispose()

    fac = open_console(new_page, server, session)
    report = download_and_open_offline(
        fac, new_page, tmp_path, "Prepare the workshop report (HTML, prints on A4)",
        "Download the workshop report", "report.html")
    reader, outside = report.page, report.outside
    reader.get_by_role("heading", name="Report day").wait_for()
    for heading in ("Board readiness", "Focus", "Cede: the Delegation Board", "Prototypes",
                    "Appendix: method and record"):
        reader.get_by_role("heading", name=heading, exact=True).wait_for()
    assert reader.locator("svg[role=img]").count() >= 6
    # Printed for the board papers: every table behind a chart is on the page.
    reader.emulate_media(media="print")
    for caption in ("Group ratings, 1 to 5", "Ranking (score out of 100) and robustness",
                    "Commitment per prototype"):
        expect(reader.get_by_role("table", name=caption)).to_be_visible()
    hidden = reader.evaluate("""() => [...document.querySelectorAll('table')]
        .filter(t => t.getClientRects().length === 0).length""")
    assert hidden == 0
    reader.emulate_media(media="screen")
    reader.get_by_text(HOSTILE).wait_for()  # shown as text
    assert reader.evaluate("window.pwned === undefined")
    assert outside == []
    assert not axe_problems(reader)
    assert new_page.watch.errors == []
