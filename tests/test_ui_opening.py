"""Pages in Voila open at once and are built in a thread while the browser loads."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict

import pytest

from widgets import focus
from widgets.server import kernel_quiet
from widgets.session import View, Viewer, join
from widgets.store import schema
from widgets.ui import pages
from widgets.ui.common import STYLE
from widgets.ui.poll import Poller
from widgets.ui.shell import opening

from .helpers import as_pool_kernel, as_voila_page, find_button, kernel_loop_of_its_own, on
from .test_ui_pages import texts


@pytest.fixture
def voila(monkeypatch, sqlite_store):
    key = as_voila_page(monkeypatch, sqlite_store)
    session = sqlite_store.create_session("Opening", key)
    _, token = join(sqlite_store, session.code, "Asha")
    monkeypatch.setenv("QUERY_STRING", f"p={token}")
    return monkeypatch


@pytest.fixture
def kernel_loop(voila):
    with kernel_loop_of_its_own(voila) as loop:
        yield loop


def polls(loop) -> list[asyncio.Task]:
    return on(loop, lambda: [t for t in asyncio.all_tasks() if getattr(
        t.get_coro(), "__qualname__", "") == Poller._run.__qualname__])


def test_a_page_opens_at_once_and_fills_in_when_built(kernel_loop):
    page = pages.readiness_page()
    assert len(page.children) == 1  # the page style, until the build is done
    page.opening.join(timeout=60)
    shown = texts(page)
    assert "Everyone here could say our mission" in shown  # the readiness form
    assert shown.count(STYLE) == 1  # one copy of the style
    assert len(polls(kernel_loop)) == 1  # the page's poll runs in the kernel's loop


def test_a_page_that_cannot_be_served_says_why_after_opening(voila, kernel_loop):
    voila.setenv("QUERY_STRING", "p=forged")
    page = pages.cede_page()
    page.opening.join(timeout=60)
    assert "This link is not recognised" in texts(page)
    assert polls(kernel_loop) == []


def test_a_build_that_fails_shows_a_plain_message_and_logs_it(voila, kernel_loop, caplog):
    def broken(view, solo):
        raise RuntimeError("a bug")

    from widgets.ui.focus import page as focus_page

    voila.setattr(focus_page, "participant_parts", broken)
    with caplog.at_level(logging.ERROR, logger=opening.__name__):
        page = pages.focus_page()
        page.opening.join(timeout=60)
    shown = texts(page)
    assert "Something went wrong opening this page" in shown and "a bug" not in shown
    assert "a bug" in caplog.text


def test_a_preheated_page_on_a_store_with_a_problem_says_what_it_is(voila, kernel_loop,
                                                                    sqlite_store):
    """A preheated kernel imports and opens the store in its cell, before any request: a
    store problem there must still become the page's message, not a traceback."""
    from widgets import urls

    as_pool_kernel(voila)
    voila.setattr(urls, "wait_for_request", lambda: voila.setenv("QUERY_STRING", "code=ABC234"))
    sqlite_store.set_setting("schema_version", "77")
    voila.setattr(pages, "_STORE", None)
    voila.setenv("CONDUCTOR_DATABASE_URL", sqlite_store.url)
    page = pages.start_page()
    page.opening.join(timeout=60)
    assert "schema version 77" in texts(page)


@pytest.fixture
def revealed_focus(voila, sqlite_store):
    """A session whose Focus scores and weights are revealed, on its Focus decision step;
    no results worked out yet in this process."""
    from widgets.server.demo import seed_demo

    key = as_voila_page(voila, sqlite_store)
    session = seed_demo(sqlite_store, key)
    sqlite_store.set_current_stage(session.id, focus.DECIDE, key)
    voila.setattr(focus, "_RESULTS", OrderedDict())
    with sqlite_store.engine.begin() as conn:  # nor kept by another kernel (seed_demo's)
        conn.execute(schema.worked_out.delete())
    return session, key


def wait_for(loop, check, seconds: float = 30.0):
    import time

    deadline = time.monotonic() + seconds
    while not on(loop, check):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.parametrize("who", ["participant", "room", "console"])
