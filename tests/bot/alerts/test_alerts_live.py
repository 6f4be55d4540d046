"""Watchlist alerts end to end: a feed on the local news site gains items, `finnews watch
--once` ingests them, and the fake Slack and the fake Discord receive what the watches ask for."""

from __future__ import annotations

import json

import pytest
from discord_fake import DEALS
from discord_fake import TOKEN as DISCORD_TOKEN
from news_site import article, rss
from slack_fake import TOKEN as SLACK_TOKEN
from typer.testing import CliRunner

from bot.cli.main import app

pytest_plugins = ["news_site", "slack_fake", "discord_fake"]

SLACK_CHANNEL = "C0DEALS01"
POST = "POST /channels/{channel_id}/messages"
PATCH = "PATCH /channels/{channel_id}/messages/{message_id}"
BOND = (
    "Halvorsen Wind to raise €600 million with debut green bond",
    [
        "Halvorsen Wind ASA is raising €600 million through its first green bond, a ten-year "
        "senior unsecured issue that carries a 3.875% annual coupon and matures in 2036.",
        "Proceeds will finance the 480-megawatt Skarvik offshore wind farm, which the "
        "Bergen-based developer expects to connect to the grid in 2028.",
    ],
)
BOND_AGAIN = (
    "Halvorsen Wind sells €600 million green bond",
    [
        "Halvorsen Wind ASA sold €600 million of green bonds on Thursday, its first issue in "
        "the format, with a 3.875% coupon, bankers on the deal said.",
        "Orders topped €2 billion, according to the bookrunners.",
    ],
)
OTHER = (
    "Tidewell Robotics raises $45 million in Series B round",
    [
        "Tidewell Robotics Inc raised $45 million in a Series B funding round led by Harbor "
        "Ventures, the warehouse-robot maker said on Friday.",
        "The company will use the money to open a factory in Ohio.",
    ],
)
LOAN = (
    "Halvorsen Wind signs €250 million loan for Skarvik cable",
    [
        "Halvorsen Wind ASA has signed a €250 million term loan with Norland Bank to pay for "
        "the export cable of its Skarvik offshore wind farm.",
        "The loan matures in 2033.",
    ],
)


class Newsroom:
    """The site's feed, grown item by item, and `finnews` run against the fakes."""

    def __init__(self, site, slack, discord, tmp_path) -> None:
        self.site, self.items = site, []
        self.env = {
            "FINNEWS_DATA_DIR": str(tmp_path / "data"),
            "FINNEWS_EMBEDDER": "hashing",
            "FINNEWS_FETCH_POLITENESS": "0",
            "FINNEWS_FEEDS": json.dumps([site.url("/rss")]),
            "FINNEWS_SLACK_BOT_TOKEN": SLACK_TOKEN,
            "FINNEWS_SLACK_API_URL": slack.api_url,
            "FINNEWS_DISCORD_BOT_TOKEN": DISCORD_TOKEN,
            "FINNEWS_DISCORD_API_URL": discord.api_url,
            "FINNEWS_ALERT_COOLDOWN": "0",
        }

    def run(self, *args: str):
        result = CliRunner().invoke(app, list(args), env=self.env)
        assert result.exit_code == 0, (result.output, result.exception)
        return result

    def publish(self, path: str, story: tuple[str, list[str]], outlet: str, date: str) -> None:
        title, paragraphs = story
        link = self.site.serve(path, article(title, paragraphs, outlet=outlet, date=date))
        self.items.append((f"tag:{path}", link, title))
        self.site.serve("/rss", rss(self.items), kind="application/rss+xml")
        self.run("watch", "--once")


@pytest.fixture
def newsroom(site, fake, discord_api, tmp_path) -> Newsroom:
    return Newsroom(site, fake, discord_api, tmp_path)


def test_a_watched_company_is_alerted_once_per_story_and_removing_the_watch_stops_it(
    newsroom, fake, discord_api
):
    newsroom.run("alerts", "add", "Halvorsen Wind", "--channel", f"slack:{SLACK_CHANNEL}")
    newsroom.run("alerts", "add", "Halvorsen Wind", "--channel", f"discord:{DEALS}")

    newsroom.publish("/bond", BOND, "Capital Wire", "2026-09-21T08:00:00Z")
    [posted] = fake.of("chat.postMessage")
    assert posted.body["channel"] == SLACK_CHANNEL
    shown = json.dumps(posted.body["blocks"], ensure_ascii=False)
    assert "Halvorsen Wind ASA · bond · EUR 600 million · 2026-09-21" in shown
    assert "Halvorsen Wind ASA is raising €600 million through its first green bond" in shown
    assert "[1]" in shown and "Capital Wire" in shown and "Reply in this thread" in shown
    [sent] = discord_api.of(POST)
    assert sent.params["channel_id"] == DEALS
    embed = sent.body["embeds"][0]
    assert embed["title"].startswith("Halvorsen Wind ASA · bond · EUR 600 million")
    assert (
        "\\[1\\]" in embed["fields"][0]["value"] and "Capital Wire" in embed["fields"][0]["value"]
    )

    newsroom.publish("/bond-again", BOND_AGAIN, "Quay Street Wire", "2026-09-22T08:00:00Z")
    assert len(fake.of("chat.postMessage")) == 1 and len(discord_api.of(POST)) == 1
    [updated] = fake.of("chat.update")
    assert updated.body["channel"] == SLACK_CHANNEL and updated.body["ts"]
    both = json.dumps(updated.body["blocks"], ensure_ascii=False)
    assert "Capital Wire" in both and "Quay Street Wire" in both
    [patched] = discord_api.of(PATCH)
    assert "Quay Street Wire" in patched.body["embeds"][0]["fields"][0]["value"]

    newsroom.publish("/tidewell", OTHER, "Capital Wire", "2026-09-23T08:00:00Z")
    assert len(fake.of("chat.postMessage")) == 1 and len(discord_api.of(POST)) == 1

    listed = newsroom.run("alerts", "list").output
    assert f"slack:{SLACK_CHANNEL}  Halvorsen Wind (a company): 1 posted" in listed
    newsroom.run("alerts", "remove", "Halvorsen Wind", "--channel", f"slack:{SLACK_CHANNEL}")
    newsroom.run("alerts", "remove", "Halvorsen Wind", "--channel", f"discord:{DEALS}")
    newsroom.publish("/loan", LOAN, "Capital Wire", "2026-09-24T08:00:00Z")
    assert len(fake.of("chat.postMessage")) == 1 and len(discord_api.of(POST)) == 1
