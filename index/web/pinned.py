"""An httpx transport that connects only to the address it checked (no DNS rebinding)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from index.web.addresses import Resolve, refusal, resolve


class Unreachable(Exception):
    """A host that may not or cannot be reached; the message says why."""

    def __init__(self, reason: str, transient: bool = False) -> None:
        super().__init__(reason)
        self.transient = transient


class PinnedBackend(httpcore.SyncBackend):
    """Resolves a host once, checks every address, then connects to one of those addresses.

    Checking in a request hook and letting the socket resolve again left a window: a name
    that is public on the first lookup and 127.0.0.1 on the second reached the local network.
    TLS still verifies the host name, because httpcore passes the URL's host as SNI.
    """

    def __init__(self, allow_private: bool, resolver: Resolve = resolve) -> None:
        self.allow_private = allow_private
        self.resolver = resolver

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """A connection to a checked address of host; Unreachable when none may be reached."""
        try:
            addresses = self.resolver(host, port)
        except (OSError, UnicodeError):
            addresses = []
        if not addresses:
            raise Unreachable(f"{host} could not be resolved", transient=True)
        if not self.allow_private:
            for address in addresses:  # one bad address refuses the name: the OS may pick it
                if reason := refusal(address):
                    raise Unreachable(f"{host} is {reason}")
        error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error


def pinned_transport(allow_private: bool, resolver: Resolve = resolve) -> httpx.HTTPTransport:
    """An HTTPTransport (no proxies from the environment) whose sockets go through the pin."""
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx has no public way to pass a network backend; its pool is the documented httpcore one.
    pool: httpcore.ConnectionPool = transport._pool  # type: ignore[assignment]
    pool._network_backend = PinnedBackend(allow_private, resolver)
    return transport
