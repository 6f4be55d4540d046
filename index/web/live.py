"""Live news: articles from URLs and feeds into an index, syndicated copies linked, not stored."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from index.ingest.formats import canonical_url
from index.ingest.pipeline import Report
from index.records import Article, Skip
from index.store import Store
from index.web.feeds import Feed, FeedError, FeedItem, parse_feed
from index.web.fetch import FEED_TYPES, HTML_TYPES, Fetcher, FetchError
from index.web.pages import page_article, read_page
from index.web.registry import Registry

log = logging.getLogger("finnews.feeds")
LINK_BATCH = 32  # pages read between two look-ups of their texts in the store
READERS, READ_AHEAD = 4, 64  # pages fetched and extracted in threads while the core embeds
Item = Article | Skip


@dataclass(frozen=True)
class Linked:
    """A URL whose text is an article already stored: recorded as its alias."""

    url: str
    article_id: str
    title: str
    source: str | None


@dataclass(frozen=True)
class Added:
    """What became of one URL: added, replaced, unchanged, linked (a copy) or skipped."""

    status: str
    title: str = ""
    source: str | None = None
    reason: str = ""


@dataclass
class Poll:
    """What one poll of one feed did."""

    feed: str
    new: int = 0  # items added or replaced in the index
    seen: int = 0  # items already taken, not fetched again
    skipped: list[Skip] = field(default_factory=list)
    linked: list[Linked] = field(default_factory=list)
    not_modified: bool = False
    error: str | None = None
    retry_at: float | None = None

    def line(self) -> str:
        """The one log line of the poll."""
        if self.error:
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.retry_at or 0))
            return f"feed {self.feed}: error: {self.error} (next try after {when})"
        if self.not_modified:
            return f"feed {self.feed}: not modified, 0 new items"
        return (
            f"feed {self.feed}: {self.new} new items, {self.seen} seen before, "
            f"{len(self.linked)} linked copies, {len(self.skipped)} skipped"
        )


class Sink(Protocol):
    """Where read articles go: an index that ingests them and can refresh its lexical side."""

    store: Store

    def ingest(self, items: Iterable[Article | Skip], *, refresh: bool = True) -> Report:
        """Store the articles; refresh=False leaves the lexical refresh to a later refresh()."""

    def refresh(self) -> None:
        """Bring the lexical index's view up to date after ingests made with refresh=False."""


@dataclass(frozen=True)
class Backoff:
    """How long a failing feed waits: the poll interval, doubled per failure up to a ceiling."""

    interval: float
    ceiling: float


