"""A participant's kernel gives way to the console and the room screen (``priority``).

Each case runs in a process of its own: a process may lower its priority but not raise it
back, and the test's own process (and its session's group) must keep their own."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from widgets.server import priority

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="nice per thread, read from /proc: Linux")

# Starts a thread before giving way and one after, then prints every thread's niceness and
# its session group's (None where Linux has no autogroup).
SCRIPT = textwrap.dedent("""
    import json, os, sys, threading
    from widgets.server.priority import give_way, group_niceness
    stop = threading.Event()
    before = threading.Thread(target=stop.wait, daemon=True)
    before.start()
    asked = [give_way(page) for page in sys.argv[1:]]
    after = threading.Thread(target=stop.wait, daemon=True)
    after.start()
    nice = {tid: os.getpriority(os.PRIO_PROCESS, int(tid))
            for tid in os.listdir("/proc/self/task")}
    print(json.dumps({"asked": asked, "threads": len(nice),
                      "nice": sorted(set(nice.values())), "group": group_niceness()}))
""")
BASE = os.getpriority(os.PRIO_PROCESS, 0)  # the test's own (a CI may run it niced)
GROUP = priority.group_niceness()  # the test's session group's, or None


def run(*pages: str, env: dict[str, str] | None = None, own_session: bool = True) -> dict:
    """The script in a process of its own, by default leading a session of its own as a
    kernel does (jupyter_client starts each so)."""
    full = {k: v for k, v in os.environ.items() if k != "CONDUCTOR_PARTICIPANT_NICENESS"}
    out = subprocess.run([sys.executable, "-c", SCRIPT, *pages], capture_output=True,
                         text=True, check=True, env={**full, **(env or {})}, timeout=60,
                         start_new_session=own_session)
    return json.loads(out.stdout.strip().splitlines()[-1])


LOWERED = max(BASE, priority.PARTICIPANT_NICENESS)


def test_a_participants_page_lowers_every_thread_of_its_kernel_and_those_it_makes_later():
    seen = run("readiness")
    assert seen["asked"] == [priority.PARTICIPANT_NICENESS]
    assert seen["threads"] >= 3  # the main thread, one made before, one made after
    assert seen["nice"] == [LOWERED]


@pytest.mark.skipif(GROUP is None, reason="no Linux autogroup here")
def test_a_kernel_leading_its_session_lowers_its_group_which_is_what_counts_between_kernels():
    # Where Linux shares the CPU between sessions first (autogroup), a thread's nice ranks
    # it only within its kernel: measured, the console kept 22% of a core beside 8 busy
    # kernels with their threads lowered, as with none, and 99% with their groups lowered
    # (benchmarks/console_share.py).
    assert run("readiness")["group"] == priority.PARTICIPANT_NICENESS


@pytest.mark.skipif(GROUP is None, reason="no Linux autogroup here")
def test_a_process_that_does_not_lead_its_session_leaves_its_terminals_group_alone():
    seen = run("readiness", own_session=False)
    assert seen["nice"] == [LOWERED]  # its own threads, yes
    assert seen["group"] == GROUP  # not the group it shares with the test run


@pytest.mark.parametrize("page", sorted(priority.FACILITATOR_PAGES))
def test_the_console_and_the_room_screen_keep_their_priority(page):
    seen = run(page)
    assert seen["asked"] == [0]
    assert seen["nice"] == [BASE]
    assert seen["group"] in (None, 0)  # a new session's group starts at 0


def test_giving_way_twice_lowers_once():
    assert run("start", "start")["nice"] == [LOWERED]


@pytest.mark.parametrize(("setting", "taken"), [("0", 0), ("4", 4), ("25", 19), ("-3", 0),
                                                ("ten", priority.PARTICIPANT_NICENESS)])
def test_the_server_can_set_another_niceness_or_none(setting, taken):
    seen = run("focus", env={"CONDUCTOR_PARTICIPANT_NICENESS": setting})
    assert seen["asked"] == [taken]
    assert seen["nice"] == [max(BASE, taken)]
    assert seen["group"] in (None, taken)


def test_a_refused_group_change_is_tried_again_a_moment_later(monkeypatch):
    """An unprivileged process may change its group's nice only so often across the
    machine (EAGAIN): a storm's kernels would be refused at once, so each tries again."""
    tries = []

    def write(want):
        tries.append(want)
        return errno.EAGAIN if len(tries) < 3 else 0

    monkeypatch.setattr(priority, "group_niceness", lambda: 0)
    monkeypatch.setattr(priority, "_leads_its_session", lambda: True)
    monkeypatch.setattr(priority, "_write_group", write)
    monkeypatch.setattr(priority, "GROUP_RETRY_PAUSE", (0.0, 0.0))
    priority._lower_group(10)
    deadline = time.monotonic() + 10
    while len(tries) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert tries == [10, 10, 10]


@pytest.mark.parametrize(("setting", "taken", "said"), [
    ("ten", priority.PARTICIPANT_NICENESS, "is not a whole number from 0 to 19"),
    ("25", 19, "is outside 0 to 19; participants' kernels take 19"),
    ("-3", 0, "is outside 0 to 19; participants' kernels take 0")])
def test_a_bad_setting_is_said_in_the_servers_log(monkeypatch, caplog, setting, taken, said):
    monkeypatch.setenv("CONDUCTOR_PARTICIPANT_NICENESS", setting)
    assert priority.niceness() == taken
    assert said in caplog.text
