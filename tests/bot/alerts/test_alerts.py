"""Watches and alerts over a real core (hashing embedder), a real alert store and the fake
Slack Web API: matching, cool-down, cap, fire-once, persistence, retries, commands."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr
from slack_fake import TOKEN
from sqlalchemy import select
from typer.testing import CliRunner

from bot.alerts.commands import Watchlist
from bot.alerts.dispatch import Alerter, attach
from bot.alerts.matching import Matcher
from bot.alerts.store import AlertStore
from bot.alerts.watches import Wanted, read, target
from bot.chat.ledger import open_ledger
from bot.cli.main import app
from bot.database import database_url as url_of
from bot.slack.outbox import open_outbox
from index.database import open_database
from index.database.tables import answers
from index.errors import UsageError
from index.records import Article

pytest_plugins = ["slack_fake"]

CHANNEL = "C0DEALS01"
WHERE = f"slack:{CHANNEL}"


def story(n: int, text: str, title: str, source: str = "Capital Wire", day: int = 21) -> Article:
    return Article(
        f"art{n}",
        title,
        text,
        f"https://news.example/{n}",
        source,
        datetime(2026, 9, day, 8, tzinfo=UTC),
    )


BOND = story(
    1,
    "Halvorsen Wind ASA is raising €600 million through its first green bond, a ten-year "
    "senior unsecured issue that carries a 3.875% annual coupon.",
    "Halvorsen Wind to raise €600 million with debut green bond",
)
IBM = story(
    2,
    "International Business Machines Corp said it sold $2 billion of 10-year notes on "
    "Tuesday to refinance debt.",
    "International Business Machines sells $2 billion of notes",
)
HIRE = story(
    3,
    "Halvorsen Wind named Ingrid Dahl as chief financial officer on Monday, replacing a "
    "finance chief who retired after twelve years.",
    "Halvorsen Wind names new finance chief",
)
SOLAR = story(
    4,
    "Offshore wind farms in the North Sea are taking longer to connect to the grid, "
    "developers said, as cable makers run short of capacity.",
    "Grid delays slow North Sea offshore wind farms",
)


@pytest.fixture
def slack_port(fake):
    from bot.settings import Settings

    settings = Settings(_env_file=None, slack_bot_token=TOKEN, slack_api_url=fake.api_url)
    return open_outbox(settings.slack, backoff=0.01)


@pytest.fixture
def alerter(finnews, slack_port, settings):
    """The core's alerter, posting to the fake Slack, no cool-down, a cap of 20."""
    finnews.settings = settings.model_copy(update={"alert_cooldown": 0.0})
    return attach(finnews, {"slack": slack_port}, open_ledger(finnews.database))


def watch(alerter: Alerter, name: str, channel: str = WHERE) -> None:
    Watchlist(alerter.store).add(channel, name, "U1")


def test_watch_text_reads_as_company_kind_or_topic():
    assert read("Halvorsen Wind ASA").kind == "company"
    assert read("Halvorsen Wind ASA").key == "company:halvorsen wind"
    assert read("convertibles") == Wanted("convertibles", "kind", "kind:convertible")
    assert read("green bonds in Asia").kind == "topic"
    assert read("topic: Green Bonds").key == "topic:green bonds"
    assert read("company: tesla").key == "company:tesla"
    with pytest.raises(UsageError):
        read("   ")
    assert target("slack:C0123ABCD") == "slack:C0123ABCD"
    with pytest.raises(UsageError, match="the channel's ID"):
        target("slack:#deals")


def test_company_watch_matches_legal_forms_short_names_and_acronyms(finnews, alerter, fake):
    watch(alerter, "Halvorsen Wind")  # the deal names "Halvorsen Wind ASA"
    watch(alerter, "IBM")  # the deal names "International Business Machines Corp"
    watch(alerter, "Tidewell")
    finnews.ingest([BOND, IBM])
    posts = fake.of("chat.postMessage")
    heads = sorted(json.dumps(p.body["blocks"], ensure_ascii=False).split("*")[1] for p in posts)
    assert heads == [
        "Halvorsen Wind ASA · bond · EUR 600 million · 2026-09-21",
        "International Business Machines Corp · bond · USD 2 billion · 2026-09-21",
    ]


