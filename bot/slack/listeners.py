"""What the Slack bot does with each request: mentions, DMs, follow-ups, /finnews and buttons."""

from __future__ import annotations

import logging
import re
import secrets
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.answer.render import answer_prose
from bot.chat import replies
from bot.chat.guard import Allowlist, RateLimit, Seen
from bot.chat.ledger import Entry, Ledger
from bot.chat.live import LiveAnswer
from bot.chat.port import Blocks, Outbox, Undelivered
from bot.core import Finnews
from bot.settings import Settings
from bot.slack import blocks
from bot.slack.digest_blocks import on_demand
from bot.slack.links import Links, command_url
from index.errors import UsageError

log = logging.getLogger("finnews.slack")
MARKERS = re.compile(r"\s*\[\d+\]")
PEOPLE = (None, "thread_broadcast", "file_share")  # message subtypes a person posts
__all__ = ["Blocks", "Listeners", "Outbox", "Question", "Undelivered"]  # slack.py imports these


@dataclass(frozen=True)
class Question:
    """A question asked in a conversation, and where its answer goes."""

    channel: str
    ts: str
    thread: str | None  # None: answer at the top of a DM
    user: str
    text: str
    direct: bool
    earlier: tuple[Entry, ...] = ()


class Listeners:
    """The bot's behaviour; bolt calls these methods with the arguments they name."""

    def __init__(self, finnews: Finnews, ledger: Ledger, outbox: Outbox,
                 settings: Settings, links: Links | None = None) -> None:
        self.finnews = finnews
        self.links = links  # /finnews add and auto-ingested links; None: not offered
        self.ledger = ledger
        self.outbox = outbox
        self.seen = Seen()
        self.rate = RateLimit(settings.slack_rate_limit)
        self.allowlist = Allowlist(settings.slack_channels)
        self.stream_interval = settings.llm_stream_interval
        self.settings = settings

    def ack(self, ack: Any) -> None:
        """Acknowledge at once; the work happens in the lazy listener."""
        ack()

    def ack_command(self, ack: Any, command: dict[str, Any]) -> None:
        """Acknowledge `/finnews` privately, replying at once where no search is needed."""
        verb, arg = replies.parse_command(command.get("text", ""))
        if not self._allowed(command):
            text = replies.NOT_HERE
        elif verb == "help":
            text = replies.HELP
        elif verb in ("summary", "digest"):
            text = replies.BUILDING if arg or verb == "digest" else replies.NO_TOPIC
        elif verb == "ask":
            text = replies.SEARCHING if arg else replies.EMPTY
        elif verb == "add":
            url = command_url(arg) if self.links else None
            text = replies.ADDING.format(url=url) if url else replies.ADD_USAGE
        else:
            return ack()
        ack(text=text, response_type="ephemeral")

    def on_event(self, body: dict[str, Any], event: dict[str, Any],
                 context: Mapping[str, Any]) -> None:
        """A mention, a DM or a reply in a thread the bot answered: answer it there, once."""
        if self.links:
            self.links.on_message(body.get("event_id", ""), event)
        q = self._question(body.get("event_id", ""), event, context.get("bot_user_id"))
        if q is None:
            return
        if not self.allowlist.allows(q.channel, direct=q.direct):
            return self.outbox.say(q.channel, q.thread, replies.NOT_HERE)
        if not self.rate.allow(q.user):
            return self.outbox.say(q.channel, q.thread, replies.SLOW_DOWN)
        if not q.text:
            return self.outbox.say(q.channel, q.thread, replies.EMPTY)
        self.outbox.react(q.channel, q.ts, on=True)
        try:
            self._answer(q)
        finally:
            self.outbox.react(q.channel, q.ts, on=False)

    def on_command(self, command: dict[str, Any]) -> None:
        """`/finnews ask`, `sources`, `summary` and `digest`, answered privately through the
        response_url."""
        verb, arg = replies.parse_command(command.get("text", ""))
        if verb == "add" and self.links and self._allowed(command):
            if self.rate.allow(command["user_id"]):
                return self.links.on_add(command)
            if not self.outbox.respond(command["response_url"], replies.SLOW_DOWN):
                self.outbox.whisper(command["channel_id"], command["user_id"], replies.SLOW_DOWN)
            return None
        wanted = verb in ("sources", "digest") or (verb in ("ask", "summary") and bool(arg))
        if not wanted or not self._allowed(command):
            return  # the ack said everything
        url, channel, user = command["response_url"], command["channel_id"], command["user_id"]
        try:
            if verb == "sources":
                sent = self.outbox.respond(url, replies.sources_text(self.finnews.stats()))
            elif not self.rate.allow(user):
                sent = self.outbox.respond(url, replies.SLOW_DOWN)
            elif verb in ("summary", "digest"):
                sent = self.outbox.respond(url, *on_demand(self.finnews, self.settings, verb, arg))
            else:
                answer, answer_id = self.finnews.ask(arg), secrets.token_hex(8)
                self.ledger.record(Entry(answer_id, arg, answer_prose(answer),
                                         blocks.answer_blocks(answer, answer_id), user, channel))
                sent = self.outbox.respond(url, blocks.fallback_text(answer),
                                           blocks.answer_blocks(answer, answer_id, shareable=True))
        except UsageError as exc:
            sent = self.outbox.respond(url, blocks.escape(str(exc)))
        except Exception:
            log.exception("answering /finnews %s failed", verb)
            sent = self.outbox.respond(url, replies.FAILED)
        if not sent:
            self.outbox.whisper(channel, user, replies.UNDELIVERED)

    def on_share(self, body: dict[str, Any]) -> None:
        """Post a private answer in the channel for everyone, then remove the private copy."""
        user, url = body["user"]["id"], body.get("response_url", "")
        try:
            entry = self.ledger.entry(body["actions"][0]["value"])
        except sqlite3.Error:
            log.exception("could not read an answer to share")
            entry = None
        if entry is not None and self.outbox.respond(url, blocks.notification(entry.answer),
                                                     blocks.shared(entry.blocks, user),
                                                     public=True):
            self.outbox.respond(url, "", delete=True)  # tidying up; the share itself is done
            return
        text = replies.GONE if entry is None else replies.UNDELIVERED
        if not self.outbox.respond(url, text):
            self.outbox.whisper(body["channel"]["id"], user, text)

    def on_vote(self, body: dict[str, Any]) -> None:
        """Store a helpful / not helpful vote and thank the voter privately."""
        action, user = body["actions"][0], body["user"]["id"]
        try:
            known = self.ledger.vote(action["value"], user, action["action_id"] == blocks.VOTE_UP)
            text = replies.THANKS if known else replies.GONE
        except sqlite3.Error:
            log.exception("could not store a vote")
            text = replies.FAILED
        if not self.outbox.respond(body.get("response_url", ""), text):
            self.outbox.whisper(body["channel"]["id"], user, text)

    def _question(self, event_id: str, event: dict[str, Any],
                  bot_id: str | None) -> Question | None:
        # Bots (this one included) carry a bot_id; edits, joins and the like carry a subtype.
        if event.get("bot_id") or event.get("subtype") not in PEOPLE or not event.get("user"):
            return None
        if event_id and not self.seen.claim(f"event:{event_id}"):
            return None  # a Slack retry of an event already taken
        channel, ts, thread = event["channel"], event["ts"], event.get("thread_ts")
        direct = event.get("channel_type") == "im"
        earlier = self._earlier(channel, thread) if thread else ()
        if not (event["type"] == "app_mention" or direct or earlier):
            return None  # channel chatter not addressed to the bot
        # A mention in a thread arrives both as app_mention and as message: answer it once.
        if not self.seen.claim(f"message:{channel}:{ts}"):
            return None
        text = blocks.question_text(event.get("text", ""), bot_id)
        return Question(channel, ts, thread or (None if direct else ts), event["user"], text,
                        direct, earlier)

    def _earlier(self, channel: str, thread: str) -> tuple[Entry, ...]:
        try:
            return tuple(self.ledger.thread(channel, thread))
        except sqlite3.Error:  # without its memory the bot still answers mentions and DMs
            log.exception("could not read the answers of a thread")
            return ()

    def _answer(self, q: Question) -> None:
        live = LiveAnswer(self.outbox, q.channel, q.thread, self.stream_interval)
        try:
            answer = self.finnews.ask(q.text, context=_context(q.earlier),
                                      on_progress=live.show if self.finnews.streams else None)
            answer_id = secrets.token_hex(8)
            shown = blocks.answer_blocks(answer, answer_id)
            posted = live.finish(blocks.fallback_text(answer), shown)
        except UsageError as exc:
            return self.outbox.say(q.channel, q.thread, blocks.escape(str(exc)))
        except Undelivered as exc:
            log.error("answer undelivered in %s: %s", q.channel, exc)
            return self.outbox.say(q.channel, q.thread, replies.UNDELIVERED)
        except Exception:
            log.exception("answering failed")
            return self.outbox.say(q.channel, q.thread, replies.FAILED)
        entry = Entry(answer_id, q.text, answer_prose(answer), shown, q.user, q.channel,
                      q.thread or q.ts, posted)
        try:
            self.ledger.record(entry)
        except sqlite3.Error:  # the answer is out; only follow-ups and votes lose it
            log.exception("could not record an answer")

    def _allowed(self, command: dict[str, Any]) -> bool:
        channel = command.get("channel_id", "")
        return self.allowlist.allows(channel, command.get("channel_name"),
                                     direct=channel.startswith("D"))


def _context(earlier: tuple[Entry, ...]) -> str:
    """The thread's last turns, without citation markers, for retrieval and scoring."""
    return "\n".join(f"{e.question}\n{MARKERS.sub('', e.answer)}" for e in earlier[-3:])
