"""The deal store: round trip, replace, queries, two writers; the ingest hook; the backfill."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime

from index.deals.extract import extract
from index.deals.store import ArticleInfo, DealStore, company_key, stored_articles
from index.ingest.sources import load_paths
from index.records import Article, Deal
from tests.conftest import SAMPLES

MARCH = datetime(1987, 3, 2, 14, 0, tzinfo=UTC)


def info(n: int, when: datetime | None = MARCH, source: str = "Reuters") -> ArticleInfo:
    return ArticleInfo(f"a{n}", f"Headline {n}", source, f"https://x.example/{n}", when)


def deal(
    n: int, company: str = "Texaco Inc", kind: str = "bond", amount: float | None = 2e8, **kw
) -> Deal:
    return Deal(
        f"a{n}", company, kind, amount, "USD", evidence=f"{company} sold notes ({n}).", **kw
    )


def test_deals_round_trip_with_every_field(tmp_path):
    store = DealStore(tmp_path / "deals.sqlite3")
    full = Deal(
        "a1",
        "Alibaba Group",
        "convertible",
        3.2e9,
        "USD",
        "2032-09-15",
        "0%",
        "80% to cloud infrastructure",
        MARCH,
        "Alibaba plans to raise US$3.2 billion.",
    )
    store.replace([(info(1), [full])])
    assert store.deals() == [full]
    assert store.articles(["a1", "missing"]) == {"a1": info(1)}


def test_reingest_replaces_all_deals_of_an_article(tmp_path):
    store = DealStore(tmp_path / "deals.sqlite3")
    store.replace([(info(1), [deal(1), deal(1, kind="loan")]), (info(2), [deal(2)])])
    store.replace([(replace(info(1), title="Corrected"), [deal(1, amount=3e8)])])
    assert [(d.article_id, d.kind, d.amount) for d in store.deals()] == [
        ("a1", "bond", 3e8),
        ("a2", "bond", 2e8),
    ]
    assert store.articles(["a1"])["a1"].title == "Corrected"
    store.replace([(info(1), [])])
    assert [d.article_id for d in store.deals()] == ["a2"]
    assert store.count_articles() == 2  # an article without deals still counts


def test_company_query_ignores_case_legal_form_and_accepts_acronyms(tmp_path):
    store = DealStore(tmp_path / "deals.sqlite3")
    store.replace(
        [
            (info(1), [deal(1, "Alibaba Group Holding Ltd")]),
            (info(2), [deal(2, "International Business Machines Corp")]),
            (info(3), [deal(3, "Texaco Canada Inc")]),
            (info(4), [deal(4, "Tesco Plc")]),
        ]
    )
    assert [d.article_id for d in store.deals("ALIBABA")] == ["a1"]
    assert [d.article_id for d in store.deals("alibaba group")] == ["a1"]
    assert [d.article_id for d in store.deals("IBM")] == ["a2"]
    assert [d.article_id for d in store.deals("Texaco")] == ["a3"]
    assert store.deals("Tex") == []  # a word must match whole, not a prefix of one
    assert company_key("The Dow Chemical Co.") == "dow chemical"


def test_kind_and_period_filters_use_the_article_date(tmp_path):
    store = DealStore(tmp_path / "deals.sqlite3")
    store.replace(
        [
            (info(1, datetime(1987, 3, 2, tzinfo=UTC)), [deal(1, kind="loan")]),
            (info(2, datetime(1987, 3, 9, tzinfo=UTC)), [deal(2)]),
            (info(3, None), [deal(3)]),
        ]
    )
    assert {d.article_id for d in store.deals(kind="bond")} == {"a2", "a3"}
    week = (datetime(1987, 3, 1, tzinfo=UTC), datetime(1987, 3, 7, 23, 59, tzinfo=UTC))
    assert [d.article_id for d in store.deals(since=week[0], until=week[1])] == ["a1"]
    assert [d.article_id for d in store.deals(since=week[1])] == ["a2"]  # undated left out
    assert store.count_articles(*week) == 1


def test_two_writers_at_once_lose_nothing(tmp_path):
    path = tmp_path / "deals.sqlite3"
    stores = [DealStore(path), DealStore(path)]  # as two processes would open it
    start = threading.Barrier(2)

    def write(k: int) -> None:
        start.wait()
        for n in range(k * 100, k * 100 + 100):
            stores[k].replace([(info(n), [deal(n)])])

    threads = [threading.Thread(target=write, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(DealStore(path).deals()) == 200


def test_ingest_stores_the_deals_extract_finds(sample_core):
    articles = [a for a in load_paths([SAMPLES]) if isinstance(a, Article)]
    expected = [d for a in articles for d in extract(a)]
    assert expected, "the samples report deals"
    key = lambda d: (d.article_id, d.company, d.kind, d.amount, d.evidence)  # noqa: E731
    assert sorted(map(key, sample_core.deals.deals())) == sorted(map(key, expected))
    assert sample_core.deals.count_articles() == len(articles)
    assert sample_core.deals.articles([articles[0].id])[articles[0].id] == ArticleInfo.of(
        articles[0]
    )


def test_unchanged_articles_are_not_extracted_again_and_changed_ones_replace(finnews):
    first = Article(
        "t1",
        "Tessaly Foods announces $200 million share buyback",
        "Tessaly Foods said on Monday it would buy back $200 million of its shares.",
        url="https://x.example/t1",
        published_at=MARCH,
    )
    finnews.ingest([first])
    assert finnews.deals.deals() == extract(first)
    finnews.deals.replace([(ArticleInfo.of(first), [])])  # mark: would reappear if re-read
    finnews.ingest([first])
    assert finnews.deals.deals() == []
    changed = replace(first, body=first.body.replace("$200 million", "$300 million"))
    finnews.ingest([changed])
    assert finnews.deals.deals() == extract(changed)


def test_rebuild_reads_deals_from_stored_chunks_without_source_files(sample_core):
    before = sample_core.deals.deals()
    sample_core.deals.replace([], everything=True)
    assert sample_core.deals.deals() == []
    articles, found = sample_core.rebuild_deals()
    assert (articles, found) == (sample_core.deals.count_articles(), len(before))
    key = lambda d: (d.article_id, d.company, d.kind, d.amount)  # noqa: E731
    assert sorted(map(key, sample_core.deals.deals())) == sorted(map(key, before))


def test_stored_articles_are_rebuilt_without_chunk_overlap(tmp_path, hashing):
    from bot.core import open_finnews
    from bot.settings import Settings

    small = Settings(
        _env_file=None, data_dir=tmp_path, embedder="hashing", chunk_tokens=60, chunk_overlap=15
    )  # several overlapping chunks per article
    fn = open_finnews(small, hashing)
    fn.ingest(load_paths([SAMPLES]))
    assert fn.store.count() > 20
    originals = {a.id: a for a in load_paths([SAMPLES]) if isinstance(a, Article)}
    rebuilt = {a.id: a for a in stored_articles(fn.store.rows())}
    assert set(rebuilt) == set(originals)
    for article_id, article in rebuilt.items():
        assert " ".join(article.body.split()) == " ".join(originals[article_id].body.split())
        assert article.title == originals[article_id].title


def test_deals_past_the_first_pages_of_a_very_long_text_are_not_read():
    from index.deals.extract import DEAL_TEXT_CHARS, extract
    from tests.index.ingest.test_ingest import make

    filler = "The weather was mild and the market was quiet that day. " * 2000
    deal = (
        "Zephyrine Robotics raised $85 million in a Series C round led by Kestrel Lane "
        "Partners, the company said on Monday."
    )
    assert extract(make(None, "Zephyrine raises $85 million", deal + " " + filler))
    late = make(None, "Zephyrine raises $85 million", filler + deal)
    assert len(filler) > DEAL_TEXT_CHARS and extract(late) == []  # bounded: not quadratic
