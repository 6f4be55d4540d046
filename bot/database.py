"""The shared database of this deployment: FINNEWS_DATABASE_URL, else a SQLite file in the data
folder. (The SQLite files earlier versions kept per store are read in by each store's opener.)"""

from __future__ import annotations

from bot.settings import Settings
from index.database import Database
from index.database import open_database as open_url
from index.database.engine import sqlite_url

FILE = "finnews.sqlite3"  # the database in the data folder when no URL is set


def database_url(settings: Settings) -> str:
    """The configured URL, or the data folder's SQLite file."""
    if settings.database_url is not None:
        return settings.database_url.get_secret_value()
    return sqlite_url(settings.data_dir / FILE)


def open_database(settings: Settings) -> Database:
    """The database of the settings, its schema migrated to the newest."""
    return open_url(database_url(settings))
