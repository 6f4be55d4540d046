"""Hybrid retrieval: dense and BM25 lists, plus lists for named outlets and periods, fused."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

import numpy as np

from index.records import Passage
from index.retrieval import lexical
from index.retrieval.fusion import best_per_article, diverse, fuse
from index.retrieval.lexical import LexicalIndex
from index.retrieval.lexicon import LexicalCache
from index.retrieval.passages import widen
from index.retrieval.query import Plan, analyse
from index.retrieval.rerank import cover_parts, rerank
from index.store import Store

# Fusion weights, measured on MultiHop-RAG dev (see README, Evaluation): BM25 is the stronger
# signal on name-heavy news questions; dense catches paraphrase; boosts favour named outlets/dates.
W_DENSE, W_LEXICAL, W_BOOST = 1.0, 1.0, 0.8
W_LOCAL = 0.16  # weight of the best two-sentence window's coverage of the question (rerank)
W_PART = 0.8  # each outlet/date clause's own list
# Passages after the first HEAD are ranked with one more list per named outlet or period: its
# best articles (one chunk each), so each named source puts more of its articles forward
# (article recall) while the first passages, which carry Hits@4 and MRR, stay as they were.
HEAD, W_SOURCE_ARTICLES, SOURCE_DEPTH, SOURCE_ARTICLES = 6, 1.0, 200, 20
# Words a returned passage may hold: the matched chunk (~130 words) widened with its article's
# neighbouring sentences (small-to-big). 300 words is ~380 MiniLM tokens (p95 ~430).
CONTEXT_WORDS = 300


class QueryEmbedder(Protocol):
    """What retrieval needs of an embedder."""

    def embed_query(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True)
class Filters:
    """Hard limits a user set: a date range and outlets."""

    since: datetime | None = None
    until: datetime | None = None
    sources: tuple[str, ...] = ()

    def stamps(self) -> tuple[int | None, int | None]:
        """The range as epoch seconds."""
        return (
            int(self.since.timestamp()) if self.since else None,
            int(self.until.timestamp()) if self.until else None,
        )

    def where(self) -> dict[str, Any] | None:
        """The same limits as a Chroma where clause."""
        since, until = self.stamps()
        parts: list[dict[str, Any]] = []
        if since is not None:
            parts.append({"published_ts": {"$gte": since}})
        if until is not None:
            parts.append({"published_ts": {"$lte": until}})
        if self.sources:
            parts.append({"source_key": {"$in": [s.lower() for s in self.sources]}})
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else {"$and": parts}


class Retriever:
    """Finds the passages that matter for a question."""

    def __init__(
        self,
        store: Store,
        embedder: QueryEmbedder,
        lexicon: LexicalCache,
        depth: int = 40,
        per_article: int = 3,
        repeat_decay: float = 0.8,
        context_words: int = CONTEXT_WORDS,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._lexicon = lexicon
        self._depth = depth
        self._per_article = per_article
        self._decay = repeat_decay
        self.context_words = context_words

    def plan(self, question: str, lex: LexicalIndex) -> Plan:
        """Outlets and period the question names."""
        return analyse(question, lex.outlets)

    def search(self, question: str, k: int = 8, filters: Filters | None = None) -> list[Passage]:
        """The k best passages for a question within the filters, best first."""
        filters = filters or Filters()
        lex = self._lexicon.get()
        plan = self.plan(question, lex)
        since, until = filters.stamps()
        mask = lex.mask(since, until, filters.sources)
        if mask is not None and not mask.any():
            return []
        query_terms = lexical.terms(question)
        dense = self._store.dense(
            self._embedder.embed_query(question), self._depth, filters.where()
        )
        known = {p.chunk_id: p for p in dense}
        bonus: dict[str, float] = {}
        boosts = self._boosts(lex, plan, mask)
        lists = [(W_DENSE, [p.chunk_id for p in dense])] + self._lexical_lists(
            lex, query_terms, plan, mask, boosts
        )
        ranked = self._ranked(lists, known, bonus, query_terms, lex, plan)
        top = self._diverse(ranked, min(k, HEAD))
        if boosts:
            shown = {p.chunk_id for p in top}
            wide = self._source_articles(lex, query_terms, boosts)
            ranked = top + [
                p
                for p in self._ranked(lists + wide, known, bonus, query_terms, lex, plan)
                if p.chunk_id not in shown
            ]
        top = cover_parts(self._diverse(ranked, k, len(top)), ranked, plan)
        if self.context_words <= 0:
            return top
        # Passages skipped for showing text already on show leave room for the next ones.
        spare = [p for p in self._diverse(ranked, len(ranked)) if p not in top]
        shown = top + spare
        return widen(shown, k, lex.articles(p.article_id for p in shown), self.context_words)

    def _ranked(
        self,
        lists: list[tuple[float, list[str]]],
        known: dict[str, Passage],
        bonus: dict[str, float],
        query_terms: list[str],
        lex: LexicalIndex,
        plan: Plan,
    ) -> list[Passage]:
        """Fused and reranked candidates. `known` gains the passages fetched from the store and
        `bonus` each chunk's rerank bonus, so a second ranking reranks only new chunks."""
        fused = fuse(lists, self._depth)
        known |= self._store.get([cid for cid, _ in fused if cid not in known])
        fresh = [replace(known[c], score=0.0) for c, _ in fused if c in known and c not in bonus]
        bonus |= {p.chunk_id: p.score for p in rerank(query_terms, fresh, lex, plan, W_LOCAL)}
        return [replace(known[c], score=s + bonus[c]) for c, s in fused if c in known]

    def _lexical_lists(
        self,
        lex: LexicalIndex,
        query_terms: list[str],
        plan: Plan,
        mask: np.ndarray | None,
        boosts: list[np.ndarray],
    ) -> list[tuple[float, list[str]]]:
        """BM25 lists: the whole question, within each named outlet or period, and per clause."""
        lists = [(W_LEXICAL, self._ids(lex, lex.search(query_terms, self._depth, mask)))]
        half = self._depth // 2
        for boost in boosts:
            lists.append((W_BOOST, self._ids(lex, lex.search(query_terms, half, boost))))
        return lists + [(W_PART, ids) for ids in self._parts(lex, plan, mask)]

    def _source_articles(
        self, lex: LexicalIndex, query_terms: list[str], boosts: list[np.ndarray]
    ) -> list[tuple[float, list[str]]]:
        """Per named outlet or period, its best articles for the question (one chunk each)."""
        return [
            (
                W_SOURCE_ARTICLES,
                best_per_article(
                    self._ids(lex, lex.search(query_terms, SOURCE_DEPTH, b)), SOURCE_ARTICLES
                ),
            )
            for b in boosts
        ]

    def _parts(self, lex: LexicalIndex, plan: Plan, mask: np.ndarray | None) -> list[list[str]]:
        """One BM25 list per outlet/date clause, by the clause's own words within its outlet
        and date: so each report a multi-source question names gets evidence of its own."""
        if len(plan.parts) < 2:
            return []  # a single clause is the whole question: the boosts already cover it
        out = []
        for part in plan.parts:
            own = lex.mask(part.since, part.until, part.outlets)
            if own is not None and mask is not None:
                own &= mask
            out.append(self._ids(lex, lex.search(lexical.terms(part.text), self._depth // 2, own)))
        return out

    @staticmethod
    def _ids(lex: LexicalIndex, hits: list[tuple[int, float]]) -> list[str]:
        return lex.chunk_ids(hits)

    @staticmethod
    def _boosts(lex: LexicalIndex, plan: Plan, mask: np.ndarray | None) -> list[np.ndarray]:
        masks = []
        for outlet in plan.outlets:
            masks.append(lex.mask(None, None, [outlet]))
        if plan.has_period:
            masks.append(lex.mask(plan.since, plan.until))
        out = []
        for m in masks:
            if m is None:
                continue
            out.append(m if mask is None else m & mask)
        return out

    def _diverse(self, ranked: list[Passage], k: int, fixed: int = 0) -> list[Passage]:
        return diverse(ranked, k, self._decay, self._per_article, fixed)
