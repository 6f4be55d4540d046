"""The frame reader on today's house styles (fictional text written for these tests)."""

from __future__ import annotations

from datetime import UTC, datetime

from index.deals.extract import extract
from index.records import Article


def article(title: str, body: str, year: int = 2025) -> Article:
    return Article("a1", title, body, published_at=datetime(year, 10, 8, tzinfo=UTC))


def read(title: str, body: str, year: int = 2025) -> list[tuple]:
    return [
        (d.company, d.kind, d.amount, d.currency, d.parties, d.target)
        for d in extract(article(title, body, year))
    ]


def test_a_funding_round_with_its_lead_investors_and_the_fullest_name():
    deals = read(
        "Velo.ai lands $42M Series B to map courier routes",
        "LISBON - Velo.ai Lda, the courier route planner, said on Wednesday it had raised $42 "
        "million in a Series B round led by Northgate Ventures and Alder Capital, with "
        "participation from Pico Partners. Velo.ai will use the money to hire engineers.",
    )
    assert deals == [
        ("Velo.ai Lda", "funding", 42e6, "USD", ("Northgate Ventures", "Alder Capital"), None)
    ]


def test_a_described_subject_and_a_placing_in_sterling():
    deals = read(
        "Solway Copper raises £45m in oversubscribed placing",
        "British copper explorer Solway Copper plc has raised £45m through an accelerated "
        "bookbuild placing of new shares, the company said on Wednesday.",
    )
    assert [(c, k, a, cur) for c, k, a, cur, _, _ in deals] == [
        ("Solway Copper plc", "offering", 45e6, "GBP")
    ]


def test_an_acquisition_needs_its_price_and_names_its_target():
    priced = read(
        "Brackley Foods to buy Mossdale Bakeries for $1.1 billion",
        "Brackley Foods Inc said on Monday it had agreed to buy Mossdale Bakeries for $1.1 "
        "billion in cash, its largest deal.",
    )
    assert priced == [("Brackley Foods Inc", "acquisition", 1.1e9, "USD", (), "Mossdale Bakeries")]
    assert not read(
        "Brackley Foods buys Mossdale Bakeries",
        "Brackley Foods Inc said on Monday it had agreed to buy Mossdale Bakeries. Terms were "
        "not disclosed by either company.",
    )


def test_history_talk_and_running_totals_are_no_deals():
    assert not read(
        "Paywell cuts 18% of staff as it stretches its runway",
        "Paywell raised $150 million in a Series D in early 2022 at a $2.3 billion valuation. "
        "The company said on Tuesday it would cut 18% of its staff.",
    )
    assert not read(
        "Quarry AI in talks to raise $80 million, sources say",
        "Quarry AI is in talks to raise $80 million in a Series C round, people familiar with "
        "the matter said.",
    )


def test_a_round_up_item_opens_with_its_own_name():
    deals = read(
        "Funding roundup: three climate start-ups raise money",
        "Three climate companies announced rounds this week.\n\n"
        "• Batteries: Zirkel Werk raised €28m in a Series A led by Ostwind Capital.\n\n"
        "• Tanke Labs lands $6 million seed round to build heat pumps.",
    )
    found = {(c, k, a) for c, k, a, _, _, _ in deals}
    assert ("Zirkel Werk", "funding", 28e6) in found
    assert ("Tanke Labs", "funding", 6e6) in found


def test_a_wire_headline_in_capitals_gives_no_frame():
    from index.deals import frames
    from index.deals import sentences as deal_sentences

    art = article("DOW TO OFFER 130 MLN DLRS IN SWISS NOTES", "Nothing about a deal here at all.")
    assert frames.read(art, deal_sentences.split(art.body)) == []


def test_a_round_keeps_the_valuation_it_states():
    [deal] = extract(
        article(
            "Quarry AI raises $80 million Series C",
            "Quarry AI said on Tuesday it had raised $80 million in a Series C round led by "
            "Fenwick Growth at a valuation of $1.2 billion.",
        )
    )
    assert (deal.kind, deal.amount, deal.valuation, deal.valuation_currency) == (
        "funding",
        80e6,
        1.2e9,
        "USD",
    )
    assert deal.parties == ("Fenwick Growth",)


def test_an_issue_under_an_agm_authorisation_is_no_buyback_and_a_holders_sale_no_deal():
    deals = read(
        "Norrvik Bio raises SEK 250 million in a directed share issue",
        "Norrvik Bio AB has, based on the authorisation from the annual general meeting, resolved "
        "on a directed share issue of new shares raising SEK 250 million.",
    )
    assert [(k, a, c) for _, k, a, c, _, _ in deals] == [("offering", 250e6, "SEK")]
    assert not read(
        "Greyhall Capital sells 9% of Selvane Group in overnight placing",
        "Private equity firm Greyhall Capital has sold about 9% of Selvane Group plc in an "
        "overnight accelerated bookbuild, raising £173 million for the fund.",
    )


def test_a_converted_sum_in_brackets_gives_way_to_the_stated_one():
    deals = read(
        "Agritech startup Krishi Setu raises Rs 120 crore in Series B",
        "Bengaluru-based Krishi Setu Pvt Ltd has raised Rs 120 crore (about $14 million) in a "
        "Series B funding round led by Banyan Growth.",
    )
    assert [(k, a, c) for _, k, a, c, _, _ in deals] == [("funding", 1.2e9, "INR")]
