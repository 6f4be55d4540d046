"""Deals a wire headline announces, and the company and no-deal rules that came with them."""

from __future__ import annotations

from deal_wire import deals_of
from deal_wire import wire as article

from bot.eval.deals import same_company
from index.deals.company import is_sovereign, subject
from index.deals.confidence import in_title, initials
from index.deals.context import lead_company
from index.deals.headline import headline_deals
from index.deals.sentences import split
from index.records import Article


def headline_of(a: Article) -> list:
    sentences = split(a.body)
    return headline_deals(a, sentences, lead_company(a, sentences))


TITLE = "PORTUGAL GETS 120 MLN DLR WORLD BANK LOAN"


def test_a_size_only_the_headline_states_is_the_deals_size():
    body = (
        "Nordvik Telephone Co has launched a 75 mln 10 year bond with a 4-3/4 pct coupon "
        "and par issue price, market sources said. The issue is led by Union Bank of "
        "Switzerland."
    )
    assert deals_of("NORDVIK TELEPHONE ISSUES 75 MLN SFR 10 YEAR BOND", body) == [
        ("Nordvik Telephone Co", "bond", 75e6)
    ]


def test_a_buyback_the_body_words_as_buying_shares_is_read_from_the_headline():
    body = (
        "Valdora Energy Inc said its board has authorized management to buy up to two mln "
        "shares of its common stock in the open market. The company has 30 mln shares out."
    )
    for title in (
        "VALDORA ENERGY <VDE> TO BUY BACK TWO MLN SHARES",
        "Valdora Energy to Buy Back Two Million Shares",
    ):
        assert deals_of(title, body) == [("Valdora Energy Inc", "buyback", None)], title


def test_a_headline_deal_needs_an_opening_sentence_that_backs_it():
    body = "Trade in the sector was quiet. Analysts expect little change this week, dealers said."
    a = article("KESTREL FOODS ISSUES 40 MLN DLR BOND", body)
    assert headline_of(a) == []


def test_no_deal_when_the_headline_calls_it_off_or_converts_old_debt():
    cancelled = (
        "Harlow Medical Inc said a proposed 82 mln dlr note issue will not take place at this time."
    )
    converted = (
        "Brinmoor Video Inc said its debenture holders agreed to convert 3.3 mln dlrs of "
        "13 pct subordinated debentures into common shares."
    )
    assert deals_of("HARLOW MEDICAL <HMI> NOTE ISSUE CANCELED", cancelled) == []
    assert deals_of("BRINMOOR DEBENTURES CONVERTED TO COMMON SHARES", converted) == []


def test_a_lenders_headline_and_a_kind_word_in_a_name_announce_nothing():
    lends = (
        "The Alder Development Bank said it approved a 48 mln dlr loan to assist the "
        "Fenwick Rail Co in buying rolling stock."
    )
    named = (
        "Bond Street Holdings Ltd said it sold an office block in the city for 40 mln dlrs "
        "to a property fund."
    )
    a, b = (
        article("ALDER BANK GIVES 48 MLN DLR LOAN TO FENWICK", lends),
        article("BOND STREET SELLS OFFICE BLOCK", named),
    )
    assert headline_of(a) == []
    assert headline_of(b) == []


def test_a_unit_named_before_its_parent_is_the_issuer():
    assert (
        subject(
            "Kestrel Foods Cos, a unit of Harlow Group Inc, is raising 155.78 mln dlrs "
            "via an offering of senior notes."
        )[0]
        == "Kestrel Foods Cos"
    )
    assert (
        subject(
            "Ohio-based Interlake Mills Inc is establishing a 50 mln dlr revolving credit facility."
        )[0]
        == "Interlake Mills Inc"
    )
    assert (
        subject(
            "Tarrant Inc's TMB Mortgage Securities I Plc unit is issuing 200 mln stg of notes."
        )[0]
        == "TMB Mortgage Securities I Plc"
    )
    assert (
        subject("A unit of Banca Rosetti del Monte is issuing a 15 billion yen eurobond.")[0]
        == "Banca Rosetti del Monte"
    )


def test_a_companys_name_that_starts_like_a_governments_is_still_a_company():
    assert not is_sovereign("Commonwealth Bank of Avalon")
    assert not is_sovereign("State Street Boston Corp")
    assert not is_sovereign("Colonial Municipal Income Trust")
    assert is_sovereign("Commonwealth of Avalon") and is_sovereign("Reserve Bank")


def test_scoring_reads_an_apostrophe_in_a_name_written_or_not():
    assert same_company("McDougal's Corp", "McDougals Corporation")
    assert not same_company("Southmark Corp's National Heritage Inc", "National Heritage Inc")


def test_a_denial_headline_yields_no_deal():
    body = "Tessaro Spa said it had no plans to issue eurobonds linked to shares held by banks."
    assert deals_of("TESSARO SAYS IT NOT PLANNING TO ISSUE EUROBONDS", body) == []


def test_a_ticker_in_the_headline_is_no_spelling_of_the_name():
    body = (
        "Northern Power Corp said it filed with the Securities and Exchange Commission for an "
        "offering of two mln common shares. Northern Power said proceeds will repay debt."
    )
    assert deals_of("NORTHERN <NPWR.O> FILES FOR OFFERING", body) == [
        ("Northern Power Corp", "offering", None)
    ]


def test_a_headline_naming_an_issuer_by_its_initials_or_nickname_vouches_for_it():
    assert initials("Federal Farm Mortgage Association") == "ffma"
    assert in_title("Federal Farm Mortgage Association", "FFMA SETS RATE ON DEBENTURES")
    assert in_title("Student Loan Marketing Association", "SALLIE MAE PRICES NOTES")
    assert not in_title("Federal Farm Mortgage Association", "FNMA SETS RATE ON DEBENTURES")
    assert initials("Kestrel AG") == ""  # one word and a legal suffix have no initials


def test_a_headline_naming_the_parent_vouches_for_the_unit_the_sentence_ties_to_it():
    sentence = (
        "Brannock-Wells Inc said its wholly owned subsidiary, Tarrow Coach Corp, filed a "
        "registration statement covering 60 mln dlrs of subordinated notes due 1997."
    )
    assert in_title("Tarrow Coach Corp", "BRANNOCK-WELLS <BWI> UNIT FILES NOTE OFFERING", sentence)