def test_a_story_without_a_deal_matches_the_company_it_names(finnews, alerter, fake):
    watch(alerter, "Halvorsen Wind")
    finnews.ingest([HIRE])
    [post] = fake.of("chat.postMessage")
    shown = json.dumps(post.body["blocks"], ensure_ascii=False)
    assert "Halvorsen Wind names new finance chief" in shown
    assert "named Ingrid Dahl as chief financial officer" in shown and "[1]" in shown


def test_a_kind_watch_matches_deals_of_that_kind_only(finnews, alerter, fake):
    watch(alerter, "bonds")
    finnews.ingest([HIRE, BOND])
    [post] = fake.of("chat.postMessage")
    assert "Halvorsen Wind ASA · bond" in json.dumps(post.body["blocks"], ensure_ascii=False)


def test_a_topic_matches_by_the_cosine_of_its_vector_and_the_chunks(finnews, settings, fake):
    matcher = Matcher(finnews.deals, finnews.store, finnews.embedder, 0.3)
    store = AlertStore(finnews.database)
    Watchlist(store).add(WHERE, "topic: offshore wind farms grid", "U1")
    Watchlist(store).add(WHERE, "topic: biotech vaccine trials", "U1")
    finnews.ingest([SOLAR, IBM])
    added = [(SOLAR, []), (IBM, [])]
    found = matcher.match(added, store.watches())
    assert [(f.watch.name, f.story.articles[0].id) for f in found] == [
        ("offshore wind farms grid", "art4")
    ]
    assert "Offshore wind farms in the North Sea" in found[0].quotes[0][0]


def test_cool_down_holds_a_second_story_of_the_same_watch(finnews, alerter, fake):
    alerter.settings = replace(alerter.settings, cooldown=3600.0)
    watch(alerter, "Halvorsen Wind")
    finnews.ingest([BOND])
    finnews.ingest([HIRE])
    assert len(fake.of("chat.postMessage")) == 1
    [(row, tally)] = Watchlist(alerter.store).listing(WHERE)
    assert (tally.posted, tally.held) == (1, 1)


def test_the_daily_cap_holds_alerts_beyond_it_in_a_channel(finnews, alerter, fake):
    alerter.settings = replace(alerter.settings, daily_cap=1)
    watch(alerter, "Halvorsen Wind")
    watch(alerter, "IBM")
    finnews.ingest([BOND, IBM])
    assert len(fake.of("chat.postMessage")) == 1
    tallies = [t for _, t in Watchlist(alerter.store).listing(WHERE)]
    assert sorted((t.posted, t.held) for t in tallies) == [(0, 1), (1, 0)]


def test_an_alert_fires_once_across_replicas_and_restarts(
    finnews, slack_port, fake, settings, database_url
):
    # Three replicas (each its own engine on the shared database, SQLite or PostgreSQL) are
    # handed the same new article at the same moment: one posts.
    finnews.settings = settings.model_copy(update={"database_url": SecretStr(database_url)})
    Watchlist(AlertStore(finnews.database)).add(WHERE, "Halvorsen Wind", "U1")
    finnews.ingest([BOND])
    matcher = Matcher(finnews.deals, finnews.store, finnews.embedder, 0.4)
    replicas = [
        Alerter(AlertStore(open_database(database_url)), matcher, {"slack": slack_port}, alerts)
        for alerts in [finnews.settings.alerts] * 3
    ]
    added = [(BOND, finnews.deals.deals(company="Halvorsen"))]
    start, outcomes = threading.Barrier(3), []

    def run(replica: Alerter) -> None:
        start.wait()
        outcomes.extend(o.result for o in replica.on_added(added))

    threads = [threading.Thread(target=run, args=(r,)) for r in replicas]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already", "already", "posted"]
    assert len(fake.of("chat.postMessage")) == 1
    restarted = AlertStore(open_database(database_url))
    assert [w.name for w in restarted.watches(WHERE)] == ["Halvorsen Wind"]
    assert restarted.claim(1, WHERE, "art1", ["art1"], {}, 0.0) is None
    assert replicas[0].on_added(added)[0].result == "already"  # and again after a restart
    for store in [restarted] + [r.store for r in replicas]:
        store.database.dispose()


