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
from bot.reports.digest import (
    KIND_NAMES,
    LARGEST,
    Digest,
    count_line,
    counted,
    deal_row,
    largest_title,
    more_line,
    nothing,
    purchase,
)
from bot.reports.summary import Summary
from index.deals.stories import Story
from index.records import Sentence

DISCORD_ROWS = LARGEST  # deals listed in a Discord digest; fewer when the message cannot hold them
QUOTE_LIMIT = 280  # characters of a top story's quoted sentence


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


def _acquisition_lines(d: Digest) -> list[str]:
    lines = []
    for s in d.acquisitions():
        assert s.deal is not None
        lines.append(
            f"• **{escape(s.deal.company)}**{escape(purchase(s.deal))} {_marks(d.cites(s))}"
        )
    return lines


def _digest_embeds(d: Digest, rows: int, per_kind: int) -> list[dict[str, Any]]:
    stories = d.largest(rows)
    top = (
        [(kind, picked[:per_kind]) for kind, picked in d.top() if kind != "acquisition"]
        if per_kind
        else []
    )
    quoted = [s for _, picked in top for s in picked]
    bought = d.acquisitions()
    table = "\n".join(_row(d, s) for s in stories)
    if more := more_line(d, len(stories)):
        table += f"\n{escape(more[0])}: `{more[1]}`"
    counts = f"{counted(d.articles, 'article')} · {counted(len(d.stories), 'deal')}\n" + escape(
        count_line(d)
    )
    title = escape(largest_title(d, len(stories)))
    embeds = [
        {
            "title": f"Financing digest: {d.period.label}"[:TITLE_LIMIT],
            "description": clip(
                f"{counts}\n\n**{title}**\n{table}" if stories else counts, DESCRIPTION_LIMIT
            ),
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
    if bought:
        fields.append(
            {
                "name": KIND_NAMES["acquisition"],
                "value": clip("\n".join(_acquisition_lines(d)), FIELD_LIMIT, " …"),
            }
        )
    if fields:
        embeds.append({"title": "Top stories", "fields": fields, "color": COLOR})
    ids = {a.id for s in stories + quoted + bought for a in s.articles}
    lines = [source_markdown(c) for c in d.citations if c.article_id in ids]
    if lines:
        embeds.append(
            {"title": "Sources", "description": fit_lines(lines, DESCRIPTION_LIMIT), "color": COLOR}
        )
    return embeds


def _headlines_message(d: Digest) -> Message:
    lines = [f"• {escape(s.title)} {_marks(d.cites(s))}" for s in d.headlines]
    sources = [source_markdown(c) for c in d.citations]
    return {
        "embeds": [
            {
                "title": f"Financing digest: {d.period.label}"[:TITLE_LIMIT],
                "description": clip(
                    escape(nothing(d)) + "\n" + "\n".join(lines), DESCRIPTION_LIMIT
                ),
                "color": COLOR,
            },
            {
                "title": "Sources",
                "description": fit_lines(sources, DESCRIPTION_LIMIT),
                "color": COLOR,
            },
        ],
        "allowed_mentions": NO_PINGS,
    }


def digest_message(d: Digest, max_rows: int = DISCORD_ROWS) -> Message:
    """The digest as one message: the largest deals that fit (with a count of the rest and the
    command that lists them), counts by kind, the most reported stories of each kind,
    acquisitions apart, and the sources; within 6,000 characters. A week without deals lists
    its financing headlines."""
    if d.empty:
        if d.headlines:
            return _headlines_message(d)
        return {"content": escape(nothing(d)), "allowed_mentions": NO_PINGS}
    rows, per_kind = min(len(d.financing), max_rows), 3
    embeds = _digest_embeds(d, rows, per_kind)
    while size(embeds) > EMBED_TOTAL and (rows or per_kind):
        if per_kind > 1 or per_kind and rows <= 5 or not rows:
            per_kind -= 1  # fewer quotes first: the table of the largest deals is the digest
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
