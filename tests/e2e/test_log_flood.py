"""A page flooded with bad widget messages (issue 15, item 8): no traceback reaches the
browser, the server's log holds each failure once with a count, and the page works on.

Replaying one message 265,000 times once wrote 264,027 tracebacks (164 MB) to the log, and a
message that fails in the kernel sent its traceback to the page over the websocket (an
iopub ``error``, or a ``stream`` on stderr from a library's log). Here a script sends 2,000
copies of each of four bad messages to a start page, as anyone on the room's network could.

This module runs its own server whose kernels forward their stderr to the page, as they do
in a real room: ipykernel does not do that under pytest (it looks for PYTEST_CURRENT_TEST,
which a server started from a test inherits).
"""

from __future__ import annotations

import re
import time
import uuid

import pytest

from widgets.store import Store

from .conftest import start_server, stop_server
from .protocol import PageClient

COPIES = 2000


@pytest.fixture(scope="module")
def server(tmp_path_factory, cull_idle):
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("PYTEST_CURRENT_TEST", raising=False)
        s = start_server(tmp_path_factory.mktemp("flood"), cull_idle)
    yield s
    stop_server(s)


def flood(page: PageClient, send) -> None:
    """``send(wait)`` COPIES times; the kernel has handled them all when this returns (it
    handles a page's messages in order: waiting for the last is waiting for all), and the
    page was told of every one: none of the kernel's replies was dropped on the way. Over
    Unix sockets ZeroMQ dropped 60 to 240 of them on a busy machine, and the wait for the
    last then never ended (widgets/server/kernel_launcher.py)."""
    sent = [send(i == COPIES - 1) for i in range(COPIES)]
    lost = [m for m in sent if not page.handled(m)]
    assert not lost, f"{len(lost)} of {COPIES} messages' replies never reached the page"


def wait_for_log(server, pattern: str, count: int, start: int) -> str:
    """The log written since ``start`` once ``pattern`` has matched ``count`` lines' worth
    of repeats (a bound on the wait, not a measure)."""
    deadline = time.monotonic() + 60
    while True:
        text = server.log.read_text()[start:]
        if sum(int(n.replace(",", "")) for n in re.findall(pattern, text)) >= count:
            return text
        if time.monotonic() > deadline:
            pytest.fail(f"no count of {count} for {pattern!r} in the log:\n{text[-3000:]}")
        time.sleep(0.2)


def test_a_flood_of_bad_messages_logs_each_failure_once_and_reaches_no_browser(server):
    store = Store(server.db_url)
    try:
        session = store.create_session("Flood", server.key)
    finally:
        store.dispose()
    page = PageClient(server.url("00_start.ipynb")).open()
    start = len(server.log.read_text())
    code = page.find(description="Session code", model_name="TextModel")
    name = page.find(description="Your name", model_name="TextModel")
    join = page.find(description="Join", model_name="ButtonModel")

    # A value the trait refuses (ipywidgets shows the TraitError's traceback).
    flood(page, lambda wait: page.update(code, {"value": 12345}, wait=wait))
    # A custom message its handler cannot read (the button's handler raises).
    flood(page, lambda wait: page.custom(join, 5, wait=wait))
    # A comm message with no comm id (ipykernel logs "Exception in message handler").
    flood(page, lambda wait: page.send_raw("comm_msg", {"data": {}}, wait=wait))
    # Widgets that cannot be made (the Comm logger's "Exception opening comm").
    flood(page, lambda wait: page.send_raw("comm_open", {
        "comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget", "data": {}}, wait=wait))

    # The page still works: a person joins.
    page.set(code, value=session.code)
    page.set(name, value="Asha")
    page.click(join)
    page.wait_for_text("Welcome")

    # Nothing of it reached the page: no error, no stderr, no traceback.
    assert ("iopub", "error") not in page.received
    assert not [o for o in page.outputs if o["type"] in ("error", "stream")], \
        [str(o)[:400] for o in page.outputs[:3]]
    page.shutdown()  # a kernel that ends writes its pending counts

    # The server's log: each failure once with its traceback, then a count of the rest.
    text = wait_for_log(server, r"repeated ([\d,]+) times", 4 * (COPIES - 1), start)
    assert text.count("Traceback (most recent call last)") == 4, text[-4000:]
    for failure in ("TraitError", "AttributeError", "KeyError: 'comm_id'",
                    "Exception opening comm with target"):
        assert failure in text, failure
    assert len(text) < 100_000, f"the log grew by {len(text):,} characters"
