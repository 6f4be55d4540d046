"""Runs MultiHop-RAG queries through finnews (and the authors' baseline) and reports per query."""

from __future__ import annotations

import hashlib
import importlib.util
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bot.core import Finnews, open_embedder, open_finnews
from bot.eval.cache import CachedEmbedder
from bot.eval.multihop import Gold, K, Outcome, outcome, percentile, reachable
from bot.settings import Settings
from index.ingest.formats import canonical_url
from index.ingest.pipeline import Report
from index.records import Answer, Passage

# Modules that decide what an ingest stores: editing one makes a new eval collection, since
# ingest skips articles whose content is unchanged and would keep their stale chunks.
INGEST_MODULES = (
    "index.ingest.sources",
    "index.ingest.formats",
    "index.ingest.cleaning",
    "index.ingest.chunking",
    "index.ingest.pipeline",
    "index.store",
)
# The embedder is recognised by what it does to these texts, so a refactor of its code costs no
# re-embedding but a change in its vectors, token counts or truncation does.
PROBES = (
    "Acme Corp priced $500 million of 5.25% senior notes due 2031.",
    " ".join(["The convertible bonds were sold to institutional investors."] * 60),
)
Advance = Callable[[int], None]


@dataclass(frozen=True)
class Row:
    """One query's run: the top passages, the reply (None for the baseline) and timing."""

    gold: Gold
    passages: tuple[Passage, ...]
    answer: Answer | None
    seconds: float  # retrieval, query embedding included
    outcome: Outcome
    answer_seconds: float = 0.0  # composing the reply (a model's round trip, with an LLM)


@dataclass(frozen=True)
class Evaluation:
    """Both pipelines' rows and what it took to get them."""

    ours: list[Row]
    baseline: list[Row] | None
    collection: str
    ingest: Report
    ingest_seconds: float
    reachable: float | None  # share of non-null queries whose facts survive into one chunk
    baseline_built: bool = False
    baseline_seconds: float = 0.0  # building (or reopening) the baseline index
    answerer: str = "extractive"  # or the model's label, e.g. "openai gpt-x at https://..."


def evaluate(
    settings: Settings, corpus: Path, golds: Sequence[Gold], with_baseline: bool, bar: Any
) -> Evaluation:
    """Ingest the corpus, run every query through finnews (and the baseline); `bar` is a
    rich Progress that shows each step."""
    model = open_embedder(settings)
    cache = settings.data_dir / "eval-vectors" / fingerprint(model)[:16]
    embedder = CachedEmbedder(model, cache)
    fn = open_eval_core(settings, corpus, embedder)
    start = time.perf_counter()
    task = bar.add_task("ingest corpus (articles)", total=None)
    report = ingest_corpus(fn, corpus, lambda n: bar.advance(task, n))
    bar.update(task, total=report.articles)  # stops its clock
    embedder.save()
    ingest_seconds = time.perf_counter() - start
    ours = run_ours(fn, golds, _task(bar, "finnews queries", len(golds)))
    done = Evaluation(
        ours,
        None,
        fn.store.name,
        report,
        ingest_seconds,
        reachable(golds, texts_by_url(fn)),
        answerer=answerer_label(fn),
    )
    if not with_baseline:
        return done
    start = time.perf_counter()
    task = bar.add_task("baseline index (chunks)", total=None)
    pipeline, built = open_corpus_baseline(
        settings, corpus, embedder, lambda n, total: bar.update(task, completed=n, total=total)
    )
    embedder.save()
    seconds = time.perf_counter() - start
    rows = run_retriever(pipeline.search, golds, _task(bar, "baseline queries", len(golds)))
    return replace(done, baseline=rows, baseline_built=built, baseline_seconds=seconds)


def _task(bar: Any, label: str, total: int | None) -> Advance:
    task = bar.add_task(label, total=total)
    return lambda n: bar.advance(task, n)


def cache_key(corpus: Path, *parts: str) -> str:
    """A short hash of the corpus file's bytes and whatever else decides what is indexed."""
    digest = hashlib.sha256(corpus.read_bytes())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()[:16]


