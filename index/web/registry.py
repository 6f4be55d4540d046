"""The feeds finnews polls, what each poll found, the items seen, and links to syndicated copies."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from index.database import Database
from index.database.legacy import first_import, read_rows
from index.database.tables import aliases, feed_items, feeds

COLUMNS = (
    feeds.c.url,
    feeds.c.etag,
    feeds.c.last_modified,
    feeds.c.last_poll,
    feeds.c.failures,
    feeds.c.backoff_until,
    feeds.c.polls,
    feeds.c["items"],
    feeds.c.errors,
    feeds.c.last_error,
)


@dataclass(frozen=True)
class FeedState:
    """A registered feed and how its polls went."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_poll: float | None = None
    failures: int = 0  # consecutive; reset by a good poll
    backoff_until: float = 0.0
    polls: int = 0
    items: int = 0  # new or changed items ingested, over all polls
    errors: int = 0
    last_error: str | None = None


@dataclass(frozen=True)
class Totals:
    """Counts over every feed, for `finnews stats`."""

    feeds: int
    polls: int
    items: int
    errors: int
    aliases: int


class Registry:
    """The feeds of one collection (`store` is its key) in the shared database; safe to share
    between threads, processes and replicas."""

    def __init__(self, database: Database, store: str) -> None:
        self.database, self.store = database, store

    def add(self, url: str) -> bool:
        """Register a feed; False when it was already there."""
        row = {"store": self.store, "url": url, "added": time.time()}
        with self.database.begin() as db:
            added = self.database.insert(feeds).values(row).on_conflict_do_nothing()
            return db.execute(added.returning(feeds.c.url)).first() is not None

    def remove(self, url: str) -> bool:
        """Forget a feed and its seen items; False when it was not registered."""
        with self.database.begin() as db:
            db.execute(
                feed_items.delete().where(
                    feed_items.c.store == self.store, feed_items.c.feed == url
                )
            )
            gone = feeds.delete().where(feeds.c.store == self.store, feeds.c.url == url)
            return db.execute(gone.returning(feeds.c.url)).first() is not None

    def feeds(self) -> list[FeedState]:
        """Every registered feed, in the order they were added."""
        query = select(*COLUMNS).where(feeds.c.store == self.store)
        with self.database.begin() as db:
            rows = db.execute(query.order_by(feeds.c.added, feeds.c.url)).all()
        return [FeedState(*row) for row in rows]

    def state(self, url: str) -> FeedState | None:
        """One feed's state, or None when it is not registered."""
        with self.database.begin() as db:
            row = db.execute(select(*COLUMNS).where(*self._feed(url))).first()
        return FeedState(*row) if row else None

    def _feed(self, url: str) -> tuple:
        return (feeds.c.store == self.store, feeds.c.url == url)

    def polled(
        self, url: str, *, etag: str | None, last_modified: str | None, new_items: int, at: float
    ) -> None:
        """Record a good poll: validators for the next conditional GET, failures reset."""
        change = feeds.update().where(*self._feed(url))
        with self.database.begin() as db:
            db.execute(
                change.values(
                    etag=etag,
                    last_modified=last_modified,
                    last_poll=at,
                    failures=0,
                    backoff_until=0,
                    polls=feeds.c.polls + 1,
                    items=feeds.c["items"] + new_items,
                )
            )

    def failed(self, url: str, error: str, at: float, backoff: float, most: float) -> FeedState:
        """Record a failed poll; the next try waits backoff * 2^(failures-1), at most `most`."""
        with self.database.begin() as db:
            failures = db.execute(select(feeds.c.failures).where(*self._feed(url))).scalar_one()
            delay = min(backoff * 2**failures, most)
            db.execute(
                feeds.update()
                .where(*self._feed(url))
                .values(
                    last_poll=at,
                    failures=feeds.c.failures + 1,
                    backoff_until=at + delay,
                    polls=feeds.c.polls + 1,
                    errors=feeds.c.errors + 1,
                    last_error=error,
                )
            )
        state = self.state(url)
        assert state is not None
        return state

    def seen(self, feed: str, keys: Iterable[str]) -> dict[str, str]:
        """key -> digest of the items of a feed already taken."""
        keys = list(keys)
        found: dict[str, str] = {}
        with self.database.begin() as db:
            for start in range(0, len(keys), 500):  # a bounded number of bound parameters
                query = select(feed_items.c.key, feed_items.c.digest).where(
                    feed_items.c.store == self.store,
                    feed_items.c.feed == feed,
                    feed_items.c.key.in_(keys[start : start + 500]),
                )
                found.update((key, digest) for key, digest in db.execute(query))
        return found

    def remember(self, feed: str, items: Iterable[tuple[str, str]]) -> None:
        """Mark (key, digest) items of a feed as taken, so unchanged ones are not fetched again."""
        now = time.time()
        rows = {k: d for k, d in items}  # one row per key (an upsert may not touch one twice)
        if not rows:
            return
        values = [
            {"store": self.store, "feed": feed, "key": k, "digest": d, "seen": now}
            for k, d in rows.items()
        ]
        insert = self.database.insert(feed_items)
        upsert = insert.on_conflict_do_update(
            index_elements=["store", "feed", "key"],
            set_={"digest": insert.excluded.digest, "seen": insert.excluded.seen},
        )
        with self.database.begin() as db:
            for start in range(0, len(values), 500):
                db.execute(upsert, values[start : start + 500])

    def link(self, url: str, article_id: str) -> None:
        """Record a URL whose text is a stored article's (a syndicated copy)."""
        insert = self.database.insert(aliases).values(
            store=self.store, url=url, article_id=article_id, at=time.time()
        )
        upsert = insert.on_conflict_do_update(
            index_elements=["store", "url"],
            set_={"article_id": insert.excluded.article_id, "at": insert.excluded.at},
        )
        with self.database.begin() as db:
            db.execute(upsert)

    def aliases(self, article_id: str) -> list[str]:
        """The other URLs where a stored article's text was found."""
        query = select(aliases.c.url).where(
            aliases.c.store == self.store, aliases.c.article_id == article_id
        )
        with self.database.begin() as db:
            return list(db.execute(query.order_by(aliases.c.at)).scalars())

    def totals(self) -> Totals:
        """Feeds, polls, items and errors over every feed, and the number of aliases."""
        counts = select(
            func.count(),
            func.coalesce(func.sum(feeds.c.polls), 0),
            func.coalesce(func.sum(feeds.c["items"]), 0),
            func.coalesce(func.sum(feeds.c.errors), 0),
        ).where(feeds.c.store == self.store)
        linked = select(func.count()).select_from(aliases).where(aliases.c.store == self.store)
        with self.database.begin() as db:
            n_feeds, polls, items, errors = db.execute(counts).one()
            n_aliases = db.execute(linked).scalar_one()
        return Totals(n_feeds, int(polls), int(items), int(errors), n_aliases)

    def import_file(self, path: Path) -> bool:
        """Read a registry kept in its own SQLite file (before the shared database) once;
        False when it was read before or is absent."""
        if not path.is_file():
            return False
        with self.database.begin() as db:
            if not first_import(db, self.database, f"registry:{self.store}:{path.resolve()}"):
                return False
            for table, name in ((feeds, "feeds"), (feed_items, "items"), (aliases, "aliases")):
                rows = [{"store": self.store, **row} for row in read_rows(path, name)]
                if rows:
                    db.execute(self.database.insert(table).on_conflict_do_nothing(), rows)
        return True
