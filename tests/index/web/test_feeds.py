"""Feeds polled from a real local HTTP server: RSS, Atom, 304s, failures, backoff, the CLI."""

from __future__ import annotations

import logging
import time

import numpy as np
import pytest
from news_site import article, atom, rss
from typer.testing import CliRunner

from bot.cli.main import app
from bot.core import open_finnews
from bot.feeds import open_live, start_poller
from bot.settings import Settings
from index.embed.embedders import HashingEmbedder
from index.errors import UsageError
from index.records import Skip
from index.web.live import Live

pytest_plugins = ["news_site"]

STORIES = {
    "/deals/corrow-bonds": (
        "Corrow Shipping prices $500 million green bonds",
        [
            "Corrow Shipping, the fictional tanker operator, "
            "priced $500 million of green bonds due "
            "2033 on Tuesday, with a coupon of 6.1%, according to a term sheet seen by reporters.",
            "The company will use the money for two dual-fuel vessels ordered from the Veldt yard, "
            "its finance chief said. Books closed above $2 billion.",
        ],
    ),
    "/deals/lumenfall-ipo": (
        "Lumenfall Health files for a $240 million IPO",
        [
            "Lumenfall Health, a clinic software company, filed on Wednesday for an initial public "
            "offering that could raise as much as $240 million, according to its prospectus.",
            "The company plans to list its shares on the Tallis exchange under the ticker LUMF. "
            "Greywater Bank and Pell & Orme are leading the sale.",
        ],
    ),
    "/deals/ostrava-buyback": (
        "Ostrava Mills adds $1 billion to its buyback",
        [
            "Ostrava Mills, the paper and packaging group, said "
            "on Thursday it would buy back up to "
            "$1 billion of its shares over two years, on top of a programme finished in June.",
            "The board also raised the quarterly dividend by 8%, the company said in a statement "
            "released with its third-quarter results.",
        ],
    ),
}


