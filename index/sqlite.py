"""The SQLite files kept beside an index (deals, feeds, answers, digest posts): each created
once with its schema, then opened per transaction so threads and processes can share it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def create(path: Path, schema: str) -> None:
    """Make the file (and its folder) with the schema, in WAL mode: readers never wait."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with transaction(path) as db:
        db.execute("PRAGMA journal_mode=WAL")  # kept by the file
        db.executescript(schema)


@contextmanager
def transaction(path: Path, timeout: float = 30) -> Iterator[sqlite3.Connection]:
    """A connection of its own, one transaction: committed whole, or rolled back."""
    db = sqlite3.connect(path, timeout=timeout)
    db.execute("PRAGMA synchronous=NORMAL")  # in WAL mode: no fsync per small commit
    try:
        with db:
            yield db
    finally:
        db.close()
