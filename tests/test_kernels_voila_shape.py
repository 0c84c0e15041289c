"""The parts of Voila the kernel cap relies on still look as it expects (widgets/kernels.py):
its page handler is the one ConductorVoila extends."""

from __future__ import annotations

from voila.tornado.handler import TornadoVoilaHandler

from widgets.kernels import page_handler


def test_voilas_page_handler_is_the_one_we_extend():
    handler = page_handler(TornadoVoilaHandler)
    assert issubclass(handler, TornadoVoilaHandler) and "prepare" in handler.__dict__
