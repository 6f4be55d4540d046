"""Stories: the articles of several outlets that report one event, grouped so it is told once."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta

from index.deals.store import ArticleInfo, company_key
from index.records import Deal
from index.retrieval import lexical

WINDOW = timedelta(days=4)  # reports of one event arrive within a few days of each other
AMOUNT_TOLERANCE = 0.05  # "$3.2 billion" and "$3.18 billion" are one deal
TITLE_SIMILARITY = 0.6  # share of title terms in common that makes two headlines one story
SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))


@dataclass(frozen=True)
class Story:
    """One event and every article reporting it; `deal` merges what those articles say."""

    articles: tuple[ArticleInfo, ...]  # earliest first
    deal: Deal | None = None
    deals: tuple[Deal, ...] = ()

    @property
    def first(self) -> datetime | None:
        """When the event was first reported."""
        return next((a.published_at for a in self.articles if a.published_at), None)

    @property
    def title(self) -> str:
        """The headline of its first report."""
        return self.articles[0].title if self.articles else ""


def amount_text(amount: float | None, currency: str | None) -> str:
    """'USD 3.2 billion', '200 million', or '' when no amount is known."""
    if amount is None:
        return ""
    value, word = amount, ""
    for scale, name in SCALES:
        if amount >= scale:
            value, word = amount / scale, name
            break
    number = f"{value:,.2f}".rstrip("0").rstrip(".")
    return " ".join(x for x in (currency or "", number, word) if x)


def _near(a: datetime | None, b: datetime | None) -> bool:
    return a is None or b is None or abs(a - b) <= WINDOW


def _same_terms(a: Deal, b: Deal, when_a: datetime | None, when_b: datetime | None) -> bool:
    if a.kind != b.kind or not _near(when_a, when_b):
        return False
    if a.amount is None or b.amount is None:
        return True
    if a.currency and b.currency and a.currency != b.currency:
        return False
    return abs(a.amount - b.amount) <= AMOUNT_TOLERANCE * max(a.amount, b.amount)


def similar_titles(a: ArticleInfo, b: ArticleInfo) -> bool:
    """Near-duplicate headlines published close together (a syndicated or rewritten report)."""
    ta, tb = set(lexical.terms(a.title)), set(lexical.terms(b.title))
    if len(ta) < 3 or len(tb) < 3 or not _near(a.published_at, b.published_at):
        return False
    return len(ta & tb) / len(ta | tb) >= TITLE_SIMILARITY


class _Groups:
    """Union-find over item numbers."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)


def group(deals: Sequence[Deal], articles: dict[str, ArticleInfo]) -> list[Story]:
    """Stories of these deals (articles without a deal get none), earliest first; a deal
    reported by several articles, or an article repeated under another headline, counts once."""
    deals = [d for d in deals if d.article_id in articles]
    when = [articles[d.article_id].published_at for d in deals]
    groups = _Groups(len(deals))
    for members in _by_company(deals):
        for i, j in _close_pairs(members, when):
            if _same_terms(deals[i], deals[j], when[i], when[j]):
                groups.join(i, j)
    stories: dict[int, list[int]] = {}
    for i in range(len(deals)):
        stories.setdefault(groups.find(i), []).append(i)
    out = [_story([deals[i] for i in members], articles) for members in stories.values()]
    return sorted(out, key=lambda s: (s.first is None, s.first or datetime.min, s.title))


def _by_company(deals: Sequence[Deal]) -> list[list[int]]:
    """Deal numbers by kind and company, a name and its longer forms ('texaco', 'texaco
    canada') together: only deals within one of these lists can be one event."""
    names: dict[tuple[str, str], list[int]] = {}
    for i, d in enumerate(deals):
        names.setdefault((d.kind, company_key(d.company)), []).append(i)
    keys = sorted(names)
    links = _Groups(len(keys))
    for x, (kind, key) in enumerate(keys):
        at = bisect.bisect_left(keys, (kind, key + " "))
        while at < len(keys) and keys[at][0] == kind and keys[at][1].startswith(key + " "):
            links.join(x, at)
            at += 1
    classes: dict[int, list[int]] = {}
    for x, name in enumerate(keys):
        classes.setdefault(links.find(x), []).extend(names[name])
    return list(classes.values())


def _close_pairs(members: list[int], when: list[datetime | None]) -> Iterator[tuple[int, int]]:
    """Pairs of members reported within WINDOW of each other (an undated one pairs with all)."""
    undated = [i for i in members if when[i] is None]
    dated = sorted((i for i in members if when[i] is not None), key=lambda i: when[i])  # type: ignore[arg-type, return-value]
    for x, i in enumerate(undated):
        yield from ((i, j) for j in undated[x + 1 :] + dated)
    for x, i in enumerate(dated):
        for j in dated[x + 1 :]:
            if when[j] - when[i] > WINDOW:  # type: ignore[operator]
                break
            yield i, j


def _story(deals: list[Deal], articles: dict[str, ArticleInfo]) -> Story:
    ids = list(dict.fromkeys(d.article_id for d in deals))
    infos = sorted(
        (articles[i] for i in ids),
        key=lambda a: (a.published_at is None, a.published_at or datetime.min),
    )
    return Story(tuple(infos), merge(deals), tuple(deals))


def merge(deals: Sequence[Deal]) -> Deal:
    """One deal from several reports of it: the first report's, with gaps filled by the others."""
    merged = deals[0]
    for other in deals[1:]:
        gaps = {
            f.name: getattr(other, f.name)
            for f in fields(Deal)
            if getattr(merged, f.name) in (None, "") and getattr(other, f.name) not in (None, "")
        }
        merged = replace(merged, **gaps)
    return merged


def group_articles(infos: Sequence[ArticleInfo], stories: Sequence[Story] = ()) -> list[Story]:
    """Stories for articles with no deal: near-duplicate headlines are one story; an article
    whose headline matches a deal story's joins nothing new (it is already told there)."""
    told = [a for s in stories for a in s.articles]
    fresh = [a for a in infos if all(a.id != t.id and not similar_titles(a, t) for t in told)]
    groups = _Groups(len(fresh))
    for x, a in enumerate(fresh):
        for y in range(x + 1, len(fresh)):
            if similar_titles(a, fresh[y]):
                groups.join(x, y)
    members: dict[int, list[ArticleInfo]] = {}
    for x, a in enumerate(fresh):
        members.setdefault(groups.find(x), []).append(a)
    return [Story(tuple(m)) for m in members.values()]
