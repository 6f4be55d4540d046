"""The composition root's product: one object that ingests, answers and reports."""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from bot.answer.extractive import ExtractiveAnswerer
from bot.answer.llm import LLMAnswerer
from bot.settings import ChromaSettings, Settings
from index.database import Database
from index.deals.store import ArticleInfo, DealStore, stored_articles
from index.errors import EmbedderMismatch, ModelFilesMissing, UsageError
from index.ingest.chunking import Chunker
from index.ingest.pipeline import Ingester, Report
from index.records import Answer, Article, Deal, Skip
from index.retrieval.lexical import NO_DATE
from index.retrieval.lexicon import LexicalCache
from index.retrieval.search import Filters, Retriever
from index.store import Store, connect, open_store

log = logging.getLogger("finnews")
# Told, after an ingest, which articles it added or replaced, with the deals read from them.
Listener = Callable[[list[tuple[Article, list[Deal]]]], object]


@dataclass(frozen=True)
class Stats:
    """What is indexed."""

    articles: int
    chunks: int
    outlets: dict[str, int] = field(default_factory=dict)
    first: datetime | None = None
    last: datetime | None = None


class Finnews:
    """Ingest, ask and stats over one store; built once by the CLI or `serve`."""

    def __init__(self, settings: Settings, embedder: Any, store: Store) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.lexicon = LexicalCache(store, lexical_path(settings), legacy=_lexical_folder(settings))
        self.retriever = Retriever(store, embedder, self.lexicon)
        self._chunker: Chunker | None = None
        self._writing = threading.Lock()  # the feed poller and Slack's workers ingest at once
        self.deals = DealStore(deal_store_path(settings))
        self.listeners: list[Listener] = []  # e.g. the watchlist alerts

    @cached_property
    def database(self) -> Database:
        """The shared database (feeds, conversations, digests, alerts), opened on first use so that
        `ask` and `ingest` do not wait for it."""
        from bot.database import open_database

        return open_database(self.settings)

    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        source: str | None = None,
        context: str = "",
        focus: str = "",
        on_progress: Callable[[Answer], None] | None = None,
    ) -> Answer:
        """A cited answer to a question, within optional date and outlet limits; focus is the
        company a conversation is about (for follow-ups that name none); a model that streams
        reports its checked sentences so far to on_progress."""
        filters = Filters(since, until, (source,) if source else ())
        if on_progress is not None and self.streams:
            return self.answerer.answer(
                question, filters, context=context, k=k, focus=focus, on_progress=on_progress
            )
        return self.answerer.answer(question, filters, context=context, k=k, focus=focus)

    @cached_property
    def answerer(self) -> ExtractiveAnswerer | LLMAnswerer:
        """Built on first use, so that ingest, deals and digests run whatever FINNEWS_LLM says
        (a model setting that is incomplete is reported when an answer needs it)."""
        return open_answerer(self.settings, self.retriever, self.lexicon, self.embedder)

    @property
    def streams(self) -> bool:
        """Whether answers are written by a model (and so can be shown as they stream)."""
        return isinstance(self.answerer, LLMAnswerer)

    def ingest(
        self,
        items: Iterable[Article | Skip],
        progress: Callable[[int], None] | None = None,
        *,
        refresh: bool = True,
    ) -> Report:
        """Store the articles (idempotently) with their lexical index entries and their deals;
        with refresh, this process's view of the lexical index is brought up to date too
        (refresh=False leaves that to the next question or `refresh()`). Listeners are told
        what was added, after it is stored."""
        added: list[tuple[Article, list[Deal]]] = []
        with self._writing:
            if self._chunker is None:
                self._chunker = Chunker(
                    self.embedder.count_tokens,
                    self.embedder.max_tokens,
                    self.settings.chunk_tokens,
                    self.settings.chunk_overlap,
                )
            ingester = Ingester(self.store, self._chunker, self.embedder, indexer=self.lexicon)
            report = ingester.run(
                items, progress, lambda articles: added.extend(self._store_deals(articles))
            )
            if report.changed:
                # Deals follow their articles: one replaced by a twin or gone from the store
                # takes its deals with it.
                self.deals.keep(self.store.article_ids())
            if report.changed and refresh:
                self.lexicon.get()
        for listener in self.listeners if added else ():
            try:
                listener(added)
            except Exception:  # the articles are stored; a listener's failure is its own
                log.exception("a listener of added articles failed")
        return report

    def refresh(self) -> None:
        """Bring this process's view of the lexical index up to date (ingest writes the index
        itself; this only reads what was written)."""
        self.lexicon.get()

    def _store_deals(self, articles: list[Article]) -> list[tuple[Article, list[Deal]]]:
        from index.deals.extract import extract

        read = [(a, extract(a)) for a in articles]
        self.deals.replace([(ArticleInfo.of(a), d) for a, d in read])
        return read

    def rebuild_deals(self) -> tuple[int, int]:
        """Read every stored article's deals again from its stored chunks (nothing is embedded):
        for an index built before deals existed, or after the extraction rules changed.
        Returns (articles, deals)."""
        from index.deals.extract import extract

        items = [(ArticleInfo.of(a), extract(a)) for a in stored_articles(self.store.rows())]
        with self._writing:
            self.deals.replace(items, everything=True)
        return len(items), sum(len(d) for _, d in items)

    def stats(self) -> Stats:
        """Articles, chunks, outlets and date range of the index."""
        lex = self.lexicon.get()
        articles = lex.file.articles()
        outlets = Counter(source or "(unknown)" for source, _, _ in articles)
        dated = [s for _, s, _ in articles if s is not None and s != NO_DATE]
        as_time = lambda s: datetime.fromtimestamp(s, UTC)  # noqa: E731
        return Stats(
            len(articles),
            sum(n for _, _, n in articles),
            dict(outlets.most_common()),
            as_time(min(dated)) if dated else None,
            as_time(max(dated)) if dated else None,
        )


