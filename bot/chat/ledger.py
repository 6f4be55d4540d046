"""Answers given in chats and the votes on them, in SQLite under the data folder. An answer is
kept as data (sentences, citations), so any platform can show it again."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.answer.render import answer_prose
from index import sqlite
from index.records import Answer, Citation, Sentence

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, question TEXT NOT NULL, prose TEXT NOT NULL, reply TEXT NOT NULL,
    user TEXT NOT NULL, channel TEXT NOT NULL, thread TEXT, message TEXT, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS answers_thread ON answers (channel, thread);
CREATE INDEX IF NOT EXISTS answers_message ON answers (channel, message);
CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL REFERENCES answers (id), user TEXT NOT NULL,
    helpful INTEGER NOT NULL, at TEXT NOT NULL, PRIMARY KEY (answer_id, user));
"""
LEGACY = "slack.sqlite3"  # the ledger's file before it held platform-neutral answers


@dataclass(frozen=True)
class Entry:
    """One answer as it was given in a conversation."""

    id: str
    question: str
    answer: Answer
    user: str
    channel: str
    thread: str | None = None  # the thread it was given in
    message: str | None = None  # the posted message's own id (a thread may start there)

    @property
    def prose(self) -> str:
        """The answer's text with its [n] markers, as it was shown."""
        return answer_prose(self.answer)


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
        fresh = not path.exists()
        sqlite.create(path, SCHEMA)
        legacy = path.with_name(LEGACY)
        if fresh and legacy.is_file():
            self._import(legacy)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.transaction(self._path, timeout=10)

    def record(self, entry: Entry) -> None:
        """Keep an answer that was given."""
        row = (
            entry.id,
            entry.question,
            entry.prose,
            json.dumps(answer_data(entry.answer)),
            entry.user,
            entry.channel,
            entry.thread,
            entry.message,
            _now(),
        )
        with self._lock, self._connect() as db:
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)

    def entry(self, answer_id: str) -> Entry | None:
        """The answer with this id, if it was recorded."""
        with self._connect() as db:
            row = db.execute(
                "SELECT id, question, reply, user, channel, thread, message"
                " FROM answers WHERE id = ?",
                (answer_id,),
            ).fetchone()
        return None if row is None else _entry(row)

    def thread(self, channel: str, thread: str) -> list[Entry]:
        """Answers given in a thread (rooted at a question or at an answer), oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, question, reply, user, channel, thread, message FROM answers"
                " WHERE channel = ? AND (thread = ? OR message = ?) ORDER BY at, rowid",
                (channel, thread, thread),
            ).fetchall()
        return [_entry(r) for r in rows]

    def vote(self, answer_id: str, user: str, helpful: bool) -> bool:
        """Store (or change) a user's vote; False when the answer is unknown."""
        with self._lock, self._connect() as db:
            if db.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone() is None:
                return False
            db.execute(
                "INSERT OR REPLACE INTO votes VALUES (?, ?, ?, ?)",
                (answer_id, user, int(helpful), _now()),
            )
        return True

    def votes(self, limit: int = 100) -> list[Vote]:
        """The latest votes, newest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT v.answer_id, a.question, a.prose, v.user, a.channel, v.helpful, v.at"
                " FROM votes v JOIN answers a ON a.id = v.answer_id"
                " ORDER BY v.at DESC, v.rowid DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            Vote(r[0], r[1], r[2], r[3], r[4], bool(r[5]), datetime.fromisoformat(r[6]))
            for r in rows
        ]

    def _import(self, legacy: Path) -> None:
        """Answers and votes of the Slack-only ledger; its answers keep their prose (their
        Block Kit is not read back), so sharing one shows it without its source list."""
        with sqlite.transaction(legacy, timeout=10) as old:
            answers = old.execute(
                "SELECT id, question, answer, user, channel, thread, posted_ts, at FROM answers"
            ).fetchall()
            votes = old.execute("SELECT answer_id, user, helpful, at FROM votes").fetchall()
        with self._lock, self._connect() as db:
            for a in answers:
                reply = answer_data(Answer(a[1], (Sentence(a[2], ()),), ()))
                db.execute(
                    "INSERT OR IGNORE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (a[0], a[1], a[2], json.dumps(reply), *a[3:]),
                )
            db.executemany("INSERT OR IGNORE INTO votes VALUES (?, ?, ?, ?)", votes)


def answer_data(answer: Answer) -> dict[str, Any]:
    """An answer as JSON-ready data, all that is needed to show it again."""
    return {
        "question": answer.question,
        "refused": answer.refused,
        "note": answer.note,
        "sentences": [[s.text, list(s.cites)] for s in answer.sentences],
        "citations": [
            [
                c.n,
                c.article_id,
                c.title,
                c.source,
                c.url,
                c.published_at.isoformat() if c.published_at else None,
            ]
            for c in answer.citations
        ],
    }


def answer_of(data: dict[str, Any]) -> Answer:
    """The answer that answer_data() stored."""
    return Answer(
        data["question"],
        tuple(Sentence(text, tuple(cites)) for text, cites in data["sentences"]),
        tuple(
            Citation(n, a, title, source, url, datetime.fromisoformat(at) if at else None)
            for n, a, title, source, url, at in data["citations"]
        ),
        refused=data["refused"],
        note=data["note"],
    )


def _entry(row: tuple[Any, ...]) -> Entry:
    return Entry(row[0], row[1], answer_of(json.loads(row[2])), *row[3:])


def open_ledger(data_dir: Path) -> Ledger:
    """The ledger of a data folder."""
    return Ledger(data_dir / "chat.sqlite3")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
