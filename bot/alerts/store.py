"""The watches and the alerts they fired, with SQLAlchemy Core: every SQL statement of the
alerts lives here, on an engine passed in (a SQLite file in the data folder by default, or any
database SQLAlchemy reaches, e.g. PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError

MAX_ATTEMPTS = 3  # posts of one alert before it is given up (each with the platform's retries)
STALE = 15 * 60.0  # a claim left 'posting' this long (a crash mid-post) may be taken again
LIVE = ("posting", "posted")  # alerts that count against a channel's cap and a watch's cool-down

metadata = MetaData()
watches = Table(
    "watches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", String(200), nullable=False),  # "slack:C0123ABCD", "discord:1234..."
    Column("name", String(300), nullable=False),  # as the user typed it
    Column("key", String(300), nullable=False),  # what makes two watches the same
    Column("kind", String(20), nullable=False),  # company, kind or topic
    Column("added_by", String(200), nullable=False),
    Column("added_at", Float, nullable=False),
    UniqueConstraint("channel", "key", name="watches_channel_key"),
)
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("watch_id", Integer, ForeignKey("watches.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(200), nullable=False),
    Column("story", String(200), nullable=False),  # the id of the story's first article
    Column("state", String(20), nullable=False),  # posting, posted, failed, gave up, held
    Column("message", String(200)),  # the posted message's id
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text),
    Column("content", Text, nullable=False),  # the alert as data, to post again or update
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    UniqueConstraint("watch_id", "channel", "story", name="alerts_once"),
)
sources = Table(
    "alert_sources",
    metadata,
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", String(100), primary_key=True),
)


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


def sqlite_engine(path: Path) -> Engine:
    """An engine on a SQLite file (WAL, foreign keys on, waiting for a busy writer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(db: Any, _record: Any) -> None:
        cursor = db.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


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
    """Watches and alerts on one engine; safe for several threads and processes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    # --- watches ---

    def add_watch(
        self, channel: str, name: str, key: str, kind: str, user: str, now: float
    ) -> WatchRow | None:
        """Store a watch; None when the channel already watches this."""
        row = dict(channel=channel, name=name, key=key, kind=kind, added_by=user, added_at=now)
        try:
            with self.engine.begin() as db:
                new_id = db.execute(watches.insert().values(**row)).inserted_primary_key[0]
        except IntegrityError:
            return None
        return WatchRow(new_id, channel, name, key, kind, user)

    def remove_watch(self, channel: str, key: str) -> WatchRow | None:
        """Forget a channel's watch (and its alerts); the watch removed, or None."""
        with self.engine.begin() as db:
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
        with self.engine.connect() as db:
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
        with self.engine.connect() as db:
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
        try:
            with self.engine.begin() as db:
                alert_id = db.execute(alerts.insert().values(**row)).inserted_primary_key[0]
                db.execute(
                    sources.insert(), [{"alert_id": alert_id, "article_id": a} for a in article_ids]
                )
        except IntegrityError:
            return None
        return alert_id

    def add_sources(self, alert_id: int, article_ids: Sequence[str]) -> list[str]:
        """Link more articles to an alert; those that were new to it."""
        with self.engine.begin() as db:
            have = set(
                db.execute(select(sources.c.article_id).where(sources.c.alert_id == alert_id))
                .scalars()
                .all()
            )
            new = [a for a in dict.fromkeys(article_ids) if a not in have]
            if new:
                db.execute(sources.insert(), [{"alert_id": alert_id, "article_id": a} for a in new])
        return new

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
        with self.engine.begin() as db:
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
        with self.engine.begin() as db:
            db.execute(alerts.update().where(alerts.c.id == alert_id).values(**values))

    def save_content(self, alert_id: int, content: dict[str, Any], now: float) -> None:
        """Keep an alert's new content (more sources) without changing its state."""
        with self.engine.begin() as db:
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
        with self.engine.connect() as db:
            return [_alert(r) for r in db.execute(query)]

    def failed(self) -> list[AlertRow]:
        """Alerts whose post failed and that may be tried again, oldest first."""
        with self.engine.connect() as db:
            rows = db.execute(
                select(alerts).where(alerts.c.state == "failed").order_by(alerts.c.id)
            )
            return [_alert(r) for r in rows]

    def count_since(self, channel: str, since: float) -> int:
        """Alerts posted (or being posted) in a channel since a time."""
        query = select(func.count()).where(
            alerts.c.channel == channel, alerts.c.state.in_(LIVE), alerts.c.created_at >= since
        )
        with self.engine.connect() as db:
            return int(db.execute(query).scalar_one())

    def last_post(self, watch_id: int) -> float | None:
        """When the watch's latest alert was claimed to be posted."""
        query = select(func.max(alerts.c.created_at)).where(
            alerts.c.watch_id == watch_id, alerts.c.state.in_(LIVE)
        )
        with self.engine.connect() as db:
            return db.execute(query).scalar_one()

    def tallies(self) -> dict[int, Tally]:
        """Per watch id: alerts posted, held, failing and given up, and the latest error."""
        query = select(alerts.c.watch_id, alerts.c.state, alerts.c.error).order_by(
            alerts.c.updated_at
        )
        counts: dict[int, dict[str, Any]] = {}
        with self.engine.connect() as db:
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


def open_alert_store(data_dir: Path, database_url: str | None = None) -> AlertStore:
    """The alerts' store: at database_url when given, else alerts.sqlite3 in the data folder
    (beside chat.sqlite3, the conversation ledger)."""
    engine = (
        create_engine(database_url) if database_url else sqlite_engine(data_dir / "alerts.sqlite3")
    )
    return AlertStore(engine)
