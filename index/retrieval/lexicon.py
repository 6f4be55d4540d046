"""The lexical index of a store: written in the same step as its chunks, checked against it.

Ingest writes the index right after the store (see `replace`), stamped with the store's new
generation. A process that finds the store at another generation than the index (a writer
died between the two, or a tool wrote to the store alone) reconciles the index with the store:
chunks the store no longer holds go, chunks it holds that the index lacks are analysed and
added. Only the difference is written, never the whole index.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from index.records import Article, Chunk
from index.retrieval.lexical import LexicalIndex, analyse, analyse_row, article_texts
from index.retrieval.postings import Analysed, PostingsFile
from index.store import PAGE, Store

log = logging.getLogger(__name__)
GRACE = 60.0  # seconds a running process waits for another process's write to reach the index


class LexicalCache:
    """The lexical index of a store, kept current incrementally."""

    def __init__(self, store: Store, path: Path, legacy: Path | None = None) -> None:
        self._store = store
        self._file = PostingsFile(path)
        self._legacy = legacy  # the folder of a bm25s index from before, removed once replaced
        self._index: LexicalIndex | None = None
        self._lock = threading.Lock()
        self._behind: tuple[str, float] | None = None  # a store generation not yet in the file

    @property
    def path(self) -> Path:
        """The index file."""
        return self._file.path

    def get(self, check: bool = True) -> LexicalIndex:
        """The current index; `check=False` skips the store round trip when one is loaded."""
        index = self._index
        if index is not None and not check:
            return index
        generation = self._store.generation()
        if index is not None and index.generation == generation:
            return index
        with self._lock:
            return self._current(generation)

    def _current(self, generation: str) -> LexicalIndex:
        if self._index is None:
            self._index = self._first(generation)
            return self._index
        self._index = self._index.grown()
        if self._index.generation != generation and self._overdue(generation):
            self._reconcile(generation)
            self._index = self._index.grown()
        return self._index

    def _first(self, generation: str) -> LexicalIndex:
        """This process's first look: create or migrate the file, and check it against the
        store (the chunk count here; every id when the generations differ)."""
        if not self._file.exists():
            self._create(generation)
        index = LexicalIndex.open(self._file)
        if index.generation != generation or index.count != self._store.count():
            self._reconcile(generation)
            index = index.grown()
        return index

    def _overdue(self, generation: str) -> bool:
        """Whether the index has lagged behind this store generation for GRACE seconds: another
        process that wrote the store writes the index a moment later, unless it died."""
        now = time.monotonic()
        if self._behind is None or self._behind[0] != generation:
            self._behind = (generation, now)
        return now - self._behind[1] >= GRACE

    def _create(self, generation: str) -> None:
        legacy = self._legacy if self._legacy and self._legacy.is_dir() else None
        start = time.perf_counter()
        if legacy:
            log.warning(
                "lexical index: building %s from the store once (it replaces the bm25s index "
                "in %s, which is then removed)",
                self._file.path,
                legacy,
            )
        self._file.create()
        self._file.rewrite(self._batches(self._store.rows()), generation, article_texts)
        if legacy:
            shutil.rmtree(legacy, ignore_errors=True)
            log.warning(
                "lexical index: built from %d chunks in %.1f s",
                self._store.count(),
                time.perf_counter() - start,
            )

    def _reconcile(self, generation: str) -> None:
        """Match the store: chunk ids are compared with the content hash of their article, as
        an article rewritten in place keeps its chunk ids."""
        stored, indexed = self._store.hashes(), self._file.hashes()
        gone = indexed.keys() - stored.keys()
        missing = sorted(c for c, h in stored.items() if indexed.get(c) != h)
        fresh = [analyse_row(*row) for row in self._store.rows_of(missing)]
        touched = sorted({c.rsplit(":", 1)[0] for c in gone} | {c.article_id for c in fresh})
        texts: dict[str, str | None] = dict.fromkeys(touched)
        for part in range(0, len(touched), PAGE):
            where = {"article_id": {"$in": touched[part : part + PAGE]}}
            texts |= article_texts((c, t) for c, t, _ in self._store.rows(where))
        log.info(
            "lexical index: %d chunks added and %d removed to match the store",
            len(fresh),
            len(gone),
        )
        self._file.write(fresh, generation, gone_chunks=gone, texts=texts)

    def replace(self, items: Sequence[tuple[Article, list[Chunk], Any]], generation: str) -> None:
        """Index these articles' chunks in place of whatever was indexed for them, stamped
        with the store generation their write made (called right after Store.replace)."""
        chunks = [
            analyse(c.id, c.text, a.title, a.source or "", _stamp(a.published_at), a.content_hash)
            for a, cs, _ in items
            for c in cs
        ]
        texts = article_texts((c.id, c.text) for _, cs, _ in items for c in cs)
        if not self._file.exists():
            self.get()
        self._file.write(chunks, generation, [a.id for a, _, _ in items], texts=texts)

    def rebuild(self) -> LexicalIndex:
        """Index every chunk of the store again (after the term analysis changed)."""
        with self._lock:
            generation = self._store.generation()
            if not self._file.exists():
                self._file.create()
            self._file.rewrite(self._batches(self._store.rows()), generation, article_texts)
            self._index = LexicalIndex.open(self._file)
            return self._index

    @staticmethod
    def _batches(rows: Iterable[tuple[str, str, dict[str, Any]]]) -> Iterator[list[Analysed]]:
        batch: list[Analysed] = []
        for row in rows:
            batch.append(analyse_row(*row))
            if len(batch) == PAGE:
                yield batch
                batch = []
        yield batch


def _stamp(when: Any) -> int | None:
    return int(when.timestamp()) if when is not None else None


def _pages(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), PAGE):
        yield ids[start : start + PAGE]
