"""Ingest one article in a process that dies (os._exit) once its chunks are written.

Run as `python crashing_ingest.py DATA_DIR TITLE BODY`. Chroma's own Collection is wrapped so
the process exits on the first metadata change after chunks were added: that is the moment
between writing an article's chunks and recording the store's new generation.
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


def main(data_dir: str, title: str, body: str) -> None:
    """Ingest the article; never returns normally when the store writes it."""
    from bot.core import open_finnews
    from bot.settings import Settings
    from index.records import Article, article_id

    settings = Settings(_env_file=None, data_dir=Path(data_dir), embedder="hashing")
    finnews = open_finnews(settings)
    _crash_after_writes()
    article = Article(id=article_id(None, title, body), title=title, body=body, url=None,
                      source="Daily Ledger", published_at=datetime(2026, 10, 3, tzinfo=UTC),
                      origin=title)
    finnews.ingest([article])


if __name__ == "__main__":
    main(*sys.argv[1:4])
