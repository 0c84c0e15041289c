"""A kernel manager with a cap, for Voila.

Why: every page a participant opens starts a Python kernel of 150 to 250 MB. Voila has no
limit, so a burst of requests (a room of phones reloading at once, or a hostile script)
could start kernels until the server runs out of memory and every page fails. Past the
cap, a new page gets a clear "the room is full, try again in a minute" page (HTTP 503),
while the pages already open carry on; culling frees the kernels of closed pages.
"""

from __future__ import annotations

import asyncio

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer

FULL_REASON = "The room is full"


class CappedKernelManager(AsyncMappingKernelManager):
    max_kernels = Integer(80, config=True,
                          help="The most kernels (open pages) at once; past it, new pages "
                               "are asked to try again in a minute.").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._starting = 0  # kernels being started, not yet listed
        self._closing = False

    def running(self) -> int:
        return len(self.list_kernel_ids()) + self._starting

    async def start_kernel(self, *args, **kwargs):
        if self.running() >= self.max_kernels:
            self.log.warning("Kernel cap of %d reached: asking a new page to try again.",
                             self.max_kernels)
            if self._pool_map() is not None:  # a refill of the preheated pool was refused
                asyncio.get_running_loop().call_soon(self._drop_failed_pool_items)
            raise web.HTTPError(503, reason=FULL_REASON)
        self._starting += 1
        try:
            return await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1

    # -- preheated kernels (conductor serve --preheat) -----------------------------------
    # Voila keeps a pool of kernels per notebook, each already running its notebook up to
    # the point where it reads the URL. Pool kernels count towards the cap like any other.

    def _pool_map(self) -> dict | None:
        return self.__dict__.get("_pools")  # set by Voila's pool manager when preheating

    def _drop_failed_pool_items(self) -> None:
        """Forget pool entries whose kernel was refused at the cap: a page then starts a
        kernel the usual way and, while the room is full, gets the "try again" page
        (Voila would otherwise hand it the failed entry and fail with an error)."""
        for pool in (self._pool_map() or {}).values():
            pool[:] = [t for t in pool if not (t.done() and (t.cancelled() or t.exception()))]

    def _refill_pools(self) -> None:
        """Top the pools up again once a kernel has gone (a refill refused at the cap is
        not retried by Voila until that notebook's pool is next used)."""
        fill = getattr(self, "fill_if_needed", None)
        pools = self._pool_map()
        if fill is None or pools is None or self._closing:
            return
        for notebook in list(pools):
            if self.running() < self.max_kernels:
                fill(delay=None, notebook_name=notebook)

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        await super().shutdown_kernel(kernel_id, *args, **kwargs)
        self._refill_pools()

    async def shutdown_all(self, *args, **kwargs):
        self._closing = True  # no refills while the server stops
        await super().shutdown_all(*args, **kwargs)


def compile_kit() -> None:
    """Write the kit's bytecode once, before any page's kernel starts.

    Why: Python writes a module's bytecode on first import, except where
    PYTHONDONTWRITEBYTECODE is set (some containers and CI images do). There every page's
    kernel compiled the kit's modules from source again, about 30 ms of each page load,
    measured in a kernel. A folder that cannot be written costs only that time.
    """
    import compileall
    from pathlib import Path

    compileall.compile_dir(Path(__file__).resolve().parent, quiet=2)
