"""A participant's page gives way to the facilitator's console and the room screen.

Why: every page in Voila is a kernel (a Python process) on the facilitator's laptop. In a
join storm forty to eighty of them build their pages at once on two cores, and the
console and the room screen, one kernel each, wait their turn with the rest: with pools for
80 (``conductor serve --expect 80``) the console showed people's answers up to 26 s after
they were saved (``benchmarks/join_storm.py``, 7 Dec 2026). The facilitator runs the room
from those two screens. So a participant's kernel lowers its own CPU priority (``nice``):
when the machine is full, the console, the room screen and Voila itself (which carries
every page's messages) are served first; when it has time to spare, nice changes nothing.

Linux keeps a nice value for each thread, not each process, and a new thread takes its
maker's: so every thread the kernel already has is lowered, and the threads it makes later
(the page's build) follow. Elsewhere ``setpriority`` on the process does the whole.
A process may always lower its own priority; raising it back needs privileges, so
``PARTICIPANT_NICENESS`` is never applied outside a Voila page's kernel (a test or a
notebook in JupyterLab keeps its priority).
"""

from __future__ import annotations

import contextlib
import logging
import os
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
