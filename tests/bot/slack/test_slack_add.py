"""Articles added from Slack: `/finnews add <url>` and links shared in auto-ingest channels."""

from __future__ import annotations

import json

import pytest
from news_site import article
from slack_fake import command, envelope, message

from bot.chat import replies
from bot.core import open_finnews
from bot.settings import Settings
from bot.slack.links import command_url
from index.embed.embedders import HashingEmbedder

pytest_plugins = ["slack_fake", "news_site"]

PARAGRAPHS = [
    "Veldmark Telecom, the fictional mobile operator, agreed a $1.4 billion term loan with a "
    "group of nine banks on Friday to refinance bonds that fall due next spring.",
    "The five-year loan pays 185 basis points over the benchmark rate, people familiar with the "
    "deal said. Arden Crowe Bank coordinated the lenders.",
]
TITLE = "Veldmark Telecom signs $1.4 billion term loan"


@pytest.fixture
def news_core(tmp_path):
    """An empty core of this test's own, fetching without a politeness wait."""
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path / "news",
        embedder="hashing",
        fetch_politeness=0.0,
        fetch_timeout=2.0,
    )
    return open_finnews(settings, HashingEmbedder())


def test_slash_add_ingests_the_article_and_replies_privately_with_title_and_outlet(
    start, fake, site, news_core
):
    url = site.serve("/deals/veldmark-loan", article(TITLE, PARAGRAPHS, outlet="Quay Street Wire"))
    bot = start(http=True, finnews=news_core, fetch_private_hosts=True)
    status, body = bot.form(command(f"add <{url}>", fake.response_url()))
    assert status == 200 and json.loads(body) == {
        "text": f"Reading {url} …",
        "response_type": "ephemeral",
    }
    [reply] = fake.wait("response_url")
    assert reply.body["response_type"] == "ephemeral"
    assert reply.body["text"] == f"Added: *{TITLE}* (Quay Street Wire)"
    assert news_core.stats().articles == 1
    bot.form(command(f"add {url}", fake.response_url("again")))
    again = fake.wait("response_url", 2)[1]
    assert again.body["text"] == f"Already indexed: *{TITLE}* (Quay Street Wire)"


def test_slash_add_of_a_page_that_cannot_be_read_replies_with_the_reason(
    start, fake, site, news_core
):
    bot = start(http=True, finnews=news_core, fetch_private_hosts=True)
    bot.form(command(f"add {site.url('/deals/missing')}", fake.response_url()))
    [reply] = fake.wait("response_url")
    assert reply.body["text"] == f"Not added: {site.url('/deals/missing')}: HTTP 404 Not Found"


def test_slash_add_refuses_private_addresses_by_default(start, fake, site, news_core):
    url = site.serve("/deals/veldmark-loan", article(TITLE, PARAGRAPHS))
    bot = start(http=True, finnews=news_core)
    bot.form(command(f"add {url}", fake.response_url()))
    [reply] = fake.wait("response_url")
    assert reply.body["text"] == f"Not added: {url}: 127.0.0.1 is a private or local address"
    assert site.hits == []


def test_slash_add_counts_against_the_rate_limit(start, fake, site, news_core):
    url = site.serve("/deals/veldmark-loan", article(TITLE, PARAGRAPHS))
    bot = start(http=True, finnews=news_core, fetch_private_hosts=True, slack_rate_limit=1)
    bot.form(command(f"add {url}", fake.response_url("1")))
    bot.form(command(f"add {url}", fake.response_url("2")))
    first, second = fake.wait("response_url", 2)
    assert first.body["text"].startswith("Added: ") and second.body["text"] == replies.SLOW_DOWN
    assert len(site.of("/deals/veldmark-loan")) == 1


def test_slash_add_without_an_address_shows_how_to_use_it(start, fake):
    bot = start(http=True)
    for text in ("add", "add not-a-url"):
        status, body = bot.form(command(text, fake.response_url()))
        assert json.loads(body)["text"] == replies.ADD_USAGE


def test_slash_add_of_a_syndicated_copy_says_which_article_it_copies(start, fake, site, news_core):
    first = site.serve("/wire/veldmark", article(TITLE, PARAGRAPHS, outlet="Quay Street Wire"))
    copy = site.serve(
        "/partner/veldmark", article("Veldmark loan", PARAGRAPHS, outlet="Oster Post")
    )
    bot = start(http=True, finnews=news_core, fetch_private_hosts=True)
    bot.form(command(f"add {first}", fake.response_url("1")))
    bot.form(command(f"add {copy}", fake.response_url("2")))
    second = fake.wait("response_url", 2)[1]
    assert second.body["text"] == (
        f"Same text as *{TITLE}* (Quay Street Wire), which is "
        "already indexed; this address is linked to it."
    )


def test_links_shared_in_an_auto_ingest_channel_are_ingested(start, fake, site, news_core):
    url = site.serve("/deals/veldmark-loan", article(TITLE, PARAGRAPHS))
    other = site.serve("/deals/elsewhere", article("Another story", PARAGRAPHS[::-1]))
    bot = start(finnews=news_core, fetch_private_hosts=True, slack_auto_ingest_channels=["C0NEWS"])
    chatter = message(
        f"look <{other}>", "1790005000.000100", channel="C0TALK", channel_type="channel"
    )
    shared = message(
        f"Veldmark deal: <{url}|Quay Street Wire>",
        "1790005000.000200",
        channel="C0NEWS",
        channel_type="channel",
    )
    bot.dispatch(envelope(chatter, "Ev500"))
    bot.dispatch(envelope(shared, "Ev501"))
    [reaction] = fake.wait("reactions.add")  # one worker: the chatter was handled before
    assert reaction.body == {
        "channel": "C0NEWS",
        "timestamp": "1790005000.000200",
        "name": "newspaper",
    }
    assert news_core.stats().articles == 1
    assert site.of("/deals/elsewhere") == []
    assert fake.of("chat.postMessage") == []  # ingesting is silent apart from the reaction


def test_command_url_reads_plain_and_marked_up_links():
    assert command_url("https://a.example/x?a=1&amp;b=2") == "https://a.example/x?a=1&b=2"
    assert command_url("<https://a.example/x|a.example/x>") == "https://a.example/x"
    assert command_url("a.example/x") is None
