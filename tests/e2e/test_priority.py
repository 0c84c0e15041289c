"""In the real server, participants' kernels give way to the facilitator's (``priority``):
every thread of a participant's page's kernel runs at ``PARTICIPANT_NICENESS``, the console's
and the room screen's at the server's own priority. Read from Linux's /proc, for the kernel
process each page was given."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from widgets.server.priority import PARTICIPANT_NICENESS

from .protocol import PageClient

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="nice per thread, read from /proc: Linux")


def _niceness(server, kernel_id: str) -> set[int]:
    """The niceness of every thread of the kernel process for ``kernel_id``."""
    for pid in server.kernel_pids():
        proc = Path(f"/proc/{pid}")
        if f"kernel-{kernel_id}.json" in proc.joinpath("cmdline").read_bytes().decode():
            return {os.getpriority(os.PRIO_PROCESS, int(tid))
                    for tid in os.listdir(proc / "task")}
    raise AssertionError(f"no process for kernel {kernel_id}")


def test_participants_pages_give_way_to_the_console_and_the_room_screen(voila_server,
                                                                        seed_session):
    seeded = seed_session("Who goes first", ["Asha"])
    s = seeded.session
    server_nice = os.getpriority(os.PRIO_PROCESS, voila_server.proc.pid)
    pages = {
        "console": (voila_server.url("facilitator.ipynb", f"key={voila_server.key}"),
                    "Who goes first", server_nice),
        "room": (voila_server.url("room.ipynb", f"room={s.room_token}"), s.code, server_nice),
        "start": (voila_server.url("00_start.ipynb"), "Session code", PARTICIPANT_NICENESS),
        "readiness": (voila_server.url("00_readiness.ipynb", f"p={seeded.tokens['Asha']}"),
                      "Board readiness check", PARTICIPANT_NICENESS),
    }
    for name, (url, shown, expected) in pages.items():
        page = PageClient(url).open()
        try:
            page.wait_for_text(shown)
            assert _niceness(voila_server, page.kernel_id) == {expected}, name
        finally:
            page.shutdown()
