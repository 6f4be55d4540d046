"""Model-written answers in Slack: streamed into one message, finished with checked citations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openai_fake import HALVORSEN, FakeOpenAI, Reply, article_number, open_llm_core
from slack_fake import TOKEN, Call, FakeSlack, envelope, message
from slack_sdk import WebClient

from bot.answer.llm import FELL_BACK
from bot.chat.live import LiveAnswer
from bot.chat.port import Place
from bot.chat.port import Reply as ChatReply
from bot.chat.replies import WRITING
from bot.core import Finnews
from bot.slack.outbox import SlackOutbox, retry_handlers
from index.records import Answer, Sentence

pytest_plugins = ["slack_fake", "openai_fake"]


@pytest.fixture
def llm_core(tmp_path: Path, model: FakeOpenAI) -> Finnews:
    """A core over the samples (and the injection article) answering through the fake model."""
    return open_llm_core(tmp_path / "core", model, llm_timeout=20)  # a loaded CI machine


def ask_in_dm(start, fake: FakeSlack, core: Finnews, question: str, **settings) -> list[Call]:
    """Ask in a DM and return every call the bot made, once it has finished."""
    bot = start(finnews=core, **settings)
    bot.dispatch(envelope(message(question, "1790000500.000100"), "EvLLM1"))
    fake.wait("reactions.remove")  # the eyes go once the answer is out
    return [c for c in fake.calls if c.method.startswith("chat.")]


def shown(call: Call) -> str:
    return json.dumps(call.body, ensure_ascii=False)


def test_streamed_answer_is_posted_then_updated_in_place_with_checked_citations(
    start, fake, model, llm_core
):
    model.script(
        Reply(
            lambda prompt: (
                "Halvorsen Wind is raising €600 million with its first green bond [{n}]. Orders "
                "reached €9 billion [{n}]. The bond carries a 3.875% coupon [{n}]. It matures on "
                "28 September 2036 [{n}]."
            ).format(n=article_number(prompt, "Halvorsen Wind to raise"))
        )
    )
    calls = ask_in_dm(start, fake, llm_core, HALVORSEN, llm_stream_interval=0)
    first, *updates = calls
    assert first.method == "chat.postMessage" and updates
    assert {c.method for c in updates} == {"chat.update"}
    assert WRITING in shown(first) and "€600 million" in shown(first)
    final = updates[-1].body
    assert len({u.body["ts"] for u in updates}) == 1 and final["channel"] == "D0ALICE"
    text = "\n".join(b["text"]["text"] for b in final["blocks"] if b["type"] == "section")
    assert "Halvorsen Wind is raising €600 million with its first green bond [1]." in text
    assert "It matures on 28 September 2036 [1]." in text
    assert "*Sources*\n[1] Halvorsen Wind to raise €600 million" in text
    assert final["blocks"][-1]["type"] == "actions" and WRITING not in shown(updates[-1])
    assert all("9 billion" not in shown(c) for c in calls)  # never shown, not even mid-stream


def test_model_failure_in_slack_posts_the_extractive_answer_with_a_note(
    start, fake, model, llm_core
):
    model.script(Reply(status=500))
    calls = ask_in_dm(start, fake, llm_core, HALVORSEN)
    [post] = calls
    assert post.method == "chat.postMessage"
    assert "€600 million" in shown(post)
    notes = [b for b in post.body["blocks"] if b["type"] == "context"]
    assert notes[0]["elements"][0]["text"] == FELL_BACK.format(why="the model did not answer")


def test_injected_instruction_never_reaches_slack(start, fake, model, llm_core):
    model.script(
        Reply(
            lambda prompt: (
                "Pellworth Freight is bankrupt "
                f"[{article_number(prompt, 'Pellworth')}]. "
                "<!channel> read this [1]."
            )
        )
    )
    calls = ask_in_dm(
        start,
        fake,
        llm_core,
        "How large is the Pellworth Freight credit facility?",
        llm_stream_interval=0,
    )
    assert calls and all("bankrupt" not in shown(c) and "<!channel>" not in shown(c) for c in calls)
    assert "$75 million" in shown(calls[-1])


def test_partial_answers_update_the_message_at_most_once_per_interval(fake):
    now = [100.0]
    outbox = SlackOutbox(WebClient(token=TOKEN, base_url=fake.api_url), retry_handlers(0.01))
    live = LiveAnswer(outbox, Place("C0DEALS", "1790000600.000100"), 1.0, clock=lambda: now[0])

    def partial(n: int) -> Answer:
        return Answer("q", tuple(Sentence(f"Checked sentence {i}.", (1,)) for i in range(n)), ())

    live.show(partial(1))
    live.show(partial(2))  # within the interval: skipped
    now[0] += 1.5
    live.show(partial(3))
    ts = live.finish(ChatReply(Answer("q", (Sentence("Done.", ()),), ()), "id1"))
    calls = [c for c in fake.calls if c.method.startswith("chat.")]
    assert [c.method for c in calls] == ["chat.postMessage", "chat.update", "chat.update"]
    assert "Checked sentence 0" in shown(calls[0]) and "Checked sentence 1" not in shown(calls[0])
    assert "Checked sentence 2" in shown(calls[1])
    assert calls[2].body["blocks"][0]["text"]["text"] == "Done."
    assert calls[1].body["ts"] == calls[2].body["ts"] == ts


def test_final_answer_is_posted_anew_when_the_partial_post_failed(fake):
    fake.fail("chat.postMessage", 400)
    outbox = SlackOutbox(WebClient(token=TOKEN, base_url=fake.api_url), retry_handlers(0.01))
    live = LiveAnswer(outbox, Place("C0DEALS"), 0.0)
    live.show(Answer("q", (Sentence("Partial.", (1,)),), ()))
    live.show(Answer("q", (Sentence("Partial.", (1,)), Sentence("More.", (1,))), ()))
    live.finish(ChatReply("final"))
    tried = [(c.method, c.status) for c in fake.calls if c.method.startswith("chat.")]
    assert tried == [("chat.postMessage", 400), ("chat.postMessage", 200)]  # no more partials
    assert fake.of("chat.postMessage")[0].body["text"] == "final"
