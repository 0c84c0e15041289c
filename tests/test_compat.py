"""Each private part of a library the kit touches is checked before it is patched
(``widgets.compat``): on the installed versions every check passes; when the part is changed
the way a new release could change it, the check says what changed and the kit takes its
plain path instead; the server says so once."""

from __future__ import annotations

import logging
import sys

import ipykernel.comm.comm as kernel_comm
import ipykernel.iostream
import ipywidgets as w
import pytest
import voila.app
import voila.utils
import voila.voila_kernel_manager
from ipywidgets.widgets.trait_types import InstanceDict
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

from widgets import compat, urls
from widgets.server import kernel_quiet
from widgets.server.kernels import CappedKernelManager
from widgets.server.voila_app import ConductorVoila
from widgets.ui import sharing
from widgets.ui.shell import opening


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    """Answers worked out afresh, no answers from a server, nothing forced."""
    monkeypatch.setattr(compat, "_answers", {})
    monkeypatch.setattr(compat, "_said", set())
    monkeypatch.setenv(compat.PLAIN_ENV, "")
    monkeypatch.setenv(compat.CHECKED_ENV, "")


def test_every_part_looks_as_expected_on_the_installed_versions():
    assert {name: compat.why_not(name) for name in compat.CHECKS} == dict.fromkeys(
        compat.CHECKS)


def changed(name: str) -> str:
    reason = compat.why_not(name)
    assert reason is not None, f"{name} did not notice the change"
    return reason


# -- page-opening: built in its cell instead -------------------------------------------------

def test_page_opening_notices_a_new_control_message_handler(monkeypatch):
    def handle(cls, msg, extra):
        return None
    monkeypatch.setattr(w.Widget, "_handle_control_comm_msg", classmethod(handle))
    assert "_handle_control_comm_msg" in changed("page-opening")


def test_page_opening_notices_comms_that_hold_their_kernel_from_the_start(monkeypatch):
    monkeypatch.setattr(kernel_comm.BaseComm, "kernel", object())
    assert "kernel" in changed("page-opening")


def test_page_opening_notices_a_new_create_comm(monkeypatch):
    def create_comm(target_name, data=None):
        return None
    monkeypatch.setattr(w.comm, "create_comm", create_comm)
    assert "create_comm" in changed("page-opening")


def test_without_page_opening_a_page_is_built_in_its_cell(monkeypatch):
    loop = object()  # a kernel's loop is there: the threaded opening would be used
    monkeypatch.setattr(opening, "_kernel_loop", lambda: loop)
    monkeypatch.setenv(compat.PLAIN_ENV, "page-opening")
    creator = w.comm.create_comm
    page = opening.open_page(lambda: w.VBox([w.HTML("style"), w.Label("the page")]),
                             frame=lambda: pytest.fail("no frame: built in place"),
                             failed=lambda: pytest.fail("the build did not fail"))
    assert [type(c) for c in page.children] == [w.HTML, w.Label]
    assert w.comm.create_comm is creator  # nothing patched


# -- shared-models: each widget its own layout -----------------------------------------------

def test_shared_models_notices_a_new_validate(monkeypatch):
    def validate(self, obj, value, extra=None):
        return value
    monkeypatch.setattr(InstanceDict, "validate", validate)
    assert "validate" in changed("shared-models")


def test_without_shared_models_each_widget_keeps_its_own_layout(monkeypatch):
    with sharing.shared_defaults():
        a, b = w.Button(), w.Button()
    assert a.layout is b.layout  # shared on the installed ipywidgets
    monkeypatch.setenv(compat.PLAIN_ENV, "shared-models")
    with sharing.shared_defaults():
        assert InstanceDict.__dict__["make_dynamic_default"] is not sharing._shared_default
        a, b = w.Button(), w.Button()
    assert a.layout is not b.layout
    a.layout.width = "10px"  # not read-only: nothing is shared


# -- preheat-count: Voila's pool hand-out as it is -------------------------------------------

def _factory_of_another_shape(base, preheat, count):
    class Pooled(base):
        async def get_rendered_notebook(self, notebook_name):
            return {"kernel": "k"}
    return Pooled


def test_preheat_count_notices_a_pool_of_another_shape(monkeypatch):
    monkeypatch.setattr(voila.voila_kernel_manager, "voila_kernel_manager_factory",
                        _factory_of_another_shape)
    assert "return render_task" in changed("preheat-count")
    pooled = _factory_of_another_shape(CappedKernelManager, True, 1)
    assert pooled.get_rendered_notebook.__qualname__.endswith("Pooled.get_rendered_notebook")


# -- pool-top-up: Voila's pool refill as it is ----------------------------------------------

