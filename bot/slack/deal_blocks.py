"""A list of deals as Slack blocks: one line per deal, its source a numbered link."""

from __future__ import annotations

from bot.reports.deal_list import DealList, DealRow, heading, rest_line
from bot.slack.blocks import SECTION_LIMIT, Blocks, context, escape, link, section

SLACK_ROWS = 50  # deals listed in Slack; the rest are counted
TITLE_LIMIT = 120  # characters of a source's title in its line
MORE_SOURCES = 3  # other reports of a deal cited in its line; the rest are counted


def deal_mrkdwn(row: DealRow) -> str:
    """'• 2026-10-05 · *Alibaba* · bond · USD 3.2 billion · [1] Outlet', [1] linked."""
    title = row.title if len(row.title) <= TITLE_LIMIT else row.title[: TITLE_LIMIT - 1] + "…"
    source = f"{link(row.url, f'[{row.n}]')} {escape(row.outlet or title)}"
    for other in row.also[:MORE_SOURCES]:
        source += f", {link(other.url, f'[{other.n}]')} {escape(other.outlet or other.title[:40])}"
    if len(row.also) > MORE_SOURCES:
        source += f" and {len(row.also) - MORE_SOURCES} more"
    led = f"led by {escape(', '.join(row.parties))}" if row.parties else ""
    parts = [row.date, f"*{escape(row.company)}*", row.kind, escape(row.amount), led, source]
    return "• " + " · ".join(p for p in parts if p)


def deal_blocks(deals: DealList) -> Blocks:
    """The heading, the newest deals in sections that each fit, and a count of the rest."""
    blocks: Blocks = [section(f"*{escape(heading(deals))}*")]
    rows = deals.rows[:SLACK_ROWS]
    text = ""
    for line in map(deal_mrkdwn, rows):
        if text and len(text) + 1 + len(line) > SECTION_LIMIT:
            blocks.append(section(text))
            text = ""
        text = f"{text}\n{line}" if text else line
    if text:
        blocks.append(section(text))
    more = rest_line(deals, len(rows))
    return blocks + [context(more)] if more else blocks


def deal_fallback(deals: DealList) -> str:
    """The notification text: the heading alone."""
    return escape(heading(deals))
