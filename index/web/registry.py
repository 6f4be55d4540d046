"""The feeds finnews polls, what each poll found, the items seen, and links to syndicated copies."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from index import sqlite

SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, added REAL NOT NULL, etag TEXT, last_modified TEXT,
    last_poll REAL, failures INTEGER NOT NULL DEFAULT 0, backoff_until REAL NOT NULL DEFAULT 0,
    polls INTEGER NOT NULL DEFAULT 0, items INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0, last_error TEXT);
CREATE TABLE IF NOT EXISTS items (
    feed TEXT NOT NULL, key TEXT NOT NULL, digest TEXT NOT NULL, seen REAL NOT NULL,
    PRIMARY KEY (feed, key));
CREATE TABLE IF NOT EXISTS aliases (
    url TEXT PRIMARY KEY, article_id TEXT NOT NULL, at REAL NOT NULL);
"""

COLUMNS = (
    "url, etag, last_modified, last_poll, failures, backoff_until, polls, items, errors, last_error"
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
    """A SQLite file of feeds, seen items and aliases; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        sqlite.create(path, SCHEMA)

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        # A connection per call: the poller thread and Slack's workers use the file at once.
        return sqlite.transaction(self.path)

    def add(self, url: str) -> bool:
        """Register a feed; False when it was already there."""
        with self._db() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO feeds (url, added) VALUES (?, ?)", (url, time.time())
            )
            return cur.rowcount == 1

    def remove(self, url: str) -> bool:
        """Forget a feed and its seen items; False when it was not registered."""
        with self._db() as db:
            db.execute("DELETE FROM items WHERE feed = ?", (url,))
            return db.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount == 1

    def feeds(self) -> list[FeedState]:
        """Every registered feed, in the order they were added."""
        with self._db() as db:
            rows = db.execute(f"SELECT {COLUMNS} FROM feeds ORDER BY added, url").fetchall()
        return [FeedState(*row) for row in rows]

    def state(self, url: str) -> FeedState | None:
        """One feed's state, or None when it is not registered."""
        with self._db() as db:
            row = db.execute(f"SELECT {COLUMNS} FROM feeds WHERE url = ?", (url,)).fetchone()
        return FeedState(*row) if row else None

    def polled(
        self, url: str, *, etag: str | None, last_modified: str | None, new_items: int, at: float
    ) -> None:
        """Record a good poll: validators for the next conditional GET, failures reset."""
        with self._db() as db:
            db.execute(
                "UPDATE feeds SET etag = ?, last_modified = ?, last_poll = ?, failures = 0,"
                " backoff_until = 0, polls = polls + 1, items = items + ? WHERE url = ?",
                (etag, last_modified, at, new_items, url),
            )

    def failed(self, url: str, error: str, at: float, backoff: float, most: float) -> FeedState:
        """Record a failed poll; the next try waits backoff * 2^(failures-1), at most `most`."""
        with self._db() as db:
            (failures,) = db.execute("SELECT failures FROM feeds WHERE url = ?", (url,)).fetchone()
            delay = min(backoff * 2**failures, most)
            db.execute(
                "UPDATE feeds SET last_poll = ?, failures = failures + 1, backoff_until = ?,"
                " polls = polls + 1, errors = errors + 1, last_error = ? WHERE url = ?",
                (at, at + delay, error, url),
            )
        state = self.state(url)
        assert state is not None
        return state

    def seen(self, feed: str, keys: Iterable[str]) -> dict[str, str]:
        """key -> digest of the items of a feed already taken."""
        keys = list(keys)
        with self._db() as db:
            found: dict[str, str] = {}
            for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters
                part = keys[start : start + 500]
                marks = ",".join("?" * len(part))
                found.update(
                    db.execute(
                        f"SELECT key, digest FROM items WHERE feed = ? AND key IN ({marks})",
                        (feed, *part),
                    ).fetchall()
                )
        return found

    def remember(self, feed: str, items: Iterable[tuple[str, str]]) -> None:
        """Mark (key, digest) items of a feed as taken, so unchanged ones are not fetched again."""
        now, rows = time.time(), list(items)
        if not rows:
            return
        with self._db() as db:
            db.executemany(
                "INSERT OR REPLACE INTO items (feed, key, digest, seen) VALUES (?, ?, ?, ?)",
                [(feed, k, d, now) for k, d in rows],
            )

    def link(self, url: str, article_id: str) -> None:
        """Record a URL whose text is a stored article's (a syndicated copy)."""
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO aliases (url, article_id, at) VALUES (?, ?, ?)",
                (url, article_id, time.time()),
            )

    def aliases(self, article_id: str) -> list[str]:
        """The other URLs where a stored article's text was found."""
        with self._db() as db:
            rows = db.execute(
                "SELECT url FROM aliases WHERE article_id = ? ORDER BY at", (article_id,)
            ).fetchall()
        return [url for (url,) in rows]

    def totals(self) -> Totals:
        """Feeds, polls, items and errors over every feed, and the number of aliases."""
        with self._db() as db:
            feeds, polls, items, errors = db.execute(
                "SELECT COUNT(*), COALESCE(SUM(polls), 0), COALESCE(SUM(items), 0), "
                "COALESCE(SUM(errors), 0) FROM feeds"
            ).fetchone()
            (aliases,) = db.execute("SELECT COUNT(*) FROM aliases").fetchone()
        return Totals(feeds, polls, items, errors, aliases)
