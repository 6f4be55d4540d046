"""The one HTTP server of `finnews serve`: each platform's WSGI app at its own path, and a
health check, on one port."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from waitress import wasyncore
from waitress.server import create_server

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
HEALTH_PATH = "/healthz"
THREADS = 8  # requests are acked at once and answered on the platforms' executors
CONNECTION_LIMIT = 1000  # open connections, idle or half-open ones included
CHANNEL_TIMEOUT = 20  # seconds a connection may sit idle (Slack and Discord want an ack in 3)
CLEANUP_INTERVAL = 5  # how often idle connections are looked for
MAX_BODY = 1 << 20  # bytes; Slack and Discord send a few kilobytes
LOOP_TIMEOUT = 0.5


def routes(apps: Mapping[str, WSGIApp]) -> WSGIApp:
    """One WSGI app: each path to its platform's app, GET /healthz answered here, else 404."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps({"ok": True}).encode()]
        if path in apps:
            return apps[path](environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return application


class HTTPServer:
    """waitress serving one WSGI app: serve_forever() until shutdown(), then server_close().

    waitress reads each request in full on its event loop before a worker thread sees it, so
    slow or half-open connections cost a socket, not a thread; it answers errors without a
    traceback and closes connections idle longer than the channel timeout.
    """

    def __init__(self, app: WSGIApp, host: str, port: int, threads: int = THREADS) -> None:
        self._server: Any = create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            connection_limit=CONNECTION_LIMIT,
            channel_timeout=CHANNEL_TIMEOUT,
            cleanup_interval=CLEANUP_INTERVAL,
            max_request_body_size=MAX_BODY,
            asyncore_use_poll=True,
            ident="finnews",
            asyncore_loop_timeout=LOOP_TIMEOUT,
            clear_untrusted_proxy_headers=True,
        )
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()

    @property
    def server_port(self) -> int:
        """The port bound (the one picked when 0 was asked for)."""
        return int(self._server.effective_port)

    def serve_forever(self, poll_interval: float = LOOP_TIMEOUT) -> None:
        """Serve until shutdown() is called from another thread."""
        del poll_interval  # waitress's loop wakes on its own trigger; kept for the old API
        self._stopped.clear()
        try:
            while not self._stop.is_set() and self._server._map:
                wasyncore.loop(timeout=LOOP_TIMEOUT, map=self._server._map, use_poll=True, count=1)
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop serve_forever() and wait for it to return."""
        self._stop.set()
        self._server.pull_trigger()  # wakes the poll at once
        self._stopped.wait()

    def server_close(self) -> None:
        """Close the listening socket, the open connections and the worker threads."""
        self.shutdown()
        wasyncore.close_all(self._server._map)
        self._server.task_dispatcher.shutdown()


def http_server(app: WSGIApp, host: str = "0.0.0.0", port: int = 3000) -> HTTPServer:
    """The HTTP server for the app (not yet serving); port 0 picks a free port."""
    return HTTPServer(app, host, port)