def test_a_failing_post_is_retried_then_given_up_and_reported(finnews, alerter, fake, caplog):
    watch(alerter, "Halvorsen Wind")
    fake.fail("chat.postMessage", 500, times=100)
    finnews.ingest([BOND])
    [(_, tally)] = Watchlist(alerter.store).listing(WHERE)
    assert tally.failing == 1 and tally.last_error
    alerter.on_added([])  # the next ingest tries again
    with caplog.at_level("ERROR", logger="finnews.alerts"):
        alerter.on_added([])
    [(_, tally)] = Watchlist(alerter.store).listing(WHERE)
    assert (tally.posted, tally.failing, tally.gave_up) == (0, 0, 1)
    assert "not posted after 3 tries" in caplog.text


def test_the_alert_is_in_the_ledger_so_its_thread_is_a_follow_up(finnews, alerter, fake, settings):
    watch(alerter, "Halvorsen Wind")
    finnews.ingest([BOND])
    assert len(fake.of("chat.postMessage")) == 1
    ledger = open_ledger(open_database(url_of(finnews.settings)))  # as another replica
    with ledger.database.begin() as db:  # the posted message's id, as the fake answered it
        message = db.execute(select(answers.c.message)).scalar_one()
    [entry] = ledger.thread(CHANNEL, message)
    assert entry.question.startswith("Halvorsen Wind ASA: ")
    assert "raising €600 million" in entry.prose


def test_cli_alerts_add_list_remove(tmp_path):
    env = {"FINNEWS_DATA_DIR": str(tmp_path), "FINNEWS_EMBEDDER": "hashing"}
    run = lambda *a: CliRunner().invoke(app, list(a), env=env)  # noqa: E731
    assert run("alerts", "add", "Halvorsen Wind", "--channel", WHERE).output == (
        f"{WHERE} watches Halvorsen Wind (a company)\n"
    )
    assert (
        "already watches" in run("alerts", "add", "Halvorsen Wind ASA", "--channel", WHERE).output
    )
    assert isinstance(run("alerts", "add", "X", "--channel", "teams:1").exception, UsageError)
    assert run("alerts", "list").output == f"{WHERE}  Halvorsen Wind (a company): 0 posted\n"
    assert json.loads(run("alerts", "list", "--json").output)[0]["kind"] == "company"
    assert run("alerts", "remove", "Halvorsen Wind", "--channel", WHERE).exit_code == 0
    assert run("alerts", "remove", "Halvorsen Wind", "--channel", WHERE).exit_code == 1
    assert run("alerts", "list").output.startswith("No watches yet")


def test_a_story_without_a_deal_retold_by_another_outlet_adds_a_source(finnews, alerter, fake):
    watch(alerter, "Halvorsen Wind")
    finnews.ingest([HIRE])
    retold = story(
        5,
        "Halvorsen Wind appointed Ingrid Dahl chief financial officer, the Norwegian wind "
        "developer said in a statement on Monday.",
        "Halvorsen Wind names new finance chief, Ingrid Dahl",
        source="Quay Street Wire",
    )
    finnews.ingest([retold])
    assert len(fake.of("chat.postMessage")) == 1
    [update] = fake.of("chat.update")
    shown = json.dumps(update.body["blocks"], ensure_ascii=False)
    assert "[1]" in shown and "[2]" in shown and "Quay Street Wire" in shown
