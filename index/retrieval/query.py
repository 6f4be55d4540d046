"""Question analysis: outlets and periods a question names, used as filters or boosts."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from index.text.dates import MONTHS

MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY_DATE = re.compile(
    MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)", re.I
)
MONTH_DATE = re.compile(MONTH + r",?\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)", re.I)
MONTH_START = re.compile(MONTH, re.I)
ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
YEAR = re.compile(r"\b(?:in|during|of|throughout)\s+(?P<year>(?:19|20)\d\d)\b", re.I)
BEFORE = re.compile(r"\b(?:before|prior to|until|by)\s+$", re.I)
AFTER = re.compile(r"\b(?:after|since|following|from)\s+$", re.I)


@dataclass(frozen=True)
class Part:
    """A clause of a question that names its own outlet or date ("the report from X on <date>
    about Y"): multi-source questions need evidence for each such clause."""

    text: str
    outlets: tuple[str, ...] = ()
    since: int | None = None
    until: int | None = None


@dataclass(frozen=True)
class Plan:
    """What a question names besides its words: outlets (lower-cased) and a period."""

    outlets: tuple[str, ...] = ()
    since: int | None = None  # epoch seconds
    until: int | None = None
    parts: tuple[Part, ...] = ()  # the clauses that each name an outlet or a date

    @property
    def has_period(self) -> bool:
        """Whether the question names a time."""
        return self.since is not None or self.until is not None


def aliases(outlet: str) -> set[str]:
    """Ways a question may name an outlet: 'The Verge' -> {'The Verge', 'Verge'};
    'Cnbc | World Business News Leader' -> also 'Cnbc'; 'CBSSports.com' -> also 'CBSSports'."""
    name = outlet.strip()
    found = {name}
    head = re.split(r"\s+[|\-–—:]\s+", name)[0]
    for form in (name, head):
        bare = re.sub(r"\.(com|org|net|co\.uk|io|news)$", "", form, flags=re.I)
        found |= {form, bare}
        if bare.lower().startswith("the "):
            found.add(bare[4:])
    return {a for a in found if len(a) >= 3}


@lru_cache(maxsize=8)
def _outlet_patterns(outlets: tuple[str, ...]) -> list[tuple[re.Pattern[str], str]]:
    """One compiled pattern per outlet, longest alias first (compiled once per outlet set)."""
    out = []
    for outlet in outlets:
        names = sorted(aliases(outlet), key=len, reverse=True)
        alternatives = "|".join(re.escape(a) for a in names)
        pattern = re.compile(r"(?<![\w.])(?:" + alternatives + r")(?![\w])", re.I)
        out.append((pattern, outlet.lower()))
    return out


def outlet_spans(question: str, outlets: Iterable[str]) -> list[tuple[int, int, str]]:
    """Where outlets are named: (start, end, outlet lower-cased); any letter case, but written
    as a name (capitalised); the longest name wins where two overlap."""
    found = [
        (m.start(), m.end(), outlet)
        for pattern, outlet in _outlet_patterns(tuple(outlets))
        for m in pattern.finditer(question)
        if m.group()[0].isupper() or not m.group()[0].isalpha()
    ]
    kept: list[tuple[int, int, str]] = []
    for span in sorted(found, key=lambda s: (s[0], -s[1])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def find_outlets(question: str, outlets: Iterable[str]) -> tuple[str, ...]:
    """Outlets named in the question."""
    return tuple(sorted({o for _, _, o in outlet_spans(question, outlets)}))


def _span(year: int, month: int | None = None, day: int | None = None) -> tuple[datetime, datetime]:
    if day:
        start = datetime(year, month or 1, day, tzinfo=UTC)
        return start, start + timedelta(days=1)
    if month:
        last = calendar.monthrange(year, month)[1]
        start = datetime(year, month, 1, tzinfo=UTC)
        return start, start + timedelta(days=last)
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def find_period(question: str) -> tuple[int | None, int | None]:
    """The period a question names as (since, until) epoch seconds; (None, None) if none."""
    spans: list[tuple[int, int, datetime, datetime]] = []
    for pattern in (DAY_DATE, ISO_DATE, MONTH_DATE, YEAR):
        for m in pattern.finditer(question):
            if any(s <= m.start() < e for s, e, _, _ in spans):
                continue
            parts = m.groupdict()
            month = parts.get("month")
            month_n = int(month) if month and month.isdigit() else MONTHS.get((month or "").lower())
            try:
                day = int(parts["day"]) if parts.get("day") else None
                start, end = _span(int(parts["year"]), month_n, day)
            except ValueError:
                continue
            spans.append((m.start(), m.end(), start, end))
    if not spans:
        return None, None
    since = min(s for _, _, s, _ in spans)
    until = max(e for _, _, _, e in spans)
    head = question[: min(p for p, _, _, _ in spans)]
    if BEFORE.search(head):
        return None, int(since.timestamp())
    if AFTER.search(head):
        return int(since.timestamp()), None
    return int(since.timestamp()), int(until.timestamp()) - 1


# Where one clause of a question ends and the next begins: commas (not the one inside a date)
# and the conjunctions that join the reports a multi-source question compares.
CLAUSE = re.compile(
    r",\s+(?!\d)|;\s*|\s+(?:and|while|whereas|but|compared (?:to|with)|versus|"
    r"vs\.?|with)\s+",
    re.I,
)


def find_parts(question: str, outlets: Iterable[str]) -> tuple[Part, ...]:
    """The question cut into clauses that each name an outlet or a date; a clause naming
    neither belongs to the one before it (its subject is that clause's report)."""
    named = outlet_spans(question, outlets)
    inside = [(s, e) for s, e, _ in named]
    cuts = [m for m in CLAUSE.finditer(question) if not any(s <= m.start() < e for s, e in inside)]
    bounds = [0] + [m.end() for m in cuts] + [len(question)]
    parts: list[Part] = []
    lead = ""  # clauses before the first that names anything: they belong to it
    for start, end in zip(bounds, bounds[1:], strict=False):
        text = question[start:end]
        here = tuple(sorted({o for s, _, o in named if start <= s < end}))
        since, until = find_period(text)
        dated = since is not None or until is not None
        last = parts[-1] if parts else None
        owner_dated = dated and not here and last is not None and last.outlets and not _dated(last)
        if last and (not (here or dated) or owner_dated):
            # an unnamed clause, or the date of the report the clause before named
            parts[-1] = replace(
                last,
                text=last.text + text,
                since=since if dated else last.since,
                until=until if dated else last.until,
            )
        elif here or dated:
            parts.append(Part(lead + text, here, since, until))
            lead = ""
        else:
            lead += text
    return tuple(parts)


def _dated(part: Part) -> bool:
    return part.since is not None or part.until is not None


# A source the question credits: "a Bloomberg article", "a report by X", "another in X",
# "as reported by X". NAME is a run of capitalised words (with "of", "and", "the" inside).
NAME = r"[A-Z][\w&.'’-]*(?:\s+(?:[A-Z0-9][\w&.'’-]*|of|and|the|-|\|))*"
KIND = (
    r"(?:article|articles|report|reports|piece|story|stories|coverage|op-ed|editorial|"
    r"analysis|publication|feature|interview)"
)
CREDITED = [
    re.compile(
        r"\b(?:an?|the|another|one)\s+(?:\w+\s+)?("
        + NAME
        + r")(?:'s)?\s+(?:\w+\s+)?"
        + KIND
        + r"\b"
    ),
    re.compile(
        r"\b(?:"
        + KIND
        + r"|another|one)\s+(?:published\s+)?(?:by|from|in)\s+(?:the\s+)?("
        + NAME
        + ")"
    ),
    re.compile(
        r"\b(?:reported|detailed|noted|mentioned|discussed|published|written|covered) by\s+"
        r"(?:the\s+)?(" + NAME + ")"
    ),
]


def unindexed_sources(question: str, outlets: Iterable[str]) -> tuple[str, ...]:
    """Names the question credits as its sources that are not indexed outlets ("a Bloomberg
    article" when no Bloomberg is indexed): such a question cannot be answered from the index."""
    outlets = tuple(outlets)
    if not outlets:
        return ()  # an index without outlet names cannot tell a missing source from a topic
    known = [(s, e) for s, e, _ in outlet_spans(question, outlets)]
    names = []
    for pattern in CREDITED:
        for m in pattern.finditer(question):
            start, end = m.span(1)
            if any(s < end and start < e for s, e in known) or MONTH_START.match(m.group(1)):
                continue
            names.append(m.group(1))
    return tuple(dict.fromkeys(names))


def analyse(question: str, outlets: Iterable[str]) -> Plan:
    """Outlets, period and outlet/date clauses named in a question."""
    outlets = tuple(outlets)
    since, until = find_period(question)
    return Plan(find_outlets(question, outlets), since, until, find_parts(question, outlets))
