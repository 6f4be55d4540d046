"""Yes/no questions about what named reports say: each report's own evidence, then yes or no
only when that evidence settles it (else the reply says it does not)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files

from bot.answer.citations import Numbering
from index.records import Answer, Passage, Sentence
from index.retrieval import lexical
from index.retrieval.lexical import LexicalIndex
from index.retrieval.query import find_period, outlet_spans
from index.retrieval.search import Filters
from index.text import sentences

Search = Callable[[str, int, Filters], list[Passage]]
MIN_CLAIM_TERMS = 3  # fewer content words than this: the clause only names its outlet
SIDE_DEPTH = 6  # passages searched in each named outlet
FOUND = 0.35  # share of a side's claim weight a sentence must hold to count as its evidence
SUPPORT = 0.4  # ... to count as stating the claim (a "yes" needs every side stated)
UNSETTLED = "The articles found do not settle this; what each report says:"
# Where one report's clause ends: the words that join the reports a question compares.
CUT = re.compile(
    r",\s+(?!\d)|;\s*|\s+(?:and|while|whereas|but|compared (?:to|with)|in contrast to|than)\s+",
    re.I,
)
DATE_NEXT = re.compile(
    r"^\s*(?:\w+\s+)?(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|"
    r"(?:that|this|the same) (?:date|day|time))",
    re.I,
)


@cache
def _words(name: str) -> tuple[str, ...]:
    text = (files("bot.answer") / "vocab" / f"{name}.txt").read_text(encoding="utf-8")
    entries = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(e for e in entries if e)


@cache
def _pattern(name: str) -> re.Pattern[str]:
    alts = (re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in _words(name))
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.I)


@dataclass(frozen=True)
class Side:
    """One report a question names: its clause, its outlet (lower-cased) and stated period."""

    text: str
    outlet: str
    since: int | None = None
    until: int | None = None


@dataclass(frozen=True)
class Evidence:
    """A side's best sentence in its outlet's articles, and how much of its claim it holds."""

    passage: Passage
    sentence: str
    coverage: float


@dataclass(frozen=True)
class Claims:
    """A yes/no question read as reports and the order it claims between them: (i, j) in
    `later` says report i came out after report j."""

    sides: tuple[Side, ...]
    later: tuple[tuple[int, int], ...] = ()
    relation: bool = False  # asks whether the reports agree, differ or changed


def read_claims(question: str, outlets: Sequence[str]) -> Claims | None:
    """The reports a yes/no question names (two or more outlet mentions), or None."""
    spans = outlet_spans(question, outlets)
    if len(spans) < 2:
        return None
    cuts, later, kept = [0], [], [spans[0]]
    for (_, end, outlet), (start, stop, following) in zip(spans, spans[1:], strict=False):
        gap = question[end:start]
        clause = list(CUT.finditer(gap))
        if not clause and outlet == following:
            continue  # one outlet named twice in a clause ("Engadget's ... Engadget readers")
        k = len(kept) - 1
        kept.append((start, stop, following))
        cuts.append(end + clause[-1].start() if clause else start)
        tail = gap[clause[-1].end() :] if clause else gap  # the words leading to report k+1
        later += _order(tail, k, k + 1)
    spans = kept
    relation = _pattern("relation").search(question) is not None
    rest = question[spans[0][0] :]
    if not (later or relation or _order(rest, 0, 1)):  # "After X reported ..., did Y ...?"
        later += _order(question[: spans[0][0]], 1, 0)
    cuts.append(len(question))
    sides = []
    for (a, b), (_, _, outlet) in zip(zip(cuts, cuts[1:], strict=False), spans, strict=True):
        since, until = find_period(question[a:b])
        sides.append(Side(question[a:b], outlet, since, until))
    if len(sides) < 2:
        return None
    return Claims(_with_claims(sides), tuple(later), relation)


def _with_claims(sides: list[Side]) -> tuple[Side, ...]:
    """A clause that names only its outlet ("Do Fortune and X both say ...", "as reported by
    TechCrunch") shares the claim of the clause after it (or before it, when last)."""
    own = [len(_claim_terms(side)) >= MIN_CLAIM_TERMS for side in sides]
    out = []
    for i, side in enumerate(sides):
        if not own[i]:
            donor = next((sides[j] for j in range(i + 1, len(sides)) if own[j]), None)
            donor = donor or next((sides[j] for j in range(i - 1, -1, -1) if own[j]), None)
            if donor is not None:
                side = Side(donor.text, side.outlet, donor.since, donor.until)
        out.append(side)  # kept in place: the order claims point at sides by position
    return tuple(out)


def _claim_terms(side: Side) -> list[str]:
    """The side's own words: not its outlet's, not framing or relation words, not numbers."""
    drop = set(lexical.terms(side.outlet)) | set(lexical.terms(" ".join(_words("claim_frame"))))
    text = _pattern("relation").sub(" ", side.text)
    return [t for t in lexical.terms(text) if t not in drop and not t.isdigit()]


def _order(tail: str, first: int, second: int) -> list[tuple[int, int]]:
    """The order a clause's connective claims between two reports ("X before Y reported"),
    not a date limit ("published before December 5")."""
    for name, pair in (("order_after", (first, second)), ("order_before", (second, first))):
        m = _pattern(name).search(tail)
        if m and not DATE_NEXT.match(tail[m.end() :]):
            return [pair]
    return []


def judge(
    question: str,
    claims: Claims,
    search: Search,
    lex: LexicalIndex,
    retrieved: Sequence[Passage] = (),
) -> Answer | None:
    """Yes or no when each report's evidence settles it, else the evidence and a plain "does
    not settle"; None when some report has no evidence at all (the caller quotes or refuses)."""
    found = [_evidence(side, search, lex) for side in claims.sides]
    evidence = [e for e in found if e is not None and e.coverage >= FOUND]
    if not evidence:
        return None
    if len(evidence) < len(found):
        return _reply(question, retrieved, UNSETTLED, evidence)
    dates = [e.passage.published_at for e in evidence]
    broken = [
        (i, j)
        for i, j in claims.later
        if dates[i] is not None and dates[j] is not None and not dates[i] > dates[j]
    ]
    if broken:
        first, second = (_name(claims.sides[k]) for k in broken[0])
        lead = f"No: the {first} article came out before the {second} one."
        return _reply(question, retrieved, lead, evidence)
    stated = all(e.coverage >= SUPPORT for e in evidence)
    denied = [
        k
        for k, (side, e) in enumerate(zip(claims.sides, evidence, strict=True))
        if e.coverage >= SUPPORT and _negated(side.text) and not _negated(e.sentence)
    ]
    if denied:
        lead = f"No: the {_name(claims.sides[denied[0]])} article says otherwise."
        return _reply(question, retrieved, lead, evidence)
    settled_order = claims.later and all(dates[i] and dates[j] for i, j in claims.later)
    if stated and (settled_order or not claims.relation):
        lead = "Yes: each report says what the question attributes to it."
        return _reply(question, retrieved, lead, evidence)
    return _reply(question, retrieved, UNSETTLED, evidence)


NEGATION = re.compile(
    r"\b(?:not|no|never|none|nothing|neither|nor|without|failed to)\b|n[’']t\b",
    re.I,
)
# "without mentioning X" says what a report leaves out, not that something did not happen
ABSENCE = re.compile(
    r"\b(?:without (?:\w+ing|any)|(?:do|does|did)(?: not|n[’']t) (?:mention|discuss|specify|"
    r"address|report|say)\w*)\b[^,;?]*",
    re.I,
)


def _negated(text: str) -> bool:
    """Whether a claim or sentence is put negatively (an odd number of negations)."""
    return len(NEGATION.findall(ABSENCE.sub(" ", text))) % 2 == 1


def _name(side: Side) -> str:
    return " ".join(w.capitalize() if w.islower() else w for w in side.outlet.split())


def _reply(
    question: str, retrieved: Sequence[Passage], lead: str, evidence: Sequence[Evidence]
) -> Answer:
    """The lead (the bot's verdict) and each report's sentence, cited; the passages shown are
    the question's own retrieved ones, then the evidence each outlet's search added."""
    numbering = Numbering()
    unique = {(e.passage.article_id, e.sentence): e for e in evidence}.values()
    body = [Sentence(e.sentence, numbering.numbers([e.passage])) for e in unique]
    head = Sentence(lead, tuple(n for s in body for n in s.cites))
    passages = tuple(dict.fromkeys([*retrieved, *(e.passage for e in evidence)]))
    return Answer(question, (head, *body), numbering.citations, passages)


def _evidence(side: Side, search: Search, lex: LexicalIndex) -> Evidence | None:
    """The sentence of the outlet's articles that holds most of the side's claim, from the
    articles of the date the side names when one of them holds enough of it."""
    weights = _claim_weights(side, lex)
    if not sum(weights.values()):
        return None
    everywhere = Filters(sources=(side.outlet,))
    if side.since is not None or side.until is not None:
        dated = Filters(_day(side.since), _day(side.until), (side.outlet,))
        best = _best(search(side.text, SIDE_DEPTH, dated), weights, _negated(side.text))
        if best is not None and best.coverage >= FOUND:
            return best
    return _best(search(side.text, SIDE_DEPTH, everywhere), weights, _negated(side.text))


def _day(stamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(stamp, UTC) if stamp is not None else None


def _best(
    passages: Sequence[Passage], weights: dict[str, float], negative: bool
) -> Evidence | None:
    """The sentence holding most of the claim; for a claim put negatively ("X did not ..."),
    the best one put negatively too when one holds enough of it."""
    total = sum(weights.values())
    found = [
        Evidence(passage, text, sum(w for t, w in weights.items() if t in got) / total)
        for passage in passages
        for text in sentences.split(passage.text)
        for got in [frozenset(lexical.terms(text))]
    ]
    alike = [e for e in found if e.coverage >= FOUND and _negated(e.sentence)] if negative else []
    return max(alike or found, key=lambda e: e.coverage, default=None)


def _claim_weights(side: Side, lex: LexicalIndex) -> dict[str, float]:
    """IDF weights of the side's claim terms."""
    return {t: lex.idf(t) for t in _claim_terms(side)}
