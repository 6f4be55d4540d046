"""Deal rules added from the blind17 and blind18 splits' errors, on the project's own fictional
articles: who the issuer is when the sentence's subject is not, sizes that change, and deal words
that report no deal (ratings, takeover bids, loan sales)."""

from __future__ import annotations

from deal_wire import deals_of, wire

from index.deals.company import issued_by, raiser, subject
from index.deals.extract import candidates
from index.text.money import find_money


def test_underwriters_announcing_a_clients_offering_name_the_client():
    body = ("Dunmore Securities Inc, The Fairlie Corp <FRL> and Harcourt Inc <HRC> said Corvel "
            "Industries Inc has made a public offering of two mln shares of 2.25 dlr convertible "
            "preferred stock at 25 dlrs a share. The shares are convertible into Corvel common.")
    assert deals_of("CORVEL <CVL> IN TWO MLN SHARE OFFERING", body) == [
        ("Corvel Industries Inc", "convertible", None)]


def test_a_parents_subsidiary_named_in_apposition_is_the_issuer():
    sentence = ("Brayford Savings Bank's wholly-owned subsidiary, Brayford Mortgage Co Inc, said "
                "it filed a registration statement for an initial public offering.")
    assert subject(sentence)[0] == "Brayford Mortgage Co Inc"


def test_a_described_company_after_for_is_named_not_its_nationality():
    body = ("Lead manager Stellan Bank said it has formed a syndicate for Danish shipping group "
            "Oresund Line A/S <ORL.CO>'s 40 mln Australian dlr five-year bond. The bond pays a "
            "14 pct coupon.")
    assert [d[0] for d in deals_of("STELLAN FORMS SYNDICATE FOR ORESUND BOND", body)] == [
        "Oresund Line A/S"]


def test_a_ticker_in_the_headline_is_no_spelling_of_the_name():
    body = ("Northern Power Corp said it filed with the Securities and Exchange Commission for an "
            "offering of two mln common shares. Northern Power said proceeds will repay debt.")
    assert deals_of("NORTHERN <NPWR.O> FILES FOR OFFERING", body) == [
        ("Northern Power Corp", "offering", None)]


def test_a_state_owned_bank_in_brackets_with_its_acronym_is_the_issuer():
    body = ("Portugal's state-owned <Banco Atlantico do Sul - BAS> said it would issue 80 mln dlrs "
            "of five-year convertible eurobonds. BAS said the issue would be lead managed in "
            "London.")
    assert deals_of("PORTUGAL'S BAS TO ISSUE 80 MLN DLR CONVERTIBLE BOND", body) == [
        ("Banco Atlantico do Sul", "convertible", 80e6)]


def test_a_branch_in_brackets_is_a_description_not_part_of_the_name():
    body = ("Banco Atlantico do Sul (Paris branch) is issuing a 90 mln dlr five-year bond with "
            "equity warrants, lead manager Vester Securities said. The coupon is indicated at "
            "five pct.")
    assert deals_of("BANCO ATLANTICO DO SUL LAUNCHES BOND/WARRANTS", body) == [
        ("Banco Atlantico do Sul", "bond", 90e6)]


def test_the_office_of_finance_speaks_for_the_home_loan_banks():
    body = ("The Office of Finance of the Federal Home Loan Banks announced a debt offering "
            "totalling 1.385 billion dlrs in two issues. The issues will be priced tomorrow.")
    assert deals_of("HOME LOAN BANKS SET 1.385 BILLION DLR OFFER", body) == [
        ("Federal Home Loan Banks", "bond", 1385e6)]


def test_decimal_billions_parse_without_float_noise():
    assert [m.amount for m in find_money("a 2.135 billion dlr offering of 0.29 mln dlrs")] == [
        2_135_000_000.0, 290_000.0]


def test_a_facility_raised_to_a_new_size_is_one_deal_at_that_size():
    body = ("The proposed 400 mln Hong Kong dlr loan facility for <Kowloon Ferry Co Ltd>, a unit "
            "of Harbour Holdings Ltd, will be raised to 650 mln dlrs, lead manager Pacific Rim "
            "Bank said. The loan was twice oversubscribed in syndication.")
    assert deals_of("HARBOUR UNIT LOAN TO RISE TO 650 MLN H.K. DLRS", body) == [
        ("Kowloon Ferry Co Ltd", "loan", 650e6)]


def test_an_increased_eurobond_launched_for_a_company_keeps_that_company():
    body = ("The amount of a convertible eurobond launched on Friday for Tallow Foods Plc "
            "<TLW.L> has been increased to 45 mln stg from the original 40 mln and the coupon "
            "set at 5-1/2 pct. The conversion price has been fixed at 310p.")
    assert deals_of("AMOUNT INCREASED ON TALLOW FOODS EUROBOND", body) == [
        ("Tallow Foods Plc", "convertible", 45e6)]


