"""Slack's requests in the chat core's terms: events, `/finnews` and buttons become chat
messages, commands and votes (bolt calls these methods with the arguments they name)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.chat.conversation import Command, Conversation, Message
from bot.chat.replies import parse_command
from bot.slack import blocks
from bot.slack.links import Links, command_url
from bot.slack.outbox import SlackOutbox, SlackPrivate

PEOPLE = (None, "thread_broadcast", "file_share")  # message subtypes a person posts


class Listeners:
    """Converts bolt's payloads for the conversation core, and nothing more."""

    def __init__(
        self, conversation: Conversation, outbox: SlackOutbox, links: Links | None = None
    ) -> None:
        self.conversation = conversation
        self.outbox = outbox
        self.links = links  # auto-ingest of links shared in some channels; None: off

    def ack(self, ack: Any) -> None:
        """Acknowledge at once; the work happens in the lazy listener."""
        ack()

    def ack_command(self, ack: Any, command: dict[str, Any]) -> None:
        """Acknowledge `/finnews` privately, replying at once where no search is needed."""
        text = self.conversation.acknowledgement(_command(command))
        if text is None:
            return ack()
        ack(text=text, response_type="ephemeral")

    def on_event(
        self, body: dict[str, Any], event: dict[str, Any], context: Mapping[str, Any]
    ) -> None:
        """A mention, a DM or a message in a thread: the core decides whether to answer."""
        if self.links:
            self.links.on_message(body.get("event_id", ""), event)
        # Bots (this one included) carry a bot_id; edits, joins and the like carry a subtype.
        if event.get("bot_id") or event.get("subtype") not in PEOPLE or not event.get("user"):
            return
        self.conversation.on_message(
            Message(
                body.get("event_id", ""),
                event["channel"],
                event["ts"],
                event.get("thread_ts"),
                event["user"],
                blocks.question_text(event.get("text", ""), context.get("bot_user_id")),
                direct=event.get("channel_type") == "im",
                mentioned=event["type"] == "app_mention",
            )
        )

    def on_command(self, command: dict[str, Any]) -> None:
        """`/finnews ask`, `sources`, `summary`, `digest` and `add`, answered privately."""
        self.conversation.on_command(_command(command), self._private(command))

    def on_share(self, body: dict[str, Any]) -> None:
        """The share button of a private answer."""
        self.conversation.on_share(
            body["actions"][0]["value"], body["user"]["id"], self._private(body)
        )

    def on_vote(self, body: dict[str, Any]) -> None:
        """A helpful / not helpful button."""
        action = body["actions"][0]
        self.conversation.on_vote(
            action["value"],
            body["user"]["id"],
            action["action_id"] == blocks.VOTE_UP,
            self._private(body),
        )

    def _private(self, payload: dict[str, Any]) -> SlackPrivate:
        if "user" in payload:  # a button: block_actions payload
            channel, user = payload["channel"]["id"], payload["user"]["id"]
        else:  # a slash command
            channel, user = payload["channel_id"], payload["user_id"]
        return SlackPrivate(self.outbox, payload.get("response_url", ""), channel, user)


def _command(command: dict[str, Any]) -> Command:
    """A slash command in neutral terms; `add`'s address is taken out of Slack's link markup."""
    verb, arg = parse_command(command.get("text", ""))
    if verb == "add":
        arg = command_url(arg) or arg
    channel = command.get("channel_id", "")
    return Command(
        verb,
        arg,
        command.get("user_id", ""),
        channel,
        command.get("channel_name"),
        direct=channel.startswith("D"),
    )
