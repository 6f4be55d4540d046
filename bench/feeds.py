"""Feed benchmark against a local HTTP server: unchanged polls, and new items vs the core pipeline.

Usage: nice -n 10 python bench/feeds.py [--items N] [--embedder minilm|hashing] [--data-dir DIR]
(a) polls 20 feeds a second time (304 with ETag, and 200 with every item already seen): embed
calls and wall time (target: no embedding, <= 1 s).
(b) reads N new feed items (Reuters-21578 articles served as HTML pages by this script's server)
into a fresh collection, and Finnews.ingest of the same Articles into another: throughput ratio
(target >= 0.8). The politeness wait is 0 here: every page is on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core import open_embedder, open_finnews  # noqa: E402
from bot.feeds import open_live  # noqa: E402
from bot.settings import Settings  # noqa: E402
from index.records import Article  # noqa: E402
from index.web.pages import page_article  # noqa: E402

REUTERS = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"
FEEDS = 20


class Counting:
    """An embedder that counts the texts it embeds, passing everything else through."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.texts = inner, 0

    def embed(self, texts: Any) -> Any:
        self.texts += len(texts)
        return self.inner.embed(texts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def page(rec: dict) -> str:
    """A Reuters record as an article page with a little navigation around it."""
    when = datetime.strptime(rec["date"].split(".")[0].strip(), "%d-%b-%Y %H:%M:%S").isoformat()
    paras = "".join(
        f"<p>{html.escape(' '.join(p.split()))}</p>"
        for p in rec["body"].split("\n    ")
        if p.strip()
    )
    title = html.escape(rec["title"].title())
    return (
        f"<html><head><title>{title}</title><meta property='og:site_name' content='Reuters'>"
        f"<meta property='article:published_time' content='{when}Z'></head><body><nav>"
        f"<a href='/'>Home</a> <a href='/markets'>Markets</a></nav><article><h1>{title}</h1>"
        f"{paras}</article></body></html>"
    )


def rss(base: str, paths: list[str]) -> str:
    items = "".join(
        f"<item><guid>{p}</guid><link>{base}{p}</link><title>{p}</title></item>" for p in paths
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )


class Site:
    """Pages and feeds in memory, served on 127.0.0.1; feeds answer 304 to their ETag."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[bytes, str, str | None]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                body, kind, etag = routes[self.path]
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        ThreadingHTTPServer.request_queue_size = 128
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, path: str, body: str, kind: str = "text/html", etag: str | None = None) -> str:
        self.routes[path] = (body.encode(), kind, etag)
        return self.base + path


def reuters_pages(site: Site, n: int) -> list[Article]:
    """Serve the first n Reuters articles that read as articles; the Articles they give."""
    found, texts = [], set()
    with REUTERS.open() as fh:
        for line in fh:
            rec = json.loads(line)
            if len(rec.get("body", "").split()) < 80 or not rec.get("title"):
                continue
            path = f"/reuters/{rec['newid']}"
            doc = page(rec)
            got = page_article(doc.encode(), site.base + path, site.base + path)
            if isinstance(got, Article) and got.text_hash not in texts:
                texts.add(got.text_hash)
                site.add(path, doc)
                found.append(got)
                if len(found) == n:
                    break
    return found


def settings(data_dir: Path, name: str, embedder: str) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=data_dir / name,
        collection=name,
        embedder=embedder,
        fetch_politeness=0.0,
        fetch_timeout=10.0,
    )


def unchanged_polls(
    site: Site, articles: list[Article], data_dir: Path, embedder: Any, kind: str
) -> None:
    """(a) 20 feeds polled twice; the second poll is timed and its embedding counted."""
    paths = [a.url.removeprefix(site.base) for a in articles[: FEEDS * 3]]
    for with_etag in (True, False):
        label = "etag" if with_etag else "no-etag"
        fn = open_finnews(settings(data_dir, f"a-{label}", kind), Counting(embedder))
        live = open_live(fn)
        for i in range(FEEDS):
            feed = rss(site.base, paths[i * 3 : (i + 1) * 3])
            live.registry.add(
                site.add(
                    f"/{label}/feed{i}.xml",
                    feed,
                    "application/rss+xml",
                    f'"{label}-{i}"' if with_etag else None,
                )
            )
        first = live.poll_all()
        fn.embedder.texts = 0
        t0 = time.perf_counter()
        second = live.poll_all()
        took = time.perf_counter() - t0
        print(
            f"(a) {FEEDS} unchanged feeds, {'304 via ETag' if with_etag else '200, items seen'}"
            f": second poll {took:.3f} s, {fn.embedder.texts} texts embedded, "
            f"{sum(p.new for p in second)} new (first poll: {sum(p.new for p in first)} new)"
        )


def core_run(articles: list[Article], data_dir: Path, name: str, embedder: Any, kind: str) -> float:
    """Finnews.ingest of the Articles into a fresh collection: articles per second."""
    core = open_finnews(settings(data_dir, name, kind), embedder)
    t0 = time.perf_counter()
    base = core.ingest(articles)
    took = time.perf_counter() - t0
    print(
        f"(b) core ({name}): {base.added} articles, {base.chunks} chunks in {took:.1f} s -> "
        f"{base.added / took:.2f} articles/s"
    )
    return base.added / took


def new_items(
    site: Site, articles: list[Article], data_dir: Path, embedder: Any, kind: str
) -> None:
    """(b) N new feed items through the poller vs Finnews.ingest of the same Articles.

    The core runs before and after the feeds, so a change in the shared machine's load shows.
    """
    before = core_run(articles, data_dir, "b-core-1", embedder, kind)
    fn = open_finnews(settings(data_dir, "b-feeds", kind), embedder)
    live = open_live(fn)
    per = -(-len(articles) // 10)
    for i in range(10):
        part = [a.url.removeprefix(site.base) for a in articles[i * per : (i + 1) * per]]
        live.registry.add(site.add(f"/b/feed{i}.xml", rss(site.base, part), "application/rss+xml"))
    t0 = time.perf_counter()
    polls = live.poll_all()
    t_feed = time.perf_counter() - t0
    new = sum(p.new for p in polls)
    print(
        f"(b) feeds: {new} new items from 10 feeds, {fn.store.count()} chunks in {t_feed:.1f} s"
        f" -> {new / t_feed:.2f} articles/s; errors {sum(bool(p.error) for p in polls)}, "
        f"skipped {sum(len(p.skipped) for p in polls)}"
    )
    after = core_run(articles, data_dir, "b-core-2", embedder, kind)
    mean = (before + after) / 2
    print(
        f"(b) feeds / core throughput: {(new / t_feed) / mean:.3f} against the mean of the two "
        f"core runs ({(new / t_feed) / before:.3f} and {(new / t_feed) / after:.3f} against "
        "each; target >= 0.8)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--embedder", choices=["minilm", "hashing"], default="minilm")
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    if not REUTERS.is_file():
        sys.exit(f"{REUTERS} is missing")
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="finnews-bench-feeds-"))
    site = Site()
    articles = reuters_pages(site, max(args.items, FEEDS * 3))
    embedder = open_embedder(settings(data_dir, "x", args.embedder))
    embedder.embed(["warm up the session"] * 8)
    print(f"{len(articles)} Reuters pages served at {site.base}; embedder {embedder.name}")
    unchanged_polls(site, articles, data_dir, embedder, args.embedder)
    new_items(site, articles[: args.items], data_dir, embedder, args.embedder)


if __name__ == "__main__":
    main()
