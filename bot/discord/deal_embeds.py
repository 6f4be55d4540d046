"""A list of deals, or a watchlist alert, as a Discord message within its limits (pure)."""

from __future__ import annotations

from bot.alerts.alert import Alert
from bot.answer.render import cited_text
from bot.discord.embeds import (
    COLOR,
    DESCRIPTION_LIMIT,
    FIELD_LIMIT,
    NO_PINGS,
    SOURCE_TITLE,
    TITLE_LIMIT,
    Message,
    fit_lines,
    safe_url,
    source_markdown,
)
from bot.discord.markdown import clip, escape
from bot.reports.deal_list import DealList, DealRow, heading, rest_line

MORE_SOURCES = 3  # other reports of a deal cited in its line; the rest are counted


def deal_markdown(row: DealRow) -> str:
    """'• 2026-10-05 · **Alibaba** · bond · USD 3.2 billion · [1] Outlet', [1] linked."""
    title = row.title if len(row.title) <= SOURCE_TITLE else row.title[: SOURCE_TITLE - 1] + "…"
    url = safe_url(row.url)
    number = f"[\\[{row.n}\\]]({url})" if url else f"\\[{row.n}\\]"
    source = f"{number} {escape(row.outlet or title)}"
    for other in row.also[:MORE_SOURCES]:
        link = safe_url(other.url)
        mark = f"[\\[{other.n}\\]]({link})" if link else f"\\[{other.n}\\]"
        source += f", {mark} {escape(other.outlet or other.title[:40])}"
    if len(row.also) > MORE_SOURCES:
        source += f" and {len(row.also) - MORE_SOURCES} more"
    led = f"led by {escape(', '.join(row.parties))}" if row.parties else ""
    parts = [row.date, f"**{escape(row.company)}**", row.kind, escape(row.amount), led, source]
    return "• " + " · ".join(p for p in parts if p)


def deal_message(deals: DealList) -> Message:
    """One embed: the heading, as many of the newest deals as fit, and a count of the rest."""
    lines = [deal_markdown(r) for r in deals.rows]
    kept: list[str] = []
    for line in lines:
        more = rest_line(deals, len(kept) + 1) or ""
        if sum(len(x) + 1 for x in (*kept, line)) + len(more) + 1 > DESCRIPTION_LIMIT:
            break
        kept.append(line)
    more = rest_line(deals, len(kept))
    description = "\n".join([*kept, more] if more else kept)  # ours: its `code` stays
    embed = {"title": clip(escape(heading(deals)), TITLE_LIMIT), "color": COLOR}
    if description:
        embed["description"] = description
    return {"embeds": [embed], "components": [], "allowed_mentions": NO_PINGS}


def alert_message(a: Alert) -> Message:
    """A watchlist alert: the deal line or headline as the title, the cited sentences, the
    sources, and the hint to ask in its thread as the footer."""
    quotes = cited_text(a.quotes, escape)
    lines = [source_markdown(c) for c in a.sources]
    sources = fit_lines(lines, FIELD_LIMIT)
    embed = {
        "title": clip(escape(a.headline), TITLE_LIMIT),
        "description": clip(quotes, DESCRIPTION_LIMIT - 200),
        "color": COLOR,
        "fields": [
            {"name": "Sources", "value": sources or "—"},
            {"name": "Watching", "value": clip(escape(a.watch), FIELD_LIMIT)},
        ],
        "footer": {"text": clip(a.hint, 2048)},
    }
    return {"embeds": [embed], "components": [], "allowed_mentions": NO_PINGS}
