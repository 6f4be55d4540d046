"""The financing digest of a period: its deals, one line per story, every line cited."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files

from bot.answer.citations import Numbering
from bot.reports.periods import Period
from index.deals.frames import mentions_financing
from index.deals.store import DealStore
from index.deals.stories import Story, amount_text, group, group_articles
from index.records import DEAL_KINDS, FINANCING_KINDS, Citation, Deal, Sentence

TOP_PER_KIND = 3  # stories quoted under each kind
LARGEST = 10  # deals in the digest's table, largest first; the rest are counted
ACQUISITIONS = 5  # acquisitions listed apart
RATES_NOTE = "sizes compared in USD at fixed rates of 1 January 2025"
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
KIND_COUNTS = {
    "bond": ("bond or note issue", "bond and note issues"),
    "convertible": ("convertible", "convertibles"),
    "loan": ("loan or facility", "loans and facilities"),
    "offering": ("share offering", "share offerings"),
    "funding": ("funding round", "funding rounds"),
    "buyback": ("buyback", "buybacks"),
    "other": ("other financing", "other financings"),
    "acquisition": ("acquisition", "acquisitions"),
}
NOTHING = "No financing news this week"
UNREAD = "No deal could be read from this week's financing stories; the stories"


@dataclass(frozen=True)
class Digest:
    """A period's articles and deal stories, sources numbered in table order."""

    period: Period
    articles: int
    stories: tuple[Story, ...]  # one per distinct deal, earliest first
    citations: tuple[Citation, ...]
    headlines: tuple[Story, ...] = ()  # financing stories whose deal could not be read

    @property
    def empty(self) -> bool:
        """No deal was reported in the period."""
        return not self.stories

    @property
    def financing(self) -> list[Story]:
        """The stories of money raised (acquisitions are apart)."""
        return [s for s in self.stories if s.deal and s.deal.kind in FINANCING_KINDS]

    def largest(self, n: int = LARGEST) -> list[Story]:
        """The n largest financing deals, compared in USD at fixed rates (sizeless ones last,
        earliest first among equals)."""
        ranked = sorted(self.financing, key=lambda s: -(in_usd(s.deal) or -1.0) if s.deal else 1.0)
        return ranked[:n]

    def acquisitions(self, n: int = ACQUISITIONS) -> list[Story]:
        """The period's acquisitions with a price, largest first."""
        bought = [s for s in self.stories if s.deal and s.deal.kind == "acquisition"]
        return sorted(bought, key=lambda s: -(in_usd(s.deal) or 0.0) if s.deal else 0.0)[:n]

    def counts(self) -> list[tuple[str, int]]:
        """(kind, number of deals) for each kind reported, in DEAL_KINDS order."""
        kinds = Counter(s.deal.kind for s in self.stories if s.deal)
        return [(k, kinds[k]) for k in DEAL_KINDS if kinds[k]]

    def rest(self, shown: int) -> int:
        """Financing deals not in a table of `shown` rows."""
        return max(0, len(self.financing) - shown)

    def more_command(self) -> str:
        """The command that lists every deal of the period."""
        return (
            f"finnews deals --since {self.period.first.isoformat()}"
            f" --until {self.period.last.isoformat()}"
        )

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


