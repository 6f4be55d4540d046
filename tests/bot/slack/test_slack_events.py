"""The Slack bot fed Socket Mode payloads (app.dispatch): where it answers, what it ignores."""

from __future__ import annotations

import logging

import pytest
from slack_fake import (
    BOT_ID,
    BOT_USER,
    SECRET,
    TOKEN,
    Call,
    envelope,
    mention,
    message,
    open_core,
)
from slack_sdk import WebClient

from bot.chat import replies
from bot.chat.port import Place, Reply, Undelivered
from bot.slack.blocks import answer_mrkdwn
from bot.slack.outbox import SlackOutbox, retry_handlers
from index.records import Answer, Citation, Sentence
from tests.conftest import ROOT

pytest_plugins = ["slack_fake"]

CORVANTA = "How much did Corvanta raise in convertible notes?"
CORVANTA_URL = "https://ledgerpost.example/deals/corvanta-convertible-notes"


def texts(calls: list[Call]) -> list[str]:
    return [c.body.get("text", "") for c in calls]


def sections(call: Call) -> str:
    return "\n".join(b["text"]["text"] for b in call.body["blocks"] if b["type"] == "section")


def test_mention_is_answered_in_its_thread_with_cited_sources(start, fake):
    bot = start()
    response = bot.dispatch(envelope(mention(CORVANTA, "1790000100.000200"), "Ev100"))
    assert response.status == 200
    [post] = fake.wait("chat.postMessage")
    assert post.body["channel"] == "C0DEALS"
    assert post.body["thread_ts"] == "1790000100.000200"
    assert post.body["unfurl_links"] is False and post.body["unfurl_media"] is False
    assert "$450 million" in post.body["text"] and "[1]" in post.body["text"]
    answer, sources, buttons = post.body["blocks"]
    assert "$450 million" in answer["text"]["text"]
    assert f"[1] <{CORVANTA_URL}|Corvanta Systems prices $450 million" in sources["text"]["text"]
    assert "The Ledger Post, 2026-10-07" in sources["text"]["text"]
    assert [e["action_id"] for e in buttons["elements"]] == ["finnews_vote_up", "finnews_vote_down"]


def test_eyes_reaction_is_shown_while_working_and_removed_after(start, fake):
    bot = start()
    bot.dispatch(envelope(mention(CORVANTA, "1790000100.000300"), "Ev101"))
    [removed] = fake.wait("reactions.remove")
    order = [c.method for c in fake.calls if c.method != "auth.test"]
    assert order == ["reactions.add", "chat.postMessage", "reactions.remove"]
    for call in (fake.of("reactions.add")[0], removed):
        assert call.body == {"channel": "C0DEALS", "timestamp": "1790000100.000300", "name": "eyes"}


def test_direct_message_is_answered_in_the_dm(start, fake):
    bot = start()
    question = message("Who led the Brindlewood Series B?", "1790000200.000100")
    bot.dispatch(envelope(question, "Ev102"))
    [post] = fake.wait("chat.postMessage")
    assert post.body["channel"] == "D0ALICE"
    assert "thread_ts" not in post.body
    assert "Halcyon Peak Ventures" in post.body["text"]


def test_reply_in_a_thread_the_bot_answered_is_a_follow_up(start, fake):
    bot = start()
    root = "1790000300.000100"
    bot.dispatch(envelope(mention(CORVANTA, root), "Ev103"))
    fake.wait("chat.postMessage")
    follow_up = message(
        "When do the notes mature?",
        "1790000300.000200",
        channel="C0DEALS",
        channel_type="channel",
        thread_ts=root,
    )
    bot.dispatch(envelope(follow_up, "Ev104"))
    _, post = fake.wait("chat.postMessage", 2)
    assert post.body["thread_ts"] == root
    assert "15 October 2031" in post.body["text"]  # Corvanta's notes: known from the thread
    assert "2036" not in post.body["text"]
    assert CORVANTA_URL in sections(post)


def test_the_same_question_outside_the_thread_is_answered_without_its_context(start, fake):
    bot = start()  # the control for the follow-up test
    bot.dispatch(envelope(message("When do the notes mature?", "1790000300.000900"), "Ev105"))
    [post] = fake.wait("chat.postMessage")
    assert "28 September 2036" in post.body["text"]  # Halvorsen's bond comes first


