"""`finnews feeds add|list|remove`, `finnews watch`, and the URL side of `finnews ingest`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from itertools import chain
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.terminal import show
from bot.settings import Settings
from index.errors import UsageError

if TYPE_CHECKING:  # the fetching stack (httpx, feedparser, trafilatura) loads only when used
    from bot.core import Finnews
    from index.web.live import Item, Live
    from index.web.registry import Registry, Totals

feeds_app = typer.Typer(no_args_is_help=True, help="The RSS/Atom feeds `finnews watch` polls.")


def is_url(arg: str) -> bool:
    """Whether a command-line argument is a web address rather than a path."""
    return arg.lower().startswith(("http://", "https://"))


def url_items(live: Live, urls: list[str], feeds: list[str]) -> Iterator[Item]:
    """Articles of web pages and of every item of the given feeds, read now."""
    from index.ingest.formats import canonical_url

    return chain(live.read_urls(urls), *(live.read_feed(canonical_url(f)) for f in feeds))


def feed_totals(settings: Settings) -> Totals | None:
    """Counts over the registered feeds, or None when no feed was ever registered."""
    totals = _registry(settings).totals()
    return totals if totals.feeds or totals.aliases else None


def _registry(settings: Settings | None = None) -> Registry:
    from bot.database import open_database
    from bot.feeds import open_registry

    settings = settings or Settings()
    return open_registry(settings, open_database(settings))


def _canonical(url: str) -> str:
    from index.ingest.formats import canonical_url

    return canonical_url(url)


def _checked(url: str) -> str:
    if not is_url(url):
        raise UsageError(f"Not a feed address (it must start with http:// or https://): {url}")
    return _canonical(url)


@feeds_app.command("add")
def feeds_add(urls: Annotated[list[str], typer.Argument(help="Feed URLs.")]) -> None:
    """Register feeds for `finnews watch` (and the poller in `finnews serve`)."""
    registry = _registry()
    for url in map(_checked, urls):
        show(f"{'added' if registry.add(url) else 'already registered'}: {url}")


@feeds_app.command("remove")
def feeds_remove(urls: Annotated[list[str], typer.Argument(help="Feed URLs.")]) -> None:
    """Stop polling feeds (their articles stay in the index)."""
    registry, configured = _registry(), {_canonical(u) for u in Settings().feeds}
    for url in map(_checked, urls):
        show(f"{'removed' if registry.remove(url) else 'not registered'}: {url}")
        if url in configured:
            show("  it is also in FINNEWS_FEEDS, which registers it again: remove it there too")


@feeds_app.command("list")
def feeds_list() -> None:
    """The registered feeds with their poll counts and last error."""
    settings = Settings()
    registry = _registry(settings)
    for url in settings.feeds:
        registry.add(_canonical(url))
    states = registry.feeds()
    if not states:
        show("No feeds. Add one with `finnews feeds add URL` or set FINNEWS_FEEDS.")
    for s in states:
        last = (
            datetime.fromtimestamp(s.last_poll).strftime("%Y-%m-%d %H:%M")
            if s.last_poll
            else "never polled"
        )
        show(f"{s.url}\n  last poll {last}; {s.polls} polls, {s.items} items, {s.errors} errors")
        if s.failures:
            retry = datetime.fromtimestamp(s.backoff_until).strftime("%Y-%m-%d %H:%M")
            show(f"  failing {s.failures}x: {s.last_error}; next try after {retry}")


def watch_command(finnews: Finnews, once: bool) -> None:
    """Poll the feeds now and then on the interval; one log line per feed and poll."""
    from bot.feeds import open_live, poller_lease, watch

    live = open_live(finnews)
    if not live.registry.feeds():
        raise UsageError(
            "No feeds to poll: add some with `finnews feeds add URL` or set FINNEWS_FEEDS."
        )
    stop = threading.Event()
    # In a loop it polls only while no `serve` replica (or other watcher) holds the poller's
    # lease; --once polls now, as asked.
    leading = None if once else poller_lease(finnews, stop)
    try:
        watch(live, finnews.settings.feed_interval, stop, once=once, leading=leading)
    finally:
        stop.set()
