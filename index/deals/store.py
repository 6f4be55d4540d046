"""Deals and the article facts digests need, in SQLite beside the store (a file per collection)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index import sqlite
from index.deals import vocab
from index.records import Article, Deal

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, source TEXT, url TEXT, published_ts INTEGER);
CREATE INDEX IF NOT EXISTS articles_date ON articles (published_ts);
CREATE TABLE IF NOT EXISTS deals (
    article_id TEXT NOT NULL, n INTEGER NOT NULL, company TEXT NOT NULL,
    company_key TEXT NOT NULL, kind TEXT NOT NULL, amount REAL, currency TEXT, maturity TEXT,
    coupon TEXT, use_of_proceeds TEXT, announced_ts INTEGER, evidence TEXT NOT NULL,
    parties TEXT NOT NULL DEFAULT '[]', target TEXT, valuation REAL, valuation_currency TEXT,
    PRIMARY KEY (article_id, n));
CREATE INDEX IF NOT EXISTS deals_company ON deals (company_key);
CREATE INDEX IF NOT EXISTS deals_kind ON deals (kind);
"""
DEAL_COLUMNS = (
    "article_id, company, kind, amount, currency, maturity, coupon, use_of_proceeds,"
    " announced_ts, evidence, parties, target, valuation, valuation_currency"
)
# Columns added since the first schema: (name, declaration), added to older files on open.
ADDED_COLUMNS = (
    ("parties", "TEXT NOT NULL DEFAULT '[]'"),
    ("target", "TEXT"),
    ("valuation", "REAL"),
    ("valuation_currency", "TEXT"),
)
# Words that name a company's legal form, not the company: "Alibaba Group Holding Ltd" is Alibaba.
SUFFIXES = frozenset(vocab.words("legal_forms"))


@dataclass(frozen=True)
class ArticleInfo:
    """What a digest shows of an article: its title, outlet, link and date."""

    id: str
    title: str
    source: str | None = None
    url: str | None = None
    published_at: datetime | None = None

    @classmethod
    def of(cls, article: Article) -> ArticleInfo:
        """The facts of an article as loaded."""
        return cls(article.id, article.title, article.source, article.url, article.published_at)


