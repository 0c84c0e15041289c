"""Refresh a screen when the session changes, and send nothing when it does not.

Why a revision counter: every write to a session bumps one integer, so a poll is one tiny
query a second. The callback runs only when the number moved, and widgets are assigned
only when their content differs, so an idle page costs no messages at all (a kernel that
kept sending updates would also never be culled).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


class Poller:
    def __init__(self, revision: Callable[[], object], on_change: Callable[[], None],
                 interval: float = 1.0):
        """``revision`` is asked every ``interval`` seconds; ``on_change`` runs when it moves."""
        self.revision = revision
        self.on_change = on_change
        self.interval = interval
        self.last: object = None
        self.task: asyncio.Task | None = None
        self.failed = False

    def check(self) -> bool:
        """Ask the store once; call back if the session changed. True when it did."""
        rev = self.revision()
        if rev == self.last:
            return False
        self.on_change()
        self.last = rev  # only once the screen caught up: a failed refresh is tried again
        return True

    def start(self) -> None:
        """Keep checking in the kernel's event loop (Voila delivers the updates)."""
        if self.task is not None:
            return
        with contextlib.suppress(RuntimeError):  # no running loop: a plain script or test
            self.task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                self.check()
                self.failed = False
            except Exception:  # the database may be restarting: try again next tick
                if not self.failed:
                    log.exception("poll failed; will keep trying")
                self.failed = True
