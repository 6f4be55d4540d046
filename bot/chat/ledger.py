"""Answers given in chats and the votes on them, in the shared database. An answer is
kept as data (sentences, citations), so any platform can show it again."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select

from bot.answer.render import answer_prose
from index.database import Database
from index.database.legacy import first_import, read_rows
from index.database.tables import answers, votes
from index.records import Answer, Citation, Sentence

FILE = "chat.sqlite3"  # the ledger's own file before the shared database
LEGACY = "slack.sqlite3"  # the ledger's file before it held platform-neutral answers
ENTRY = (
    answers.c.id,
    answers.c.question,
    answers.c.reply,
    answers.c.user,
    answers.c.channel,
    answers.c.thread,
    answers.c.message,
)


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
    """The store of answers (for sharing, follow-ups and feedback) and votes, in the shared
    database: every replica finds a thread's earlier answers."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def record(self, entry: Entry) -> None:
        """Keep an answer that was given."""
        row = {
            "id": entry.id,
            "question": entry.question,
            "prose": entry.prose,
            "reply": json.dumps(answer_data(entry.answer)),
            "user": entry.user,
            "channel": entry.channel,
            "thread": entry.thread,
            "message": entry.message,
            "at": _now(),
        }
        insert = self.database.insert(answers).values(row)
        replace = insert.on_conflict_do_update(
            index_elements=["id"], set_={k: insert.excluded[k] for k in row if k != "id"}
        )
        with self.database.begin() as db:
            db.execute(replace)

    def entry(self, answer_id: str) -> Entry | None:
        """The answer with this id, if it was recorded."""
        with self.database.begin() as db:
            row = db.execute(select(*ENTRY).where(answers.c.id == answer_id)).first()
        return None if row is None else _entry(tuple(row))

    def thread(self, channel: str, thread: str) -> list[Entry]:
        """Answers given in a thread (rooted at a question or at an answer), oldest first."""
        query = select(*ENTRY).where(
            answers.c.channel == channel,
            or_(answers.c.thread == thread, answers.c.message == thread),
        )
        with self.database.begin() as db:
            rows = db.execute(query.order_by(answers.c.at, answers.c.id)).all()
        return [_entry(tuple(r)) for r in rows]

    def vote(self, answer_id: str, user: str, helpful: bool) -> bool:
        """Store (or change) a user's vote; False when the answer is unknown."""
        insert = self.database.insert(votes).values(
            answer_id=answer_id, user=user, helpful=int(helpful), at=_now()
        )
        replace = insert.on_conflict_do_update(
            index_elements=["answer_id", "user"],
            set_={"helpful": insert.excluded.helpful, "at": insert.excluded.at},
        )
        with self.database.begin() as db:
            if db.execute(select(answers.c.id).where(answers.c.id == answer_id)).first() is None:
                return False
            db.execute(replace)
        return True

    def votes(self, limit: int = 100) -> list[Vote]:
        """The latest votes, newest first."""
        query = (
            select(
                votes.c.answer_id,
                answers.c.question,
                answers.c.prose,
                votes.c.user,
                answers.c.channel,
                votes.c.helpful,
                votes.c.at,
            )
            .join(answers, answers.c.id == votes.c.answer_id)
            .order_by(votes.c.at.desc(), votes.c.answer_id, votes.c.user)
            .limit(limit)
        )
        with self.database.begin() as db:
            rows = db.execute(query).all()
        return [
            Vote(r[0], r[1], r[2], r[3], r[4], bool(r[5]), datetime.fromisoformat(r[6]))
            for r in rows
        ]

    def import_folder(self, data_dir: Path) -> bool:
        """Read the ledger a data folder kept in its own file (chat.sqlite3, or before it the
        Slack-only slack.sqlite3) once; False when there is none or it was read before."""
        if (data_dir / FILE).is_file():
            return self._import(data_dir / FILE, "ledger")
        if (data_dir / LEGACY).is_file():
            return self._import(data_dir / LEGACY, "slack-ledger")
        return False

    def _import(self, path: Path, kind: str) -> bool:
        old_answers = read_rows(path, "answers")
        old_votes = read_rows(path, "votes")
        if kind == "slack-ledger":  # its answers keep their prose; their Block Kit is not read
            old_answers = [_slack_answer(a) for a in old_answers]
        with self.database.begin() as db:
            if not first_import(db, self.database, f"{kind}:{path.resolve()}"):
                return False
            if old_answers:
                db.execute(self.database.insert(answers).on_conflict_do_nothing(), old_answers)
            if old_votes:
                db.execute(self.database.insert(votes).on_conflict_do_nothing(), old_votes)
        return True


def _slack_answer(a: dict[str, Any]) -> dict[str, Any]:
    """A row of the Slack-only ledger as a row of answers: shared again, it shows its prose
    without its source list."""
    reply = answer_data(Answer(a["question"], (Sentence(a["answer"], ()),), ()))
    return {
        "id": a["id"],
        "question": a["question"],
        "prose": a["answer"],
        "reply": json.dumps(reply),
        "user": a["user"],
        "channel": a["channel"],
        "thread": a["thread"],
        "message": a["posted_ts"],
        "at": a["at"],
    }


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


def open_ledger(database: Database, data_dir: Path | None = None) -> Ledger:
    """The ledger in the database, with the data folder's own ledger file read in (once)."""
    ledger = Ledger(database)
    if data_dir is not None:
        ledger.import_folder(data_dir)
    return ledger


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
