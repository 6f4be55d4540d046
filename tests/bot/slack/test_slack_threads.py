"""Multi-turn threads through the Slack fake: follow-ups stay on the thread's company."""

from __future__ import annotations

import pytest
from slack_fake import envelope, mention, message

from index.ingest.sources import load_paths
from tests.conftest import SAMPLES, SHARED

pytest_plugins = ["slack_fake"]
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The samples plus the seed pages: Alibaba's, Corvanta's and Halvorsen's deals together."""
    from bot.core import open_finnews
    from bot.settings import Settings
    from index.embed.embedders import HashingEmbedder

    if not SEEDS.is_dir():
        pytest.skip("the shared seeds are missing")
    core = open_finnews(
        Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("mixed"), embedder="hashing"),
        HashingEmbedder(),
    )
    core.ingest(load_paths([SAMPLES, SEEDS]))
    return core


def ask_thread(bot, fake, root: str, turns: list[str]) -> list[str]:
    """The first turn mentions the bot; the rest are replies in its thread. Reply texts."""
    bot.dispatch(envelope(mention(turns[0], root), f"Ev{root}"))
    fake.wait("chat.postMessage")
    for n, text in enumerate(turns[1:], start=1):
        ts = f"{root[:-1]}{n}"
        bot.dispatch(
            envelope(
                message(text, ts, channel="C0DEALS", channel_type="channel", thread_ts=root),
                f"Ev{ts}",
            )
        )
        fake.wait("chat.postMessage", n + 1)
    return [c.body["text"] for c in fake.of("chat.postMessage")]


def test_follow_ups_about_the_money_and_coupon_stay_on_alibaba(start, fake, mixed):
    bot = start(finnews=mixed)
    first, use, coupon = ask_thread(
        bot,
        fake,
        "1790005000.000100",
        [
            "How much is Alibaba raising with its convertible notes?",
            "What will the money be used for?",
            "What coupon do they pay?",
        ],
    )
    assert "3.2 billion" in first
    assert "80%" in use and "Halvorsen" not in use and "Corvanta" not in use
    assert "zero-coupon" in coupon and "Corvanta" not in coupon and "Halvorsen" not in coupon


def test_follow_up_naming_another_company_switches_the_thread(start, fake, mixed):
    bot = start(finnews=mixed)
    _, other, back = ask_thread(
        bot,
        fake,
        "1790005100.000100",
        [
            "How much did Corvanta raise in convertible notes?",
            "What coupon does Alibaba pay on its notes?",
            "How much are they raising?",
        ],
    )
    assert "zero-coupon" in other and "1.25%" not in other
    assert "3.2 billion" in back  # "they" is now Alibaba, the thread's last named company


def test_follow_up_for_a_detail_no_article_gives_states_the_gap(start, fake, mixed):
    bot = start(finnews=mixed)
    _, gap = ask_thread(
        bot,
        fake,
        "1790005200.000100",
        [
            "How much is Alibaba raising with its convertible notes?",
            "What is their conversion price?",
        ],
    )
    assert "do not state" in gap and "61.40" not in gap
