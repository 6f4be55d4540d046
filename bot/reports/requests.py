"""Summaries and digests asked for in a chat: `summary <topic> [period]`, `digest [day] [Nd]`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.reports.digest import Digest, build
from bot.reports.periods import digest_period, split_period, zone
from bot.reports.summary import Summary, summarise

if TYPE_CHECKING:
    from bot.core import Finnews


def report(
    finnews: Finnews, verb: str, arg: str, days: int, timezone: str, now: datetime | None = None
) -> Summary | Digest:
    """The summary or digest a `summary ...` or `digest ...` request asks for."""
    now = now or datetime.now(UTC)
    if verb == "summary":
        topic, since, until = split_period(arg, now)
        return summarise(finnews, topic or arg, since, until)
    return build(finnews.deals, digest_period(arg, days, zone(timezone), now))
