"""Who is on the other end of a request, and whether it reached us over https.

The connection's peer is the client, unless that peer is one of TRUSTED_PROXIES: then
X-Forwarded-For is read from the right (each trusted proxy appends the address it got the
request from) to the first address that is not a trusted proxy. Anything further left was
written by the client itself and proves nothing. One function for the login form, the
API's token endpoint and its rate limit, so all of them count the same client.
"""

from __future__ import annotations

import functools
import ipaddress

from callplatform.config import get_settings

UNKNOWN = "unknown"


@functools.lru_cache(maxsize=8)
def _networks(setting: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False)
        for part in setting.split(",")
        if part.strip()
    )


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(peer: str | None) -> bool:
    networks = _networks(get_settings().trusted_proxies)
    address = _ip(peer or "") if networks else None
    return address is not None and any(address in network for network in networks)


def client_address(peer: str | None, forwarded_for: str | None = None) -> str:
    """The client's address: `peer` itself, or what trusted proxies say they forwarded."""
    client = peer or UNKNOWN
    if not forwarded_for or not is_trusted_proxy(peer):
        return client
    for hop in reversed(forwarded_for.split(",")):
        if _ip(hop) is None:
            break  # garbage from the client's side of the chain: keep the last real hop
        client = hop.strip()
        if not is_trusted_proxy(client):
            break
    return client


def forwarded_https(peer: str | None, forwarded_proto: str | None) -> bool:
    """Whether a trusted proxy says the client spoke https to it."""
    if not forwarded_proto:
        return False
    first = forwarded_proto.split(",")[0].strip().lower()
    return first == "https" and is_trusted_proxy(peer)


def served_over_https(scheme: str, peer: str | None, forwarded_proto: str | None) -> bool:
    """https end to end as the browser sees it: the public address is https, the
    connection itself is TLS, or a trusted proxy terminated TLS for us."""
    return (
        scheme == "https"
        or get_settings().public_base_url.startswith("https://")
        or forwarded_https(peer, forwarded_proto)
    )


def of_request(request) -> str:
    """`client_address` for a Starlette/FastAPI request."""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"))


def request_is_https(request) -> bool:
    peer = request.client.host if request.client else None
    return served_over_https(request.url.scheme, peer, request.headers.get("x-forwarded-proto"))
