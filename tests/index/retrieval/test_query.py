"""Question analysis: outlets and periods named in a question."""

from __future__ import annotations

from datetime import UTC, datetime

from index.retrieval.query import analyse, find_outlets

OUTLETS = [
    "TechCrunch",
    "The Verge",
    "Fortune",
    "Cnbc | World Business News Leader",
    "The Independent - Life and Style",
    "CBSSports.com",
]


def ts(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=UTC).timestamp())


def test_outlets_are_found_by_name_and_short_name():
    q = "As reported by CNBC and The Independent, and on CBSSports.com, what did TechCrunch say?"
    assert set(find_outlets(q, OUTLETS)) == {
        "cnbc | world business news leader",
        "the independent - life and style",
        "cbssports.com",
        "techcrunch",
    }


def test_common_word_is_not_taken_for_an_outlet():
    assert find_outlets("Did he make a fortune on the verge of the deal?", OUTLETS) == ()


def test_month_day_and_year_periods():
    plan = analyse("What did Fortune report in October 2023?", OUTLETS)
    assert plan.outlets == ("fortune",)
    assert (plan.since, plan.until) == (ts(2023, 10, 1), ts(2023, 11, 1) - 1)
    day = analyse("news on November 18, 2023", OUTLETS)
    assert (day.since, day.until) == (ts(2023, 11, 18), ts(2023, 11, 19) - 1)


def test_before_and_after_open_the_period():
    assert analyse("before March 2024", []).since is None
    assert analyse("before March 2024", []).until == ts(2024, 3, 1)
    assert analyse("since 2022-05-01", []).since == ts(2022, 5, 1)
    assert analyse("since 2022-05-01", []).until is None


def test_question_without_period_has_none():
    assert not analyse("Who led the round?", OUTLETS).has_period


def test_each_report_a_question_compares_is_a_part_with_its_own_outlet_and_date():
    q = (
        "Was the coverage of Acme's bond sale consistent between the report from CBSSports.com "
        "published on October 12, 2023, and the report from The Independent - Life and Style "
        "published on December 6, 2023?"
    )
    parts = analyse(q, OUTLETS).parts
    assert [p.outlets for p in parts] == [("cbssports.com",), ("the independent - life and style",)]
    assert (parts[0].since, parts[1].since) == (ts(2023, 10, 12), ts(2023, 12, 6))
    assert "Acme" in parts[0].text  # the opening clause belongs to the first report


def test_a_date_in_the_next_clause_belongs_to_the_outlet_before_it():
    q = (
        "After TechCrunch reported on Starz cutting 10% of its staff, on September 28, 2023, "
        "did it report larger layoffs at Synapse on October 8, 2023?"
    )
    first, second = analyse(q, OUTLETS).parts
    assert first.outlets == ("techcrunch",) and first.since == ts(2023, 9, 28)
    assert second.outlets == () and second.since == ts(2023, 10, 8)


def test_a_clause_naming_nothing_joins_the_report_before_it():
    q = "What did Fortune say about the notes, and how did The Verge describe the buyers of them?"
    parts = analyse(q, OUTLETS).parts
    assert [p.outlets for p in parts] == [("fortune",), ("the verge",)]
    assert analyse("Who led the round and how big was it?", OUTLETS).parts == ()


def test_sources_credited_but_not_indexed_are_named():
    from index.retrieval.query import unindexed_sources

    q = "Considering an article by The Verge and another by Forbes, and a Reuters report, who won?"
    assert unindexed_sources(q, OUTLETS) == ("Reuters", "Forbes")
    assert (
        unindexed_sources(
            "Did the TechCrunch report on Google's AI on October 7, 2023 "
            "differ from the article by Fortune?",
            OUTLETS,
        )
        == ()
    )
    assert unindexed_sources("What did a Bloomberg article say?", []) == ()
