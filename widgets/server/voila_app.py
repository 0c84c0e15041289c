"""The Voila server Conductor runs: Voila itself, plus HTTPS.

Why this exists: in a room, the facilitator key, personal links and private votes cross the
Wi-Fi, and anyone on it can read plain HTTP. Jupyter Server can serve HTTPS, but Voila's own
server (0.5) has no certificate setting: it calls tornado's ``listen`` with none. This
subclass adds ``certfile`` and ``keyfile`` and passes them to that one call, so
``conductor serve --certfile F --keyfile K`` serves https and wss and changes nothing else.

Run as ``python -m widgets.server.voila_app`` with Voila's own options.
"""

from __future__ import annotations

import os
import ssl

from traitlets import Int, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from .. import compat
from ..html.style import ENV_TEMPLATE_STYLE
from .client_address import pass_to_kernels, stamping_handler
from .join_address import join_handlers
from .kernels import page_handler


class ConductorVoila(Voila):
    certfile = Unicode("", config=True,
                       help="PEM certificate (chain) to serve HTTPS with; empty: plain HTTP")
    keyfile = Unicode("", config=True,
                      help="PEM private key of the certificate (empty: it is in certfile)")
    chart_service_port = Int(0, config=True,
                             help="keep the kit's chart service running on this port "
                                  "(widgets.charts.service; 0: none, kernels draw themselves)")

    def tls_context(self) -> ssl.SSLContext | None:
        """The server's TLS settings, or None to serve plain HTTP."""
        if not self.certfile:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.certfile, self.keyfile or None)
        return context

    def start(self):

        compat.report(self.log)  # once: each private part not used, and what is done instead
        if self.certfile and not compat.fits("https-listen"):
            self.log.error("Cannot serve HTTPS with this version of Voila (see above). Install "
                           "the versions in requirements.lock, or serve plain HTTP behind an "
                           "HTTPS proxy.")
            self.exit(1)
        if self.certfile:
            # A preheated kernel asks for its request at Voila's voila/query websocket on
            # this server, over VOILA_WS_PROTOCOL (default ws), which a server with a
            # certificate refuses: every preheated page stayed on "Loading". Kernels get
            # this process's environment, read when the pool starts (in super().start()).
            os.environ["VOILA_WS_PROTOCOL"] = "wss"
        # The kit's template links the stylesheet: its kernels' pages need not carry it
        # (kernels get this process's environment, pool kernels included).
        os.environ[ENV_TEMPLATE_STYLE] = "1"
        if self.chart_service_port:
            # here, not at the top: 13 ms to import (benchmarks/import_cost.py)
            from ..charts.service import ServiceKeeper

            # Started here, not by `conductor serve`: this process outlives the service
            # and so can start it again whenever it exits.
            self.chart_service = ServiceKeeper(self.chart_service_port, log=self.log).start()
        super().start()

    def listen(self):
        context = self.tls_context()
        if context is not None:
            plain = self.app.listen

            def listen_tls(port, address=None, **kwargs):
                return plain(port, address, ssl_options=context, **kwargs)

            self.app.listen = listen_tls
        super().listen()

    def _url(self, ip):
        url = super()._url(ip)  # Voila's log line says http whatever it serves
        return "https" + url[len("http"):] if self.certfile else url

    def init_handlers(self):
        """The short join address (widgets.server.join_address: /join, /join/CODE), then
        Voila's page handler, recording each request's address and page for the kernel cap
        (widgets.server.kernels: per-address limit, kept-back slots, unconnected pages), and
        telling the page's kernel that address (widgets.server.client_address: join
        limits)."""


        if not compat.fits("page-handler"):  # the server's log says why, as it starts
            return [*join_handlers(self.server_url), *super().init_handlers()]

        pass_to_kernels(self.voila_configuration)
        ours = stamping_handler(page_handler(TornadoVoilaHandler))
        handlers = [*join_handlers(self.server_url),  # /join and /join/CODE
                    *((h[0], ours, *h[2:]) if len(h) > 1 and h[1] is TornadoVoilaHandler else h
                      for h in super().init_handlers())]
        if not any(len(h) > 1 and h[1] is ours for h in handlers):  # Voila changed shape
            self.log.warning("Page handler not found: the per-address page limit, the "
                             "console's kept-back slots and the release of unconnected "
                             "pages are off.")
        return handlers


main = ConductorVoila.launch_instance

if __name__ == "__main__":
    main()
