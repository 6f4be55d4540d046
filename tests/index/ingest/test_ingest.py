"""Idempotent ingest into the embedded store and into a real Chroma server."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from index.records import Article, Skip, article_id


def make(
    url: str | None, title: str, body: str, source: str = "Daily Ledger", day: int = 3
) -> Article:
    return Article(
        id=article_id(url, title, body),
        title=title,
        body=body,
        url=url,
        source=source,
        published_at=datetime(2026, 10, day, tzinfo=UTC),
        origin=url or title,
    )


LONG = " ".join(
    f"Sentence {i} about the Quillfeather term loan and its covenants." for i in range(120)
)


class CountingEmbedder:
    """The hashing embedder, counting the texts it embeds and able to fail on request."""

    def __init__(self, inner, fail_after: int | None = None) -> None:
        self.inner, self.calls, self.texts, self.fail_after = inner, 0, 0, fail_after
        self.name, self.dim, self.max_tokens = inner.name, inner.dim, inner.max_tokens
        self.count_tokens, self.embed_query = inner.count_tokens, inner.embed_query

    def embed(self, texts):
        self.calls += 1
        if self.fail_after is not None and self.calls > self.fail_after:
            raise RuntimeError("embedder died")
        self.texts += len(texts)
        return self.inner.embed(texts)


def articles(n: int) -> list[Article]:
    return [
        make(
            f"https://ledger.example/a{i}",
            f"Deal number {i}",
            f"Company {i} raised {i} million dollars in a term loan. " * 3,
        )
        for i in range(n)
    ]


def open_core(settings, embedder):
    from bot.core import open_finnews

    return open_finnews(settings, embedder)


def test_reingest_of_unchanged_articles_embeds_nothing(settings, hashing):
    counting = CountingEmbedder(hashing)
    core = open_core(settings, counting)
    first = core.ingest(articles(10))
    chunks = core.store.count()
    embedded = counting.texts
    second = core.ingest(articles(10))
    assert (first.added, second.unchanged, second.added) == (10, 10, 0)
    assert counting.texts == embedded
    assert core.store.count() == chunks


def test_changed_article_replaces_all_its_chunks(finnews):
    url = "https://ledger.example/loan"
    finnews.ingest([make(url, "Quillfeather loan", LONG)])
    assert finnews.store.count() > 2
    report = finnews.ingest(
        [make(url, "Quillfeather loan", "Quillfeather repaid the loan early in full.")]
    )
    assert report.replaced == 1
    assert finnews.store.count() == 1
    assert (
        finnews.ask("Did Quillfeather repay the loan?")
        .sentences[0]
        .text.startswith("Quillfeather repaid")
    )


def test_crash_mid_ingest_leaves_store_usable_and_rerun_completes(settings, hashing):
    core = open_core(settings, hashing)
    core.ingest(articles(3))
    before = core.store.count()
    crashing = open_core(settings, CountingEmbedder(hashing, fail_after=1))
    with pytest.raises(RuntimeError):
        crashing.ingest(articles(200))  # the first batch of 64 lands, the second dies
    survivor = open_core(settings, hashing)
    assert survivor.store.count() >= before
    assert not survivor.ask("How much did Company 1 raise?").refused
    report = survivor.ingest(articles(200))
    assert report.unchanged == 64 and report.added == 136
    fresh = open_core(settings.model_copy(update={"collection": "clean-run"}), hashing)
    fresh.ingest(articles(200))
    assert survivor.store.count() == fresh.store.count()


def test_same_text_under_two_urls_is_stored_once(finnews):
    body = "Brightwater Foods priced a 400 million euro bond due 2031 with a 4.25% coupon."
    finnews.ingest([make("https://a.example/x", "Brightwater bond", body)])
    report = finnews.ingest([make("https://b.example/y", "Brightwater prices bond", body)])
    assert report.added == 0
    assert "same text" in report.skipped[0].reason
    assert finnews.stats().articles == 1


def test_skips_are_reported_and_store_untouched(finnews):
    finnews.ingest(articles(2))
    before = finnews.store.count()
    report = finnews.ingest([Skip("bad.bin", "binary file"), make(None, "Empty", "   ")])
    assert [s.reason for s in report.skipped][0] == "binary file"
    assert len(report.skipped) == 2
    assert finnews.store.count() == before


def test_lexical_index_follows_another_process_ingest(settings, hashing):
    reader = open_core(settings, hashing)
    reader.ingest(articles(2))
    assert reader.stats().articles == 2
    writer = open_core(settings, hashing)
    writer.ingest(
        [
            make(
                "https://ledger.example/new",
                "Oakridge buyback",
                "Oakridge Mills announced a 250 million dollar share buyback.",
            )
        ]
    )
    assert reader.stats().articles == 3
    assert reader.ask("Oakridge share buyback").citations[0].title == "Oakridge buyback"


def test_collection_of_another_embedder_is_refused(settings, hashing):
    from index.errors import UsageError
    from index.store import connect, open_store

    open_core(settings, hashing)
    client = connect(settings.data_dir)
    with pytest.raises(UsageError, match="embedder"):
        open_store(client, settings.collection, "some-other-model")


def test_server_mode_ingests_and_answers(chroma_server, settings, hashing):
    host, port = chroma_server
    remote = settings.model_copy(update={"chroma_host": host, "chroma_port": port})
    core = open_core(remote, hashing)
    core.ingest(articles(5))
    again = core.ingest(articles(5))
    assert again.unchanged == 5
    answer = core.ask("How much did Company 3 raise in its term loan?")
    assert not answer.refused
    lead, quoted = answer.sentences[:2]  # the asked value first, then the sentence giving it
    assert lead.text == "3 million dollars" and "Company 3" in quoted.text
    assert not (settings.data_dir / "chroma").exists()


def test_dense_scores_are_cosine(finnews):
    finnews.ingest(articles(3))
    v = finnews.embedder.embed(
        ["Deal number 1\nCompany 1 raised 1 million dollars in a term loan."]
    )[0]
    best = finnews.store.dense(v, 1)[0]
    assert best.score == pytest.approx(float(np.dot(v, v)), abs=0.05)


def test_repeated_record_with_other_metadata_does_not_flip_flop(settings, hashing):
    counting = CountingEmbedder(hashing)
    core = open_core(settings, counting)
    body = "Norbeck Steel sold 120 million dollars of ten-year notes to pension funds."
    twins = [make(None, "Norbeck notes", body, day=3), make(None, "Norbeck notes", body, day=4)]
    first = core.ingest(twins)
    embedded = counting.texts
    second = core.ingest(twins)
    assert (first.added, len(first.skipped)) == (1, 1)
    assert (second.unchanged, second.replaced, counting.texts) == (1, 0, embedded)


def test_article_hashes_are_computed_once_per_article():
    # The store writes both hashes into every chunk's metadata: recomputing them per chunk
    # made ingest quadratic in an article's length.
    article = make(None, "Quillmark sells notes", "Quillmark Foods sold notes. " * 1000)
    assert article.content_hash is article.content_hash
    assert article.text_hash is article.text_hash
