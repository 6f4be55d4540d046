"""The Discord bot's HTTP interactions: signed requests over real HTTP, `/finnews` and buttons."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest
from discord_fake import ALICE, BOB, BOT, DEALS, TOKEN, click, command, signed_post
from nacl.signing import SigningKey

from bot.chat import replies
from bot.discord.app import create_bot
from bot.settings import Settings
from index.errors import UsageError

pytest_plugins = ["discord_fake", "news_site"]

CORVANTA = "How much did Corvanta raise in convertible notes?"
ORIGINAL = "PATCH /webhooks/{application_id}/{token}/messages/@original"
DELETE_ORIGINAL = "DELETE /webhooks/{application_id}/{token}/messages/@original"
FOLLOW_UP = "POST /webhooks/{application_id}/{token}"
EPHEMERAL = 64


def shown(body: dict) -> str:
    return "\n".join(
        [body.get("content", "")] + [e.get("description", "") for e in body.get("embeds", [])]
    )


def ask_privately(bot, api, question: str = CORVANTA) -> tuple[dict, str]:
    """Ask with `/finnews ask`; the private answer's payload and its answer id."""
    status, first = bot.interact(command("ask", question))
    assert status == 200 and first["type"] == 4 and first["data"]["flags"] == EPHEMERAL
    [answer] = api.wait(ORIGINAL)
    share = answer.body["components"][0]["components"][-1]["custom_id"]
    return answer.body, share.rpartition(":")[2]


def test_ping_is_answered_with_pong_and_nothing_else(run_discord, discord_api):
    bot = run_discord(http=True)
    calls = len(discord_api.calls)
    assert signed_post(
        bot.url, {"type": 1, "id": "1", "token": "t", "application_id": BOT}, bot.key
    ) == (200, {"type": 1})
    assert len(discord_api.calls) == calls


