"""What the chat core needs from a platform: the port each adapter implements, and the neutral
reply it renders (Block Kit for Slack, embeds for Discord, text for a terminal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.alerts.alert import Alert
    from bot.reports.deal_list import DealList
    from bot.reports.digest import Digest
    from bot.reports.summary import Summary
    from index.records import Answer


class Undelivered(Exception):
    """The platform did not take a message, even after retries."""


@dataclass(frozen=True)
class Place:
    """Where a message goes: a conversation (channel or DM), and a thread in it or None."""

    channel: str
    thread: str | None = None


@dataclass(frozen=True)
class Reply:
    """What the bot says, before any platform's formatting: an answer (with its id, for votes
    and sharing), a summary, a digest, a list of deals, a watchlist alert, or a short notice."""

    content: Answer | Summary | Digest | DealList | Alert | str
    answer_id: str | None = None
    shareable: bool = False  # a private answer, offered for posting in the channel
    writing: bool = False  # a model's answer still being written (its checked part so far)
    shared_by: str | None = None  # the user who posted a private answer in the channel


class Port(Protocol):
    """The messages the chat core sends in a conversation (a platform's adapter implements it)."""

    def post(self, place: Place, reply: Reply) -> str | None:
        """Post a reply; the posted message's id. Raises Undelivered."""

    def update(self, place: Place, message: str, reply: Reply) -> None:
        """Replace a posted message's content. Raises Undelivered."""

    def say(self, place: Place, text: str) -> None:
        """Post a short notice; failures are logged, never raised."""

    def working(self, place: Place, message: str, on: bool) -> None:
        """Show (or stop showing) that a message is being worked on; never raises."""

    def escape(self, text: str) -> str:
        """Text from articles or errors made inert in the platform's markup."""


class Private(Protocol):
    """The private way back to whoever ran a command or pressed a button (Slack's response_url,
    a Discord interaction token)."""

    def send(self, reply: Reply | str, *, public: bool = False) -> bool:
        """Answer the user (privately unless public); False when the platform did not take it."""

    def withdraw(self) -> None:
        """Remove the private message the command or button belongs to; never raises."""

    def notice(self, text: str) -> None:
        """A last-resort private notice, when send failed; never raises."""
