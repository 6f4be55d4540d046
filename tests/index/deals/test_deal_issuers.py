"""Deal rules on issuers: whose deal a sentence reports, and how the name is read.

Each test is a fictional wire story written for the rule it covers."""

from __future__ import annotations

from deal_wire import deals_of, wire

from index.deals.company import issued_by, named_after, raiser, subject
from index.deals.extract import candidates

TITLE = "PORTUGAL GETS 120 MLN DLR WORLD BANK LOAN"


def test_the_client_of_a_mandate_is_the_issuer_not_the_arranging_bank():
    body = (
        "Osprey Capital Markets said it received a mandate from Tarrant Holdings Ltd to "
        "arrange a facility backing a 150 mln dlr issue of medium term notes."
    )
    found = deals_of("OSPREY MANDATED FOR TARRANT NOTE PROGRAM", body)
    assert [c for c, _, _ in found] == ["Tarrant Holdings Ltd"]


def test_a_government_agency_named_in_apposition_is_no_company_issuer():
    body = (
        "Yukon Housing Finance Corp, a local government agency, has received a 150 mln "
        "dlr syndicated loan, arranger Osprey Capital Markets said."
    )
    assert deals_of("YUKON HOUSING HAS 150 MLN DLR SYNDICATED LOAN", body) == []


def test_underwriters_announcing_a_clients_offering_name_the_client():
    body = (
        "Dunmore Securities Inc, The Fairlie Corp <FRL> and Harcourt Inc <HRC> said Corvel "
        "Industries Inc has made a public offering of two mln shares of 2.25 dlr convertible "
        "preferred stock at 25 dlrs a share. The shares are convertible into Corvel common."
    )
    assert deals_of("CORVEL <CVL> IN TWO MLN SHARE OFFERING", body) == [
        ("Corvel Industries Inc", "convertible", None)
    ]


def test_a_parents_subsidiary_named_in_apposition_is_the_issuer():
    sentence = (
        "Brayford Savings Bank's wholly-owned subsidiary, Brayford Mortgage Co Inc, said "
        "it filed a registration statement for an initial public offering."
    )
    assert subject(sentence)[0] == "Brayford Mortgage Co Inc"


def test_a_described_company_after_for_is_named_not_its_nationality():
    body = (
        "Lead manager Stellan Bank said it has formed a syndicate for Danish shipping group "
        "Oresund Line A/S <ORL.CO>'s 40 mln Australian dlr five-year bond. The bond pays a "
        "14 pct coupon."
    )
    assert [d[0] for d in deals_of("STELLAN FORMS SYNDICATE FOR ORESUND BOND", body)] == [
        "Oresund Line A/S"
    ]


def test_a_state_owned_bank_in_brackets_with_its_acronym_is_the_issuer():
    body = (
        "Portugal's state-owned <Banco Atlantico do Sul - BAS> said it would issue 80 mln dlrs "
        "of five-year convertible eurobonds. BAS said the issue would be lead managed in "
        "London."
    )
    assert deals_of("PORTUGAL'S BAS TO ISSUE 80 MLN DLR CONVERTIBLE BOND", body) == [
        ("Banco Atlantico do Sul", "convertible", 80e6)
    ]


def test_a_branch_in_brackets_is_a_description_not_part_of_the_name():
    body = (
        "Banco Atlantico do Sul (Paris branch) is issuing a 90 mln dlr five-year bond with "
        "equity warrants, lead manager Vester Securities said. The coupon is indicated at "
        "five pct."
    )
    assert deals_of("BANCO ATLANTICO DO SUL LAUNCHES BOND/WARRANTS", body) == [
        ("Banco Atlantico do Sul", "bond", 90e6)
    ]


def test_the_office_of_finance_speaks_for_the_home_loan_banks():
    body = (
        "The Office of Finance of the Federal Home Loan Banks announced a debt offering "
        "totalling 1.385 billion dlrs in two issues. The issues will be priced tomorrow."
    )
    assert deals_of("HOME LOAN BANKS SET 1.385 BILLION DLR OFFER", body) == [
        ("Federal Home Loan Banks", "bond", 1385e6)
    ]


def test_an_increased_eurobond_launched_for_a_company_keeps_that_company():
    body = (
        "The amount of a convertible eurobond launched on Friday for Tallow Foods Plc "
        "<TLW.L> has been increased to 45 mln stg from the original 40 mln and the coupon "
        "set at 5-1/2 pct. The conversion price has been fixed at 310p."
    )
    assert deals_of("AMOUNT INCREASED ON TALLOW FOODS EUROBOND", body) == [
        ("Tallow Foods Plc", "convertible", 45e6)
    ]


def test_an_offering_named_as_the_companys_possessive_belongs_to_it():
    body = (
        "Crane, Harlow and Co and Vesey Securities Inc, acting as co-managers in the "
        "underwriting group, said <Orrin Labs Inc's> initial public offering of 1,200,000 "
        "common shares is under way at 11 dlrs a share."
    )
    assert deals_of("ORRIN LABS INITIAL OFFERING AT 11 DLRS A SHARE", body) == [
        ("Orrin Labs Inc", "offering", None)
    ]


