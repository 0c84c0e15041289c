"""A participant's kernel gives way to the console and the room screen (``priority``).

Each case runs in a process of its own: a process may lower its priority but not raise it
back, and the test's own process must keep its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from widgets.server import priority

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="nice per thread, read from /proc: Linux")

# Starts a thread before giving way and one after, then prints every thread's niceness.
SCRIPT = textwrap.dedent("""
    import json, os, sys, threading
    from widgets.server.priority import give_way
    stop = threading.Event()
    before = threading.Thread(target=stop.wait, daemon=True)
    before.start()
    asked = [give_way(page) for page in sys.argv[1:]]
    after = threading.Thread(target=stop.wait, daemon=True)
    after.start()
    nice = {tid: os.getpriority(os.PRIO_PROCESS, int(tid))
            for tid in os.listdir("/proc/self/task")}
    print(json.dumps({"asked": asked, "threads": len(nice),
                      "nice": sorted(set(nice.values()))}))
""")


def run(*pages: str, env: dict[str, str] | None = None) -> dict:
    full = {k: v for k, v in os.environ.items() if k != "CONDUCTOR_PARTICIPANT_NICENESS"}
    out = subprocess.run([sys.executable, "-c", SCRIPT, *pages], capture_output=True,
                         text=True, check=True, env={**full, **(env or {})}, timeout=60)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_participants_page_lowers_every_thread_of_its_kernel_and_those_it_makes_later():
    seen = run("readiness")
    assert seen["asked"] == [priority.PARTICIPANT_NICENESS]
    assert seen["threads"] >= 3  # the main thread, one made before, one made after
    assert seen["nice"] == [priority.PARTICIPANT_NICENESS]


@pytest.mark.parametrize("page", sorted(priority.FACILITATOR_PAGES))
def test_the_console_and_the_room_screen_keep_their_priority(page):
    seen = run(page)
    assert seen["asked"] == [0]
    assert seen["nice"] == [os.getpriority(os.PRIO_PROCESS, 0)]  # as the test's process


def test_giving_way_twice_lowers_once():
    assert run("start", "start")["nice"] == [priority.PARTICIPANT_NICENESS]


@pytest.mark.parametrize(("setting", "taken"), [("0", 0), ("4", 4), ("25", 19), ("-3", 0),
                                                ("ten", priority.PARTICIPANT_NICENESS)])
def test_the_server_can_set_another_niceness_or_none(setting, taken):
    seen = run("focus", env={"CONDUCTOR_PARTICIPANT_NICENESS": setting})
    assert seen["asked"] == [taken]
    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert seen["nice"] == [max(base, taken)]


def test_a_bad_setting_is_said_in_the_servers_log(monkeypatch, caplog):
    monkeypatch.setenv("CONDUCTOR_PARTICIPANT_NICENESS", "ten")
    assert priority.niceness() == priority.PARTICIPANT_NICENESS
    assert "not a whole number from 0 to 19" in caplog.text
