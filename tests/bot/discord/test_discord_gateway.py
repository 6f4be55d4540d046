"""The Discord bot over the gateway (a fake websocket server) and the REST API (a fake HTTP
server): where it answers, what it ignores, how it holds up when Discord refuses."""

from __future__ import annotations

import logging

from discord_fake import (
    ALICE,
    BOT,
    DEALS,
    DM,
    TOKEN,
    Call,
    FakeDiscord,
    command,
    snowflake,
    thread,
)

from bot.chat import replies
from bot.discord.commands import FINNEWS
from tests.conftest import ROOT

pytest_plugins = ["discord_fake"]

CORVANTA = "How much did Corvanta raise in convertible notes?"
CORVANTA_URL = "https://ledgerpost.example/deals/corvanta-convertible-notes"
POST = "POST /channels/{channel_id}/messages"
THREAD = "POST /channels/{channel_id}/messages/{message_id}/threads"
REACT = "PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me"
UNREACT = "DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me"
CALLBACK = "POST /interactions/{interaction_id}/{token}/callback"
ORIGINAL = "PATCH /webhooks/{application_id}/{token}/messages/@original"
GUILDS, GUILD_MESSAGES, DIRECT_MESSAGES, MESSAGE_CONTENT = 1, 1 << 9, 1 << 12, 1 << 15


def text(call: Call) -> str:
    """What a posted message shows: its content and its embeds' text."""
    body = call.body
    return "\n".join(
        [body.get("content", "")] + [e.get("description", "") for e in body.get("embeds", [])]
    )


def routes(api: FakeDiscord, since: int = 0) -> list[str]:
    return [c.route for c in api.calls[since:]]


def test_start_logs_in_registers_the_command_and_identifies_with_plain_intents(
    run_discord, discord_api
):
    bot = run_discord()
    assert routes(discord_api)[:4] == [
        "GET /users/@me",
        "GET /oauth2/applications/@me",
        "PUT /applications/{application_id}/commands",
        "GET /gateway/bot",
    ]
    [register] = discord_api.of("PUT /applications/{application_id}/commands")
    assert register.params == {"application_id": BOT} and register.body == [FINNEWS]
    [identify] = bot.gateway.wait(2)
    assert identify["d"]["token"] == TOKEN
    assert identify["d"]["intents"] == GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES


def test_heartbeats_are_sent_and_answered_when_discord_asks(run_discord):
    bot = run_discord()
    bot.gateway.wait(1)  # the first heartbeat follows HELLO at once
    bot.gateway.ask_heartbeat()
    assert len(bot.gateway.wait(1, 2)) == 2


def test_the_message_content_intent_is_asked_for_only_when_configured(run_discord):
    bot = run_discord(discord_message_content=True)
    [identify] = bot.gateway.wait(2)
    assert identify["d"]["intents"] & MESSAGE_CONTENT


def test_mention_is_answered_in_a_thread_started_from_it_with_cited_sources(
    run_discord, discord_api
):
    bot = run_discord()
    asked = bot.say(CORVANTA)
    [post] = discord_api.wait(POST)
    [started] = discord_api.of(THREAD)
    assert started.params == {"channel_id": DEALS, "message_id": asked["id"]}
    assert started.body["name"] == CORVANTA
    assert post.params == {"channel_id": asked["id"]}  # a thread takes its message's id
    prose, sources = post.body["embeds"]
    assert "$450 million" in prose["description"] and "[1]" in prose["description"]
    assert (
        f"[Corvanta Systems prices $450 million of convertible notes due 2031]"
        f"({CORVANTA_URL}) — The Ledger Post" in sources["description"]
    )
    labels = [b["label"] for b in post.body["components"][0]["components"]]
    assert labels == ["Helpful", "Not helpful"]
    assert post.body["allowed_mentions"] == {"parse": []}


def test_eyes_are_shown_on_the_question_while_working_and_removed_after(run_discord, discord_api):
    bot = run_discord()
    start = len(discord_api.calls)
    asked = bot.say(CORVANTA)
    [removed] = discord_api.wait(UNREACT)
    assert routes(discord_api, start) == [REACT, THREAD, POST, UNREACT]
    for call in (discord_api.of(REACT)[0], removed):
        assert call.params == {"channel_id": DEALS, "message_id": asked["id"], "emoji": "👀"}


