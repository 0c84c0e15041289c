"""Preheated pools are topped up once the room stops arriving (issue 18, item 3).

Voila refills a pool a second after each kernel it hands out. In a join storm with a pool
sized to the room, every person who took a waiting kernel so started another one on the
same two cores while the rest of the room was still arriving: on 6 Dec a storm of 20 with
pools of 20 was slower than with no pool at all (benchmarks/join_storm.py). The kernel
manager now waits until no page has been handed out for ``refill_after_quiet`` seconds.
"""

from __future__ import annotations

import asyncio
import tempfile

from traitlets.config import Configurable
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


# -- after the room: a few kernels for latecomers, not a whole pool again ----------------------

class _Server(Configurable):
    """What Voila's pool reads from its server as it starts kernels."""

    base_url = "/"
    server_url = "/"
    port = 8866
    notebook_path = None  # serving a folder: Voila fills a pool for each notebook in it

    def __init__(self, root_dir: str, **kwargs):
        super().__init__(**kwargs)
        self.root_dir = root_dir  # an empty folder: no pools filled as the manager starts


def _room_took_kernels(size: int, taken: int, handed_out: bool, share: float = 0.1,
                       every_page: int = 0, configured: bool = True):
    """A pool of ``size`` on the start page (``configured``: its own size, as ``--expect``
    sets; else only the size every page keeps, as ``--preheat`` sets, ``every_page``),
    ``taken`` kernels gone from it (handed to people through Voila's own hand-out, or ended
    otherwise); returns the pool's length once the top-up has run, the kernels it started,
    and the pool's configured size after it, with Voila's own ``fill_if_needed`` starting
    (fake) kernels."""
    from types import SimpleNamespace

    from .test_kernels_voila_shape import run_alone

    notebook = "00_start.ipynb"
    pooled = voila_kernel_manager_factory(CappedKernelManager, True, 1)
    seen = {}
    pools = {"default": {"pool_size": every_page}}
    if configured:
        pools[notebook] = {"pool_size": size}

    def rendered(kernel_id: str) -> dict:
        return {"kernel_id": kernel_id, "task": None,
                "renderer": SimpleNamespace(stop_generator=False, rendered_cache=[])}

    async def scenario(folder: str):
        manager = pooled(parent=_Server(folder), refill_after_quiet=0, top_up_share=share,
                         fill_delay=0, kernel_pools_config=pools)
        started = []

        async def initialize(notebook_name, kernel_id=None, **kwargs):
            started.append(notebook_name)
            return rendered(f"new-{len(started)}")

        manager._initialize = initialize
        loop = asyncio.get_running_loop()
        pool = []
        for i in range(size):
            waiting = loop.create_future()
            waiting.set_result(rendered(f"k{i}"))
            pool.append(waiting)
        manager._pools = {notebook: pool}
        for _ in range(taken):
            if handed_out:
                await manager.get_rendered_notebook(notebook_name=notebook,
                                                    extra_kernel_env_variables={})
            else:  # a waiting kernel ended (Voila drops it; the kit tops the pool up)
                pool.pop(0)
                manager.fill_if_needed(delay=None, notebook_name=notebook)
        await asyncio.sleep(0.01)  # quiet: the top-up (due at once here) runs
        deadline = loop.time() + 20
        while not all(t.done() for t in manager._pools[notebook]):  # its kernels start
            assert loop.time() < deadline, "the top-up's kernels never started"
            await asyncio.sleep(0.01)
        seen["pool"] = len(manager._pools[notebook])
        seen["started"] = len(started)
        seen["size"] = manager._pool_size(notebook)

    with tempfile.TemporaryDirectory() as folder:  # no notebooks: no pools as it starts
        run_alone(scenario(folder))
    return seen


def test_a_pool_the_room_took_from_is_topped_up_to_a_few_for_latecomers():
    """A room of 40 took 38 of the 40 kernels waiting: the pool goes back to 4 (a tenth),
    not to 40, which started 38 kernels on the cores the room's pages were using."""
    seen = _room_took_kernels(40, 38, handed_out=True)
    assert seen == {"pool": 4, "started": 2, "size": 40}


def test_a_pool_that_lost_kernels_otherwise_is_refilled_whole():
    seen = _room_took_kernels(40, 3, handed_out=False)
    assert seen == {"pool": 40, "started": 3, "size": 40}


def test_a_few_early_joins_leave_the_room_its_whole_pool():
    """The facilitator trying the link and two early arrivals took 3 of 40: the room still
    to come finds 40 waiting."""
    seen = _room_took_kernels(40, 3, handed_out=True)
    assert seen == {"pool": 40, "started": 3, "size": 40}


def test_a_small_pool_keeps_at_least_one_and_a_share_of_one_refills_whole():
    assert _room_took_kernels(5, 5, handed_out=True)["pool"] == 1
    assert _room_took_kernels(20, 20, handed_out=True, share=1.0)["pool"] == 20


def test_preheat_keeps_its_kernels_on_every_page():
    """``--preheat 3``: three waiting on every page, whoever took them."""
    assert _room_took_kernels(3, 3, handed_out=True, every_page=3,
                              configured=False)["pool"] == 3
    # --expect 40 beside --preheat 3: the room's pool goes back to 4, never below 3
    assert _room_took_kernels(40, 40, handed_out=True, every_page=3)["pool"] == 4
    assert _room_took_kernels(20, 20, handed_out=True, every_page=3)["pool"] == 3


def test_without_pool_top_up_a_pool_is_refilled_whole_as_voila_does(monkeypatch):
    from widgets import compat

    monkeypatch.setattr(compat, "_answers", {})
    monkeypatch.setenv(compat.PLAIN_ENV, "pool-top-up")
    assert _room_took_kernels(40, 38, handed_out=True)["pool"] == 40
