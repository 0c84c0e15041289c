"""Which address a page was asked from, told to the page's kernel by the server.

Why: wrong join codes are counted per address across pages (``session.AddressTries``), and
each page is its own kernel, which never sees the HTTP request. Voila can pass chosen request
headers into the kernel's environment (its ``http_header_envs`` setting: header ``X-Y``
becomes ``HTTP_X_Y``), for a kernel it starts for the request and for a preheated one
(which gets the request's details when the request comes, see ``urls.query_params``). But
a client can send any header, so the server writes this one itself: the page handler
overwrites ``X-Conductor-Client`` with the address it saw (``kernels.client_address``:
the peer, or behind the kit's own proxy the last X-Forwarded-For entry) before Voila reads
the request. Whatever a client sends under that name is replaced.

Server side: :func:`pass_to_kernels` and :func:`stamping_handler` (``ConductorVoila``).
Kernel side: :func:`page_address`, and :func:`network`, the part of an address that is
counted.
"""

from __future__ import annotations

import ipaddress
import os

from ..urls import query_params

CLIENT_HEADER = "X-Conductor-Client"
KERNEL_ENV = "HTTP_X_CONDUCTOR_CLIENT"  # Voila's name for it in the kernel (RFC 3875)
UNKNOWN = "unknown"  # no peer address (a Unix socket): one shared count, never none


# -- server side (the Voila server process) ----------------------------------------------

def pass_to_kernels(voila_configuration) -> None:
    """Tell Voila to pass the header into each page's kernel (once, beside any others)."""
    wanted = [h.lower() for h in voila_configuration.http_header_envs]
    if CLIENT_HEADER.lower() not in wanted:
        voila_configuration.http_header_envs = [*voila_configuration.http_header_envs,
                                                CLIENT_HEADER]


def stamp(request, trust_forwarded_for: bool) -> None:
    """Write the address the server saw into the request's header, replacing every value a
    client sent under that name (any case: tornado's headers ignore case)."""
    # here, not at the top: 2.1 s to import (benchmarks/import_cost.py)
    from .kernels import client_address

    request.headers[CLIENT_HEADER] = client_address(request, trust_forwarded_for) or UNKNOWN


def stamping_handler(base: type) -> type:
    """Voila's page handler (``base``), stamping each request before Voila reads it."""

    class StampingHandler(base):
        def prepare(self, *args, **kwargs):
            trust = bool(getattr(self.kernel_manager, "trust_forwarded_for", False))
            stamp(self.request, trust)
            return super().prepare(*args, **kwargs)

    return StampingHandler


# -- kernel side (a page's kernel) --------------------------------------------------------

def page_address() -> str | None:
    """The address this page was asked from, as the server saw it; None outside Voila.

    A preheated kernel learns it with its request: ``query_params`` waits for that once."""

    query_params()
    return os.environ.get(KERNEL_ENV, "").strip() or None


def network(address: str) -> str:
    """What is counted for an address: an IPv4 address itself; for IPv6 its /64 network,
    since a device picks any address within its /64 at will (one device could otherwise
    count as billions). Anything else, lower-cased as it is."""
    text = address.strip().lower()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
