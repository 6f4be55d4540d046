"""Deal rules on kinds: what is a bond, loan, offering, convertible or buyback, and what is no deal.

Each test is a fictional wire story written for the rule it covers."""

from __future__ import annotations

import pytest
from deal_wire import WHEN, deals_of, wire

from index.deals.extract import candidates
from index.deals.sentences import reports_deal
from index.records import Article

TITLE = "PORTUGAL GETS 120 MLN DLR WORLD BANK LOAN"


def test_a_yield_over_treasury_bills_is_no_government_issue():
    body = (
        "Harlow Mortgage Corp said it priced its 200 mln dlr floating rate note offer at par "
        "to yield 30 basis points above the bond-equivalent yield of the 91-day Treasury "
        "bill. Harlow Mortgage said the notes are due in September."
    )
    assert deals_of("HARLOW MORTGAGE <HMC> PRICES FLOATING RATE NOTES", body) == [
        ("Harlow Mortgage Corp", "bond", 200e6)
    ]


def test_may_purchase_up_to_is_a_buyback_authorisation_not_a_hedge():
    body = (
        "Brenton Optics Corp said it may purchase up to 300,000 shares of its outstanding "
        "common stock from time to time in the open market. Brenton Optics has 6.1 mln "
        "shares outstanding."
    )
    assert deals_of("BRENTON OPTICS <BRO> TO BUY BACK STOCK", body) == [
        ("Brenton Optics Corp", "buyback", None)
    ]


def test_buying_its_own_stock_in_the_open_market_is_a_buyback():
    body = (
        "Quillon Systems Corp said its board authorized the company to buy its outstanding "
        "stock in the open market at prices management deems fit. No amount was set."
    )
    assert deals_of("QUILLON SYSTEMS <QSY> SETS STOCK BUYBACK", body) == [
        ("Quillon Systems Corp", "buyback", None)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Tessaro Spa said it had no plans to issue eurobonds linked to its shares.",
        "Tessaro Spa denied it would issue 200 mln dlrs of notes.",
    ],
)
def test_denials_report_no_deal(sentence):
    assert not reports_deal(sentence, 1987, False)


def test_an_agreement_to_borrow_a_sum_is_a_loan():
    body = (
        "Kestrel Power Corp said it has signed an agreement to borrow 120 mln marks at a "
        "fixed 6.2 pct for ten years from a group of six banks."
    )
    assert deals_of("KESTREL POWER SIGNS 120 MLN MARK LOAN PACT", body) == [
        ("Kestrel Power Corp", "loan", 120e6)
    ]


def test_history_since_the_start_of_a_program_is_no_new_buyback():
    assert not reports_deal(
        "Since the beginning of the present repurchase program in March "
        "1986, Osprey said, it has bought 4.4 mln shares for 96 mln dlrs.",
        1987,
        False,
    )


def test_a_negotiated_credit_line_is_done_not_in_talks():
    body = (
        "Pellworth Tools Inc said it negotiated a new seasonal line of credit with two "
        "lenders for 12 mln dlrs for working capital."
    )
    assert deals_of("PELLWORTH TOOLS <PWT> NEGOTIATES NEW CREDIT LINE", body) == [
        ("Pellworth Tools Inc", "loan", 12e6)
    ]


def test_a_rights_offering_of_convertible_preferred_shares_is_a_convertible():
    body = (
        "Vellum Biotech Corp said it has filed for a proposed 6,000,000 dlr rights offering. "
        "Shareholders will have the right to buy one convertible preferred share at 50 cts "
        "for each common share held."
    )
    a = Article(
        id="r2",
        title="VELLUM BIOTECH <VBC> PLANS PREFERRED RIGHTS OFFERING",
        body=body,
        published_at=WHEN,
    )
    assert [(d.company, d.kind, d.amount) for d in candidates(a)] == [
        ("Vellum Biotech Corp", "convertible", 6e6)
    ]


def test_an_offering_of_shares_of_a_named_company_under_way_is_its_ipo():
    body = (
        "Lead underwriters Gable and Co Inc said an initial public offering of 640,000 shares "
        "of Westbury Savings Bank common stock is under way at 14 dlrs per share. "
        "Underwriters have an option to buy 96,000 more shares."
    )
    assert deals_of("<WESTBURY SAVINGS BANK> INITIAL OFFERING STARTS", body) == [
        ("Westbury Savings Bank", "offering", None)
    ]


def test_resuming_a_share_repurchase_program_is_a_buyback():
    body = (
        "Pellham Mills Co said it will resume a share repurchase program its board approved "
        "last year. Pellham Mills said 300,000 shares remain to be bought."
    )
    assert deals_of("PELLHAM MILLS <PLM> TO RESUME BUYBACK PROGRAM", body) == [
        ("Pellham Mills Co", "buyback", None)
    ]


