"""The private parts of libraries the kit touches, each checked before it is used.

Why: the kit's fastest paths replace or lean on parts of ipywidgets, comm, ipykernel, Voila
and jupyter_server that those libraries do not promise to keep. A release that changes one
could leave every page at "Loading widget" with no error. So each such part has a check
here, run when the patch would be applied: if what it replaces no longer looks as expected
(its name, its signature, the line of the library that calls it), the patch is not applied
and the kit does the plain thing instead (slower, never wrong). The server's log says why
once, as the server starts (``report``, called by ``ConductorVoila.start``). The server
hands its answers to the pages' kernels in their environment (``CONDUCTOR_CHECKED``, and the
failed names in ``CONDUCTOR_PLAIN``: same libraries, same answers), so a page spends nothing
on them; a kernel started by anything else (JupyterLab, plain ``voila``) checks for itself,
silently.

``pyproject.toml`` bounds each library below at the newest version tested, and
``requirements.lock`` pins the versions the tests ran on; the checks are for everything in
between (an unlocked install, a library patched by a distribution).

Every check and its fallback:

============== ========================================== =====================================
name           what the kit relies on                     without it
============== ========================================== =====================================
page-opening   ipywidgets ``comm.create_comm``,           the page is built in its cell, as a
               ``Widget._handle_control_comm_msg``,       plain Voila page (its frame is sent
               comm's ``primary``/``_closed``, ipykernel  once the page is built)
               giving a comm its kernel on first send
shared-models  ipywidgets ``InstanceDict.validate`` and   each widget keeps its own layout
               ``make_dynamic_default``                   and style models
preheat-count  Voila's pool ``get_rendered_notebook``     preheated pages are not counted
               returning (task, cells, kernel id)         under the per-address limit
pool-top-up    Voila's pool ``fill_if_needed`` starting   a pool people took kernels from is
               ``pool_size - len(pool)`` kernels, read    refilled whole, as Voila does
               from ``kernel_pools_config`` as called
page-handler   Voila's ``TornadoVoilaHandler`` in         Voila's own page handler: no
               ``init_handlers``, ``http_header_envs``    per-address limit, kept-back slots
                                                          or release of unconnected pages
https-listen   Voila's ``listen`` calling                 ``--certfile`` refuses to start
               ``self.app.listen(port, ip)``              (never plain HTTP when HTTPS is
                                                          asked for)
idle-cull      jupyter_server's ``cull_kernel_if_idle``   the idle cull may take a page's
               and ``notify_connect``                     kernel before its page connects
server-log     ipykernel's ``_original_stdstream_copy``   the kernel's ``sys.__stderr__``
request-wait   Voila's ``voila/query/<kernel>`` address   Voila's own ``wait_for_request``
============== ========================================== =====================================

``CONDUCTOR_PLAIN`` (``all``, or names separated by commas) makes the named checks fail, so
that the fallbacks can be tested, or used on purpose.
"""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Callable

PLAIN_ENV = "CONDUCTOR_PLAIN"
CHECKED_ENV = "CONDUCTOR_CHECKED"  # set by the server: its kernels take its answers
log = logging.getLogger("conductor.compat")

CHECKS: dict[str, Callable[[], str | None]] = {}
FALLBACKS: dict[str, str] = {}
_answers: dict[str, str | None] = {}
_said: set[str] = set()


def check(name: str, fallback: str):
    """Register a shape check: a function returning None if the part looks as expected,
    else why not."""
    def register(func: Callable[[], str | None]) -> Callable[[], str | None]:
        CHECKS[name] = func
        FALLBACKS[name] = fallback
        return func
    return register


def _forced(name: str) -> bool:
    wanted = {p.strip() for p in os.environ.get(PLAIN_ENV, "").split(",") if p.strip()}
    return "all" in wanted or name in wanted


def why_not(name: str) -> str | None:
    """None if the private part behind ``name`` looks as expected, else why not (worked
    out once per process)."""
    if _forced(name):
        return f"turned off by {PLAIN_ENV}"
    if os.environ.get(CHECKED_ENV):
        return None  # the server checked every part as it started, and it fits
    if name not in _answers:
        try:
            _answers[name] = CHECKS[name]()
        except Exception as err:  # a part gone altogether: an import or attribute error
            _answers[name] = f"{type(err).__name__}: {err}"
    return _answers[name]


