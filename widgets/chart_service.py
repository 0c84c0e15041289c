"""One chart-drawing process for the whole server.

Why: drawing a Vega-Lite chart to SVG runs the Vega JavaScript inside vl-convert's V8
engine, which costs a kernel about 60 MB the first time it draws. With forty participants
that is 2.4 GB for the same engine forty times, and it pushes each participant's kernel
past its 150 MB budget. ``conductor serve`` therefore starts this small service beside
Voila: kernels send it the chart spec over localhost and get the SVG back, so the engine
is loaded once. Without the service (a leader alone in JupyterLab, the tests) a kernel
draws for itself, as before.

    python -m widgets.chart_service --port 8870 --parent PID
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ENV_SERVICE = "CONDUCTOR_CHART_SERVICE"
MAX_SPEC_BYTES = 5 * 1024 * 1024
_DRAW_LOCK = threading.Lock()  # one V8 engine: draw one chart at a time


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        from .ui.charts import _draw

        size = int(self.headers.get("Content-Length") or 0)
        if self.path != "/svg" or not 0 < size <= MAX_SPEC_BYTES:
            self.send_error(400, "POST a Vega-Lite spec (JSON, up to 5 MB) to /svg")
            return
        try:
            spec = json.loads(self.rfile.read(size))
            with _DRAW_LOCK:
                svg = _draw(spec).encode("utf-8")
        except Exception as err:
            self.send_error(422, f"Could not draw the chart: {type(err).__name__}")
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(svg)))
            self.end_headers()
            self.wfile.write(svg)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the kernel that asked went away (its page closed): nothing to answer

    def log_message(self, *_args):  # quiet: the server's log is for people
        pass


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
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--parent", type=int, help="stop when this process ends")
    args = ap.parse_args(argv)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), _Handler)
    if args.parent:
        threading.Thread(target=_watch_parent, args=(args.parent, server), daemon=True).start()
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