def test_forged_or_tampered_requests_are_refused_and_not_processed(run_discord, discord_api):
    bot = run_discord(http=True)
    asked = command("ask", CORVANTA)
    assert signed_post(bot.url, asked, SigningKey.generate())[0] == 401  # another key
    good = json.dumps(asked).encode()
    forged = good.replace(b"Corvanta", b"Brindlewood")
    stamp = str(int(time.time()))
    signature = bot.key.sign(stamp.encode() + good).signature.hex()
    request_headers = {"X-Signature-Ed25519": signature, "X-Signature-Timestamp": stamp}
    tampered = urllib.request.Request(bot.url, data=forged, method="POST", headers=request_headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(tampered, timeout=10)
    assert refused.value.code == 401
    assert signed_post(bot.url, command("help"), bot.key)[0] == 200  # the barrier
    assert not discord_api.of(ORIGINAL) and not discord_api.of(FOLLOW_UP)


def test_a_signature_older_than_five_minutes_is_refused(run_discord):
    bot = run_discord(http=True)
    stale = int(time.time()) - 6 * 60
    assert signed_post(bot.url, command("help"), bot.key, timestamp=stale)[0] == 401
    assert signed_post(bot.url, command("help"), bot.key)[0] == 200


def test_help_and_a_bad_add_are_answered_in_the_first_response(run_discord, discord_api):
    bot = run_discord(http=True)
    status, first = bot.interact(command("help"))
    assert status == 200 and first["type"] == 4 and first["data"]["flags"] == EPHEMERAL
    assert first["data"]["content"].startswith("**finnews** answers questions")
    assert bot.interact(command("add", "not a link"))[1]["data"]["content"] == replies.ADD_USAGE
    assert not discord_api.of(ORIGINAL)


def test_ask_is_acknowledged_at_once_then_answered_privately_with_a_share_button(
    run_discord, discord_api
):
    bot = run_discord(http=True)
    status, first = bot.interact(command("ask", CORVANTA))
    assert (status, first["data"]["content"]) == (200, replies.SEARCHING)
    [answer] = discord_api.wait(ORIGINAL)
    assert answer.params["application_id"] == BOT
    assert "$450 million" in shown(answer.body)
    labels = [b["label"] for b in answer.body["components"][0]["components"]]
    assert labels == ["Helpful", "Not helpful", "Share in channel"]


def test_share_posts_the_answer_for_everyone_and_removes_the_private_copy(run_discord, discord_api):
    bot = run_discord(http=True)
    private, answer_id = ask_privately(bot, discord_api)
    status, first = bot.interact(click(f"finnews:share:{answer_id}", who=BOB))
    assert (status, first) == (200, {"type": 6})  # acknowledged without a message
    [public] = discord_api.wait(FOLLOW_UP)
    discord_api.wait(DELETE_ORIGINAL)
    assert public.body["flags"] == 0 and public.body["content"] == f"Shared by <@{BOB}>"
    assert public.body["embeds"] == private["embeds"]
    assert [b["label"] for b in public.body["components"][0]["components"]] == [
        "Helpful",
        "Not helpful",
    ]


def test_votes_are_stored_and_thanked_privately(run_discord, discord_api):
    bot = run_discord(http=True)
    _, answer_id = ask_privately(bot, discord_api)
    bot.interact(click(f"finnews:down:{answer_id}"))
    bot.interact(click(f"finnews:up:{answer_id}"))  # a second vote replaces the first
    thanks = discord_api.wait(FOLLOW_UP, 2)
    assert all(t.body["content"] == replies.THANKS and t.body["flags"] == EPHEMERAL for t in thanks)
    [vote] = bot.ledger.votes()
    assert (vote.user, vote.helpful, vote.channel, vote.question) == (ALICE, True, DEALS, CORVANTA)


def test_a_vote_on_an_unknown_answer_says_it_is_gone(run_discord, discord_api):
    bot = run_discord(http=True)
    bot.interact(click("finnews:up:0000000000000000"))
    [told] = discord_api.wait(FOLLOW_UP)
    assert told.body["content"] == replies.GONE


def test_sources_is_deferred_then_filled_in(run_discord, discord_api):
    bot = run_discord(http=True)
    status, first = bot.interact(command("sources"))
    assert (status, first) == (200, {"type": 5, "data": {"flags": EPHEMERAL}})
    [filled] = discord_api.wait(ORIGINAL)
    assert filled.body["content"].startswith("**")
    assert "articles** (" in filled.body["content"] and "The Ledger Post" in filled.body["content"]


def test_summary_and_a_digest_with_a_bad_date(run_discord, discord_api):
    bot = run_discord(http=True)
    assert bot.interact(command("summary", "Corvanta"))[1]["data"]["content"] == replies.BUILDING
    [summary] = discord_api.wait(ORIGINAL)
    assert summary.body["embeds"][0]["title"] == "Summary: Corvanta"
    bot.interact(command("digest", "last-week"))
    [_, digest] = discord_api.wait(ORIGINAL, 2)
    assert "Not a date or a number of days" in digest.body["content"]


def test_a_command_in_a_dm_is_answered_there(run_discord, discord_api):
    bot = run_discord(http=True, discord_channels=["1300000000000000099"])
    bot.interact(command("ask", CORVANTA, direct=True))
    [answer] = discord_api.wait(ORIGINAL)
    assert "$450 million" in shown(answer.body)
    assert bot.interact(command("ask", CORVANTA))[1]["data"]["content"] == replies.NOT_HERE


def test_a_failed_private_answer_is_followed_by_a_notice(run_discord, discord_api):
    bot = run_discord(http=True)
    discord_api.fail(ORIGINAL, 503, times=3)
    bot.interact(command("ask", CORVANTA))
    [notice] = discord_api.wait(FOLLOW_UP)
    assert notice.body["content"] == replies.UNDELIVERED and notice.body["flags"] == EPHEMERAL


def test_http_only_the_bot_never_opens_the_gateway(run_discord, discord_api):
    bot = run_discord(http=True, gateway=False)
    assert bot.interact(command("help"))[0] == 200
    assert not discord_api.of("GET /gateway/bot") and not bot.gateway.received


def test_start_refuses_unusable_settings(discord_core, discord_api, tmp_path):
    def settings(**kw) -> Settings:
        return Settings(
            _env_file=None,
            data_dir=tmp_path,
            embedder="hashing",
            discord_api_url=discord_api.api_url,
            **kw,
        )

    from bot.chat.ledger import open_ledger
    from bot.database import open_database

    ledger = open_ledger(open_database(settings()))
    cases = [
        ({}, "Set FINNEWS_DISCORD_BOT_TOKEN"),
        ({"discord_bot_token": "x", "discord_gateway": False}, "set FINNEWS_DISCORD_PUBLIC_KEY"),
        (
            {"discord_bot_token": "x", "discord_public_key": "abc"},
            "FINNEWS_DISCORD_PUBLIC_KEY is not a public key",
        ),
        ({"discord_bot_token": "wrong"}, "check FINNEWS_DISCORD_BOT_TOKEN"),
    ]
    for kw, message in cases:
        with pytest.raises(UsageError, match=message):
            create_bot(settings(**kw), discord_core, ledger)


def test_a_refused_message_content_intent_stops_the_start_with_what_to_do(
    discord_core, discord_api, tmp_path
):
    from bot.chat.ledger import open_ledger
    from bot.database import open_database

    discord_api.gateway.close_on_identify = 4014  # what Discord does when the portal says no
    config = Settings(
        _env_file=None,
        data_dir=tmp_path,
        embedder="hashing",
        discord_bot_token=TOKEN,
        discord_api_url=discord_api.api_url,
        discord_message_content=True,
    )
    with pytest.raises(UsageError, match="enable it in the Developer Portal"):
        create_bot(config, discord_core, open_ledger(open_database(config)))


def test_add_reads_the_article_and_answers_with_its_title_and_outlet(
    run_discord, discord_api, site, tmp_path
):
    from news_site import article

    from bot.core import open_finnews
    from index.embed.embedders import HashingEmbedder

    title = "Veldmark Telecom signs $1.4 billion term loan"
    paragraphs = [
        "Veldmark Telecom, the fictional mobile operator, agreed a $1.4 billion term "
        "loan with a group of nine banks on Friday to refinance bonds.",
        "The five-year loan pays 185 basis points over the benchmark rate, people "
        "familiar with the deal said. Arden Crowe Bank coordinated the lenders.",
    ]
    url = site.serve("/deals/veldmark-loan", article(title, paragraphs, outlet="Quay Street Wire"))
    news = open_finnews(
        Settings(
            _env_file=None,
            data_dir=tmp_path / "news",
            embedder="hashing",
            fetch_politeness=0.0,
            fetch_timeout=2.0,
        ),
        HashingEmbedder(),
    )
    bot = run_discord(http=True, finnews=news, fetch_private_hosts=True)
    status, first = bot.interact(command("add", url))
    assert (status, first["data"]["content"]) == (200, f"Reading {url} …")
    [added] = discord_api.wait(ORIGINAL)
    assert added.body["content"] == f"Added: **{title}** (Quay Street Wire)"
    assert news.stats().articles == 1


def typed(verb: str, **options: str | int) -> dict:
    """`/finnews <verb>` with typed options, as Discord sends it."""
    asked = command(verb)
    sub = asked["data"]["options"][0]
    sub["options"] = [
        {"type": 4 if isinstance(v, int) else 3, "name": k, "value": v} for k, v in options.items()
    ]
    return asked


def test_deals_with_typed_options_lists_the_newest_first_with_numbered_links(
    run_discord, discord_api
):
    bot = run_discord(http=True)
    status, first = bot.interact(typed("deals", kind="bond", since="2026-09-01"))
    assert status == 200 and first["data"]["content"] == replies.BUILDING
    [listed] = discord_api.wait(ORIGINAL)
    [embed] = listed.body["embeds"]
    assert embed["title"] == "2 deals: bond, since 2026\\-09\\-01, newest first"
    lines = embed["description"].split("\n")
    assert lines[0] == (  # one deal, two outlets: both cited on its line
        "• 2026-09-21 · **Halvorsen Wind ASA** · bond · EUR 600 million · \\[1\\] Capital Wire, "
        "[\\[2\\]](https://meridian-daily.example/markets/halvorsen-green-bond-books) "
        "Meridian Business Daily"
    )
    assert [line[2:12] for line in lines] == ["2026-09-21", "2026-09-09"]
    assert listed.body["allowed_mentions"] == {"parse": []}


def test_deals_with_a_bad_date_says_how_to_write_one(run_discord, discord_api):
    bot = run_discord(http=True)
    bot.interact(typed("deals", company="Corvanta", since="last week"))
    [refused] = discord_api.wait(ORIGINAL)
    assert "Not a date" in refused.body["content"]


def test_follow_ups_wait_out_a_429_and_try_a_503_again(run_discord, discord_api):
    bot = run_discord(http=True)
    discord_api.fail(ORIGINAL, 429, retry_after=0.5)
    discord_api.fail(ORIGINAL, 503)
    bot.interact(command("sources"))
    [filled] = discord_api.wait(ORIGINAL)
    limited, unavailable = [c for c in discord_api.calls if c.route == ORIGINAL and c.status > 299]
    assert (limited.status, unavailable.status) == (429, 503)
    assert unavailable.at - limited.at >= 0.5 and filled.at - unavailable.at >= 0.5
    assert "articles** (" in filled.body["content"]


def test_a_rate_limit_too_long_to_wait_for_ends_in_a_notice_not_silence(run_discord, discord_api):
    bot = run_discord(http=True)
    discord_api.fail(ORIGINAL, 429, retry_after=600)
    bot.interact(command("ask", CORVANTA))
    [notice] = discord_api.wait(FOLLOW_UP)
    assert notice.body["content"] == replies.UNDELIVERED and notice.body["flags"] == EPHEMERAL


def test_an_interaction_delivered_twice_is_answered_once(run_discord, discord_api):
    bot = run_discord(http=True)
    asked = command("ask", CORVANTA)
    assert bot.interact(asked)[0] == bot.interact(asked)[0] == 200
    discord_api.wait(ORIGINAL)
    bot.interact(command("sources"))  # the barrier: one worker, work in arrival order
    discord_api.wait(ORIGINAL, where=lambda c: "articles** (" in c.body.get("content", ""))
    assert len(discord_api.of(ORIGINAL)) == 2 and not discord_api.of(FOLLOW_UP)


def test_buttons_keep_working_in_a_bot_started_later_over_the_same_ledger(run_discord, discord_api):
    before = run_discord(http=True)
    answer, answer_id = ask_privately(before, discord_api)
    after = run_discord(http=True, gateway=False)  # a new process: nothing shared but the ledger
    after.interact(click(answer["components"][0]["components"][0]["custom_id"]))
    [thanks] = discord_api.wait(FOLLOW_UP)
    assert thanks.body["content"] == replies.THANKS
    after.interact(click(f"finnews:share:{answer_id}", who=BOB))
    [shared] = discord_api.wait(FOLLOW_UP, where=lambda c: c.body.get("flags") == 0)
    assert "$450 million" in shown(shared.body)
    assert [v.helpful for v in after.ledger.votes()] == [True]


def test_summary_and_digest_take_their_typed_options(run_discord, discord_api):
    bot = run_discord(http=True)
    bot.interact(typed("summary", topic="Tessaly Foods", period="2026-11"))
    [summary] = discord_api.wait(ORIGINAL)
    assert summary.body["embeds"][0]["title"].startswith("Summary: Tessaly Foods")
    bot.interact(typed("summary", topic="Tessaly Foods", period="2026-09"))
    [_, before] = discord_api.wait(ORIGINAL, 2)
    assert "embeds" not in before.body  # nothing on Tessaly in September: a note
    bot.interact(typed("digest", until="2026-10-14", days=14))
    [_, _, digest] = discord_api.wait(ORIGINAL, 3)
    assert digest.body["embeds"][0]["title"] == "Financing digest: 1 to 14 October 2026"
    assert "3 deals" in digest.body["embeds"][0]["description"]
