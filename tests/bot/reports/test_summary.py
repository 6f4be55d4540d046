"""Summaries: stories with deals first, every sentence cited from an article it quotes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from slack_fake import command as command_form
from typer.testing import CliRunner

from bot.chat import replies
from bot.cli.main import app as cli
from bot.reports.periods import split_period
from bot.reports.summary import render_text, summarise
from bot.slack.digest_blocks import summary_blocks
from index.deals.store import ArticleInfo
from index.records import Deal

pytest_plugins = ["slack_fake"]

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def article_texts(core) -> dict[str, str]:
    """Each stored article's whole text (title and chunks), whitespace folded."""
    texts: dict[str, str] = {}
    for _, text, meta in core.store.rows():
        texts[meta["article_id"]] = texts.get(meta["article_id"], meta["title"]) + " " + text
    return {k: " ".join(v.split()) for k, v in texts.items()}


def test_summary_puts_deals_first_and_cites_every_sentence_from_its_article(sample_core):
    summary = summarise(sample_core, "Halvorsen Wind")
    assert summary.briefs and summary.briefs[0].heading.startswith("Bond: Halvorsen Wind")
    texts = article_texts(sample_core)
    by_n = {c.n: c.article_id for c in summary.citations}
    assert sorted(by_n) == list(range(1, len(by_n) + 1))
    said = [s for b in summary.briefs for s in b.sentences if s.text != "Also reported in"]
    assert said
    for sentence in said:
        assert sentence.cites, sentence
        assert any(" ".join(sentence.text.split()) in texts[by_n[n]] for n in sentence.cites)
    assert len({s.text for s in said}) == len(said)  # nothing told twice
    titles = {c.title for c in summary.citations}
    assert "Investors pile into Halvorsen Wind's green bond" in titles  # the other outlet


def test_one_deal_from_two_outlets_is_one_story_citing_both(finnews):
    when = datetime(2026, 9, 21, tzinfo=UTC)
    finnews.deals.replace(
        [
            (
                ArticleInfo("a1", "Alibaba to raise $3.2B", "CoinCentral", None, when),
                [
                    Deal(
                        "a1",
                        "Alibaba Group",
                        "convertible",
                        3.2e9,
                        "USD",
                        evidence="Alibaba raises.",
                    )
                ],
            ),
            (
                ArticleInfo(
                    "a2", "Alibaba's convertible bet", "AInvest", None, when + timedelta(days=1)
                ),
                [Deal("a2", "Alibaba", "convertible", 3.2e9, "USD", "2032", evidence="A bond.")],
            ),
        ]
    )
    summary = summarise(finnews, "alibaba")
    [brief] = summary.briefs
    assert (
        brief.heading
        == "Convertible: Alibaba Group is issuing USD 3.2 billion, due 2032 (2026-09-21)"
    )
    assert [(s.text, s.cites) for s in brief.sentences] == [
        ("Alibaba raises.", (1,)),
        ("Also reported in", (2,)),
    ]
    assert [c.source for c in summary.citations] == ["CoinCentral", "AInvest"]


def test_a_kind_as_topic_brings_every_deal_of_that_kind(sample_core):
    summary = summarise(sample_core, "buybacks")
    assert summary.briefs[0].heading.startswith("Buyback: Tessaly Foods")


def test_nothing_about_the_topic_is_said_plainly(sample_core):
    summary = summarise(sample_core, "Zyxwvut Quarry", until=datetime(2001, 1, 1, tzinfo=UTC))
    assert summary.empty
    assert render_text(summary) == (
        "The indexed articles say nothing about Zyxwvut Quarry (until 2001-01-01).\n"
    )
    assert summary_blocks(summary)[0]["text"]["text"].startswith("The indexed articles say")


def test_period_words_at_the_end_of_a_topic_are_read_as_its_period():
    assert split_period("Alibaba 30d", NOW) == ("Alibaba", NOW - timedelta(days=30), None)
    topic, since, until = split_period("Texaco Canada 1987-03", NOW)
    assert (topic, since, until) == (
        "Texaco Canada",
        datetime(1987, 3, 1, tzinfo=UTC),
        datetime(1987, 4, 1, tzinfo=UTC) - timedelta(microseconds=1),
    )
    topic, since, until = split_period("IBM 1987-03-02..1987-03-08", NOW)
    assert (since.day, until.day, until.hour) == (2, 8, 23)
    assert split_period("Boeing 737", NOW) == ("Boeing 737", None, None)
    assert split_period("Fiat 2026-13", NOW) == ("Fiat 2026-13", None, None)


def test_cli_summary_prints_stories_and_sources(sample_core):
    env = {"FINNEWS_DATA_DIR": str(sample_core.settings.data_dir), "FINNEWS_EMBEDDER": "hashing"}
    result = CliRunner().invoke(cli, ["summary", "Tessaly Foods", "--since", "2026-10-01"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Summary: Tessaly Foods (since 2026-10-01)\n\nBuyback: ")
    assert "\nSources\n [1] Tessaly Foods announces $200 million share buyback" in result.output


def test_slash_summary_answers_privately_with_blocks(start, fake):
    bot = start(http=True)
    status, body = bot.form(command_form("summary Tessaly Foods", fake.response_url("s")))
    assert status == 200 and json.loads(body)["text"] == replies.BUILDING
    [reply] = fake.wait("response_url")
    assert reply.body["response_type"] == "ephemeral"
    blocks = reply.body["blocks"]
    assert blocks[0]["text"]["text"] == "Summary: Tessaly Foods"
    assert "*Buyback: Tessaly Foods is buying back USD 200 million" in blocks[2]["text"]["text"]
    assert blocks[-1]["text"]["text"].startswith("*Sources*\n[1] <")


def test_a_deal_line_leads_with_who_raised_what_led_by_whom_at_what_valuation():
    from datetime import UTC, datetime

    from bot.reports.summary import deal_line
    from index.records import Deal

    round_ = Deal(
        "a1",
        "Velo.ai",
        "funding",
        42e6,
        "USD",
        parties=("Northgate Ventures", "Alder Capital"),
        valuation=300e6,
        valuation_currency="USD",
    )
    assert deal_line(round_, datetime(2025, 10, 8, tzinfo=UTC)) == (
        "Funding round: Velo.ai raised USD 42 million, led by Northgate Ventures, Alder Capital, "
        "at a valuation of USD 300 million (2025-10-08)"
    )
    bought = Deal("a2", "Brackley Foods Inc", "acquisition", 1.1e9, "USD", target="Mossdale")
    assert (
        deal_line(bought)
        == "Acquisition: Brackley Foods Inc is buying Mossdale for USD 1.1 billion"
    )
