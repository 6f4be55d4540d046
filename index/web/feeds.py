"""RSS and Atom feeds read by feedparser, turned into the items they link to."""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import feedparser

from index.ingest.formats import canonical_url
from index.records import Skip


class FeedError(Exception):
    """A feed document that cannot be read at all; the message says why."""


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: the article it links to and a hash of what the feed says of it."""

    key: str  # the entry's guid/id, else its link: what identifies it across polls
    link: str  # canonical URL of the article page
    title: str
    digest: str  # changes when the feed changes the entry (title, link, summary, dates)


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title, its readable items, and entries skipped with a reason."""

    title: str
    items: tuple[FeedItem, ...]
    skipped: tuple[Skip, ...]


def parse_feed(data: bytes, url: str) -> Feed:
    """The items of an RSS 2.0, RSS 1.0 or Atom document; raises FeedError for a non-feed."""
    parsed = feedparser.parse(data, response_headers={"content-location": url})
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        problem = parsed.get("bozo_exception")
        why = f" ({type(problem).__name__}: {problem})" if problem else ""
        raise FeedError(f"not an RSS or Atom feed{why}")
    items, skipped, keys = [], [], set()
    for n, entry in enumerate(parsed.entries, 1):
        item = _item(entry, url)
        if isinstance(item, str):
            skipped.append(Skip(f"{url} item {n}", item))
        elif item.key not in keys:  # a feed listing one entry twice is read once
            keys.add(item.key)
            items.append(item)
    title = " ".join(str(parsed.feed.get("title") or "").split())
    return Feed(title, tuple(items), tuple(skipped))


def _item(entry: dict, feed_url: str) -> FeedItem | str:
    """The entry as an item, or the reason it cannot be one."""
    raw = str(entry.get("link") or "").strip()
    if not raw and str(entry.get("id") or "").startswith(("http://", "https://")):
        raw = str(entry["id"])  # Atom entries may carry their address only as the id
    if not raw:
        return "entry has no link to an article"
    link = urljoin(feed_url, raw)
    if urlsplit(link).scheme not in ("http", "https") or not urlsplit(link).hostname:
        return f"entry link is not a web address: {raw[:80]!r}"
    link = canonical_url(link)
    title = " ".join(str(entry.get("title") or "").split())
    with warnings.catch_warnings():  # feedparser warns of its own updated/published aliasing
        warnings.simplefilter("ignore", DeprecationWarning)
        stamp = entry.get("updated") or entry.get("published") or ""
    parts = [link, title, str(entry.get("summary") or ""), str(stamp)]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return FeedItem(str(entry.get("id") or "").strip() or link, link, title, digest)
