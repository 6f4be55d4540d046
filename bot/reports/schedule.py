"""The weekly digest on a cron schedule, posted once per channel and period whoever posts it."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from croniter import croniter
from sqlalchemy import select

from bot.chat.port import Place, Port, Reply, Undelivered
from bot.core import Finnews, deal_store_path, store_key
from bot.reports.digest import Digest, build
from bot.reports.periods import Period, zone
from bot.settings import DigestSettings, Settings
from index.database import Database
from index.database.lease import Lease, keep, owner_id
from index.database.legacy import first_import, read_rows
from index.database.tables import digest_posts
from index.errors import UsageError

log = logging.getLogger("finnews.digest")
GRACE = timedelta(hours=1)  # a replica (re)started this soon after a fire time still posts
STALE = timedelta(minutes=15)  # a claim left unfinished this long (a crash) may be taken again


class Claims:
    """The record of digests posted, in the shared database: a post is claimed (atomically)
    before it is sent, so one replica posts it."""

    def __init__(
        self,
        database: Database,
        store: str = "",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._database, self._store, self._clock = database, store, clock
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"

    def _post(self, channel: str, period: str) -> tuple:
        return (
            digest_posts.c.store == self._store,
            digest_posts.c.channel == channel,
            digest_posts.c.period == period,
        )

    def claim(self, channel: str, period: str) -> bool:
        """True for exactly one caller per (channel, period), unless that one's post failed."""
        now = self._clock()
        row = {"store": self._store, "channel": channel, "period": period, "at": now.isoformat()}
        insert = self._database.insert(digest_posts).values(
            **row, state="posting", owner=self.owner
        )
        stale = (now - STALE).isoformat()
        take = insert.on_conflict_do_update(  # a failed post, or one left unfinished, is retaken
            index_elements=["store", "channel", "period"],
            set_={"state": "posting", "owner": self.owner, "at": row["at"], "error": None},
            where=(digest_posts.c.state == "failed")
            | ((digest_posts.c.state == "posting") & (digest_posts.c.at < stale)),
        )
        with self._database.begin() as db:
            return db.execute(take.returning(digest_posts.c.state)).first() is not None

    def posted(self, channel: str, period: str, ts: str | None) -> None:
        """The claimed post went out."""
        self._finish(channel, period, "posted", ts, None)

    def failed(self, channel: str, period: str, reason: str) -> None:
        """The claimed post did not go out: a later run may claim it again."""
        self._finish(channel, period, "failed", None, reason)

    def _finish(
        self, channel: str, period: str, state: str, ts: str | None, error: str | None
    ) -> None:
        done = digest_posts.update().where(*self._post(channel, period))
        with self._database.begin() as db:
            db.execute(done.values(state=state, ts=ts, error=error, at=self._clock().isoformat()))

    def state(self, channel: str, period: str) -> str | None:
        """'posting', 'posted', 'failed', or None when never claimed."""
        query = select(digest_posts.c.state).where(*self._post(channel, period))
        with self._database.begin() as db:
            return db.execute(query).scalar_one_or_none()

    def import_file(self, path: Path) -> bool:
        """Read the posts recorded in a deal store's SQLite file (before the shared database)
        once; False when there were none or they were read before."""
        if not path.is_file():
            return False
        rows = [{"store": self._store, **r} for r in read_rows(path, "digest_posts")]
        with self._database.begin() as db:
            if not first_import(db, self._database, f"digests:{self._store}:{path.resolve()}"):
                return False
            if rows:
                db.execute(self._database.insert(digest_posts).on_conflict_do_nothing(), rows)
        return True


def open_claims(settings: Settings, database: Database) -> Claims:
    """The digest posts of the configured collection, with those its deal store's file
    recorded before the shared database read in (once)."""
    claims = Claims(database, store_key(settings.chroma))
    claims.import_file(deal_store_path(settings))
    return claims


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
        self,
        stop: threading.Event,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        leading: threading.Event | None = None,
    ) -> None:
        """Tick until `stop` is set, waking at each fire time (and at least once a minute);
        with `leading`, only while it is set (this replica holds the schedule's lease)."""
        while not stop.wait(min(60.0, max(0.0, (self.next - clock()).total_seconds()))):
            if leading is not None and not leading.is_set():
                continue  # another replica runs the schedule; a fire time missed here waits
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
    fire = digest_job(digest, finnews, port, open_claims(settings, finnews.database))
    tz = zone(digest.timezone)
    schedule = DigestSchedule(digest.cron, tz, fire, datetime.now(UTC))
    stop = threading.Event()
    name = f"digest:{store_key(settings.chroma)}:{','.join(digest.channels)}"
    leading = keep(Lease(finnews.database, name, owner_id(), settings.lease_seconds), stop)
    threading.Thread(
        target=schedule.run,
        args=(stop, lambda: datetime.now(UTC), leading),
        daemon=True,
        name="finnews-digest",
    ).start()
    announce(
        f"finnews: digest scheduled ({digest.cron!r}, {tz.key}) for "
        f"{', '.join(digest.channels)}; next at {schedule.next.isoformat()}"
    )
    return stop
