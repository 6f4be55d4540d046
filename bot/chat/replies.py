"""The bot's fixed replies in every chat, and how `/finnews` text is read."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core import Stats
    from index.web.live import Added

FAILED = "Sorry, something went wrong while I was answering. Please try again in a minute."
UNDELIVERED = "Sorry, my answer could not be delivered just now. Please ask again in a minute."
SLOW_DOWN = (
    "You are asking faster than I can keep up with. Please wait a minute before the next question."
)
NOT_HERE = (
    "I am not enabled in this channel. Ask me in a direct message "
    "or in one of the channels I am enabled in."
)
EMPTY = "What would you like to know? For example: _Which companies issued convertible bonds?_"
SEARCHING = "Looking through the archive…"
BUILDING = "Putting it together…"
NO_TOPIC = "Which company or topic? For example: `/finnews summary Alibaba 30d`"
THANKS = "Thanks, your feedback is noted."
GONE = "Sorry, I no longer have that answer. Please ask again."
HELP = """*finnews* answers questions about company financing news, citing the articles.
• Mention me in a channel, or send me a direct message, with a question. \
Reply in my thread to ask a follow-up.
• `/finnews ask <question>`: a private answer you can share in the channel
• `/finnews summary <company or topic> [30d | 2026-10 | 2026-10-01..2026-10-31]`: \
a short briefing, story by story, deals first
• `/finnews deals [company] [kind] [2026-10-01 | 30d]`: the financing deals read from the \
articles, newest first (kinds: bond, convertible, loan, offering, funding, buyback, other)
• `/finnews digest [YYYY-MM-DD] [7d]`: the financing digest of the week (or the days) \
ending on that day (default: yesterday)
• `/finnews sources`: what is indexed
• `/finnews add <article URL>`: add an article to the index
• `/finnews watch add <company or topic>`, `watch list`, `watch remove <...>`: this \
channel's watchlist (a DM's is yours); new deals and stories about it are posted here
• `/finnews help`: this message"""

WRITING = "_Still writing… each sentence is shown once its citations and figures check out._"
VERBS = ("ask", "summary", "digest", "deals", "sources", "help", "add", "watch")
NO_WATCHES = "Watchlists are not set up on this bot."
ADD_USAGE = "Give the address of an article: `/finnews add https://…`"
ADDING = "Reading {url} …"
URL = re.compile(r"https?://\S+")
Escape = Callable[[str], str]  # makes text from articles inert in a platform's markup


def parse_command(text: str) -> tuple[str, str]:
    """(verb, rest) of `/finnews` text; text without a known verb is a question."""
    words = text.strip()
    head, _, rest = words.partition(" ")
    if not words:
        return "help", ""
    if head.lower() in VERBS:
        return head.lower(), rest.strip()
    return "ask", words


def command_url(text: str) -> str | None:
    """The address `add` was given, if the text is one."""
    return text.strip() if URL.fullmatch(text.strip()) else None


def sources_text(stats: Stats, escape: Escape, top: int = 15) -> str:
    """What is indexed: counts, date range and the main outlets."""
    if not stats.articles:
        return "Nothing is indexed yet. Ask whoever runs me to ingest some articles."
    lines = [
        f"*{stats.articles:,} articles* ({stats.chunks:,} passages) "
        f"from {len(stats.outlets):,} outlets"
    ]
    if stats.first and stats.last:
        lines.append(
            f"Published {stats.first.date().isoformat()} to {stats.last.date().isoformat()}"
        )
    for name, n in list(stats.outlets.items())[:top]:
        lines.append(f"• {escape(name)}: {n:,}")
    if len(stats.outlets) > top:
        lines.append(f"• … and {len(stats.outlets) - top:,} more")
    return "\n".join(lines)


def added_text(url: str, added: Added, escape: Escape) -> str:
    """The private reply to `add`: the article's title and outlet, or why not."""
    where = f"*{escape(added.title)}* ({escape(added.source or 'unknown outlet')})"
    if added.status == "skipped":
        return f"Not added: {escape(url)}: {escape(added.reason)}"
    if added.status == "linked":
        return f"Same text as {where}, which is already indexed; this address is linked to it."
    if added.status == "unchanged":
        return f"Already indexed: {where}"
    return f"{'Added' if added.status == 'added' else 'Updated'}: {where}"
