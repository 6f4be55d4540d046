"""Slack's Web API behind the chat port: messages, updates, reactions, response URLs."""

from __future__ import annotations

import logging
import random
from typing import Any

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

from bot.chat.port import Place, Reply, Undelivered
from bot.settings import SlackSettings
from bot.slack.blocks import Blocks, escape
from bot.slack.render import render
from index.errors import UsageError

log = logging.getLogger("finnews.slack")
QUIET = {"unfurl_links": False, "unfurl_media": False}


class _ProportionalJitter(Jitter):
    """Up to half the interval again, so short test backoffs stay short."""

    def recalculate(self, duration: float) -> float:
        return duration * (1 + random.random() / 2)


class _ServerErrorRetry(ServerErrorRetryHandler):
    """Retries every 5xx answer (slack_sdk's own handler retries 500 and 503 only)."""

    def _can_retry(
        self, *, state: Any, request: Any, response: Any = None, error: Any = None
    ) -> bool:
        return response is not None and response.status_code >= 500


def retry_handlers(backoff: float = 0.5, attempts: int = 4) -> list[RetryHandler]:
    """429s after Retry-After; 5xx and dropped connections with exponential backoff."""
    interval = BackoffRetryIntervalCalculator(backoff, _ProportionalJitter())
    return [
        ConnectionErrorRetryHandler(attempts - 1, interval),
        RateLimitErrorRetryHandler(attempts - 1),
        _ServerErrorRetry(attempts - 1, interval),
    ]


class SlackOutbox:
    """The Web API calls of the bot, with Slack's errors turned into ours."""

    def __init__(self, client: WebClient, retries: list[RetryHandler]) -> None:
        self.client = client
        self.retries = retries

    def post(self, place: Place, reply: Reply) -> str | None:
        """Post a reply; its ts. Raises Undelivered."""
        text, blocks = render(reply)
        try:
            sent = self.client.chat_postMessage(
                channel=place.channel, thread_ts=place.thread, text=text, blocks=blocks, **QUIET
            )
        except (SlackClientError, OSError) as exc:
            raise Undelivered(_reason(exc)) from None
        return sent.get("ts")

    def update(self, place: Place, message: str, reply: Reply) -> None:
        """Replace a posted message's content. Raises Undelivered."""
        text, blocks = render(reply)
        try:
            self.client.chat_update(channel=place.channel, ts=message, text=text, blocks=blocks)
        except (SlackClientError, OSError) as exc:
            raise Undelivered(_reason(exc)) from None

    def say(self, place: Place, text: str) -> None:
        """Post a short text; failures are logged, never raised."""
        try:
            self.client.chat_postMessage(
                channel=place.channel, thread_ts=place.thread, text=text, **QUIET
            )
        except (SlackClientError, OSError) as exc:
            log.error("could not reply in %s: %s", place.channel, _reason(exc))

    def working(self, place: Place, message: str, on: bool) -> None:
        """The eyes reaction on the question while it is answered."""
        self.react(place.channel, message, on)

    def escape(self, text: str) -> str:
        """Text Slack shows literally."""
        return escape(text)

    def react(self, channel: str, ts: str, on: bool, name: str = "eyes") -> None:
        """Add (or remove) a reaction; failures are logged, never raised."""
        call = self.client.reactions_add if on else self.client.reactions_remove
        try:
            call(channel=channel, timestamp=ts, name=name)
        except (SlackClientError, OSError) as exc:  # a courtesy: the answer is what matters
            log.warning(
                "%s reaction (%s) failed: %s", name, "add" if on else "remove", _reason(exc)
            )

    def respond(
        self,
        url: str,
        text: str,
        blocks: Blocks | None = None,
        *,
        public: bool = False,
        delete: bool = False,
    ) -> bool:
        """Answer through a response_url; False when Slack did not take it."""
        if not url:
            return False
        body: dict[str, Any] = (
            {"delete_original": True}
            if delete
            else {
                "text": text,
                "response_type": "in_channel" if public else "ephemeral",
                "replace_original": False,
                **QUIET,
            }
            | ({"blocks": blocks} if blocks else {})
        )
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


class SlackPrivate:
    """The private way back to a command's or a button's user: its response_url, else an
    ephemeral message."""

    def __init__(self, outbox: SlackOutbox, url: str, channel: str, user: str) -> None:
        self.outbox, self.url, self.channel, self.user = outbox, url, channel, user

    def send(self, reply: Reply | str, *, public: bool = False) -> bool:
        """Answer through the response_url; False when Slack did not take it."""
        text, blocks = render(reply if isinstance(reply, Reply) else Reply(reply))
        return self.outbox.respond(self.url, text, blocks, public=public)

    def withdraw(self) -> None:
        """Delete the private message the button was on."""
        self.outbox.respond(self.url, "", delete=True)

    def notice(self, text: str) -> None:
        """An ephemeral message in the channel; failures are logged, never raised."""
        self.outbox.whisper(self.channel, self.user, text)


def _reason(exc: Exception) -> str:
    """What went wrong, without anything secret (Slack's error code or the exception type)."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or exc.response.status_code)
    return type(exc).__name__


def web_client(slack: SlackSettings, retries: list[RetryHandler]) -> WebClient:
    """A Web API client with the bot token; UsageError when none is set."""
    if not slack.bot_token:
        raise UsageError("Set FINNEWS_SLACK_BOT_TOKEN (the xoxb- token of the Slack app).")
    return WebClient(
        token=slack.bot_token.get_secret_value(), base_url=slack.api_url, retry_handlers=retries
    )


def open_outbox(slack: SlackSettings, backoff: float = 0.5) -> SlackOutbox:
    """Web API calls without a bolt App (for `finnews digest --post` from a cron job)."""
    retries = retry_handlers(backoff)
    return SlackOutbox(web_client(slack, retries), retries)
