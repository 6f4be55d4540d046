"""Idempotent ingest: unchanged articles cost nothing, changed ones replace all their chunks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

import numpy as np

from index.ingest.chunking import Chunker, embed_text
from index.records import Article, Chunk, Skip
from index.store import Store


class Indexer(Protocol):
    """A second index written in the same step as the store (the lexical one)."""

    def replace(self, items: Sequence[tuple[Article, list[Chunk], Any]], generation: str) -> None:
        """Index these articles' chunks in place of their old ones, stamped with the
        generation the store's write made."""


class Embedder(Protocol):
    """What ingest needs of an embedder."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass
class Report:
    """What an ingest run did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    chunks: int = 0
    skipped: list[Skip] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        """Articles read, skipped ones included."""
        return self.added + self.replaced + self.unchanged + len(self.skipped)

    @property
    def changed(self) -> bool:
        """Whether the store was written to."""
        return bool(self.added or self.replaced)


def _batches(items: Iterable[Article | Skip], size: int) -> Iterable[list[Article | Skip]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class Ingester:
    """Writes articles into a store, skipping what is already there."""

    def __init__(
        self,
        store: Store,
        chunker: Chunker,
        embedder: Embedder,
        batch: int = 64,
        indexer: Indexer | None = None,
    ) -> None:
        self._store = store
        self._indexer = indexer
        self._chunker = chunker
        self._embedder = embedder
        self._batch = batch

    def run(
        self,
        items: Iterable[Article | Skip],
        progress: Callable[[int], None] | None = None,
        writing: Callable[[list[Article]], None] | None = None,
    ) -> Report:
        """Ingest everything; `progress` is told how many items each batch handled, `writing`
        which articles are about to be added or replaced (unchanged and skipped ones never)."""
        report = Report()
        seen: dict[str, str] = {}  # text hash -> article id, within this run
        start = time.perf_counter()
        for batch in _batches(items, self._batch):
            self._one_batch(batch, report, seen, writing)
            if progress:
                progress(len(batch))
        report.seconds = time.perf_counter() - start
        return report

    def _one_batch(
        self,
        batch: list[Article | Skip],
        report: Report,
        seen: dict[str, str],
        writing: Callable[[list[Article]], None] | None = None,
    ) -> None:
        articles = self._fresh(batch, report, seen)
        stored = self._store.stored([a.id for a in articles])
        todo = []
        for article in articles:
            old = stored.get(article.id)
            if old and old.content_hash == article.content_hash:
                report.unchanged += 1
            else:
                todo.append((article, old is not None))
        todo = self._drop_stored_copies(todo, report)
        chunked = [(a, was, self._chunker.chunk(a)) for a, was in todo]
        ready = []
        for article, was, chunks in chunked:
            if not chunks:
                report.skipped.append(Skip(article.origin, "no text left to index"))
                continue
            ready.append((article, was, chunks))
        vectors = self._embed([c for _, _, cs in ready for c in cs], {a.id: a for a, _, _ in ready})
        items, offset = [], 0
        for article, was, chunks in ready:
            items.append((article, chunks, vectors[offset : offset + len(chunks)]))
            offset += len(chunks)
            report.replaced += was
            report.added += not was
            report.chunks += len(chunks)
        if writing and items:  # before the store: a crash in between is redone on the next run
            writing([a for a, _, _ in items])
        generation = self._store.replace(items)
        if self._indexer is not None and items:
            self._indexer.replace(items, generation)

    def _fresh(
        self, batch: list[Article | Skip], report: Report, seen: dict[str, str]
    ) -> list[Article]:
        """Articles of the batch that are not skips or repeats of this run."""
        out: dict[str, Article] = {}
        for item in batch:
            if isinstance(item, Skip):
                report.skipped.append(item)
                continue
            twin = seen.get(item.text_hash)
            if twin is not None:
                # Also when the id is the same (a record repeated with other metadata): letting
                # both through would make them replace each other on every run.
                report.skipped.append(
                    Skip(item.origin, f"same text as article {twin}, read earlier")
                )
                continue
            seen[item.text_hash] = item.id
            out[item.id] = item
        return list(out.values())

    def _drop_stored_copies(
        self, todo: list[tuple[Article, bool]], report: Report
    ) -> list[tuple[Article, bool]]:
        """Skip an article whose exact text is already stored under another id (another URL)."""
        owners = self._store.with_text([a.text_hash for a, _ in todo])
        kept = []
        for article, was in todo:
            owner = owners.get(article.text_hash)
            if owner and owner != article.id:
                report.skipped.append(Skip(article.origin, f"same text as stored article {owner}"))
            else:
                kept.append((article, was))
        return kept

    def _embed(self, chunks: list[Chunk], articles: dict[str, Article]) -> np.ndarray:
        if not chunks:
            return np.zeros((0, 0), dtype=np.float32)
        texts = [embed_text(articles[c.article_id].title, c.text) for c in chunks]
        return self._embedder.embed(texts)
