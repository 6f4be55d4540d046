"""The Slack bot in HTTP mode: signed requests over real HTTP, slash commands and buttons."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from slack_fake import SECRET, mention, message, signed_post
from slack_fake import action as click_payload
from slack_fake import command as command_form
from typer.testing import CliRunner

from bot.chat import replies
from bot.cli.main import app as cli

pytest_plugins = ["slack_fake"]

CORVANTA = "How much did Corvanta raise in convertible notes?"


def button(blocks: list[dict], action_id: str) -> dict:
    [actions] = [b for b in blocks if b["type"] == "actions"]
    return next(e for e in actions["elements"] if e["action_id"] == action_id)


def test_signed_mention_over_http_is_acknowledged_and_answered(start, fake):
    bot = start(http=True)
    status, _ = bot.event(mention(CORVANTA, "1790002000.000100"), "Ev300")
    assert status == 200
    [post] = fake.wait("chat.postMessage")
    assert post.body["thread_ts"] == "1790002000.000100" and "$450 million" in post.body["text"]


def test_forged_signature_is_rejected_and_nothing_is_processed(start, fake):
    bot = start(http=True)
    status, _ = bot.event(mention(CORVANTA, "1790002100.000100"), "Ev310", secret="not-it")
    assert status == 401
    bot.event(message("Who led the Brindlewood Series B?", "1790002100.000200"), "Ev311")
    fake.wait("reactions.remove")  # the barrier: the valid request was fully handled
    assert [c.body["channel"] for c in fake.of("chat.postMessage")] == ["D0ALICE"]
    assert [c.body["timestamp"] for c in fake.of("reactions.add")] == ["1790002100.000200"]


def test_stale_timestamp_is_rejected_even_with_a_good_signature(start, fake):
    bot = start(http=True)
    stale = int(time.time()) - 6 * 60
    status, _ = bot.event(mention(CORVANTA, "1790002200.000100"), "Ev320", timestamp=stale)
    assert status == 401
    assert bot.form(command_form("help", fake.response_url()), timestamp=stale)[0] == 401
    bot.event(message("Who led the Brindlewood Series B?", "1790002200.000200"), "Ev321")
    fake.wait("reactions.remove")
    assert [c.body["channel"] for c in fake.of("chat.postMessage")] == ["D0ALICE"]


def test_slack_retry_of_an_event_is_acknowledged_but_not_answered_again(start, fake):
    bot = start(http=True)
    event = mention(CORVANTA, "1790002300.000100")
    assert bot.event(event, "Ev330")[0] == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert bot.event(event, "Ev330", headers=retry)[0] == 200
    bot.event(message("Who led the Brindlewood Series B?", "1790002300.000200"), "Ev331")
    fake.wait("chat.postMessage", 2)
    fake.wait("reactions.remove", 2)
    assert [c.body["channel"] for c in fake.of("chat.postMessage")] == ["C0DEALS", "D0ALICE"]


def test_slash_help_and_a_summary_without_topic_reply_in_the_acknowledgement(start, fake):
    bot = start(http=True)
    replies_by_text = {}
    for text in ("help", "", "summary"):
        status, body = bot.form(command_form(text, fake.response_url()))
        assert status == 200
        assert json.loads(body)["response_type"] == "ephemeral"
        replies_by_text[text] = json.loads(body)["text"]
    assert replies_by_text["help"] == replies_by_text[""] == replies.HELP
    assert replies_by_text["summary"] == replies.NO_TOPIC
    bot.form(command_form("sources", fake.response_url("barrier")))
    fake.wait("response_url")
    assert [c.path for c in fake.calls if c.method != "auth.test"] == ["/hooks/barrier"]


def test_slash_sources_lists_what_is_indexed_privately(start, fake):
    bot = start(http=True)
    status, body = bot.form(command_form("sources", fake.response_url()))
    assert (status, body) == (200, "")
    [reply] = fake.wait("response_url")
    assert reply.body["response_type"] == "ephemeral"
    assert reply.body["text"].startswith("*11 articles*")
    assert "Published 2026-09-09 to 2026-11-18" in reply.body["text"]


def test_slash_ask_answers_privately_and_share_posts_it_publicly(start, fake):
    bot = start(http=True)
    status, body = bot.form(command_form(f"ask {CORVANTA}", fake.response_url("ask")))
    assert status == 200 and json.loads(body)["text"] == replies.SEARCHING
    [private] = fake.wait("response_url")
    assert private.body["response_type"] == "ephemeral"
    assert private.body["unfurl_links"] is False and "$450 million" in private.body["text"]
    share = button(private.body["blocks"], "finnews_share")
    assert (
        bot.click(click_payload("finnews_share", share["value"], fake.response_url("share")))[0]
        == 200
    )
    public, deleted = fake.wait("response_url", 3)[1:]
    assert public.body["response_type"] == "in_channel"
    assert public.body["blocks"][0]["elements"][0]["text"] == "Shared by <@U0ALICE>"
    assert public.body["blocks"][1] == private.body["blocks"][0]  # the same answer
    assert not any(e["action_id"] == "finnews_share" for e in public.body["blocks"][-1]["elements"])
    assert deleted.body == {"delete_original": True} and deleted.path == "/hooks/share"


def test_slash_ask_without_a_verb_is_a_question_too(start, fake):
    bot = start(http=True)
    bot.form(command_form("who led the Brindlewood Series B?", fake.response_url()))
    [private] = fake.wait("response_url")
    assert "Halcyon Peak Ventures" in private.body["text"]


def test_slash_command_in_a_channel_outside_the_allowlist_is_refused(start, fake):
    bot = start(http=True, slack_channels=["finance"])
    status, body = bot.form(command_form(f"ask {CORVANTA}", fake.response_url()))
    assert json.loads(body)["text"] == replies.NOT_HERE
    ok = command_form(f"ask {CORVANTA}", fake.response_url("ok"), channel_name="finance")
    bot.form(ok)
    [reply] = fake.wait("response_url")
    assert reply.path == "/hooks/ok"


def test_feedback_votes_are_stored_and_listed_by_the_cli(start, fake, tmp_path, monkeypatch):
    bot = start(http=True)
    bot.event(mention(CORVANTA, "1790002400.000100"), "Ev340")
    [post] = fake.wait("chat.postMessage")
    answer_id = button(post.body["blocks"], "finnews_vote_up")["value"]
    bot.click(click_payload("finnews_vote_down", answer_id, fake.response_url("v1"), user="U0BOB"))
    bot.click(click_payload("finnews_vote_up", answer_id, fake.response_url("v2")))
    thanks = fake.wait("response_url", 2)
    assert {c.body["text"] for c in thanks} == {replies.THANKS}
    assert all(c.body["response_type"] == "ephemeral" for c in thanks)
    votes = bot.ledger.votes()
    assert [(v.user, v.helpful, v.channel) for v in votes] == [
        ("U0ALICE", True, "C0DEALS"),
        ("U0BOB", False, "C0DEALS"),
    ]
    assert votes[0].question == CORVANTA and "$450 million" in votes[0].answer
    monkeypatch.setenv("FINNEWS_DATA_DIR", str(tmp_path))
    listed = CliRunner().invoke(cli, ["feedback", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [(v["user"], v["helpful"]) for v in json.loads(listed.output)] == [
        ("U0ALICE", True),
        ("U0BOB", False),
    ]


def test_vote_on_an_unknown_answer_says_so(start, fake):
    bot = start(http=True)
    bot.click(click_payload("finnews_vote_up", "0000", fake.response_url()))
    [reply] = fake.wait("response_url")
    assert reply.body["text"] == replies.GONE
    assert bot.ledger.votes() == []


def test_health_endpoint_and_unknown_paths(start):
    bot = start(http=True)
    with urllib.request.urlopen(bot.url + "/healthz", timeout=5) as response:
        assert (response.status, json.loads(response.read())) == (200, {"ok": True})
    status, _ = signed_post(bot.url + "/elsewhere", "{}")
    assert status == 404


def test_url_verification_challenge_is_answered(start):
    bot = start(http=True)
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "unused"})
    status, text = signed_post(bot.url + "/slack/events", body, secret=SECRET)
    assert status == 200 and "c-123" in text


def test_fifty_questions_at_once_are_all_answered_exactly_once(start, fake):
    bot = start(http=True, workers=4)
    stamps = [f"1790003000.{n:06d}" for n in range(50)]
    with ThreadPoolExecutor(10) as pool:
        statuses = list(
            pool.map(  # fifty people: the per-user rate limit stays out of the way
                lambda ts: bot.event(mention(CORVANTA, ts, user=f"U0{ts[-3:]}"), f"Ev4{ts[-3:]}")[
                    0
                ],
                stamps,
            )
        )
    assert statuses == [200] * 50
    fake.wait("reactions.remove", 50, timeout=60)
    assert sorted(c.body["thread_ts"] for c in fake.of("chat.postMessage")) == stamps


def test_replayed_slash_command_is_not_answered_again(start, fake):
    bot = start(http=True)
    form = command_form("sources", fake.response_url("once"))
    stamp = int(time.time())
    assert bot.form(form, timestamp=stamp)[0] == 200
    assert bot.form(form, timestamp=stamp)[0] == 200  # the same signed bytes, sent again
    bot.form(command_form("sources", fake.response_url("barrier")))
    fake.wait("response_url", 2)  # one worker: the barrier is answered after the others
    assert [c.path for c in fake.of("response_url")] == ["/hooks/once", "/hooks/barrier"]


def test_oversized_body_is_refused_before_it_is_parsed(start, fake):
    bot = start(http=True)
    status, _ = bot.event(mention("x" * 300_000, "1790005000.000100"), "Ev500")
    assert status == 413
    assert fake.of("chat.postMessage") == []


def test_malformed_timestamp_is_a_bad_request_not_a_server_error(start):
    bot = start(http=True)
    body = json.dumps({"type": "url_verification", "challenge": "c-1"})
    request = urllib.request.Request(
        bot.url + "/slack/events",
        data=body.encode(),
        headers={
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": "soon",
            "X-Slack-Signature": "v0=00",
        },
        method="POST",
    )
    try:
        urllib.request.urlopen(request, timeout=5)
        status = 200
    except urllib.error.HTTPError as exc:
        status, text = exc.code, exc.read().decode()
    assert status == 400 and "Traceback" not in text
