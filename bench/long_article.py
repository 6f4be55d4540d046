"""Ingest time of one very long article (default ~5 MB) with the hashing embedder.

Usage: python bench/long_article.py [--mb 5]
Prints the time to ingest it into an empty temporary store, chunking and hashing included.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from bot.core import open_finnews  # noqa: E402
from bot.settings import Settings  # noqa: E402
from index.records import Article, article_id  # noqa: E402

SENTENCE = (
    "Quillmark Foods sold {n} million dollars of senior notes due 2031 on Thursday, "
    "people familiar with the deal said, and the notes were priced at par. "
)


def long_article(megabytes: float) -> Article:
    """One article of about that many megabytes, in paragraphs of ten sentences."""
    sentences, size, n = [], 0, 0
    while size < megabytes * 1_000_000:
        sentences.append(SENTENCE.format(n=n))
        size += len(sentences[-1])
        n += 1
    body = "\n\n".join("".join(sentences[i : i + 10]) for i in range(0, len(sentences), 10))
    title = "Quillmark Foods sells notes"
    return Article(
        id=article_id(None, title, body),
        title=title,
        body=body,
        url=None,
        source="Bench Wire",
        published_at=datetime(2026, 10, 3, tzinfo=UTC),
        origin="bench",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=5.0)
    args = parser.parse_args()
    article = long_article(args.mb)
    with tempfile.TemporaryDirectory() as work:
        finnews = open_finnews(Settings(_env_file=None, data_dir=Path(work), embedder="hashing"))
        start = time.perf_counter()
        report = finnews.ingest([article])
        took = time.perf_counter() - start
        print(
            f"{len(article.body.encode()) / 1e6:.1f} MB article: {report.added} added, "
            f"{finnews.store.count():,} chunks in {took:.1f} s (hashing embedder)"
        )


if __name__ == "__main__":
    main()
