"""Page noise removal: general line rules, the hints noise carries, and safety properties."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ingest.cleaning import clean_text, date_stamp, parse_date

LEAD = "Acme Widgets priced 500 million euros of senior bonds on Tuesday, the company said."
MORE = "The notes carry a 4.25% coupon and mature on 6 October 2031, bankers said."
LAST = "Proceeds will refinance a term loan due 2027 and fund two new plants in Spain."


def page(*lines: str) -> str:
    return "\n".join(lines)


@pytest.mark.parametrize(
    "noise",
    [
        "Share this article",
        "Share Facebook Twitter LinkedIn Email",
        "Follow us on Twitter",
        "We use cookies to improve your experience. Accept all cookies",
        "Read more: Europe's bond market reopens",
        "Related: Acme's last bond sale",
        "Sign up for our daily newsletter",
        "Subscribe now for full access",
        "Get the Markets newsletter, free to your inbox",
        "© 2026 Example Media Ltd",
        "Copyright 2026 Example Media. All rights reserved.",
        "Advertisement",
        "Photo: Jane Doe/Getty Images",
        "(Photo by Jane Doe, Shutterstock)",
        "Comments",
        "12 comments",
        "No comments yet",
        "Leave a comment",
        "5 min read",
        "Tags: bonds, Europe, Acme",
        "Updated: 10:32 AM ET",
        "Home > Markets > Bonds",
    ],
)
def test_chrome_line_is_removed_and_article_kept(noise):
    cleaned = clean_text(page(LEAD, noise, MORE, LAST))
    assert cleaned.body == page(LEAD, MORE, LAST)
    assert noise in cleaned.removed


@pytest.mark.parametrize(
    "sentence",
    [
        "The offering was oversubscribed three times, the company said.",
        "Related party loans rose to $4 million in 2025, according to the filing.",
        "Investors who subscribed to the notes will receive a 5% coupon from March 2027.",
        "Share buybacks totalled $1.2 billion in the third quarter, up from $800 million.",
        "Copyright licensing revenue rose 12% to 40 million euros.",
        "Photo-sharing app Snapgrid raised $20 million in a Series A round.",
        "The notes mature on 15 October 2031.",
        "Updated guidance shows revenue of $2 billion this year.",
        "Maturity: 2031",
    ],
)
def test_financing_sentences_with_noise_words_are_kept(sentence):
    assert sentence in clean_text(page(LEAD, sentence, MORE)).body.split("\n")


def test_feed_footer_becomes_title_and_source_hints():
    cleaned = clean_text(
        page(LEAD, MORE, "The post Acme prices bonds appeared first on Daily Ledger.")
    )
    assert (cleaned.title_hint, cleaned.source_hint) == ("Acme prices bonds", "Daily Ledger")
    assert cleaned.body == page(LEAD, MORE)


def test_newsletter_header_names_the_source():
    cleaned = clean_text(
        page("Harbor Wire Newsletter", "Deal headlines, free to your inbox", LEAD, MORE)
    )
    assert cleaned.source_hint == "Harbor Wire"
    assert cleaned.body == page(LEAD, MORE)


@pytest.mark.parametrize(
    ("stamp", "day"),
    [
        ("Dec.29 2025", datetime(2025, 12, 29, tzinfo=UTC)),
        ("Published: 5 Oct 2026", datetime(2026, 10, 5, tzinfo=UTC)),
        ("Monday, October 5, 2026", datetime(2026, 10, 5, tzinfo=UTC)),
        ("2026-10-05", datetime(2026, 10, 5, tzinfo=UTC)),
        ("Updated on October 5, 2026 at 10:30 am", datetime(2026, 10, 5, 10, 30, tzinfo=UTC)),
    ],
)
def test_date_only_stamps_are_removed_and_the_first_becomes_the_date_hint(stamp, day):
    cleaned = clean_text(page(stamp, LEAD, stamp, MORE, "January 3, 2020"))
    assert cleaned.date_hint == day
    assert cleaned.body == page(LEAD, MORE)


@pytest.mark.parametrize("line", ["2025", "May", "In 2025 Acme sold bonds.", "Q3 2026 results"])
def test_lines_that_are_not_date_stamps(line):
    assert date_stamp(line) is None


def test_repeated_lines_keep_only_the_first_copy():
    cleaned = clean_text(page(LEAD, MORE, LEAD, LAST, MORE))
    assert cleaned.body == page(LEAD, MORE, LAST)


def test_short_data_lines_may_repeat():
    body = page(LEAD, "Coupon: 4.25%", MORE, "Coupon: 4.25%", LAST)
    assert clean_text(body).body == body


def test_footnote_markers_glued_to_words_are_removed():
    text = "Acme sold bonds[1]—a zero-coupon issue[12]. Proceeds go to plants [3][4] in Spain[5]."
    assert (
        clean_text(text).body
        == "Acme sold bonds—a zero-coupon issue. Proceeds go to plants in Spain."
    )


def test_markers_hidden_inside_markers_are_removed_too():
    assert not re.search(r"\[\d+\]", clean_text("Acme [[1]2] sold bonds due 2031 on Friday.").body)


def test_writer_bio_closing_the_page_is_removed():
    bio = (
        "Jane Roe is a senior markets reporter specializing in European credit. "
        "She previously worked at a news agency. Follow her on X."
    )
    agent = "AI Writing Agent specializing in corporate fundamentals. His style is structured."
    cleaned = clean_text(page(LEAD, MORE, bio, agent))
    assert cleaned.body == page(LEAD, MORE)


def test_closing_paragraph_about_the_company_is_kept():
    about = (
        "Acme Widgets is a maker of industrial pumps based in Lyon. Its shares rose 3% on the news."
    )
    assert clean_text(page(LEAD, MORE, about)).body == page(LEAD, MORE, about)


def test_short_labels_above_the_headline_and_below_the_article_are_trimmed():
    text = page("Menu", "Markets", "Acme prices bonds", LEAD, MORE, "Europe", "Credit markets")
    assert clean_text(text).body == page("Acme prices bonds", LEAD, MORE)


def test_a_closing_list_of_data_lines_is_kept():
    text = page(LEAD, MORE, "Bookrunners:", "Mets: Jeff Green", "Braves: Tom Hale")
    assert clean_text(text).body.endswith("Mets: Jeff Green\nBraves: Tom Hale")


def test_hard_wrapped_wire_text_is_rejoined_and_the_signoff_names_the_source():
    text = (
        "Acme Corp said it sold 100 mln dlrs of notes\n"
        "due 1997 with a 9-1/4 pct coupon, priced at par\n"
        "through a syndicate led by Example Securities.\n"
        "    The issue is rated A-2 by Moody's and A by\n"
        "Standard and Poor's, the company said.\n"
        " Reuter\n"
    )
    cleaned = clean_text(text)
    assert cleaned.source_hint == "Reuters"
    assert cleaned.body == (
        "Acme Corp said it sold 100 mln dlrs of notes due 1997 with a 9-1/4 pct coupon, priced at"
        " par through a syndicate led by Example Securities.\nThe issue is rated A-2 by Moody's"
        " and A by Standard and Poor's, the company said."
    )


def test_line_split_by_a_removed_link_is_rejoined():
    text = "Few firms show this as vividly as\n. The recent $3.2 billion bond sale was one example."
    assert clean_text(text).body.startswith("Few firms show this as vividly as. The recent")


def test_parse_date_reads_feeds_and_rejects_guesses():
    assert parse_date("27-MAR-1987 00:02:59.13&#5;&#5") == datetime(
        1987, 3, 27, 0, 2, 59, 130000, tzinfo=UTC
    )
    assert parse_date("2026-10-05T09:30:00-04:00") == datetime(2026, 10, 5, 13, 30, tzinfo=UTC)
    assert parse_date("May") is None and parse_date("None") is None and parse_date(None) is None


NOISY = st.sampled_from(
    ["Share", "Comments", "Dec.29 2025", "[1]", "The post X appeared first on Y.", "REUTER",
     "AInvest Newsletter", "\n", "\r\n", "   ", ".", "Advertisement", "Follow her on X.", "\u00a0"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=80), NOISY), max_size=30).map("\n".join))
def test_clean_text_never_raises_and_never_grows_the_text(text):
    cleaned = clean_text(text)
    assert len(cleaned.body) <= len(text)
    assert not re.search(r"\[\d{1,3}\]", cleaned.body)
    assert (
        all(line and line == line.strip() for line in cleaned.body.split("\n")) or not cleaned.body
    )