def test_pool_top_up_notices_a_refill_that_no_longer_reads_the_pool_size_as_called(
        monkeypatch):
    def factory(base, preheat, count):
        class Pooled(base):
            def fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
                for _ in range(self._sizes[notebook_name]):  # sizes kept from the start
                    pass
        return Pooled
    monkeypatch.setattr(voila.voila_kernel_manager, "voila_kernel_manager_factory", factory)
    assert "kernel_pools_config" in changed("pool-top-up")


# -- page-handler: Voila's handlers as they are ----------------------------------------------

def test_without_page_handler_voilas_own_handlers_are_used(monkeypatch):
    theirs = [("/voila/render/(.*)", object)]

    def init_handlers(self):
        return theirs
    monkeypatch.setattr(voila.app.Voila, "init_handlers", init_handlers)
    assert "TornadoVoilaHandler" in changed("page-handler")
    handlers = ConductorVoila().init_handlers()
    # Voila's own handlers, untouched, after the kit's short join address (not a patch)
    assert handlers[-1:] == theirs and handlers[-1][1] is object
    assert [h[1].__name__ for h in handlers[:-1]] == ["JoinHandler"]


# -- https-listen: refuse to start rather than serve plain HTTP ------------------------------

def test_without_https_listen_a_certificate_stops_the_server(monkeypatch, tmp_path, caplog):
    def listen(self):
        self.app.serve_forever()
    monkeypatch.setattr(voila.app.Voila, "listen", listen)
    assert "self.app.listen" in changed("https-listen")
    app = ConductorVoila(certfile=str(tmp_path / "cert.pem"))
    monkeypatch.setattr(voila.app.Voila, "start",
                        lambda self: pytest.fail("started without its certificate"))
    with pytest.raises(SystemExit):
        app.start()


# -- idle-cull ---------------------------------------------------------------------------------

def test_idle_cull_notices_a_new_cull_signature(monkeypatch):
    async def cull_kernel_if_idle(self, kernel_id, now):
        return None
    monkeypatch.setattr(AsyncMappingKernelManager, "cull_kernel_if_idle", cull_kernel_if_idle)
    assert "cull_kernel_if_idle" in changed("idle-cull")


# -- server-log: the kernel's own stderr -----------------------------------------------------

class _Stream:
    def __init__(self):
        self.echo = None


def test_without_server_log_the_kernels_stderr_is_used(monkeypatch):
    monkeypatch.setattr(ipykernel.iostream, "OutStream", _Stream)
    assert "_original_stdstream_copy" in changed("server-log")

    class Forwarded:
        _original_stdstream_copy = sys.__stderr__.fileno()
    assert kernel_quiet.server_stream(Forwarded()) is sys.__stderr__


# -- request-wait: Voila's own wait ----------------------------------------------------------

def test_without_request_wait_voilas_own_wait_is_used(monkeypatch):
    asked = []

    def wait_for_request(url=None):
        asked.append(url)
    monkeypatch.setattr(voila.utils, "wait_for_request", wait_for_request)
    assert "VOILA_APP_PORT" in changed("request-wait")
    urls.wait_for_request()
    assert asked == [None]


# -- the server says it once, and tells its kernels ------------------------------------------

def test_the_server_says_once_what_it_does_not_use_and_tells_its_kernels(monkeypatch, caplog):
    def handle(cls, msg, extra):
        return None
    monkeypatch.setattr(w.Widget, "_handle_control_comm_msg", classmethod(handle))
    monkeypatch.setenv(compat.PLAIN_ENV, "request-wait")  # forced in the server's process
    environ = {compat.PLAIN_ENV: "request-wait"}  # what its kernels will get
    logger = logging.getLogger("test.server")
    with caplog.at_level(logging.WARNING, logger="test.server"):
        first = compat.report(logger, environ)
        again = compat.report(logger, environ)
    assert [line.split(":")[0] for line in first] == [
        "Not using a faster path (page-opening)", "Not using a faster path (request-wait)"]
    assert again == [] and len(caplog.records) == 2
    assert "Widget._handle_control_comm_msg" in first[0]
    assert environ == {compat.PLAIN_ENV: "request-wait,page-opening",
                       compat.CHECKED_ENV: "1"}
    # A kernel with that environment takes the server's answers without checking again.
    monkeypatch.setattr(compat, "_answers", {})
    monkeypatch.setattr(compat, "CHECKS", {**compat.CHECKS,
                                           "shared-models": lambda: pytest.fail("checked")})
    monkeypatch.setenv(compat.PLAIN_ENV, environ[compat.PLAIN_ENV])
    monkeypatch.setenv(compat.CHECKED_ENV, "1")
    assert not compat.fits("page-opening") and compat.fits("shared-models")
