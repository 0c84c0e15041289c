"""The net under every browser test (``stop_server``): what in a server's log counts as a
failed request. Found on a CI run: a websocket the browser closed during its handshake is
logged by jupyter_server as an uncaught exception and a 500 (jupyter-server issue 1265)."""

from __future__ import annotations

from .conftest import request_errors_in

KERNEL = "7ea5ec89-8d20-4c1c-9fdc-1e752a6b1524"
CLOSED_IN_HANDSHAKE = f"""\
[ConductorVoila] Adapting from protocol version 5.3 (kernel {KERNEL}) to 5.4 (client).
Uncaught exception GET /api/kernels/{KERNEL}/channels?session_id=b6a0 (127.0.0.1)
Traceback (most recent call last):
  File "jupyter_server/services/kernels/websocket.py", line 88, in select_subprotocol
    preferred_protocol = self.connection.kernel_ws_protocol
                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
AttributeError: 'NoneType' object has no attribute 'kernel_ws_protocol'
Uncaught exception in write_error
500 GET /api/kernels/{KERNEL}/channels?session_id=b6a0 (127.0.0.1) 189.88ms
"""
A_FAILURE = """\
Uncaught exception GET /voila/render/01_focus.ipynb (127.0.0.1)
Traceback (most recent call last):
ValueError: a bug
500 GET /voila/render/01_focus.ipynb (127.0.0.1) 12.00ms
"""


def test_a_websocket_closed_in_its_handshake_is_not_a_failed_request():
    assert request_errors_in(CLOSED_IN_HANDSHAKE) == []


def test_every_other_failure_still_counts():
    assert len(request_errors_in(A_FAILURE)) == 2
    assert len(request_errors_in(CLOSED_IN_HANDSHAKE + A_FAILURE)) == 2
    other = CLOSED_IN_HANDSHAKE.replace("AttributeError: 'NoneType' object has no attribute "
                                        "'kernel_ws_protocol'", "KeyError: 'x'")
    assert len(request_errors_in(other)) == 2  # the same request, another cause: counted
    assert request_errors_in("503 GET /voila/render/00_start.ipynb (127.0.0.1) 1ms\n") == []
