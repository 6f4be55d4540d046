"""The lexical index on disk: one SQLite file of analysed chunks and their postings.

A write adds one segment (the batch's rows, and one postings row per term it holds) in one
transaction, so a batch costs time in proportion to the batch. Replaced chunks are marked dead
rather than cut out of the postings; a term whose postings pile up in many small parts has its
similar-sized parts merged as it is written (size-tiered, so each posting is rewritten a few
times over its life). Scores are computed at query time (see lexical.py), so statistics such
as document frequency and mean length are always those of the chunks alive now.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index import sqlite

FORMAT = "3"  # bump when the schema or the term analysis changes: the file is rebuilt
MAX_PARTS = 24  # postings rows one term may have before its similar-sized parts are merged
ROW, TF, LENGTH = np.uint32, np.uint16, np.uint16
IN_CHUNK = 500  # ids per `IN (...)` list
SEGMENT = 4000  # chunks per segment at most

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS chunks (
    row INTEGER PRIMARY KEY AUTOINCREMENT,
    chunk_id TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    source TEXT NOT NULL,
    stamp INTEGER NOT NULL,
    sentences TEXT NOT NULL,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks (article_id);
CREATE TABLE IF NOT EXISTS articles (article_id TEXT PRIMARY KEY, texts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS segments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rows BLOB NOT NULL, stamps BLOB NOT NULL, sources BLOB NOT NULL, lengths BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS dead (seq INTEGER PRIMARY KEY AUTOINCREMENT, row INTEGER NOT NULL);
-- a rowid table: new rows go at its end, and the large merged rows stay out of the term index
CREATE TABLE IF NOT EXISTS postings (
    id INTEGER PRIMARY KEY, term TEXT NOT NULL, part INTEGER NOT NULL, rows BLOB NOT NULL,
    tfs BLOB NOT NULL, lengths BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS postings_term ON postings (term, part);
"""


