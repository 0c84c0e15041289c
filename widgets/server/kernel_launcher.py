"""Start a page's kernel: IPython's own kernel, whose messages to the server are never
dropped on the way.

Why: a kernel publishes everything a page receives (widget updates, the "busy" and "idle"
of each click) on one ZeroMQ socket, which drops messages for a reader that falls 1,000
behind (ZeroMQ's high-water mark). The kit's server talks to its kernels over Unix sockets
(``--KernelManager.transport=ipc``, see ``cli.voila_command``), whose small system buffers
let that happen on a busy machine: a page that sent 2,000 messages in a burst lost 60 to
240 of the replies and waited for ever for the last (``tests/e2e/test_log_flood.py``,
beside a CI run, three runs in three). The server's side is unlimited too
(``kernels.CappedKernelManager._keep_every_message``). ZeroMQ takes a socket's limits when
it binds, which ipykernel does as it starts, before any of a notebook's code runs: so the
limit is lifted here, in the launcher the server starts instead of ``ipykernel_launcher``
(``kernels.PageKernel``).

``IPKernelApp.init_iopub`` is ipykernel's; pyproject bounds ipykernel below 8, and
``tests/test_kernel_launcher.py`` checks it is still there. Without it the kernel starts as
ipykernel's own launcher starts it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ipykernel.kernelapp import IPKernelApp


def kernel_app() -> type[IPKernelApp]:
    """ipykernel's application, with the publishing socket made without a message limit."""
    # here, not at the top: only a kernel starting needs it, and importing it makes
    # ipykernel's comms the process's (a test process importing this module must not)
    from ipykernel.kernelapp import IPKernelApp

    if not callable(getattr(IPKernelApp, "init_iopub", None)):  # a release that moved it
        return IPKernelApp

    class PageKernelApp(IPKernelApp):
        def init_iopub(self, context: Any) -> None:
            # Sockets made from here on (the publishing one first) queue without a limit.
            context.sndhwm = 0
            super().init_iopub(context)

    return PageKernelApp


def main() -> None:
    # As ipykernel_launcher: the folder it was started in is not where imports come from
    # (IPython puts it back for the notebook's own code).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    kernel_app().launch_instance()


if __name__ == "__main__":
    main()
