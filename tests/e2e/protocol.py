"""A page of the kit, spoken to as a browser does, without a browser.

Why: the browser is not a trust boundary. Anyone on the room's network can load a page and
then talk to its kernel over the page's websocket with any widget message they like: change
a widget's ``min``, ``max`` or ``options``, send a number no input box would allow, click a
button that is hidden or disabled. Tests that tamper with pages need to speak that protocol
directly, the way ``@jupyter-widgets/base`` does in a browser:

1. GET the page (``/voila/render/X.ipynb?...``); the HTML names the page's kernel
   (``"kernelId": "..."``).
2. Open the kernel's websocket (``api/kernels/<id>/channels``).
3. Ask for every widget's state: open a comm on ``jupyter.widget.control`` and send
   ``{"method": "request_states"}``; the kernel answers ``update_states`` with every model
   (ipywidgets' ``Widget._handle_control_comm_msg``).
4. Send changes to a model as ``comm_msg``: ``{"method": "update", "state": {...},
   "buffer_paths": []}``, or a custom message (a click is ``{"event": "click"}``).
5. Keep reading the kernel's messages (``comm_open``, ``update``, ``comm_close``), so the
   client always holds the page's current state.

Usage::

    with PageClient(server.url("00_start.ipynb")) as page:
        code = page.find(description="Session code")
        page.set(code, value="ACDE34")
        page.click(page.find(description="Join"))
        page.wait_for(lambda p: p.shows("No session has the code"))

The websocket runs on its own thread and event loop (Playwright's sync API owns the test
thread's loop), so a test can use this beside a browser. Every wait has a bound; a test
waits for what it expects, never for a fixed time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import struct
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

WIDGET_TARGET = "jupyter.widget"
CONTROL_TARGET = "jupyter.widget.control"
CONTROL_VERSION = "1.0.0"  # the control comm's protocol, as ipywidgets 8 checks it
TIMEOUT = 60.0  # seconds: a bound on every wait, not a measure


class ProtocolError(AssertionError):
    """The page did not answer as a browser would expect (or a model was not found)."""


@dataclass(frozen=True)
class Model:
    """One widget model of the page, by its id; its state is read live from the client."""

    client: PageClient
    id: str

    @property
    def state(self) -> dict[str, Any]:
        return self.client.state_of(self.id)

    @property
    def name(self) -> str:
        """The model's class, e.g. ``ButtonModel``, ``FloatTextModel``."""
        return self.state.get("_model_name", "")

    def __getitem__(self, key: str) -> Any:
        return self.state[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.state.get(key, default)

    @property
    def alive(self) -> bool:
        """False once the kernel has closed this model (the widget is gone)."""
        return self.client.has_model(self.id)

    def __repr__(self) -> str:
        s = self.client.state_of(self.id) if self.alive else {}
        bits = [f"{k}={s[k]!r}" for k in ("description", "value", "_dom_classes")
                if s.get(k) not in (None, "", [], ())]
        return f"<{s.get('_model_name', 'closed model')} {self.id[:8]} {' '.join(bits)}>"


def _matches(state: dict[str, Any], want: dict[str, Any]) -> bool:
    for key, expected in want.items():
        if key == "dom_class":
            if expected not in state.get("_dom_classes", ()):
                return False
            continue
        if key == "model_name":
            key = "_model_name"
        if key not in state:
            return False
        actual = state[key]
        if callable(expected):
            if not expected(actual):
                return False
        elif actual != expected:
            return False
    return True


def _decode_binary(data: bytes) -> dict:
    """A kernel message with binary buffers, in Jupyter server's (legacy) websocket framing:
    a count, the offsets of each part, the message's JSON, then the buffers."""
    (count,) = struct.unpack("!I", data[:4])
    offsets = [*struct.unpack(f"!{count}I", data[4:4 + 4 * count]), len(data)]
    parts = [data[offsets[i]:offsets[i + 1]] for i in range(count)]
    msg = json.loads(parts[0].decode("utf8"))
    msg["buffers"] = parts[1:]
    return msg


def _put_buffers(state: dict, paths: list, buffers: list) -> None:
    for path, buf in zip(paths or [], buffers or [], strict=False):
        target = state
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = bytes(buf)


class PageClient:
    """One page of the kit, loaded and driven at the widget-protocol level (see module doc).

    ``url`` is the page's full address (``server.url("01_focus.ipynb", "p=...")``).
    """

    def __init__(self, url: str, *, timeout: float = TIMEOUT,
                 headers: dict[str, str] | None = None):
        self.url = url
        self.timeout = timeout
        self.headers = dict(headers or {})  # sent with every request (X-Forwarded-For...)
        self.kernel_id = ""
        self.html = ""
        self.outputs: list[dict] = []  # stream and error output the kernel sent (stdout...)
        self.received: list[tuple[str, str]] = []  # (channel, type) of every message, in order
        self._models: dict[str, dict[str, Any]] = {}
        self._closed_models: set[str] = set()
        self._idle: set[str] = set()  # msg ids of ours the kernel has finished handling
        self._cond = threading.Condition()
        self._session = uuid.uuid4().hex
        self._cookies = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._conn = None
        self._reader_done = False
        self._snapshot = False
        # Seconds from the start of ``open`` to each step of it: the page's HTML in hand,
        # the kernel's websocket open, the widgets' snapshot in hand (benchmarks show where
        # a slow page's time went).
        self.phases: dict[str, float] = {}

    # ---- opening and closing ------------------------------------------------------------

    def __enter__(self) -> PageClient:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self) -> PageClient:
        """Load the page, connect to its kernel and read the whole page's state."""
        began = time.perf_counter()
        with urlopen(Request(self.url, headers=self.headers),  # noqa: S310
                     timeout=self.timeout * 3) as reply:
            self.html = reply.read().decode("utf8", "replace")
            jar = SimpleCookie()
            for header in reply.headers.get_all("Set-Cookie") or []:
                jar.load(header)
            self._cookies = "; ".join(f"{k}={v.value}" for k, v in jar.items())
        m = re.search(r'"kernelId": "([0-9a-f-]+)"', self.html)
        if m is None:  # an error page: say what it says, not its head
            body = re.sub(r"(?s)<(script|style)\b.*?</\1>|<[^>]+>", " ", self.html)
            raise ProtocolError(f"no kernel id in the page at {self.url}: "
                                f"{' '.join(body.split())[:600]}")
        self.kernel_id = m.group(1)
        self.phases["html"] = time.perf_counter() - began
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name=f"page-client-{self.kernel_id[:8]}")
        self._thread.start()
        self._run(self._connect())
        self.phases["websocket"] = time.perf_counter() - began
        self.refresh_states()
        self.phases["snapshot"] = time.perf_counter() - began
        return self

    def close(self) -> None:
        """Close the websocket and stop the client's thread (the kernel is then culled by the
        server as an abandoned page's would be; ``shutdown()`` ends it at once)."""
        if self._loop is None:
            return
        if self._conn is not None:
            self._loop.call_soon_threadsafe(self._conn.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop = None

    def shutdown(self) -> None:
        """Ask the server to shut the page's kernel down, as a closed browser tab does."""
        parts = urlsplit(self.url)
        base = f"{parts.scheme}://{parts.netloc}{parts.path.split('voila/render/')[0]}"
        # The XSRF check wants the same token in a cookie and a header; a page makes its
        # own, as Voila's unload handler does.
        token = uuid.uuid4().hex
        cookies = "; ".join(c for c in (self._cookies, f"_xsrf={token}") if c)
        req = Request(f"{base}api/kernels/{self.kernel_id}", method="DELETE",  # noqa: S310
                      headers={**self.headers, "Cookie": cookies, "X-XSRFToken": token})
        with contextlib.suppress(OSError):  # the idle cull is the backstop
            urlopen(req, timeout=30).close()  # noqa: S310 - our own test server
        self.close()

    @property
    def ws_url(self) -> str:
        parts = urlsplit(self.url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        root = parts.path.split("voila/render/")[0]
        return f"{scheme}://{parts.netloc}{root}api/kernels/{self.kernel_id}/channels"

    def _run(self, coro, timeout: float | None = None):
        assert self._loop is not None, "the client is not open"
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(
            timeout or self.timeout * 3)

    async def _connect(self) -> None:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        headers = {**self.headers, **({"Cookie": self._cookies} if self._cookies else {})}
        self._conn = await websocket_connect(
            HTTPRequest(self.ws_url, headers=headers, request_timeout=self.timeout),
            max_message_size=200 * 1024 * 1024)
        self._reader = asyncio.ensure_future(self._read_forever())

    async def _read_forever(self) -> None:
        try:
            while True:
                raw = await self._conn.read_message()
                if raw is None:
                    break
                msg = _decode_binary(raw) if isinstance(raw, bytes) else json.loads(raw)
                self._receive(msg)
        finally:
            with self._cond:
                self._reader_done = True
                self._cond.notify_all()

    # ---- what the kernel sends -----------------------------------------------------------

    def handled(self, msg_id: str) -> bool:
        """Whether the kernel's ``idle`` for the message ``msg_id`` has arrived."""
        with self._cond:
            return msg_id in self._idle

    def _receive(self, msg: dict) -> None:
        kind = msg.get("header", {}).get("msg_type") or msg.get("msg_type")
        content = msg.get("content", {})
        with self._cond:
            self.received.append((msg.get("channel", ""), kind))
            if kind == "comm_open" and content.get("target_name") == WIDGET_TARGET:
                data = content.get("data", {})
                state = dict(data.get("state", {}))
                _put_buffers(state, data.get("buffer_paths"), msg.get("buffers"))
                self._models[content["comm_id"]] = state
                self._closed_models.discard(content["comm_id"])
            elif kind == "comm_msg":
                self._comm_msg(content, msg.get("buffers"))
            elif kind == "comm_close":
                if self._models.pop(content.get("comm_id"), None) is not None:
                    self._closed_models.add(content["comm_id"])
            elif kind == "status" and content.get("execution_state") == "idle":
                parent = msg.get("parent_header", {}).get("msg_id")
                if parent:
                    self._idle.add(parent)
            elif kind in ("stream", "error", "display_data"):
                self.outputs.append({"type": kind, **content})
            self._cond.notify_all()

    def _comm_msg(self, content: dict, buffers) -> None:
        data = content.get("data", {})
        method = data.get("method")
        comm_id = content.get("comm_id")
        if method == "update_states":  # the answer to request_states: the whole page
            states = data.get("states", {})
            for i, path in enumerate(data.get("buffer_paths", []) or []):
                target = states
                for key in path[:-1]:
                    target = target[key]
                target[path[-1]] = bytes(buffers[i]) if buffers else b""
            for model_id, entry in states.items():
                self._models[model_id] = dict(entry.get("state", {}))
                self._closed_models.discard(model_id)
            self._snapshot = True
        elif method == "update" and comm_id in self._models:
            state = dict(data.get("state", {}))
            _put_buffers(state, data.get("buffer_paths"), buffers)
            self._models[comm_id].update(state)
        # "echo_update" repeats what this client sent (it already holds it, as a browser
        # does); "custom" messages to the page carry no state.

    # ---- sending, as @jupyter-widgets/base does -------------------------------------------

    def _message(self, kind: str, content: dict) -> dict:
        return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": kind, "username": "",
                           "session": self._session, "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": content}

    def send_raw(self, kind: str, content: dict, *, wait: bool = True,
                 metadata: dict | None = None) -> str:
        """Send any shell message to the kernel; by default wait until the kernel has
        handled it (its ``idle`` status for this message). Returns the message id."""
        msg = self._message(kind, content)
        if metadata:
            msg["metadata"] = metadata
        text = json.dumps(msg)  # inf and nan go as Infinity / NaN, as a script could send
        self._run(self._write(text))
        if wait:
            self._wait(lambda: msg["header"]["msg_id"] in self._idle,
                       f"the kernel to handle {kind}")
        return msg["header"]["msg_id"]

    def send_text(self, text: str) -> None:
        """Send raw text over the websocket (a hand-written message, e.g. with ``1e400``)."""
        self._run(self._write(text))

    async def _write(self, text: str) -> None:
        await self._conn.write_message(text)

    def refresh_states(self) -> None:
        """Ask for every model's state as a browser does when it connects, and wait for it."""
        self._snapshot = False
        comm_id = uuid.uuid4().hex
        self.send_raw("comm_open", {"comm_id": comm_id, "target_name": CONTROL_TARGET,
                                    "data": {}}, metadata={"version": CONTROL_VERSION},
                      wait=False)
        self.send_raw("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}},
                      wait=False)
        self._wait(lambda: self._snapshot, "the page's widget states")
        self.send_raw("comm_close", {"comm_id": comm_id, "data": {}}, wait=False)

    def update(self, model: Model | str, state: dict[str, Any], *, wait: bool = True) -> str:
        """Send an ``update`` of any traits (``min``, ``max``, ``options`` too): what a
        browser sends when a person changes a control. The client keeps the values sent, as
        a browser's model does; the kernel's own updates replace them as they come."""
        model_id = model.id if isinstance(model, Model) else model
        with self._cond:
            if model_id in self._models:
                self._models[model_id].update(state)
        return self.send_raw("comm_msg", {"comm_id": model_id, "data": {
            "method": "update", "state": state, "buffer_paths": []}}, wait=wait)

    def set(self, model: Model | str, *, wait: bool = True, **state: Any) -> None:
        """``page.set(box, value=3)``: the same as ``update`` with keyword arguments."""
        self.update(model, state, wait=wait)

    def custom(self, model: Model | str, content: dict, *, wait: bool = True) -> str:
        """Send a custom message to a model (what a button's view sends on a click)."""
        model_id = model.id if isinstance(model, Model) else model
        return self.send_raw("comm_msg", {"comm_id": model_id, "data": {
            "method": "custom", "content": content}}, wait=wait)

    def click(self, model: Model | str, *, wait: bool = True) -> None:
        """Click a button, shown or not, enabled or not: the kernel is told as a browser
        tells it; only the kernel can refuse."""
        self.custom(model, {"event": "click"}, wait=wait)

    # ---- reading the page -------------------------------------------------------------------

    def has_model(self, model_id: str) -> bool:
        with self._cond:
            return model_id in self._models

    def state_of(self, model_id: str) -> dict[str, Any]:
        with self._cond:
            if model_id not in self._models:
                raise ProtocolError(f"model {model_id} is not on the page (closed?)")
            return dict(self._models[model_id])

    def models(self, **match: Any) -> list[Model]:
        """Every model on the page now, or those whose state matches: ``description="Join"``,
        ``dom_class="x"`` (one of its classes), ``model_name="ButtonModel"``, ``value=3``;
        a value may be a function of the trait's value (``description=lambda d: "Save" in
        d``)."""
        with self._cond:
            return [Model(self, i) for i, s in self._models.items() if _matches(s, match)]

    def find(self, **match: Any) -> Model:
        """The one model matching (see ``models``); fails if there is none or several."""
        found = self.models(**match)
        if len(found) != 1:
            raise ProtocolError(f"{len(found)} models match {match}: {found[:6]}")
        return found[0]

    def find_all(self, **match: Any) -> list[Model]:
        return self.models(**match)

    def texts(self) -> list[str]:
        """Every piece of text the page holds: values of HTML and Label models, descriptions,
        placeholders, tooltips (what a person could read, shown or hidden)."""
        out = []
        with self._cond:
            for s in self._models.values():
                for key in ("value", "description", "placeholder", "tooltip"):
                    v = s.get(key)
                    if isinstance(v, str) and v:
                        out.append(v)
        return out

    def _shown_words(self, limit: int = 600) -> str:
        """The page's text without tags, cut to ``limit`` characters: what a failed wait
        saw (a page showing something else than expected says which page it was)."""
        words = " ".join(" ".join(re.sub(r"<[^>]+>", " ", t).split())
                         for t in self.texts())  # _cond is reentrant
        return repr(words[:limit] + ("..." if len(words) > limit else ""))

    def shows(self, text: str) -> bool:
        """True if any model's text contains ``text`` (HTML tags and entities left as they
        are in the model: look for plain words)."""
        return any(text in t for t in self.texts())

    def wait_for(self, predicate: Callable[[PageClient], Any], what: str = "",
                 timeout: float | None = None) -> Any:
        """Wait until ``predicate(page)`` is true (re-checked whenever a message arrives);
        returns its value. Fails after ``timeout`` seconds (a bound, not a measure)."""
        result: list[Any] = []

        def check():
            try:
                v = predicate(self)
            except ProtocolError:
                return False
            if v:
                result.append(v)
            return bool(v)

        self._wait(check, what or getattr(predicate, "__name__", "a condition"), timeout)
        return result[0]

    def wait_for_text(self, text: str, timeout: float | None = None) -> None:
        self.wait_for(lambda p: p.shows(text), f"the page to show {text!r}", timeout)

    def _wait(self, check: Callable[[], bool], what: str, timeout: float | None = None):
        end = time.monotonic() + (timeout or self.timeout)
        with self._cond:
            while not check():
                if self._reader_done:
                    raise ProtocolError(f"the websocket closed while waiting for {what}")
                left = end - time.monotonic()
                if left <= 0:
                    raise ProtocolError(f"gave up waiting for {what} after "
                                        f"{timeout or self.timeout:.0f} s; the page shows: "
                                        f"{self._shown_words()}; last messages: "
                                        f"{self.received[-12:]}; output: "
                                        f"{[str(o)[:300] for o in self.outputs[-3:]]}")
                self._cond.wait(min(left, 1.0))
