"""The address a request really came from, for per-IP limits and the health details.

``X-Forwarded-For`` is anyone's to write. It is believed only when the peer that sent
the request (``REMOTE_ADDR``) is one of ``JUMELAGE_TRUSTED_PROXIES``; then the client is
the right-most hop that is not itself a trusted proxy, since a proxy appends the
address it saw and everything to the left of that came from the client.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# Rate limits group IPv6 clients by their /64: one host usually holds the whole prefix.
IPV6_PREFIX = 64


@lru_cache(maxsize=8)
def _networks(raw: tuple[str, ...]) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in raw)


def trusted_proxies() -> tuple[_Network, ...]:
    return _networks(tuple(settings.JUMELAGE_TRUSTED_PROXIES))


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[::1]:1234"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "192.0.2.1:1234"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str:
    """The client's address as text ("" when the server gave none)."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return ""
    networks = trusted_proxies()
    if not _is_trusted(peer, networks):
        return str(peer)
    hops = [hop for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # A trusted proxy wrote something unreadable: stop at the last good hop.
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


def client_ip_bucket(request) -> str:
    """The client address as per-IP limits count it (IPv6 by /64)."""
    ip = client_ip(request)
    address = _address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False))
    return ip


def is_direct_loopback(request) -> bool:
    """True for a request from this machine that no proxy relayed (no forwarding headers)."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    relayed = any(
        name in request.headers for name in ("X-Forwarded-For", "Forwarded", "X-Real-IP")
    )
    return peer is not None and peer.is_loopback and not relayed
