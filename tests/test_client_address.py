"""The page's client address reaches its kernel from the server, never from the client
(widgets/server/client_address.py; issue 15, item 6).

The server writes the address it saw into the request's ``X-Conductor-Client`` header, over
whatever the client sent, before Voila's page handler reads the request; Voila passes that
header into the kernel's environment (``http_header_envs``), for a new kernel and a
preheated one alike.
"""

from __future__ import annotations

from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine
from voila.configuration import VoilaConfiguration
from voila.tornado.handler import TornadoVoilaHandler

from widgets.server.client_address import (
    CLIENT_HEADER,
    KERNEL_ENV,
    network,
    page_address,
    pass_to_kernels,
    stamp,
    stamping_handler,
)
from widgets.server.kernels import page_handler


def _request(peer: str, **headers: str) -> HTTPServerRequest:
    h = HTTPHeaders({"Host": "conductor.example"})
    for name, value in headers.items():
        h.add(name.replace("_", "-"), value)
    request = HTTPServerRequest(
        start_line=RequestStartLine("GET", "/voila/render/00_start.ipynb", "HTTP/1.1"),
        headers=h)
    request.remote_ip = peer
    return request


def test_the_server_overwrites_a_forged_client_header():
    request = _request("10.0.0.11", X_Conductor_Client="198.51.100.99")
    request.headers.add("x-conductor-client", "192.0.2.1")  # twice, any case
    stamp(request, trust_forwarded_for=False)
    assert request.headers.get_list(CLIENT_HEADER) == ["10.0.0.11"]


def test_forwarded_for_counts_only_when_trusted_and_only_its_last_entry():
    forged = _request("10.0.0.1", X_Forwarded_For="192.0.2.9, 203.0.113.7")
    stamp(forged, trust_forwarded_for=False)
    assert forged.headers[CLIENT_HEADER] == "10.0.0.1"
    proxied = _request("10.0.0.1", X_Forwarded_For="192.0.2.9, 203.0.113.7")
    stamp(proxied, trust_forwarded_for=True)
    assert proxied.headers[CLIENT_HEADER] == "203.0.113.7"


def test_an_unknown_peer_still_gets_a_value_the_client_did_not_write():
    request = _request("", X_Conductor_Client="198.51.100.99")
    request.remote_ip = None
    stamp(request, trust_forwarded_for=False)
    assert request.headers[CLIENT_HEADER] == "unknown"


def test_voila_is_told_to_pass_the_header_and_only_once():
    config = VoilaConfiguration()
    config.http_header_envs = ["X-Remote-User"]
    pass_to_kernels(config)
    pass_to_kernels(config)
    assert config.http_header_envs == ["X-Remote-User", CLIENT_HEADER]
    # Voila names the variable as RFC 3875 does; the kernel reads that name.
    assert "HTTP_" + CLIENT_HEADER.upper().replace("-", "_") == KERNEL_ENV


def test_the_stamping_handler_is_voilas_page_handler():
    handler = stamping_handler(page_handler(TornadoVoilaHandler))
    assert issubclass(handler, TornadoVoilaHandler) and "prepare" in handler.__dict__


def test_voila_still_passes_chosen_headers_into_the_kernel():
    """The Voila parts this relies on (pinned below 0.6): the setting, and the page
    handler building the kernel's request info from the request's headers with it."""
    import inspect

    from voila.handler import VoilaHandler

    assert "http_header_envs" in VoilaConfiguration.class_trait_names()
    source = inspect.getsource(VoilaHandler.get_generator)
    assert "http_header_envs" in source and "self.request.headers" in source
    assert "RequestInfoSocketHandler.send_updates" in source  # preheated kernels get it too


def test_the_kernel_reads_the_address_voila_gave_it(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv(KERNEL_ENV, "10.0.0.11")
    assert page_address() == "10.0.0.11"
    monkeypatch.setenv(KERNEL_ENV, "")
    assert page_address() is None
    monkeypatch.delenv(KERNEL_ENV)
    assert page_address() is None


def test_networks():
    assert network("203.0.113.7") == "203.0.113.7"
    assert network("::ffff:203.0.113.7") == "203.0.113.7"
    assert network("2001:db8:1:2::a") == network("2001:DB8:1:2:ffff::1") == "2001:db8:1:2::/64"
    assert network(" Unknown ") == "unknown"  # not an address: kept as written, one bucket
