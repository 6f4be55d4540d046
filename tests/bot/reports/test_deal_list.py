"""`/finnews deals`: the matching deals, newest first, each with its numbered source."""

from __future__ import annotations

import json

import pytest
from slack_fake import command as command_form

from bot.chat import replies
from bot.reports.deal_list import DealList, DealQuery, DealRow, list_deals, parse_query
from bot.slack.deal_blocks import SLACK_ROWS, deal_blocks
from index.errors import UsageError

pytest_plugins = ["slack_fake"]


def test_typed_text_is_read_as_company_kind_and_since():
    assert parse_query("Halvorsen Wind bond 30d") == DealQuery("Halvorsen Wind", "bond", "30d")
    assert parse_query("2026-10-01") == DealQuery(None, None, "2026-10-01")
    assert parse_query("") == DealQuery()
    typed = (("kind", "loan"), ("since", "2026-10-01"))
    assert parse_query("loan 2026-10-01", typed) == DealQuery(None, "loan", "2026-10-01")


def test_deals_are_listed_newest_first_one_row_per_deal_with_all_its_sources(sample_core):
    found = list_deals(sample_core.deals, DealQuery(kind="bond"))
    # Halvorsen Wind's green bond, told by two outlets under two spellings, is one deal.
    assert found.total == 2
    assert [r.date for r in found.rows] == ["2026-09-21", "2026-09-09"]
    first = found.rows[0]
    assert (first.company, first.amount, first.outlet) == (
        "Halvorsen Wind ASA",
        "EUR 600 million",
        "Capital Wire",
    )
    assert [(o.n, o.outlet) for o in first.also] == [(2, "Meridian Business Daily")]
    assert found.rows[1].n == 3  # numbers run on through the other reports
    assert list_deals(sample_core.deals, DealQuery(since="2026-11-01")).total == 3
    with pytest.raises(UsageError, match="Unknown kind 'bonds'"):
        list_deals(sample_core.deals, DealQuery(kind="bonds"))
    with pytest.raises(UsageError, match="Not a date"):
        list_deals(sample_core.deals, DealQuery(since="last-week"))


def test_slack_shows_at_most_its_rows_and_counts_the_rest():
    rows = tuple(
        DealRow(
            n,
            "2026-10-01",
            f"Company <!channel> {n}",
            "bond",
            "USD 1 million",
            "A title",
            f"https://example.com/{n}",
            "Outlet",
        )
        for n in range(1, 101)
    )
    blocks = deal_blocks(DealList(DealQuery(), rows, 300))
    text = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert text.count("\n• ") == SLACK_ROWS and "<!channel>" not in text
    assert (
        "• 2026-10-01 · *Company &lt;!channel&gt; 1* · bond · USD 1 million · "
        "<https://example.com/1|[1]> Outlet" in text
    )
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert blocks[-1]["elements"][0]["text"] == (
        "… and 250 more; `finnews deals` in a terminal lists them all."
    )


def test_slash_deals_in_slack_answers_privately(start, fake):
    bot = start(http=True)
    status, body = bot.form(command_form("deals Corvanta convertible", fake.response_url("d")))
    assert status == 200 and json.loads(body)["text"] == replies.BUILDING
    [reply] = fake.wait("response_url")
    assert reply.body["response_type"] == "ephemeral"
    blocks = reply.body["blocks"]
    assert blocks[0]["text"]["text"] == "*1 deal: Corvanta, convertible, newest first*"
    assert blocks[1]["text"]["text"] == (
        "• 2026-10-07 · *Corvanta Systems Inc.* · convertible · USD 450 million · "
        "<https://ledgerpost.example/deals/corvanta-convertible-notes|[1]> The Ledger Post"
    )
    bot.form(command_form("deals Corvanta bonds", fake.response_url("e")))
    [_, none] = fake.wait("response_url", 2)
    assert none.body["blocks"][0]["text"]["text"] == "*No deals match: Corvanta bonds.*"