def test_a_rating_upgrade_of_old_debt_is_no_deal_but_a_proposed_issue_is():
    body = (
        "Standard and Poor's Corp said it raised to A from A-minus Dorrit Stores Inc's 20 mln "
        "dlrs of revenue bonds. Yesterday, S and P upgraded to A from A-minus the company's "
        "60 mln dlrs of convertible subordinated debentures of 2008 and assigned an A rating "
        "to its proposed 90 mln dlr issue of convertible debentures. S and P cited Dorrit "
        "Stores' record of sales growth."
    )
    article = wire("DORRIT <DOR> DEBT UPGRADED BY S/P", body)
    assert [(d.kind, d.amount) for d in candidates(article)] == [("convertible", 90e6)]


def test_a_takeover_tender_offer_is_no_financing():
    body = (
        "Merrion Capital Inc said it has started its tender offer for all common shares and "
        "7.5 dlr convertible preferred shares of Ashgrove Corp at 40 dlrs a share."
    )
    assert deals_of("MERRION <MRN> STARTS ASHGROVE <ASH> BID", body) == []


def test_gains_on_the_sale_of_loans_are_no_loan():
    body = (
        "Harbor Savings Corp, in reporting a quarterly loss, said gains on the sale of loans "
        "and mortgage-backed securities fell to 8.2 mln dlrs from 15.1 mln dlrs."
    )
    assert deals_of("HARBOR SAVINGS <HSV> LOAN SALES DOWN IN QUARTER", body) == []


def test_a_commercial_paper_facility_is_debt_not_a_bank_loan():
    body = (
        "Tasman Trading Bank Ltd said it plans a 300 mln Australian dlr commercial paper "
        "facility to fund its lending in the United States, dealers said."
    )
    assert [
        (d.company, d.kind, d.amount)
        for d in candidates(wire("TASMAN BANK PLANS 300 MLN DLR PAPER FACILITY", body))
    ] == [("Tasman Trading Bank Ltd", "bond", 300e6)]


def test_cancellable_contracts_are_no_cancelled_deal():
    sentence = (
        "Harwick Financial Corp said it filed a registration statement covering six mln "
        "dlrs principal amount of subordinated debentures and cancellable stock purchase "
        "contracts."
    )
    assert reports_deal(sentence, 1987, False)


def test_an_agreement_to_borrow_a_spelled_sum_is_a_loan():
    body = (
        "<Kestrel Hotels Corp> of Hong Kong signed an agreement to borrow five billion yen "
        "from an international syndicate of banks led by Halden Bank Ltd, the agency said."
    )
    assert deals_of("KESTREL HOTELS SIGNS LOAN AGREEMENT", body) == [
        ("Kestrel Hotels Corp", "loan", 5e9)
    ]


def test_a_planned_convertible_note_sale_without_a_sum_is_a_deal():
    body = (
        "<Tarrow West Corp> said it plans to sell convertible subordinated notes by way of a "
        "private placement. Tarrow West said the notes will be convertible into common "
        "shares."
    )
    assert deals_of("TARROW WEST PLANS CONVERTIBLE NOTE ISSUE", body) == [
        ("Tarrow West Corp", "convertible", None)
    ]


def test_a_listing_is_a_share_offering():
    body = (
        "Kestrel Air, the state-owned carrier, is to raise $1bn through a London listing, "
        "its chairman said on Tuesday."
    )
    assert [
        (d.kind, d.amount) for d in candidates(wire("KESTREL AIR IN $1BN LONDON LISTING", body))
    ] == [("offering", 1e9)]


def test_a_price_paid_in_cash_and_notes_is_no_bond():
    body = (
        "Tamsin Broadcasting Inc said it agreed to buy two radio stations from Ardent Media "
        "Corp for 18 mln dlrs in cash and notes."
    )
    assert deals_of("TAMSIN <TMB> TO BUY TWO RADIO STATIONS", body) == []


def test_a_digest_of_new_issues_yields_each_items_deal():
    body = (
        "Kestrel Power Co Inc is issuing a 50 billion yen eurobond due April 30, 1994 paying a "
        "4-5/8 pct coupon and priced at 101 pct, lead manager Halden Securities said.\n"
        "    LONDON - Tarrow Corp is issuing a 150 mln dlr eurobond due April 27, 1992 paying "
        "two pct and priced at par, lead manager Halden Securities said.\n"
        "    LONDON - Orwell Finance NV is issuing a 100 mln dlr eurobond due April 30, 1992 "
        "paying 8-1/4 pct and priced at par, lead manager Vesey Bank said.\n"
        "    PARIS - Caisse Rurale des Ponts is issuing a 120 mln ECU 7-3/8 pct eurobond due "
        "May 15, 1995 at 101-3/4 pct, lead manager Banque Lorrain said.\n"
    )
    assert deals_of("INTERNATIONAL BOND HIGHLIGHTS - APRIL 7", body) == [
        ("Kestrel Power Co Inc", "bond", 50e9),
        ("Tarrow Corp", "bond", 150e6),
        ("Orwell Finance NV", "bond", 100e6),
        ("Caisse Rurale des Ponts", "bond", 120e6),
    ]
