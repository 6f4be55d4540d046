"""Question analysis: outlets and periods a question names, used as filters or boosts."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY_DATE = re.compile(MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)", re.I)
MONTH_DATE = re.compile(MONTH + r",?\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)", re.I)
ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
YEAR = re.compile(r"\b(?:in|during|of|throughout)\s+(?P<year>(?:19|20)\d\d)\b", re.I)
BEFORE = re.compile(r"\b(?:before|prior to|until|by)\s+$", re.I)
AFTER = re.compile(r"\b(?:after|since|following|from)\s+$", re.I)


@dataclass(frozen=True)
class Plan:
    """What a question names besides its words: outlets (lower-cased) and a period."""

    outlets: tuple[str, ...] = ()
    since: int | None = None  # epoch seconds
    until: int | None = None

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


def find_outlets(question: str, outlets: Iterable[str]) -> tuple[str, ...]:
    """Outlets named in the question: any letter case, but written as a name (capitalised)."""
    named = []
    for outlet in outlets:
        for alias in aliases(outlet):
            pattern = r"(?<![\w.])" + re.escape(alias) + r"(?![\w])"
            if any(m.group()[0].isupper() or not m.group()[0].isalpha()
                   for m in re.finditer(pattern, question, re.I)):
                named.append(outlet.lower())
                break
    return tuple(sorted(set(named)))


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
                start, end = _span(int(parts["year"]), month_n, int(parts["day"]) if parts.get("day") else None)
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


def analyse(question: str, outlets: Iterable[str]) -> Plan:
    """Outlets and period named in a question."""
    since, until = find_period(question)
    return Plan(find_outlets(question, outlets), since, until)
