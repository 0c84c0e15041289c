"""A kernel manager with a cap, for Voila.

Why: every page a participant opens starts a Python kernel (37 to 89 MB of PSS, from a
one-cell page to Focus with its ranking, benchmarks/memory.py on 7 Dec 2026; a room of 80
readiness pages 4.1 to 6.5 GB, join_storm.py). Voila has no limit, so a burst of requests
(a room of phones reloading at once, or a hostile script) could start kernels until the
server runs out of memory and every page fails. Past the cap, a new page gets a clear "the
room is full, try again in a minute" page (HTTP 503), while the pages already open carry
on; culling frees the kernels of closed pages.

A cap alone can be kept full from outside: plain page requests that never open their
websocket each held a kernel until the idle cull (ten minutes). So three more rules hold:
a page's kernel whose page never connects is let go ``unconnected_timeout`` seconds after
the page was sent; one address holds at most ``max_kernels_per_address`` participants'
kernels; and the last ``kept_back`` slots are for the console and the room screen only.
The request's address and page reach the kernel manager through ``PageHandler`` (Voila's
page handler, which records them for the kernel the request starts or, with preheated
kernels, is handed: see ``__init_subclass__``). A page's kernel is never culled as idle before
its page has had ``unconnected_timeout`` seconds to connect: a phone still loading the page
would otherwise find its kernel gone (the release of unconnected pages decides instead).
"""

from __future__ import annotations

import asyncio
import compileall
import contextvars
import ipaddress
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_server.services.kernels.kernelmanager import (
    AsyncMappingKernelManager,
    ServerKernelManager,
)
from tornado import web
from traitlets import Bool, Float, Integer, default

from .. import compat

FULL_REASON = "The room is full"
# ZeroMQ sockets the server holds for one open page: its kernel's control and activity
# sockets, the page's websocket channels (shell, control, iopub, stdin) and, while Voila
# renders the page, its own client's five (shell, iopub, stdin, control, heartbeat); a
# page that reconnects briefly holds two sets of channels. 16 leaves room for those.
SOCKETS_PER_PAGE = 16
SOCKETS_OF_THE_SERVER = 64  # its own, and those of kernels being shut down
KEPT_BACK_PAGES = ("facilitator.ipynb", "room.ipynb")  # always get a kernel (kept-back slots)


@dataclass(eq=False)
class PageRequest:
    """One request for a page: who asked (address) and whether it may use kept-back slots."""

    address: str
    kept_back: bool
    kernel_id: str | None = None


_REQUEST: contextvars.ContextVar[PageRequest | None] = contextvars.ContextVar(
    "conductor_page_request", default=None)


LAUNCHER = "widgets.server.kernel_launcher"


def launched_by_the_kit(cmd: list[str]) -> list[str]:
    """The command that starts a kernel, with ipykernel's launcher replaced by the kit's
    (``kernel_launcher``: the same kernel, whose messages to pages are never dropped).
    Only for ipykernel run by this server's own Python, where the kit is installed; any
    other kernel starts as its kernelspec says."""
    for i in range(len(cmd) - 1):
        if cmd[i] == "-m" and cmd[i + 1] == "ipykernel_launcher":
            here = Path(sys.executable).resolve()
            same = cmd[0] == sys.executable or Path(cmd[0]).resolve() == here
            return [*cmd[:i + 1], LAUNCHER, *cmd[i + 2:]] if same else cmd
    return cmd


def is_kernel(cmdline: list[str]) -> bool:
    """Whether a process's command line is a kernel's (ipykernel's own launcher, or the
    kit's): how tests and benchmarks find a server's kernels among its children."""
    return any(part in ("ipykernel_launcher", LAUNCHER) or part.endswith("ipykernel_launcher.py")
               for part in cmdline)


class PageKernel(ServerKernelManager):
    """One page's kernel, started with the kit's launcher (see ``launched_by_the_kit``)."""

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return launched_by_the_kit(super().format_kernel_cmd(extra_arguments))