def fits(name: str) -> bool:
    """Apply the patch ``name``? (Silent: the server's log says why not, once, at start.)"""
    return why_not(name) is None


def report(logger: logging.Logger | logging.LoggerAdapter | None = None,
           environ: dict | None = None) -> list[str]:
    """In the server, as it starts: check every part, write one line to the server's log for
    each patch that is not applied (once per process), hand the answers to the kernels it
    will start (``environ``, default ``os.environ``), and return the lines."""
    environ = os.environ if environ is None else environ
    lines, failed = [], []
    for name in CHECKS:
        reason = why_not(name)
        if reason is not None:
            failed.append(name)
        if reason is None or name in _said:
            continue
        _said.add(name)
        line = (f"Not using a faster path ({name}): {reason}. Instead: {FALLBACKS[name]}. "
                "Install the versions in requirements.lock to get it back.")
        lines.append(line)
        (logger or log).warning(line)
    if failed:
        wanted = [p for p in environ.get(PLAIN_ENV, "").split(",") if p.strip()]
        environ[PLAIN_ENV] = ",".join(dict.fromkeys([*wanted, *failed]))
    environ[CHECKED_ENV] = "1"
    return lines


# -- helpers ---------------------------------------------------------------------------------

def _params(func) -> list[str]:
    return list(inspect.signature(func).parameters)


def _source_has(obj, *texts: str) -> str | None:
    source = inspect.getsource(obj)
    missing = [t for t in texts if t not in source]
    if missing:
        return f"{obj.__module__}.{obj.__qualname__} no longer contains {missing[0]!r}"
    return None


def _expect(cond: bool, reason: str) -> str | None:
    return None if cond else reason


def _first(*answers: str | None) -> str | None:
    return next((a for a in answers if a is not None), None)


# -- the checks ------------------------------------------------------------------------------

@check("page-opening", "each page is built in its cell before it is sent (slower to open)")
def _page_opening() -> str | None:
    import comm.base_comm  # here, not at the top: 31 ms to import (benchmarks/import_cost.py)

    # here, not at the top: 839 ms to import (benchmarks/import_cost.py)
    import ipykernel.comm.comm as kernel_comm
    import ipywidgets.comm  # here, not at the top: 688 ms to import (benchmarks/import_cost.py)

    # here, not at the top: 376 ms to import (benchmarks/import_cost.py)
    from ipywidgets import Widget

    current = ipywidgets.comm.create_comm
    # ipywidgets' own: the page opening's patch (widgets.ui.shell.opening) names it as the
    # function it wraps, so this check needs nothing from the screens.
    create = getattr(current, "__wrapped__", current)
    handler = Widget.__dict__.get("_handle_control_comm_msg")
    original = getattr(getattr(handler, "__func__", None), "__wrapped__", None) or (
        handler.__func__ if isinstance(handler, classmethod) else None)
    manager = comm.base_comm.CommManager
    return _first(
        _expect(_params(create) == ["args", "kwargs"],
                "ipywidgets.comm.create_comm is not create_comm(*args, **kwargs)"),
        _source_has(create, "create_comm(*args, **kwargs)"),
        _source_has(Widget.open, "comm.create_comm("),
        _expect(original is not None and _params(original) == ["cls", "msg"],
                "Widget._handle_control_comm_msg is not a classmethod (cls, msg)"),
        _source_has(Widget.handle_control_comm_opened,
                    "on_msg(cls._handle_control_comm_msg)"),
        _expect("primary" in _params(comm.base_comm.BaseComm.__init__),
                "comm's BaseComm takes no 'primary'"),
        _source_has(comm.base_comm.BaseComm.close, "if self._closed"),
        _expect(_params(manager.register_comm)[1:] == ["comm"]
                and _params(manager.unregister_comm)[1:] == ["comm"],
                "comm's CommManager.register_comm/unregister_comm changed"),
        _expect(kernel_comm.BaseComm.__dict__.get("kernel", 0) is None,
                "ipykernel's BaseComm has no kernel=None until it sends"),
        _source_has(kernel_comm.BaseComm.publish_msg, "if self.kernel is None"),
        _source_has(Widget._send, "kernel"),
        _source_has(Widget.notify_change, "getattr(self.comm, 'kernel', True) is not None"),
    )


