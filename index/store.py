"""The Chroma store: one collection of chunks, embedded or on a Chroma server."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import EmbedderMismatch, UsageError
from index.gate import Gate
from index.records import Article, Chunk, Passage

PAGE = 2000  # rows per Chroma read or write call
WRITING = "writing-"  # a generation set before chunks change and replaced once they have


@dataclass(frozen=True)
class StoredArticle:
    """What the store remembers of an ingested article."""

    id: str
    content_hash: str
    text_hash: str


def connect(
    data_dir: Path,
    host: str | None = None,
    port: int = 8000,
    ssl: bool = False,
    headers: dict[str, str] | None = None,
) -> Any:
    """A Chroma client: a server when a host is given, else a PersistentClient in data_dir."""
    import chromadb
    import chromadb.errors
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if host:
        return chromadb.HttpClient(
            host=host, port=port, ssl=ssl, headers=headers, settings=settings
        )
    folder = data_dir / "chroma"
    database = folder / "chroma.sqlite3"
    if folder.is_dir() and any(folder.iterdir()) and not database.is_file():
        # Chroma would start an empty database beside the old vectors: every article would
        # seem gone and the next ingest would write over them.
        raise UsageError(
            f"The store {folder} has no chroma.sqlite3 (deleted or moved?). "
            "Restore it, or move the folder away to start an empty store."
        )
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        if database.is_file():
            with open(database, "rb") as fh:  # unreadable files fail here, with a reason
                if fh.read(16) != b"SQLite format 3\x00":
                    raise UsageError(
                        f"{database} is not an SQLite database (truncated or "
                        "damaged?). Restore it from a backup or start afresh."
                    )
        return chromadb.PersistentClient(path=str(folder), settings=settings)
    except OSError as exc:
        raise UsageError(
            f"Cannot open the store in {folder}: {exc.strerror or type(exc).__name__}."
        ) from None
    except (chromadb.errors.ChromaError, RuntimeError) as exc:
        raise UsageError(
            f"Cannot open the store in {folder} ({type(exc).__name__}); is "
            f"{database} damaged or read-only?"
        ) from None


def open_store(client: Any, name: str, embedder_name: str) -> Store:
    """The named collection (cosine space), refusing one built with another embedder."""
    from chromadb.errors import ChromaError

    try:
        collection = client.get_or_create_collection(
            name,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": embedder_name, "generation": "new"},
            embedding_function=None,
        )
    except ChromaError as exc:  # a damaged or read-only database: say so, not a traceback
        raise UsageError(
            f"Cannot read the collection {name!r}: {exc.message()}. Is the store's "
            "chroma.sqlite3 damaged, or its folder read-only?"
        ) from None
    found = (collection.metadata or {}).get("embedder")
    if found and found != embedder_name:
        raise EmbedderMismatch(name, found, embedder_name)
    return Store(client, collection, embedder_name, _reopener(client))


def _reopener(client: Any) -> Callable[[], Any] | None:
    """How to open an embedded store afresh; None for a server, which serves every write."""
    import chromadb

    settings = client.get_settings()
    if not settings.is_persistent or not settings.persist_directory:
        return None
    return lambda: chromadb.PersistentClient(path=settings.persist_directory, settings=settings)


def _meta(article: Article, chunk: Chunk, n_chunks: int) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "article_id": article.id,
        "chunk": chunk.index,
        "n_chunks": n_chunks,
        "title": article.title,
        "content_hash": article.content_hash,
        "text_hash": article.text_hash,
    }
    optional = {"url": article.url, "source": article.source, "author": article.author}
    meta.update({k: v for k, v in optional.items() if v})
    if article.source:
        meta["source_key"] = article.source.lower()
    if article.published_at:
        meta["published_ts"] = int(article.published_at.timestamp())
    return meta


def passage_from(chunk_id: str, text: str, meta: dict[str, Any], score: float = 0.0) -> Passage:
    """A Passage from a Chroma row."""
    ts = meta.get("published_ts")
    return Passage(
        chunk_id=chunk_id,
        article_id=meta["article_id"],
        text=text,
        title=meta.get("title", ""),
        source=meta.get("source"),
        url=meta.get("url"),
        author=meta.get("author"),
        published_at=datetime.fromtimestamp(ts, UTC) if ts is not None else None,
        score=score,
    )


class Store:
    """Chunks with their article metadata; replacing an article removes all its old chunks."""

    def __init__(
        self,
        client: Any,
        collection: Any,
        embedder_name: str,
        reopen: Callable[[], Any] | None = None,
    ) -> None:
        self._client = client
        self._col = collection
        self.embedder_name = embedder_name
        self._reopen = reopen
        self._gate = Gate()  # collection calls share it; reopening takes it alone
        self._seen: str | None = None  # the generation this process last read or wrote

    @property
    def name(self) -> str:
        """The collection's name."""
        return self._col.name

    def count(self) -> int:
        """Number of chunks."""
        with self._gate.reading():
            return self._col.count()

    def generation(self) -> str:
        """Changes whenever the stored chunks change; lexical indexes are stamped with it."""
        # Re-read: another process (or replica) may have ingested since this one opened it.
        with self._gate.reading():
            fresh = self._client.get_collection(self._col.name, embedding_function=None)
        generation = str((fresh.metadata or {}).get("generation", ""))
        if self._reopen and self._seen is not None and generation != self._seen:
            self._reload()
        self._seen = generation
        return generation

    def _reload(self) -> None:
        """Open the embedded store again: its vector index is read once per open, so chunks
        another process wrote are in SQLite (counts, gets) but not in this process's search."""
        assert self._reopen is not None
        with self._gate.exclusive():
            self._client.close()
            self._client = self._reopen()
            self._col = self._client.get_collection(self._col.name, embedding_function=None)

    def _touch(self, writing: bool = False) -> str:
        """A new generation; `writing` marks the chunks as about to change (see replace)."""
        generation = (WRITING if writing else "") + uuid.uuid4().hex
        with self._gate.reading():
            self._col.modify(metadata={"embedder": self.embedder_name, "generation": generation})
        self._seen = generation
        return generation

    def ids(self) -> set[str]:
        """Every chunk id (no texts or vectors are read)."""
        with self._gate.reading():
            return set(self._col.get(include=[])["ids"])

    def article_ids(self) -> set[str]:
        """The ids of every article with chunks in the store."""
        return {chunk_id.rsplit(":", 1)[0] for chunk_id in self.ids()}

    def stored(self, article_ids: Sequence[str]) -> dict[str, StoredArticle]:
        """Completely stored articles among these ids (chunk 0 is written last, as the marker)."""
        if not article_ids:
            return {}
        with self._gate.reading():
            rows = self._col.get(ids=[f"{a}:0" for a in article_ids], include=["metadatas"])
        return {
            m["article_id"]: StoredArticle(m["article_id"], m["content_hash"], m["text_hash"])
            for m in rows["metadatas"]
        }

    def with_text(self, text_hashes: Sequence[str]) -> dict[str, str]:
        """text hash -> id of a stored article with that exact body text."""
        if not text_hashes:
            return {}
        with self._gate.reading():
            rows = self._col.get(
                where={"$and": [{"chunk": 0}, {"text_hash": {"$in": list(text_hashes)}}]},
                include=["metadatas"],
            )
        return {m["text_hash"]: m["article_id"] for m in rows["metadatas"]}

    def replace(self, items: Sequence[tuple[Article, list[Chunk], np.ndarray]]) -> str:
        """Store these articles' chunks, deleting whatever was stored for them before; returns
        the generation the write made.

        Order matters for crash safety: old chunks go first, chunk 0 (the marker that an
        article is complete) last, so an interrupted run is redone on the next ingest. The
        generation moves before the first write too: a crash before the final bump must not
        leave the old generation in place, or indexes stamped with it would pass as current.
        """
        if not items:
            return self._seen or self.generation()
        self._touch(writing=True)
        with self._gate.reading():
            self._col.delete(where={"article_id": {"$in": [a.id for a, _, _ in items]}})
        rest: list[tuple[Article, Chunk, np.ndarray, int]] = []
        markers: list[tuple[Article, Chunk, np.ndarray, int]] = []
        for article, chunks, vectors in items:
            for chunk, vector in zip(chunks, vectors, strict=True):
                row = (article, chunk, vector, len(chunks))
                (markers if chunk.index == 0 else rest).append(row)
        for rows in (rest, markers):
            for start in range(0, len(rows), PAGE):
                self._add(rows[start : start + PAGE])
        return self._touch()

    def _add(self, rows: list[tuple[Article, Chunk, np.ndarray, int]]) -> None:
        if not rows:
            return
        with self._gate.reading():
            self._col.add(
                ids=[c.id for _, c, _, _ in rows],
                embeddings=np.stack([v for _, _, v, _ in rows]).astype(np.float32),
                documents=[c.text for _, c, _, _ in rows],
                metadatas=[_meta(a, c, n) for a, c, _, n in rows],
            )

    def dense(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[Passage]:
        """The k chunks nearest to the vector, with cosine similarity as score."""
        k = min(k, max(self.count(), 1))
        with self._gate.reading():
            res = self._col.query(
                query_embeddings=[vector.astype(np.float32)],
                n_results=k,
                where=where or None,
                include=["documents", "metadatas", "distances"],
            )
        return [
            passage_from(i, d, m, 1.0 - dist)
            for i, d, m, dist in zip(
                res["ids"][0],
                res["documents"][0],
                res["metadatas"][0],
                res["distances"][0],
                strict=True,
            )
        ]

    def get(self, chunk_ids: Sequence[str]) -> dict[str, Passage]:
        """Passages by chunk id (missing ids are absent from the result)."""
        if not chunk_ids:
            return {}
        with self._gate.reading():
            rows = self._col.get(ids=list(chunk_ids), include=["documents", "metadatas"])
        return {
            i: passage_from(i, d, m)
            for i, d, m in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
        }

    def vectors(self, article_ids: Sequence[str]) -> tuple[list[Passage], np.ndarray]:
        """The stored chunks of these articles and their vectors, as written (nothing is
        embedded again): what reading new articles by meaning needs."""
        if not article_ids:
            return [], np.zeros((0, 0), dtype=np.float32)
        with self._gate.reading():
            rows = self._col.get(
                where={"article_id": {"$in": list(article_ids)}},
                include=["documents", "metadatas", "embeddings"],
            )
        passages = [
            passage_from(i, d, m)
            for i, d, m in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
        ]
        vectors = rows["embeddings"]
        if vectors is None or len(passages) == 0:
            return [], np.zeros((0, 0), dtype=np.float32)
        return passages, np.asarray(vectors, dtype=np.float32)

    def hashes(self) -> dict[str, str]:
        """chunk id -> its article's content hash, for every chunk (no texts are read)."""
        out: dict[str, str] = {}
        offset = 0
        while True:
            with self._gate.reading():
                page = self._col.get(limit=PAGE, offset=offset, include=["metadatas"])
            out.update(
                (i, m.get("content_hash", ""))
                for i, m in zip(page["ids"], page["metadatas"], strict=True)
            )
            if len(page["ids"]) < PAGE:
                return out
            offset += PAGE

    def rows_of(self, chunk_ids: Sequence[str]) -> list[tuple[str, str, dict[str, Any]]]:
        """(chunk id, text, metadata) of these chunks (missing ids are left out)."""
        out: list[tuple[str, str, dict[str, Any]]] = []
        for start in range(0, len(chunk_ids), PAGE):
            with self._gate.reading():
                page = self._col.get(
                    ids=list(chunk_ids[start : start + PAGE]), include=["documents", "metadatas"]
                )
            out += zip(page["ids"], page["documents"], page["metadatas"], strict=True)
        return out

    def rows(self, where: dict | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Every (chunk id, text, metadata), read page by page."""
        offset = 0
        while True:
            with self._gate.reading():
                page = self._col.get(
                    where=where, limit=PAGE, offset=offset, include=["documents", "metadatas"]
                )
            yield from zip(page["ids"], page["documents"], page["metadatas"], strict=True)
            if len(page["ids"]) < PAGE:
                return
            offset += PAGE
