"""`deals [company] [kind] [since]` asked for in a chat: the matching deals, newest first, each
with the article it was read from (the terminal's `finnews deals` lists them all)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.reports.periods import parse_when
from index.deals.store import DealStore
from index.deals.stories import amount_text, group
from index.errors import UsageError
from index.records import DEAL_KINDS

SHOWN = 100  # rows a chat reply carries at most; each platform shows what fits of them
MORE = "`finnews deals` in a terminal lists them all"


@dataclass(frozen=True)
class DealQuery:
    """Which deals: a company, a kind, a start date or period ('2026-10-01', '30d')."""

    company: str | None = None
    kind: str | None = None
    since: str | None = None


@dataclass(frozen=True)
class Source:
    """Another article reporting a listed deal, numbered like the first."""

    n: int
    title: str
    url: str | None
    outlet: str | None


@dataclass(frozen=True)
class DealRow:
    """One deal as a chat shows it, with its numbered source (its first report) and the other
    articles that reported the same deal."""

    n: int
    date: str  # YYYY-MM-DD, '' when the article is undated
    company: str
    kind: str
    amount: str  # 'USD 3.2 billion', '' when unknown
    title: str
    url: str | None
    outlet: str | None
    also: tuple[Source, ...] = ()
    parties: tuple[str, ...] = ()  # who led it, when stated


@dataclass(frozen=True)
class DealList:
    """The newest matching deals (at most SHOWN) and how many matched in all."""

    query: DealQuery
    rows: tuple[DealRow, ...]
    total: int


def parse_query(text: str, options: Sequence[tuple[str, str]] = ()) -> DealQuery:
    """Typed options (Discord) when given, else `[company words] [kind] [since]` as typed in
    Slack: a kind word and a trailing date or period are taken out, the rest is the company."""
    if options:
        given = {k: v.strip() for k, v in options if v.strip()}
        return DealQuery(given.get("company"), given.get("kind"), given.get("since"))
    words = text.split()
    since = words.pop() if words and _is_when(words[-1]) else None
    kind = next((w.lower() for w in words if w.lower() in DEAL_KINDS), None)
    if kind:
        words = [w for w in words if w.lower() != kind]
    return DealQuery(" ".join(words) or None, kind, since)


def _is_when(word: str) -> bool:
    try:
        return parse_when(word) is not None
    except UsageError:
        return False


def list_deals(store: DealStore, query: DealQuery, shown: int = SHOWN) -> DealList:
    """The deals matching `query`, newest first, one row per deal however many articles reported
    it (each of them cited). Raises UsageError for a bad kind or date."""
    if query.kind and query.kind not in DEAL_KINDS:
        raise UsageError(f"Unknown kind {query.kind!r}; use one of: {', '.join(DEAL_KINDS)}.")
    found = store.deals(query.company, query.kind, parse_when(query.since))
    infos = store.articles(list({d.article_id for d in found}))
    stories = list(reversed(group(found, infos)))
    rows, n = [], 0
    for story in stories[:shown]:
        assert story.deal is not None
        first, *others = story.articles
        n += 1
        also = []
        for other in others:
            n += 1
            also.append(Source(n, other.title, other.url, other.source))
        d = story.deal
        rows.append(
            DealRow(
                n - len(also),
                first.published_at.date().isoformat() if first.published_at else "",
                d.company,
                d.kind,
                amount_text(d.amount, d.currency),
                first.title,
                first.url,
                first.source,
                tuple(also),
                d.parties,
            )
        )
    return DealList(query, tuple(rows), len(stories))


def heading(deals: DealList) -> str:
    """'12 deals: Alibaba, bond, since 30d' or 'No deals match: …'."""
    q = deals.query
    what = ", ".join(x for x in (q.company, q.kind, q.since and f"since {q.since}") if x)
    if not deals.total:
        return f"No deals match{': ' + what if what else ''}."
    count = f"{deals.total:,} deal{'s' if deals.total != 1 else ''}"
    return f"{count}{': ' + what if what else ''}, newest first"


def rest_line(deals: DealList, shown: int) -> str | None:
    """The count of the deals not shown and where to see them, or None when all are shown."""
    hidden = deals.total - shown
    return f"… and {hidden:,} more; {MORE}." if hidden > 0 else None
