"""The weekly digest: content, Slack's limits, posting once per channel and period, CLI, Slack."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from slack_fake import TOKEN
from slack_fake import command as command_form
from typer.testing import CliRunner

from bot.chat import replies
from bot.cli.main import app as cli
from bot.reports.digest import NOTHING, build, render_text
from bot.reports.periods import Period, zone
from bot.reports.schedule import Claims, post_digest
from bot.settings import Settings
from bot.slack.digest_blocks import digest_blocks, digest_fallback
from bot.slack.outbox import open_outbox
from index.database import open_database
from index.deals.store import ArticleInfo
from index.errors import UsageError
from index.records import Deal

pytest_plugins = ["slack_fake"]

UTC_ZONE = zone("UTC")
WEEK = Period.ending(date(1987, 3, 8), 7, UTC_ZONE)  # 2 to 8 March 1987
MONDAY = datetime(1987, 3, 2, 15, 0, tzinfo=UTC)


def info(n: int, when: datetime = MONDAY) -> ArticleInfo:
    return ArticleInfo(f"a{n}", f"Headline {n}", "Reuters", f"https://x.example/{n}", when)


def deal(n: int, company: str, kind: str = "bond", amount: float | None = 1e8) -> Deal:
    return Deal(
        f"a{n}",
        company,
        kind,
        amount,
        "USD",
        evidence=f"{company} is raising {amount} dlrs, said report {n}.",
    )


@pytest.fixture
def week(finnews):
    """A store with one deal reported twice, another deal, an article without a deal, and a
    deal from the following week."""
    finnews.deals.replace(
        [
            (info(1), [deal(1, "Texaco Inc", "loan", 5e9)]),
            (info(2, MONDAY + timedelta(days=1)), [deal(2, "TEXACO", "loan", 5e9)]),
            (
                info(3, MONDAY + timedelta(days=2)),
                [deal(3, "Fieldcrest Cannon Inc", "convertible")],
            ),
            (info(4), []),
            (info(5, MONDAY + timedelta(days=7)), [deal(5, "Chrysler Financial Corp")]),
        ]
    )
    return finnews


def test_digest_lists_each_deal_once_with_all_its_sources(week):
    digest = build(week.deals, WEEK)
    assert (digest.articles, len(digest.stories)) == (4, 2)
    text = render_text(digest)
    assert text.startswith("Financing digest, 2 to 8 March 1987: 4 articles, 2 deals\n")
    assert text.count("Texaco Inc") == 2  # its table row and its quoted sentence, nothing more
    assert "USD 5 billion" in text and "[1][2]" in text
    assert (
        "Texaco Inc is raising 5000000000.0 dlrs, said report 1. [1] Also reported in [2]." in text
    )
    assert "Chrysler" not in text
    assert " [3] Headline 3 — Reuters, 1987-03-04" in text


def test_empty_week_says_no_financing_news_rather_than_posting_nothing(finnews):
    digest = build(finnews.deals, WEEK)
    assert digest.empty
    assert render_text(digest).startswith(NOTHING)
    [block] = digest_blocks(digest)
    assert block["text"]["text"].startswith(NOTHING)
    assert digest_fallback(digest).startswith(NOTHING)
    assert "0 articles indexed" in render_text(digest)


def test_an_empty_week_with_one_article_counts_it_in_the_singular(finnews):
    finnews.deals.replace([(info(1, MONDAY), [])])
    digest = build(finnews.deals, WEEK)
    assert digest.empty and digest.articles == 1
    assert "; 1 article indexed)." in render_text(digest)


def many_deals(finnews, count: int):
    finnews.deals.replace(
        [
            (info(n, MONDAY + timedelta(seconds=n)), [deal(n, f"Company {n} Inc", amount=n * 1e6)])
            for n in range(1, count + 1)
        ]
    )
    return build(finnews.deals, WEEK)


def rows_and_rest(shown: list[dict]) -> tuple[int, int]:
    """Table rows shown, and the count of the others that the message gives."""
    sections = [b["text"]["text"] for b in shown if b["type"] == "section"]
    assert len(shown) <= 50 and all(len(t) <= 3000 for t in sections)
    text = "\n".join(sections)
    more = text.split("… and ")[1].split(" more")[0] if "… and " in text else "0"
    return text.count("• *Company"), int(more.replace(",", ""))


def test_a_busy_week_lists_its_ten_largest_deals_and_says_how_to_see_the_rest(finnews):
    digest = many_deals(finnews, 300)
    assert len(digest.stories) == 300
    shown = digest_blocks(digest)
    rows, rest = rows_and_rest(shown)
    assert (rows, rest) == (10, 290)
    text = json.dumps(shown, ensure_ascii=False)
    table = text.split("Largest deals (sizes compared in USD at fixed rates of 1 January 2025)")[1]
    assert table.index("Company 300 Inc") < table.index("Company 299 Inc")  # largest first
    assert "Company 290 Inc" not in table.split("… and")[0]  # the 11th largest is counted
    assert "`finnews deals --since 1987-03-02 --until 1987-03-08`" in text
    assert "By kind: 300 bond and note issues." in text
    # Sources are numbered in the order shown: the largest deal's article is [1].
    assert "[1] <https://x.example/300|" in text


def test_a_table_longer_than_fifty_blocks_is_cut_to_fit(finnews):
    digest = many_deals(finnews, 1500)
    shown = digest_blocks(digest, max_rows=10_000)
    rows, rest = rows_and_rest(shown)
    assert 40 < rows < 1500 and rows + rest == 1500
    assert shown[-1]["text"]["text"].startswith(("*Sources*", "["))  # sources still end it


def slack_settings(finnews, fake) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=finnews.settings.data_dir,
        embedder="hashing",
        slack_bot_token=TOKEN,
        slack_api_url=fake.api_url,
    )


def test_digest_is_posted_once_per_channel_and_period(week, fake, database, database_url):
    outbox = open_outbox(slack_settings(week, fake).slack, backoff=0.01)
    digest = build(week.deals, WEEK)
    first = post_digest(digest, ["C0DEALS", "C0BONDS"], outbox, Claims(database))
    assert [(o.channel, o.result) for o in first] == [("C0DEALS", "posted"), ("C0BONDS", "posted")]
    another = Claims(open_database(database_url))  # another replica
    again = post_digest(digest, ["C0DEALS"], outbox, another)
    assert [(o.channel, o.result) for o in again] == [("C0DEALS", "already posted")]
    posts = fake.of("chat.postMessage")
    assert [p.body["channel"] for p in posts] == ["C0DEALS", "C0BONDS"]
    blocks = posts[0].body["blocks"]
    assert blocks[0]["text"]["text"] == "Financing digest: 2 to 8 March 1987"
    assert "*Texaco Inc* · loan · USD 5 billion · 1987-03-02 · [1][2]" in json.dumps(
        blocks, ensure_ascii=False
    )


def test_a_failed_post_is_retried_by_the_next_run(week, fake, tmp_path):
    outbox = open_outbox(slack_settings(week, fake).slack, backoff=0.01)
    claims = Claims(week.database)
    digest = build(week.deals, WEEK)
    fake.fail("chat.postMessage", 500, times=4)  # every retry of the first run
    assert [o.result for o in post_digest(digest, ["C0DEALS"], outbox, claims)] == ["failed"]
    assert claims.state("C0DEALS", WEEK.key) == "failed"
    assert [o.result for o in post_digest(digest, ["C0DEALS"], outbox, claims)] == ["posted"]
    assert len(fake.of("chat.postMessage")) == 1


def cli_env(finnews, **extra: str) -> dict[str, str]:
    return {
        "FINNEWS_DATA_DIR": str(finnews.settings.data_dir),
        "FINNEWS_EMBEDDER": "hashing",
        **extra,
    }


def test_cli_digest_of_a_past_week_and_its_post_from_a_cron_job(week, fake):
    runner = CliRunner()
    shown = runner.invoke(
        cli, ["digest", "--days", "7", "--until", "1987-03-08"], env=cli_env(week)
    )
    assert shown.exit_code == 0, shown.output
    assert "Financing digest, 2 to 8 March 1987: 4 articles, 2 deals" in shown.output
    env = cli_env(
        week,
        FINNEWS_SLACK_BOT_TOKEN=TOKEN,
        FINNEWS_SLACK_API_URL=fake.api_url,
        FINNEWS_DIGEST_CHANNELS='["C0DEALS"]',
    )
    args = ["digest", "--until", "1987-03-08", "--post"]
    assert runner.invoke(cli, args, env=env).output == "C0DEALS: posted\n"
    assert runner.invoke(cli, args, env=env).output == "C0DEALS: already posted\n"
    assert len(fake.of("chat.postMessage")) == 1


def test_cli_deals_table_filters_by_company_and_kind(week):
    runner = CliRunner()
    result = runner.invoke(
        cli, ["deals", "--company", "texaco", "--kind", "loan", "--json"], env=cli_env(week)
    )
    assert result.exit_code == 0, result.output
    # One loan told twice (as "Texaco Inc" and "TEXACO"): one deal citing both articles.
    [loan] = json.loads(result.output)
    assert (loan["company"], loan["date"], loan["amount"]) == ("Texaco Inc", "1987-03-02", 5e9)
    assert [s["date"] for s in loan["sources"]] == ["1987-03-02", "1987-03-03"]
    bad = runner.invoke(cli, ["deals", "--kind", "warrant"], env=cli_env(week))
    assert isinstance(bad.exception, UsageError)


def test_slash_digest_shows_a_past_week_privately(start, fake):
    bot = start(http=True)
    status, body = bot.form(command_form("digest 2026-11-08 30d", fake.response_url("digest")))
    assert status == 200 and json.loads(body)["text"] == replies.BUILDING
    [reply] = fake.wait("response_url")
    assert reply.body["response_type"] == "ephemeral"
    header = reply.body["blocks"][0]["text"]["text"]
    assert header == "Financing digest: 10 October to 8 November 2026"
    text = json.dumps(reply.body["blocks"])
    assert "Tessaly Foods" in text and "Brindlewood Robotics" in text


def test_slash_digest_with_a_bad_date_says_why(start, fake):
    bot = start(http=True)
    bot.form(command_form("digest last-week", fake.response_url("bad")))
    [reply] = fake.wait("response_url")
    assert "Not a date or a number of days" in reply.body["text"]


def test_scheduled_digest_is_posted_at_its_time_and_a_replica_posts_nothing(week, fake):
    from bot.reports.schedule import DigestSchedule, digest_job

    settings = Settings(
        _env_file=None,
        data_dir=week.settings.data_dir,
        embedder="hashing",
        slack_bot_token=TOKEN,
        slack_api_url=fake.api_url,
        digest_channels=["C0DEALS"],
        digest_timezone="America/New_York",
    )
    tz = zone("America/New_York")
    wednesday = datetime(1987, 3, 4, 12, 0, tzinfo=UTC)
    replicas = [
        DigestSchedule(
            settings.digest.cron,
            tz,
            digest_job(
                settings.digest, week, open_outbox(settings.slack, 0.01), Claims(week.database)
            ),
            wednesday,
        )
        for _ in range(2)
    ]
    monday_nine = datetime(1987, 3, 9, 14, 0, tzinfo=UTC)  # 09:00 in New York
    assert replicas[0].tick(monday_nine - timedelta(minutes=1)) is None
    assert replicas[0].tick(monday_nine) is not None
    assert replicas[1].tick(monday_nine + timedelta(seconds=3)) is not None  # fires, posts nothing
    [post] = fake.of("chat.postMessage")
    assert post.body["channel"] == "C0DEALS"
    assert post.body["blocks"][0]["text"]["text"] == "Financing digest: 2 to 8 March 1987"


def test_deals_are_ranked_by_size_across_currencies_and_acquisitions_kept_apart(finnews):
    def sized(n: int, company: str, kind: str, amount: float, currency: str, **more) -> Deal:
        return Deal(f"a{n}", company, kind, amount, currency, evidence=f"{company} news.", **more)

    finnews.deals.replace(
        [
            (info(1), [sized(1, "Yen Co", "bond", 100e9, "JPY")]),  # about USD 640 million
            (info(2), [sized(2, "Dollar Co", "loan", 900e6, "USD")]),
            (info(3), [sized(3, "Euro Co", "funding", 1e9, "EUR")]),  # about USD 1.04 billion
            (info(4), [sized(4, "Buyer Co", "acquisition", 5e9, "USD", target="Target Co")]),
        ]
    )
    text = render_text(build(finnews.deals, WEEK))
    table = text.split("Deals (sizes compared in USD at fixed rates of 1 January 2025)")[1]
    table = table.split("\n\n")[0]
    assert table.index("Euro Co") < table.index("Dollar Co") < table.index("Yen Co")
    assert "EUR 1 billion" in table and "JPY 100 billion" in table  # shown as stated
    assert "Buyer Co" not in table
    assert "Buyer Co buys Target Co for USD 5 billion" in text
    assert (
        "By kind: 1 bond or note issue, 1 loan or facility, 1 funding round, 1 acquisition." in text
    )
    assert "… and" not in text  # all four fit: nothing to count


def test_a_week_whose_financing_stories_gave_no_deal_lists_them_instead(finnews):
    finnews.deals.replace(
        [
            (ArticleInfo("a1", "Velo.ai in talks over Series B", "Wire", None, MONDAY), []),
            (ArticleInfo("a2", "Rain expected in Leeds", "Wire", None, MONDAY), []),
        ]
    )
    text = render_text(build(finnews.deals, WEEK))
    assert text.startswith("No deal could be read from this week's financing stories")
    assert " • Velo.ai in talks over Series B [1]" in text and "Leeds" not in text
    assert " [1] Velo.ai in talks over Series B — Wire, 1987-03-02" in text
    blocks = json.dumps(digest_blocks(build(finnews.deals, WEEK)), ensure_ascii=False)
    assert "Velo.ai in talks over Series B" in blocks and "Leeds" not in blocks
