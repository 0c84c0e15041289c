"""A small HTTPS reverse proxy for the sub-path test, doing what an nginx or Apache in front
of Conductor does: terminate TLS, pass requests under a path prefix through unchanged
(keeping the Host header), and relay websockets both ways with their subprotocol.
"""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import threading
from pathlib import Path

from tornado import httpclient, web, websocket
from tornado.httpserver import HTTPServer

HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
       "trailers", "transfer-encoding", "upgrade", "content-length", "accept-encoding"}


def self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "proxy.crt", folder / "proxy.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def _handlers(backend: str, prefix: str):
    class Socket(websocket.WebSocketHandler):
        upstream = None

        async def prepare(self):
            if self.request.headers.get("Upgrade", "").lower() != "websocket":
                return
            headers = {k: v for k, v in self.request.headers.get_all()
                       if k.lower() in ("cookie", "host", "origin", "sec-websocket-protocol")}
            req = httpclient.HTTPRequest(f"ws://{backend}{self.request.uri}", headers=headers)
            protocols = [p.strip() for p in self.request.headers.get(
                "Sec-WebSocket-Protocol", "").split(",") if p.strip()]
            self.upstream = await websocket.websocket_connect(
                req, on_message_callback=self._from_upstream, subprotocols=protocols or None,
                max_message_size=64 * 1024 * 1024)

        def select_subprotocol(self, subprotocols):
            return self.upstream.selected_subprotocol if self.upstream else None

        def _from_upstream(self, message):
            if message is None:
                self.close()
            else:
                self.write_message(message, binary=isinstance(message, bytes))

        async def on_message(self, message):
            await self.upstream.write_message(message, binary=isinstance(message, bytes))

        def on_close(self):
            if self.upstream is not None:
                self.upstream.close()

        def check_origin(self, origin):
            return True  # the backend does its own check, on the Host we pass through

    class Http(web.RequestHandler):
        SUPPORTED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

        async def _forward(self):
            headers = {k: v for k, v in self.request.headers.get_all() if k.lower() not in HOP}
            headers["X-Forwarded-Proto"] = "https"
            body = self.request.body if self.request.method in ("POST", "PUT", "PATCH") \
                else None
            req = httpclient.HTTPRequest(f"http://{backend}{self.request.uri}",
                                         method=self.request.method, headers=headers,
                                         body=body, follow_redirects=False,
                                         allow_nonstandard_methods=True,
                                         request_timeout=120)
            resp = await httpclient.AsyncHTTPClient().fetch(req, raise_error=False)
            self.set_status(resp.code, resp.reason)
            self._headers.clear()
            for k, v in resp.headers.get_all():
                if k.lower() not in HOP:
                    self.add_header(k, v)
            if resp.body and self.request.method != "HEAD":
                self.write(resp.body)

        get = post = put = patch = delete = head = options = _forward

    return Socket, Http


class Proxy:
    """Run the proxy in its own thread; ``url`` is the public https address with the prefix."""

    def __init__(self, backend_port: int, port: int, prefix: str, cert: Path, key: Path):
        self.backend = f"127.0.0.1:{backend_port}"
        self.port = port
        self.prefix = prefix
        self.url = f"https://127.0.0.1:{port}{prefix}"
        self.ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ctx.load_cert_chain(str(cert), str(key))
        self.loop: asyncio.AbstractEventLoop | None = None
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        socket_handler, http_handler = _handlers(self.backend, self.prefix)
        routes = [(rf"{self.prefix}api/kernels/[^/]+/channels", socket_handler),
                  (rf"{self.prefix}.*", http_handler)]
        app = web.Application(routes)
        server = HTTPServer(app, ssl_options=self.ctx, max_body_size=64 * 1024 * 1024)
        server.listen(self.port, "127.0.0.1")
        self.ready.set()
        self.loop.run_forever()

    def start(self):
        self.thread.start()
        self.ready.wait(10)
        return self

    def stop(self):
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.loop.stop)