@cache
def _rates() -> dict[str, float]:
    text = (files("bot.reports") / "usd_rates.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {code.strip(): float(rate) for code, rate in rows}


def in_usd(deal: Deal | None) -> float | None:
    """A deal's size in USD at the fixed rates (None without a size or a known currency)."""
    if deal is None or deal.amount is None:
        return None
    rate = _rates().get(deal.currency or "USD")
    return deal.amount * rate if rate is not None else None


def kind_count(kind: str, n: int) -> str:
    """'3 funding rounds', '1 bond or note'."""
    one, many = KIND_COUNTS[kind]
    return f"{n:,} {one if n == 1 else many}"


def citations_of(stories: Sequence[Story]) -> tuple[Citation, ...]:
    """One numbered citation per article, in the order the stories list them."""
    numbering = Numbering()
    for story in stories:
        for a in story.articles:
            numbering.number(a)
    return numbering.citations


def build(deals: DealStore, period: Period) -> Digest:
    """The digest of a period, from the deal store alone (no search, no Chroma scan); a period
    with no deal read lists its financing headlines instead."""
    found = deals.deals(since=period.since, until=period.until)
    articles = deals.articles(list(dict.fromkeys(d.article_id for d in found)))
    stories = tuple(group(found, articles))
    headlines: tuple[Story, ...] = ()
    if not stories:
        titled = [
            a
            for a in deals.articles_between(period.since, period.until)
            if mentions_financing(a.title)
        ]
        headlines = tuple(group_articles(titled)[:LARGEST])
    draft = Digest(period, 0, stories, (), headlines)
    # Sources numbered in the order a reader meets them: largest deals, acquisitions, the rest.
    shown = [*draft.largest(len(stories)), *draft.acquisitions(len(stories))]
    ordered = [*shown, *(s for s in stories if s not in shown)] if stories else list(headlines)
    return Digest(
        period,
        deals.count_articles(period.since, period.until),
        stories,
        citations_of(ordered),
        headlines,
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


def count_line(d: Digest) -> str:
    """'By kind: 4 funding rounds, 2 bond and note issues, 1 acquisition.'"""
    return "By kind: " + ", ".join(kind_count(k, n) for k, n in d.counts()) + "."


def largest_title(d: Digest, shown: int) -> str:
    """'Largest deals (sizes compared in USD at fixed rates of 1 January 2025)'."""
    what = "Largest deals" if d.rest(shown) else "Deals"
    return f"{what} ({RATES_NOTE})"


def more_line(d: Digest, shown: int) -> tuple[str, str] | None:
    """('… and 12 more', 'finnews deals --since 1987-03-02 --until 1987-03-08') for the deals a
    table of `shown` rows leaves out (each platform marks the command as code), None if none."""
    rest = d.rest(shown)
    return (f"… and {rest:,} more", d.more_command()) if rest else None


def purchase(deal: Deal) -> str:
    """What an acquisition bought, for its line after the buyer: ' buys Target Co for USD 5
    billion' ('' when the article names neither)."""
    target = f" buys {deal.target}" if deal.target else ""
    price = amount_text(deal.amount, deal.currency)
    return target + (f" for {price}" if price else "")


def nothing(d: Digest) -> str:
    """The line of an empty period: 'No financing news this week (...; 3 articles indexed).'"""
    if d.headlines:
        return f"{UNREAD} ({d.period.label}; {counted(d.articles, 'article')} indexed):"
    return f"{NOTHING} ({d.period.label}; {counted(d.articles, 'article')} indexed)."


def headline_cites(d: Digest, story: Story) -> tuple[int, ...]:
    """The citation numbers of a deal-less story's articles."""
    return d.cites(story)


def render_text(d: Digest) -> str:
    """The digest for a terminal: the largest deals, counts by kind, acquisitions apart, top
    stories by kind, numbered sources; a period without deals lists its financing headlines."""
    if d.empty:
        if not d.headlines:
            return nothing(d) + "\n"
        lines = [nothing(d)]
        lines += [f" • {s.title} {''.join(f'[{n}]' for n in d.cites(s))}" for s in d.headlines]
        return "\n".join([*lines, "", *_source_lines(d)]) + "\n"
    largest = d.largest()
    rows = [
        (*deal_row(s.deal, s), "".join(f"[{n}]" for n in d.cites(s))) for s in largest if s.deal
    ]
    head = ("company", "kind", "amount", "date", "sources")
    widths = [min(max(len(r[i]) for r in [head, *rows]), 40) for i in range(5)]
    line = lambda r: "  ".join(c[:40].ljust(w) for c, w in zip(r, widths, strict=True))  # noqa: E731
    out = [headline(d), count_line(d), ""]
    if rows:
        out += [largest_title(d, len(rows)), line(head), *(line(r).rstrip() for r in rows)]
        if more := more_line(d, len(rows)):
            out.append(f"{more[0]}: {more[1]}")
        out.append("")
    if bought := d.acquisitions():
        out.append(KIND_NAMES["acquisition"])
        for s in bought:
            assert s.deal is not None
            marks = "".join(f"[{n}]" for n in d.cites(s))
            out.append(f" • {s.deal.company}{purchase(s.deal)} {marks}")
        out.append("")
    for kind, stories in d.top():
        if kind == "acquisition":
            continue
        out.append(KIND_NAMES[kind])
        for s in stories:
            others = d.also(s)
            also = f" Also reported in {', '.join(f'[{n}]' for n in others)}." if others else ""
            out.append(f" • {d.quote(s).text} [{d.evidence_cite(s)}]{also}")
        out.append("")
    return "\n".join(out + _source_lines(d)) + "\n"


def _source_lines(d: Digest) -> list[str]:
    out = ["Sources"]
    for c in d.citations:
        where = ", ".join(
            x
            for x in (c.source, c.published_at.date().isoformat() if c.published_at else None)
            if x
        )
        out.append(f" [{c.n}] {c.title}" + (f" — {where}" if where else ""))
    return out
