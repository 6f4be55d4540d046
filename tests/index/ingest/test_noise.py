"""Page noise in the two real seed pages never becomes a passage an answer can cite."""

from __future__ import annotations

import pytest

from tests.bot.answer.test_answer import check_citations

NOISE = [
    "Newsletter",
    "free to your inbox",
    "No comments yet",
    "Comments",
    "Dec.29 2025",
    "AI Writing Agent",
    "His style is",
    "appeared first on",
    "[1]",
    "[2]",
    "[3]",
]
QUESTIONS = [
    "How much is Alibaba raising, and when do the notes mature?",
    "What will Alibaba do with the proceeds of the convertible notes?",
    "How do I sign up for the daily stocks and crypto newsletter?",
    "Are there any comments on the article?",
    "Who wrote the article and what is the writer's style?",
    "What happened on Dec. 29 2025?",
    "Where did the post appear first?",
    "Which AI writing agent covers corporate fundamentals?",
]


@pytest.fixture
def seeded(finnews, shared_data):
    from index.ingest.sources import load_paths

    report = finnews.ingest(load_paths([shared_data / "seeds"]))
    assert report.added == 2
    return finnews


def test_no_stored_chunk_contains_page_noise(seeded):
    for _, text, meta in seeded.store.rows():
        for noise in NOISE:
            assert noise not in text, (noise, text[:200])
            assert noise not in meta["title"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_about_the_seeds_never_cite_noise(seeded, question):
    answer = seeded.ask(question)
    check_citations(answer)
    for sentence in answer.sentences:
        assert not any(noise in sentence.text for noise in NOISE), sentence.text


def test_seed_answer_gives_amount_and_maturity(seeded):
    answer = seeded.ask("How much is Alibaba raising, and when do the notes mature?")
    text = answer.text
    assert "3.2" in text and "2032" in text
    assert {c.source for c in answer.citations} <= {"AInvest", "CoinCentral"}