def test_direct_message_is_answered_in_the_dm_without_a_thread(run_discord, discord_api):
    bot = run_discord()
    bot.say("Who led the Brindlewood Series B?", direct=True, mention=False)
    [post] = discord_api.wait(POST)
    assert post.params == {"channel_id": DM} and "message_reference" not in post.body
    assert "Halcyon Peak Ventures" in text(post)
    assert not discord_api.of(THREAD)


def test_a_reply_in_the_bots_thread_is_a_follow_up_with_the_content_intent(
    run_discord, discord_api
):
    bot = run_discord(discord_message_content=True)
    asked = bot.say(CORVANTA)
    discord_api.wait(UNREACT)
    bot.say("When do the notes mature?", channel_id=asked["id"], mention=False)
    _, answer = discord_api.wait(POST, 2)
    assert answer.params == {"channel_id": asked["id"]}
    assert "15 October 2031" in text(answer) and "2036" not in text(answer)  # Corvanta's notes
    assert len(discord_api.of(THREAD, ok=False)) == 1  # not even tried twice


def test_without_the_content_intent_only_mentions_in_the_thread_are_answered(
    run_discord, discord_api
):
    bot = run_discord()
    asked = bot.say(CORVANTA)
    discord_api.wait(UNREACT)
    bot.say("", channel_id=asked["id"], mention=False)  # how chatter arrives without the intent
    bot.say("When do the notes mature?", channel_id=asked["id"])  # a mention carries its text
    _, answer = discord_api.wait(POST, 2)
    discord_api.wait(UNREACT, 2)
    assert "15 October 2031" in text(answer)
    assert len(discord_api.of(POST)) == 2


def test_a_thread_the_cache_does_not_know_is_looked_up(run_discord, discord_api):
    bot = run_discord()
    old = snowflake()
    discord_api.threads[old] = thread(old, DEALS, "an older thread")
    bot.say(CORVANTA, channel_id=old)
    [post] = discord_api.wait(POST)
    assert discord_api.of("GET /channels/{channel_id}")[0].params == {"channel_id": old}
    assert post.params == {"channel_id": old} and not discord_api.of(THREAD)
    discord_api.wait(UNREACT)  # the answer is recorded by then
    [entry] = bot.ledger.thread(DEALS, old)  # kept under the thread's channel, for follow-ups
    assert entry.question == CORVANTA


def test_messages_from_bots_and_system_messages_are_ignored(run_discord, discord_api):
    bot = run_discord()
    bot.say(CORVANTA, author=BOT, bot=True)
    bot.say(CORVANTA, author="1400000000000000009", bot=True)
    bot.say(CORVANTA, type=18)  # a thread-created notice
    bot.say("Who led the Brindlewood Series B?", direct=True, mention=False)  # barrier
    discord_api.wait(UNREACT)
    assert [c.params["channel_id"] for c in discord_api.of(POST)] == [DM]


def test_channel_outside_the_allowlist_gets_a_reply_but_no_thread(run_discord, discord_api):
    bot = run_discord(discord_channels=["1300000000000000099", "finance"])
    asked = bot.say(CORVANTA)
    bot.say(CORVANTA, direct=True, mention=False)
    refused, answered = discord_api.wait(POST, 2)
    assert refused.params == {"channel_id": DEALS}
    assert refused.body["content"] == replies.NOT_HERE
    assert refused.body["message_reference"]["message_id"] == asked["id"]
    assert answered.params == {"channel_id": DM} and "$450 million" in text(answered)
    assert not discord_api.of(THREAD)


def test_user_over_the_rate_limit_gets_a_polite_reply(run_discord, discord_api):
    bot = run_discord(discord_rate_limit=1)
    bot.say(CORVANTA, direct=True, mention=False)
    bot.say("What is the coupon?", direct=True, mention=False)
    first, second = discord_api.wait(POST, 2)
    assert "$450 million" in text(first)
    assert second.body["content"] == replies.SLOW_DOWN


def test_a_rate_limited_post_is_sent_again_after_retry_after(run_discord, discord_api):
    bot = run_discord()
    discord_api.fail(POST, 429, retry_after=1.0)
    bot.say(CORVANTA, direct=True, mention=False)
    [post] = discord_api.wait(POST)
    [limited] = [c for c in discord_api.calls if c.status == 429]
    assert limited.body == post.body and post.at - limited.at >= 1.0


