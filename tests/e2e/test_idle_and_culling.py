"""Idle pages cost nothing, and closed pages do not leave kernels behind."""

from __future__ import annotations

import time

from .conftest import wait_ready


def test_an_idle_console_receives_nothing_for_30_seconds(voila_server, new_page):
    page = new_page()
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
    page.goto(voila_server.url("facilitator.ipynb", f"key={voila_server.key}"))
    wait_ready(page, "Your sessions")
    page.wait_for_timeout(3_000)  # let the first render settle
    assert frames, "the websocket was not observed at all"
    frames.clear()
    page.wait_for_timeout(30_000)
    assert frames == [], f"{len(frames)} messages reached an idle page"


def test_closed_pages_kernels_go_and_open_pages_kernels_stay(voila_server, new_page,
                                                            cull_idle):
    before = voila_server.kernel_pids()
    keep = new_page()
    keep.goto(voila_server.url("00_start.ipynb"))
    wait_ready(keep, "Session code")
    kept = voila_server.kernel_pids() - before
    assert len(kept) == 1

    gone = new_page()
    gone.goto(voila_server.url("00_start.ipynb"))
    wait_ready(gone, "Session code")
    closing = voila_server.kernel_pids() - before - kept
    assert len(closing) == 1
    # Close without running unload handlers: as if the phone died. Culling must catch it.
    gone.context.close()
    deadline = time.time() + cull_idle * 2 + 30
    while time.time() < deadline and closing & voila_server.kernel_pids():
        time.sleep(1)
    assert not closing & voila_server.kernel_pids(), "a closed page's kernel was never culled"
    # The open page, idle all this time, keeps its kernel and still works.
    assert kept <= voila_server.kernel_pids()
    keep.get_by_label("Session code").fill("nope")
    keep.get_by_role("button", name="Join", exact=True).click()
    keep.get_by_role("alert").filter(has_text="not a session code").wait_for()
