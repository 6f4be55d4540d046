"""The engine of a database URL (SQLite file or PostgreSQL), migrated to the current schema
before anyone uses it."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).with_name("migrations")
LOCK_KEY = 7_415_020  # the PostgreSQL advisory lock held while one process migrates


class Database:
    """An engine over the migrated schema; stores take one as an argument."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed whole, or rolled back."""
        with self.engine.begin() as conn:
            yield conn

    def insert(self, table: Table) -> Any:
        """An INSERT of the dialect, which has on_conflict_do_nothing / on_conflict_do_update."""
        if self.dialect == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def dispose(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()


def engine_url(url: str) -> str:
    """The URL with its driver named: postgresql:// is served by psycopg 3."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite file."""
    return f"sqlite:///{path}"


def open_database(url: str, migrate: bool = True) -> Database:
    """The database at the URL, its schema brought up to date (safe when several processes
    start at once: a PostgreSQL advisory lock, or a lock file beside a SQLite file)."""
    parsed = make_url(engine_url(url))
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed.database)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10)
    else:
        raise ValueError(f"unsupported database {parsed.get_backend_name()!r}")
    database = Database(engine)
    if migrate:
        upgrade(database)
    return database


def _sqlite_engine(path: str | None) -> Engine:
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path or ''}", connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi: Any, _record: Any) -> None:
        cursor = dbapi.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        cursor.execute("PRAGMA synchronous=NORMAL")  # in WAL mode: no fsync per small commit
        cursor.close()

    return engine


def upgrade(database: Database, revision: str = "head") -> None:
    """Run the migrations up to the newest (or up to `revision`), one process at a time."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _migration_lock(database) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()


@contextmanager
def _migration_lock(database: Database) -> Iterator[Connection]:
    engine = database.engine
    if database.dialect == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})
            conn.commit()
            try:
                yield conn
            finally:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                conn.commit()
        return
    path = engine.url.database
    if not path:  # an in-memory database has one user
        with engine.connect() as conn:
            yield conn
        return
    with open(f"{path}.migrate-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            with engine.connect() as conn:
                yield conn
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
