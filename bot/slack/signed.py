"""Slack's signature checked on the raw body before bolt parses anything, and replays refused."""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_sdk.signature import SignatureVerifier

from bot.server import WSGIApp

log = logging.getLogger("finnews.slack")
MAX_BODY = 256 * 1024  # bytes; Slack's events, commands and clicks are a few kilobytes
WINDOW = 5 * 60  # seconds a signed request stays valid (Slack's own rule)


class Replays:
    """Signatures already answered, kept for as long as they could be sent again."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def first(self, signature: str, timestamp: int) -> bool:
        """True the first time this signed request is seen, False for a replay."""
        now = self._clock()
        with self._lock:
            if len(self._seen) > 1000:  # forget what has aged out of the window
                self._seen = {s: t for s, t in self._seen.items() if t > now - 2 * WINDOW}
            if signature in self._seen:
                return False
            self._seen[signature] = timestamp
            return True


def signed_only(
    app: WSGIApp, secret: str, replays: Replays | None = None, max_body: int = MAX_BODY
) -> WSGIApp:
    """The app behind Slack's request check: 413 over max_body, 400 malformed, 401 unsigned or
    stale; a replay of an answered request is acknowledged and dropped."""
    verifier = SignatureVerifier(secret)
    replays = replays or Replays()

    def checked(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def refuse(status: str, text: str) -> list[bytes]:
            start_response(status, [("Content-Type", "text/plain")])
            return [text.encode()]

        if environ.get("REQUEST_METHOD") != "POST":
            return refuse("405 Method Not Allowed", "POST only")
        length = str(environ.get("CONTENT_LENGTH") or "")
        if not length.isdigit():
            return refuse("400 Bad Request", "no Content-Length")
        if int(length) > max_body:
            return refuse("413 Payload Too Large", "request body too large")
        body = environ["wsgi.input"].read(int(length))
        stamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if len(body) != int(length) or (stamp and not stamp.isdigit()):
            return refuse("400 Bad Request", "malformed request")
        if not verifier.is_valid(body, stamp or None, signature or None):
            return refuse("401 Unauthorized", "invalid signature")
        if not replays.first(signature, int(stamp)):
            log.info("Slack request replayed within its window: acknowledged, not answered")
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b""]
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return app(environ, start_response)

    return checked
