"""Article pages fetched from a real local HTTP server: metadata, limits, and every way to fail."""

from __future__ import annotations

import pytest
from news_site import article

from bot.feeds import open_live
from bot.settings import Settings
from index.ingest.formats import canonical_url
from index.records import Article, Skip
from index.web.fetch import Fetcher, FetchError
from index.web.live import Live
from index.web.pages import read_page

pytest_plugins = ["news_site", "dns"]

NOTES = [
    "Quillmark Foods, the snack maker based in Tallis Bay, sold $300 million of senior notes "
    "due 2031 on Thursday, according to people familiar with the deal.",
    "The notes carry a coupon of 5.25% and were priced at par. Proceeds will refinance a term "
    "loan taken out last year to pay for the purchase of Dunmore Bakeries, the company said.",
    "Demand topped $1.1 billion at its peak, the people said, letting the company tighten the "
    "price by a quarter of a point from initial talk. Orrin Sachs & Co. ran the books.",
]
ROUND = [
    "Brightwater Robotics, a maker of warehouse arms, raised $85 million in a Series C round "
    "led by Kestrel Lane Partners, the company said on Monday.",
    "The round values the company at about $900 million. Existing backers Harrow Fields and "
    "Saltmarsh Capital also took part, according to a statement.",
    "Brightwater will spend the money on a second factory in Oster and on hiring engineers, "
    "its chief executive said in an interview.",
]


@pytest.fixture
def settings(tmp_path):
    """Short timeouts and a small page limit, no politeness wait, fast embedder."""
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        embedder="hashing",
        fetch_timeout=0.3,
        max_page_bytes=20_000,
        fetch_politeness=0.0,
    )


@pytest.fixture
def live(finnews) -> Live:
    return open_live(finnews)


def test_article_page_gives_text_title_author_date_and_outlet(site, live):
    url = site.serve(
        "/deals/quillmark-notes", article("Quillmark Foods sells $300 million of notes", NOTES)
    )
    [found] = list(live.read_urls([url]))
    assert isinstance(found, Article)
    assert found.title == "Quillmark Foods sells $300 million of notes"
    assert found.author == "Mara Quill" and found.source == "The Harbor Ledger"
    assert found.published_at.isoformat().startswith("2026-10-02")
    assert found.url == url
    assert found.body.startswith("Quillmark Foods, the snack maker")
    assert "Home" not in found.body and "All rights reserved" not in found.body


def test_page_that_names_no_outlet_is_credited_to_its_host(site, live):
    html = article("Quillmark notes", NOTES).replace('property="og:site_name"', 'name="x"')
    [found] = list(live.read_urls([site.serve("/a", html)]))
    assert found.source == f"127.0.0.1:{site.server.server_port}"  # trafilatura's fallback


def test_requests_carry_a_clear_user_agent(site, live):
    url = site.serve("/a", article("Quillmark notes", NOTES))
    list(live.read_urls([url]))
    [hit] = site.of("/a")
    assert hit.headers["User-Agent"].startswith("finnews/")
    assert "text/html" in hit.headers["Accept"]


def test_missing_page_is_skipped_with_its_status(site, live):
    [found] = list(live.read_urls([site.url("/gone")]))
    assert found == Skip(site.url("/gone"), "HTTP 404 Not Found")


def test_redirect_is_followed_and_the_final_address_is_the_id(site, live):
    final = site.serve("/2026/quillmark", article("Quillmark notes", NOTES))
    start = site.redirect("/short/q", "/2026/quillmark")
    [found] = list(live.read_urls([start]))
    assert isinstance(found, Article) and found.url == final


def test_redirect_loop_is_skipped(site, live):
    site.redirect("/loop/a", "/loop/b")
    site.redirect("/loop/b", "/loop/a")
    [found] = list(live.read_urls([site.url("/loop/a")]))
    assert isinstance(found, Skip) and "redirect loop" in found.reason
    assert len(site.of("/loop/a")) + len(site.of("/loop/b")) == 6  # the first try + 5 redirects


def test_response_slower_than_the_timeout_is_skipped(site, live):
    url = site.serve("/slow", article("Quillmark notes", NOTES), delay=1.0)
    [found] = list(live.read_urls([url]))
    assert found == Skip(url, "no complete answer within 0.3 s")


def test_non_html_content_type_is_skipped_with_the_type(site, live):
    url = site.serve("/report.pdf", b"%PDF-1.7 ...", kind="application/pdf")
    [found] = list(live.read_urls([url]))
    assert isinstance(found, Skip) and "application/pdf" in found.reason


@pytest.mark.parametrize("declared", [True, False])
def test_page_over_the_size_limit_is_skipped(site, live, declared):
    big = article("Quillmark notes", NOTES * 200)
    assert len(big) > 20_000
    url = site.serve("/big", big, declare_length=declared)
    [found] = list(live.read_urls([url]))
    assert isinstance(found, Skip) and "over the 20,000-byte limit" in found.reason


def test_page_that_is_mostly_navigation_is_skipped(site, live):
    links = "".join(f"<li><a href='/s{i}'>Markets section {i}</a></li>" for i in range(40))
    html = (
        f"<html><head><title>Harbor Ledger</title></head><body><nav><ul>{links}</ul></nav>"
        "<p>Welcome to the markets home page of the Harbor Ledger.</p></body></html>"
    )
    url = site.serve("/markets", html)
    [found] = list(live.read_urls([url]))
    assert isinstance(found, Skip) and "mostly navigation" in found.reason


