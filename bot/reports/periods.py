"""Periods as users write them ('7d', '2026-10', '2026-10-01..2026-10-31', 'YYYY-MM-DD 7d'),
and whole days in a time zone: the one parser the CLI, summaries and digests share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from index.errors import UsageError

UNIT_DAYS = {"d": 1, "w": 7, "m": 30}  # a month is read as 30 days
RELATIVE = re.compile(r"(?P<rel>\d+)\s*(?P<unit>[dwm])", re.I)
PERIOD = re.compile(
    r"\s+(?:(?P<rel>\d+)\s*(?P<unit>[dwm])|(?P<a>\d{4}(?:-\d\d){0,2})"
    r"(?:\.\.(?P<b>\d{4}(?:-\d\d){0,2}))?)$",
    re.I,
)


def _days(count: str, unit: str) -> timedelta:
    return timedelta(days=int(count) * UNIT_DAYS[unit.lower()])


def parse_when(value: str | None, end_of_day: bool = False) -> datetime | None:
    """'2026-10-01', '2026-10-01T12:00' or a relative '7d' / '2w' / '3m' (days, weeks, months)."""
    if not value:
        return None
    rel = RELATIVE.fullmatch(value.strip())
    try:
        if rel:
            return datetime.now(UTC) - _days(rel["rel"], rel["unit"])
        when = datetime.fromisoformat(value.strip())
        if end_of_day and len(value.strip()) == 10:
            when += timedelta(days=1, microseconds=-1)
    except (OverflowError, ValueError):  # "9999999d" reaches before year 1
        raise UsageError(
            f"Not a date finnews can use: {value!r} (use YYYY-MM-DD, or e.g. 7d "
            "for a period that starts after the year 1)"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def parse_range(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """`--since` and `--until` read together; an end before the start is refused."""
    start, end = parse_when(since), parse_when(until, end_of_day=True)
    if start and end and end < start:
        raise UsageError(f"--until {until} is before --since {since}: nothing could match.")
    return start, end


def _bounds(text: str) -> tuple[datetime, datetime]:
    """First and last instant of '1987', '1987-03' or '1987-03-08' (UTC)."""
    parts = [int(p) for p in text.split("-")]
    first = datetime(
        parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1, tzinfo=UTC
    )
    if len(parts) == 3:
        nxt = first + timedelta(days=1)
    elif len(parts) == 2:
        nxt = first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)
    else:
        nxt = first.replace(year=first.year + 1)
    return first, nxt - timedelta(microseconds=1)


def split_period(text: str, now: datetime) -> tuple[str, datetime | None, datetime | None]:
    """'Alibaba 30d' -> ('Alibaba', now - 30 days, None); also '... 1987-03', '... 1987',
    '... 1987-03-01..1987-03-31'. Text without a trailing period comes back whole."""
    m = PERIOD.search(" " + text.strip())
    if not m:
        return text.strip(), None, None
    rest = (" " + text.strip())[: m.start()].strip()
    if m["rel"]:
        return rest, now - _days(m["rel"], m["unit"]), None
    try:
        since = _bounds(m["a"])[0]
        until = _bounds(m["b"] or m["a"])[1]
    except ValueError:
        return text.strip(), None, None
    return rest, since, until


def period_label(since: datetime | None, until: datetime | None) -> str:
    """'2026-10-01 to 2026-10-31', 'since ...', 'until ...' or 'all dates'."""
    a = since.date().isoformat() if since else None
    b = until.date().isoformat() if until else None
    if a and b:
        return f"{a} to {b}"
    return f"since {a}" if a else f"until {b}" if b else "all dates"


def zone(name: str) -> ZoneInfo:
    """The named IANA time zone, or a UsageError."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"Unknown time zone {name!r} (use an IANA name such as Europe/London or UTC)."
        ) from None


@dataclass(frozen=True)
class Period:
    """Whole days from `first` to `last`, both included, in a time zone."""

    first: date
    last: date
    tz: ZoneInfo

    @classmethod
    def ending(cls, last: date, days: int, tz: ZoneInfo) -> Period:
        """The `days` days that end on `last`."""
        if days < 1:
            raise UsageError("A digest covers at least one day.")
        return cls(last - timedelta(days=days - 1), last, tz)

    @classmethod
    def before(cls, now: datetime, days: int, tz: ZoneInfo) -> Period:
        """The `days` complete days before `now` (today, being incomplete, is left out)."""
        return cls.ending(now.astimezone(tz).date() - timedelta(days=1), days, tz)

    @property
    def since(self) -> datetime:
        """The first instant of the period."""
        return datetime.combine(self.first, time.min, self.tz)

    @property
    def until(self) -> datetime:
        """The last instant of the period."""
        return datetime.combine(self.last, time.max, self.tz)

    @property
    def key(self) -> str:
        """Identifies the period, e.g. for the record of digests posted."""
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def label(self) -> str:
        """'2 to 8 March 1987'."""
        if self.first == self.last:
            return f"{self.last.day} {self.last:%B %Y}"
        same_year = self.first.year == self.last.year
        head = f"{self.first.day}" if same_year else f"{self.first.day} {self.first:%B %Y}"
        if same_year and self.first.month != self.last.month:
            head = f"{self.first.day} {self.first:%B}"
        return f"{head} to {self.last.day} {self.last:%B %Y}"


def digest_period(arg: str, days: int, tz: ZoneInfo, now: datetime) -> Period:
    """The period `digest [YYYY-MM-DD] [Nd]` asks for (default: the days to yesterday)."""
    last: date | None = None
    for word in arg.split():
        if m := re.fullmatch(r"(\d+)d", word.lower()):
            days = int(m.group(1))
            continue
        try:
            last = date.fromisoformat(word)
        except ValueError:
            raise UsageError(
                f"Not a date or a number of days: {word!r} (e.g. `/finnews digest 1987-03-08 7d`)."
            ) from None
    return Period.ending(last, days, tz) if last else Period.before(now, days, tz)