def test_a_bank_of_somewhere_after_for_keeps_its_whole_name():
    body = (
        "The coupon on the 80 mln dlr, 15-year, convertible eurobond for the Bank of Osterby "
        "Ltd has been cut to 1-3/4 pct from the two pct initially indicated, lead manager "
        "Halden Securities said."
    )
    assert [d[0] for d in deals_of("COUPON CUT ON BANK OF OSTERBY CONVERTIBLE", body)] == [
        "Bank of Osterby Ltd"
    ]


def test_a_bond_launched_on_behalf_of_a_client_is_the_clients():
    sentence = (
        "State bank Banca Veneta said it is launching a 40 billion lire eurobond on "
        "behalf of Carrow Finance Corp, the bank said."
    )
    assert issued_by(sentence) == (True, "Carrow Finance Corp")


def test_an_issue_of_a_named_companys_debentures_is_that_companys():
    sentence = (
        "A 120 mln dlr issue of Ormond Corp 30-year debentures was given a nine pct "
        "coupon and priced at par, lead manager Vesey Securities said."
    )
    assert raiser(sentence) == "Ormond Corp"


def test_a_turkish_name_with_ve_and_its_abbreviation_is_the_borrower():
    sentence = (
        "Karadeniz Sanayi ve Ticaret Bankasi AS (KSTB), a mid-sized trade financing bank, "
        "is seeking a 25 mln dlr export advance facility, Halden Bank Ltd said as lead "
        "manager."
    )
    assert raiser(sentence) == "Karadeniz Sanayi ve Ticaret Bankasi AS"


def test_a_german_name_with_und_is_whole():
    sentence = "Weber Motoren und Cie AG <WMCG.F> said it will omit its dividend for 1986."
    assert subject(sentence)[0] == "Weber Motoren und Cie AG"


def test_a_finnish_oy_is_a_company_word_like_its_owners_group():
    sentence = "Nordvik Paperi Oy, Nordvik Group's paper unit, said it is issuing bonds."
    assert subject(sentence)[0] == "Nordvik Paperi Oy"


def test_a_development_banks_loan_to_a_country_goes_to_the_named_recipient():
    body = (
        "The World Bank said it has approved a 120 mln dlr loan for Portugal to help develop "
        "its gas fields. The bank said the recipient of the 15-year loan will be Lusitania "
        "Gas Ltd (RGL), the smaller of the country's two gas producers."
    )
    assert [(d.company, d.kind, d.amount) for d in candidates(wire(TITLE, body))] == [
        ("Lusitania Gas Ltd", "loan", 120e6)
    ]


def test_a_loan_to_a_country_with_no_named_recipient_is_no_companys_deal():
    body = (
        "The World Bank said it has approved a 120 mln dlr loan for Portugal to help develop "
        "its gas fields. The loan is for 15 years."
    )
    assert candidates(wire(TITLE, body)) == []


def test_a_lenders_grant_to_a_named_company_is_that_companys_loan():
    body = (
        "The Baltic Investment Bank (BIB) said in a statement it granted Finland's "
        "state-owned chemicals company Kemira Lauta Oy <KEML.HE> a one hundred million "
        "German mark loan to buy shares in a Swedish rival."
    )
    assert deals_of("BALTIC INVESTMENT BANK GIVES LOAN TO KEMIRA", body) == [
        ("Kemira Lauta Oy", "loan", 100e6)
    ]


def test_a_countrys_possessive_is_not_part_of_the_issuers_name():
    sentence = (
        "One new straight deal was launched, a 20 billion yen bond for France's Caisse "
        "Rurale des Ponts."
    )
    assert named_after(sentence) == "Caisse Rurale des Ponts"
    assert (
        subject(
            "French state computer group Cie des Machines Lorrain will issue 800 mln "
            "French francs worth of bonds."
        )[0]
        == "Cie des Machines Lorrain"
    )


def test_a_company_announcing_anothers_offering_names_the_other():
    assert raiser(
        "Orwell Energy Corp <ORW> said Orwell Gas Partners L.P. was making an initial "
        "public offering of 9.5 mln units at 22.75 dlrs a unit."
    ) == ("Orwell Gas Partners L.P.")
    assert (
        raiser(
            "Vesey Holdings Corp <VSY> said an offering of 1,700,000 common shares of "
            "Tarrow Inc is under way at 18.25 dlrs each."
        )
        == "Tarrow Inc"
    )
    assert (
        raiser(
            "Vesey and Co Inc said its initial public offering of six mln limited "
            "partnership preference units of Kestrel Homes L.P. was priced at 18 dlrs a "
            "unit."
        )
        == "Kestrel Homes L.P."
    )


def test_a_bank_making_a_loan_to_a_company_is_the_companys_loan():
    body = (
        "The Baltic Investment Bank said it is making a 300 mln franc loan to Tarrow SA "
        "<TARR.PA> to restructure the paint works at its car factory."
    )
    assert deals_of("BIB MAKES 300 MLN FRANC LOAN TO TARROW", body) == [
        ("Tarrow SA", "loan", 300e6)
    ]


def test_a_company_reuters_tags_in_brackets_is_credible_named_once():
    body = (
        "The coupon on <Orwellvest>'s 40 mln Swiss franc seven-year convertible bond was set "
        "at 4-1/2 pct, lead manager Halden Bank said. The issue is priced at par."
    )
    assert deals_of("COUPON SET HIGHER FOR ORWELLVEST CONVERTIBLE", body) == [
        ("Orwellvest", "convertible", 40e6)
    ]
