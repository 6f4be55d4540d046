"""Deal rules on amounts: which sum is a deal's size, and which is not.

Each test is a fictional wire story written for the rule it covers."""

from __future__ import annotations

from deal_wire import deals_of

from index.deals.kinds import sizes
from index.text.money import find_money

TITLE = "PORTUGAL GETS 120 MLN DLR WORLD BANK LOAN"


def test_a_country_name_before_dlr_is_the_currency():
    assert [m.currency for m in find_money("a 75 mln Australia dlr bond")] == ["AUD"]
    assert [m.currency for m in find_money("a 60 mln Canada dlr bond")] == ["CAD"]


def test_decimal_billions_parse_without_float_noise():
    assert [m.amount for m in find_money("a 2.135 billion dlr offering of 0.29 mln dlrs")] == [
        2_135_000_000.0,
        290_000.0,
    ]


def test_a_facility_raised_to_a_new_size_is_one_deal_at_that_size():
    body = (
        "The proposed 400 mln Hong Kong dlr loan facility for <Kowloon Ferry Co Ltd>, a unit "
        "of Harbour Holdings Ltd, will be raised to 650 mln dlrs, lead manager Pacific Rim "
        "Bank said. The loan was twice oversubscribed in syndication."
    )
    assert deals_of("HARBOUR UNIT LOAN TO RISE TO 650 MLN H.K. DLRS", body) == [
        ("Kowloon Ferry Co Ltd", "loan", 650e6)
    ]


def test_an_increased_convertible_eurobond_is_one_convertible_at_the_new_size():
    body = (
        "Today's dollar convertible eurobond for Larchmont Realty Trust has been increased "
        "to 90 mln dlrs from the initial 70 mln due to strong demand, lead manager Orbis "
        "Securities said. The coupon was fixed at five pct."
    )
    assert deals_of("LARCHMONT REALTY CONVERTIBLE INCREASED, PRICED", body) == [
        ("Larchmont Realty Trust", "convertible", 90e6)
    ]


def test_an_offering_sized_only_by_its_proceeds_is_kept():
    body = (
        "Corran Metals Inc said it completed the sale of three mln shares of Corran common "
        "stock to underwriters led by Halden Securities. The shares were sold to the public "
        "at 20.50 dlrs each. Proceeds of about 61 mln dlrs will be used to reduce debt."
    )
    assert deals_of("CORRAN METALS <CRM> COMPLETES SHARE OFFERING", body) == [
        ("Corran Metals Inc", "offering", 61e6)
    ]


def test_proceeds_left_over_for_someone_else_are_no_offering_size():
    body = (
        "Carrick Gold Corp said it filed for an initial public offering of four mln Class A "
        "shares at about seven dlrs each. Carrick Gold said Lomond Mines will use the "
        "3,210,000 dlrs remaining to repay short-term debt."
    )
    assert deals_of("CARRICK GOLD FILES FOR INITIAL OFFERING", body) == [
        ("Carrick Gold Corp", "offering", None)
    ]


def test_two_same_size_issues_in_one_sentence_are_two_deals():
    body = (
        "Dalby Gas Co said it filed a registration statement covering a 40 mln dlr offering "
        "of 10-year notes and a 40 mln dlr offering of 30-year debentures. Proceeds will "
        "redeem outstanding debt."
    )
    assert deals_of("DALBY GAS <DGC> TO SELL NOTES, DEBENTURES", body) == [
        ("Dalby Gas Co", "bond", 40e6),
        ("Dalby Gas Co", "bond", 40e6),
    ]


def test_a_range_of_amounts_is_no_size():
    assert sizes("a proposed initial public offering of four mln dlrs to six mln dlrs.") == []
    assert [
        m.amount for m in sizes("which will raise capital by 100 mln marks to 350 mln marks.")
    ] == [350e6]


def test_spelled_hundreds_and_tens_are_amounts():
    assert [m.amount for m in find_money("a one hundred million German mark loan")] == [100e6]
    assert [m.amount for m in find_money("forty mln dlrs")] == [40e6]


def test_a_size_after_at_par_or_to_price_is_the_deals():
    assert [
        m.amount
        for m in sizes(
            "Orwell Oil Co said it will issue at par 154 mln Swiss francs of 10-year notes."
        )
    ] == [154e6]
    assert [
        m.amount
        for m in sizes(
            "The association said it plans to price 300 mln dlrs of floating rate notes on Monday."
        )
    ] == [300e6]


def test_every_conversion_in_brackets_is_the_same_sum():
    assert [
        m.amount
        for m in sizes(
            "Tarrow hopes to raise at least 16.4bn rupees ($375m; £198m) from the offering."
        )
    ] == [16.4e9]


def test_money_in_todays_currency_styles():
    from index.text.money import find_money

    read = lambda text: [(m.amount, m.currency) for m in find_money(text)]  # noqa: E731
    assert read("placed EUR350 million of bonds") == [(350e6, "EUR")]
    assert read("a Rs 450 crore Series C and a ₹12 lakh grant") == [(4.5e9, "INR"), (1.2e6, "INR")]
    assert read("SEK 300m and NOK 2 billion") == [(300e6, "SEK"), (2e9, "NOK")]
    assert read("R$ 500 million") == [(500e6, "BRL")]
    assert read("Mrs 5 million voters") == []  # "Rs" only as a word of its own
