"""The Slack adapter: the bolt App, the Web API calls, and the HTTP and Socket Mode servers."""

from __future__ import annotations

import json
import logging
import random
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
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter
from slack_sdk.webhook import WebhookClient

from bot.chat.ledger import Ledger
from bot.core import Finnews
from bot.feeds import open_live
from bot.settings import Settings
from bot.slack import blocks
from bot.slack.links import Links
from bot.slack.listeners import Blocks, Listeners, Undelivered
from index.errors import UsageError

log = logging.getLogger("finnews.slack")
QUIET = {"unfurl_links": False, "unfurl_media": False}
EVENTS_PATH, HEALTH_PATH = "/slack/events", "/healthz"


class _ProportionalJitter(Jitter):
    """Up to half the interval again, so short test backoffs stay short."""

    def recalculate(self, duration: float) -> float:
        return duration * (1 + random.random() / 2)


class _ServerErrorRetry(ServerErrorRetryHandler):
    """Retries every 5xx answer (slack_sdk's own handler retries 500 and 503 only)."""

    def _can_retry(self, *, state: Any, request: Any, response: Any = None,
                   error: Any = None) -> bool:
        return response is not None and response.status_code >= 500


def retry_handlers(backoff: float = 0.5, attempts: int = 4) -> list[RetryHandler]:
    """429s after Retry-After; 5xx and dropped connections with exponential backoff."""
    interval = BackoffRetryIntervalCalculator(backoff, _ProportionalJitter())
    return [ConnectionErrorRetryHandler(attempts - 1, interval),
            RateLimitErrorRetryHandler(attempts - 1),
            _ServerErrorRetry(attempts - 1, interval)]


class SlackOutbox:
    """The Web API calls of the bot, with Slack's errors turned into ours."""

    def __init__(self, client: WebClient, retries: list[RetryHandler]) -> None:
        self.client = client
        self.retries = retries

    def post(self, channel: str, thread: str | None, text: str, blocks: Blocks) -> str | None:
        """Post a message; its ts. Raises Undelivered."""
        try:
            sent = self.client.chat_postMessage(channel=channel, thread_ts=thread, text=text,
                                                blocks=blocks, **QUIET)
        except (SlackClientError, OSError) as exc:
            raise Undelivered(_reason(exc)) from None
        return sent.get("ts")

    def update(self, channel: str, ts: str, text: str, blocks: Blocks) -> None:
        """Replace a posted message's content. Raises Undelivered."""
        try:
            self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except (SlackClientError, OSError) as exc:
            raise Undelivered(_reason(exc)) from None

    def say(self, channel: str, thread: str | None, text: str) -> None:
        """Post a short text; failures are logged, never raised."""
        try:
            self.client.chat_postMessage(channel=channel, thread_ts=thread, text=text, **QUIET)
        except (SlackClientError, OSError) as exc:
            log.error("could not reply in %s: %s", channel, _reason(exc))

    def react(self, channel: str, ts: str, on: bool, name: str = "eyes") -> None:
        """Add (or remove) a reaction; failures are logged, never raised."""
        call = self.client.reactions_add if on else self.client.reactions_remove
        try:
            call(channel=channel, timestamp=ts, name=name)
        except (SlackClientError, OSError) as exc:  # a courtesy: the answer is what matters
            log.warning("%s reaction (%s) failed: %s", name, "add" if on else "remove",
                        _reason(exc))

    def respond(self, url: str, text: str, blocks: Blocks | None = None, *,
                public: bool = False, delete: bool = False) -> bool:
        """Answer through a response_url; False when Slack did not take it."""
        if not url:
            return False
        body: dict[str, Any] = {"delete_original": True} if delete else {
            "text": text, "response_type": "in_channel" if public else "ephemeral",
            "replace_original": False, **QUIET} | ({"blocks": blocks} if blocks else {})
        try:
            sent = WebhookClient(url, retry_handlers=self.retries).send_dict(body)
        except (SlackClientError, OSError) as exc:
            log.error("response_url failed: %s", _reason(exc))
            return False
        if sent.status_code != 200:
            log.error("response_url answered %s: %s", sent.status_code, sent.body[:200])
        return sent.status_code == 200

    def whisper(self, channel: str, user: str, text: str) -> None:
        """An ephemeral message; failures are logged, never raised."""
        try:
            self.client.chat_postEphemeral(channel=channel, user=user, text=text)
        except (SlackClientError, OSError) as exc:
            log.error("could not reach %s in %s: %s", user, channel, _reason(exc))


