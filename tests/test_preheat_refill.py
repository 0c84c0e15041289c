"""Preheated pools are topped up once the room stops arriving (issue 18, item 3).

Voila refills a pool a second after each kernel it hands out. In a join storm with a pool
sized to the room, every person who took a waiting kernel so started another one on the
same two cores while the rest of the room was still arriving: on 6 Dec a storm of 20 with
pools of 20 was slower than with no pool at all (benchmarks/join_storm.py). The kernel
manager now waits until no page has been handed out for ``refill_after_quiet`` seconds.
"""

from __future__ import annotations

from voila.voila_kernel_manager import voila_kernel_manager_factory

from widgets.server import kernels
from widgets.server.kernels import CappedKernelManager


class FakeLoop:
    """Timers kept in a list: the test says when time passes."""

    def __init__(self):
        self.timers = []

    def call_later(self, delay, callback):
        timer = Timer(delay, callback)
        self.timers.append(timer)
        return timer


class Timer:
    def __init__(self, delay, callback):
        self.delay, self.callback, self.cancelled = delay, callback, False

    def cancel(self):
        self.cancelled = True


def test_voilas_pool_is_refilled_through_our_wrapper():
    pooled = voila_kernel_manager_factory(CappedKernelManager, True, 1)
    assert pooled.fill_if_needed.__qualname__ == "CappedKernelManager.fill_if_needed"


def test_a_pool_is_topped_up_once_the_room_has_stopped_arriving(monkeypatch):
    loop = FakeLoop()
    monkeypatch.setattr(kernels.asyncio, "get_event_loop", lambda: loop)
    fills = []

    class Pooled(CappedKernelManager):
        def fill_if_needed(self, delay=None, notebook_name=None, **kw):
            fills.append((delay, notebook_name, kw))

    manager = Pooled(refill_after_quiet=10)
    manager.fill_if_needed(delay=0, notebook_name="00_start.ipynb")  # the server starting
    assert fills == [(0, "00_start.ipynb", {})]
    for _ in range(5):  # five people take a waiting kernel each, as Voila refills after
        manager.fill_if_needed(notebook_name="00_start.ipynb", extra_kernel_env_variables={})
    manager.fill_if_needed(delay=None, notebook_name="00_readiness.ipynb")
    assert len(fills) == 1, "nothing started while the room arrives"
    waiting = [t for t in loop.timers if not t.cancelled]
    assert [t.delay for t in waiting] == [10, 10]  # one top-up per pool, after the last
    for timer in waiting:
        timer.callback()
    assert fills[1:] == [(0, "00_start.ipynb", {"extra_kernel_env_variables": {}}),
                         (0, "00_readiness.ipynb", {})]


def test_no_top_up_once_the_server_is_stopping(monkeypatch):
    from .test_kernels_voila_shape import run_alone

    loop = FakeLoop()
    monkeypatch.setattr(kernels.asyncio, "get_event_loop", lambda: loop)

    class Pooled(CappedKernelManager):
        def fill_if_needed(self, delay=None, notebook_name=None, **kw):
            raise AssertionError("no kernel may start while the server stops")

    manager = Pooled()
    manager.fill_if_needed(notebook_name="00_start.ipynb")  # a top-up waiting
    run_alone(manager.shutdown_all())
    manager.fill_if_needed(notebook_name="00_start.ipynb")  # a kernel gone as it stops
    assert len(loop.timers) == 1 and loop.timers[0].cancelled
