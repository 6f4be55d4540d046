"""Polite HTTP fetching: timeouts, a size cap while streaming, redirects, conditional GET."""

from __future__ import annotations

import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from index.web.addresses import Resolve, resolve
from index.web.pinned import Unreachable, pinned_transport

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
    "application/feed+json",
    "text/html",
    "text/plain",
)
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A URL could not be fetched; the message says why, in words a user can act on."""

    def __init__(self, reason: str, transient: bool = False) -> None:
        super().__init__(reason)
        self.transient = transient  # worth trying again later (timeouts, 5xx, connections)


@dataclass(frozen=True)
class Fetched:
    """One HTTP answer: the final URL, the body (empty when not modified) and cache validators."""

    url: str
    status: int
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    charset: str | None = None

    @property
    def not_modified(self) -> bool:
        """The server said the copy we hold is current (304)."""
        return self.status == 304


class Politeness:
    """At least `interval` seconds between the starts of two requests to one host."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        """Block until this host may be asked again, and book the slot."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.interval
        if start > now:
            time.sleep(start - now)  # rate limiting, the point of this class


class Fetcher:
    """GETs with a User-Agent, timeouts, a byte limit and a redirect limit; one per process."""

    def __init__(
        self,
        agent: str,
        timeout: float,
        max_bytes: int,
        politeness: float = 0.0,
        allow_private: bool = True,
        resolver: Resolve = resolve,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.polite = Politeness(politeness)
        # Every hop of a redirect connects through the pinned transport, so each is checked.
        self._client = httpx.Client(
            headers={"User-Agent": agent},
            timeout=timeout,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            transport=pinned_transport(allow_private, resolver),
        )

    def get(
        self,
        url: str,
        accept: Collection[str] = (),
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """The answer to a GET; raises FetchError on errors, bad status, type or size."""
        host = urlsplit(url).hostname
        if urlsplit(url).scheme not in ("http", "https") or not host:
            raise FetchError(f"not a web address: {url!r}")
        headers = {"Accept": ", ".join(accept) if accept else "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self.polite.wait(host)
        try:
            return self._get(url, headers, accept)
        except Unreachable as exc:
            raise FetchError(str(exc), exc.transient) from None
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects (a redirect loop?)") from None
        except httpx.TimeoutException:
            raise FetchError(f"no complete answer within {self.timeout:g} s", True) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"could not connect ({type(exc).__name__})", True) from None

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def _get(self, url: str, headers: dict[str, str], accept: Collection[str]) -> Fetched:
        deadline = time.monotonic() + self.timeout
        with self._client.stream("GET", url, headers=headers) as response:
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if response.status_code == 304:
                return self._fetched(response, kind, b"")
            if response.status_code >= 400:
                raise FetchError(
                    f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                    response.status_code >= 500 or response.status_code == 429,
                )
            if response.status_code != 200:
                raise FetchError(f"unexpected HTTP status {response.status_code}")
            if accept and kind and kind not in accept:
                raise FetchError(f"content type {kind} is not one finnews reads here")
            return self._fetched(response, kind, self._read(response, deadline))

    def _read(self, response: httpx.Response, deadline: float) -> bytes:
        """The body, refused as soon as it passes the limit or the deadline."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(
                f"page is {int(declared):,} bytes, over the {self.max_bytes:,}-byte limit"
            )
        data = bytearray()
        for piece in response.iter_bytes():
            data += piece
            if len(data) > self.max_bytes:
                raise FetchError(f"page is over the {self.max_bytes:,}-byte limit")
            if time.monotonic() > deadline:  # a server trickling bytes beats the read timeout
                raise FetchError(f"no complete answer within {self.timeout:g} s", True)
        return bytes(data)

    @staticmethod
    def _fetched(response: httpx.Response, kind: str, body: bytes) -> Fetched:
        return Fetched(
            str(response.url),
            response.status_code,
            kind,
            body,
            response.headers.get("etag"),
            response.headers.get("last-modified"),
            response.charset_encoding,
        )
