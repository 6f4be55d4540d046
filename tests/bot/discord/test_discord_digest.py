"""The weekly digest on Discord: one message within Discord's limits, posted once per channel and
period by the schedule or by `finnews digest --post --to discord`."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from discord_fake import DEALS, RANDOM, TOKEN, too_big
from typer.testing import CliRunner

from bot.chat.port import Reply
from bot.cli.main import app as cli
from bot.discord.embeds import EMBED_TOTAL, size
from bot.discord.render import render
from bot.reports.digest import build
from bot.reports.periods import Period, zone
from bot.reports.schedule import Claims, DigestSchedule, digest_job
from index.deals.store import ArticleInfo
from index.records import Deal

pytest_plugins = ["discord_fake"]

WEEK = Period.ending(date(1987, 3, 8), 7, zone("UTC"))  # 2 to 8 March 1987
MONDAY = datetime(1987, 3, 2, 15, 0, tzinfo=UTC)
POST = "POST /channels/{channel_id}/messages"
KINDS = ("bond", "loan", "offering", "buyback")


def week_of(finnews, count: int, evidence_words: int = 10):
    """The week's digest with `count` deals (the n-th worth n million dollars)."""
    finnews.deals.replace(
        [
            (
                ArticleInfo(
                    f"a{n}",
                    f"Headline {n} " + "y" * 120,
                    "Reuters",
                    f"https://x.example/{n}",
                    MONDAY + timedelta(seconds=n),
                ),
                [
                    Deal(
                        f"a{n}",
                        f"Company {n} Inc",
                        KINDS[n % 4],
                        n * 1e6,
                        "USD",
                        evidence=f"Company {n} Inc is raising money"
                        + " and more" * evidence_words
                        + ".",
                    )
                ],
            )
            for n in range(1, count + 1)
        ]
    )
    return build(finnews.deals, WEEK)


def test_a_week_of_300_deals_lists_what_fits_and_counts_the_rest(finnews):
    message = render(Reply(week_of(finnews, 300, evidence_words=60)))
    assert too_big(message) is None and size(message["embeds"]) <= EMBED_TOTAL
    head = message["embeds"][0]
    assert head["title"] == "Financing digest: 2 to 8 March 1987"
    rows = head["description"].count("• **Company")
    assert 5 <= rows <= 10
    assert f"… and {300 - rows} more: `finnews deals --since 1987-03-02" in head["description"]
    shown = json.dumps(message)
    assert "Top stories" in shown and "Company 300 Inc is raising" in shown  # the largest bond


def test_a_quiet_week_says_so_in_one_line(finnews):
    message = render(Reply(week_of(finnews, 0)))
    assert message["content"].startswith("No financing news this week (2 to 8 March 1987")


def test_the_schedule_posts_in_discord_channels_once_whatever_the_replicas(
    finnews, run_discord, discord_api, tmp_path
):
    week_of(finnews, 3)
    bot = run_discord()
    digest = replace(finnews.settings.digest, channels=(DEALS, RANDOM))
    claims = Claims(finnews.database)
    wednesday = datetime(1987, 3, 4, 12, 0, tzinfo=UTC)
    replicas = [
        DigestSchedule(
            digest.cron, zone("UTC"), digest_job(digest, finnews, bot.bot.outbox, claims), wednesday
        )
        for _ in range(2)
    ]
    monday_nine = datetime(1987, 3, 9, 9, 0, tzinfo=UTC)
    assert replicas[0].tick(monday_nine) is not None
    assert replicas[1].tick(monday_nine + timedelta(seconds=3)) is not None  # posts nothing
    posts = discord_api.of(POST)
    assert [p.params["channel_id"] for p in posts] == [DEALS, RANDOM]
    head = posts[0].body["embeds"][0]
    assert head["title"] == "Financing digest: 2 to 8 March 1987"
    assert (
        "• **Company 3 Inc** · buyback · USD 3 million · 1987\\-03\\-02 · \\[1\\]"
        in (head["description"])
    )


def test_cli_posts_the_digest_to_discord_from_a_cron_job(finnews, discord_api):
    week_of(finnews, 3)
    env = {
        "FINNEWS_DATA_DIR": str(finnews.settings.data_dir),
        "FINNEWS_EMBEDDER": "hashing",
        "FINNEWS_DISCORD_BOT_TOKEN": TOKEN,
        "FINNEWS_DISCORD_API_URL": discord_api.api_url,
        "FINNEWS_DISCORD_DIGEST_CHANNELS": f'["{DEALS}"]',
    }
    args = ["digest", "--until", "1987-03-08", "--post", "--to", "discord"]
    runner = CliRunner()
    first = runner.invoke(cli, args, env=env)
    assert first.output == f"{DEALS}: posted\n", first.output
    assert runner.invoke(cli, args, env=env).output == f"{DEALS}: already posted\n"
    [post] = discord_api.of(POST)
    assert post.params == {"channel_id": DEALS}
    assert not discord_api.of("GET /gateway/bot")  # REST only