def test_channel_chatter_and_other_threads_are_ignored(start, fake):
    bot = start()
    chatter = message("lunch?", "1790000400.000100", channel="C0DEALS", channel_type="channel")
    other = message(
        "what is the coupon?",
        "1790000400.000200",
        channel="C0DEALS",
        channel_type="channel",
        thread_ts="1790000400.000001",
    )
    bot.dispatch(envelope(chatter, "Ev106"))
    bot.dispatch(envelope(other, "Ev107"))
    bot.dispatch(envelope(mention(CORVANTA, "1790000400.000300"), "Ev108"))  # barrier
    fake.wait("reactions.remove")
    assert [c.body["thread_ts"] for c in fake.of("chat.postMessage")] == ["1790000400.000300"]
    assert [c.body["timestamp"] for c in fake.of("reactions.add")] == ["1790000400.000300"]


def test_messages_from_bots_are_ignored(start, fake):
    bot = start()
    own_answer = message(
        "Corvanta raised $450 million [1]", "1790000500.000100", user=BOT_USER, bot_id=BOT_ID
    )
    other_bot = message(
        CORVANTA, "1790000500.000200", user=None, subtype="bot_message", bot_id="B0OTHER"
    )
    bot_mention = mention(CORVANTA, "1790000500.000300", user="U0ROBOT") | {"bot_id": "B0OTHER"}
    for n, event in enumerate((own_answer, other_bot, bot_mention)):
        assert bot.dispatch(envelope(event, f"Ev11{n}")).status == 200
    bot.dispatch(
        envelope(message("Who led the Brindlewood Series B?", "1790000500.000400"), "Ev119")
    )  # barrier: one worker runs the jobs in order
    fake.wait("reactions.remove")
    assert [c.body["channel"] for c in fake.of("chat.postMessage")] == ["D0ALICE"]
    assert len(fake.of("reactions.add")) == 1


def test_mention_in_a_thread_arriving_as_two_events_is_answered_once(start, fake):
    bot = start()
    root = "1790000600.000100"
    bot.dispatch(envelope(mention(CORVANTA, root), "Ev120"))
    fake.wait("chat.postMessage")
    text = f"<@{BOT_USER}> what is the coupon?"
    both = [
        mention("what is the coupon?", "1790000600.000200", thread_ts=root),
        message(
            text, "1790000600.000200", channel="C0DEALS", channel_type="channel", thread_ts=root
        ),
    ]
    bot.dispatch(envelope(both[0], "Ev121"))
    bot.dispatch(envelope(both[1], "Ev122"))
    bot.dispatch(
        envelope(message("Who led the Brindlewood Series B?", "1790000600.000300"), "Ev123")
    )  # barrier
    fake.wait("chat.postMessage", 3)
    threads = [c.body.get("thread_ts") for c in fake.of("chat.postMessage")]
    assert threads == [root, root, None]


def test_repeated_event_id_is_answered_once(start, fake):
    bot = start()
    event = envelope(mention(CORVANTA, "1790000700.000100"), "Ev130")
    assert bot.dispatch(event).status == 200
    assert bot.dispatch(event).status == 200  # the redelivery is acknowledged too
    bot.dispatch(envelope(mention(CORVANTA, "1790000700.000200"), "Ev131"))  # barrier
    fake.wait("chat.postMessage", 2)
    fake.wait("reactions.remove", 2)
    assert [c.body["thread_ts"] for c in fake.of("chat.postMessage")] == [
        "1790000700.000100",
        "1790000700.000200",
    ]


def test_empty_mention_gets_a_prompt(start, fake):
    bot = start()
    bot.dispatch(envelope(mention("", "1790000800.000100"), "Ev140"))
    [post] = fake.wait("chat.postMessage")
    assert post.body["text"] == replies.EMPTY and post.body["thread_ts"] == "1790000800.000100"


def test_user_over_the_rate_limit_gets_a_polite_reply(start, fake):
    bot = start(slack_rate_limit=1)
    bot.dispatch(envelope(message(CORVANTA, "1790000900.000100"), "Ev150"))
    bot.dispatch(envelope(message("What is the coupon?", "1790000900.000200"), "Ev151"))
    first, second = fake.wait("chat.postMessage", 2)
    assert "$450 million" in first.body["text"]
    assert second.body["text"] == replies.SLOW_DOWN


def test_channel_outside_the_allowlist_gets_a_fixed_reply_but_dms_work(start, fake):
    bot = start(slack_channels=["C0OTHER", "finance"])
    bot.dispatch(envelope(mention(CORVANTA, "1790001000.000100"), "Ev160"))
    bot.dispatch(envelope(message(CORVANTA, "1790001000.000200"), "Ev161"))
    refused, answered = fake.wait("chat.postMessage", 2)
    assert refused.body["text"] == replies.NOT_HERE
    assert refused.body["thread_ts"] == "1790001000.000100"
    assert answered.body["channel"] == "D0ALICE" and "$450 million" in answered.body["text"]
    assert [c.body["timestamp"] for c in fake.of("reactions.add")] == ["1790001000.000200"]


