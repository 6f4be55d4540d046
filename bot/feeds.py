"""The feed poller: once (for cron and tests), in a loop (`finnews watch`), or beside `serve`."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.core import Finnews, store_key
from bot.settings import Settings, WebSettings
from index.database import Database
from index.database.lease import Lease, keep, owner_id
from index.ingest.formats import canonical_url
from index.web.fetch import Fetcher
from index.web.live import Backoff, Live, Poll
from index.web.registry import Registry

log = logging.getLogger("finnews.feeds")
STANDBY = 1.0  # seconds between looks at the lease while another replica polls


def registry_path(settings: Settings) -> Path:
    """The file the feed registry of the collection was kept in before the shared database."""
    return settings.data_dir / "feeds" / f"{store_key(settings.chroma)}.sqlite3"


def open_registry(settings: Settings, database: Database) -> Registry:
    """The feed registry of the configured collection, with its older file read in (once)."""
    registry = Registry(database, store_key(settings.chroma))
    registry.import_file(registry_path(settings))
    return registry


def open_fetcher(web: WebSettings, allow_private: bool = True) -> Fetcher:
    """A fetcher with the settings' User-Agent, timeout, size limit and politeness."""
    return Fetcher(
        web.agent, web.fetch_timeout, web.max_page_bytes, web.fetch_politeness, allow_private
    )


def open_live(finnews: Finnews, allow_private: bool = True) -> Live:
    """Pages and feeds for this core, with the settings' feeds registered."""
    settings = finnews.settings
    registry = open_registry(settings, finnews.database)
    web = settings.web
    for url in web.feeds:
        registry.add(canonical_url(url))
    return Live(
        finnews,
        open_fetcher(web, allow_private),
        registry,
        Backoff(web.feed_interval, web.feed_max_backoff),
    )


def watch(
    live: Live,
    interval: float,
    stop: threading.Event,
    once: bool = False,
    leading: threading.Event | None = None,
) -> list[Poll]:
    """Poll every feed, then again every `interval` seconds until `stop` is set (or once);
    with `leading`, only while it is set (this replica holds the poller's lease)."""
    polls: list[Poll] = []
    while not stop.is_set():
        if leading is not None and not leading.is_set():
            stop.wait(STANDBY)
            continue
        polls = live.poll_all()
        if once or stop.wait(interval):
            break
    return polls


def poller_lease(finnews: Finnews, stop: threading.Event) -> threading.Event:
    """Hold the feed poller's lease of this collection until `stop`; set while held."""
    settings = finnews.settings
    name = f"feeds:{store_key(settings.chroma)}"
    return keep(Lease(finnews.database, name, owner_id(), settings.lease_seconds), stop)


def start_poller(finnews: Finnews, settings: Settings) -> threading.Event:
    """Poll the feeds on the interval in a daemon thread, on one replica at a time (the holder
    of the poller's lease in the shared database); set the returned event to stop it."""
    stop = threading.Event()
    live = open_live(finnews)
    leading = poller_lease(finnews, stop)

    def run() -> None:
        try:
            watch(live, settings.web.feed_interval, stop, leading=leading)
        except Exception:  # the bot keeps answering without fresh news; the log says why
            log.exception("the feed poller stopped")

    threading.Thread(target=run, name="finnews-feeds", daemon=True).start()
    return stop
