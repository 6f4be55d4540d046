"""Discord's HTTP interactions as a WSGI app: every request's Ed25519 signature checked with the
application's public key, PING answered, the rest handed to `Interactions`.

discord.py is no web server, so this is ours; PyNaCl does the signature check.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from bot.discord.interactions import Interactions, Work, from_payload
from bot.server import WSGIApp

log = logging.getLogger("finnews.discord")
MAX_BODY = 1_000_000  # bytes; an interaction is a few kilobytes
MAX_AGE = 300  # seconds a signed timestamp stays good (against replays)


def verify_key(public_key: str) -> VerifyKey:
    """The application's public key (64 hex digits, Developer Portal); ValueError if not."""
    raw = bytes.fromhex(public_key.strip())
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return VerifyKey(raw)


def signed(
    key: VerifyKey, environ: dict[str, Any], body: bytes, now: Callable[[], float] = time.time
) -> bool:
    """Whether Discord signed this body (timestamp + body, Ed25519), lately."""
    stamp = environ.get("HTTP_X_SIGNATURE_TIMESTAMP", "")
    try:
        signature = bytes.fromhex(environ.get("HTTP_X_SIGNATURE_ED25519", ""))
        key.verify(stamp.encode() + body, signature)
        return abs(now() - int(stamp)) <= MAX_AGE
    except (ValueError, BadSignatureError):
        return False


class _Then:
    """A response body that runs the work once the server has sent it (WSGI calls close() after
    the last byte), so follow-ups never race Discord's reading of the first response."""

    def __init__(self, body: bytes, then: Callable[[], None]) -> None:
        self.body, self.then = body, then

    def __iter__(self) -> Iterator[bytes]:
        yield self.body

    def close(self) -> None:
        self.then()


def interactions_wsgi(
    key: VerifyKey, interactions: Interactions, submit: Callable[[Work], object]
) -> WSGIApp:
    """The WSGI app of the interactions endpoint; `submit` runs work on the adapter's workers."""

    def reply(start_response: Callable[..., Any], status: str, data: Any) -> list[bytes]:
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(data).encode()]

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return reply(start_response, "405 Method Not Allowed", {"error": "POST only"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            return reply(start_response, "400 Bad Request", {"error": "bad length"})
        body = environ["wsgi.input"].read(length)
        if not signed(key, environ, body):
            return reply(start_response, "401 Unauthorized", {"error": "invalid request signature"})
        try:
            first, work = interactions.receive(from_payload(json.loads(body)))
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("an interaction Discord signed could not be read")
            return reply(start_response, "400 Bad Request", {"error": "unreadable interaction"})
        start_response("200 OK", [("Content-Type", "application/json")])
        then = (lambda: submit(work)) if work else (lambda: None)
        return _Then(json.dumps(first).encode(), then)

    return application
