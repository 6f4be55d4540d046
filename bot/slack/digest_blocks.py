"""Digests and summaries as Slack Block Kit messages, within Slack's limits (pure functions)."""

from __future__ import annotations

from typing import Any

from bot.answer.render import cited, cited_text
from bot.reports.digest import (
    KIND_NAMES,
    LARGEST,
    Digest,
    count_line,
    counted,
    deal_row,
    headline,
    largest_title,
    more_line,
    nothing,
    purchase,
)
from bot.reports.summary import Summary
from bot.slack.blocks import (
    BLOCK_LIMIT,
    Blocks,
    context,
    escape,
    notification,
    section,
    source_mrkdwn,
    split_text,
)
from index.deals.stories import Story
from index.records import Citation, Sentence


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


def _top(d: Digest) -> Blocks:
    out: Blocks = []
    for kind, stories in d.top():
        if kind == "acquisition":
            continue  # listed apart, with their targets
        lines = [f"*{KIND_NAMES[kind]}*"]
        for s in stories:
            if s.deal is None:
                continue
            quote, others = d.quote(s), d.also(s)
            also = f" Also in {_marks(others)}." if others else ""
            lines.append("• " + cited(Sentence(escape(quote.text), quote.cites)) + also)
        if len(lines) > 1:
            out += _sections("\n".join(lines))
    return out


def _acquisitions(d: Digest) -> Blocks:
    lines = []
    for s in d.acquisitions():
        assert s.deal is not None
        lines.append(f"• *{escape(s.deal.company)}*{escape(purchase(s.deal))} {_marks(d.cites(s))}")
    return _sections(f"*{KIND_NAMES['acquisition']}*\n" + "\n".join(lines)) if lines else []


def _digest_blocks(d: Digest, rows: int) -> Blocks:
    stories = d.largest(rows)
    bought = d.acquisitions()
    quoted = [s for kind, top in d.top() if kind != "acquisition" for s in top]
    cited_ids = {a.id for s in stories + quoted + bought for a in s.articles}
    table = "\n".join(_row(d, s) for s in stories)
    if more := more_line(d, len(stories)):
        table += f"\n{escape(more[0])}: `{more[1]}`"
    sources = "\n".join(source_mrkdwn(c) for c in d.citations if c.article_id in cited_ids)
    return (
        [
            header(f"Financing digest: {d.period.label}"),
            context(
                f"{counted(d.articles, 'article')} · {counted(len(d.stories), 'deal')} · "
                + escape(count_line(d))
            ),
        ]
        + (_sections(f"*{escape(largest_title(d, len(stories)))}*\n" + table) if stories else [])
        + _acquisitions(d)
        + _top(d)
        + (_sections("*Sources*\n" + sources) if sources else [])
    )


def _headlines(d: Digest) -> Blocks:
    lines = [f"• {escape(s.title)} {_marks(d.cites(s))}" for s in d.headlines]
    sources = "\n".join(source_mrkdwn(c) for c in d.citations)
    return _sections(escape(nothing(d)) + "\n" + "\n".join(lines)) + _sections(
        "*Sources*\n" + sources
    )


def digest_blocks(d: Digest, max_rows: int = LARGEST) -> Blocks:
    """The digest as one message: the largest deals (at most `max_rows`, fewer if 50 blocks
    cannot hold them) with a count of the rest and the command that lists them, counts by kind,
    acquisitions apart, top stories; a week without deals lists its financing headlines."""
    if d.empty:
        return _headlines(d)[:BLOCK_LIMIT] if d.headlines else [section(escape(nothing(d)))]
    rows = min(len(d.financing), max_rows)
    blocks = _digest_blocks(d, rows)
    while len(blocks) > BLOCK_LIMIT and rows > 0:
        rows = max(0, min(rows - 1, int(rows * 0.85)))  # fewer rows: fewer sources too
        blocks = _digest_blocks(d, rows)
    return blocks[:BLOCK_LIMIT]


def digest_fallback(d: Digest) -> str:
    """The notification text of a digest."""
    return notification(nothing(d) if d.empty else headline(d))


def _sources(citations: tuple[Citation, ...]) -> Blocks:
    lines = "\n".join(source_mrkdwn(c) for c in citations)
    return _sections("*Sources*\n" + lines) if lines else []


def summary_blocks(s: Summary) -> Blocks:
    """A summary: one section per story (deals first), then its sources; at most 50 blocks."""
    if s.empty:
        return [section(escape(s.note))]
    body: Blocks = [header(f"Summary: {s.topic}"[:150]), context(escape(s.period_label))]
    for brief in s.briefs:
        text = cited_text(brief.sentences, escape)
        body += _sections(f"*{escape(brief.heading)}*\n{text}")
    tail = _sources(s.citations)
    return (body[: BLOCK_LIMIT - len(tail)] + tail)[:BLOCK_LIMIT]


def summary_fallback(s: Summary) -> str:
    """The notification text of a summary."""
    return notification(s.note if s.empty else f"Summary: {s.topic} ({s.period_label})")
