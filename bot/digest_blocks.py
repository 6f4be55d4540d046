"""Digests and summaries as Slack Block Kit messages, within Slack's limits (pure functions)."""

from __future__ import annotations

from typing import Any

from bot.blocks import (
    BLOCK_LIMIT,
    context,
    escape,
    notification,
    section,
    source_mrkdwn,
    split_text,
)
from bot.digest import KIND_NAMES, NOTHING, Digest, deal_row, headline
from bot.render import cited
from bot.summary import Summary
from index.records import Citation, Sentence
from index.stories import Story

Blocks = list[dict[str, Any]]


def header(text: str) -> dict[str, Any]:
    """A header block (plain text, at most 150 characters)."""
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": False}}


def _sections(text: str) -> Blocks:
    return [section(piece) for piece in split_text(text)]


def _marks(numbers: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _row(d: Digest, story: Story) -> str:
    assert story.deal is not None
    company, kind, amount, when = deal_row(story.deal, story)
    parts = [f"*{escape(company)}*", kind, escape(amount), when, _marks(d.cites(story))]
    return "• " + " · ".join(p for p in parts if p)


def _top(d: Digest, shown: set[int]) -> Blocks:
    out: Blocks = []
    for kind, stories in d.top():
        lines = [f"*{KIND_NAMES[kind]}*"]
        for s in stories:
            if id(s) not in shown or s.deal is None:
                continue
            others = [n for n in d.cites(s) if n != d.evidence_cite(s)]
            also = f" Also in {_marks(tuple(others))}." if others else ""
            lines.append("• " + cited(Sentence(escape(s.deal.evidence), (d.evidence_cite(s),)))
                         + also)
        if len(lines) > 1:
            out += _sections("\n".join(lines))
    return out


def _digest_blocks(d: Digest, rows: int) -> Blocks:
    stories = [s for s in d.stories if s.deal][:rows]
    shown = {id(s) for s in stories}
    cited_ids = {a.id for s in stories for a in s.articles}
    table = "\n".join(_row(d, s) for s in stories)
    more = len(d.stories) - len(stories)
    if more:
        table += (f"\n… and {more:,} more deal{'s' * (more != 1)} "
                  "(run `finnews digest` in a terminal for the full table)")
    sources = "\n".join(source_mrkdwn(c) for c in d.citations if c.article_id in cited_ids)
    return ([header(f"Financing digest: {d.period.label}"),
             context(f"{d.articles:,} articles · {len(d.stories):,} deals")]
            + _sections("*Deals*\n" + table) + _top(d, shown)
            + (_sections("*Sources*\n" + sources) if sources else []))


def digest_blocks(d: Digest) -> Blocks:
    """The digest as one message: as many table rows as fit in 50 blocks, the rest counted."""
    if d.empty:
        return [section(f"{NOTHING} ({escape(d.period.label)}; "
                        f"{d.articles:,} articles indexed).")]
    rows = len(d.stories)
    blocks = _digest_blocks(d, rows)
    while len(blocks) > BLOCK_LIMIT and rows > 0:
        rows = max(0, min(rows - 1, int(rows * 0.85)))  # fewer rows: fewer sources too
        blocks = _digest_blocks(d, rows)
    return blocks[:BLOCK_LIMIT]


def digest_fallback(d: Digest) -> str:
    """The notification text of a digest."""
    return notification(f"{NOTHING} ({d.period.label})." if d.empty else headline(d))


def _sources(citations: tuple[Citation, ...]) -> Blocks:
    lines = "\n".join(source_mrkdwn(c) for c in citations)
    return _sections("*Sources*\n" + lines) if lines else []


def summary_blocks(s: Summary) -> Blocks:
    """A summary: one section per story (deals first), then its sources; at most 50 blocks."""
    if s.empty:
        return [section(escape(s.note))]
    body: Blocks = [header(f"Summary: {s.topic}"[:150]), context(escape(s.period_label))]
    for brief in s.briefs:
        text = " ".join(cited(Sentence(escape(x.text), x.cites)) for x in brief.sentences)
        body += _sections(f"*{escape(brief.heading)}*\n{text}")
    tail = _sources(s.citations)
    return (body[: BLOCK_LIMIT - len(tail)] + tail)[:BLOCK_LIMIT]


def summary_fallback(s: Summary) -> str:
    """The notification text of a summary."""
    return notification(s.note if s.empty else f"Summary: {s.topic} ({s.period_label})")
