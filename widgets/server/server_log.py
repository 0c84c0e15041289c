"""The server's log, as a page's kernel reaches it.

A kernel inherits the server's stderr, but ipykernel points file descriptor 2 at a pipe it
forwards to the page (so that C libraries' output shows in a notebook), keeping the original
as ``sys.stderr._original_stdstream_copy``, a private attribute its own application log uses
the same way (see ``widgets.server.kernel_quiet``, which sends a page's failures here).

Why its own module: both the URL helpers (a preheated kernel that gives up waiting for its
request says so here) and the kernel's quiet logging write to it, and neither imports the
other.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any, TextIO

from .. import compat


def server_stream(stderr: Any = None) -> TextIO:
    """A text stream to the server's log: the kernel's stderr as it was before ipykernel
    forwarded it to the page, or ``sys.__stderr__`` when ipykernel does not forward it
    (under pytest, or ``capture_fd_output`` off)."""
    if not compat.fits("server-log"):
        return sys.__stderr__
    stderr = sys.stderr if stderr is None else stderr
    fd = getattr(stderr, "_original_stdstream_copy", None)
    if isinstance(fd, int) and not isinstance(fd, bool):
        try:
            os.fstat(fd)
            return io.TextIOWrapper(io.FileIO(os.dup(fd), "w"), encoding="utf-8",
                                    errors="replace", line_buffering=True)
        except OSError:
            pass
    return sys.__stderr__