@check("shared-models", "each widget keeps its own layout and style models (more messages)")
def _shared_models() -> str | None:
    import traitlets  # here, not at the top: 35 ms to import (benchmarks/import_cost.py)

    # here, not at the top: 510 ms to import (benchmarks/import_cost.py)
    from ipywidgets import DOMWidget

    # here, not at the top: 329 ms to import (benchmarks/import_cost.py)
    from ipywidgets.widgets.trait_types import InstanceDict

    validate = InstanceDict.__dict__.get("validate")
    default = InstanceDict.__dict__.get("make_dynamic_default")
    return _first(
        _expect(issubclass(InstanceDict, traitlets.Instance),
                "InstanceDict is no longer a traitlets Instance"),
        _expect(callable(validate) and _params(validate) == ["self", "obj", "value"],
                "InstanceDict.validate is not (self, obj, value)"),
        _expect(callable(default) and _params(default) == ["self"],
                "InstanceDict.make_dynamic_default is not (self)"),
        _expect(isinstance(DOMWidget.class_traits().get("layout"), InstanceDict),
                "DOMWidget.layout is not an InstanceDict"),
    )


@check("preheat-count", "preheated pages are not counted under the per-address page limit")
def _preheat_count() -> str | None:
    # here, not at the top: 8.8 s to import (benchmarks/import_cost.py)
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    return _source_has(voila_kernel_manager_factory, "async def get_rendered_notebook(",
                       "return render_task, renderer.rendered_cache, kernel_id",
                       "self._pools")


@check("pool-top-up", "a pool people took kernels from is refilled whole, as Voila does")
def _pool_top_up() -> str | None:
    # here, not at the top: 8.8 s to import (benchmarks/import_cost.py)
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    return _source_has(voila_kernel_manager_factory, "def fill_if_needed(",
                       "self.kernel_pools_config.get(", "for _ in range(kernel_size - len(pool))")


@check("page-handler", "Voila's own page handler: no per-address page limit, no kept-back "
                       "slots for the console, no release of unconnected pages, join "
                       "attempts counted per page only")
def _page_handler() -> str | None:
    # here, not at the top: 10.5 s to import (benchmarks/import_cost.py)
    from voila.app import Voila

    # here, not at the top: 9.8 s to import (benchmarks/import_cost.py)
    from voila.configuration import VoilaConfiguration

    # here, not at the top: 9.9 s to import (benchmarks/import_cost.py)
    from voila.tornado.handler import TornadoVoilaHandler

    return _first(
        _source_has(Voila.init_handlers, "TornadoVoilaHandler"),
        _expect(callable(getattr(TornadoVoilaHandler, "prepare", None)),
                "TornadoVoilaHandler has no prepare"),
        _expect("http_header_envs" in VoilaConfiguration.class_traits(),
                "VoilaConfiguration has no http_header_envs"),
    )


@check("https-listen", "conductor serve --certfile refuses to start (it never serves plain "
                       "HTTP when HTTPS was asked for); put an HTTPS proxy in front instead")
def _https_listen() -> str | None:
    # here, not at the top: 10.5 s to import (benchmarks/import_cost.py)
    from voila.app import Voila

    return _source_has(Voila.listen, "self.app.listen(port, self.ip)")


@check("idle-cull", "the idle cull may take a page's kernel before its page has connected")
def _idle_cull() -> str | None:
    # here, not at the top: 7.5 s to import (benchmarks/import_cost.py)
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager as M

    return _first(
        _expect(_params(M.cull_kernel_if_idle) == ["self", "kernel_id"],
                "cull_kernel_if_idle is not (self, kernel_id)"),
        _expect(_params(M.notify_connect) == ["self", "kernel_id"],
                "notify_connect is not (self, kernel_id)"),
        _source_has(M.cull_kernels, "self.cull_kernel_if_idle("),
    )


@check("server-log", "a page's kernel writes its log lines to its own stderr")
def _server_log() -> str | None:
    # here, not at the top: 436 ms to import (benchmarks/import_cost.py)
    from ipykernel.iostream import OutStream

    return _source_has(OutStream, "self._original_stdstream_copy = os.dup(")


@check("request-wait", "a preheated kernel waits for its request with Voila's own wait, "
                       "which gives up after 5 s")
def _request_wait() -> str | None:
    # here, not at the top: 19.8 s to import (benchmarks/import_cost.py)
    from voila.utils import wait_for_request

    return _source_has(wait_for_request, "VOILA_APP_PORT", "VOILA_KERNEL_ID",
                       "voila/query", "os.environ[k] = v")
