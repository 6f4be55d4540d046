"""A local stand-in for DNS: chosen names resolve to scripted answers, one per lookup.

It replaces socket.getaddrinfo (the resolver every socket connection uses), so whatever code
looks a name up, a check or the connection itself, gets the next scripted answer.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest


class Resolver:
    """Names answered from scripts: each lookup takes the next answer, the last one repeats."""

    def __init__(self) -> None:
        self.scripts: dict[str, list[str]] = {}
        self.lookups: list[str] = []
        self._real = socket.getaddrinfo

    def answer(self, name: str, *addresses: str) -> None:
        """Successive lookups of `name` give these addresses in turn ("" means no such host)."""
        self.scripts[name] = list(addresses)

    def getaddrinfo(self, host, port, *args, **kw):  # noqa: ANN001, ANN002, ANN003
        name = host.decode() if isinstance(host, bytes) else host
        script = self.scripts.get(name)
        if script is None:
            return self._real(host, port, *args, **kw)
        self.lookups.append(name)
        address = script.pop(0) if len(script) > 1 else script[0]
        if not address:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self._real(address, port, *args, **kw)


@pytest.fixture
def dns(monkeypatch) -> Iterator[Resolver]:
    """The scripted resolver, in place of the system's for this test."""
    resolver = Resolver()
    monkeypatch.setattr(socket, "getaddrinfo", resolver.getaddrinfo)
    yield resolver
