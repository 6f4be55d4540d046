"""SQLite files kept before the shared database (one per store), read once into it."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from index.database.engine import Database
from index.database.tables import imports


def read_rows(path: Path, table: str) -> list[dict[str, Any]]:
    """Every row of a table of an old SQLite file as a dict; [] when the table is absent."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    db.row_factory = sqlite3.Row
    try:
        known = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
        return [dict(row) for row in db.execute(f"SELECT * FROM {table}")] if known else []
    finally:
        db.close()


def first_import(db: Connection, database: Database, source: str) -> bool:
    """Mark `source` as read into this database, in the caller's transaction; False when it
    was already (a second start, or another replica at the same time)."""
    taken = database.insert(imports).values(source=source, at=time.time())
    return (
        db.execute(taken.on_conflict_do_nothing().returning(imports.c.source)).first() is not None
    )
