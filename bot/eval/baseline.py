"""The plain pipeline MultiHop-RAG's authors published, kept only to compare retrieval against.

llama-index `VectorStoreIndex` over a `ChromaVectorStore`, 256-token `SentenceSplitter` chunks of
the raw article bodies with title, source and date embedded as metadata (as their loader did),
and top-k by vector similarity. llama-index types stay in this module: callers get Passages.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llama_index.core import StorageContext, VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import Document, MetadataMode, NodeWithScore
from llama_index.vector_stores.chroma import ChromaVectorStore
from pydantic import PrivateAttr

from index.errors import UsageError
from index.ingest.cleaning import parse_date
from index.records import Passage, article_id

CHUNK_TOKENS = 256  # the authors' chunk size, in llama-index's default (tiktoken) tokens
CHUNK_OVERLAP = 20
_EMBED_BATCH = 256
_DONE = "complete"


@dataclass(frozen=True)
class BaselineDoc:
    """One article as the authors' loader read it: the raw body and three metadata fields."""

    url: str
    title: str
    source: str
    published_at: str
    body: str


def load_docs(corpus: Path) -> list[BaselineDoc]:
    """A MultiHop-RAG corpus file as the authors' loader read it (raw bodies, no cleaning)."""
    try:
        records = json.loads(corpus.read_text(encoding="utf-8"))
        return [
            BaselineDoc(
                str(r.get("url") or ""),
                str(r.get("title") or ""),
                str(r.get("source") or ""),
                str(r.get("published_at") or ""),
                str(r["body"]),
            )
            for r in records
        ]
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise UsageError(f"{corpus} is not a MultiHop-RAG corpus file ({exc})") from None


class WrappedEmbedding(BaseEmbedding):
    """Our embedder (MiniLM or the hashing one) behind llama-index's embedding interface."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Any) -> None:
        super().__init__(model_name=embedder.name, embed_batch_size=64)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        """llama-index's name for this class."""
        return "FinnewsWrappedEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed_query(query).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed(texts).tolist()


class Baseline:
    """Dense top-k over the baseline index."""

    def __init__(self, index: VectorStoreIndex, k: int) -> None:
        self._retriever = index.as_retriever(similarity_top_k=k)

    def search(self, question: str) -> list[Passage]:
        """The top-k passages by vector similarity, best first (query embedding included)."""
        return [_passage(hit) for hit in self._retriever.retrieve(question)]


def open_baseline(
    client: Any,
    name: str,
    docs: Callable[[], Sequence[BaselineDoc]],
    embedder: Any,
    k: int = 10,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Baseline, bool]:
    """The baseline over the Chroma collection `name`, built from docs() only when no finished
    build is stored; returns it and whether it was built now. `progress(done, total)` counts
    embedded chunks."""
    model = WrappedEmbedding(embedder)
    collection = _collection(client, name)
    built = (collection.metadata or {}).get(_DONE) != "yes" or collection.count() == 0
    if built:
        client.delete_collection(name)  # a half-built one from an interrupted run
        collection = _collection(client, name)
        _build(collection, docs(), model, progress)
    store = ChromaVectorStore(chroma_collection=collection)
    index = VectorStoreIndex.from_vector_store(store, embed_model=model)
    return Baseline(index, k), built


def _collection(client: Any, name: str) -> Any:
    return client.get_or_create_collection(
        name,
        configuration={"hnsw": {"space": "cosine"}},
        metadata={_DONE: "no"},
        embedding_function=None,
    )


def _build(
    collection: Any,
    docs: Sequence[BaselineDoc],
    model: WrappedEmbedding,
    progress: Callable[[int, int], None] | None,
) -> None:
    splitter = SentenceSplitter(chunk_size=CHUNK_TOKENS, chunk_overlap=CHUNK_OVERLAP)
    nodes = splitter.get_nodes_from_documents([_document(d) for d in docs])
    # Embedded here in large batches (same text llama-index would embed) so progress shows.
    for start in range(0, len(nodes), _EMBED_BATCH):
        batch = nodes[start : start + _EMBED_BATCH]
        texts = [n.get_content(metadata_mode=MetadataMode.EMBED) for n in batch]
        for node, vector in zip(batch, model.get_text_embedding_batch(texts), strict=True):
            node.embedding = vector
        if progress:
            progress(start + len(batch), len(nodes))
    store = ChromaVectorStore(chroma_collection=collection)
    storage = StorageContext.from_defaults(vector_store=store)
    VectorStoreIndex(nodes, storage_context=storage, embed_model=model)
    collection.modify(metadata={_DONE: "yes"})


def _document(doc: BaselineDoc) -> Document:
    meta = {
        "title": doc.title,
        "source": doc.source,
        "published_at": doc.published_at,
        "url": doc.url,
    }
    # The URL is kept for scoring but, like in the authors' pipeline, neither embedded nor shown.
    ident = {"id_": doc.url} if doc.url else {}
    return Document(
        text=doc.body,
        metadata=meta,
        excluded_embed_metadata_keys=["url"],
        excluded_llm_metadata_keys=["url"],
        **ident,
    )


def _passage(hit: NodeWithScore) -> Passage:
    meta = hit.node.metadata
    url = meta.get("url") or None
    title = meta.get("title", "")
    text = hit.node.get_content(metadata_mode=MetadataMode.NONE)
    return Passage(
        chunk_id=hit.node.node_id,
        article_id=article_id(url, title, text),
        text=text,
        title=title,
        source=meta.get("source") or None,
        url=url,
        published_at=parse_date(meta.get("published_at")),
        score=hit.score or 0.0,
    )
