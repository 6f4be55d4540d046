"""Discord's REST API behind the chat port: messages, threads, reactions, interaction replies."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any

from bot.chat.port import Place, Reply, Undelivered
from bot.discord.embeds import EPHEMERAL, SUPPRESS_EMBEDS, Message, notice
from bot.discord.markdown import escape
from bot.discord.render import render
from bot.discord.rest import THREAD_EXISTS, Rest, RestError

log = logging.getLogger("finnews.discord")
WORKING = "👀"
THREAD_NAME = 100  # characters of a thread's name
THREADS_KEPT = 10_000  # mentions waiting for their thread; older ones are forgotten
ORIGINAL = "/webhooks/{webhook_id}/{webhook_token}/messages/@original"
FOLLOW_UP = "/webhooks/{webhook_id}/{webhook_token}"


class DiscordOutbox:
    """The bot's messages in channels, threads and DMs.

    A mention in a channel is answered in a thread started from it (a thread takes the id of its
    starting message, so Place(channel, message) names it before it exists): the gateway says
    which messages may start one, and the first answer posted there starts it. Short notices
    never start a thread; they reply to the message instead.
    """

    def __init__(self, rest: Rest) -> None:
        self.rest = rest
        # (channel, message) -> the name of the thread to start there; None once Discord
        # refused to start it (answers then reply to the message in the channel)
        self._starts: OrderedDict[tuple[str, str], str | None] = OrderedDict()
        self._lock = threading.Lock()

    def start_thread_at(self, channel: str, message: str, name: str) -> None:
        """Answers posted at Place(channel, message) go into a new thread of this name."""
        with self._lock:
            self._starts[(channel, message)] = name[:THREAD_NAME].strip() or "finnews"
            while len(self._starts) > THREADS_KEPT:
                self._starts.popitem(last=False)

    def post(self, place: Place, reply: Reply) -> str | None:
        """Post a reply (starting its thread if it is the first); its id. Raises Undelivered."""
        payload = render(reply)
        try:
            channel, reference = self._where(place, start=True)
            sent = self._send(channel, payload, reference)
        except RestError as exc:
            raise Undelivered(str(exc)) from None
        return sent.get("id") if isinstance(sent, dict) else None

    def update(self, place: Place, message: str, reply: Reply) -> None:
        """Replace a posted message's content. Raises Undelivered."""
        channel, _ = self._where(place, start=False)
        try:
            self.rest.call(
                "PATCH",
                "/channels/{channel_id}/messages/{message_id}",
                render(reply),
                channel_id=channel,
                message_id=message,
            )
        except RestError as exc:
            raise Undelivered(str(exc)) from None

    def say(self, place: Place, text: str) -> None:
        """Post a short notice; failures are logged, never raised."""
        try:
            channel, reference = self._where(place, start=False)
            self._send(channel, notice(text) | {"flags": SUPPRESS_EMBEDS}, reference)
        except RestError as exc:
            log.error("could not reply in %s: %s", place.channel, exc)

    def working(self, place: Place, message: str, on: bool) -> None:
        """The eyes reaction on the question while it is answered; never raises."""
        # A question that starts a thread sits in the channel; one asked in a thread, in it.
        channel = place.channel if place.thread in (None, message) else place.thread
        try:
            self.rest.call(
                "PUT" if on else "DELETE",
                "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
                channel_id=channel,
                message_id=message,
                emoji=WORKING,
            )
        except RestError as exc:  # a courtesy: the answer is what matters
            log.warning("%s reaction (%s) failed: %s", WORKING, "add" if on else "remove", exc)

    def escape(self, text: str) -> str:
        """Text Discord shows literally."""
        return escape(text)

    def _where(self, place: Place, start: bool) -> tuple[str, str | None]:
        """(channel to post in, message to reply to) for a place; with `start`, a thread
        waiting to be started is started (or, when Discord refuses, replies stand in for it)."""
        if place.thread is None:
            return place.channel, None
        key = (place.channel, place.thread)
        with self._lock:
            waiting, name = key in self._starts, self._starts.get(key)
        if not waiting:  # a thread that exists
            return place.thread, None
        if not (start and name):  # not yet started, or Discord refused to: reply instead
            return place.channel, place.thread
        try:
            self.rest.call(
                "POST",
                "/channels/{channel_id}/messages/{message_id}/threads",
                {"name": name, "auto_archive_duration": 1440},
                channel_id=place.channel,
                message_id=place.thread,
            )
        except RestError as exc:
            if exc.code != THREAD_EXISTS:  # e.g. no permission to create threads here
                log.warning(
                    "could not start a thread in %s (%s); replying instead", place.channel, exc
                )
                with self._lock:
                    self._starts[key] = None
                return place.channel, place.thread
        with self._lock:
            self._starts.pop(key, None)
        return place.thread, None

    def _send(self, channel: str, payload: Message, reference: str | None) -> Any:
        if reference:
            payload = payload | {
                "message_reference": {"message_id": reference, "fail_if_not_exists": False}
            }
        return self.rest.call(
            "POST", "/channels/{channel_id}/messages", payload, channel_id=channel
        )


class InteractionReply:
    """The private way back to whoever ran `/finnews` or pressed a button: the interaction's
    webhook. A command's first answer fills in its acknowledgement; later ones follow it."""

    def __init__(self, rest: Rest, application_id: str, token: str, *, original: bool) -> None:
        self.rest, self.hook = rest, {"webhook_id": application_id, "webhook_token": token}
        self.original = original  # the acknowledgement is still to be filled in

    def send(self, reply: Reply | str, *, public: bool = False) -> bool:
        """Answer the user (privately unless public); False when Discord did not take it."""
        payload = render(reply if isinstance(reply, Reply) else Reply(reply))
        try:
            if self.original and not public:
                self.rest.call("PATCH", ORIGINAL, payload, **self.hook)
                self.original = False
            else:
                self.rest.call(
                    "POST", FOLLOW_UP, payload | {"flags": 0 if public else EPHEMERAL}, **self.hook
                )
        except RestError as exc:
            log.error("interaction reply failed: %s", exc)
            return False
        return True

    def withdraw(self) -> None:
        """Delete the private message the button was on; never raises."""
        try:
            self.rest.call("DELETE", ORIGINAL, **self.hook)
        except RestError as exc:
            log.warning("could not remove a private answer: %s", exc)

    def notice(self, text: str) -> None:
        """A private follow-up with a short text; failures are logged, never raised."""
        try:
            self.rest.call("POST", FOLLOW_UP, notice(text) | {"flags": EPHEMERAL}, **self.hook)
        except RestError as exc:
            log.error("could not reach the user of an interaction: %s", exc)
