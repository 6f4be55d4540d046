"""Deal rules added this stop from misses in the splits already scored, on the project's own
fictional articles: names joined by a foreign "and", legal words outside English, and the
company a development bank's loan to a country is made to."""

from __future__ import annotations

from deal_wire import deals_of, wire

from index.deals.company import named_after, raiser, subject
from index.deals.confidence import in_title, initials
from index.deals.extract import candidates
from index.deals.kinds import sizes
from index.deals.sentences import reports_deal
from index.text.money import find_money

TITLE = "PORTUGAL GETS 120 MLN DLR WORLD BANK LOAN"


def test_a_turkish_name_with_ve_and_its_abbreviation_is_the_borrower():
    sentence = ("Karadeniz Sanayi ve Ticaret Bankasi AS (KSTB), a mid-sized trade financing bank, "
                "is seeking a 25 mln dlr export advance facility, Halden Bank Ltd said as lead "
                "manager.")
    assert raiser(sentence) == "Karadeniz Sanayi ve Ticaret Bankasi AS"


def test_a_german_name_with_und_is_whole():
    sentence = "Weber Motoren und Cie AG <WMCG.F> said it will omit its dividend for 1986."
    assert subject(sentence)[0] == "Weber Motoren und Cie AG"


def test_a_finnish_oy_is_a_company_word_like_its_owners_group():
    sentence = "Nordvik Paperi Oy, Nordvik Group's paper unit, said it is issuing bonds."
    assert subject(sentence)[0] == "Nordvik Paperi Oy"


def test_a_development_banks_loan_to_a_country_goes_to_the_named_recipient():
    body = ("The World Bank said it has approved a 120 mln dlr loan for Portugal to help develop "
            "its gas fields. The bank said the recipient of the 15-year loan will be Lusitania "
            "Gas Ltd (RGL), the smaller of the country's two gas producers.")
    assert [(d.company, d.kind, d.amount) for d in candidates(wire(TITLE, body))] == [
        ("Lusitania Gas Ltd", "loan", 120e6)]


def test_a_loan_to_a_country_with_no_named_recipient_is_no_companys_deal():
    body = ("The World Bank said it has approved a 120 mln dlr loan for Portugal to help develop "
            "its gas fields. The loan is for 15 years.")
    assert candidates(wire(TITLE, body)) == []


def test_a_commercial_paper_facility_is_debt_not_a_bank_loan():
    body = ("Tasman Trading Bank Ltd said it plans a 300 mln Australian dlr commercial paper "
            "facility to fund its lending in the United States, dealers said.")
    assert [(d.company, d.kind, d.amount) for d in candidates(
        wire("TASMAN BANK PLANS 300 MLN DLR PAPER FACILITY", body))] == [
        ("Tasman Trading Bank Ltd", "bond", 300e6)]


def test_a_headline_naming_an_issuer_by_its_initials_or_nickname_vouches_for_it():
    assert initials("Federal Farm Mortgage Association") == "ffma"
    assert in_title("Federal Farm Mortgage Association", "FFMA SETS RATE ON DEBENTURES")
    assert in_title("Student Loan Marketing Association", "SALLIE MAE PRICES NOTES")
    assert not in_title("Federal Farm Mortgage Association", "FNMA SETS RATE ON DEBENTURES")
    assert initials("Kestrel AG") == ""  # one word and a legal suffix have no initials


def test_a_headline_naming_the_parent_vouches_for_the_unit_the_sentence_ties_to_it():
    sentence = ("Brannock-Wells Inc said its wholly owned subsidiary, Tarrow Coach Corp, filed a "
                "registration statement covering 60 mln dlrs of subordinated notes due 1997.")
    assert in_title("Tarrow Coach Corp", "BRANNOCK-WELLS <BWI> UNIT FILES NOTE OFFERING", sentence)


def test_a_range_of_amounts_is_no_size():
    assert sizes("a proposed initial public offering of four mln dlrs to six mln dlrs.") == []
    assert [m.amount for m in sizes("which will raise capital by 100 mln marks to 350 mln "
                                    "marks.")] == [350e6]


def test_spelled_hundreds_and_tens_are_amounts():
    assert [m.amount for m in find_money("a one hundred million German mark loan")] == [100e6]
    assert [m.amount for m in find_money("forty mln dlrs")] == [40e6]


def test_cancellable_contracts_are_no_cancelled_deal():
    sentence = ("Harwick Financial Corp said it filed a registration statement covering six mln "
                "dlrs principal amount of subordinated debentures and cancellable stock purchase "
                "contracts.")
    assert reports_deal(sentence, 1987, False)


def test_an_agreement_to_borrow_a_spelled_sum_is_a_loan():
    body = ("<Kestrel Hotels Corp> of Hong Kong signed an agreement to borrow five billion yen "
            "from an international syndicate of banks led by Halden Bank Ltd, the agency said.")
    assert deals_of("KESTREL HOTELS SIGNS LOAN AGREEMENT", body) == [
        ("Kestrel Hotels Corp", "loan", 5e9)]