def test_the_focus_ranking_fills_in_once_the_browser_has_the_page(revealed_focus, voila,
                                                                 kernel_loop, sqlite_store,
                                                                 who):
    """Working out the ranking (pandas, 20,000 weightings) would hold up the whole page: the
    page opens saying it is on its way, and the ranking and the decision built from it
    arrive once the browser has its snapshot. The console builds all its module tools
    then."""
    import ipywidgets as w

    from .test_ui_pages import _all

    session, key = revealed_focus
    if who == "participant":  # with no console open, it works the ranking out after a wait
        voila.setattr(focus, "WAIT_FOR_RANKING_SECONDS", 0.2)
        _, token = join(sqlite_store, session.code, "Late reader")
        voila.setenv("QUERY_STRING", f"p={token}")
    else:
        voila.setenv("QUERY_STRING", f"room={session.room_token}" if who == "room"
                     else f"key={key}&session={session.code}")
    page = getattr(pages, {"participant": "focus", "room": "room", "console": "console"}[who]
                   + "_page")()
    page.opening.join(timeout=60)
    before = texts(page)
    assert ("Loading the Focus tools" if who == "console" else  # built once shown
            "Working out the ranking and how robust it is") in before
    assert "The ranking" not in before and "Ranking (score out of 100)" not in before
    sepsis = lambda: len([b for b in _all(page, w.Checkbox) if b.description == "Sepsis"])  # noqa: E731
    ticks = sepsis()  # none yet on the console: its Focus tools come once shown
    opening.page_shown()  # the browser's snapshot has been answered
    wait_for(kernel_loop, lambda: "Ranking (score out of 100)" in texts(page))
    after = texts(page)
    assert "Working out the ranking" not in after
    assert "Where people differ most" in after
    if who == "console":  # the shortlist and the decision panel offer each area
        wait_for(kernel_loop, lambda: sepsis() == ticks + 2)
        assert "Loading the Focus tools" not in after


def test_a_ranking_kept_by_another_kernel_is_on_the_page_as_it_opens(revealed_focus, voila,
                                                                     kernel_loop, sqlite_store):
    """The console worked the ranking out and kept it: a participant's page opening later
    reads it with the rest of the page, and never works it out (no pandas in its kernel)."""
    session, key = revealed_focus
    focus.results(View(sqlite_store, session, Viewer("facilitator", key=key)))
    voila.setattr(focus, "_RESULTS", OrderedDict())  # the page's kernel is another process

    def refuse(*_args):
        raise AssertionError("the page worked the ranking out")
    voila.setattr(focus, "_compute", refuse)
    _, token = join(sqlite_store, session.code, "Late reader")
    voila.setenv("QUERY_STRING", f"p={token}")
    page = pages.focus_page()
    page.opening.join(timeout=60)
    before = texts(page)
    assert "Ranking (score out of 100)" in before and "Working out the ranking" not in before


def test_work_asked_for_twice_while_building_runs_once_after_the_snapshot(kernel_loop):
    import ipywidgets as w

    ran: list[str] = []
    first, second = (lambda: ran.append("first")), (lambda: ran.append("second"))

    def build():
        for start in (first, first, second):  # a part refreshed twice while building
            opening.when_shown(start)
        assert ran == []
        return w.VBox([w.HTML("style"), w.HTML("page")])

    page = opening.open_page(build, lambda *c: w.VBox([w.HTML("frame"), *c]),
                             lambda: w.VBox([w.HTML("failed")]))
    page.opening.join(timeout=60)
    on(kernel_loop, lambda: None)
    assert ran == []  # nothing before the browser has the page
    opening.page_shown()
    on(kernel_loop, lambda: None)
    assert ran == ["first", "second"]


def test_waiting_work_runs_anyway_if_no_browser_asks(revealed_focus, voila, kernel_loop,
                                                     sqlite_store):
    session, _ = revealed_focus
    _, token = join(sqlite_store, session.code, "Late reader")
    voila.setenv("QUERY_STRING", f"p={token}")
    voila.setattr(opening, "SHOWN_SECONDS", 0.2)
    voila.setattr(focus, "WAIT_FOR_RANKING_SECONDS", 0.2)  # and no console keeps it
    page = pages.focus_page()
    page.opening.join(timeout=60)
    wait_for(kernel_loop, lambda: "Ranking (score out of 100)" in texts(page))


def test_outside_a_kernel_a_page_is_built_in_place(voila):
    page = pages.readiness_page()
    assert not hasattr(page, "opening")
    assert "Everyone here could say our mission" in texts(page)


KERNEL_CODE = r'''
import time
import ipywidgets as w
from widgets.ui.shell import opening

def build():
    time.sleep(1.5)  # a slow build: the browser asks for the page meanwhile
    global NOTE
    NOTE = w.HTML("building")
    NOTE.value = "built"  # a change made during the build: carried by the snapshot only
    later = w.HTML("on its way")
    opening.when_shown(lambda: setattr(later, "value", "arrived after the snapshot"))
    return w.VBox([w.HTML("style"), NOTE, later])

outer = opening.open_page(build, lambda *c: w.VBox([w.HTML("frame style"), *c]),
                          lambda: w.VBox([w.HTML("failed")]))
outer
'''


