"""The conversation core every chat platform drives: who gets an answer, the answer itself,
thread follow-ups, commands, sharing and votes. Platforms convert; this decides."""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from bot.alerts.commands import Watchlist
from bot.answer.question import mentions, names_in
from bot.chat import replies
from bot.chat.guard import Allowlist, RateLimit, Seen
from bot.chat.ledger import Entry, Ledger
from bot.chat.live import LiveAnswer
from bot.chat.port import Place, Port, Private, Reply, Undelivered
from bot.core import Finnews
from bot.reports.deal_list import list_deals, parse_query
from bot.reports.requests import report
from index.errors import UsageError
from index.web.live import Live

log = logging.getLogger("finnews.chat")
MARKERS = re.compile(r"\s*\[\d+\]")


@dataclass(frozen=True)
class Message:
    """A message a platform delivered, in neutral terms."""

    delivery: str  # the platform's id of this delivery ('' if none): redeliveries repeat it
    channel: str
    id: str  # the message's own id
    thread: str | None  # the thread it was posted in, if any
    user: str
    text: str  # as the user typed it, the bot's mention removed
    direct: bool  # a direct message to the bot
    mentioned: bool  # the bot was mentioned


@dataclass(frozen=True)
class Command:
    """A `/finnews <verb> <arg>` request, answered privately."""

    verb: str
    arg: str
    user: str
    channel: str
    channel_name: str | None = None
    direct: bool = False
    options: tuple[tuple[str, str], ...] = ()  # typed options (Discord's), by name; () if typed


@dataclass(frozen=True)
class Rules:
    """Who may ask, and how often, on one platform."""

    channels: tuple[str, ...] = ()  # allowlist by id or name; empty: every channel
    per_minute: int = 20  # questions per user per minute; 0: no limit
    stream_interval: float = 1.0  # seconds between updates of an answer being written
    digest_days: int = 7
    digest_timezone: str = "UTC"
    platform: str = "chat"  # "slack" or "discord": names its dedupe keys and rate counts in
    # the shared database, and where watchlist alerts of this chat are posted


