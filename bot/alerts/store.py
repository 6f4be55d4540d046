"""The watches and the alerts they fired, with SQLAlchemy Core: every SQL statement of the
alerts lives here, on the shared database (its tables are in index/database/tables.py), so
that every replica sees one watchlist and an alert is claimed once among them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from index.database import Database
from index.database.tables import alert_sources as sources
from index.database.tables import alerts, watches

MAX_ATTEMPTS = 3  # posts of one alert before it is given up (each with the platform's retries)
STALE = 15 * 60.0  # a claim left 'posting' this long (a crash mid-post) may be taken again
LIVE = ("posting", "posted")  # alerts that count against a channel's cap and a watch's cool-down


@dataclass(frozen=True)
class WatchRow:
    """A watch as stored."""

    id: int
    channel: str
    name: str
    key: str
    kind: str
    added_by: str


@dataclass(frozen=True)
class AlertRow:
    """An alert as stored."""

    id: int
    watch_id: int
    channel: str
    story: str
    state: str
    message: str | None
    attempts: int
    error: str | None
    content: dict[str, Any]


@dataclass(frozen=True)
class Tally:
    """What one watch has done: alerts posted, held back, failing or given up, the last error."""

    posted: int = 0
    held: int = 0
    failing: int = 0
    gave_up: int = 0
    last_error: str | None = None


def _watch(r: Any) -> WatchRow:
    return WatchRow(r.id, r.channel, r.name, r.key, r.kind, r.added_by)


def _alert(r: Any) -> AlertRow:
    return AlertRow(
        r.id,
        r.watch_id,
        r.channel,
        r.story,
        r.state,
        r.message,
        r.attempts,
        r.error,
        json.loads(r.content),
    )


class AlertStore:
    """Watches and alerts in the shared database; safe for several threads, processes and
    replicas (its tables are made by the database's migrations)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # --- watches ---

    def add_watch(
        self, channel: str, name: str, key: str, kind: str, user: str, now: float
    ) -> WatchRow | None:
        """Store a watch; None when the channel already watches this."""
        row = dict(channel=channel, name=name, key=key, kind=kind, added_by=user, added_at=now)
        insert = self.database.insert(watches).values(**row).on_conflict_do_nothing()
        with self.database.begin() as db:
            new_id = db.execute(insert.returning(watches.c.id)).scalar()
        return None if new_id is None else WatchRow(new_id, channel, name, key, kind, user)

    def remove_watch(self, channel: str, key: str) -> WatchRow | None:
        """Forget a channel's watch (and its alerts); the watch removed, or None."""
        with self.database.begin() as db:
            found = db.execute(
                select(watches).where(watches.c.channel == channel, watches.c.key == key)
            ).first()
            if found is None:
                return None
            ids = select(alerts.c.id).where(alerts.c.watch_id == found.id)
            db.execute(sources.delete().where(sources.c.alert_id.in_(ids)))
            db.execute(alerts.delete().where(alerts.c.watch_id == found.id))
            db.execute(watches.delete().where(watches.c.id == found.id))
        return _watch(found)

    def watches(self, channel: str | None = None) -> list[WatchRow]:
        """Every watch (of one channel), oldest first."""
        query = select(watches).order_by(watches.c.id)
        if channel is not None:
            query = query.where(watches.c.channel == channel)
        with self.database.engine.connect() as db:
            return [_watch(r) for r in db.execute(query)]

    # --- alerts ---

    def alert_for(self, watch_id: int, article_ids: Sequence[str]) -> AlertRow | None:
        """The alert this watch already has for any of these articles (one story), if any."""
        query = (
            select(alerts)
            .join(sources, sources.c.alert_id == alerts.c.id)
            .where(alerts.c.watch_id == watch_id, sources.c.article_id.in_(list(article_ids)))
            .order_by(alerts.c.id)
        )
        with self.database.engine.connect() as db:
            row = db.execute(query).first()
        return None if row is None else _alert(row)

    def claim(
        self,
        watch_id: int,
        channel: str,
        story: str,
        article_ids: Sequence[str],
        content: dict[str, Any],
        now: float,
        state: str = "posting",
        error: str | None = None,
    ) -> int | None:
        """Record the alert (to post, or held back with `state='held'`); its id, or None when
        another process or run has it already: the unique key makes this true exactly once."""
        row = dict(
            watch_id=watch_id,
            channel=channel,
            story=story,
            state=state,
            attempts=0,
            error=error,
            content=json.dumps(content),
            created_at=now,
            updated_at=now,
        )
        # ON CONFLICT rather than catching the unique key's error: on PostgreSQL the loser's
        # transaction stays usable, and neither database logs a failed statement.
        insert = self.database.insert(alerts).values(**row).on_conflict_do_nothing()
        with self.database.begin() as db:
            alert_id = db.execute(insert.returning(alerts.c.id)).scalar()
            if alert_id is not None:
                self._link(db, alert_id, article_ids)
        return alert_id

    def add_sources(self, alert_id: int, article_ids: Sequence[str]) -> list[str]:
        """Link more articles to an alert; those that were new to it."""
        with self.database.begin() as db:
            return self._link(db, alert_id, article_ids)

    def _link(self, db: Connection, alert_id: int, article_ids: Sequence[str]) -> list[str]:
        """Insert the alert's sources not linked yet (by anyone: two replicas may add the same
        article at once); those this call linked, in the order given."""
        rows = [{"alert_id": alert_id, "article_id": a} for a in dict.fromkeys(article_ids)]
        if not rows:
            return []
        insert = self.database.insert(sources).values(rows).on_conflict_do_nothing()
        linked = set(db.execute(insert.returning(sources.c.article_id)).scalars())
        return [r["article_id"] for r in rows if r["article_id"] in linked]

    def retake(self, alert_id: int, now: float) -> bool:
        """Take a failed alert (or one whose poster died mid-post) to post it again; True for
        exactly one caller."""
        query = (
            alerts.update()
            .where(alerts.c.id == alert_id)
            .where(
                (alerts.c.state == "failed")
                | ((alerts.c.state == "posting") & (alerts.c.updated_at < now - STALE))
            )
            .values(state="posting", updated_at=now)
        )
        with self.database.begin() as db:
            return db.execute(query).rowcount == 1

    def finish(
        self,
        alert_id: int,
        state: str,
        now: float,
        *,
        message: str | None = None,
        error: str | None = None,
        content: dict[str, Any] | None = None,
        attempt: bool = False,
    ) -> None:
        """Set an alert's state (posted with its message id, failed with the error...)."""
        values: dict[str, Any] = {"state": state, "updated_at": now, "error": error}
        if message is not None:
            values["message"] = message
        if content is not None:
            values["content"] = json.dumps(content)
        if attempt:
            values["attempts"] = alerts.c.attempts + 1
        with self.database.begin() as db:
            db.execute(alerts.update().where(alerts.c.id == alert_id).values(**values))

    def save_content(self, alert_id: int, content: dict[str, Any], now: float) -> None:
        """Keep an alert's new content (more sources) without changing its state."""
        with self.database.begin() as db:
            db.execute(
                alerts.update()
                .where(alerts.c.id == alert_id)
                .values(content=json.dumps(content), updated_at=now)
            )

    def recent(self, watch_id: int, since: float) -> list[AlertRow]:
        """The watch's alerts claimed since a time (any state), oldest first."""
        query = (
            select(alerts)
            .where(alerts.c.watch_id == watch_id, alerts.c.created_at >= since)
            .order_by(alerts.c.id)
        )
        with self.database.engine.connect() as db:
            return [_alert(r) for r in db.execute(query)]

    def failed(self) -> list[AlertRow]:
        """Alerts whose post failed and that may be tried again, oldest first."""
        with self.database.engine.connect() as db:
            rows = db.execute(
                select(alerts).where(alerts.c.state == "failed").order_by(alerts.c.id)
            )
            return [_alert(r) for r in rows]

    def count_since(self, channel: str, since: float) -> int:
        """Alerts posted (or being posted) in a channel since a time."""
        query = select(func.count()).where(
            alerts.c.channel == channel, alerts.c.state.in_(LIVE), alerts.c.created_at >= since
        )
        with self.database.engine.connect() as db:
            return int(db.execute(query).scalar_one())

    def last_post(self, watch_id: int) -> float | None:
        """When the watch's latest alert was claimed to be posted."""
        query = select(func.max(alerts.c.created_at)).where(
            alerts.c.watch_id == watch_id, alerts.c.state.in_(LIVE)
        )
        with self.database.engine.connect() as db:
            return db.execute(query).scalar_one()

    def tallies(self) -> dict[int, Tally]:
        """Per watch id: alerts posted, held, failing and given up, and the latest error."""
        query = select(alerts.c.watch_id, alerts.c.state, alerts.c.error).order_by(
            alerts.c.updated_at
        )
        counts: dict[int, dict[str, Any]] = {}
        with self.database.engine.connect() as db:
            for watch_id, state, error in db.execute(query):
                c = counts.setdefault(watch_id, {})
                c[state] = c.get(state, 0) + 1
                if error and state in ("failed", "gave up"):
                    c["error"] = error
        return {
            w: Tally(
                c.get("posted", 0),
                c.get("held", 0),
                c.get("failed", 0),
                c.get("gave up", 0),
                c.get("error"),
            )
            for w, c in counts.items()
        }
