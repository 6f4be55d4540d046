"""Another process writing to an embedded store: it ingests one article, or dies doing so.

Run as `python ingest_process.py DATA_DIR TITLE BODY [--crash] [--url=URL]`. With --crash,
Chroma's own Collection is wrapped so the process exits (os._exit) on the first metadata change
after chunks were added: the moment between writing an article's chunks and recording the new
generation.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from chromadb.api.models.Collection import Collection

CRASHED = 9  # the exit status that says the crash point was reached


def _crash_after_writes() -> None:
    add, modify = Collection.add, Collection.modify
    written = []

    def adding(self, *args, **kw):  # noqa: ANN001, ANN002, ANN003
        written.append(True)
        return add(self, *args, **kw)

    def modifying(self, *args, **kw):  # noqa: ANN001, ANN002, ANN003
        if written:
            os._exit(CRASHED)
        return modify(self, *args, **kw)

    Collection.add, Collection.modify = adding, modifying


def main(data_dir: str, title: str, body: str, crash: bool = False, url: str | None = None) -> None:
    """Ingest the article; with `crash`, the process dies once its chunks are written."""
    from bot.core import open_finnews
    from bot.settings import Settings
    from index.records import Article, article_id

    settings = Settings(_env_file=None, data_dir=Path(data_dir), embedder="hashing")
    finnews = open_finnews(settings)
    if crash:
        _crash_after_writes()
    article = Article(
        id=article_id(url, title, body),
        title=title,
        body=body,
        url=url,
        source="Daily Ledger",
        published_at=datetime(2026, 10, 3, tzinfo=UTC),
        origin=title,
    )
    finnews.ingest([article])


if __name__ == "__main__":
    urls = [a.removeprefix("--url=") for a in sys.argv[4:] if a.startswith("--url=")]
    main(*sys.argv[1:4], crash="--crash" in sys.argv[4:], url=urls[0] if urls else None)