class CappedKernelManager(AsyncMappingKernelManager):
    max_kernels = Integer(80, config=True,
                          help="The most kernels (open pages) at once; past it, new pages "
                               "are asked to try again in a minute.").tag(config=True)
    kept_back = Integer(2, config=True,
                        help="Slots within the cap that only the console and the room screen "
                             "use, so a full room never locks the facilitator out.")
    max_kernels_per_address = Integer(
        4, config=True,
        help="The most participants' pages one network address holds at once (0: no limit). "
             "Devices that reach the server through one shared address (a hospital network "
             "that NATs its phones to one address, a server on the internet) share it.")
    unconnected_timeout = Integer(
        30, config=True,
        help="Seconds after a page was sent before its kernel is let go if the page never "
             "connected (a script, or a browser that gave up).")
    refill_after_quiet = Float(
        10.0, config=True,
        help="With preheated kernels: seconds with no page handed out from a pool before it "
             "is topped up again. Voila refills a second after each hand-out, so in a join "
             "storm every taken kernel started another on the same cores while the room "
             "was still arriving.")
    top_up_share = Float(
        0.1, config=True,
        help="With preheated kernels: once people have taken more than half of a pool "
             "(the room has arrived), it is topped up to this share of its size, for "
             "latecomers and reloads, never below the pool every page keeps (--preheat) "
             "nor below one. A whole pool again was as many kernels starting on the cores "
             "the room's pages were using, and their memory (a room of 80 had 241 kernels "
             "and 12 GB). A pool with half or more still waiting (a few early joins, a "
             "kernel that ended) is refilled whole. 1: always refill whole, as Voila does.")
    zmq_sockets = Integer(
        0, config=True,
        help="The most ZeroMQ sockets the server may open to its kernels (0: enough for "
             "max_kernels pages and preheated pools). ZeroMQ's default, 1023, stalled a room "
             "of 100 pages arriving at once: every page being rendered holds about 11.")
    trust_forwarded_for = Bool(
        False, config=True,
        help="Take the client's address from the last X-Forwarded-For entry (set only behind "
             "your own proxy, which adds it; anyone else could write that header).")

    @default("kernel_manager_class")
    def _page_kernels(self) -> str:
        return f"{PageKernel.__module__}.{PageKernel.__qualname__}"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._starting = 0  # kernels being started, not yet listed
        self._closing = False
        self._owner: dict[str, str] = {}  # page kernel id -> the address that asked for it
        self._claiming: dict[str, int] = {}  # address -> kernels being started or handed
        self._sent: dict[str, float] = {}  # page kernel id -> when its page was sent
        self._connected: set[str] = set()  # page kernels whose page has connected
        self._watch: asyncio.Task | None = None
        self._refills: dict[str, asyncio.TimerHandle] = {}  # pool -> its waiting top-up
        self._drawn: set[str] = set()  # pools people have taken kernels from
        self._make_room_for_sockets()
        self._keep_every_message()

    def _make_room_for_sockets(self) -> None:
        """Let the kernels' ZeroMQ context, and the process's open files, hold what
        ``max_kernels`` pages need (``SOCKETS_PER_PAGE`` each).

        Why: ZeroMQ allows a context 1023 sockets unless told otherwise, and every page
        being rendered holds about 11 in this process. When a room of 100 arrived within
        ten seconds (join_storm.py, 7 Dec) the server passed that and no page came back
        in six minutes while the server sat at 6% of its processor. Each socket also uses
        file descriptors (two or three), and a Linux login's soft limit is often 1024:
        it is raised towards the hard limit, never past it. Must run before the context
        opens its first socket (it does: the manager's own first kernel is later)."""
        wanted = self.zmq_sockets or (SOCKETS_PER_PAGE * self.max_kernels
                                      + SOCKETS_OF_THE_SERVER)
        # pyzmq's context options as attributes (ZMQ_MAX_SOCKETS): the kit does not import
        # pyzmq itself, jupyter_client does.
        if self.zmq_sockets or self.context.max_sockets < wanted:
            self.context.max_sockets = wanted
        try:
            import resource  # here, not at the top: Unix only (Windows has none)
        except ImportError:  # pragma: no cover - Windows: its own limits apply
            return
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        files = 3 * wanted + 256  # sockets' descriptors, plus kernels' pipes and the rest
        if soft != resource.RLIM_INFINITY and soft < files:
            top = files if hard == resource.RLIM_INFINITY else min(files, hard)
            if top > soft:
                resource.setrlimit(resource.RLIMIT_NOFILE, (top, hard))
            if top < files:
                self.log.warning(
                    "This server may open only %d files at once; %d pages need about %d. "
                    "Raise the limit (ulimit -n, or LimitNOFILE= in a systemd service) or "
                    "lower --max-kernels.", top, self.max_kernels, files)

    def _keep_every_message(self) -> None:
        """Let the sockets that carry kernels' messages to the pages queue all of them.

        Why: a kernel publishes its messages (widget updates, the "busy" and "idle" of each
        click) on a ZeroMQ socket that drops what a slow reader has not taken once 1,000
        wait on each side (ZeroMQ's high-water marks). Over TCP the system's large socket
        buffers hid this; over Unix sockets (``--KernelManager.transport=ipc``, see
        cli.voila_command) a page sent 2,000 messages in a burst on a busy machine lost
        240 replies, and a test that waited for the last one hung (test_log_flood, three
        runs in three beside a CI run). With no limit on this side, ZeroMQ's own thread
        keeps reading the kernel's socket into this process, so the kernel's side never
        fills; a page's messages wait here until the server sends them on. Set before
        any socket opens: a socket takes the context's defaults when it is made."""
        self.context.rcvhwm = 0

    def running(self) -> int:
        return len(self.list_kernel_ids()) + self._starting

    def held_by(self, address: str) -> int:
        return sum(a == address for a in self._owner.values()) + self._claiming.get(address, 0)

    def _admit(self, page: PageRequest | None, pool_refill: bool) -> None:
        """Refuse (HTTP 503, the "try again" page) a kernel the room has no slot for."""
        limit = self.max_kernels
        if pool_refill or page is None or not page.kept_back:
            limit -= max(0, min(self.kept_back, self.max_kernels - 1))
        if self.running() >= limit:
            self.log.warning("Kernel cap of %d reached (%d kept back for the console): asking "
                             "a new page to try again.", self.max_kernels, self.kept_back)
            if self._pool_map() is not None:  # a refill of the preheated pool was refused
                asyncio.get_running_loop().call_soon(self._drop_failed_pool_items)
            raise web.HTTPError(503, reason=FULL_REASON)
        if page is not None and not pool_refill:
            self._admit_address(page)

    async def start_kernel(self, *args, **kwargs):
        pool_refill = (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True"
        page = None if pool_refill else _REQUEST.get()
        self._admit(page, pool_refill)
        self._starting += 1
        if page is not None:
            self._claim(page.address, +1)
        try:
            kernel_id = await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1
            if page is not None:
                self._claim(page.address, -1)
        if page is not None:
            self._given(page, kernel_id)
        return kernel_id

    def _claim(self, address: str, step: int) -> None:
        self._claiming[address] = self._claiming.get(address, 0) + step
        if self._claiming[address] <= 0:
            del self._claiming[address]

    def _given(self, page: PageRequest, kernel_id: str) -> None:
        page.kernel_id = kernel_id
        self._owner[kernel_id] = page.address
        self._start_watch()

    # -- pages that never connect --------------------------------------------------------

    def notify_connect(self, kernel_id):
        self._connected.add(kernel_id)
        super().notify_connect(kernel_id)

    def _waiting_for_page(self, kernel_id: str) -> bool:
        """A page's kernel whose page has not connected yet: still being sent, or sent less
        than ``unconnected_timeout`` seconds ago."""
        if kernel_id not in self._owner or kernel_id in self._connected:
            return False
        sent = self._sent.get(kernel_id)
        return sent is None or time.monotonic() - sent < self.unconnected_timeout

    async def cull_kernel_if_idle(self, kernel_id):
        """The idle cull, except for a page's kernel whose page may still be loading (the
        culler counts idleness from the kernel's last message, which for a preheated kernel
        can be long before its page was even asked for)."""
        if self._waiting_for_page(kernel_id):
            return None
        return await super().cull_kernel_if_idle(kernel_id)

    def page_sent(self, page: PageRequest) -> None:
        """The page's request is over: from now, its page has ``unconnected_timeout``
        seconds to connect before its kernel is let go."""
        if page.kernel_id in self._owner:
            self._sent[page.kernel_id] = time.monotonic()

    def _start_watch(self) -> None:
        if self._watch is None or self._watch.done():
            self._watch = asyncio.get_running_loop().create_task(self._let_go_unconnected())

    async def _let_go_unconnected(self) -> None:
        while not self._closing:
            await asyncio.sleep(max(1, min(5, self.unconnected_timeout // 4)))
            now = time.monotonic()
            for kernel_id, sent in list(self._sent.items()):
                if kernel_id in self._connected or now - sent < self.unconnected_timeout:
                    continue
                self._sent.pop(kernel_id, None)
                if kernel_id not in self.list_kernel_ids():
                    continue
                self.log.info("Letting kernel %s go: its page never connected within %d s.",
                              kernel_id, self.unconnected_timeout)
                try:
                    await self.shutdown_kernel(kernel_id)
                except Exception:  # already gone: nothing to free
                    self.log.debug("Kernel %s was already gone.", kernel_id, exc_info=True)

    def _forget(self, kernel_id: str) -> None:
        for table in (self._owner, self._sent):
            table.pop(kernel_id, None)
        self._connected.discard(kernel_id)

    # -- preheated kernels (conductor serve --preheat) -----------------------------------
    # Voila keeps a pool of kernels per notebook, each already running its notebook up to
    # the point where it reads the URL. Pool kernels count towards the cap like any other.

    def _pool_map(self) -> dict | None:
        return self.__dict__.get("_pools")  # set by Voila's pool manager when preheating

    def _drop_failed_pool_items(self) -> None:
        """Forget pool entries whose kernel was refused at the cap: a page then starts a
        kernel the usual way and, while the room is full, gets the "try again" page
        (Voila would otherwise hand it the failed entry and fail with an error)."""
        for pool in (self._pool_map() or {}).values():
            pool[:] = [t for t in pool if not (t.done() and (t.cancelled() or t.exception()))]

    def _refill_pools(self) -> None:
        """Top the pools up again once a kernel has gone (a refill refused at the cap is
        not retried by Voila until that notebook's pool is next used)."""
        fill = getattr(self, "fill_if_needed", None)
        pools = self._pool_map()
        if fill is None or pools is None or self._closing:
            return
        for notebook in list(pools):
            if self.running() < self.max_kernels:
                fill(delay=None, notebook_name=notebook)

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        try:
            await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            self._forget(kernel_id)
        self._refill_pools()

    def __init_subclass__(cls, **kwargs):
        """Voila's pool manager subclasses this class when preheating (voila 0.5
        ``voila_kernel_manager_factory``); a pool kernel it hands to a request is then
        recorded for that request's address and page, like a started one, and a pool is
        topped up only once the room has stopped arriving (``refill_after_quiet``)."""

        super().__init_subclass__(**kwargs)
        fill = cls.__dict__.get("fill_if_needed")
        if fill is not None:
            def fill_if_needed(self, delay=None, notebook_name=None, **kw):
                if delay is not None:  # the pools' first fill as the server starts
                    return fill(self, delay, notebook_name, **kw)
                self._refill_when_quiet(lambda: self._top_up(fill, notebook_name, **kw),
                                        notebook_name)
                return None

            fill_if_needed.__qualname__ = "CappedKernelManager.fill_if_needed"
            cls.fill_if_needed = fill_if_needed
        hand_out = cls.__dict__.get("get_rendered_notebook")
        if hand_out is None or not compat.fits("preheat-count"):  # the server's log says why
            return

        async def get_rendered_notebook(self, *args, **kw):
            notebook = kw.get("notebook_name") or (args[0] if args else "")
            page = _REQUEST.get()
            if page is None:
                result = await hand_out(self, *args, **kw)
                self._drawn.add(notebook)
                return result
            self._admit_address(page)
            self._claim(page.address, +1)
            try:
                result = await hand_out(self, *args, **kw)
            finally:
                self._claim(page.address, -1)
            self._drawn.add(notebook)  # a kernel went to a person (not one refused)
            kernel_id = result[2] if isinstance(result, tuple) and len(result) == 3 else None
            if isinstance(kernel_id, str):
                self._given(page, kernel_id)
            else:  # Voila changed shape: the limits miss preheated pages
                self.log.warning("Could not record a preheated page's address.")
            return result

        get_rendered_notebook.__qualname__ = "CappedKernelManager.get_rendered_notebook"
        cls.get_rendered_notebook = get_rendered_notebook

    def _refill_when_quiet(self, refill, notebook: str | None) -> None:
        """Top a pool up ``refill_after_quiet`` seconds after its last hand-out (or kernel
        gone), not a second after each: while people are still arriving, each refill is a
        kernel starting on the cores their pages need. Until then a page finding the pool
        empty starts its kernel as without preheating."""
        waiting = self._refills.pop(notebook or "", None)
        if waiting is not None:
            waiting.cancel()
        if self._closing:
            return
        loop = asyncio.get_event_loop()
        self._refills[notebook or ""] = loop.call_later(max(0.0, self.refill_after_quiet),
                                                        refill)

    def _top_up(self, fill, notebook: str | None, **kw) -> None:
        """Refill ``notebook``'s pool (Voila's ``fill``): to ``top_up_share`` of its size
        once people have taken more than half of it (the room has arrived), else to its
        whole size (a few early joins, a facilitator trying the link: the room to come
        still finds its kernels waiting).

        Voila's fill starts as many kernels as the pool's configured size lacks, reading
        ``kernel_pools_config`` as it is called; the smaller size is set for that call
        only. Where Voila's fill no longer looks so ("pool-top-up" in widgets.compat), the
        pool is refilled whole, as Voila does."""
        config = getattr(self, "kernel_pools_config", None)
        size = self._pool_size(notebook)
        every_page = self._pool_size("default")  # what --preheat keeps on every page
        target = min(size, max(1, every_page, math.ceil(size * self.top_up_share)))
        waiting = len((self._pool_map() or {}).get(notebook, ()))
        arrived = notebook in self._drawn and waiting < size / 2
        if (config is None or not arrived or target >= size
                or not compat.fits("pool-top-up")):
            fill(self, 0, notebook, **kw)
            return
        own = config.get(notebook, config.get("default", {}))
        self.kernel_pools_config = {**config, notebook: {**own, "pool_size": target}}
        try:
            fill(self, 0, notebook, **kw)
        finally:
            self.kernel_pools_config = config

    def _pool_size(self, notebook: str | None) -> int:
        """The size ``kernel_pools_config`` gives ``notebook``'s pool (as Voila reads it)."""
        config = getattr(self, "kernel_pools_config", None) or {}
        default = config.get("default", {})
        return int(config.get(notebook, default).get("pool_size", default.get("pool_size", 1)))

    def _admit_address(self, page: PageRequest) -> None:
        """The address limit, for a kernel started for a page or handed to it from the pool.

        Not for this machine's own address: behind a proxy not trusted for X-Forwarded-For
        every page comes from it, and the facilitator's own browser may too."""
        if (not page.kept_back and self.max_kernels_per_address > 0
                and not _loopback(page.address)
                and self.held_by(page.address) >= self.max_kernels_per_address):
            self.log.warning("%s already holds %d pages: asking it to try again.",
                             page.address, self.max_kernels_per_address)
            raise web.HTTPError(503, reason=FULL_REASON)

    async def shutdown_all(self, *args, **kwargs):
        self._closing = True  # no refills while the server stops
        for waiting in self._refills.values():
            waiting.cancel()
        await super().shutdown_all(*args, **kwargs)


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def client_address(request, trust_forwarded_for: bool) -> str:
    """Who asked: the peer's address, or behind our own proxy (trusted by setting) the
    address it added last to X-Forwarded-For (earlier entries are the client's to write)."""
    if trust_forwarded_for:
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.remote_ip or ""


def page_handler(base: type) -> type:
    """Voila's page handler (``base``), recording each request's address and page for the
    kernel manager (see the module's docstring)."""

    class PageHandler(base):
        _page: PageRequest | None = None

        async def prepare(self, *args, **kwargs):
            result = super().prepare(*args, **kwargs)
            if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
                result = await result
            manager = self.kernel_manager
            if isinstance(manager, CappedKernelManager):
                notebook = self.request.path.rstrip("/").rsplit("/", 1)[-1]
                self._page = PageRequest(
                    client_address(self.request, manager.trust_forwarded_for),
                    kept_back=notebook in KEPT_BACK_PAGES)
                _REQUEST.set(self._page)
            return result

        def on_finish(self):
            self._mark_sent()
            super().on_finish()

        def on_connection_close(self):  # the browser went while the page was being sent
            self._mark_sent()
            super().on_connection_close()

        def _mark_sent(self):
            if self._page is not None and self._page.kernel_id:
                self.kernel_manager.page_sent(self._page)

    return PageHandler


def compile_kit() -> None:
    """Write the kit's bytecode once, before any page's kernel starts.

    Why: Python writes a module's bytecode on first import, except where
    PYTHONDONTWRITEBYTECODE is set (some containers and CI images do). There every page's
    kernel compiled the kit's modules from source again, about 30 ms of each page load,
    measured in a kernel. A folder that cannot be written costs only that time.
    """

    compileall.compile_dir(Path(__file__).resolve().parents[1], quiet=2)  # the whole package
