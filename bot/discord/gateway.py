"""The gateway's events in the chat core's terms: messages for the conversation, interactions
for `Interactions` (discord.py dispatches these methods to us by name)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import discord

from bot.chat.conversation import Conversation, Message
from bot.discord.interactions import Interaction, Interactions, Work
from bot.discord.markdown import question_text
from bot.discord.outbox import DiscordOutbox
from bot.discord.rest import Rest, RestError

log = logging.getLogger("finnews.discord")
PEOPLE = (discord.MessageType.default, discord.MessageType.reply)  # what a person posts


def intents(message_content: bool) -> discord.Intents:
    """Guilds (channels and threads), guild and DM messages, and the privileged message content
    when asked for (without it only mentions and DMs carry their text)."""
    wanted = discord.Intents.none()
    wanted.guilds = wanted.guild_messages = wanted.dm_messages = True
    wanted.message_content = message_content
    return wanted


def interaction_of(i: discord.Interaction) -> Interaction:
    """discord.py's interaction as ours."""
    channel = i.channel
    thread = isinstance(channel, discord.Thread)
    return Interaction(
        str(i.id),
        i.type.value,
        i.token,
        str(i.application_id),
        str(i.user.id),
        str(channel.parent_id if thread else i.channel_id or ""),  # type: ignore[union-attr]
        None if thread else getattr(channel, "name", None),
        i.guild_id is None,
        dict(i.data or {}),
    )


class GatewayEvents:
    """Converts gateway events for the conversation core, and nothing more."""

    def __init__(
        self,
        client: discord.Client,
        conversation: Conversation,
        outbox: DiscordOutbox,
        interactions: Interactions,
        rest: Rest,
        submit: Callable[[Work], object],
        message_content: bool,
    ) -> None:
        self.client, self.conversation, self.outbox = client, conversation, outbox
        self.interactions, self.rest, self.submit = interactions, rest, submit
        self.message_content = message_content
        self.connected = threading.Event()  # READY arrived: the token and intents were accepted

    def register(self) -> None:
        """Have the client dispatch its events to these methods."""
        for handler in (self.on_connect, self.on_message, self.on_interaction):
            self.client.event(handler)

    async def on_connect(self) -> None:
        """READY arrived."""
        self.connected.set()

    async def on_message(self, message: discord.Message) -> None:
        """A mention, a DM or a message in a thread: the core decides whether to answer."""
        me = self.client.user
        if me is None or message.author.bot or message.webhook_id or message.type not in PEOPLE:
            return  # bots (this one included) and system messages are never answered
        channel = await self._channel(message)
        direct = isinstance(channel, discord.DMChannel | discord.GroupChannel) or (
            isinstance(channel, discord.PartialMessageable) and channel.guild_id is None
        )
        role = message.guild.self_role if message.guild else None
        roles = (str(role.id),) if role else ()
        mentioned = any(u.id == me.id for u in message.mentions) or bool(
            role and role.id in message.raw_role_mentions
        )
        if not (mentioned or direct or self.message_content):
            return  # without the content intent, other messages arrive without their text
        names = {str(u.id): u.display_name for u in message.mentions}
        names |= {str(r.id): r.name for r in message.role_mentions}
        names |= {str(c.id): c.name for c in message.channel_mentions}
        text = question_text(message.content, str(me.id), names, roles)
        thread = channel if isinstance(channel, discord.Thread) else None
        where = str(thread.parent_id) if thread else str(channel.id)
        if mentioned and not direct and thread is None:
            self.outbox.start_thread_at(where, str(message.id), text)
        self.submit(
            lambda: self.conversation.on_message(
                Message(
                    "",
                    where,
                    str(message.id),
                    str(thread.id) if thread else None,
                    str(message.author.id),
                    text,
                    direct=direct,
                    mentioned=mentioned,
                )
            )
        )

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A command or a button: acknowledged at once, then worked on by the workers."""
        i = interaction_of(interaction)
        first, work = self.interactions.receive(i)
        try:
            await self.rest.request(
                "POST",
                "/interactions/{interaction_id}/{token}/callback",
                first,
                interaction_id=i.id,
                token=i.token,
            )
        except RestError as exc:
            log.error("could not acknowledge an interaction: %s", exc)
            return
        if work:
            self.submit(work)

    async def _channel(self, message: discord.Message) -> discord.abc.MessageableChannel:
        """The message's channel; looked up when the cache does not know it (is it a thread?)."""
        channel = message.channel
        if isinstance(channel, discord.PartialMessageable) and channel.guild_id is not None:
            try:
                found = await self.client.fetch_channel(channel.id)
            except discord.HTTPException as exc:
                log.warning("could not look up channel %s: %s", channel.id, exc)
            else:
                if isinstance(found, discord.Thread | discord.TextChannel):
                    return found
        return channel
