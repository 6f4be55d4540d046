"""Watchlist alerts: what matching costs per new article against 1,000 watches, and where the
topic threshold lies.

Usage:
  python bench/alerts.py [--limit N] [--watches W]   # cost (target: under 5% of ingest time)
  python bench/alerts.py --calibrate                 # topic cosines, relevant vs not

Cost: ingests the first N Reuters-21578 articles into a fresh index with the configured embedder
(MiniLM by default), capturing what each ingest added (the core's listener), then times
`Matcher.match` of those articles against W watches (70% companies, half of them named in the
ingested deals; 28% topics; 2% kinds of deal), per article and in one batch, and prints it as
a share of ingest time per article. Posting is not timed (it waits on the platform).
Calibration: ingests the labelled articles (tests/data/threads, samples/ without wire.jsonl),
prints each topic's best-chunk cosine with its relevant and its other articles, and the
thresholds that separate them. Set FINNEWS_MODEL_CACHE_DIR to keep the ONNX export between runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.alerts.matching import Matcher  # noqa: E402
from bot.alerts.store import AlertStore  # noqa: E402
from bot.alerts.watches import read  # noqa: E402
from bot.core import open_finnews  # noqa: E402
from bot.settings import Settings  # noqa: E402
from index.database import open_database  # noqa: E402
from index.database.engine import sqlite_url  # noqa: E402
from index.ingest.sources import load_paths  # noqa: E402
from index.records import DEAL_KINDS, Article  # noqa: E402

REUTERS = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"
TOPIC_WORDS = (
    "oil prices", "crude output", "grain exports", "coffee harvest", "interest rates",
    "bank mergers", "steel tariffs", "currency markets", "airline fares", "mining strikes",
    "gold reserves", "sugar quotas", "shipping rates", "bond yields", "stock buybacks",
    "takeover bids", "dividend cuts", "debt restructuring", "trade deficit", "farm subsidies",
)  # fmt: skip
# Calibration labels: a topic and the file-name parts of the articles about it.
LABELS = {
    "convertible bonds": ("convertible",),
    "venture capital funding round": ("series-b",),
    "bank loans and credit facilities": ("loan", "credit-facility"),
    "initial public offering of shares": ("ipo",),
    "share buyback programme": ("buyback",),
    "mergers and acquisitions": ("acquisition",),
    "green bonds for renewable energy": ("green-bond", "bond-books"),
}


def _core(label: str):
    settings = Settings(_env_file=None, data_dir=Path(tempfile.mkdtemp(prefix=f"finnews-{label}-")))
    fn = open_finnews(settings)
    fn.embedder.embed_query("warm up")
    return fn


def cost(limit: int, count: int) -> None:
    articles = [a for a in islice(load_paths([REUTERS]), limit) if isinstance(a, Article)]
    fn = _core("alerts-bench")
    added: list = []
    fn.listeners.append(added.extend)
    t0 = time.perf_counter()
    report = fn.ingest(articles)
    ingest = (time.perf_counter() - t0) / max(report.added, 1)
    print(
        f"ingest: {report.added} articles, {report.chunks} chunks, {ingest * 1000:.1f} ms per "
        f"article (embedder {fn.settings.embedder})"
    )
    companies = sorted({d.company for _, ds in added for d in ds})
    store = AlertStore(open_database(sqlite_url(Path(tempfile.mkdtemp()) / "finnews.sqlite3")))
    n_company, n_kind = int(count * 0.70), max(1, int(count * 0.02))
    names = companies[: n_company // 2] + [
        f"Fictional Holdings {i}" for i in range(n_company - min(len(companies), n_company // 2))
    ]
    topics = [f"{TOPIC_WORDS[i % 20]} in region {i}" for i in range(count - n_company - n_kind)]
    kinds = [DEAL_KINDS[i % len(DEAL_KINDS)] + "s" for i in range(n_kind)]
    for i, text in enumerate(names + [f"topic: {t}" for t in topics] + kinds):
        w = read(text)
        store.add_watch(f"slack:C{i:08d}", w.name, w.key, w.kind, "bench", 0.0)
    watches = store.watches()
    matcher = Matcher(fn.deals, fn.store, fn.embedder, fn.settings.alerts.topic_threshold)
    t0 = time.perf_counter()
    matcher.match(added[:1], watches)  # embeds the topics once (cached for the process)
    first = time.perf_counter() - t0
    per_article = []
    found = 0
    for item in added:
        t0 = time.perf_counter()
        found += len(matcher.match([item], watches))
        per_article.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    matcher.match(added, watches)
    batch = (time.perf_counter() - t0) / len(added)
    median, p95 = statistics.median(per_article), float(np.percentile(per_article, 95))
    print(
        f"watches: {len(watches)} ({len(names)} companies, {len(topics)} topics, {len(kinds)} "
        f"kinds); matches found: {found}"
    )
    print(f"first call (embeds {len(topics)} topics once): {first * 1000:.0f} ms")
    print(
        f"matching per article, one at a time: median {median * 1000:.2f} ms, p95 "
        f"{p95 * 1000:.2f} ms; in one batch of {len(added)}: {batch * 1000:.2f} ms per article"
    )
    print(
        f"share of ingest time per article: median {median / ingest:.1%}, p95 "
        f"{p95 / ingest:.1%}, batch {batch / ingest:.1%} (target under 5%)"
    )


def calibrate() -> None:
    folder = ROOT / "tests" / "data" / "threads" / "articles"
    paths = sorted(folder.glob("*.txt")) + [
        p for p in sorted((ROOT / "samples").iterdir()) if p.suffix in (".txt", ".md", ".html")
    ]
    articles = [a for a in load_paths(paths) if isinstance(a, Article)]
    fn = _core("alerts-calibrate")
    fn.ingest(articles)
    passages, vectors = fn.store.vectors([a.id for a in articles])
    ids = np.array([p.article_id for p in passages])
    origin = {a.id: Path(a.origin.split(":")[0]).name for a in articles}
    topics = list(LABELS)
    scores = vectors @ fn.embedder.embed(topics).T
    relevant, other = [], []
    for t, topic in enumerate(topics):
        for article_id, name in origin.items():
            best = float(scores[ids == article_id, t].max())
            hit = any(part in name for part in LABELS[topic])
            (relevant if hit else other).append(best)
            if hit:
                print(f"{topic!r:40} {name:42} {best:.3f}")
        top_other = max(
            float(scores[ids == a, t].max())
            for a, n in origin.items()
            if not any(part in n for part in LABELS[topic])
        )
        print(f"{topic!r:40} best unrelated article: {top_other:.3f}")
    print(
        f"relevant: min {min(relevant):.3f} median {statistics.median(relevant):.3f}; "
        f"unrelated: median {statistics.median(other):.3f} max {max(other):.3f}"
    )
    for threshold in (0.30, 0.35, 0.40, 0.45, 0.50, 0.55):
        recall = sum(s >= threshold for s in relevant) / len(relevant)
        false = sum(s >= threshold for s in other) / len(other)
        print(f"threshold {threshold:.2f}: recall {recall:.2f}, false alerts {false:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--watches", type=int, default=1000)
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    if args.calibrate:
        calibrate()
    else:
        cost(args.limit, args.watches)


if __name__ == "__main__":
    main()
