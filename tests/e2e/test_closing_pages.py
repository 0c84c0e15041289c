"""A closed page shuts its kernel down at once, with the server's XSRF check on.

Why: a page that is closed tells the server to shut its kernel down (a request Voila's page
sends as it unloads). That request once failed the XSRF check, so the check was switched off
for the whole server; then any web page a participant visited could post to the server in
their name. Here the check is on, the closing page's request carries its token, and a
cross-site request without one is refused and shuts nothing down.

The server here culls idle kernels only after 10 minutes, so a kernel that goes within the
test's bound went because its page asked, not because the cull caught it.
"""

from __future__ import annotations

import re
import time
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from .conftest import start_server, stop_server, wait_ready

BOUND = 60  # seconds: a bound on waiting for the kernel to go, not a measure


@pytest.fixture(scope="module")
def patient(tmp_path_factory):
    """A server that would cull a closed page's kernel only after ten minutes."""
    server = start_server(tmp_path_factory.mktemp("patient"), 600)
    yield server
    stop_server(server)


def _open_page(browser, server):
    """A start page in its own browser context; returns the page and its kernel's pid."""
    before = server.kernel_pids()
    context = browser.new_context()
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(server.url("00_start.ipynb"))
    wait_ready(page, "Session code")
    mine = server.kernel_pids() - before
    assert len(mine) == 1
    return page, mine.pop()


def _gone_within_bound(server, pid: int) -> bool:
    deadline = time.time() + BOUND
    while time.time() < deadline and pid in server.kernel_pids():
        time.sleep(0.5)
    return pid not in server.kernel_pids()


def test_a_closed_pages_kernel_is_shut_down_at_once(patient, browser):
    page, pid = _open_page(browser, patient)
    refused = []
    page.context.on("response", lambda r: refused.append(r.status)
                    if "api/shutdown" in r.url and r.status >= 400 else None)
    page.close(run_before_unload=True)
    assert _gone_within_bound(patient, pid), "the closed page's kernel is still running"
    assert not refused, f"the shutdown request was refused: {refused}"
    page.context.close()
    assert not re.search(r"40[34] POST .*api/shutdown", patient.log.read_text())


def test_a_cross_site_post_without_the_token_shuts_nothing_down(patient, browser):
    page, pid = _open_page(browser, patient)
    kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', page.content()).group(1)
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies()
                        if c["name"] != "_xsrf")
    shutdown = f"{patient.base}voila/api/shutdown/{kernel}"
    # A form on another site posting to the server (the browser adds that site's Origin),
    # and a script's post with the person's cookies but no token.
    forged = [{"Origin": "http://elsewhere.example", "Content-Type":
               "application/x-www-form-urlencoded"},
              {"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"}]
    codes = []
    for headers in forged:
        try:
            with urlopen(Request(shutdown, data=b"", method="POST",  # noqa: S310 - ours
                                 headers=headers), timeout=30) as reply:
                codes.append(reply.status)
        except HTTPError as err:
            codes.append(err.code)
    assert codes[1] == 403, codes
    assert codes[0] in (403, 404), codes  # refused (Jupyter refuses a foreign origin: 404)
    # The page still works: its kernel was not shut down.
    assert pid in patient.kernel_pids()
    page.get_by_label("Session code").fill("nope")
    page.get_by_role("button", name="Join", exact=True).click()
    page.get_by_role("alert").filter(has_text="not a session code").wait_for()
    page.context.close()