def store_key(chroma: ChromaSettings) -> str:
    """A file-name-safe key of the collection (and its server), for the files beside it."""
    where = f"{chroma.host}_{chroma.port}_" if chroma.host else ""
    return re.sub(r"[^\w.-]", "_", where + chroma.collection)


def lexical_path(settings: Settings) -> Path:
    """The SQLite file of the collection's lexical index."""
    return settings.data_dir / "lexical" / f"{store_key(settings.chroma)}.sqlite3"


def _lexical_folder(settings: Settings) -> Path:
    """Where a bm25s index was kept before the SQLite one (replaced on first use)."""
    return settings.data_dir / "lexical" / store_key(settings.chroma)


def deal_store_path(settings: Settings) -> Path:
    """The SQLite file of the collection's deals (and digest posts)."""
    return settings.data_dir / "deals" / f"{store_key(settings.chroma)}.sqlite3"


def open_answerer(
    settings: Settings, retriever: Retriever, lexicon: LexicalCache, embedder: Any | None = None
) -> ExtractiveAnswerer | LLMAnswerer:
    """The extractive answerer (reading with the embedder's sentence vectors when given), or a
    model (FINNEWS_LLM) that falls back on it."""
    extractive = ExtractiveAnswerer(retriever, lexicon, k=settings.top_k, embedder=embedder)
    if settings.llm == "extractive":
        return extractive
    from bot.answer.client import open_chat_client
    from bot.answer.prompts import Prompts

    return LLMAnswerer(
        open_chat_client(settings.llm_backend),
        extractive,
        retriever,
        lexicon,
        Prompts(settings.prompts_dir),
        k=settings.top_k,
    )


def open_embedder(settings: Settings) -> Any:
    """The embedder the settings name."""
    from index.embed import embedders as embedding

    if settings.embedder == "hashing":
        return embedding.HashingEmbedder()
    try:
        return embedding.open_embedder(
            settings.model_dir, settings.model_cache, settings.embedder_precision
        )
    except ModelFilesMissing as exc:
        raise UsageError(
            f"The model folder {exc.folder} lacks {', '.join(exc.missing)}. Point "
            f"FINNEWS_MODEL_DIR at a folder with {', '.join(exc.needed)}, or unset it and run: "
            f"{exc.install}"
        ) from None


def open_finnews(settings: Settings, embedder: Any | None = None) -> Finnews:
    """Connect the store (embedded, or a server when a host is set) and build the pipeline."""
    embedder = embedder or open_embedder(settings)
    chroma = settings.chroma
    headers = (
        {"Authorization": f"Bearer {chroma.token.get_secret_value()}"} if chroma.token else None
    )
    client = connect(settings.data_dir, chroma.host, chroma.port, chroma.ssl, headers)
    try:
        store = open_store(client, chroma.collection, embedder.name)
    except EmbedderMismatch as exc:
        raise UsageError(
            f"The collection {exc.collection!r} was built with the embedder {exc.found!r}, not "
            f"{exc.wanted!r}. Set FINNEWS_COLLECTION to another name or re-create it."
        ) from None
    return Finnews(settings, embedder, store)
