"""The parts of Voila the kernel cap relies on still look as it expects (widgets/kernels.py):
its page handler is in the handler list ConductorVoila builds, and a pool kernel handed to a
request goes through our recording wrapper."""

from __future__ import annotations

from voila.tornado.handler import TornadoVoilaHandler
from voila.voila_kernel_manager import voila_kernel_manager_factory

from widgets.kernels import CappedKernelManager, page_handler


def test_a_preheating_pool_hands_kernels_out_through_our_wrapper():
    pooled = voila_kernel_manager_factory(CappedKernelManager, True, 1)
    assert pooled.get_rendered_notebook.__qualname__.startswith("CappedKernelManager.")


def test_voilas_page_handler_is_the_one_we_extend():
    handler = page_handler(TornadoVoilaHandler)
    assert issubclass(handler, TornadoVoilaHandler) and "prepare" in handler.__dict__
