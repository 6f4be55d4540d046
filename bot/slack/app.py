"""The Slack adapter: the bolt App, the Web API calls, and the HTTP and Socket Mode servers."""

from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackClientError

from bot.alerts.commands import Watchlist
from bot.alerts.store import AlertStore
from bot.chat.conversation import Conversation, Rules
from bot.chat.ledger import Ledger
from bot.chat.port import Port
from bot.core import Finnews
from bot.feeds import open_live
from bot.server import WSGIApp
from bot.settings import Settings
from bot.slack import blocks
from bot.slack.links import Links
from bot.slack.listeners import Listeners
from bot.slack.outbox import SlackOutbox, retry_handlers, web_client
from bot.slack.signed import signed_only
from index.errors import UsageError

log = logging.getLogger("finnews.slack")
EVENTS_PATH = "/slack/events"
MODEL_THREADS = 8  # answers written by a model mostly wait on its HTTP replies


def answer_threads(settings: Settings) -> int:
    """How many answers are worked out at once. Extractive answers are CPU work that holds the
    GIL in part: more threads than cores only make the acknowledgements (same process) wait."""
    if settings.llm == "extractive":
        return max(2, os.cpu_count() or 2)
    return MODEL_THREADS


def create_app(
    settings: Settings,
    finnews: Finnews,
    ledger: Ledger,
    *,
    backoff: float = 0.5,
    executor: Executor | None = None,
) -> App:
    """The bolt App: requests acked at once, answers worked out on the executor's threads."""
    slack = settings.slack
    retries = retry_handlers(backoff)
    client = web_client(slack, retries)
    # Socket Mode needs no signing secret; a random one makes unsigned HTTP requests fail.
    secret = slack.signing_secret
    app = App(
        client=client,
        process_before_response=True,
        signing_secret=secret.get_secret_value() if secret else secrets.token_hex(32),
        listener_executor=executor
        or ThreadPoolExecutor(answer_threads(settings), thread_name_prefix="finnews"),
    )
    outbox = SlackOutbox(client, retries)
    live = open_live(finnews, allow_private=settings.web.private_hosts)
    watchlist = Watchlist(AlertStore(ledger.database))  # the chats' database, as the ledger
    conversation = Conversation(finnews, ledger, outbox, rules(settings), live, watchlist)
    links = Links(live, outbox, list(slack.auto_ingest_channels), conversation.seen)
    bot = Listeners(conversation, outbox, links)
    app.event("app_mention")(ack=bot.ack, lazy=[bot.on_event])
    app.event("message")(ack=bot.ack, lazy=[bot.on_event])
    app.command("/finnews")(ack=bot.ack_command, lazy=[bot.on_command])
    app.action(blocks.SHARE)(ack=bot.ack, lazy=[bot.on_share])
    app.action(re.compile(f"^({blocks.VOTE_UP}|{blocks.VOTE_DOWN})$"))(
        ack=bot.ack, lazy=[bot.on_vote]
    )
    return app


def rules(settings: Settings) -> Rules:
    """Who may ask the Slack bot, and how often."""
    return Rules(
        settings.slack.channels,
        settings.slack.rate_limit,
        settings.llm_backend.stream_interval,
        settings.digest.days,
        settings.digest.timezone,
        "slack",
    )


def slack_wsgi(app: App, signing_secret: str) -> WSGIApp:
    """Slack's requests (events, commands, buttons) as a WSGI app for EVENTS_PATH, each checked
    (size, signature, timestamp, replay) before bolt reads it."""
    return signed_only(SlackRequestHandler(app, path=EVENTS_PATH), signing_secret)


def start(
    settings: Settings,
    finnews: Finnews,
    ledger: Ledger,
    announce: Callable[[str], None] = log.info,
    ports: dict[str, Port] | None = None,
) -> dict[str, WSGIApp]:
    """Start the Slack bot and its digest schedule: connected in Socket Mode (in the background)
    with an app-level token, else its HTTP routes, to be served by bot.server. Its outbox is
    put in `ports` (for the watchlist alerts)."""
    slack = settings.slack
    if not slack.app_token and not slack.signing_secret:
        raise UsageError(
            "Set FINNEWS_SLACK_SIGNING_SECRET for HTTP mode, "
            "or FINNEWS_SLACK_APP_TOKEN for Socket Mode."
        )
    try:
        app = create_app(settings, finnews, ledger)  # checks the token with auth.test
    except (BoltError, SlackClientError, OSError) as exc:
        raise UsageError(
            f"Could not start the Slack bot: {type(exc).__name__} from "
            f"{slack.api_url} (check FINNEWS_SLACK_BOT_TOKEN)."
        ) from None
    from bot.reports import schedule

    outbox = SlackOutbox(app.client, retry_handlers())
    schedule.start(settings, finnews, outbox, announce)
    if ports is not None:
        ports["slack"] = outbox
    if slack.app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(app, slack.app_token.get_secret_value()).connect()
        announce("finnews: Slack bot connected in Socket Mode")
        return {}
    announce(f"finnews: Slack bot answering at {EVENTS_PATH}")
    secret = slack.signing_secret
    assert secret is not None  # checked above: no app token means HTTP mode with a secret
    return {EVENTS_PATH: slack_wsgi(app, secret.get_secret_value())}
