"""The reading step over real components: question kinds, values, direct answers, gaps."""

from __future__ import annotations

import pytest

from bot.answer.question import analyse, names_in
from bot.answer.values import in_usd, values
from index.ingest.sources import load_paths
from tests.conftest import SAMPLES, SHARED

SEEDS = SHARED / "seeds"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A core (hashing embedder) over the samples and the seed pages: several companies' deals."""
    from bot.core import open_finnews
    from bot.settings import Settings
    from index.embed.embedders import HashingEmbedder

    if not SEEDS.is_dir():
        pytest.skip("the shared seeds are missing")
    folder = tmp_path_factory.mktemp("seeded")
    core = open_finnews(
        Settings(_env_file=None, data_dir=folder, embedder="hashing"), HashingEmbedder()
    )
    core.ingest(load_paths([SAMPLES, SEEDS]))
    return core


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much is Alibaba raising with its convertible notes?", "amount"),
        ("When do the notes mature?", "date"),
        ("What coupon do they pay?", "rate"),
        ("What is the conversion price of Alibaba's notes?", "price"),
        ("Who led the Brindlewood Series B?", "party"),
        ("What will the money be used for?", "purpose"),
        ("What was Talon valued at?", "valuation"),
        ("Which raised more, Corvanta or Halvorsen Wind?", "comparison"),
        ("Did Corvanta price its notes?", "yesno"),
        ("Who is the CEO of Alibaba?", "person"),
    ],
)
def test_question_kind_is_what_is_asked(question, kind):
    assert analyse(question).kind == kind


def test_focus_is_the_named_company_or_the_threads():
    assert analyse("What coupon does Corvanta pay?", "Alibaba").focus == "Corvanta"
    follow_up = analyse("What coupon do they pay?", "Alibaba")
    assert follow_up.focus == "Alibaba" and follow_up.focus_from_thread
    assert names_in("According to CNBC's report, who is the CEO of Alibaba?")[-1] == "Alibaba"


def test_values_are_exact_spans_of_the_asked_kind():
    text = "It raised 25m euros ($34.1m) at a $300 million valuation, due 15 October 2031."
    assert values("amount", text) == ["25m euros", "$34.1m"]
    assert values("valuation", text)[-1] == "$300 million"
    assert "15 October 2031" in values("date", text)
    assert values("party", "The round was led by Halcyon Peak Ventures.") == [
        "Halcyon Peak Ventures"
    ]
    assert in_usd("54bn rupees") < in_usd("$1.2bn")


def test_answer_leads_with_the_asked_value_and_cites_it(seeded):
    answer = seeded.ask("How much did Corvanta raise in convertible notes?")
    assert not answer.refused
    lead = answer.sentences[0]
    assert lead.text == "$450 million" and lead.cites == (1,)
    assert len(answer.sentences) <= 4


def test_detail_no_article_gives_is_a_stated_gap_not_another_companys_figure(seeded):
    answer = seeded.ask("What is the conversion price of Alibaba's notes?")
    assert answer.refused
    assert "Alibaba" in answer.note and "61.40" not in answer.text


def test_company_the_index_never_names_is_refused(seeded):
    answer = seeded.ask("How much did Northwind Quarries raise in its bond?")
    assert answer.refused and "$" not in answer.text


def test_follow_up_without_a_name_keeps_the_threads_company(seeded):
    used = seeded.ask("What will the money be used for?", focus="Alibaba")
    coupon = seeded.ask("What coupon do they pay?", focus="Alibaba")
    assert "80%" in used.text and "Halvorsen" not in used.text
    assert coupon.sentences[0].text == "zero-coupon"
    assert all(c.title.lower().count("corvanta") == 0 for c in coupon.citations)


def test_comparison_names_the_larger_figure_citing_both(seeded):
    answer = seeded.ask("Which raised more, Brindlewood Robotics or Corvanta?")
    lead = answer.sentences[0]
    assert lead.text.startswith("Corvanta: $450 million, more than Brindlewood's $62 million")
    assert lead.cites == (1, 2)