def fingerprint(embedder: Any) -> str:
    """The embedder's name, token counts and (rounded) vectors of fixed texts, as a hash."""
    vectors = np.round(embedder.embed(list(PROBES)), 4) + 0.0  # + 0.0 turns -0.0 into 0.0
    counts = [embedder.count_tokens(t) for t in PROBES]
    seen = f"{embedder.name}|{embedder.max_tokens}|{counts}".encode() + vectors.tobytes()
    return hashlib.sha256(seen).hexdigest()


def _sources(modules: Sequence[str]) -> str:
    """The source text of the named modules, to key what they decide."""
    return "".join(Path(importlib.util.find_spec(m).origin).read_text() for m in modules)


def open_eval_core(settings: Settings, corpus: Path, embedder: Any) -> Finnews:
    """finnews over a collection of the corpus's own, named by corpus, embedder and chunking."""
    key = cache_key(
        corpus,
        fingerprint(embedder),
        str(settings.chunk_tokens),
        str(settings.chunk_overlap),
        _sources(INGEST_MODULES),
    )
    return open_finnews(settings.model_copy(update={"collection": f"multihop-{key}"}), embedder)


def ingest_corpus(fn: Finnews, corpus: Path, advance: Advance | None = None) -> Report:
    """Ingest the corpus (unchanged articles cost nothing) and make the BM25 index current."""
    from index.ingest.sources import load_paths

    report = fn.ingest(load_paths([corpus], max_bytes=fn.settings.max_article_bytes), advance)
    if not report.changed:
        fn.lexicon.rebuild()  # the lexical code may have changed since; this takes ~1 s
    return report


def run_ours(fn: Finnews, golds: Sequence[Gold], advance: Advance | None = None) -> list[Row]:
    """Each query through the bot's own path: retrieve the top 10 once, answer from the first
    settings.top_k of them, exactly the passages `Finnews.ask` would retrieve and compose from."""
    lex = fn.lexicon.get()
    rows = []
    for gold in golds:
        start = time.perf_counter()
        passages = fn.retriever.search(gold.question, K)
        seconds = time.perf_counter() - start
        answer = fn.answerer.compose(gold.question, passages[: fn.settings.top_k], lex)
        row = _row(gold, passages, answer, seconds)
        rows.append(replace(row, answer_seconds=time.perf_counter() - start - seconds))
        if advance:
            advance(1)
    return rows


def answerer_label(fn: Finnews) -> str:
    """Which answerer wrote the replies: "extractive" or the model's label."""
    client = getattr(fn.answerer, "client", None)
    return f"LLM: {client.label}" if client is not None else "extractive"


def run_retriever(
    search: Callable[[str], list[Passage]], golds: Sequence[Gold], advance: Advance | None = None
) -> list[Row]:
    """Each query through a retrieval-only pipeline (the baseline): no reply to score."""
    rows = []
    for gold in golds:
        start = time.perf_counter()
        passages = search(gold.question)[:K]
        rows.append(_row(gold, passages, None, time.perf_counter() - start))
        if advance:
            advance(1)
    return rows


def _row(gold: Gold, passages: list[Passage], answer: Answer | None, seconds: float) -> Row:
    scored = outcome(
        gold,
        [p.text for p in passages],
        [p.url for p in passages],
        answer.refused if answer else None,
        answer.text if answer else None,
    )
    return Row(gold, tuple(passages), answer, seconds, scored)


def open_corpus_baseline(
    settings: Settings,
    corpus: Path,
    embedder: Any,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Any, bool]:
    """The authors' pipeline over the corpus, in a local collection reused while unchanged."""
    from bot.eval import baseline
    from index.store import connect

    key = cache_key(corpus, fingerprint(embedder), _sources(["bot.eval.baseline"]))
    client = connect(settings.data_dir)  # always embedded: a comparison artefact, not served
    return baseline.open_baseline(
        client, f"baseline-{key}", lambda: baseline.load_docs(corpus), embedder, K, progress
    )


def texts_by_url(fn: Finnews) -> dict[str, list[str]]:
    """Every stored chunk's text, grouped by its article's canonical URL."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for _, text, meta in fn.store.rows():
        if meta.get("url"):
            grouped[canonical_url(meta["url"])].append(text)
    return grouped


def latency_ms(rows: Sequence[Row]) -> tuple[float | None, float | None]:
    """Median and 95th percentile of retrieval time per query, in milliseconds."""
    ms = [r.seconds * 1000 for r in rows]
    return percentile(ms, 50), percentile(ms, 95)
