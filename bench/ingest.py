"""Ingest benchmark on Reuters-21578: pipeline vs raw embedder throughput, re-ingest, memory.

Usage: python bench/ingest.py [--limit N] [--data-dir DIR]
Prints whole-pipeline chunks/s against the raw embedder's chunks/s on the same chunks (same run),
the re-ingest speed-up, and peak memory (RSS).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core import open_finnews  # noqa: E402
from bot.settings import Settings  # noqa: E402
from index.ingest.chunking import embed_text  # noqa: E402
from index.ingest.sources import load_paths  # noqa: E402

REUTERS = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="finnews-bench-"))
    settings = Settings(_env_file=None, data_dir=data_dir, collection="reuters")
    fn = open_finnews(settings)
    fn.embedder.embed_query("warm up")

    def items():
        return islice(load_paths([REUTERS]), args.limit)

    t0 = time.perf_counter()
    first = fn.ingest(items())
    t_first = time.perf_counter() - t0
    chunks = fn.store.count()
    print(
        f"first ingest: {first.added} articles, {first.chunks} chunks, skipped "
        f"{len(first.skipped)} in {t_first:.1f} s -> {first.chunks / t_first:.1f} chunks/s, "
        f"{first.added / t_first:.1f} articles/s; peak RSS {peak_mb():.0f} MB"
    )

    texts = [embed_text(meta["title"], text) for _, text, meta in fn.store.rows()]
    t0 = time.perf_counter()
    for start in range(0, len(texts), 256):
        fn.embedder.embed(texts[start : start + 256])
    t_raw = time.perf_counter() - t0
    raw_rate, pipe_rate = len(texts) / t_raw, first.chunks / t_first
    print(f"raw embedder on the same {len(texts)} chunks: {t_raw:.1f} s -> {raw_rate:.1f} chunks/s")
    print(f"pipeline / raw throughput: {pipe_rate / raw_rate:.3f} (target >= 0.85)")

    t0 = time.perf_counter()
    again = fn.ingest(items())
    t_again = time.perf_counter() - t0
    print(
        f"re-ingest: unchanged {again.unchanged}, added {again.added} in {t_again:.1f} s -> "
        f"{t_first / t_again:.1f}x faster (target >= 20x); chunks {chunks} -> {fn.store.count()}"
    )
    print(f"peak RSS {peak_mb():.0f} MB (target <= 1536 MB); index at {data_dir}")


if __name__ == "__main__":
    main()
