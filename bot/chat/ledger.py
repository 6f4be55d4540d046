"""Answers given in Slack and the votes on them, in SQLite under the data folder."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index import sqlite

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL, blocks TEXT NOT NULL,
    user TEXT NOT NULL, channel TEXT NOT NULL, thread TEXT, posted_ts TEXT, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS answers_thread ON answers (channel, thread);
CREATE INDEX IF NOT EXISTS answers_posted ON answers (channel, posted_ts);
CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL REFERENCES answers (id), user TEXT NOT NULL,
    helpful INTEGER NOT NULL, at TEXT NOT NULL, PRIMARY KEY (answer_id, user));
"""


@dataclass(frozen=True)
class Entry:
    """One answer as it was given in Slack."""

    id: str
    question: str
    answer: str
    blocks: list[dict[str, Any]]
    user: str
    channel: str
    thread: str | None = None
    posted_ts: str | None = None


@dataclass(frozen=True)
class Vote:
    """A helpful / not helpful vote, with what was asked and answered."""

    answer_id: str
    question: str
    answer: str
    user: str
    channel: str
    helpful: bool
    at: datetime


class Ledger:
    """The store of answers (for sharing, follow-ups and feedback) and votes."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()  # one writer at a time inside this process
        sqlite.create(path, SCHEMA)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.transaction(self._path, timeout=10)

    def record(self, entry: Entry) -> None:
        """Keep an answer that was posted."""
        row = (entry.id, entry.question, entry.answer, json.dumps(entry.blocks), entry.user,
               entry.channel, entry.thread, entry.posted_ts, _now())
        with self._lock, self._connect() as db:
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)

    def entry(self, answer_id: str) -> Entry | None:
        """The answer with this id, if it was recorded."""
        with self._connect() as db:
            row = db.execute("SELECT id, question, answer, blocks, user, channel, thread, posted_ts"
                             " FROM answers WHERE id = ?", (answer_id,)).fetchone()
        if row is None:
            return None
        return Entry(row[0], row[1], row[2], json.loads(row[3]), *row[4:])

    def thread(self, channel: str, thread_ts: str) -> list[Entry]:
        """Answers given in a thread (rooted at a question or at an answer), oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, question, answer, user, channel, thread, posted_ts FROM answers"
                " WHERE channel = ? AND (thread = ? OR posted_ts = ?) ORDER BY at, rowid",
                (channel, thread_ts, thread_ts)).fetchall()
        return [Entry(r[0], r[1], r[2], [], *r[3:]) for r in rows]

    def vote(self, answer_id: str, user: str, helpful: bool) -> bool:
        """Store (or change) a user's vote; False when the answer is unknown."""
        with self._lock, self._connect() as db:
            if db.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone() is None:
                return False
            db.execute("INSERT OR REPLACE INTO votes VALUES (?, ?, ?, ?)",
                       (answer_id, user, int(helpful), _now()))
        return True

    def votes(self, limit: int = 100) -> list[Vote]:
        """The latest votes, newest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT v.answer_id, a.question, a.answer, v.user, a.channel, v.helpful, v.at"
                " FROM votes v JOIN answers a ON a.id = v.answer_id"
                " ORDER BY v.at DESC, v.rowid DESC LIMIT ?", (limit,)).fetchall()
        return [Vote(r[0], r[1], r[2], r[3], r[4], bool(r[5]), datetime.fromisoformat(r[6]))
                for r in rows]


def open_ledger(data_dir: Path) -> Ledger:
    """The ledger of a data folder."""
    return Ledger(data_dir / "slack.sqlite3")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
