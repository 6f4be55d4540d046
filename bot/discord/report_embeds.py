"""Digests and summaries as Discord messages, within Discord's limits (pure functions)."""

from __future__ import annotations

from typing import Any

from bot.answer.render import cited, cited_text
from bot.discord.embeds import (
    COLOR,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL,
    FIELD_LIMIT,
    NO_PINGS,
    SOURCES_FLOOR,
    TITLE_LIMIT,
    Message,
    fit_lines,
    size,
    source_markdown,
)
from bot.discord.markdown import clip, escape
from bot.reports.digest import KIND_NAMES, Digest, counted, deal_row, nothing
from bot.reports.summary import Summary
from index.deals.stories import Story
from index.records import Sentence

DISCORD_ROWS = 20  # deals listed in a Discord digest; fewer when the message cannot hold them
QUOTE_LIMIT = 280  # characters of a top story's quoted sentence
MORE = "\n… and {n:,} more deal{s} (run `finnews digest` in a terminal for the full table)"


def _marks(numbers: tuple[int, ...]) -> str:
    return "".join(f"\\[{n}\\]" for n in numbers)


def _row(d: Digest, story: Story) -> str:
    assert story.deal is not None
    company, kind, amount, when = deal_row(story.deal, story)
    parts = [f"**{escape(company)}**", kind, escape(amount), escape(when), _marks(d.cites(story))]
    return "• " + " · ".join(p for p in parts if p)


def _quote(d: Digest, s: Story) -> str:
    quote, others = d.quote(s), d.also(s)
    also = f" Also in {_marks(others)}." if others else ""
    text = clip(escape(quote.text), QUOTE_LIMIT, " …")
    return "• " + cited(Sentence(text, quote.cites)) + also


def _digest_embeds(d: Digest, rows: int, per_kind: int) -> list[dict[str, Any]]:
    stories = [s for s in d.stories if s.deal][:rows]
    top = [(kind, picked[:per_kind]) for kind, picked in d.top()] if per_kind else []
    quoted = [s for _, picked in top for s in picked]
    table = "\n".join(_row(d, s) for s in stories)
    more = len(d.stories) - len(stories)
    if more:
        table += MORE.format(n=more, s="s" * (more != 1))
    counts = f"{counted(d.articles, 'article')} · {counted(len(d.stories), 'deal')}"
    embeds = [
        {
            "title": f"Financing digest: {d.period.label}"[:TITLE_LIMIT],
            "description": clip(f"{counts}\n\n**Deals**\n{table}", DESCRIPTION_LIMIT),
            "color": COLOR,
        }
    ]
    fields = [
        {
            "name": KIND_NAMES[kind],
            "value": clip("\n".join(_quote(d, s) for s in picked), FIELD_LIMIT, " …"),
        }
        for kind, picked in top
        if picked
    ]
    if fields:
        embeds.append({"title": "Top stories", "fields": fields, "color": COLOR})
    ids = {a.id for s in stories + quoted for a in s.articles}
    lines = [source_markdown(c) for c in d.citations if c.article_id in ids]
    if lines:
        embeds.append(
            {"title": "Sources", "description": fit_lines(lines, DESCRIPTION_LIMIT), "color": COLOR}
        )
    return embeds


def digest_message(d: Digest, max_rows: int = DISCORD_ROWS) -> Message:
    """The digest as one message: the first deals that fit (a count of the rest), the most
    reported stories of each kind, and the sources of both; within 6,000 characters."""
    if d.empty:
        return {"content": escape(nothing(d)), "allowed_mentions": NO_PINGS}
    rows, per_kind = min(len(d.stories), max_rows), 3
    embeds = _digest_embeds(d, rows, per_kind)
    while size(embeds) > EMBED_TOTAL and (rows or per_kind):
        if per_kind > 1 and rows <= 5 or not rows:
            per_kind -= 1  # fewer quotes once the table is short
        else:
            rows = max(0, min(rows - 1, int(rows * 0.8)))
        embeds = _digest_embeds(d, rows, per_kind)
    return {"embeds": embeds, "allowed_mentions": NO_PINGS}


def _brief(heading: str, sentences: tuple[Sentence, ...]) -> str:
    text = cited_text(sentences, escape)
    return f"**{escape(heading)}**\n{text}"


def summary_message(s: Summary) -> Message:
    """A summary: its stories (deals first) as long as they fit, then the sources they cite."""
    if s.empty:
        return {"content": escape(s.note), "allowed_mentions": NO_PINGS}
    title = f"Summary: {s.topic}"[:TITLE_LIMIT]
    room = min(DESCRIPTION_LIMIT, EMBED_TOTAL - SOURCES_FLOOR - len(title) - len("Sources"))
    parts, numbers = [escape(s.period_label)], set()
    for b in s.briefs:
        text = _brief(b.heading, b.sentences)
        if len(parts) > 1 and sum(len(p) + 2 for p in parts) + len(text) > room:
            break  # the first story is shown whatever its length (cut below)
        parts.append(text)
        numbers |= {n for x in b.sentences for n in x.cites}
    description = clip("\n\n".join(parts), room)
    lines = [source_markdown(c) for c in s.citations if c.n in numbers]
    left = min(DESCRIPTION_LIMIT, EMBED_TOTAL - len(title) - len(description) - len("Sources"))
    embeds = [
        {"title": title, "description": description, "color": COLOR},
        {"title": "Sources", "description": fit_lines(lines, left), "color": COLOR},
    ]
    return {"embeds": embeds, "allowed_mentions": NO_PINGS}
