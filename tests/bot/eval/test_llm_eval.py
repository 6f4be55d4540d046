"""`finnews eval multihop` with a model answering: the same path, gold answers scored by word."""

from __future__ import annotations

from pathlib import Path

from openai_fake import FakeOpenAI, Reply, article_number, open_llm_core

from bot.eval.multihop import Gold, gold_word_in, summarise
from bot.eval.report import answerer_line
from bot.eval.run import Evaluation, run_ours
from index.ingest.pipeline import Report

pytest_plugins = ["openai_fake"]


def test_gold_word_matches_whole_words_only():
    assert gold_word_in("No, Corvanta did not.", "No")
    assert not gold_word_in("It is not known now.", "no")
    assert gold_word_in("Halvorsen Wind, reported by Capital Wire [1].", "Capital Wire")
    assert not gold_word_in("anything", "")


def test_eval_path_runs_with_the_model_and_scores_comparison_replies(
    tmp_path: Path, model: FakeOpenAI
):
    core = open_llm_core(tmp_path, model)
    golds = [
        Gold(
            "Did Halvorsen Wind's green bond carry a coupon above 3%?",
            "comparison_query",
            "Yes",
            ("3.875% annual coupon",),
            (),
        ),
        Gold(
            "Is Halvorsen Wind raising less than €100 million?",
            "comparison_query",
            "No",
            ("€600 million",),
            (),
        ),
    ]

    def reply(prompt: str) -> str:
        n = article_number(prompt, "Halvorsen Wind to raise")
        return f"Yes, the bond carries a 3.875% annual coupon [{n}]."

    model.script(Reply(reply), Reply(status=500))
    rows = run_ours(core, golds)
    assert [r.outcome.gold_word for r in rows] == [True, False]
    assert rows[0].answer.sentences[0].text.startswith("Yes, the bond")
    assert summarise([r.outcome for r in rows])["gold_in_reply"] == 0.5
    assert all(r.answer_seconds > 0 for r in rows)
    ev = Evaluation(rows, None, "c", Report(), 0.0, None, answerer="LLM: fake")
    line = answerer_line(ev)
    assert "1 of 2 non-refusals fell back to the extractive answer" in line
