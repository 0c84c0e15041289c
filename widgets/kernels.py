"""A kernel manager with a cap, for Voila.

Why: every page a participant opens starts a Python kernel of 150 to 250 MB. Voila has no
limit, so a burst of requests (a room of phones reloading at once, or a hostile script)
could start kernels until the server runs out of memory and every page fails. Past the
cap, a new page gets a clear "the room is full, try again in a minute" page (HTTP 503),
while the pages already open carry on; culling frees the kernels of closed pages.
"""

from __future__ import annotations

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

    def running(self) -> int:
        return len(self.list_kernel_ids()) + self._starting

    async def start_kernel(self, *args, **kwargs):
        if self.running() >= self.max_kernels:
            self.log.warning("Kernel cap of %d reached: asking a new page to try again.",
                             self.max_kernels)
            raise web.HTTPError(503, reason=FULL_REASON)
        self._starting += 1
        try:
            return await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1