def test_an_offering_named_as_the_companys_possessive_belongs_to_it():
    body = ("Crane, Harlow and Co and Vesey Securities Inc, acting as co-managers in the "
            "underwriting group, said <Orrin Labs Inc's> initial public offering of 1,200,000 "
            "common shares is under way at 11 dlrs a share.")
    assert deals_of("ORRIN LABS INITIAL OFFERING AT 11 DLRS A SHARE", body) == [
        ("Orrin Labs Inc", "offering", None)]


def test_an_offering_of_shares_of_a_named_company_under_way_is_its_ipo():
    body = ("Lead underwriters Gable and Co Inc said an initial public offering of 640,000 shares "
            "of Westbury Savings Bank common stock is under way at 14 dlrs per share. "
            "Underwriters have an option to buy 96,000 more shares.")
    assert deals_of("<WESTBURY SAVINGS BANK> INITIAL OFFERING STARTS", body) == [
        ("Westbury Savings Bank", "offering", None)]


def test_resuming_a_share_repurchase_program_is_a_buyback():
    body = ("Pellham Mills Co said it will resume a share repurchase program its board approved "
            "last year. Pellham Mills said 300,000 shares remain to be bought.")
    assert deals_of("PELLHAM MILLS <PLM> TO RESUME BUYBACK PROGRAM", body) == [
        ("Pellham Mills Co", "buyback", None)]


def test_proceeds_left_over_for_someone_else_are_no_offering_size():
    body = ("Carrick Gold Corp said it filed for an initial public offering of four mln Class A "
            "shares at about seven dlrs each. Carrick Gold said Lomond Mines will use the "
            "3,210,000 dlrs remaining to repay short-term debt.")
    assert deals_of("CARRICK GOLD FILES FOR INITIAL OFFERING", body) == [
        ("Carrick Gold Corp", "offering", None)]


def test_a_rating_upgrade_of_old_debt_is_no_deal_but_a_proposed_issue_is():
    body = ("Standard and Poor's Corp said it raised to A from A-minus Dorrit Stores Inc's 20 mln "
            "dlrs of revenue bonds. Yesterday, S and P upgraded to A from A-minus the company's "
            "60 mln dlrs of convertible subordinated debentures of 2008 and assigned an A rating "
            "to its proposed 90 mln dlr issue of convertible debentures. S and P cited Dorrit "
            "Stores' record of sales growth.")
    article = wire("DORRIT <DOR> DEBT UPGRADED BY S/P", body)
    assert [(d.kind, d.amount) for d in candidates(article)] == [("convertible", 90e6)]


def test_a_takeover_tender_offer_is_no_financing():
    body = ("Merrion Capital Inc said it has started its tender offer for all common shares and "
            "7.5 dlr convertible preferred shares of Ashgrove Corp at 40 dlrs a share.")
    assert deals_of("MERRION <MRN> STARTS ASHGROVE <ASH> BID", body) == []


def test_gains_on_the_sale_of_loans_are_no_loan():
    body = ("Harbor Savings Corp, in reporting a quarterly loss, said gains on the sale of loans "
            "and mortgage-backed securities fell to 8.2 mln dlrs from 15.1 mln dlrs.")
    assert deals_of("HARBOR SAVINGS <HSV> LOAN SALES DOWN IN QUARTER", body) == []


# --- from blind19 and blind20's first passes ---


def test_a_bank_of_somewhere_after_for_keeps_its_whole_name():
    body = ("The coupon on the 80 mln dlr, 15-year, convertible eurobond for the Bank of Osterby "
            "Ltd has been cut to 1-3/4 pct from the two pct initially indicated, lead manager "
            "Halden Securities said.")
    assert [d[0] for d in deals_of("COUPON CUT ON BANK OF OSTERBY CONVERTIBLE", body)] == [
        "Bank of Osterby Ltd"]


def test_a_bond_launched_on_behalf_of_a_client_is_the_clients():
    sentence = ("State bank Banca Veneta said it is launching a 40 billion lire eurobond on "
                "behalf of Carrow Finance Corp, the bank said.")
    assert issued_by(sentence) == (True, "Carrow Finance Corp")


def test_an_issue_of_a_named_companys_debentures_is_that_companys():
    sentence = ("A 120 mln dlr issue of Ormond Corp 30-year debentures was given a nine pct "
                "coupon and priced at par, lead manager Vesey Securities said.")
    assert raiser(sentence) == "Ormond Corp"


def test_two_same_size_issues_in_one_sentence_are_two_deals():
    body = ("Dalby Gas Co said it filed a registration statement covering a 40 mln dlr offering "
            "of 10-year notes and a 40 mln dlr offering of 30-year debentures. Proceeds will "
            "redeem outstanding debt.")
    assert deals_of("DALBY GAS <DGC> TO SELL NOTES, DEBENTURES", body) == [
        ("Dalby Gas Co", "bond", 40e6), ("Dalby Gas Co", "bond", 40e6)]

