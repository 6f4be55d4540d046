"""The one HTTP server of `finnews serve`: each platform's WSGI app at its own path, and a
health check, on one port."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

log = logging.getLogger("finnews.http")
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
HEALTH_PATH = "/healthz"


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


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a slow client never holds up shutdown
    request_queue_size = 128  # the default backlog of 5 resets connections in a burst


class _LoggingHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def http_server(app: WSGIApp, host: str = "0.0.0.0", port: int = 3000) -> WSGIServer:
    """A threaded HTTP server for the app (not yet serving); port 0 picks a free port."""
    return make_server(host, port, app, server_class=_ThreadingWSGIServer,
                       handler_class=_LoggingHandler)
