"""The financing digest of a period: its deals, one line per story, every line cited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from bot.answer.citations import Numbering
from bot.reports.periods import Period
from index.deals.store import DealStore
from index.deals.stories import Story, amount_text, group
from index.records import DEAL_KINDS, Citation, Deal, Sentence

TOP_PER_KIND = 3  # stories quoted under each kind; the table lists them all
KIND_NAMES = {
    "bond": "Bonds and notes",
    "convertible": "Convertibles",
    "loan": "Loans and credit facilities",
    "offering": "Share offerings and IPOs",
    "funding": "Funding rounds",
    "buyback": "Buybacks",
    "other": "Other financing",
    "acquisition": "Acquisitions (a price paid, not money raised)",
}
NOTHING = "No financing news this week"


@dataclass(frozen=True)
class Digest:
    """A period's articles and deal stories, sources numbered in table order."""

    period: Period
    articles: int
    stories: tuple[Story, ...]  # one per distinct deal, earliest first
    citations: tuple[Citation, ...]

    @property
    def empty(self) -> bool:
        """No deal was reported in the period."""
        return not self.stories

    @cached_property
    def _numbers(self) -> dict[str, int]:
        return {c.article_id: c.n for c in self.citations}

    def cites(self, story: Story) -> tuple[int, ...]:
        """The citation numbers of a story's articles."""
        return tuple(sorted(self._numbers[a.id] for a in story.articles))

    def evidence_cite(self, story: Story) -> int:
        """The number of the article the story's quoted sentence comes from."""
        assert story.deal is not None
        return self._numbers[story.deal.article_id]

    def quote(self, story: Story) -> Sentence:
        """The story's quoted sentence (its deal's evidence, spaces folded), cited."""
        assert story.deal is not None
        return Sentence(" ".join(story.deal.evidence.split()), (self.evidence_cite(story),))

    def also(self, story: Story) -> tuple[int, ...]:
        """The numbers of the story's other articles, besides the quoted one."""
        return tuple(n for n in self.cites(story) if n != self.evidence_cite(story))

    def top(self) -> list[tuple[str, list[Story]]]:
        """(kind, its most reported and largest stories), kinds in DEAL_KINDS order."""
        out, quoted = [], set()
        for kind in DEAL_KINDS:
            mine = [s for s in self.stories if s.deal and s.deal.kind == kind]
            mine.sort(key=lambda s: (-len(s.articles), -(s.deal.amount or 0) if s.deal else 0))
            picked = []
            for s in mine:  # two deals read from one sentence: quote it once
                said = (s.deal.article_id, s.deal.evidence) if s.deal else None
                if said not in quoted and len(picked) < TOP_PER_KIND:
                    quoted.add(said)
                    picked.append(s)
            if picked:
                out.append((kind, picked))
        return out


def citations_of(stories: Sequence[Story]) -> tuple[Citation, ...]:
    """One numbered citation per article, in the order the stories list them."""
    numbering = Numbering()
    for story in stories:
        for a in story.articles:
            numbering.number(a)
    return numbering.citations


def build(deals: DealStore, period: Period) -> Digest:
    """The digest of a period, from the deal store alone (no search, no Chroma scan)."""
    found = deals.deals(since=period.since, until=period.until)
    articles = deals.articles(list(dict.fromkeys(d.article_id for d in found)))
    stories = tuple(group(found, articles))
    return Digest(
        period, deals.count_articles(period.since, period.until), stories, citations_of(stories)
    )


def deal_row(deal: Deal, story: Story) -> tuple[str, str, str, str]:
    """(company, kind, amount, date) of a story's deal, as shown in the table."""
    when = story.first.date().isoformat() if story.first else ""
    return deal.company, deal.kind, amount_text(deal.amount, deal.currency), when


def counted(n: int, noun: str) -> str:
    """'1 article', '412 articles'."""
    return f"{n:,} {noun}{'s' * (n != 1)}"


def headline(d: Digest) -> str:
    """'Financing digest, 2 to 8 March 1987: 412 articles, 37 deals'."""
    return (
        f"Financing digest, {d.period.label}: {counted(d.articles, 'article')}, "
        f"{counted(len(d.stories), 'deal')}"
    )


def nothing(d: Digest) -> str:
    """The line of an empty period: 'No financing news this week (...; 3 articles indexed).'"""
    return f"{NOTHING} ({d.period.label}; {counted(d.articles, 'article')} indexed)."


def render_text(d: Digest) -> str:
    """The digest for a terminal: table, top stories by kind, numbered sources."""
    if d.empty:
        return nothing(d) + "\n"
    rows = [
        (*deal_row(s.deal, s), "".join(f"[{n}]" for n in d.cites(s))) for s in d.stories if s.deal
    ]
    head = ("company", "kind", "amount", "date", "sources")
    widths = [min(max(len(r[i]) for r in [head, *rows]), 40) for i in range(5)]
    line = lambda r: "  ".join(c[:40].ljust(w) for c, w in zip(r, widths, strict=True))  # noqa: E731
    out = [headline(d), "", line(head), *(line(r).rstrip() for r in rows), ""]
    for kind, stories in d.top():
        out.append(KIND_NAMES[kind])
        for s in stories:
            others = d.also(s)
            also = f" Also reported in {', '.join(f'[{n}]' for n in others)}." if others else ""
            out.append(f" • {d.quote(s).text} [{d.evidence_cite(s)}]{also}")
        out.append("")
    out.append("Sources")
    for c in d.citations:
        where = ", ".join(
            x
            for x in (c.source, c.published_at.date().isoformat() if c.published_at else None)
            if x
        )
        out.append(f" [{c.n}] {c.title}" + (f" — {where}" if where else ""))
    return "\n".join(out) + "\n"