def company_key(name: str) -> str:
    """A company's name without case, punctuation or legal-form words, for matching."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).split()
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return " ".join(words)


def _matches(wanted: str, key: str) -> bool:
    """Same company, allowing a longer or shorter form ('texaco' ~ 'texaco canada') and an
    acronym ('ibm' ~ 'international business machines')."""
    if not wanted or not key:
        return False
    if key == wanted or key.startswith(wanted + " ") or wanted.startswith(key + " "):
        return True
    words = key.split()
    return " " not in wanted and len(words) > 1 and "".join(w[0] for w in words) == wanted


def _parties(stored: str | None) -> tuple[str, ...]:
    try:
        names = json.loads(stored or "[]")
    except ValueError:
        return ()
    return tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else ()


def _stamp(when: datetime | None) -> int | None:
    return int(when.timestamp()) if when else None


def _time(stamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(stamp, UTC) if stamp is not None else None


class DealStore:
    """Every ingested article's facts and the deals read from it; safe for several processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        sqlite.create(path, SCHEMA)
        with self._connect() as db:
            have = {row[1] for row in db.execute("PRAGMA table_info(deals)")}
            for name, declaration in ADDED_COLUMNS:
                if name not in have:  # a file written before the column existed
                    db.execute(f"ALTER TABLE deals ADD COLUMN {name} {declaration}")

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.transaction(self.path)

    def replace(
        self, items: Sequence[tuple[ArticleInfo, Sequence[Deal]]], *, everything: bool = False
    ) -> None:
        """Store these articles and their deals, replacing whatever was stored for them (or,
        with `everything`, all that was stored: readers see the old set or the new, never none)."""
        if not items and not everything:
            return
        ids = [(a.id,) for a, _ in items]
        arts = [(a.id, a.title, a.source, a.url, _stamp(a.published_at)) for a, _ in items]
        deals = [
            (
                d.article_id,
                n,
                d.company,
                company_key(d.company),
                d.kind,
                d.amount,
                d.currency,
                d.maturity,
                d.coupon,
                d.use_of_proceeds,
                _stamp(d.announced),
                d.evidence,
                json.dumps(list(d.parties), ensure_ascii=False),
                d.target,
                d.valuation,
                d.valuation_currency,
            )
            for _, ds in items
            for n, d in enumerate(ds)
        ]
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")  # take the write lock now, not halfway through
            if everything:
                db.execute("DELETE FROM deals")
                db.execute("DELETE FROM articles")
            db.executemany("DELETE FROM deals WHERE article_id = ?", ids)
            db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)", arts)
            db.executemany(f"INSERT INTO deals VALUES ({', '.join('?' * 16)})", deals)

    def keep(self, article_ids: set[str]) -> int:
        """Forget the articles (and their deals) not among these ids; how many went."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            stored = {row[0] for row in db.execute("SELECT id FROM articles")}
            gone = [(i,) for i in stored - article_ids]
            db.executemany("DELETE FROM deals WHERE article_id = ?", gone)
            db.executemany("DELETE FROM articles WHERE id = ?", gone)
        return len(gone)

    def deals(
        self,
        company: str | None = None,
        kind: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Deal]:
        """Deals, oldest article first, by company (any case, legal form or acronym), kind and
        the publication date of their article (undated articles only when no date is given)."""
        where, args = self._period(since, until)
        if kind:
            where.append("d.kind = ?")
            args.append(kind)
        if company is not None:
            keys = self._companies(company)
            if not keys:
                return []
            where.append(f"d.company_key IN ({', '.join('?' * len(keys))})")
            args.extend(keys)
        sql = (
            f"SELECT {', '.join('d.' + c.strip() for c in DEAL_COLUMNS.split(','))}"
            " FROM deals d JOIN articles a ON a.id = d.article_id"
            f"{' WHERE ' + ' AND '.join(where) if where else ''}"
            " ORDER BY a.published_ts, d.article_id, d.n"
        )
        with self._connect() as db:
            rows = db.execute(sql, args).fetchall()
        return [
            Deal(
                *r[:8],
                announced=_time(r[8]),
                evidence=r[9],
                parties=_parties(r[10]),
                target=r[11],
                valuation=r[12],
                valuation_currency=r[13],
            )
            for r in rows
        ]

    def _companies(self, name: str) -> list[str]:
        wanted = company_key(name)
        with self._connect() as db:
            keys = [k for (k,) in db.execute("SELECT DISTINCT company_key FROM deals")]
        return [k for k in keys if _matches(wanted, k)]

    @staticmethod
    def _period(since: datetime | None, until: datetime | None) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        if since is not None:
            where.append("a.published_ts >= ?")
            args.append(_stamp(since))
        if until is not None:
            where.append("a.published_ts <= ?")
            args.append(_stamp(until))
        return where, args

    def articles(self, ids: Sequence[str]) -> dict[str, ArticleInfo]:
        """The stored facts of these articles."""
        found: dict[str, ArticleInfo] = {}
        with self._connect() as db:
            for start in range(0, len(ids), 500):  # SQLite's limit on parameters
                part = list(ids[start : start + 500])
                rows = db.execute(
                    "SELECT id, title, source, url, published_ts FROM articles"
                    f" WHERE id IN ({', '.join('?' * len(part))})",
                    part,
                )
                found |= {r[0]: ArticleInfo(r[0], r[1], r[2], r[3], _time(r[4])) for r in rows}
        return found

    def articles_between(
        self, since: datetime | None = None, until: datetime | None = None, limit: int = 5000
    ) -> list[ArticleInfo]:
        """The facts of the articles published in a period, oldest first (at most `limit`)."""
        where, args = self._period(since, until)
        sql = (
            "SELECT id, title, source, url, published_ts FROM articles a"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY published_ts, id LIMIT ?"
        )
        with self._connect() as db:
            rows = db.execute(sql, [*args, limit]).fetchall()
        return [ArticleInfo(r[0], r[1], r[2], r[3], _time(r[4])) for r in rows]

    def count_articles(self, since: datetime | None = None, until: datetime | None = None) -> int:
        """Articles published in a period (all of them without one)."""
        where, args = self._period(since, until)
        sql = "SELECT COUNT(*) FROM articles a" + (" WHERE " + " AND ".join(where) if where else "")
        with self._connect() as db:
            return int(db.execute(sql, args).fetchone()[0])


def stored_articles(rows: Iterator[tuple[str, str, dict[str, Any]]]) -> Iterator[Article]:
    """Articles put back together from a store's chunk rows (chunk, text, metadata), overlaps
    removed: how an index built before deals existed gets its deals without the source files."""
    chunks: dict[str, list[tuple[int, str, dict[str, Any]]]] = defaultdict(list)
    for _, text, meta in rows:
        chunks[meta["article_id"]].append((int(meta.get("chunk", 0)), text, meta))
    for article_id, parts in chunks.items():
        parts.sort(key=lambda p: p[0])
        meta = parts[0][2]
        stamp = meta.get("published_ts")
        yield Article(
            article_id,
            meta.get("title", ""),
            _stitch([t for _, t, _ in parts]),
            meta.get("url"),
            meta.get("source"),
            _time(stamp),
            meta.get("author"),
            origin=f"stored article {article_id}",
        )


def _stitch(texts: list[str]) -> str:
    """Join consecutive chunks, dropping the head of each that repeats the previous one's tail."""
    body = texts[0] if texts else ""
    for text in texts[1:]:
        overlap = next(
            (k for k in range(min(len(text), len(body)), 0, -1) if body.endswith(text[:k])), 0
        )
        body = body + text[overlap:] if overlap >= 8 else body + "\n" + text
    return body