def test_rate_limited_post_is_retried_after_retry_after(start, fake):
    bot = start()
    fake.fail("chat.postMessage", 429, retry_after="1")
    bot.dispatch(envelope(mention(CORVANTA, "1790001100.000100"), "Ev170"))
    [post] = fake.wait("chat.postMessage")
    [limited] = [c for c in fake.calls if c.status == 429]
    assert limited.body["blocks"] == post.body["blocks"]
    assert post.at - limited.at >= 1.0


def test_server_errors_on_every_try_end_with_a_fixed_message(start, fake):
    bot = start()
    fake.fail("chat.postMessage", 500, times=4)  # every attempt of the answer
    bot.dispatch(envelope(mention(CORVANTA, "1790001200.000100"), "Ev180"))
    [told] = fake.wait("chat.postMessage")
    failed = [c for c in fake.calls if c.status == 500]
    assert len(failed) == 4 and all("blocks" in c.body for c in failed)
    assert told.body == {
        "channel": "C0DEALS",
        "thread_ts": "1790001200.000100",
        "text": replies.UNDELIVERED,
        "unfurl_links": False,
        "unfurl_media": False,
    }
    fake.wait("reactions.remove")


def test_a_broken_index_gives_the_fixed_message_not_the_error(start, fake, tmp_path, caplog):
    broken = open_core(tmp_path / "broken")
    broken.store._client.delete_collection(broken.store.name)  # the index vanishes under it
    bot = start(finnews=broken)
    bot.dispatch(envelope(mention(CORVANTA, "1790001300.000100"), "Ev190"))
    [told] = fake.wait("chat.postMessage")
    assert told.body["text"] == replies.FAILED
    assert "answering failed" in caplog.text  # the traceback goes to the log


def test_tokens_and_secrets_never_reach_the_log(start, fake, caplog):
    caplog.set_level(logging.DEBUG)
    bot = start()
    fake.fail("chat.postMessage", 500, times=4)
    bot.dispatch(envelope(mention(CORVANTA, "1790001400.000100"), "Ev200"))
    fake.wait("chat.postMessage")
    fake.wait("reactions.remove")
    assert "answer undelivered in C0DEALS: fatal_error" in caplog.text
    assert "chat.postMessage" in caplog.text  # slack_sdk's debug lines were captured too
    assert TOKEN not in caplog.text and SECRET not in caplog.text


def test_a_10000_character_answer_is_split_to_fit_and_delivered(fake):
    words = " ".join(f"Tranche {n} priced at par with a 5% coupon." for n in range(240))
    answer = Answer(
        "q",
        (Sentence(words[:10_000], (1,)),),
        (Citation(1, "a1", "Title", "Outlet", "https://x.example/a", None),),
    )
    outbox = SlackOutbox(WebClient(token=TOKEN, base_url=fake.api_url), retry_handlers(0.01))
    ts = outbox.post(Place("C0DEALS", "1.2"), Reply(answer, "id1"))
    [post] = fake.wait("chat.postMessage")
    assert ts and post.status == 200
    shown = [b["text"]["text"] for b in post.body["blocks"] if b["type"] == "section"][:-1]
    assert len(shown) == 4 and all(len(t) <= 3000 for t in shown)
    assert "".join(shown).replace(" ", "") == answer_mrkdwn(answer).replace(" ", "")


def test_a_refused_post_raises_undelivered(fake):
    fake.fail("chat.postMessage", 400)
    outbox = SlackOutbox(WebClient(token=TOKEN, base_url=fake.api_url), retry_handlers(0.01))
    with pytest.raises(Undelivered):
        outbox.post(Place("C0DEALS"), Reply(Answer("q", (Sentence("x", ()),), ()), "id1"))
    assert [c.status for c in fake.of("chat.postMessage", ok=False)] == [400]


def test_only_the_slack_package_imports_slack_libraries():
    root = ROOT
    importing = sorted(
        str(p.relative_to(root))
        for top in ("bot", "index")
        for p in (root / top).rglob("*.py")
        if "import slack_" in p.read_text() or "from slack_" in p.read_text()
    )
    assert importing and all(name.startswith("bot/slack/") for name in importing)
