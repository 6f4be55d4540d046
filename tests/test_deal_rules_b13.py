"""Deal rules added from the blind13 to blind16 splits' errors, on the project's own fictional
articles: wordings that looked like hedges or history and were news, and the reverse."""

from __future__ import annotations

import pytest
from deal_wire import WHEN, deals_of

from index.deals.extract import candidates
from index.deals.sentences import reports_deal
from index.records import Article
from index.text.money import find_money


def test_a_yield_over_treasury_bills_is_no_government_issue():
    body = ("Harlow Mortgage Corp said it priced its 200 mln dlr floating rate note offer at par "
            "to yield 30 basis points above the bond-equivalent yield of the 91-day Treasury "
            "bill. Harlow Mortgage said the notes are due in September.")
    assert deals_of("HARLOW MORTGAGE <HMC> PRICES FLOATING RATE NOTES", body) == [
        ("Harlow Mortgage Corp", "bond", 200e6)]


def test_may_purchase_up_to_is_a_buyback_authorisation_not_a_hedge():
    body = ("Brenton Optics Corp said it may purchase up to 300,000 shares of its outstanding "
            "common stock from time to time in the open market. Brenton Optics has 6.1 mln "
            "shares outstanding.")
    assert deals_of("BRENTON OPTICS <BRO> TO BUY BACK STOCK", body) == [
        ("Brenton Optics Corp", "buyback", None)]


def test_buying_its_own_stock_in_the_open_market_is_a_buyback():
    body = ("Quillon Systems Corp said its board authorized the company to buy its outstanding "
            "stock in the open market at prices management deems fit. No amount was set.")
    assert deals_of("QUILLON SYSTEMS <QSY> SETS STOCK BUYBACK", body) == [
        ("Quillon Systems Corp", "buyback", None)]


@pytest.mark.parametrize("sentence", [
    "Tessaro Spa said it had no plans to issue eurobonds linked to its shares.",
    "Tessaro Spa denied it would issue 200 mln dlrs of notes.",
])
def test_denials_report_no_deal(sentence):
    assert not reports_deal(sentence, 1987, False)


def test_a_denial_headline_yields_no_deal():
    body = "Tessaro Spa said it had no plans to issue eurobonds linked to shares held by banks."
    assert deals_of("TESSARO SAYS IT NOT PLANNING TO ISSUE EUROBONDS", body) == []


def test_an_agreement_to_borrow_a_sum_is_a_loan():
    body = ("Kestrel Power Corp said it has signed an agreement to borrow 120 mln marks at a "
            "fixed 6.2 pct for ten years from a group of six banks.")
    assert deals_of("KESTREL POWER SIGNS 120 MLN MARK LOAN PACT", body) == [
        ("Kestrel Power Corp", "loan", 120e6)]


def test_an_increased_convertible_eurobond_is_one_convertible_at_the_new_size():
    body = ("Today's dollar convertible eurobond for Larchmont Realty Trust has been increased "
            "to 90 mln dlrs from the initial 70 mln due to strong demand, lead manager Orbis "
            "Securities said. The coupon was fixed at five pct.")
    assert deals_of("LARCHMONT REALTY CONVERTIBLE INCREASED, PRICED", body) == [
        ("Larchmont Realty Trust", "convertible", 90e6)]


def test_the_client_of_a_mandate_is_the_issuer_not_the_arranging_bank():
    body = ("Osprey Capital Markets said it received a mandate from Tarrant Holdings Ltd to "
            "arrange a facility backing a 150 mln dlr issue of medium term notes.")
    found = deals_of("OSPREY MANDATED FOR TARRANT NOTE PROGRAM", body)
    assert [c for c, _, _ in found] == ["Tarrant Holdings Ltd"]


def test_a_government_agency_named_in_apposition_is_no_company_issuer():
    body = ("Yukon Housing Finance Corp, a local government agency, has received a 150 mln "
            "dlr syndicated loan, arranger Osprey Capital Markets said.")
    assert deals_of("YUKON HOUSING HAS 150 MLN DLR SYNDICATED LOAN", body) == []


def test_history_since_the_start_of_a_program_is_no_new_buyback():
    assert not reports_deal("Since the beginning of the present repurchase program in March "
                            "1986, Osprey said, it has bought 4.4 mln shares for 96 mln dlrs.",
                            1987, False)


def test_a_country_name_before_dlr_is_the_currency():
    assert [m.currency for m in find_money("a 75 mln Australia dlr bond")] == ["AUD"]
    assert [m.currency for m in find_money("a 60 mln Canada dlr bond")] == ["CAD"]


def test_a_negotiated_credit_line_is_done_not_in_talks():
    body = ("Pellworth Tools Inc said it negotiated a new seasonal line of credit with two "
            "lenders for 12 mln dlrs for working capital.")
    assert deals_of("PELLWORTH TOOLS <PWT> NEGOTIATES NEW CREDIT LINE", body) == [
        ("Pellworth Tools Inc", "loan", 12e6)]


def test_an_offering_sized_only_by_its_proceeds_is_kept():
    body = ("Corran Metals Inc said it completed the sale of three mln shares of Corran common "
            "stock to underwriters led by Halden Securities. The shares were sold to the public "
            "at 20.50 dlrs each. Proceeds of about 61 mln dlrs will be used to reduce debt.")
    assert deals_of("CORRAN METALS <CRM> COMPLETES SHARE OFFERING", body) == [
        ("Corran Metals Inc", "offering", 61e6)]


def test_a_rights_offering_of_convertible_preferred_shares_is_a_convertible():
    body = ("Vellum Biotech Corp said it has filed for a proposed 6,000,000 dlr rights offering. "
            "Shareholders will have the right to buy one convertible preferred share at 50 cts "
            "for each common share held.")
    a = Article(id="r2", title="VELLUM BIOTECH <VBC> PLANS PREFERRED RIGHTS OFFERING", body=body,
                published_at=WHEN)
    assert [(d.company, d.kind, d.amount) for d in candidates(a)] == [
        ("Vellum Biotech Corp", "convertible", 6e6)]


def test_a_price_paid_in_cash_and_notes_is_no_bond():
    body = ("Tamsin Broadcasting Inc said it agreed to buy two radio stations from Ardent Media "
            "Corp for 18 mln dlrs in cash and notes.")
    assert deals_of("TAMSIN <TMB> TO BUY TWO RADIO STATIONS", body) == []