class Live:
    """Reads pages and feeds into one index; the registry remembers feeds, items and aliases."""

    def __init__(self, sink: Sink, fetcher: Fetcher, registry: Registry, backoff: Backoff) -> None:
        self.sink = sink
        self.fetcher = fetcher
        self.registry = registry
        self.backoff = backoff

    def read_urls(self, urls: Iterable[str], linked: list[Linked] | None = None) -> Iterator[Item]:
        """Articles (or Skips) of web pages; copies of stored texts are linked (and listed)."""
        return self._link(_ahead(self._read, urls), [] if linked is None else linked)

    def add(self, url: str) -> Added:
        """Read one page into the index: what became of it, for a reply."""
        linked: list[Linked] = []
        found = list(self.read_urls([url], linked))
        if linked:
            return Added("linked", linked[0].title, linked[0].source)
        if isinstance(found[0], Skip):
            return Added("skipped", reason=found[0].reason)
        report, article = self.sink.ingest(found), found[0]
        if report.skipped:
            return Added("skipped", reason=report.skipped[0].reason)
        status = "added" if report.added else "replaced" if report.replaced else "unchanged"
        return Added(status, article.title, article.source)

    def read_feed(self, url: str) -> Iterator[Item]:
        """Every item of a feed, read once now (nothing is remembered for later polls)."""
        try:
            feed, _, _ = self._fetch_feed(url, None, None)
        except (FetchError, FeedError) as exc:
            yield Skip(url, str(exc))
            return
        if feed is None:
            return  # no validators were sent, so a 304 means an odd server: nothing to read
        yield from feed.skipped
        yield from self.read_urls(item.link for item in feed.items)

    def poll(self, url: str) -> Poll:
        """One conditional poll of a registered feed: only new or changed items are read."""
        state, result, now = self.registry.state(url), Poll(url), time.time()
        try:
            feed, etag, modified = self._fetch_feed(
                url, state and state.etag, state and state.last_modified
            )
        except (FetchError, FeedError) as exc:
            return self._failed(result, str(exc), now)
        if feed is None:
            result.not_modified = True
        else:
            self._take(feed, url, result)
        self.registry.polled(url, etag=etag, last_modified=modified, new_items=result.new, at=now)
        return result

    def poll_all(self) -> list[Poll]:
        """Poll every registered feed not backing off; one failing feed never stops the others."""
        polls = []
        for state in self.registry.feeds():
            if state.backoff_until > time.time():
                continue
            try:
                result = self.poll(state.url)
            except Exception:
                log.exception("polling %s failed", state.url)
                result = self._failed(Poll(state.url), "internal error (see the log)", time.time())
            log.info("%s", result.line())
            polls.append(result)
        if any(p.new for p in polls):
            self.sink.refresh()  # once per round, not once per feed
        return polls

    def _failed(self, result: Poll, error: str, now: float) -> Poll:
        state = self.registry.failed(
            result.feed, error, now, self.backoff.interval, self.backoff.ceiling
        )
        result.error, result.retry_at = error, state.backoff_until
        return result

    def _fetch_feed(
        self, url: str, etag: str | None, modified: str | None
    ) -> tuple[Feed | None, str | None, str | None]:
        """The parsed feed (None when the server says it has not changed) and its validators."""
        page = self.fetcher.get(url, accept=FEED_TYPES, etag=etag, last_modified=modified)
        feed = None if page.not_modified else parse_feed(page.body, page.url)
        return feed, page.etag or etag, page.last_modified or modified

    def _take(self, feed: Feed, url: str, result: Poll) -> None:
        """Read the feed's new or changed items into the index; remember what was settled."""
        known = self.registry.seen(url, (i.key for i in feed.items))
        todo = [i for i in feed.items if known.get(i.key) != i.digest]
        result.seen = len(feed.items) - len(todo)
        result.skipped.extend(feed.skipped)
        settled: list[FeedItem] = []
        if todo:
            pages = _ahead(lambda i: self._read_item(i, settled), todo)
            report = self.sink.ingest(self._link(pages, result.linked), refresh=False)
            result.new = report.added + report.replaced
            result.skipped.extend(report.skipped)
        self.registry.remember(url, [(i.key, i.digest) for i in settled])

    def _read_item(self, item: FeedItem, settled: list[FeedItem]) -> Item:
        try:
            found = self._page(item.link)
        except FetchError as exc:
            found = Skip(item.link, str(exc))
            if exc.transient:
                return found  # not settled: a timeout or a 5xx is tried again next poll
        settled.append(item)
        return found

    def _read(self, url: str) -> Item:
        return read_page(self.fetcher, url)

    def _page(self, url: str) -> Item:
        page = self.fetcher.get(canonical_url(url.strip()), accept=HTML_TYPES)
        return page_article(page.body, page.url, url.strip(), page.charset)

    def _link(self, items: Iterable[Item], linked: list[Linked]) -> Iterator[Item]:
        """Pass articles on, except a text stored (or read) under another URL: link that."""
        twins: dict[str, Article] = {}
        it = iter(items)
        while batch := list(islice(it, LINK_BATCH)):
            texts = [a.text_hash for a in batch if isinstance(a, Article)]
            owners = self.sink.store.with_text(texts)
            for item in batch:
                yield self._linked_or_kept(item, owners, twins, linked)

    def _linked_or_kept(
        self, item: Item, owners: dict[str, str], twins: dict[str, Article], linked: list[Linked]
    ) -> Item:
        if isinstance(item, Skip):
            return item
        twin = twins.setdefault(item.text_hash, item)
        owner_id = owners.get(item.text_hash) or twin.id
        if owner_id == item.id:
            return item
        stored = self.sink.store.get([f"{owner_id}:0"]).get(f"{owner_id}:0")
        title, source = (stored.title, stored.source) if stored else (twin.title, twin.source)
        self.registry.link(item.url or item.origin, owner_id)
        linked.append(Linked(item.url or item.origin, owner_id, title, source))
        return Skip(
            item.origin,
            f"same text as {title} ({source or 'unknown outlet'}); linked to it, not stored twice",
        )


def _ahead(work: Callable[[Any], Item], items: Iterable[Any]) -> Iterator[Item]:
    """work(item) for each item, in order, computed up to READ_AHEAD items ahead in threads."""
    with ThreadPoolExecutor(READERS, thread_name_prefix="finnews-read") as pool:
        pending: deque[Future[Item]] = deque()
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) >= READ_AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