def test_tracking_parameters_and_fragments_are_not_part_of_the_address():
    messy = "HTTPS://Harbor.Example:443/deals/q/?utm_source=x&utm_medium=rss&id=7&fbclid=z#top"
    assert canonical_url(messy) == "https://harbor.example/deals/q?id=7"
    shared = "https://harbor.example/q?guccounter=1&_gl=1*abc&smid=tw-share&ttclid=9&page=2"
    assert canonical_url(shared) == "https://harbor.example/q?page=2"


def test_same_article_reached_two_ways_is_stored_once(site, live, finnews):
    site.serve("/deals/quillmark", article("Quillmark notes", NOTES))
    urls = [
        site.url("/deals/quillmark?utm_source=newsletter&utm_campaign=oct#comments"),
        site.url("/deals/quillmark"),
    ]
    first = finnews.ingest(live.read_urls(urls[:1]))
    second = finnews.ingest(live.read_urls(urls[1:]))
    assert (first.added, second.added, second.unchanged) == (1, 0, 1)
    assert finnews.stats().articles == 1
    assert [h.path for h in site.hits] == ["/deals/quillmark", "/deals/quillmark"]


def test_syndicated_copy_is_linked_to_the_stored_article_not_stored(site, live, finnews):
    original = site.serve("/wire/brightwater", article("Brightwater raises $85 million", ROUND))
    copy = site.serve(
        "/partner/brightwater-round",
        article("Robot maker Brightwater lands Series C", ROUND, outlet="Tallis Bay Times"),
    )
    assert finnews.ingest(live.read_urls([original])).added == 1
    report = finnews.ingest(live.read_urls([copy]))
    assert report.added == 0
    [skip] = report.skipped
    assert skip.reason.startswith("same text as Brightwater raises $85 million (The Harbor Ledger)")
    [stored_id] = {
        p.article_id for p in finnews.store.get([f"{a}:0" for a in _article_ids(finnews)]).values()
    }
    assert live.registry.aliases(stored_id) == [copy]
    assert finnews.stats().articles == 1


def test_copies_read_in_one_run_are_linked_too(site, live, finnews):
    a = site.serve("/wire/brightwater", article("Brightwater raises $85 million", ROUND))
    b = site.serve("/partner/brightwater", article("Brightwater Series C", ROUND))
    report = finnews.ingest(live.read_urls([a, b]))
    assert report.added == 1 and "same text as Brightwater raises" in report.skipped[0].reason
    assert live.registry.totals().aliases == 1


def test_politeness_spaces_requests_to_one_host(site):
    fetcher = Fetcher("finnews-test", 2.0, 50_000, politeness=0.25)
    url = site.serve("/a", article("Quillmark notes", NOTES))
    for _ in range(3):
        fetcher.get(url)
    gaps = [b.at - a.at for a, b in zip(site.hits, site.hits[1:], strict=False)]
    assert all(gap >= 0.2 for gap in gaps), gaps


def test_private_addresses_are_refused_when_not_allowed(site):
    fetcher = Fetcher("finnews-test", 2.0, 50_000, allow_private=False)
    with pytest.raises(FetchError, match="private or local address"):
        fetcher.get(site.serve("/a", article("Quillmark notes", NOTES)))
    assert site.hits == []


def test_name_that_rebinds_to_loopback_after_the_check_is_not_reached(site, dns):
    # First lookup: a public address (the check passes); every later one: the local server.
    dns.answer("rebind.example", "93.184.216.34", "127.0.0.1")
    fetcher = Fetcher("finnews-test", 0.5, 50_000, allow_private=False)
    site.serve("/a", article("Quillmark notes", NOTES))
    url = f"http://rebind.example:{site.server.server_port}/a"
    with pytest.raises(FetchError):
        fetcher.get(url)
    assert site.hits == []


@pytest.mark.parametrize(
    "address",
    [
        "100.64.0.1",
        "[::ffff:127.0.0.1]",
        "[64:ff9b::7f00:1]",
        "[2002:7f00:1::1]",
        "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",
        "0.0.0.0",
        "[::1]",
        "169.254.169.254",
    ],
)
def test_addresses_that_reach_local_networks_are_refused(address):
    fetcher = Fetcher("finnews-test", 0.5, 50_000, allow_private=False)
    with pytest.raises(FetchError, match="private or local address"):
        fetcher.get(f"http://{address}/latest/meta-data")


def test_name_that_does_not_resolve_is_refused_with_the_reason(dns):
    dns.answer("nowhere.example", "")
    fetcher = Fetcher("finnews-test", 0.5, 50_000, allow_private=False)
    with pytest.raises(FetchError, match="nowhere.example could not be resolved"):
        fetcher.get("http://nowhere.example/a")


def test_private_hosts_are_reached_by_name_when_allowed(site, dns):
    dns.answer("intranet.example", "127.0.0.1")
    fetcher = Fetcher("finnews-test", 2.0, 50_000, allow_private=True)
    url = site.serve("/a", article("Quillmark notes", NOTES))
    found = fetcher.get(url.replace("127.0.0.1", "intranet.example"))
    assert found.status == 200 and site.of("/a")[0].headers["Host"].startswith("intranet.example")


def test_ipv6_literal_keeps_its_brackets_in_the_canonical_address():
    assert canonical_url("http://[2001:DB8::1]:8080/a/") == "http://[2001:db8::1]:8080/a"
    assert canonical_url("https://[2001:db8::1]/a") == "https://[2001:db8::1]/a"


def test_read_page_reads_one_article(site):
    fetcher = Fetcher("finnews-test", 2.0, 50_000)
    found = read_page(fetcher, site.serve("/a", article("Quillmark notes", NOTES)))
    assert isinstance(found, Article) and found.title == "Quillmark notes"


def _article_ids(finnews) -> set[str]:
    return {meta["article_id"] for _, _, meta in finnews.store.rows()}
