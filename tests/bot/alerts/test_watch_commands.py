"""`/finnews watch` in Slack and Discord, and a reply in an alert's Slack thread answered as a
follow-up of the alert."""

from __future__ import annotations

import json

from discord_fake import DEALS, interaction
from slack_fake import command, envelope, message
from sqlalchemy import select

from bot.alerts.commands import Watchlist
from bot.alerts.dispatch import attach
from bot.alerts.store import AlertStore
from bot.chat.ledger import Ledger
from bot.slack.outbox import open_outbox
from index.database.tables import answers
from index.records import Article

pytest_plugins = ["slack_fake", "discord_fake"]

ORIGINAL = "PATCH /webhooks/{application_id}/{token}/messages/@original"


def test_slack_watch_add_list_remove_per_channel_and_a_personal_list_in_a_dm(start, fake):
    bot = start(http=True)
    bot.form(command("watch add Halvorsen Wind", fake.response_url("1")))
    added = fake.wait("response_url", 1)[-1].body["text"]
    assert added.startswith("Watching Halvorsen Wind (a company) here")
    bot.form(command("watch add topic: green bonds", fake.response_url("2")))
    bot.form(command("watch add convertibles", fake.response_url("3"), channel_id="D0ALICE"))
    bot.form(command("watch list", fake.response_url("4")))
    listed = fake.wait("response_url", 4)[-1].body["text"]
    assert listed == (
        "This channel watches:\n• Halvorsen Wind (a company): 0 posted\n"
        "• green bonds (a topic): 0 posted"
    )
    bot.form(command("watch remove halvorsen wind", fake.response_url("5")))
    assert fake.wait("response_url", 5)[-1].body["text"] == "Stopped watching Halvorsen Wind here."
    bot.form(command("watch", fake.response_url("6")))
    assert fake.wait("response_url", 6)[-1].body["text"].startswith("Use `watch add")
    store = AlertStore(bot.ledger.database)  # the app's database
    assert [(w.channel, w.name) for w in store.watches()] == [
        ("slack:C0DEALS", "green bonds"),
        ("slack:D0ALICE", "convertibles"),
    ]


def test_discord_watch_add_is_answered_privately_and_stored_for_the_channel(
    run_discord, discord_api
):
    bot = run_discord(http=True)
    sub = {
        "type": 1,
        "name": "watch",
        "options": [
            {"type": 3, "name": "action", "value": "add"},
            {"type": 3, "name": "name", "value": "Halvorsen Wind"},
        ],
    }
    data = {"id": "1700000000000000001", "name": "finnews", "type": 1, "options": [sub]}
    status, first = bot.interact(interaction(2, data))
    assert status == 200
    [reply] = discord_api.wait(ORIGINAL)
    assert reply.body["content"].startswith("Watching Halvorsen Wind (a company) here")
    assert [w.channel for w in AlertStore(bot.ledger.database).watches()] == [f"discord:{DEALS}"]


def test_a_reply_in_an_alerts_thread_is_answered_with_the_alerts_context(start, fake, finnews):
    bot = start(finnews=finnews)
    attach(finnews, {"slack": _outbox(fake)}, bot.ledger)  # the ledger the Slack app reads
    Watchlist(AlertStore(finnews.database)).add("slack:C0DEALS", "Halvorsen Wind", "U1")
    finnews.ingest(
        [
            Article(
                "a1",
                "Halvorsen Wind to raise €600 million with debut green bond",
                "Halvorsen Wind ASA is raising €600 million through its first green bond, a "
                "ten-year senior unsecured issue that carries a 3.875% annual coupon. The "
                "notes mature on 28 September 2036.",
                "https://capital.example/halvorsen",
                "Capital Wire",
            )
        ]
    )
    [alert] = fake.of("chat.postMessage")
    ts = _posted_ts(bot.ledger)
    bot.dispatch(
        envelope(
            message(
                "When do the notes mature?",
                "1790000999.000100",
                "C0DEALS",
                channel_type="channel",
                thread_ts=ts,
            ),
            "Ev900",
        )
    )
    answers = fake.wait("chat.postMessage", 2)
    follow_up = answers[-1].body
    assert follow_up["thread_ts"] == ts and follow_up["channel"] == "C0DEALS"
    assert "2036" in json.dumps(follow_up["blocks"], ensure_ascii=False)
    assert alert.body["channel"] == "C0DEALS"


def _outbox(fake):
    from slack_fake import TOKEN

    from bot.settings import Settings

    config = Settings(_env_file=None, slack_bot_token=TOKEN, slack_api_url=fake.api_url)
    return open_outbox(config.slack, backoff=0.01)


def _posted_ts(ledger: Ledger) -> str:
    with ledger.database.begin() as db:
        return db.execute(select(answers.c.message)).scalar_one()
