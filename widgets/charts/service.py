"""One chart-drawing process for the whole server.

Why: drawing a Vega-Lite chart to SVG runs the Vega JavaScript inside vl-convert's V8
engine, which costs a kernel about 60 MB the first time it draws, and building the spec
with altair (``widgets/charts/specs.py``) costs some 46 MB more. With forty participants
that is gigabytes for the same libraries forty times, and it pushes each participant's
kernel past its 150 MB budget. ``conductor serve`` therefore starts this small service
beside Voila: kernels send it a chart's description (``charts.draw.Chart``: its kind, data
rows and sentence) over localhost and get the SVG back, so altair and the engine are
loaded once, in the drawing process. Without the service (a leader alone in JupyterLab,
the tests) a kernel builds and draws for itself.

Why two processes: the renderer can abort the process it runs in (SIGABRT, which no
``try`` catches; a control character in a chart's text once did). So the service that
kernels talk to never draws: it hands each spec to a drawing process it started, and
starts a new one whenever that process exits, however it exited. A chart that was being
drawn as it died gets an error reply (the kernel shows a short message in its place);
every chart after it is drawn again. A drawing that takes longer than
``DRAW_SECONDS`` is stopped the same way, so one chart cannot hold up the room's.

    python -m widgets.charts.service --port 8870 --parent PID

The server (``widgets.server.voila_app``, given ``--ConductorVoila.chart_service_port``) starts
this service through :class:`ServiceKeeper`, which starts it again if it ever exits.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import select
import struct
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .draw import ENV_SERVICE as ENV_SERVICE  # where kernels are told it listens
from .draw import Chart, _draw

MAX_SPEC_BYTES = 5 * 1024 * 1024
ASK = "POST a chart's description or a Vega-Lite spec (JSON, up to 5 MB) to /svg"
DRAW_SECONDS = 20  # kernels wait 30 s for a reply
# Loading the engine and altair with its schema before the first chart: a few seconds, far
# more on a busy machine, and not a drawing that hangs, so not held to DRAW_SECONDS.
START_SECONDS = 180
_HEADER = struct.Struct("!?I")  # ok, length of what follows
_ROOT = Path(__file__).resolve().parents[2]  # where the widgets package is imported from


class DrawFailed(Exception):
    """The drawing process could not draw this spec (or died drawing it)."""


class Drawer:
    """The drawing process, kept running: started at once, started again when it exits.

    One chart at a time (one V8 engine), so a lock guards the pipe. A watcher thread waits
    on the process and starts the next one the moment it ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self.restarts = 0
        self._stopping = False
        self._start()
        threading.Thread(target=self._watch, daemon=True).start()

    def _start(self) -> None:
        proc = subprocess.Popen([sys.executable, "-m", "widgets.charts.service", "--worker"],
                                cwd=_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._proc = proc
        self._ready = False  # until the process says it has loaded what it draws with
        threading.Thread(target=self._until_ready, args=(proc,), daemon=True).start()

    def _until_ready(self, proc: subprocess.Popen) -> None:
        """Wait (holding the pipe) for a new drawing process to say it is ready."""
        with self._lock:
            if self._proc is not proc or self._ready:
                return
            try:
                _read(proc.stdout, _HEADER.size, START_SECONDS)
                self._ready = True
            except (OSError, EOFError, TimeoutError):
                proc.kill()  # the watcher starts the next one

    @property
    def ready(self) -> bool:
        return self._ready and self.pid is not None

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def _watch(self) -> None:
        while not self._stopping:
            proc = self._proc
            proc.wait()
            if self._stopping:
                return
            with self._lock:
                print(f"Conductor: the chart drawing process stopped (exit code "
                      f"{proc.returncode}); starting it again.", file=sys.stderr, flush=True)
                self.restarts += 1
                self._start()

    def draw(self, body: bytes) -> bytes:
        with self._lock:
            proc = self._proc
            try:
                if not self._ready:
                    _read(proc.stdout, _HEADER.size, START_SECONDS)
                    self._ready = True
                proc.stdin.write(struct.pack("!I", len(body)) + body)
                proc.stdin.flush()
                ok, size = _HEADER.unpack(_read(proc.stdout, _HEADER.size, DRAW_SECONDS))
                reply = _read(proc.stdout, size, DRAW_SECONDS)
            except (OSError, EOFError, TimeoutError) as err:
                proc.kill()  # the watcher starts the next one
                raise DrawFailed(f"the drawing process stopped ({type(err).__name__})") \
                    from None
        if not ok:
            raise DrawFailed(reply.decode("utf-8", "replace"))
        return reply

    def stop(self) -> None:
        self._stopping = True
        with contextlib.suppress(OSError):
            self._proc.kill()


def _read(stream, size: int, seconds: float) -> bytes:
    """Exactly ``size`` bytes from the drawing process, within ``seconds``."""
    deadline = time.monotonic() + seconds
    out = bytearray()
    fd = stream.fileno()
    while len(out) < size:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError
        chunk = os.read(fd, size - len(out))
        if not chunk:
            raise EOFError
        out += chunk
    return bytes(out)


def worker() -> int:
    """The drawing process: length-prefixed charts on stdin, SVG (or why not) on stdout.
    A described chart's spec is built here, with altair."""

    stdin, stdout = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything else written to stdout (the engine's own notes) goes to the log
    sys.stdout = sys.stderr
    # Load the engine, and altair with its Vega-Lite schema (a second or two), now rather
    # than on a room's first chart.
    _draw(Chart("readiness.profile", {"sentence": "", "values": [
        {"label": "a", "lowest": 1, "highest": 2, "q1": 1, "q3": 2, "median": 1}]}).payload())
    stdout.write(_HEADER.pack(True, 0))  # ready: the service times each drawing from here
    stdout.flush()
    while True:
        head = stdin.read(4)
        if len(head) < 4:
            return 0  # the service went away
        (size,) = struct.unpack("!I", head)
        try:
            reply, ok = _draw(json.loads(stdin.read(size))).encode("utf-8"), True
        except Exception as err:  # a spec the engine refuses: say so, keep going
            reply, ok = f"Could not draw the chart: {type(err).__name__}".encode(), False
        stdout.write(_HEADER.pack(ok, len(reply)) + reply)
        stdout.flush()


class _Handler(BaseHTTPRequestHandler):
    drawer: Drawer

    def do_GET(self):
        if self.path != "/status":
            self.send_error(404)
            return
        self._reply(200, "application/json", json.dumps(
            {"drawing_process": self.drawer.pid, "ready": self.drawer.ready,
             "restarts": self.drawer.restarts}).encode())

    def do_POST(self):
        size = int(self.headers.get("Content-Length") or 0)
        if self.path != "/svg" or not 0 < size <= MAX_SPEC_BYTES:
            self.send_error(400, ASK)
            return
        body = self.rfile.read(size)
        try:
            json.loads(body)
        except ValueError:
            self.send_error(400, ASK)
            return
        try:
            svg = self.drawer.draw(body)
        except DrawFailed as err:
            self.send_error(422 if "Could not draw" in str(err) else 503, str(err)[:200])
            return
        self._reply(200, "image/svg+xml; charset=utf-8", svg)

    def _reply(self, code: int, kind: str, data: bytes) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the kernel that asked went away (its page closed): nothing to answer

    def log_message(self, *_args):  # quiet: the server's log is for people
        pass


class ServiceKeeper:
    """The server's side: start this service on ``port`` and start it again whenever it
    exits, however it exited.

    Why: the service never draws, so a chart cannot stop it, but the process can still be
    killed (a machine short of memory picks the biggest; a task manager). Kernels were then
    left drawing for themselves for the rest of the workshop, each loading the engine. The
    port stays the same, so kernels, which were told it at start, never notice. A service
    that keeps dying at once (its port taken by another program) is tried again less and
    less often, up to once a minute, and each exit is one line in the server's log."""

    def __init__(self, port: int, log=None, pause: float = 1.0) -> None:
        self.port = port
        self.log = log
        self.pause = pause
        self.restarts = 0
        self._proc: subprocess.Popen | None = None
        self._stopping = threading.Event()

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def start(self) -> ServiceKeeper:
        self._spawn()
        threading.Thread(target=self._keep, name="chart-service-keeper", daemon=True).start()
        return self

    def _spawn(self) -> None:
        self._proc = subprocess.Popen([sys.executable, "-m", "widgets.charts.service",
                                       "--port", str(self.port), "--parent", str(os.getpid())],
                                      cwd=_ROOT)

    def _keep(self) -> None:
        wait = self.pause
        while not self._stopping.is_set():
            started = time.monotonic()
            code = self._proc.wait()
            if self._stopping.is_set():
                return
            # Quick deaths back off (port taken?); a service that ran a while comes back soon.
            wait = min(wait * 2, 60.0) if time.monotonic() - started < 10 else self.pause
            if self.log is not None:
                self.log.warning("The chart service stopped (exit code %s); starting it "
                                 "again in %.0f s.", code, wait)
            if self._stopping.wait(wait):
                return
            try:
                self._spawn()
            except OSError as err:  # cannot fork now (out of memory?): the dead process
                if self.log is not None:  # stays, so the next wait returns at once
                    self.log.warning("The chart service could not be started again (%s).",
                                     err)
                continue
            self.restarts += 1

    def stop(self) -> None:
        self._stopping.set()
        proc = self._proc
        if proc is not None:
            with contextlib.suppress(OSError):
                proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)


def _watch_parent(parent: int, server: ThreadingHTTPServer) -> None:
    """Stop when the server that started us stops (however it was stopped)."""
    while True:
        time.sleep(2)
        try:
            os.kill(parent, 0)
        except OSError:
            server.shutdown()
            return


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int)
    ap.add_argument("--parent", type=int, help="stop when this process ends")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker()
    if args.port is None:
        ap.error("--port is required")
    drawer = Drawer()
    handler = type("Handler", (_Handler,), {"drawer": drawer})
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    if args.parent:
        threading.Thread(target=_watch_parent, args=(args.parent, server), daemon=True).start()
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    drawer.stop()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
