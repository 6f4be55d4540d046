"""What the bot needs from Slack's Web API, as a protocol (bot.slack.SlackOutbox implements it)."""

from __future__ import annotations

from typing import Any, Protocol

Blocks = list[dict[str, Any]]


class Undelivered(Exception):
    """Slack did not take a message, even after retries."""


class Outbox(Protocol):
    """The Slack Web API calls the bot makes (bot.slack.SlackOutbox)."""

    def post(self, channel: str, thread: str | None, text: str, blocks: Blocks) -> str | None:
        """Post a message; its ts. Raises Undelivered."""

    def update(self, channel: str, ts: str, text: str, blocks: Blocks) -> None:
        """Replace a posted message's content. Raises Undelivered."""

    def say(self, channel: str, thread: str | None, text: str) -> None:
        """Post a short text; failures are logged, never raised."""

    def react(self, channel: str, ts: str, on: bool, name: str = "eyes") -> None:
        """Add (or remove) a reaction; failures are logged, never raised."""

    def respond(self, url: str, text: str, blocks: Blocks | None = None, *,
                public: bool = False, delete: bool = False) -> bool:
        """Answer through a response_url; False when Slack did not take it."""

    def whisper(self, channel: str, user: str, text: str) -> None:
        """An ephemeral message; failures are logged, never raised."""