class CountingEmbedder(HashingEmbedder):
    """The hashing embedder, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.texts = 0

    def embed(self, texts) -> np.ndarray:
        self.texts += len(texts)
        return super().embed(texts)


@pytest.fixture
def settings(tmp_path):
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        embedder="hashing",
        fetch_timeout=0.3,
        max_page_bytes=50_000,
        fetch_politeness=0.0,
        feed_interval=60.0,
        feed_max_backoff=300.0,
    )


@pytest.fixture
def embedder():
    return CountingEmbedder()


@pytest.fixture
def live(settings, embedder) -> Live:
    return open_live(open_finnews(settings, embedder))


def serve_stories(site, paths=tuple(STORIES)) -> list[tuple[str, str, str]]:
    """Serve the story pages; (guid, link, title) items for a feed."""
    items = []
    for path in paths:
        title, paragraphs = STORIES[path]
        items.append(
            (f"tag:harbor,2026:{path}", site.serve(path, article(title, paragraphs)), title)
        )
    return items


def test_rss_feed_items_are_ingested_with_page_metadata(site, live):
    feed = site.serve("/rss", rss(serve_stories(site)), kind="application/rss+xml")
    live.registry.add(feed)
    [poll] = live.poll_all()
    assert (poll.new, poll.error, poll.skipped) == (3, None, [])
    passages = live.sink.store.get([f"{a}:0" for a in _ids(live)])
    assert {p.title for p in passages.values()} == {t for t, _ in STORIES.values()}
    assert {p.source for p in passages.values()} == {"The Harbor Ledger"}


def test_atom_feed_items_are_ingested(site, live):
    items = serve_stories(site, ["/deals/corrow-bonds", "/deals/lumenfall-ipo"])
    feed = site.serve("/atom", atom(items), kind="application/atom+xml")
    live.registry.add(feed)
    [poll] = live.poll_all()
    assert poll.new == 2 and poll.line() == (
        f"feed {feed}: 2 new items, 0 seen before, 0 linked copies, 0 skipped"
    )


def test_malformed_entry_is_skipped_and_the_others_are_read(site, live):
    good = serve_stories(site, ["/deals/corrow-bonds"])
    xml = rss(good).replace(
        "</channel>",
        "<item><title>No link here</title></item>"
        "<item><link>javascript:alert(1)</link><title>Bad</title></item>"
        "</channel>",
    )
    feed = site.serve("/rss", xml, kind="application/rss+xml")
    live.registry.add(feed)
    [poll] = live.poll_all()
    assert poll.new == 1
    assert [s.reason for s in poll.skipped] == [
        "entry has no link to an article",
        "entry link is not a web address: 'javascript:alert(1)'",
    ]


def test_second_poll_is_a_conditional_get_answered_304_and_embeds_nothing(site, live, embedder):
    feed = site.serve("/rss", rss(serve_stories(site)), kind="application/rss+xml", etag='"v1"')
    live.registry.add(feed)
    first = live.poll(feed)
    embedded = embedder.texts
    second = live.poll(feed)
    assert first.new == 3 and embedded > 0
    assert second.not_modified and second.line() == f"feed {feed}: not modified, 0 new items"
    assert site.of("/rss")[1].headers["If-None-Match"] == '"v1"'
    assert site.of("/rss")[1].status == 304
    assert embedder.texts == embedded
    assert len(site.of("/deals/corrow-bonds")) == 1


def test_last_modified_is_sent_back_as_if_modified_since(site, live, embedder):
    stamp = "Fri, 02 Oct 2026 09:00:00 GMT"
    feed = site.serve(
        "/atom",
        atom(serve_stories(site, ["/deals/lumenfall-ipo"])),
        kind="application/atom+xml",
        last_modified=stamp,
    )
    live.registry.add(feed)
    assert live.poll(feed).new == 1
    embedded = embedder.texts
    assert live.poll(feed).not_modified
    assert site.of("/atom")[1].headers["If-Modified-Since"] == stamp
    assert embedder.texts == embedded


def test_unchanged_items_are_not_fetched_again_and_changed_ones_are(site, live):
    items = serve_stories(site)
    feed = site.serve("/rss", rss(items), kind="application/rss+xml")  # no ETag: always 200
    live.registry.add(feed)
    live.poll(feed)
    again = live.poll(feed)
    assert (again.new, again.seen) == (0, 3)
    assert all(len(site.of(path)) == 1 for path in STORIES)
    title, paragraphs = STORIES["/deals/corrow-bonds"]
    site.serve("/deals/corrow-bonds", article(title + " (updated)", paragraphs))
    items[0] = (items[0][0], items[0][1], title + " (updated)")
    site.serve("/rss", rss(items), kind="application/rss+xml")
    changed = live.poll(feed)
    assert (changed.new, changed.seen) == (1, 2)
    assert len(site.of("/deals/corrow-bonds")) == 2


@pytest.mark.parametrize(
    ("status", "reason"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")]
)
def test_failing_feed_backs_off_exponentially(site, live, status, reason):
    feed = site.serve("/rss", "oops", kind="text/plain", status=status)
    live.registry.add(feed)
    before = time.time()
    [poll] = live.poll_all()
    assert poll.error == reason and poll.retry_at >= before + 60
    assert live.poll_all() == []  # backing off: not even asked
    assert len(site.of("/rss")) == 1
    live.poll(feed)
    state = live.registry.state(feed)
    assert state.failures == 2 and state.errors == 2 and state.last_error == reason
    assert state.backoff_until - state.last_poll == pytest.approx(120)


def test_backoff_is_capped_and_a_good_poll_resets_it(site, live):
    feed = site.serve("/rss", "oops", kind="text/plain", status=503)
    live.registry.add(feed)
    for _ in range(5):
        live.poll(feed)
    state = live.registry.state(feed)
    assert state.backoff_until - state.last_poll == pytest.approx(300)  # the 300 s cap
    site.serve(
        "/rss", rss(serve_stories(site, ["/deals/lumenfall-ipo"])), kind="application/rss+xml"
    )
    assert live.poll(feed).new == 1
    assert (live.registry.state(feed).failures, live.registry.state(feed).backoff_until) == (0, 0)


def test_failing_feeds_never_stop_the_others(site, live):
    site.redirect("/loop", "/loop")
    bad = [
        site.serve("/broken", "no", status=500),
        site.url("/loop"),
        site.serve("/not-a-feed", "just some words", kind="text/plain"),
        site.serve("/slow", "<rss/>", kind="application/rss+xml", delay=1.0),
    ]
    good = site.serve("/rss", rss(serve_stories(site)), kind="application/rss+xml")
    for url in [*bad, good]:
        live.registry.add(url)
    polls = {p.feed: p for p in live.poll_all()}
    assert polls[good].new == 3 and polls[good].error is None
    assert polls[bad[0]].error == "HTTP 500 Internal Server Error"
    assert "redirect loop" in polls[bad[1]].error
    assert polls[bad[2]].error.startswith("not an RSS or Atom feed")
    assert polls[bad[3]].error == "no complete answer within 0.3 s"


def test_item_page_that_times_out_is_tried_again_at_the_next_poll(site, live):
    items = serve_stories(site, ["/deals/corrow-bonds"])
    title, paragraphs = STORIES["/deals/corrow-bonds"]
    site.serve("/deals/corrow-bonds", article(title, paragraphs), delay=1.0)
    feed = site.serve("/rss", rss(items), kind="application/rss+xml")
    live.registry.add(feed)
    first = live.poll(feed)
    assert first.new == 0 and first.skipped[0].reason == "no complete answer within 0.3 s"
    site.serve("/deals/corrow-bonds", article(title, paragraphs))
    assert live.poll(feed).new == 1


def test_a_gone_item_page_is_not_fetched_at_every_poll(site, live):
    feed = site.serve(
        "/rss", rss([("g1", site.url("/deals/gone"), "Gone")]), kind="application/rss+xml"
    )
    live.registry.add(feed)
    assert live.poll(feed).skipped == [Skip(site.url("/deals/gone"), "HTTP 404 Not Found")]
    assert live.poll(feed).seen == 1 and len(site.of("/deals/gone")) == 1


def test_syndicated_copy_in_another_feed_is_linked(site, live):
    items = serve_stories(site, ["/deals/lumenfall-ipo"])
    title, paragraphs = STORIES["/deals/lumenfall-ipo"]
    copy = site.serve("/partner/lumenfall", article(title, paragraphs, outlet="Quay Street Wire"))
    first = site.serve("/rss", rss(items), kind="application/rss+xml")
    second = site.serve("/atom", atom([("urn:q:1", copy, title)]), kind="application/atom+xml")
    for url in (first, second):
        live.registry.add(url)
    polls = live.poll_all()
    assert [p.new for p in polls] == [1, 0]
    [linked] = polls[1].linked
    assert (linked.url, linked.title, linked.source) == (copy, title, "The Harbor Ledger")
    assert live.registry.aliases(linked.article_id) == [copy]


def test_cli_feeds_add_list_remove_watch_once_and_stats(site, tmp_path, caplog):
    feed = site.serve("/rss", rss(serve_stories(site)), kind="application/rss+xml")
    env = {
        "FINNEWS_DATA_DIR": str(tmp_path / "cli"),
        "FINNEWS_EMBEDDER": "hashing",
        "FINNEWS_FETCH_POLITENESS": "0",
    }
    run = lambda *args: CliRunner().invoke(app, list(args), env=env)  # noqa: E731
    assert run("feeds", "add", feed + "?utm_source=x").output == f"added: {feed}\n"
    assert run("feeds", "add", feed).output == f"already registered: {feed}\n"
    assert isinstance(run("feeds", "add", "ftp://x").exception, UsageError)
    with caplog.at_level(logging.INFO, logger="finnews.feeds"):
        assert run("watch", "--once").exit_code == 0
    assert [r.getMessage() for r in caplog.records if r.name == "finnews.feeds"] == [
        f"feed {feed}: 3 new items, 0 seen before, 0 linked copies, 0 skipped"
    ]
    listed = run("feeds", "list").output
    assert listed.startswith(feed) and "1 polls, 3 items, 0 errors" in listed
    stats = run("stats").output
    assert "3 articles" in stats and "1 feeds: 1 polls, 3 items, 0 errors" in stats
    assert run("feeds", "remove", feed).output == f"removed: {feed}\n"
    assert run("feeds", "list").output.startswith("No feeds.")


def test_cli_ingest_takes_urls_paths_and_feeds_together(site, tmp_path):
    items = serve_stories(site)
    feed = site.serve("/rss", rss(items[1:]), kind="application/rss+xml")
    note = tmp_path / "note.txt"
    note.write_text(
        "Pellworth Energy signs a $2 billion loan\nPellworth Energy signed a $2 "
        "billion revolving credit facility with six banks, the company said.\n"
    )
    env = {
        "FINNEWS_DATA_DIR": str(tmp_path / "cli"),
        "FINNEWS_EMBEDDER": "hashing",
        "FINNEWS_FETCH_POLITENESS": "0",
    }
    result = CliRunner().invoke(
        app, ["ingest", str(note), items[0][1], site.url("/nowhere"), "--feed", feed], env=env
    )
    assert result.exit_code == 0, result.output
    assert "added 4, replaced 0, unchanged 0, skipped 1" in result.output
    assert f"skipped {site.url('/nowhere')}: HTTP 404 Not Found" in result.output


def test_serve_poller_polls_the_configured_feeds_in_the_background(site, tmp_path):
    feed = site.serve(
        "/rss",
        rss(serve_stories(site, ["/deals/ostrava-buyback"])),
        kind="application/rss+xml",
        etag='"1"',
    )
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path / "bg",
        embedder="hashing",
        feeds=[feed],
        feed_interval=0.05,
        fetch_politeness=0.0,
    )
    stop = start_poller(open_finnews(settings, HashingEmbedder()), settings)
    try:
        hits = site.wait("/rss", 2)  # a second poll proves the loop runs on the interval
    finally:
        stop.set()
    assert hits[1].status == 304
    assert len(site.of("/deals/ostrava-buyback")) == 1


def _ids(live: Live) -> set[str]:
    return {meta["article_id"] for _, _, meta in live.sink.store.rows()}


def test_of_two_replicas_one_polls_and_the_other_takes_over_when_it_stops(
    site, tmp_path, database_url
):
    feed = site.serve("/rss", rss(serve_stories(site, ["/deals/ostrava-buyback"])), etag='"1"')

    def replica(name: str) -> Settings:
        return Settings(
            _env_file=None,
            data_dir=tmp_path / name,
            embedder="hashing",
            feeds=[feed],
            feed_interval=0.05,
            fetch_politeness=0.0,
            user_agent=name,
            database_url=database_url,
            lease_seconds=0.6,
        )

    a, b = replica("replica-a"), replica("replica-b")
    stop_a = start_poller(open_finnews(a, HashingEmbedder()), a)
    site.wait("/rss", 1)  # a holds the lease before b starts
    stop_b = start_poller(open_finnews(b, HashingEmbedder()), b)
    try:
        before = len(site.wait("/rss", len(site.of("/rss")) + 20))  # b renews every 0.2 s
        assert {h.headers.get("User-Agent") for h in site.of("/rss")} == {"replica-a"}
        stop_a.set()  # a stops (and gives its lease up): b takes the polling over
        site.wait("/rss", before + 2)
        agents = [h.headers.get("User-Agent") for h in site.of("/rss")]
        assert agents[-1] == "replica-b" and agents.count("replica-a") <= before + 1
    finally:
        stop_a.set()
        stop_b.set()