def test_a_used_up_bucket_is_waited_for_before_the_next_post(run_discord, discord_api):
    bot = run_discord()
    discord_api.exhaust(POST, 1.0)
    bot.say(CORVANTA, direct=True, mention=False)
    discord_api.wait(POST)
    bot.say("Who arranged the Halvorsen Wind green bond?", direct=True, mention=False)
    first, second = discord_api.wait(POST, 2)
    assert second.at - first.at >= 0.9  # the bucket's Reset-After made it wait, not a 429
    assert not [c for c in discord_api.calls if c.status == 429]


def test_without_permission_to_start_threads_the_answer_replies_to_the_question(
    run_discord, discord_api
):
    bot = run_discord()
    discord_api.fail(THREAD, 403)
    asked = bot.say(CORVANTA)
    [post] = discord_api.wait(POST)
    assert post.params == {"channel_id": DEALS}
    assert post.body["message_reference"]["message_id"] == asked["id"]
    assert "$450 million" in text(post)


def test_an_answer_discord_refuses_ends_with_a_fixed_message(run_discord, discord_api, caplog):
    bot = run_discord()
    discord_api.fail(POST, 503, times=3)  # the first try and both retries
    asked = bot.say(CORVANTA)
    told = discord_api.wait(POST, where=lambda c: c.body.get("content") == replies.UNDELIVERED)
    assert told[0].params == {"channel_id": asked["id"]}  # the thread was started all the same
    discord_api.wait(UNREACT)
    assert "answer undelivered in " + DEALS in caplog.text


def test_a_broken_index_gives_the_fixed_message_not_the_error(
    run_discord, discord_api, tmp_path, caplog
):
    from sample_core import open_core

    broken = open_core(tmp_path / "broken")
    broken.store._client.delete_collection(broken.store.name)
    bot = run_discord(finnews=broken)
    bot.say(CORVANTA, direct=True, mention=False)
    [told] = discord_api.wait(POST)
    assert told.body["content"] == replies.FAILED
    assert "answering failed" in caplog.text


def test_the_slash_command_over_the_gateway_is_acknowledged_then_answered(run_discord, discord_api):
    bot = run_discord()
    asked = command("ask", CORVANTA)
    bot.interact(asked)
    [ack] = discord_api.wait(CALLBACK)
    assert ack.params == {"interaction_id": asked["id"], "token": asked["token"]}
    assert ack.body == {
        "type": 4,
        "data": {"content": replies.SEARCHING, "flags": 64, "allowed_mentions": {"parse": []}},
    }
    [answer] = discord_api.wait(ORIGINAL)
    assert answer.params == {"application_id": BOT, "token": asked["token"]}
    assert "$450 million" in text(answer)
    ids = [b["custom_id"] for b in answer.body["components"][0]["components"]]
    assert ids[-1].startswith("finnews:share:")
    [entry] = [bot.ledger.entry(ids[-1].rpartition(":")[2])]
    assert entry is not None and (entry.user, entry.channel) == (ALICE, DEALS)


def test_the_token_never_reaches_the_log(run_discord, discord_api, caplog):
    caplog.set_level(logging.DEBUG)
    bot = run_discord()
    discord_api.fail(POST, 503, times=3)
    bot.say(CORVANTA, direct=True, mention=False)
    discord_api.wait(UNREACT)
    assert "/channels/" + DM in caplog.text  # discord.py's debug lines were captured too
    assert TOKEN not in caplog.text


def test_only_the_discord_package_imports_discord_or_nacl():
    importing = sorted(
        str(p.relative_to(ROOT))
        for top in ("bot", "index")
        for p in (ROOT / top).rglob("*.py")
        if any(
            f"{how} {lib}" in p.read_text()
            for how in ("import", "from")
            for lib in ("discord ", "discord.", "nacl")
        )
    )
    assert importing and all(name.startswith("bot/discord/") for name in importing)


def test_a_redelivered_mention_gets_one_thread_and_one_answer(run_discord, discord_api):
    bot = run_discord()
    asked = bot.say(CORVANTA)
    discord_api.wait(POST)
    bot.gateway.dispatch("MESSAGE_CREATE", asked)  # a resumed session replays it
    bot.say("Who led the Brindlewood Series B?", direct=True, mention=False)  # the barrier
    discord_api.wait(POST, where=lambda c: c.params == {"channel_id": DM})
    assert len(discord_api.of(THREAD, ok=False)) == 1  # not even tried twice
    assert [c.params for c in discord_api.of(POST)].count({"channel_id": asked["id"]}) == 1
