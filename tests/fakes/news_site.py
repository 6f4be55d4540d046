"""A fake news site for tests: a real HTTP server on 127.0.0.1 serving scripted pages and feeds.

PYTEST_DONT_REWRITE: it is loaded as a plugin after the test modules imported it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    kind: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answer 304 to a matching If-None-Match
    last_modified: str | None = None  # answer 304 to the same If-Modified-Since
    delay: float = 0.0  # seconds the server takes before answering
    declare_length: bool = True


@dataclass(frozen=True)
class Hit:
    """One request the site received."""

    path: str
    headers: dict[str, str]
    status: int
    at: float


class NewsSite:
    """Serves the routes it is given; records every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._cond = threading.Condition()
        ThreadingHTTPServer.request_queue_size = 64
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def url(self, path: str) -> str:
        """The full URL of a path on this site."""
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def serve(self, path: str, body: str | bytes, **kw: Any) -> str:
        """Answer GET path with this body; returns its URL."""
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = Route(data, **kw)
        return self.url(path)

    def redirect(self, path: str, to: str) -> str:
        """Answer GET path with a 302 to another path; returns its URL."""
        self.routes[path] = Route(status=302, headers={"Location": to})
        return self.url(path)

    def of(self, path: str) -> list[Hit]:
        """Requests for a path so far (query strings ignored)."""
        with self._cond:
            return [h for h in self.hits if h.path.split("?")[0] == path]

    def wait(self, path: str, count: int = 1, timeout: float = 15.0) -> list[Hit]:
        """Block until `count` requests for the path arrived."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(found := [h for h in self.hits if h.path.split("?")[0] == path]) < count:
                if not self._cond.wait(deadline - time.monotonic()):
                    raise AssertionError(f"{len(found)}/{count} requests for {path}")
            return found

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    def _record(self, hit: Hit) -> None:
        with self._cond:
            self.hits.append(hit)
            self._cond.notify_all()


def _handler(site: NewsSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            route = site.routes.get(self.path.split("?")[0].split("#")[0])
            status = 404 if route is None else route.status
            if route and route.etag and self.headers.get("If-None-Match") == route.etag:
                status = 304
            stamp = route.last_modified if route else None
            if stamp and self.headers.get("If-Modified-Since") == stamp:
                status = 304
            site._record(Hit(self.path, dict(self.headers), status, time.monotonic()))
            if route and route.delay:
                time.sleep(route.delay)  # the slow server under test, not a synchronisation
            self.send_response(status)
            body = b"not found" if route is None else route.body
            headers = {} if route is None else dict(route.headers)
            if route and route.etag:
                headers["ETag"] = route.etag
            if stamp:
                headers["Last-Modified"] = stamp
            for name, value in headers.items():
                self.send_header(name, value)
            if status == 304:
                self.end_headers()
                return
            self.send_header("Content-Type", route.kind if route else "text/plain")
            if route is None or route.declare_length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up on a slow or oversized answer, as it should

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def site() -> Iterator[NewsSite]:
    """The fake news site, closed after the test."""
    server = NewsSite()
    yield server
    server.close()


def article(
    title: str,
    paragraphs: list[str],
    outlet: str = "The Harbor Ledger",
    author: str = "Mara Quill",
    date: str = "2026-10-02T09:00:00Z",
) -> str:
    """An article page with navigation, a byline and the usual page chrome."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{escape(title)}</title>"
        f'<meta name="author" content="{escape(author)}">'
        f'<meta property="og:site_name" content="{escape(outlet)}">'
        f'<meta property="article:published_time" content="{date}"></head><body>'
        '<nav><a href="/">Home</a> <a href="/markets">Markets</a> <a href="/deals">Deals</a>'
        f"</nav><article><h1>{escape(title)}</h1>{body}</article>"
        "<footer><p>Copyright 2026 The Harbor Ledger. All rights reserved.</p></footer>"
        "</body></html>"
    )


def rss(items: list[tuple[str, str, str]], title: str = "Harbor Ledger deals") -> str:
    """An RSS 2.0 feed of (guid, link, title) items."""
    entries = "".join(
        f"<item><guid>{escape(g)}</guid><link>{escape(link)}</link><title>{escape(t)}</title>"
        f"<pubDate>Fri, 02 Oct 2026 09:00:00 GMT</pubDate><description>{escape(t)}</description>"
        "</item>"
        for g, link, t in items
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://harbor.example/</link>"
        f"<description>Deals</description>{entries}</channel></rss>"
    )


def atom(items: list[tuple[str, str, str]], title: str = "Quay Street Wire") -> str:
    """An Atom feed of (id, link, title) entries."""
    entries = "".join(
        f'<entry><id>{escape(i)}</id><link rel="alternate" href="{escape(link)}"/>'
        f"<title>{escape(t)}</title><updated>2026-10-03T08:00:00Z</updated>"
        f"<summary>{escape(t)}</summary></entry>"
        for i, link, t in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:quay:wire</id>"
        f"<updated>2026-10-03T08:00:00Z</updated>{entries}</feed>"
    )
