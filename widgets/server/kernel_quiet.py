"""A page's kernel keeps its failures to the server's log, once each, with a count.

Why: anyone on the room's network can send a page's kernel any widget message (see
``tests/e2e/protocol.py``). A message that fails there did two harmful things:

* its traceback went to the browser: ipywidgets calls IPython's ``showtraceback`` for a
  failed widget message or click handler, which sends an iopub ``error`` with the whole
  traceback (file paths, code); and libraries' log records with no handler of their own
  (the ``Comm`` logger's "Exception opening comm", the kit's own) went through Python's
  last-resort handler to ``sys.stderr``, which ipykernel sends to the page as a stream;
* every copy was logged in full: replaying one message 265,000 times wrote 264,027
  tracebacks (164 MB) to the server's log.

``install()``, called by every page of the kit as it starts in Voila (``widgets/ui/pages``),
sends all of them to the server's log only, through one ``RepeatLimiter``: the first
occurrence of a failure is logged with its traceback, later copies are counted and written
as one line, "repeated N times in the last M seconds", at most once a minute per kind of
failure. Memory is bounded: at most ``MAX_KINDS`` kinds are remembered; past that the rest
count as one. The browser gets nothing: the kit's pages already turn every problem a person
should know about into a plain message.

Outside Voila (JupyterLab, tests, scripts) nothing changes: a person running their own
notebook sees their own tracebacks.

The server's log: a kernel inherits the server's stderr, but ipykernel points file
descriptor 2 at a pipe it forwards to the page (so that C libraries' output shows in a
notebook), keeping the original as ``sys.stderr._original_stdstream_copy``, a private
attribute its own application log uses the same way. That is the one private part used here:
pyproject bounds ipykernel below 8, ``tests/test_kernel_quiet.py`` checks it is still set
where expected, and without it the plain ``sys.__stderr__`` is used.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ..urls import in_voila
from .server_log import server_stream as server_stream  # the tests and pages reach it here

INTERVAL = 60.0  # seconds: at most one count line per kind of failure in this time
MAX_KINDS = 200  # kinds of failure remembered at once; past that, the rest count as one
FORGET_AFTER = 3600.0  # a kind of failure quiet this long is forgotten (then logged again)
MAX_MESSAGE = 2_000  # characters of a log message kept (a message may carry a sender's text)
MAX_TRACEBACK = 20_000  # characters of a traceback kept (its end, where the error is)

_SUMMARY = "conductor_repeat_summary"  # set on the limiter's own count records
_OTHERS = ("", 0, "other kinds of failure", "", "")
log = logging.getLogger("conductor.kernel")


def _cut(text: str, limit: int, keep_end: bool = False) -> str:
    if len(text) <= limit:
        return text
    note = f" [... cut: {len(text):,} characters in all]"
    return note + text[-limit:] if keep_end else text[:limit] + note


def _key(record: logging.LogRecord) -> tuple:
    """What makes two records the same failure: the logger, level and message template
    (``%s`` arguments such as a comm id left out), and for an exception its type and the
    place it was raised."""
    template = record.msg if isinstance(record.msg, str) else repr(record.msg)
    where = kind = ""
    if record.exc_info and record.exc_info[0] is not None:
        kind = record.exc_info[0].__qualname__
        tb = record.exc_info[2]
        if tb is not None:
            last = traceback.extract_tb(tb)[-1]
            where = f"{last.filename}:{last.lineno}"
    return (record.name, record.levelno, template[:200], kind, where)


class _Kind:
    __slots__ = ("count", "label", "seen", "since")

    def __init__(self, label: str, now: float):
        self.label = label
        self.count = 0  # copies not yet written
        self.since = now  # start of the count's interval
        self.seen = now  # last copy


class RepeatLimiter(logging.Filter):
    """A logging filter: the first record of each kind of failure passes (its message and
    traceback cut to a bounded size); later ones are counted, and every ``interval`` seconds
    while they go on one line says how many there were.

    Records below ``min_level`` (debug and info: not failures, and mostly dropped by the
    handlers' own levels) pass untouched and uncounted.

    ``report`` is the logger the count lines are written to (they pass this filter);
    ``schedule(seconds, callback)`` starts a timer (a daemon thread by default; tests pass
    their own), asked for only while counts are pending, so a quiet kernel runs nothing.
    """

    def __init__(self, interval: float = INTERVAL, max_keys: int = MAX_KINDS,
                 forget_after: float = FORGET_AFTER, min_level: int = logging.WARNING,
                 clock: Callable[[], float] = time.monotonic,
                 report: logging.Logger | None = None,
                 schedule: Callable[[float, Callable[[], None]], Any] | None = None):
        super().__init__()
        self.interval = interval
        self.max_keys = max_keys
        self.forget_after = forget_after
        self.min_level = min_level
        self.clock = clock
        self.report = report or log
        self.schedule = schedule or _daemon_timer
        self._kinds: OrderedDict[tuple, _Kind] = OrderedDict()
        self._lock = threading.Lock()
        self._timer_pending = False

    def kinds(self) -> int:
        """How many kinds of failure are remembered now."""
        return len(self._kinds)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < self.min_level or getattr(record, _SUMMARY, False):
            return True
        key = _key(record)
        now = self.clock()
        with self._lock:
            kind = self._kinds.get(key)
            first = kind is None
            if first:
                self._forget(now)
                if len(self._kinds) >= self.max_keys:
                    key = _OTHERS
                    kind = self._kinds.get(key)
                    first = kind is None
                    if first:
                        record.msg = (f"{_cut(record.getMessage(), MAX_MESSAGE)} (more than "
                                      f"{self.max_keys} kinds of failure: from now on the "
                                      "rest are counted together)")
                        record.args = None
                if first:
                    kind = self._kinds[key] = _Kind(self._label(record), now)
            if not first:
                kind.count += 1
                kind.seen = now
                self._kinds.move_to_end(key)
                start_timer = not self._timer_pending
                self._timer_pending = True
        if first:
            self._bound(record)
            return True
        if start_timer:
            self.schedule(self.interval, self.flush)
        return False

    def flush(self, everything: bool = False) -> None:
        """Write the count of each kind whose interval has ended (``everything``: all
        pending counts, as the kernel ends); ask for a timer again while counts remain."""
        now = self.clock()
        lines = []
        with self._lock:
            self._timer_pending = False
            pending = False
            for kind in self._kinds.values():
                if not kind.count:
                    continue
                if everything or now - kind.since >= self.interval:
                    lines.append(f"{kind.label} -- repeated {kind.count:,} times in the last "
                                 f"{now - kind.since:,.0f} seconds (shown in full once, "
                                 "earlier in this log)")
                    kind.count = 0
                    kind.since = now
                else:
                    pending = True
            if pending:
                self._timer_pending = True
        for line in lines:
            self.report.warning(line, extra={_SUMMARY: True})
        if pending:
            self.schedule(self.interval, self.flush)

    def _forget(self, now: float) -> None:
        """Drop kinds with nothing pending that have been quiet for ``forget_after``
        (the least recently seen are first in the dict)."""
        for key in list(self._kinds):
            kind = self._kinds[key]
            if now - kind.seen < self.forget_after:
                break
            if not kind.count:
                del self._kinds[key]

    @staticmethod
    def _label(record: logging.LogRecord) -> str:
        """A short name for a kind of failure, for its count line."""
        head = record.getMessage().splitlines()[0] if record.getMessage() else ""
        label = f"{record.name}: {_cut(head, 200)}"
        if record.exc_info and record.exc_info[0] is not None:
            label += f", {record.exc_info[0].__name__}"
        return label

    @staticmethod
    def _bound(record: logging.LogRecord) -> None:
        """Cut a record's message and traceback to a bounded size (a message may carry
        anything a sender put in it)."""
        message = record.getMessage()
        if len(message) > MAX_MESSAGE:
            record.msg, record.args = _cut(message, MAX_MESSAGE), None
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            text = "".join(traceback.format_exception(*record.exc_info))
            record.exc_text = _cut(text.rstrip("\n"), MAX_TRACEBACK, keep_end=True)


def _daemon_timer(seconds: float, callback: Callable[[], None]) -> None:
    timer = threading.Timer(seconds, callback)
    timer.daemon = True
    timer.start()


def quiet_showtraceback(logger: logging.Logger) -> Callable[..., None]:
    """A replacement for an IPython shell's ``showtraceback``: the exception goes to
    ``logger`` (the server's log), nothing to the page. Takes IPython's arguments."""
    def showtraceback(exc_tuple=None, *args: Any, **kwargs: Any) -> None:
        exc = exc_tuple or sys.exc_info()
        if not exc or exc[0] is None:
            return
        logger.error("A message to this page's kernel failed", exc_info=tuple(exc))
    showtraceback.conductor_quiet = True
    return showtraceback


_installed: RepeatLimiter | None = None


def install() -> bool:
    """In a Voila page's kernel, send tracebacks and library log records to the server's
    log through one ``RepeatLimiter`` (see the module's docstring). Once per kernel; False
    (and nothing done) outside Voila or outside an IPython kernel."""
    global _installed
    # here, not at the top: 100 ms to import (benchmarks/import_cost.py)
    from IPython import get_ipython

    if _installed is not None:
        return True
    shell = get_ipython()
    if not in_voila() or shell is None:
        return False
    limiter = RepeatLimiter()
    stream = server_stream()
    sys.__stderr__ = stream  # the kit's own "server log only" writes (charts) go there too
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(
        f"[kernel {os.getpid()}] %(levelname)s %(name)s | %(message)s"))
    handler.addFilter(limiter)
    # Loggers with no handler of their own (Comm, ipykernel.comm, the kit's) reach the
    # root's: before, Python's last resort wrote them to sys.stderr, that is, to the page.
    root = logging.getLogger()
    root.addHandler(handler)
    # The kernel application's own log (ipykernel's "Exception in message handler",
    # ipywidgets' unknown methods) already writes to the server's log: limit it too.
    from traitlets import log as traitlets_log

    app_log = traitlets_log.get_logger()
    app_log = getattr(app_log, "logger", app_log)  # a LoggerAdapter's logger
    if app_log is not root:
        app_log.addFilter(limiter)
    # Tracebacks ipywidgets would show on the page (IPython's public showtraceback).
    if callable(getattr(shell, "showtraceback", None)):
        shell.showtraceback = quiet_showtraceback(log)
    atexit.register(_flush_at_exit, limiter, handler)
    _installed = limiter
    return True


def _flush_at_exit(limiter: RepeatLimiter, handler: logging.Handler) -> None:
    with contextlib.suppress(Exception):  # the kernel is ending: never fail its exit
        limiter.flush(everything=True)
        handler.flush()
