"""Digest and summary benchmark on an existing index (e.g. the Reuters one bench/ingest.py builds).

Usage: FINNEWS_DATA_DIR=DIR [FINNEWS_COLLECTION=reuters] python bench/digest.py [--rebuild]
       [--companies 12] [--repeats 3]
--rebuild first reads every stored article's deals from its stored chunks (nothing is embedded;
it writes the deal store, so run it on a copy of an index you care about). Prints the backfill
time, then the median and worst time to build and render each week's digest (text and Block Kit)
over every week of the corpus, and of one company's summary over the companies with most deals
(warm: the first summary, which loads the model and BM25 index, is timed apart).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core import open_finnews  # noqa: E402
from bot.reports import digest  # noqa: E402
from bot.reports.periods import Period, zone  # noqa: E402
from bot.reports.summary import render_text, summarise  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.slack.digest_blocks import digest_blocks, summary_blocks  # noqa: E402
from index.deals.extract import extract  # noqa: E402
from index.deals.store import stored_articles  # noqa: E402


def timed(fn, *args):  # noqa: ANN001, ANN202 - a stopwatch
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def figures(name: str, seconds: list[float]) -> None:
    print(
        f"{name}: median {statistics.median(seconds) * 1000:.1f} ms, "
        f"max {max(seconds) * 1000:.1f} ms over {len(seconds)}"
    )


def rebuild(fn) -> None:  # noqa: ANN001
    articles, t_read = timed(lambda: list(stored_articles(fn.store.rows())))
    _, t_extract = timed(lambda: [extract(a) for a in articles])
    (n, found), t_all = timed(fn.rebuild_deals)
    print(
        f"backfill: {n} articles, {found} deals in {t_all:.1f} s (reading stored chunks "
        f"{t_read:.1f} s, extraction alone {t_extract:.1f} s = "
        f"{t_extract / max(n, 1) * 1000:.2f} ms/article)"
    )


def weeks(fn, tz) -> list[Period]:  # noqa: ANN001
    stats = fn.stats()
    if not stats.first or not stats.last:
        return []
    last, out = stats.last.date(), []
    while last >= stats.first.date():
        out.append(Period.ending(last, 7, tz))
        last -= timedelta(days=7)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--companies", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    fn = open_finnews(Settings())
    if args.rebuild:
        rebuild(fn)
    tz = zone("UTC")
    times, sizes = [], []
    for period in weeks(fn, tz):
        for _ in range(args.repeats):
            built, t = timed(lambda p=period: digest.build(fn.deals, p))
            _, t_render = timed(lambda b=built: (digest.render_text(b), digest_blocks(b)))
            times.append(t + t_render)
        sizes.append((period.key, built.articles, len(built.stories)))
    for key, n_articles, n_deals in sizes:
        print(f"  week {key}: {n_articles} articles, {n_deals} deals")
    figures("digest of a week (build + text + blocks)", times)
    names = Counter(d.company for d in fn.deals.deals()).most_common(args.companies)
    _, cold = timed(lambda: summarise(fn, names[0][0]))
    print(f"first summary (loads the BM25 index): {cold * 1000:.0f} ms")
    times = []
    for name, _ in names:
        for _ in range(args.repeats):
            s, t = timed(lambda n=name: summarise(fn, n))
            _, t_render = timed(lambda x=s: (render_text(x), summary_blocks(x)))
            times.append(t + t_render)
    print("companies: " + ", ".join(f"{n} ({c})" for n, c in names))
    figures("summary of one company (search + compose + text + blocks)", times)


if __name__ == "__main__":
    main()
