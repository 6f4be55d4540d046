"""Runs financing questions through finnews over an index of their corpora, built once."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.core import Finnews, open_embedder, open_finnews
from bot.eval.cache import CachedEmbedder
from bot.eval.qa import Item, Scored, score
from bot.eval.run import INGEST_MODULES, _sources, fingerprint
from bot.settings import Settings
from index.ingest.sources import load_paths


def sources_key(paths: Sequence[Path], *parts: str) -> str:
    """A short hash of every file's name and bytes under the paths, and the other parts."""
    digest = hashlib.sha256()
    for given in paths:
        files = sorted(given.rglob("*")) if given.is_dir() else [given]
        for f in files:
            if f.is_file():
                digest.update(f.name.encode() + b"\0" + f.read_bytes())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()[:16]


def open_qa_core(
    settings: Settings, paths: Sequence[Path], progress: Callable[[int], None] | None = None
) -> Finnews:
    """finnews over a collection of the paths' own (vectors cached like the MultiHop eval's),
    ingested and current."""
    model = open_embedder(settings)
    embedder = CachedEmbedder(model, settings.data_dir / "eval-vectors" / fingerprint(model)[:16])
    key = sources_key(
        paths,
        fingerprint(embedder),
        str(settings.chunk_tokens),
        str(settings.chunk_overlap),
        _sources(INGEST_MODULES),
    )
    fn = open_finnews(settings.model_copy(update={"collection": f"qa-{key}"}), embedder)
    report = fn.ingest(load_paths(list(paths), max_bytes=settings.max_article_bytes), progress)
    if not report.changed:
        fn.lexicon.rebuild()
    embedder.save()
    return fn


def run_items(
    fn: Finnews, items: Sequence[Item], advance: Callable[[int], None] | None = None
) -> tuple[list[Scored], list[float]]:
    """Each question through `Finnews.ask`; the scored rows and each ask's seconds."""
    rows, seconds = [], []
    for item in items:
        start = time.perf_counter()
        answer = fn.ask(item.question)
        seconds.append(time.perf_counter() - start)
        rows.append(score(item, answer.text, answer.refused))
        if advance:
            advance(1)
    return rows, seconds