@dataclass(frozen=True)
class Analysed:
    """One chunk as the index keeps it: its terms counted, its sentences' terms, its fields."""

    chunk_id: str
    article_id: str
    n: int
    source: str
    stamp: int
    counts: Counter[str]
    sentences: str  # each sentence's terms joined by spaces, sentences by newlines
    text: str
    content_hash: str = ""  # of the article the chunk was cut from

    @property
    def length(self) -> int:
        """Number of terms (BM25's document length)."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class Segment:
    """Per-row fields of one write, as arrays."""

    rows: np.ndarray
    stamps: np.ndarray
    sources: np.ndarray
    lengths: np.ndarray


def _chunked(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), IN_CHUNK):
        yield items[start : start + IN_CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


class PostingsFile:
    """The SQLite file; reads share one connection per thread, each write is a transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._opened = 0  # bumped by create(): every thread's connection is opened again

    def exists(self) -> bool:
        """Whether the file is there, of this format (an older or damaged one is not)."""
        if not self.path.is_file():
            return False
        try:
            return self.meta("format") == FORMAT
        except sqlite3.DatabaseError:
            return False

    def create(self) -> None:
        """Start an empty file (removing a damaged or older one at the path)."""
        self._opened += 1
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        sqlite.create(self.path, SCHEMA)
        with sqlite.transaction(self.path) as db:
            db.execute(
                "INSERT INTO meta VALUES ('format', ?), ('generation', ''), ('epoch', ?)",
                (FORMAT, uuid.uuid4().hex),
            )

    def _db(self) -> sqlite3.Connection:
        held = getattr(self._local, "db", None)
        if held is not None and held[0] == self._opened:
            return held[1]
        if held is not None:
            held[1].close()
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)  # autocommit reads
        self._local.db = (self._opened, db)
        return db

    def meta(self, key: str) -> str | None:
        """A value of the meta table."""
        # fetchall: a cursor left open would keep this connection's read snapshot open
        found = self._db().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchall()
        return found[0][0] if found else None

    def write(
        self,
        chunks: Sequence[Analysed],
        generation: str,
        gone_articles: Iterable[str] = (),
        gone_chunks: Iterable[str] = (),
        texts: dict[str, str] | None = None,
    ) -> None:
        """In one transaction: mark the chunks of the gone articles, the gone chunks and any
        older copy of these chunks dead, add these chunks as a new segment, store the articles'
        rebuilt texts (article id -> JSON; None drops an article's), and stamp the generation.
        A crash leaves the file as it was before."""
        gone = sorted(set(gone_articles))
        with sqlite.transaction(self.path) as db:
            db.execute("BEGIN IMMEDIATE")  # reads below see what no other writer can change
            self._kill(db, "article_id", gone)
            self._kill(db, "chunk_id", sorted(set(gone_chunks) | {c.chunk_id for c in chunks}))
            for start in range(0, len(chunks), SEGMENT):
                self._add(db, chunks[start : start + SEGMENT])
            db.executemany("DELETE FROM articles WHERE article_id = ?", [(a,) for a in gone])
            self._texts(db, texts or {})
            db.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (generation,))

    @staticmethod
    def _texts(db: sqlite3.Connection, texts: dict[str, str | None]) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO articles VALUES (?, ?)",
            [(a, t) for a, t in texts.items() if t is not None],
        )
        db.executemany(
            "DELETE FROM articles WHERE article_id = ?",
            [(a,) for a, t in texts.items() if t is None],
        )

    def clear(self, db: sqlite3.Connection) -> None:
        """Empty the index inside a write (rows are numbered from 1 again, a new epoch tells
        readers to load it afresh)."""
        tables = ("chunks", "articles", "segments", "dead", "postings", "sources")
        for table in (*tables, "sqlite_sequence"):
            db.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
        db.execute("UPDATE meta SET value = ? WHERE key = 'epoch'", (uuid.uuid4().hex,))

    def rewrite(self, batches: Iterable[Sequence[Analysed]], generation: str, texts: Any) -> None:
        """Replace the whole index with these chunks in one transaction (readers see the old
        index until it commits); `texts` makes each article's text JSON from its chunks'
        (chunk id, text) once every chunk is in."""
        with sqlite.transaction(self.path) as db:
            db.execute("BEGIN IMMEDIATE")
            self.clear(db)
            for batch in batches:
                self._add(db, batch)
            ids = [r[0] for r in db.execute("SELECT DISTINCT article_id FROM chunks")]
            for part in _chunked(ids):
                rows = db.execute(
                    f"SELECT chunk_id, text FROM chunks WHERE article_id IN ({_marks(len(part))})",
                    part,
                ).fetchall()
                self._texts(db, texts(rows))
            db.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (generation,))

    @staticmethod
    def _kill(db: sqlite3.Connection, column: str, values: Sequence[str]) -> None:
        for part in _chunked(values):
            rows = db.execute(
                f"SELECT row FROM chunks WHERE {column} IN ({_marks(len(part))})", part
            ).fetchall()
            db.executemany("INSERT INTO dead (row) VALUES (?)", rows)
            db.executemany("DELETE FROM chunks WHERE row = ?", rows)

    def _add(self, db: sqlite3.Connection, chunks: Sequence[Analysed]) -> None:
        if not chunks:
            return
        rows = []
        for c in chunks:
            cur = db.execute(
                "INSERT INTO chunks (chunk_id, article_id, n, source, stamp, sentences, text, "
                "content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    c.chunk_id,
                    c.article_id,
                    c.n,
                    c.source,
                    c.stamp,
                    c.sentences,
                    c.text,
                    c.content_hash,
                ),
            )
            rows.append(cur.lastrowid)
        codes = self._codes(db, {c.source for c in chunks})
        lengths = np.minimum([c.length for c in chunks], np.iinfo(LENGTH).max).astype(LENGTH)
        part = db.execute(
            "INSERT INTO segments (rows, stamps, sources, lengths) VALUES (?, ?, ?, ?)",
            (
                np.array(rows, dtype=ROW).tobytes(),
                np.array([c.stamp for c in chunks], dtype=np.int64).tobytes(),
                np.array([codes[c.source] for c in chunks], dtype=np.int32).tobytes(),
                lengths.tobytes(),
            ),
        ).lastrowid
        by_term: dict[str, tuple[list[int], list[int], list[int]]] = {}
        for row, chunk, length in zip(rows, chunks, lengths.tolist(), strict=True):
            for term, tf in chunk.counts.items():
                entry = by_term.setdefault(term, ([], [], []))
                entry[0].append(row)
                entry[1].append(tf)
                entry[2].append(length)
        top = np.iinfo(TF).max
        db.executemany(  # array(): far cheaper than numpy for the many short lists here
            "INSERT INTO postings (term, part, rows, tfs, lengths) VALUES (?, ?, ?, ?, ?)",
            (
                (
                    term,
                    part,
                    array("I", r).tobytes(),
                    array("H", [min(x, top) for x in t]).tobytes(),
                    array("H", n).tobytes(),
                )
                for term, (r, t, n) in sorted(by_term.items())
            ),
        )
        self._merge(db, list(by_term))

    @staticmethod
    def _codes(db: sqlite3.Connection, names: set[str]) -> dict[str, int]:
        db.executemany("INSERT OR IGNORE INTO sources (name) VALUES (?)", [(n,) for n in names])
        return dict(db.execute("SELECT name, code FROM sources").fetchall())

    def _merge(self, db: sqlite3.Connection, terms: list[str]) -> None:
        """Merge the similar-sized parts of terms that have more than MAX_PARTS."""
        crowded = []
        for part in _chunked(terms):
            crowded += db.execute(
                f"SELECT term FROM postings WHERE term IN ({_marks(len(part))}) "
                f"GROUP BY term HAVING COUNT(*) > {MAX_PARTS}",
                part,
            ).fetchall()
        for (term,) in crowded:
            sizes = db.execute(
                "SELECT part, length(rows) FROM postings WHERE term = ? ORDER BY length(rows)",
                (term,),
            ).fetchall()
            take, size = [sizes[0][0]], sizes[0][1]
            for part, length in sizes[1:]:
                if length > 4 * size and len(take) >= 2:
                    break  # a part much bigger than all below it waits for them to grow
                take.append(part)
                size += length
            marks = _marks(len(take))
            parts = db.execute(
                f"SELECT rows, tfs, lengths FROM postings WHERE term = ? AND part IN ({marks})",
                (term, *take),
            ).fetchall()
            db.execute(f"DELETE FROM postings WHERE term = ? AND part IN ({marks})", (term, *take))
            db.execute(
                "INSERT INTO postings (term, part, rows, tfs, lengths) VALUES (?, ?, ?, ?, ?)",
                (term, min(take), *(b"".join(p[i] for p in parts) for i in range(3))),
            )

    def segments(self, after: int) -> tuple[list[Segment], int]:
        """Segments written after segment `after`, and the last segment's id."""
        found = (
            self._db()
            .execute(
                "SELECT id, rows, stamps, sources, lengths FROM segments WHERE id > ? ORDER BY id",
                (after,),
            )
            .fetchall()
        )
        out, last = [], after
        for seg_id, rows, stamps, sources, lengths in found:
            out.append(
                Segment(
                    np.frombuffer(rows, dtype=ROW),
                    np.frombuffer(stamps, dtype=np.int64),
                    np.frombuffer(sources, dtype=np.int32),
                    np.frombuffer(lengths, dtype=LENGTH),
                )
            )
            last = seg_id
        return out, last

    def dead(self, after: int) -> tuple[np.ndarray, int]:
        """Rows marked dead after mark `after`, and the last mark."""
        found = (
            self._db()
            .execute("SELECT seq, row FROM dead WHERE seq > ? ORDER BY seq", (after,))
            .fetchall()
        )
        rows = np.array([r for _, r in found], dtype=np.int64)
        return rows, (found[-1][0] if found else after)

    def sources(self) -> dict[int, str]:
        """Outlet code -> name."""
        return dict(self._db().execute("SELECT code, name FROM sources").fetchall())

    def postings(self, terms: Iterable[str]) -> dict[str, tuple[np.ndarray, ...]]:
        """term -> (rows, term frequencies, chunk lengths), for the terms found."""
        wanted = sorted(set(terms))
        parts: dict[str, list[tuple[bytes, bytes, bytes]]] = {}
        for chunk in _chunked(wanted):
            for term, rows, tfs, lengths in self._db().execute(
                f"SELECT term, rows, tfs, lengths FROM postings "
                f"WHERE term IN ({_marks(len(chunk))})",
                chunk,
            ):
                parts.setdefault(term, []).append((rows, tfs, lengths))
        return {
            term: tuple(
                np.frombuffer(b"".join(p[i] for p in found), dtype=dt)
                for i, dt in enumerate((ROW, TF, LENGTH))
            )
            for term, found in parts.items()
        }

    def chunk_ids(self, rows: Sequence[int]) -> dict[int, str]:
        """row -> chunk id, for the rows still alive."""
        out: dict[int, str] = {}
        for part in _chunked(list(rows)):
            out.update(
                self._db()
                .execute(
                    f"SELECT row, chunk_id FROM chunks WHERE row IN ({_marks(len(part))})", part
                )
                .fetchall()
            )
        return out

    def sentences(self, chunk_ids: Sequence[str]) -> dict[str, str]:
        """chunk id -> its sentences' terms (see Analysed.sentences)."""
        out: dict[str, str] = {}
        for part in _chunked(list(chunk_ids)):
            out.update(
                self._db()
                .execute(
                    f"SELECT chunk_id, sentences FROM chunks WHERE chunk_id IN "
                    f"({_marks(len(part))})",
                    part,
                )
                .fetchall()
            )
        return out

    def texts(self, article_ids: Sequence[str]) -> list[str]:
        """The stored text JSON of these articles."""
        out: list[str] = []
        for part in _chunked(list(article_ids)):
            out += [
                r[0]
                for r in self._db().execute(
                    f"SELECT texts FROM articles WHERE article_id IN ({_marks(len(part))})", part
                )
            ]
        return out

    def chunk_texts(self, article_ids: Sequence[str]) -> list[tuple[str, str]]:
        """(chunk id, text) of every chunk of these articles."""
        out: list[tuple[str, str]] = []
        for part in _chunked(list(article_ids)):
            out += self._db().execute(
                f"SELECT chunk_id, text FROM chunks WHERE article_id IN ({_marks(len(part))})",
                part,
            )
        return out

    def hashes(self) -> dict[str, str]:
        """chunk id -> its article's content hash, for every chunk indexed."""
        return dict(self._db().execute("SELECT chunk_id, content_hash FROM chunks").fetchall())

    def articles(self) -> list[tuple[str, int, int]]:
        """(source, stamp, chunk count) per article."""
        return (
            self._db()
            .execute(
                "SELECT source, MAX(CASE WHEN n = 0 THEN stamp END), COUNT(*) FROM chunks "
                "GROUP BY article_id"
            )
            .fetchall()
        )
