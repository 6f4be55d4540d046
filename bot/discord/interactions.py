"""Discord's interactions in the chat core's terms: `/finnews` becomes a command, a button a
share or a vote. Each gets its first response at once (Discord waits 3 s) and work to do after.

Interactions come over the gateway or over HTTP (whichever the app is set up for); both are
turned into an `Interaction` here, so the two ways behave the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from bot.chat.conversation import Command, Conversation
from bot.chat.replies import parse_command
from bot.discord.embeds import EPHEMERAL, SHARE, VOTE_DOWN, VOTE_UP, notice
from bot.discord.outbox import InteractionReply
from bot.discord.rest import Rest

PING, COMMAND, COMPONENT = 1, 2, 3  # interaction types
PONG, MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE = 1, 4, 5, 6  # response types
THREADS = (10, 11, 12)  # channel types of threads
UNSUPPORTED = "Sorry, I cannot do that here."
Work = Callable[[], None]


@dataclass(frozen=True)
class Interaction:
    """An interaction as Discord sent it, whichever way it came."""

    id: str
    type: int
    token: str
    application_id: str
    user: str
    channel: str  # the conversation: a thread's parent channel, else the channel or DM
    channel_name: str | None
    direct: bool  # in a DM with the bot
    data: dict[str, Any] = field(default_factory=dict)  # the command's or the button's


def from_payload(payload: dict[str, Any]) -> Interaction:
    """An interaction from its JSON (the body of an HTTP interaction)."""
    who = (payload.get("member") or {}).get("user") or payload.get("user") or {}
    channel = payload.get("channel") or {"id": payload.get("channel_id", "")}
    thread = channel.get("type") in THREADS and channel.get("parent_id")
    return Interaction(
        str(payload["id"]),
        int(payload["type"]),
        payload["token"],
        str(payload["application_id"]),
        str(who.get("id", "")),
        str(channel.get("parent_id") if thread else channel.get("id", "")),
        None if thread else channel.get("name"),
        "guild_id" not in payload,
        payload.get("data") or {},
    )


def command(i: Interaction) -> Command:
    """`/finnews <subcommand> [text]` as a chat command."""
    options = i.data.get("options") or [{"name": "help"}]
    sub = options[0]
    typed = tuple((str(o.get("name", "")), _value(o)) for o in sub.get("options", []))
    verb, arg = parse_command(" ".join([sub.get("name", "help"), *(v for _, v in typed)]))
    return Command(verb, arg, i.user, i.channel, i.channel_name, direct=i.direct, options=typed)


def _value(option: dict[str, Any]) -> str:
    """An option's value as the command's text reads it (`days: 14` is '14d')."""
    value = str(option.get("value", ""))
    return f"{value}d" if option.get("name") == "days" else value


class Interactions:
    """What each interaction gets at once, and the conversation's work that follows it."""

    def __init__(self, conversation: Conversation, rest: Rest) -> None:
        self.conversation, self.rest = conversation, rest

    def receive(self, i: Interaction) -> tuple[dict[str, Any], Work | None]:
        """(first response, work to run once it is sent). Fast: no network, no search."""
        if i.type == PING:
            return {"type": PONG}, None
        first, work = self._receive(i)
        if not self.conversation.seen.claim(f"discord-interaction:{i.id}"):
            return first, None  # the same interaction again: answered once already
        return first, work

    def _receive(self, i: Interaction) -> tuple[dict[str, Any], Work | None]:
        if i.type == COMMAND:
            c = command(i)
            text = self.conversation.acknowledgement(c)
            first = (
                {"type": MESSAGE, "data": notice(text) | {"flags": EPHEMERAL}}
                if text
                else {"type": DEFERRED_MESSAGE, "data": {"flags": EPHEMERAL}}
            )
            private = InteractionReply(self.rest, i.application_id, i.token, original=True)
            return first, partial(self.conversation.on_command, c, private)
        action, _, answer_id = str(i.data.get("custom_id", "")).rpartition(":")
        private = InteractionReply(self.rest, i.application_id, i.token, original=False)
        if i.type == COMPONENT and action == SHARE:
            return {"type": DEFERRED_UPDATE}, partial(
                self.conversation.on_share, answer_id, i.user, private
            )
        if i.type == COMPONENT and action in (VOTE_UP, VOTE_DOWN):
            return {"type": DEFERRED_UPDATE}, partial(
                self.conversation.on_vote, answer_id, i.user, action == VOTE_UP, private
            )
        return {"type": MESSAGE, "data": notice(UNSUPPORTED) | {"flags": EPHEMERAL}}, None