class Conversation:
    """The bot's behaviour in conversations, the same on every platform."""

    def __init__(
        self,
        finnews: Finnews,
        ledger: Ledger,
        port: Port,
        rules: Rules,
        live: Live | None = None,
        watchlist: Watchlist | None = None,
    ) -> None:
        self.finnews, self.ledger, self.port, self.rules = finnews, ledger, port, rules
        self.live = live  # `add` reads pages through it; None: not offered
        self.watchlist = watchlist  # `watch` edits the channel's watches; None: not offered
        self.seen = Seen(ledger.database)  # shared by every replica, like the ledger
        self.rate = RateLimit(ledger.database, rules.platform, rules.per_minute)
        self.allowlist = Allowlist(rules.channels)

    # --- messages: mentions, direct messages, follow-ups in the bot's threads ---

    def on_message(self, m: Message) -> None:
        """Answer a message addressed to the bot (or in a thread it answered in), once."""
        if m.delivery and not self._first(f"event:{m.delivery}"):
            return  # a redelivery of a message already taken
        earlier = self._earlier(m.channel, m.thread) if m.thread else ()
        if not (m.mentioned or m.direct or earlier):
            return  # chatter not addressed to the bot
        if not self._first(f"message:{m.channel}:{m.id}"):
            return  # one message delivered twice (a mention is also a message)
        place = Place(m.channel, m.thread or (None if m.direct else m.id))
        if not self.allowlist.allows(m.channel, direct=m.direct):
            return self.port.say(place, replies.NOT_HERE)
        if not self._allowed(m.user):
            return self.port.say(place, replies.SLOW_DOWN)
        if not m.text:
            return self.port.say(place, replies.EMPTY)
        self.port.working(place, m.id, on=True)
        try:
            self._answer(m, place, earlier)
        finally:
            self.port.working(place, m.id, on=False)

    def _first(self, key: str) -> bool:
        """Whether this replica is the first to take the key (on this platform)."""
        try:
            return self.seen.claim(f"{self.rules.platform}:{key}")
        except SQLAlchemyError:  # without the database, answering twice beats not answering
            log.exception("could not claim %s", key)
            return True

    def _allowed(self, user: str) -> bool:
        try:
            return self.rate.allow(user)
        except SQLAlchemyError:  # the limit protects the bot; an outage should not silence it
            log.exception("could not count a request")
            return True

    def _earlier(self, channel: str, thread: str) -> tuple[Entry, ...]:
        try:
            return tuple(self.ledger.thread(channel, thread))
        except SQLAlchemyError:  # without its memory the bot still answers mentions and DMs
            log.exception("could not read the answers of a thread")
            return ()

    def _answer(self, m: Message, place: Place, earlier: tuple[Entry, ...]) -> None:
        live = LiveAnswer(self.port, place, self.rules.stream_interval)
        try:
            answer = self.finnews.ask(
                m.text,
                context=thread_context(earlier),
                focus=thread_focus(earlier),
                on_progress=live.show if self.finnews.streams else None,
            )
            answer_id = secrets.token_hex(8)
            posted = live.finish(Reply(answer, answer_id))
        except UsageError as exc:
            return self.port.say(place, self.port.escape(str(exc)))
        except Undelivered as exc:
            log.error("answer undelivered in %s: %s", place.channel, exc)
            return self.port.say(place, replies.UNDELIVERED)
        except Exception:
            log.exception("answering failed")
            return self.port.say(place, replies.FAILED)
        entry = Entry(answer_id, m.text, answer, m.user, m.channel, place.thread or m.id, posted)
        try:
            self.ledger.record(entry)
        except SQLAlchemyError:  # the answer is out; only follow-ups and votes lose it
            log.exception("could not record an answer")

    # --- commands ---

    def allowed(self, c: Command) -> bool:
        """Whether the command's conversation may be answered in."""
        return self.allowlist.allows(c.channel, c.channel_name, direct=c.direct)

    def acknowledgement(self, c: Command) -> str | None:
        """What to say at once (within the platform's deadline); None: nothing to say yet."""
        if not self.allowed(c):
            return replies.NOT_HERE
        if c.verb == "help":
            return replies.HELP
        if c.verb in ("summary", "digest", "deals"):
            return replies.BUILDING if c.arg or c.verb == "digest" else replies.NO_TOPIC
        if c.verb == "ask":
            return replies.SEARCHING if c.arg else replies.EMPTY
        if c.verb == "add":
            url = replies.command_url(c.arg) if self.live else None
            return replies.ADDING.format(url=url) if url else replies.ADD_USAGE
        if c.verb == "watch" and self.watchlist is None:
            return replies.NO_WATCHES
        return None

    def on_command(self, c: Command, private: Private) -> None:
        """Carry out a command whose acknowledgement did not already say everything."""
        if not self.allowed(c):
            return
        if c.verb == "add":
            return self._add(c, private)
        if c.verb == "watch":
            return self._watch(c, private)
        needs_arg = c.verb in ("ask", "summary")
        if not (c.verb in ("sources", "digest", "deals") or (needs_arg and c.arg)):
            return  # the acknowledgement said everything
        try:
            if c.verb == "sources":
                sent = private.send(replies.sources_text(self.finnews.stats(), self.port.escape))
            elif not self._allowed(c.user):
                sent = private.send(replies.SLOW_DOWN)
            elif c.verb == "deals":
                query = parse_query(c.arg, c.options)
                sent = private.send(Reply(list_deals(self.finnews.deals, query)))
            elif c.verb in ("summary", "digest"):
                sent = private.send(
                    Reply(
                        report(
                            self.finnews,
                            c.verb,
                            c.arg,
                            self.rules.digest_days,
                            self.rules.digest_timezone,
                        )
                    )
                )
            else:
                answer, answer_id = self.finnews.ask(c.arg), secrets.token_hex(8)
                self.ledger.record(Entry(answer_id, c.arg, answer, c.user, c.channel))
                sent = private.send(Reply(answer, answer_id, shareable=True))
        except UsageError as exc:
            sent = private.send(self.port.escape(str(exc)))
        except Exception:
            log.exception("answering /finnews %s failed", c.verb)
            sent = private.send(replies.FAILED)
        if not sent:
            private.notice(replies.UNDELIVERED)

    def _add(self, c: Command, private: Private) -> None:
        """Read the page into the index; answer with its title and outlet, or why not."""
        if self.live is None:
            return  # not offered: the acknowledgement said so
        if not self._allowed(c.user):
            text = replies.SLOW_DOWN
        elif (url := replies.command_url(c.arg)) is None:
            return  # the acknowledgement showed how to use the command
        else:
            try:
                text = replies.added_text(url, self.live.add(url), self.port.escape)
            except Exception:
                log.exception("adding %s failed", url)
                text = replies.FAILED
        if not private.send(text):
            private.notice(text)

    def _watch(self, c: Command, private: Private) -> None:
        """`watch add|list|remove` on this conversation's watchlist (a DM's is the user's)."""
        if self.watchlist is None:
            return  # not offered: the acknowledgement said so
        try:
            text = self.watchlist.command(
                f"{self.rules.platform}:{c.channel}", c.arg, c.user, self.port.escape
            )
        except Exception:
            log.exception("/finnews watch failed")
            text = replies.FAILED
        if not private.send(text):
            private.notice(text)

    # --- buttons ---

    def on_share(self, answer_id: str, user: str, private: Private) -> None:
        """Post a private answer in the channel for everyone, then remove the private copy."""
        try:
            entry = self.ledger.entry(answer_id)
        except SQLAlchemyError:
            log.exception("could not read an answer to share")
            entry = None
        if entry is not None and private.send(
            Reply(entry.answer, entry.id, shared_by=user), public=True
        ):
            private.withdraw()  # tidying up; the share itself is done
            return
        text = replies.GONE if entry is None else replies.UNDELIVERED
        if not private.send(text):
            private.notice(text)

    def on_vote(self, answer_id: str, user: str, helpful: bool, private: Private) -> None:
        """Store a helpful / not helpful vote and thank the voter privately."""
        try:
            text = replies.THANKS if self.ledger.vote(answer_id, user, helpful) else replies.GONE
        except SQLAlchemyError:
            log.exception("could not store a vote")
            text = replies.FAILED
        if not private.send(text):
            private.notice(text)


def thread_context(earlier: tuple[Entry, ...]) -> str:
    """The thread's last turns, without citation markers, for retrieval and scoring."""
    return "\n".join(f"{e.question}\n{MARKERS.sub('', e.prose)}" for e in earlier[-3:])


def thread_focus(earlier: tuple[Entry, ...]) -> str:
    """The company the thread is about: the one its latest question naming a company named."""
    for entry in reversed(earlier):
        names = names_in(entry.question)
        if names:  # the first name its answer's articles speak of ("Halvorsen", not "Norwegian")
            cited = " ".join(p.text for p in entry.answer.passages)
            return next((n for n in names if mentions(cited, n)), names[0])
    return ""