def _reason(exc: Exception) -> str:
    """What went wrong, without anything secret (Slack's error code or the exception type)."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or exc.response.status_code)
    return type(exc).__name__


def open_outbox(settings: Settings, backoff: float = 0.5) -> SlackOutbox:
    """Web API calls without a bolt App (for `finnews digest --post` from a cron job)."""
    if not settings.slack_bot_token:
        raise UsageError("Set FINNEWS_SLACK_BOT_TOKEN (the xoxb- token of the Slack app).")
    retries = retry_handlers(backoff)
    return SlackOutbox(WebClient(token=settings.slack_bot_token.get_secret_value(),
                                 base_url=settings.slack_api_url, retry_handlers=retries), retries)


def create_app(settings: Settings, finnews: Finnews, ledger: Ledger, *, backoff: float = 0.5,
               executor: Executor | None = None) -> App:
    """The bolt App: requests acked at once, answers worked out on the executor's threads."""
    if not settings.slack_bot_token:
        raise UsageError("Set FINNEWS_SLACK_BOT_TOKEN (the xoxb- token of the Slack app).")
    retries = retry_handlers(backoff)
    client = WebClient(token=settings.slack_bot_token.get_secret_value(),
                       base_url=settings.slack_api_url, retry_handlers=retries)
    # Socket Mode needs no signing secret; a random one makes unsigned HTTP requests fail.
    secret = settings.slack_signing_secret
    app = App(client=client, process_before_response=True,
              signing_secret=secret.get_secret_value() if secret else secrets.token_hex(32),
              listener_executor=executor or ThreadPoolExecutor(8, thread_name_prefix="finnews"))
    outbox = SlackOutbox(client, retries)
    live = open_live(finnews, allow_private=settings.fetch_private_hosts)
    links = Links(live, outbox, settings.slack_auto_ingest_channels)
    bot = Listeners(finnews, ledger, outbox, settings, links)
    app.event("app_mention")(ack=bot.ack, lazy=[bot.on_event])
    app.event("message")(ack=bot.ack, lazy=[bot.on_event])
    app.command("/finnews")(ack=bot.ack_command, lazy=[bot.on_command])
    app.action(blocks.SHARE)(ack=bot.ack, lazy=[bot.on_share])
    app.action(re.compile(f"^({blocks.VOTE_UP}|{blocks.VOTE_DOWN})$"))(ack=bot.ack,
                                                                        lazy=[bot.on_vote])
    return app


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
    if not settings.slack_app_token and not settings.slack_signing_secret:
        raise UsageError("Set FINNEWS_SLACK_SIGNING_SECRET for HTTP mode, "
                         "or FINNEWS_SLACK_APP_TOKEN for Socket Mode.")
    try:
        app = create_app(settings, finnews, ledger)  # checks the token with auth.test
    except (BoltError, SlackClientError, OSError) as exc:
        raise UsageError(f"Could not start the Slack bot: {type(exc).__name__} from "
                         f"{settings.slack_api_url} (check FINNEWS_SLACK_BOT_TOKEN).") from None
    finnews.stats()  # loads the lexical index now rather than during the first question
    from bot.reports import schedule

    schedule.start(settings, finnews, SlackOutbox(app.client, retry_handlers()), announce)
    if settings.slack_app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        announce("finnews: Slack bot running in Socket Mode")
        SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
        return
    server = http_server(app, "0.0.0.0", settings.port)
    announce(f"finnews: Slack bot listening on port {server.server_port} "
             f"({EVENTS_PATH} for Slack, {HEALTH_PATH} for health checks)")
    try:
        server.serve_forever()
    finally:
        server.server_close()
