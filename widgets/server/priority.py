"""A participant's page gives way to the facilitator's console and the room screen.

Why: every page in Voila is a kernel (a Python process) on the facilitator's laptop. In a
join storm forty to eighty of them build their pages at once on two cores, and the
console and the room screen, one kernel each, wait their turn with the rest: with pools for
80 (``conductor serve --expect 80``) the console showed people's answers 6 to 13 s after
they were saved (median over the counts; ``benchmarks/join_storm.py``, 7 Dec 2026). The
facilitator runs the room from those two screens. So a participant's kernel lowers its own
CPU priority (``nice``): when the machine is full, the console, the room screen and Voila
itself (which renders every page and carries its messages) are served first; when it has
time to spare, nice changes nothing. Measured with ``--expect 80``: the console's lag 0.2
to 0.4 s, and the first page's p95 1.0 to 1.2 s against 4.9 s.

Linux keeps a nice value for each thread, not each process, and a new thread takes its
maker's: so every thread the kernel already has is lowered, and the threads it makes later
(the page's build) follow. Elsewhere ``setpriority`` on the process does the whole.

That alone ranks a kernel's threads only against each other where Linux groups processes
by session (autogroup: most desktops, and this kit's test machines): the CPU is shared
between the groups first, and jupyter_client starts every kernel in a session of its own,
so eighty participants' groups and the console's counted alike whatever their threads'
nice. So a kernel that leads its own session also lowers its group's nice
(``/proc/self/autogroup``), which ranks the whole kernel against the console's. The kernel
refuses an unprivileged change more often than ten times a second across the machine: a
kernel refused retries a moment later, in a thread, for a while. Never for a process that
does not lead its own session (a script, a test): its group is its terminal's.
A process may always lower its own priority; raising it back needs privileges, so
``PARTICIPANT_NICENESS`` is never applied outside a Voila page's kernel (a test or a
notebook in JupyterLab keeps its priority).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import random
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

PARTICIPANT_NICENESS = 10
"""How far a participant's kernel lowers its priority (0 to 19; 0 leaves it). At 10 a
kernel weighs about a tenth of one at 0 when the CPU is contended (Linux's scheduler), so
the console counts for as much as ten participants' pages. ``CONDUCTOR_PARTICIPANT_NICENESS``
sets another (0 turns this off)."""

FACILITATOR_PAGES = frozenset({"console", "room"})
"""The pages that keep their priority: the ones the facilitator runs the room from."""

_TASKS = Path("/proc/self/task")
_GROUP = Path("/proc/self/autogroup")  # "/autogroup-123 nice 0"
GROUP_RETRY_SECONDS = 30.0  # refused all that while (a storm of kernels): left as it is
GROUP_RETRY_PAUSE = (0.1, 0.5)  # seconds between tries, drawn at random: a storm's spread


def niceness() -> int:
    """The niceness participants' kernels take: ``CONDUCTOR_PARTICIPANT_NICENESS`` if set to
    a whole number (bounded to 0..19), else ``PARTICIPANT_NICENESS``."""
    raw = os.environ.get("CONDUCTOR_PARTICIPANT_NICENESS", "").strip()
    try:
        value = int(raw) if raw else PARTICIPANT_NICENESS
    except ValueError:
        log.warning("CONDUCTOR_PARTICIPANT_NICENESS=%r is not a whole number from 0 to 19; "
                    "participants' kernels take %d", raw, PARTICIPANT_NICENESS)
        value = PARTICIPANT_NICENESS
    if not 0 <= value <= 19:
        log.warning("CONDUCTOR_PARTICIPANT_NICENESS=%r is outside 0 to 19; participants' "
                    "kernels take %d", raw, min(max(value, 0), 19))
    return min(max(value, 0), 19)


def _threads() -> list[int]:
    """This process's threads (Linux), or [0]: the process itself, where nice is per
    process."""
    with contextlib.suppress(OSError):
        return [int(tid) for tid in os.listdir(_TASKS)]
    return [0]


def give_way(page: str) -> int:
    """Lower this kernel's priority to ``niceness()`` if ``page`` is a participant's (not
    ``FACILITATOR_PAGES``); never raises it back, and a second call changes nothing.
    Returns the niceness now asked for (0: left as it was)."""
    want = 0 if page in FACILITATOR_PAGES else niceness()
    if want <= 0 or not hasattr(os, "setpriority"):
        return 0
    _lower_group(want)
    seen: set[int] = set()
    for _ in range(3):  # again for a thread started meanwhile by one not yet lowered
        threads = [tid for tid in _threads() if tid not in seen]
        if not threads:
            break
        for tid in threads:
            seen.add(tid)
            with contextlib.suppress(OSError):  # a thread that has just ended
                if os.getpriority(os.PRIO_PROCESS, tid) < want:
                    os.setpriority(os.PRIO_PROCESS, tid, want)
    return want


def group_niceness() -> int | None:
    """This process's session group's nice (Linux autogroup), or None where there is none."""
    try:
        return int(_GROUP.read_text().split("nice")[1])
    except (OSError, IndexError, ValueError):
        return None


def _lower_group(want: int) -> None:
    """Lower this session's group to ``want`` if this process leads its session (a kernel
    started by jupyter_client); refused for now (EAGAIN, the machine-wide limit), retried in
    a thread for up to ``GROUP_RETRY_SECONDS``."""
    now = group_niceness()
    if now is None or now >= want or not _leads_its_session():
        return
    if _write_group(want) != errno.EAGAIN:
        return

    def retry() -> None:
        end = time.monotonic() + GROUP_RETRY_SECONDS
        while time.monotonic() < end:
            time.sleep(random.uniform(*GROUP_RETRY_PAUSE))
            if _write_group(want) != errno.EAGAIN:
                return
        log.info("this page's kernel could not lower its group's priority (busy)")

    threading.Thread(target=retry, name="conductor-give-way", daemon=True).start()


def _leads_its_session() -> bool:
    """Did this process start its session (a kernel), rather than join its maker's?"""
    return os.getsid(0) == os.getpid()


def _write_group(want: int) -> int:
    """Write ``want`` as the group's nice: 0 once done, else the error's number."""
    try:
        _GROUP.write_text(str(want))
    except OSError as err:
        return err.errno or -1
    return 0