def test_in_a_real_kernel_the_browser_gets_the_whole_page_and_later_updates():
    """The browser's snapshot waits for the build, widgets made by it announce nothing,
    and they still send their updates afterwards."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        opened: list[dict] = []
        kc.execute_interactive(KERNEL_CODE, timeout=60, output_hook=lambda m: opened.append(m)
                               if m["msg_type"] == "comm_open" else None)
        # The browser connects mid-build and asks for every widget's state.
        control = "control-test"
        kc.shell_channel.send(kc.session.msg("comm_open", {
            "comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
            metadata={"version": "1.0.0"}))
        kc.shell_channel.send(kc.session.msg("comm_msg", {
            "comm_id": control, "data": {"method": "request_states"}}))
        states, seen = None, []
        while states is None:
            msg = kc.get_iopub_msg(timeout=30)
            seen.append(msg)
            data = msg["content"].get("data", {})
            if msg["msg_type"] == "comm_msg" and data.get("method") == "update_states":
                states = data["states"]
        values = {s["state"].get("value") for s in states.values()}
        assert "built" in values and "frame style" in values  # the whole page, at once
        assert "on its way" in values  # work waiting for the snapshot had not run
        while "arrived after the snapshot" not in [
                msg["content"]["data"].get("state", {}).get("value") for msg in seen
                if msg["msg_type"] == "comm_msg"]:  # and runs once it has been answered
            seen.append(kc.get_iopub_msg(timeout=30))
        assert "style" not in values  # the build's own style copy was dropped
        assert not [m for m in seen if m["msg_type"] == "comm_open"]  # the build said nothing
        built = set(states) - {m["content"]["comm_id"] for m in opened}
        before = seen[:seen.index(next(m for m in seen if m["msg_type"] == "comm_msg" and
                                       m["content"]["data"].get("method") == "update_states"))]
        assert not [m for m in before if m["msg_type"] == "comm_msg"  # nor sent its changes
                    and m["content"]["comm_id"] in built]
        # After the build, its widgets send their updates like any other.
        updates = []
        kc.execute_interactive("NOTE.value = 'changed'", timeout=30, output_hook=lambda m:
                               updates.append(m["content"]["data"].get("state", {}).get("value"))
                               if m["msg_type"] == "comm_msg" else None)
        assert "changed" in updates
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_preheated_kernel_keeps_failures_off_the_page_once_its_request_comes(
        monkeypatch, sqlite_store):
    """A pool kernel has no SERVER_SOFTWARE until its request arrives (Voila sends it with
    the request), so the page function cannot tell it is in Voila when it is first called:
    the traceback silencing (kernel_quiet) must still be installed once the request is in,
    before the page is built for a person."""
    from widgets import urls
    from widgets.server import kernel_quiet

    key = as_voila_page(monkeypatch, sqlite_store)
    session = sqlite_store.create_session("Preheated", key)
    as_pool_kernel(monkeypatch, "SERVER_SOFTWARE")

    def request_arrives():
        monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5")
        monkeypatch.setenv("QUERY_STRING", f"code={session.code}")

    monkeypatch.setattr(urls, "wait_for_request", request_arrives)
    installed = []
    monkeypatch.setattr(kernel_quiet, "install", lambda: installed.append(urls.in_voila()))
    page = pages.start_page()
    assert installed and installed[-1] is True
    shown = texts(page)
    assert "Prototype: design small tests of change" in shown  # the page was built
    assert "Something went wrong" not in shown


def test_a_preheated_page_opens_before_its_request_and_is_built_when_it_comes(
        voila, kernel_loop, sqlite_store):
    """A pool kernel (no SERVER_SOFTWARE until its request) returns its page's frame at once,
    so Voila renders the page ahead and sends it the moment someone asks; the page is built
    in the thread once the request is in.

    Why: built in the cell instead, the page's HTML waited for the whole build and for
    Voila to read every widget's announcement (about 150 on the readiness check): 1.3 s
    median, 3.9 s p95 of the start page's HTML and 4.1 s median on the readiness check in a
    storm of 40 with pools of 40 (join_storm.py, 7 Dec), with "Timeout waiting for IOPub
    output" in the server's log."""
    from widgets import urls

    session = sqlite_store.create_session("Pool", as_voila_page(voila, sqlite_store))
    as_pool_kernel(voila, "SERVER_SOFTWARE")
    arrived = threading.Event()

    def request_comes():  # the kernel waits here until someone asks for the page
        assert arrived.wait(60), "the test never sent the request"
        voila.setenv("SERVER_SOFTWARE", "voila/0.5")
        voila.setenv("QUERY_STRING", f"code={session.code}")

    voila.setattr(urls, "wait_for_request", request_comes)
    installed = []  # kernel_quiet: installed in Voila, before the page is built for a person
    voila.setattr(kernel_quiet, "install", lambda: installed.append(
        (urls.in_voila(), bool(urls.query_params()))) or urls.in_voila())
    made = []
    cell = threading.Thread(target=lambda: made.append(pages.start_page()), daemon=True)
    cell.start()
    cell.join(30)
    try:
        assert made, "the cell waited for the request instead of returning the page's frame"
        page = made[0]
        assert len(page.children) == 1  # the frame: the page style only
        assert page.opening.is_alive()  # waiting for its request
    finally:
        arrived.set()
        cell.join(60)  # a cell still waiting must not touch the environment after the test
    page.opening.join(timeout=60)
    assert (True, True) in installed  # once the request was in
    assert find_button(page, "Join") is not None
    assert len(polls(kernel_loop)) == 1  # its poll runs in the kernel's loop

