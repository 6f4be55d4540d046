"""MultiHop-RAG scoring on hand-made cases, and `finnews eval multihop` on a slice of the corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.eval.multihop import (
    METRICS,
    Gold,
    article_recall,
    first_relevant,
    load_queries,
    outcome,
    percentile,
    summarise,
)
from index.errors import UsageError
from tests.conftest import ROOT, SHARED

FACT = "Northwind Capital raised $40 million in a Series B round."


def gold(
    qtype: str = "comparison_query",
    facts: tuple[str, ...] = (FACT,),
    urls: tuple[str, ...] = ("https://a.example/1",),
    answer: str = "Yes",
) -> Gold:
    return Gold("a question?", qtype, answer, facts, urls)


def test_a_hit_at_rank_three_gives_mrr_one_third():
    texts = ["nothing here", "nor here", "Before. " + FACT + " After.", FACT]
    scored = outcome(gold(), texts, [None] * 4)
    assert scored.rank == 3
    figures = summarise([scored])
    assert figures["mrr@10"] == pytest.approx(1 / 3)
    assert figures["hits@4"] == figures["hits@10"] == 1.0


def test_a_fact_only_at_rank_five_is_a_hit_at_ten_not_at_four():
    texts = ["filler"] * 4 + [FACT]
    figures = summarise([outcome(gold(), texts, [None] * 5)])
    assert (figures["hits@4"], figures["hits@10"]) == (0.0, 1.0)
    assert figures["mrr@10"] == pytest.approx(0.2)


def test_spaces_and_newlines_are_ignored_when_matching_facts():
    wrapped = "Northwind Capital raised $40\nmillion in a Series B\n round."
    assert first_relevant([wrapped], [FACT]) == 1
    assert (
        first_relevant(["Northwind Capital raised $40 million in a Series C round."], [FACT])
        is None
    )


def test_a_fact_beyond_rank_ten_counts_as_a_miss():
    texts = ["filler"] * 10 + [FACT]
    figures = summarise([outcome(gold(), texts, [None] * 11)])
    assert figures["hits@10"] == 0.0 and figures["mrr@10"] == 0.0


def test_article_recall_with_two_of_three_urls_found():
    wanted = [
        "https://a.example/one?utm_source=rss",
        "https://b.example/two/",
        "https://c.example/three",
    ]
    found = ["https://b.example/two", None, "https://A.example/one", "https://d.example/x"]
    assert article_recall(found, wanted) == pytest.approx(2 / 3)


def test_null_queries_are_left_out_of_retrieval_metrics():
    hit = outcome(gold(), [FACT], ["https://a.example/1"], refused=False, reply="x")
    null = outcome(gold("null_query", (), ()), ["filler"], [None], refused=True, reply="no")
    figures = summarise([hit, null])
    assert figures["hits@10"] == 1.0 and figures["article_recall@10"] == 1.0
    assert figures["null_refusal"] == 1.0 and figures["nonnull_refusal"] == 0.0


def test_answer_contains_counts_inference_queries_and_a_refusal_misses():
    said = outcome(
        gold("inference_query", answer="Sam Altman"),
        [FACT],
        [None],
        refused=False,
        reply="The board removed sam altman on Friday [1]",
    )
    refused = outcome(
        gold("inference_query", answer="indexed"),
        [FACT],
        [None],
        refused=True,
        reply="The indexed articles do not answer this question.",
    )
    other = outcome(gold(answer="Yes"), [FACT], [None], refused=False, reply="Yes")
    assert (said.contains, refused.contains, other.contains) == (True, False, None)
    assert summarise([said, refused, other])["answer_contains"] == 0.5


def test_retrieval_only_pipeline_has_no_answer_figures():
    figures = summarise([outcome(gold("inference_query"), [FACT], [None])])
    assert figures["hits@10"] == 1.0
    assert figures["null_refusal"] is figures["nonnull_refusal"] is figures["answer_contains"]
    assert figures["answer_contains"] is None


def test_percentiles_interpolate():
    assert percentile([10.0, 20.0, 30.0, 40.0], 50) == 25.0
    assert percentile([5.0], 95) == 5.0 and percentile([], 50) is None


def test_a_file_that_is_not_a_query_file_is_a_usage_error(tmp_path):
    bad = tmp_path / "q.json"
    bad.write_text('[{"question": "no query key"}]')
    with pytest.raises(UsageError, match="not a MultiHop-RAG query file"):
        load_queries(bad)


class MustNotEmbed:
    """An embedder of the hashing kind whose passage vectors must come from the cache."""

    name, dim, max_tokens = "hashing-384", 384, 254

    def embed(self, texts):
        raise AssertionError(f"the model ran again on {texts!r}")


def test_passage_vectors_are_remembered_across_runs(tmp_path):
    from bot.eval.cache import CachedEmbedder
    from index.embed.embedders import HashingEmbedder

    twice = "Acme sold $5 million of bonds."
    texts = [twice, "Beta raised equity.", twice]
    first = CachedEmbedder(HashingEmbedder(), tmp_path)
    vectors = first.embed(texts)
    assert np.array_equal(vectors, HashingEmbedder().embed(texts))
    first.save()
    again = CachedEmbedder(MustNotEmbed(), tmp_path)
    assert np.array_equal(again.embed(texts[::-1]), vectors[::-1])
    assert again.max_tokens == 254


# --- `finnews eval multihop` end to end on a slice, with the hashing embedder ---

ARTICLES = 40
MAX_QUERIES = 16
NULLS = 4


def write_slice(folder: Path) -> tuple[Path, Path]:
    """The first articles of the corpus, queries whose evidence lies only in them, a few nulls."""
    corpus = json.loads((SHARED / "multihop-rag" / "corpus.json").read_text())[:ARTICLES]
    queries = json.loads((SHARED / "multihop-rag" / "queries_dev.json").read_text())
    urls = {a["url"] for a in corpus}
    inside = [
        q
        for q in queries
        if q["evidence_list"] and all(e["url"] in urls for e in q["evidence_list"])
    ][:MAX_QUERIES]
    nulls = [q for q in queries if q["question_type"] == "null_query"][:NULLS]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "corpus.json").write_text(json.dumps(corpus))
    (folder / "queries.json").write_text(json.dumps(inside + nulls))
    return folder / "corpus.json", folder / "queries.json"


def run_eval(data_dir: Path, corpus: Path, queries: Path, *extra: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINNEWS_")}
    env |= {"FINNEWS_DATA_DIR": str(data_dir), "FINNEWS_EMBEDDER": "hashing"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli.main",
            "eval",
            "multihop",
            "--corpus",
            str(corpus),
            "--queries",
            str(queries),
            *extra,
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory):
    """One eval run with the baseline on the slice: (folder, corpus, queries, stdout)."""
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not present")
    folder = tmp_path_factory.mktemp("eval")
    corpus, queries = write_slice(folder)
    stdout = run_eval(
        folder / "data", corpus, queries, "--baseline", "--out", str(folder / "report.json")
    )
    return folder, corpus, queries, stdout


def check_report(data: dict, n_queries: int, answered: bool) -> None:
    assert set(data) == {"overall", "by_type", "queries"}
    assert set(data["overall"]) == set(METRICS)
    for figures in [data["overall"], *data["by_type"].values()]:
        for name in METRICS:
            value = figures[name]
            assert value is None or 0.0 <= value <= 1.0, (name, value)
    assert all(data["overall"][m] is not None for m in METRICS[:4])
    assert (data["overall"]["null_refusal"] is not None) == answered
    assert len(data["queries"]) == n_queries
    for q in data["queries"]:
        assert q["question"] and q["type"] and len(q["passages"]) <= 10
        assert all(p["url"] and p["text"] for p in q["passages"])
        if q["type"] != "null_query":
            assert q["hit"] == (q["rank"] is not None)
            assert q["hit"] == any(p["relevant"] for p in q["passages"])
        assert (q["reply"] is not None) == answered


def test_eval_writes_reports_with_the_fixed_keys(evaluated):
    folder, _, queries, stdout = evaluated
    n = len(json.loads(queries.read_text()))
    check_report(json.loads((folder / "report.json").read_text()), n, answered=True)
    check_report(json.loads((folder / "report.baseline.json").read_text()), n, answered=False)
    assert "hits@10" in stdout and "baseline" in stdout and "wall time" in stdout


def test_eval_answers_exactly_as_ask_does_and_reuses_both_indexes(evaluated):
    """The harness retrieves 10 once and composes from the first top_k: the same as `ask`."""
    from bot.eval.run import ingest_corpus, open_corpus_baseline, open_eval_core, run_ours
    from bot.settings import Settings
    from index.embed.embedders import HashingEmbedder

    folder, corpus, queries, _ = evaluated
    settings = Settings(_env_file=None, data_dir=folder / "data", embedder="hashing")
    fn = open_eval_core(settings, corpus, HashingEmbedder())
    report = ingest_corpus(fn, corpus)
    assert (report.added, report.replaced, report.unchanged) == (0, 0, ARTICLES)
    golds = load_queries(queries)
    for row in run_ours(fn, golds):
        asked = fn.ask(row.gold.question)
        # a yes/no question's reading adds each named outlet's evidence after these
        assert [p.chunk_id for p in asked.passages[: settings.top_k]] == [
            p.chunk_id for p in row.passages[: settings.top_k]
        ]
        assert asked.text == row.answer.text and asked.refused == row.answer.refused
    baseline, built = open_corpus_baseline(settings, corpus, HashingEmbedder())
    assert not built and len(baseline.search(golds[0].question)) == 10


def test_limit_keeps_the_first_queries_in_file_order(evaluated):
    _, _, queries, _ = evaluated
    every = load_queries(queries)
    assert load_queries(queries, 3) == every[:3]
