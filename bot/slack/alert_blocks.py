"""A watchlist alert as a Slack message: the deal line or headline, its cited sentences, the
sources and the hint to reply in its thread (pure functions; article text escaped)."""

from __future__ import annotations

from bot.alerts.alert import Alert
from bot.answer.render import cited_text
from bot.slack.blocks import Blocks, context, escape, section, source_mrkdwn, split_text

MAX_SOURCES = 20  # a story reported by more outlets lists the first ones and counts the rest


def alert_blocks(a: Alert) -> Blocks:
    """Header line, quotes, sources, hint: a handful of blocks, each within 3,000 characters."""
    lines = [source_mrkdwn(c) for c in a.sources[:MAX_SOURCES]]
    if len(a.sources) > MAX_SOURCES:
        lines.append(f"… and {len(a.sources) - MAX_SOURCES} more sources")
    blocks = [section(f":bell: *{escape(a.headline)}*\nWatching: {escape(a.watch)}")]
    blocks += [section(p) for p in split_text(cited_text(a.quotes, escape))[:3]]
    blocks += [section(p) for p in split_text("*Sources*\n" + "\n".join(lines))[:3]]
    blocks.append(context(escape(a.hint)))
    return blocks


def alert_fallback(a: Alert) -> str:
    """The notification text."""
    return escape(f"{a.watch}: {a.headline}")
