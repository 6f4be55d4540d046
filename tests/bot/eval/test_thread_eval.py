"""The thread evaluation: turns run as the chat core runs them, scored per turn."""

from __future__ import annotations

import json

import pytest

from bot.eval.threads import errors, load_threads, run_thread, shares
from index.ingest.sources import load_paths
from tests.conftest import SAMPLES


def test_thread_turns_are_scored_on_company_fact_and_gap(tmp_path, finnews):
    if not SAMPLES.is_dir():
        pytest.skip("samples/ is missing")
    finnews.ingest(load_paths([SAMPLES]))
    path = tmp_path / "threads.json"
    path.write_text(
        json.dumps(
            [
                {
                    "id": "t1",
                    "turns": [
                        {
                            "question": "How much is Copperline Telecom "
                            "raising in its rights issue?",
                            "answer": "£250 million",
                            "aliases": ["250 million"],
                            "company": "Copperline Telecom",
                        },
                        {
                            "question": "Who is underwriting it?",
                            "answer": "Albright Vesey",
                            "aliases": ["Norland Bank"],
                            "company": "Copperline Telecom",
                        },
                        {
                            "question": "What is their credit rating?",
                            "answer": "not in sources",
                            "aliases": [],
                            "company": "Copperline Telecom",
                        },
                    ],
                }
            ]
        )
    )
    [thread] = load_threads(path)
    assert thread.turns[2].answers == () and thread.turns[1].company == "Copperline Telecom"
    rows = run_thread(finnews, thread)
    assert [r.first for r in rows] == [True, False, False]
    assert shares(rows)["all turns"] == (3, 3), [r.reply for r in rows]
    assert not errors(rows)
