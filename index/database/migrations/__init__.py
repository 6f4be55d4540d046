"""Alembic migrations of the shared database (run by index.database.engine.upgrade)."""
