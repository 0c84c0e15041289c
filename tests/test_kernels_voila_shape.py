"""The parts of Voila the kernel cap relies on still look as it expects (widgets/server/kernels.py):
its page handler is the one ConductorVoila extends, and a pool kernel handed to a request
goes through our recording wrapper. And the idle cull spares a page still loading."""

from __future__ import annotations

import asyncio
import time

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from voila.tornado.handler import TornadoVoilaHandler
from voila.voila_kernel_manager import voila_kernel_manager_factory

from widgets.server.kernels import CappedKernelManager, page_handler


def test_a_preheating_pool_hands_kernels_out_through_our_wrapper():
    pooled = voila_kernel_manager_factory(CappedKernelManager, True, 1)
    assert pooled.get_rendered_notebook.__qualname__ == "CappedKernelManager.get_rendered_notebook"
    # Voila 0.5 hands out (render task, rendered cells, kernel id): the wrapper reads the id.
    import inspect

    source = inspect.getsource(voila_kernel_manager_factory)
    assert "return render_task, renderer.rendered_cache, kernel_id" in source


def test_voilas_page_handler_is_the_one_we_extend():
    handler = page_handler(TornadoVoilaHandler)
    assert issubclass(handler, TornadoVoilaHandler) and "prepare" in handler.__dict__


def run_alone(coroutine) -> None:
    """Run ``coroutine`` in an event loop of its own on a thread of its own: in the full
    suite this thread may already run another library's loop (Playwright's sync API), and
    asyncio.run() refuses to start inside a running loop."""
    import threading

    failed: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as err:  # handed back to the test's thread
            failed.append(err)

    runner = threading.Thread(target=run)
    runner.start()
    runner.join(30)
    assert not runner.is_alive(), "the coroutine did not finish within 30 s"
    if failed:
        raise failed[0]


def test_the_idle_cull_spares_a_page_that_has_not_had_its_time_to_connect(monkeypatch):
    culled = []

    async def cull(self, kernel_id):
        culled.append(kernel_id)

    monkeypatch.setattr(AsyncMappingKernelManager, "cull_kernel_if_idle", cull)
    manager = CappedKernelManager(unconnected_timeout=30)
    manager._owner.update({"loading": "10.0.0.11", "sent": "10.0.0.11", "late": "10.0.0.12",
                           "open": "10.0.0.13"})
    manager._sent.update({"sent": time.monotonic() - 5, "late": time.monotonic() - 31,
                          "open": time.monotonic() - 300})
    manager._connected.add("open")
    for kernel_id in ("loading", "sent", "late", "open", "closed-page-not-ours"):
        run_alone(manager.cull_kernel_if_idle(kernel_id))
    assert culled == ["late", "open", "closed-page-not-ours"]
