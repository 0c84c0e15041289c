"""In the real server, participants' kernels give way to the facilitator's (``priority``):
every thread of a participant's page's kernel, and its session's group, run at the
participants' niceness; the console's and the room screen's at the server's own priority.
Read from Linux's /proc, for the kernel process each page was given."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from widgets.server.priority import niceness

from .protocol import PageClient

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="nice per thread, read from /proc: Linux")


def _niceness(server, kernel_id: str) -> tuple[set[int], int | None]:
    """The niceness of every thread of the kernel process for ``kernel_id``, and of its
    session's group (None without Linux autogroup)."""
    for pid in server.kernel_pids():
        proc = Path(f"/proc/{pid}")
        if f"kernel-{kernel_id}.json" in proc.joinpath("cmdline").read_bytes().decode():
            threads = {os.getpriority(os.PRIO_PROCESS, int(tid))
                       for tid in os.listdir(proc / "task")}
            try:
                group = int((proc / "autogroup").read_text().split("nice")[1])
            except (OSError, IndexError, ValueError):
                group = None
            return threads, group
    raise AssertionError(f"no process for kernel {kernel_id}")


def test_participants_pages_give_way_to_the_console_and_the_room_screen(voila_server,
                                                                        seed_session):
    seeded = seed_session("Who goes first", ["Asha"])
    s = seeded.session
    server_nice = os.getpriority(os.PRIO_PROCESS, voila_server.proc.pid)
    lowered = max(server_nice, niceness())  # the server's environment is the test's
    pages = {  # name: (address, what it shows once built, a participant's?)
        "console": (voila_server.url("facilitator.ipynb",
                                     f"key={voila_server.key}&session={s.code}"),
                    "Who goes first", False),
        "room": (voila_server.url("room.ipynb", f"room={s.room_token}"), s.code, False),
        "start": (voila_server.url("00_start.ipynb"), "Session code", True),
        "readiness": (voila_server.url("00_readiness.ipynb", f"p={seeded.tokens['Asha']}"),
                      "Board readiness check", True),
    }
    for name, (url, shown, participant) in pages.items():
        page = PageClient(url).open()
        try:
            page.wait_for_text(shown)
            threads, group = _niceness(voila_server, page.kernel_id)
            assert threads == {lowered if participant else server_nice}, name
            # Its session's group: what ranks it against the console's where Linux shares
            # the CPU between sessions first (each kernel leads a session of its own). Not
            # root, a kernel may be refused for a moment and try again: a bound, not a
            # measure.
            want = niceness() if participant else 0
            deadline = time.monotonic() + 20
            while group not in (None, want) and time.monotonic() < deadline:
                time.sleep(0.2)
                group = _niceness(voila_server, page.kernel_id)[1]
            assert group in (None, want), name
        finally:
            page.shutdown()
