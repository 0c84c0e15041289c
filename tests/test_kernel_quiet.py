"""widgets/server/kernel_quiet.py: a failure repeated thousands of times is logged once with a
count, in bounded memory; a kernel's tracebacks go to the server's log, never to the page."""

from __future__ import annotations

import inspect
import io
import logging
import os
import sys

import pytest

from widgets.server import kernel_quiet as kq


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def rig():
    """A logger whose one handler writes into ``rig.out`` through a limiter on a fake clock;
    timers the limiter asks for are kept in ``rig.timers``, never started."""

    class Rig:
        clock = Clock()
        out = io.StringIO()
        log = logging.getLogger("test.kernel_quiet")

        def text(self) -> str:
            return self.out.getvalue()

    r = Rig()
    r.timers = []
    handler = logging.StreamHandler(r.out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s | %(message)s"))
    r.limiter = kq.RepeatLimiter(interval=60, max_keys=5, forget_after=600, clock=r.clock,
                                 report=r.log, schedule=lambda s, f: r.timers.append((s, f)))
    handler.addFilter(r.limiter)
    r.log.addHandler(handler)
    r.log.propagate = False
    r.log.setLevel(logging.DEBUG)
    yield r
    r.log.removeHandler(handler)


def fail(n: int = 0):
    try:
        {}["missing"]
    except KeyError:
        return sys.exc_info()


def test_a_failure_repeated_2000_times_is_one_traceback_and_one_count(rig):
    for i in range(2000):
        rig.log.error("Exception in comm_msg for %s", f"comm-{i}", exc_info=fail())
    assert rig.text().count("Traceback (most recent call last)") == 1
    assert "comm-0" in rig.text() and "comm-1" not in rig.text()
    rig.clock.now += 30
    rig.limiter.flush()  # the interval has not passed: nothing yet
    assert "repeated" not in rig.text()
    rig.clock.now += 31
    rig.limiter.flush()
    lines = [ln for ln in rig.text().splitlines() if "repeated" in ln]
    assert len(lines) == 1, rig.text()
    assert "repeated 1,999 times in the last 61 seconds" in lines[0]
    assert "Exception in comm_msg for" in lines[0] and "KeyError" in lines[0]
    rig.limiter.flush()  # nothing new: no line
    assert rig.text().count("repeated") == 1


def test_one_timer_per_flood_and_its_flush_reports(rig):
    for _ in range(50):
        rig.log.warning("No such comm: %s", "abc")
    assert len(rig.timers) == 1 and rig.timers[0][0] == 60
    rig.clock.now += 60
    rig.timers.pop()[1]()  # the timer fires
    assert "repeated 49 times in the last 60 seconds" in rig.text()
    assert rig.timers == []  # nothing pending: no new timer


def test_a_flood_that_goes_on_reports_once_per_interval(rig):
    for _minute in range(3):
        for _ in range(100):
            rig.log.error("boom")
        rig.clock.now += 60
        rig.limiter.flush()
    counts = [ln for ln in rig.text().splitlines() if "repeated" in ln]
    assert [c.split("repeated ")[1].split(" times")[0] for c in counts] == ["99", "100", "100"]
    assert rig.text().count("ERROR test.kernel_quiet | boom\n") == 1


def test_pending_counts_are_written_at_exit(rig):
    for _ in range(7):
        rig.log.error("boom")
    rig.clock.now += 2
    rig.limiter.flush(everything=True)
    assert "repeated 6 times in the last 2 seconds" in rig.text()


def test_distinct_failures_are_bounded(rig):
    """An attacker varying a message (a method name, a value) makes new kinds of failure:
    past ``max_keys`` they all count as one, so memory and the log stay bounded."""
    for i in range(10_000):
        rig.log.error(f'Unknown front-end to back-end widget msg with method "{i}"')
    assert rig.limiter.kinds() <= 6
    shown = [ln for ln in rig.text().splitlines() if "Unknown front-end" in ln
             and "repeated" not in ln]
    assert len(shown) == 6  # five kinds, then the first of the rest
    assert "more than 5 kinds of failure" in rig.text()
    rig.clock.now += 60
    rig.limiter.flush()
    assert "repeated 9,994 times" in rig.text()


def test_quiet_kinds_are_forgotten_and_make_room(rig):
    for i in range(5):
        rig.log.error(f"kind {i}")
    rig.clock.now += 601
    rig.limiter.flush()
    rig.log.error("a new kind")
    assert rig.limiter.kinds() == 1
    assert "more than 5 kinds" not in rig.text()
    rig.log.error("kind 0")  # forgotten: logged in full again
    assert rig.text().count("kind 0") == 2


def test_huge_messages_and_tracebacks_are_cut(rig):
    rig.log.error("x" * 1_000_000)
    try:
        raise ValueError("y" * 1_000_000)
    except ValueError:
        rig.log.exception("failed")
    assert len(rig.text()) < 3 * (kq.MAX_MESSAGE + kq.MAX_TRACEBACK)
    assert "1,000,000 characters in all" in rig.text()


def test_a_traceback_on_the_page_goes_to_the_log_instead(rig):
    show = kq.quiet_showtraceback(rig.log)
    for _ in range(3):
        try:
            int("twelve")
        except ValueError:
            show()  # what ipywidgets calls on a failed widget message
    assert rig.text().count("Traceback (most recent call last)") == 1
    assert "ValueError: invalid literal" in rig.text()
    show()  # outside an exception: nothing to show, nothing fails
    show((KeyError, KeyError("k"), None))  # as IPython's own callers pass it
    assert "KeyError" in rig.text()


def test_the_server_log_is_the_kernels_original_stderr():
    """ipykernel points fd 2 at a pipe it forwards to the page, keeping the original as
    ``_original_stdstream_copy``; text for the server's log goes there."""
    read, write = os.pipe()

    class Forwarded:  # ipykernel's OutStream with its file descriptor watched
        _original_stdstream_copy = write

    stream = kq.server_stream(Forwarded())
    stream.write("to the server log\n")
    stream.flush()
    assert os.read(read, 100) == b"to the server log\n"
    stream.close()
    os.close(write)
    os.close(read)

    class NotWatched:
        pass

    assert kq.server_stream(NotWatched()) is sys.__stderr__
    bad = type("Bad", (), {"_original_stdstream_copy": 10_000})()
    assert kq.server_stream(bad) is sys.__stderr__  # not an open file: the plain fallback


def test_ipykernel_still_keeps_the_original_stderr_where_we_look():
    """The one private part used (pyproject bounds ipykernel below 8)."""
    from ipykernel.iostream import OutStream

    source = inspect.getsource(OutStream._setup_stream_redirects)
    assert "self._original_stdstream_copy = os.dup(" in source


def test_install_does_nothing_outside_voila(monkeypatch):
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    assert kq.install() is False


def test_debug_and_info_records_are_not_counted(rig):
    """The kernel's own log runs at debug level (every message it handles): those records
    are not failures; the handlers drop or keep them as before."""
    for _ in range(3):
        rig.log.debug("Content: %s", {})
        rig.log.info("kernel_info_request")
    assert rig.text().count("Content: {}") == 3 and rig.limiter.kinds() == 0
    assert rig.timers == []
