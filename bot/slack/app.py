"""The Slack adapter: the bolt App, the Web API calls, and the HTTP and Socket Mode servers."""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ThreadPoolExecutor
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackClientError

from bot.chat.conversation import Conversation, Rules
from bot.chat.ledger import Ledger
from bot.core import Finnews
from bot.feeds import open_live
from bot.settings import Settings
from bot.slack import blocks
from bot.slack.links import Links
from bot.slack.listeners import Listeners
from bot.slack.outbox import SlackOutbox, retry_handlers, web_client
from index.errors import UsageError

log = logging.getLogger("finnews.slack")
EVENTS_PATH, HEALTH_PATH = "/slack/events", "/healthz"


def create_app(settings: Settings, finnews: Finnews, ledger: Ledger, *, backoff: float = 0.5,
               executor: Executor | None = None) -> App:
    """The bolt App: requests acked at once, answers worked out on the executor's threads."""
    slack = settings.slack
    retries = retry_handlers(backoff)
    client = web_client(slack, retries)
    # Socket Mode needs no signing secret; a random one makes unsigned HTTP requests fail.
    secret = slack.signing_secret
    app = App(client=client, process_before_response=True,
              signing_secret=secret.get_secret_value() if secret else secrets.token_hex(32),
              listener_executor=executor or ThreadPoolExecutor(8, thread_name_prefix="finnews"))
    outbox = SlackOutbox(client, retries)
    live = open_live(finnews, allow_private=settings.web.private_hosts)
    conversation = Conversation(finnews, ledger, outbox, rules(settings), live)
    links = Links(live, outbox, list(slack.auto_ingest_channels))
    bot = Listeners(conversation, outbox, links)
    app.event("app_mention")(ack=bot.ack, lazy=[bot.on_event])
    app.event("message")(ack=bot.ack, lazy=[bot.on_event])
    app.command("/finnews")(ack=bot.ack_command, lazy=[bot.on_command])
    app.action(blocks.SHARE)(ack=bot.ack, lazy=[bot.on_share])
    app.action(re.compile(f"^({blocks.VOTE_UP}|{blocks.VOTE_DOWN})$"))(ack=bot.ack,
                                                                        lazy=[bot.on_vote])
    return app


def rules(settings: Settings) -> Rules:
    """Who may ask the Slack bot, and how often."""
    return Rules(settings.slack.channels, settings.slack.rate_limit,
                 settings.llm_backend.stream_interval, settings.digest.days,
                 settings.digest.timezone)


def wsgi_app(app: App) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """Slack's requests at /slack/events, and a health check at /healthz."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps({"ok": True}).encode()]
        return slack(environ, start_response)

    return application


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a slow client never holds up shutdown
    request_queue_size = 128  # the default backlog of 5 resets connections in a burst


class _LoggingHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def http_server(app: App, host: str = "0.0.0.0", port: int = 3000) -> WSGIServer:
    """A threaded HTTP server for the app (not yet serving); port 0 picks a free port."""
    return make_server(host, port, wsgi_app(app), server_class=_ThreadingWSGIServer,
                       handler_class=_LoggingHandler)


def serve(settings: Settings, finnews: Finnews, ledger: Ledger,
          announce: Callable[[str], None] = log.info) -> None:
    """Run until interrupted: Socket Mode with an app-level token, else HTTP on settings.port."""
    slack = settings.slack
    if not slack.app_token and not slack.signing_secret:
        raise UsageError("Set FINNEWS_SLACK_SIGNING_SECRET for HTTP mode, "
                         "or FINNEWS_SLACK_APP_TOKEN for Socket Mode.")
    try:
        app = create_app(settings, finnews, ledger)  # checks the token with auth.test
    except (BoltError, SlackClientError, OSError) as exc:
        raise UsageError(f"Could not start the Slack bot: {type(exc).__name__} from "
                         f"{slack.api_url} (check FINNEWS_SLACK_BOT_TOKEN).") from None
    finnews.stats()  # loads the lexical index now rather than during the first question
    from bot.reports import schedule

    schedule.start(settings, finnews, SlackOutbox(app.client, retry_handlers()), announce)
    if slack.app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        announce("finnews: Slack bot running in Socket Mode")
        SocketModeHandler(app, slack.app_token.get_secret_value()).start()
        return
    server = http_server(app, "0.0.0.0", settings.port)
    announce(f"finnews: Slack bot listening on port {server.server_port} "
             f"({EVENTS_PATH} for Slack, {HEALTH_PATH} for health checks)")
    try:
        server.serve_forever()
    finally:
        server.server_close()
