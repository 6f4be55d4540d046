"""The weekly digest on a cron schedule, posted once per channel and period whoever posts it."""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from croniter import croniter

from bot.chat.port import Place, Port, Reply, Undelivered
from bot.core import Finnews, deal_store_path
from bot.reports.digest import Digest, build
from bot.reports.periods import Period, zone
from bot.settings import DigestSettings, Settings
from index import sqlite
from index.errors import UsageError

log = logging.getLogger("finnews.digest")
GRACE = timedelta(hours=1)  # a replica (re)started this soon after a fire time still posts
STALE = timedelta(minutes=15)  # a claim left unfinished this long (a crash) may be taken again
SCHEMA = """
CREATE TABLE IF NOT EXISTS digest_posts (
    channel TEXT NOT NULL, period TEXT NOT NULL, state TEXT NOT NULL, owner TEXT NOT NULL,
    at TEXT NOT NULL, ts TEXT, error TEXT, PRIMARY KEY (channel, period));
"""


class Claims:
    """The persisted record of digests posted: a post is claimed (atomically) before it is sent."""

    def __init__(
        self,
        path: Path,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._path, self._clock = path, clock
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        sqlite.create(path, SCHEMA)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.transaction(self._path)

    def claim(self, channel: str, period: str) -> bool:
        """True for exactly one caller per (channel, period), unless that one's post failed."""
        now = self._clock()
        with self._connect() as db:
            try:
                db.execute(
                    "INSERT INTO digest_posts (channel, period, state, owner, at) "
                    "VALUES (?, ?, 'posting', ?, ?)",
                    (channel, period, self.owner, now.isoformat()),
                )
                return True
            except sqlite3.IntegrityError:
                pass
            taken = db.execute(
                "UPDATE digest_posts SET state = 'posting', owner = ?, at = ?, error = NULL "
                "WHERE channel = ? AND period = ? AND (state = 'failed' OR "
                "(state = 'posting' AND at < ?))",
                (self.owner, now.isoformat(), channel, period, (now - STALE).isoformat()),
            )
            return taken.rowcount == 1

    def posted(self, channel: str, period: str, ts: str | None) -> None:
        """The claimed post went out."""
        self._finish(channel, period, "posted", ts, None)

    def failed(self, channel: str, period: str, reason: str) -> None:
        """The claimed post did not go out: a later run may claim it again."""
        self._finish(channel, period, "failed", None, reason)

    def _finish(
        self, channel: str, period: str, state: str, ts: str | None, error: str | None
    ) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE digest_posts SET state = ?, ts = ?, error = ?, at = ? "
                "WHERE channel = ? AND period = ?",
                (state, ts, error, self._clock().isoformat(), channel, period),
            )

    def state(self, channel: str, period: str) -> str | None:
        """'posting', 'posted', 'failed', or None when never claimed."""
        with self._connect() as db:
            row = db.execute(
                "SELECT state FROM digest_posts WHERE channel = ? AND period = ?", (channel, period)
            ).fetchone()
        return row[0] if row else None


@dataclass(frozen=True)
class Outcome:
    """What happened to a digest in one channel: 'posted', 'already posted' or 'failed'."""

    channel: str
    result: str
    ts: str | None = None


def post_digest(
    digest: Digest, channels: Sequence[str], port: Port, claims: Claims
) -> list[Outcome]:
    """Post the digest in each channel where no one has posted (or is posting) it yet."""
    outcomes = []
    for channel in channels:
        if not claims.claim(channel, digest.period.key):
            outcomes.append(Outcome(channel, "already posted"))
            continue
        try:
            ts = port.post(Place(channel), Reply(digest))
        except Undelivered as exc:
            claims.failed(channel, digest.period.key, str(exc))
            log.error("digest %s undelivered in %s: %s", digest.period.key, channel, exc)
            outcomes.append(Outcome(channel, "failed"))
            continue
        claims.posted(channel, digest.period.key, ts)
        outcomes.append(Outcome(channel, "posted", ts))
    return outcomes


class DigestSchedule:
    """Fires at each time of a cron expression in a time zone; a tick decides, so a fake clock
    drives it in tests and `run` only waits between ticks."""

    def __init__(
        self, cron: str, tz: ZoneInfo, fire: Callable[[datetime], object], now: datetime
    ) -> None:
        if not croniter.is_valid(cron):
            raise UsageError(
                f"FINNEWS_DIGEST_CRON is not a cron expression: {cron!r} "
                "(e.g. '0 9 * * MON': minute hour day month weekday)."
            )
        self.cron, self.tz, self._fire = cron, tz, fire
        last = croniter(cron, now.astimezone(tz)).get_prev(datetime)
        self.next = last if now - last <= GRACE else self._after(now)

    def _after(self, when: datetime) -> datetime:
        return croniter(self.cron, when.astimezone(self.tz)).get_next(datetime)

    def tick(self, now: datetime) -> datetime | None:
        """Fire once if a fire time has come (missed ones fold into one); the time fired for."""
        if now < self.next:
            return None
        due, self.next = self.next, self._after(now)
        self._fire(due)
        return due

    def run(
        self, stop: threading.Event, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        """Tick until `stop` is set, waking at each fire time (and at least once a minute)."""
        while not stop.wait(min(60.0, max(0.0, (self.next - clock()).total_seconds()))):
            try:
                self.tick(clock())
            except Exception:  # the bot keeps answering; the next fire time tries again
                log.exception("scheduled digest failed")


def scheduled_period(due: datetime, days: int, tz: ZoneInfo) -> Period:
    """The period a digest fired at `due` covers: the complete days before it."""
    return Period.before(due, days, tz)


def digest_job(
    digest: DigestSettings, finnews: Finnews, port: Port, claims: Claims
) -> Callable[[datetime], list[Outcome]]:
    """What a fire time does: post the digest of the days before it in the configured channels."""
    tz = zone(digest.timezone)

    def fire(due: datetime) -> list[Outcome]:
        period = scheduled_period(due, digest.days, tz)
        return post_digest(build(finnews.deals, period), digest.channels, port, claims)

    return fire


def start(
    settings: Settings,
    finnews: Finnews,
    port: Port,
    announce: Callable[[str], None] = log.info,
    channels: Sequence[str] | None = None,
) -> threading.Event | None:
    """In `finnews serve`: post the digest on the configured schedule, on a daemon thread, in
    `channels` (default: FINNEWS_DIGEST_CHANNELS), which are the port's platform's. None when
    there is no channel; set the returned event to stop it."""
    digest = settings.digest
    if channels is not None:
        digest = replace(digest, channels=tuple(channels))
    if not digest.channels:
        return None
    fire = digest_job(digest, finnews, port, Claims(deal_store_path(settings)))
    tz = zone(digest.timezone)
    schedule = DigestSchedule(digest.cron, tz, fire, datetime.now(UTC))
    stop = threading.Event()
    threading.Thread(target=schedule.run, args=(stop,), daemon=True, name="finnews-digest").start()
    announce(
        f"finnews: digest scheduled ({digest.cron!r}, {tz.key}) for "
        f"{', '.join(digest.channels)}; next at {schedule.next.isoformat()}"
    )
    return stop