def test_a_lenders_grant_to_a_named_company_is_that_companys_loan():
    body = ("The Baltic Investment Bank (BIB) said in a statement it granted Finland's "
            "state-owned chemicals company Kemira Lauta Oy <KEML.HE> a one hundred million "
            "German mark loan to buy shares in a Swedish rival.")
    assert deals_of("BALTIC INVESTMENT BANK GIVES LOAN TO KEMIRA", body) == [
        ("Kemira Lauta Oy", "loan", 100e6)]


# --- from blind21 to blind24's first passes ---


def test_a_digest_of_new_issues_yields_each_items_deal():
    body = ("Kestrel Power Co Inc is issuing a 50 billion yen eurobond due April 30, 1994 paying a "
            "4-5/8 pct coupon and priced at 101 pct, lead manager Halden Securities said.\n"
            "    LONDON - Tarrow Corp is issuing a 150 mln dlr eurobond due April 27, 1992 paying "
            "two pct and priced at par, lead manager Halden Securities said.\n"
            "    LONDON - Orwell Finance NV is issuing a 100 mln dlr eurobond due April 30, 1992 "
            "paying 8-1/4 pct and priced at par, lead manager Vesey Bank said.\n"
            "    PARIS - Caisse Rurale des Ponts is issuing a 120 mln ECU 7-3/8 pct eurobond due "
            "May 15, 1995 at 101-3/4 pct, lead manager Banque Lorrain said.\n")
    assert deals_of("INTERNATIONAL BOND HIGHLIGHTS - APRIL 7", body) == [
        ("Kestrel Power Co Inc", "bond", 50e9), ("Tarrow Corp", "bond", 150e6),
        ("Orwell Finance NV", "bond", 100e6), ("Caisse Rurale des Ponts", "bond", 120e6)]


def test_a_countrys_possessive_is_not_part_of_the_issuers_name():
    sentence = ("One new straight deal was launched, a 20 billion yen bond for France's Caisse "
                "Rurale des Ponts.")
    assert named_after(sentence) == "Caisse Rurale des Ponts"
    assert subject("French state computer group Cie des Machines Lorrain will issue 800 mln "
                   "French francs worth of bonds.")[0] == "Cie des Machines Lorrain"


def test_a_company_announcing_anothers_offering_names_the_other():
    assert raiser("Orwell Energy Corp <ORW> said Orwell Gas Partners L.P. was making an initial "
                  "public offering of 9.5 mln units at 22.75 dlrs a unit.") == (
        "Orwell Gas Partners L.P.")
    assert raiser("Vesey Holdings Corp <VSY> said an offering of 1,700,000 common shares of "
                  "Tarrow Inc is under way at 18.25 dlrs each.") == "Tarrow Inc"
    assert raiser("Vesey and Co Inc said its initial public offering of six mln limited "
                  "partnership preference units of Kestrel Homes L.P. was priced at 18 dlrs a "
                  "unit.") == "Kestrel Homes L.P."


def test_a_size_after_at_par_or_to_price_is_the_deals():
    assert [m.amount for m in sizes("Orwell Oil Co said it will issue at par 154 mln Swiss "
                                    "francs of 10-year notes.")] == [154e6]
    assert [m.amount for m in sizes("The association said it plans to price 300 mln dlrs of "
                                    "floating rate notes on Monday.")] == [300e6]


def test_a_bank_making_a_loan_to_a_company_is_the_companys_loan():
    body = ("The Baltic Investment Bank said it is making a 300 mln franc loan to Tarrow SA "
            "<TARR.PA> to restructure the paint works at its car factory.")
    assert deals_of("BIB MAKES 300 MLN FRANC LOAN TO TARROW", body) == [
        ("Tarrow SA", "loan", 300e6)]


def test_a_company_reuters_tags_in_brackets_is_credible_named_once():
    body = ("The coupon on <Orwellvest>'s 40 mln Swiss franc seven-year convertible bond was set "
            "at 4-1/2 pct, lead manager Halden Bank said. The issue is priced at par.")
    assert deals_of("COUPON SET HIGHER FOR ORWELLVEST CONVERTIBLE", body) == [
        ("Orwellvest", "convertible", 40e6)]


def test_a_planned_convertible_note_sale_without_a_sum_is_a_deal():
    body = ("<Tarrow West Corp> said it plans to sell convertible subordinated notes by way of a "
            "private placement. Tarrow West said the notes will be convertible into common "
            "shares.")
    assert deals_of("TARROW WEST PLANS CONVERTIBLE NOTE ISSUE", body) == [
        ("Tarrow West Corp", "convertible", None)]


# --- from the BBC split's first pass (modern phrasing) ---


def test_every_conversion_in_brackets_is_the_same_sum():
    assert [m.amount for m in sizes("Tarrow hopes to raise at least 16.4bn rupees ($375m; "
                                    "£198m) from the offering.")] == [16.4e9]


def test_a_listing_is_a_share_offering():
    body = ("Kestrel Air, the state-owned carrier, is to raise $1bn through a London listing, "
            "its chairman said on Tuesday.")
    assert [(d.kind, d.amount) for d in candidates(wire("KESTREL AIR IN $1BN LONDON LISTING",
                                                         body))] == [("offering", 1e9)]
