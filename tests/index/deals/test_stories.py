"""Stories: one event reported by several outlets is grouped once, with all its sources."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from index.deals.extract import extract
from index.deals.store import ArticleInfo
from index.deals.stories import amount_text, group, group_articles, merge
from index.ingest.sources import load_paths
from index.records import Article, Deal

DAY = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def info(n: int, when: datetime | None = DAY, title: str | None = None) -> ArticleInfo:
    return ArticleInfo(f"a{n}", title or f"Headline number {n}", f"Outlet {n}", None, when)


def deal(
    n: int,
    company: str = "Corvanta Systems",
    kind: str = "convertible",
    amount: float | None = 4.5e8,
    currency: str | None = "USD",
    **kw,
) -> Deal:
    return Deal(f"a{n}", company, kind, amount, currency, evidence=f"Sentence {n}.", **kw)


def test_the_two_seed_pages_are_one_alibaba_story_with_both_sources(shared_data):
    articles = [a for a in load_paths([shared_data / "seeds"]) if isinstance(a, Article)]
    assert len(articles) == 2
    deals = [d for a in articles for d in extract(a)]
    stories = [
        s
        for s in group(deals, {a.id: ArticleInfo.of(a) for a in articles})
        if s.deal and s.deal.kind == "convertible"
    ]
    assert len(stories) == 1
    [story] = stories
    assert {a.id for a in story.articles} == {a.id for a in articles}
    assert "alibaba" in story.deal.company.lower()
    assert (story.deal.amount, story.deal.currency) == (3.2e9, "USD")


def test_same_deal_from_two_outlets_days_apart_is_one_story(tmp_path):
    articles = {"a1": info(1), "a2": info(2, DAY + timedelta(days=2))}
    stories = group(
        [deal(1, "Corvanta Systems Inc"), deal(2, "CORVANTA SYSTEMS", amount=4.52e8)], articles
    )
    assert len(stories) == 1
    assert [a.id for a in stories[0].articles] == ["a1", "a2"]
    assert stories[0].first == DAY


def test_different_amounts_kinds_companies_or_weeks_are_different_stories():
    articles = {f"a{n}": info(n, DAY + timedelta(days=10 * (n == 5))) for n in range(1, 6)}
    stories = group(
        [
            deal(1),
            deal(2, amount=9e8),
            deal(3, kind="bond"),
            deal(4, company="Halden & Rowe"),
            deal(5),
        ],
        articles,
    )
    assert len(stories) == 5


def test_a_report_without_the_amount_joins_the_story_and_fills_its_gaps():
    articles = {"a1": info(1), "a2": info(2)}
    stories = group(
        [deal(1), deal(2, amount=None, currency=None, maturity="2031-10-15", coupon="1.25%")],
        articles,
    )
    assert len(stories) == 1
    merged = stories[0].deal
    assert (merged.amount, merged.maturity, merged.coupon, merged.evidence) == (
        4.5e8,
        "2031-10-15",
        "1.25%",
        "Sentence 1.",
    )


def test_currencies_that_differ_are_not_one_deal():
    stories = group([deal(1), deal(2, currency="EUR")], {"a1": info(1), "a2": info(2)})
    assert len(stories) == 2


def test_merge_keeps_the_first_report_and_fills_only_gaps():
    first = Deal("a1", "X", "bond", 1e8, "USD", coupon="5%")
    second = Deal("a2", "X Corp", "bond", 1e8, "USD", "2030", "6%", "refinancing")
    assert merge([first, second]) == Deal(
        "a1", "X", "bond", 1e8, "USD", "2030", "5%", "refinancing"
    )


def test_near_duplicate_headlines_are_one_story_unless_already_told():
    a = info(1, title="Halvorsen Wind prices debut green bond at 3.875%")
    b = info(2, DAY + timedelta(days=1), title="Halvorsen Wind prices its debut green bond")
    c = info(3, title="Orrin Valley opens a blade factory in Dunmere")
    told = group(
        [deal(4, "Orrin Valley", "loan")],
        {"a4": info(4, title="Orrin Valley opens blade factory in Dunmere")},
    )
    stories = group_articles([a, b, c], told)
    assert [[x.id for x in s.articles] for s in stories] == [["a1", "a2"]]


def test_amounts_read_as_people_write_them():
    assert amount_text(3.2e9, "USD") == "USD 3.2 billion"
    assert amount_text(2e8, None) == "200 million"
    assert amount_text(147.73e6, "FRF") == "FRF 147.73 million"
    assert amount_text(None, "USD") == ""
