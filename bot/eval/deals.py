"""Scoring extracted deals against hand labels: company + kind + amount precision and recall."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index.records import Article, Deal

AMOUNT_TOLERANCE = 0.005  # amounts within 0.5% match (labels round "about 12.2 mln")
_SUFFIXES = {
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "cos",
    "ltd",
    "limited",
    "plc",
    "llc",
    "lp",
    "nv",
    "sa",
    "ag",
    "ec",
    "group",
    "holdings",
    "holding",
    "the",
}


@dataclass(frozen=True)
class Expected:
    """A labelled deal: who, what kind, how much (None when the article gives no sum)."""

    company: str
    kind: str
    amount: float | None
    currency: str | None
    lead: tuple[str, ...] = ()  # the lead investors, arrangers or lenders the article names
    target: str | None = None  # the company bought, for an acquisition


@dataclass(frozen=True)
class Label:
    """One labelled article: where it is in the corpus and the deals a reader found in it."""

    file: str
    newid: int
    title: str
    deals: tuple[Expected, ...]
    split: str = "dev"  # "dev" labels shaped the rules; "heldout" ones were scored only


@dataclass
class Score:
    """Matches, misses and false positives over a labelled set, overall and per kind."""

    matched: list[tuple[Label, Expected, Deal]] = field(default_factory=list)
    missed: list[tuple[Label, Expected]] = field(default_factory=list)
    extra: list[tuple[Label, Deal]] = field(default_factory=list)

    def only(self, kinds: Iterable[str]) -> Score:
        """The part of the score about deals of these kinds."""
        keep = set(kinds)
        return Score(
            [m for m in self.matched if m[1].kind in keep],
            [m for m in self.missed if m[1].kind in keep],
            [x for x in self.extra if x[1].kind in keep],
        )

    def precision(self, kind: str | None = None) -> float:
        """Share of extracted deals (of a kind) that a label confirms."""
        tp = sum(1 for _, e, _ in self.matched if kind in (None, e.kind))
        fp = sum(1 for _, d in self.extra if kind in (None, d.kind))
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, kind: str | None = None) -> float:
        """Share of labelled deals (of a kind) that were extracted."""
        tp = sum(1 for _, e, _ in self.matched if kind in (None, e.kind))
        fn = sum(1 for _, e in self.missed if kind in (None, e.kind))
        return tp / (tp + fn) if tp + fn else 1.0


def load_labels(path: Path) -> list[Label]:
    """The labelled set from its JSON lines file."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            deals = tuple(
                Expected(
                    d["company"],
                    d["kind"],
                    d["amount"],
                    d["currency"],
                    tuple(d.get("lead") or ()),
                    d.get("target"),
                )
                for d in rec["deals"]
            )
            out.append(
                Label(rec["file"], int(rec["newid"]), rec["title"], deals, rec.get("split", "dev"))
            )
    return out


def parties_found(result: Score) -> tuple[int, int]:
    """(labelled lead parties the matched deals name, labelled lead parties of matched deals)."""
    found = wanted = 0
    for _, expected, deal in result.matched:
        for lead in expected.lead:
            wanted += 1
            found += any(same_company(lead, p) for p in deal.parties)
    return found, wanted


def company_key(name: str) -> tuple[str, ...]:
    """A company name as comparable words: case, punctuation, tickers and legal suffixes gone."""
    name = re.sub(r"<[^>]*>", " ", name.lower()).replace("&", " and ")
    words = re.sub(r"[^\w]+", " ", name.replace("'s ", " ")).split()
    while words and words[0] == "the":
        words = words[1:]
    while words and words[-1] in _SUFFIXES:
        words = words[:-1]
    return tuple(words)


def same_company(a: str, b: str) -> bool:
    """Equal once normalised, or one is the other's leading words ("BP", "BP International"); an
    apostrophe inside a name may be written or not ("McDonald's Corp", "McDonalds Corporation")."""
    return any(
        _leading_match(company_key(x), company_key(y))
        for x, y in ((a, b), (_joined(a), _joined(b)))
    )


def _joined(name: str) -> str:
    return re.sub(r"(?<=\w)['’]s\b", "s", name)


def _leading_match(ka: tuple[str, ...], kb: tuple[str, ...]) -> bool:
    if not ka or not kb:
        return False
    short, long = sorted((ka, kb), key=len)
    return long[: len(short)] == short


def matches(expected: Expected, deal: Deal) -> bool:
    """Company, kind and amount agree (both amounts absent, or within the tolerance)."""
    if expected.kind != deal.kind or not same_company(expected.company, deal.company):
        return False
    if expected.amount is None or deal.amount is None:
        return expected.amount is None and deal.amount is None
    return abs(expected.amount - deal.amount) <= AMOUNT_TOLERANCE * expected.amount


def score(
    labels: Iterable[Label], extract: Callable[[Article], list[Deal]], articles: dict[int, Article]
) -> Score:
    """Run the extractor over each labelled article and pair its deals one-to-one with labels."""
    result = Score()
    for label in labels:
        found = list(extract(articles[label.newid]))
        for expected in label.deals:
            hit = next((d for d in found if matches(expected, d)), None)
            if hit is None:
                result.missed.append((label, expected))
            else:
                found.remove(hit)
                result.matched.append((label, expected, hit))
        result.extra.extend((label, d) for d in found)
    return result
