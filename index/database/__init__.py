"""Shared state in a SQL database (SQLite or PostgreSQL) through SQLAlchemy Core: the tables,
the engine, and the Alembic migrations shipped inside the package.

Another store joins by defining its Table on `tables.metadata`, adding a migration script to
`migrations/versions/`, and taking the `Database` (its `.engine`) as an argument."""

from index.database.engine import Database, open_database
from index.database.tables import metadata

__all__ = ["Database", "metadata", "open_database"]
