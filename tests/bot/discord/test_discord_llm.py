"""A model's answer on Discord: posted once in the thread, edited in place as sentences pass
the checks, finished with its sources and buttons."""

from __future__ import annotations

from pathlib import Path

import pytest
from discord_fake import DEALS
from openai_fake import HALVORSEN, FakeOpenAI, Reply, article_number, open_llm_core

from bot.chat.replies import WRITING
from bot.core import Finnews

pytest_plugins = ["discord_fake", "openai_fake"]


@pytest.fixture
def llm_core(tmp_path: Path, model: FakeOpenAI) -> Finnews:
    return open_llm_core(tmp_path / "core", model, llm_timeout=20)


def test_streamed_answer_is_posted_in_its_thread_then_edited_in_place(
    run_discord, discord_api, model, llm_core
):
    model.script(
        Reply(
            lambda prompt: (
                "Halvorsen Wind is raising €600 million with its first green bond [{n}]. The bond "
                "carries a 3.875% coupon [{n}]. It matures on 28 September 2036 [{n}]."
            ).format(n=article_number(prompt, "Halvorsen Wind to raise"))
        )
    )
    bot = run_discord(finnews=llm_core, llm_stream_interval=0)
    asked = bot.say(HALVORSEN)
    discord_api.wait("DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
    [first] = discord_api.of("POST /channels/{channel_id}/messages")
    edits = discord_api.of("PATCH /channels/{channel_id}/messages/{message_id}")
    assert first.params == {"channel_id": asked["id"]} and edits
    assert first.body["embeds"][0]["description"].endswith(WRITING)
    assert first.body["components"] == []
    assert {e.params["channel_id"] for e in edits} == {asked["id"]}
    assert len({e.params["message_id"] for e in edits}) == 1
    final = edits[-1].body
    assert "It matures on 28 September 2036 [1]." in final["embeds"][0]["description"]
    assert final["embeds"][1]["title"] == "Sources" and final["components"]
    assert WRITING not in final["embeds"][0]["description"]
    assert (
        discord_api.of("POST /channels/{channel_id}/messages/{message_id}/threads")[0].params[
            "channel_id"
        ]
        == DEALS
    )
