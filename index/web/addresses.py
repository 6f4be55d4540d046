"""Which network addresses a fetch may reach: public ones, unless private hosts are allowed."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolve = Callable[[str, int], list[str]]

# Ranges `is_global` lets through or that wrap another address: carrier-grade NAT, NAT64
# (64:ff9b::/96 reaches any IPv4 through a local gateway, 64:ff9b:1::/48 too), Teredo and 6to4.
_REFUSED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "100.64.0.0/10",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "2001::/32",
        "192.0.0.0/24",
    )
)


def resolve(host: str, port: int) -> list[str]:
    """Every address a host name resolves to (one lookup); an IP literal is itself."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def refusal(address: str) -> str | None:
    """Why an address must not be fetched from a chat user's link, or None when it is public."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    inner = _embedded(ip)
    if inner is not None:
        return refusal(str(inner))
    if any(ip in net for net in _REFUSED if net.version == ip.version):
        return "a private or local address"
    if not ip.is_global or ip.is_multicast:
        return "a private or local address"
    return None


def _embedded(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4), which is what it reaches."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    return ip.ipv4_mapped or ip.sixtofour
