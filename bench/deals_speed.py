"""Deal extraction overhead: time of `extract` against the ingest time of the same articles.

Usage: python bench/deals_speed.py [--limit N] [--repeat R]
Ingests the first N Reuters-21578 articles into a fresh index with the configured embedder (the
real MiniLM by default), then times `index.deals.extract` alone over the same articles (median
of R runs) and prints extraction as a share of ingest time. Target: at most 15%.
Ingest already calls `extract` once per article (the deal store hook), so the ratio is taken
against ingest time minus one extraction pass: what extraction adds to ingest without it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core import open_finnews  # noqa: E402
from bot.settings import Settings  # noqa: E402
from index.deals.extract import extract  # noqa: E402
from index.ingest.sources import load_paths  # noqa: E402
from index.records import Article  # noqa: E402

REUTERS = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    articles = [a for a in islice(load_paths([REUTERS]), args.limit) if isinstance(a, Article)]
    settings = Settings(
        _env_file=None,
        data_dir=Path(tempfile.mkdtemp(prefix="finnews-deals-")),
        collection="reuters-deals-speed",
    )
    fn = open_finnews(settings)
    fn.embedder.embed_query("warm up")

    t0 = time.perf_counter()
    report = fn.ingest(articles)
    t_ingest = time.perf_counter() - t0
    print(
        f"ingest: {report.added} articles, {report.chunks} chunks in {t_ingest:.1f} s "
        f"({report.chunks / t_ingest:.1f} chunks/s, embedder {settings.embedder})"
    )

    runs, deals = [], 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        deals = sum(len(extract(a)) for a in articles)
        runs.append(time.perf_counter() - t0)
    t_extract = statistics.median(runs)
    per_article_ms = 1000 * t_extract / len(articles)
    print(
        f"extract: {len(articles)} articles, {deals} deals; median of {args.repeat} runs "
        f"{t_extract:.3f} s ({per_article_ms:.2f} ms/article)"
    )
    base = t_ingest - t_extract  # ingest already ran extract once
    print(f"extraction / ingest-without-extraction: {t_extract / base:.3%} (target <= 15%)")


if __name__ == "__main__":
    main()
