"""A long-running process sees what another process writes to the same embedded store."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

from bot.core import open_finnews
from tests.index.ingest.test_ingest import make

FIRST = (
    "Quillmark Foods sold $300 million of senior notes due 2031 on Thursday, people "
    "familiar with the deal said. The notes were priced at par."
)
LATER = (
    "Zephyrine Robotics raised $85 million in a Series C round led by Kestrel Lane "
    "Partners, the company said on Monday, to build a second factory."
)


def test_vectors_another_process_ingests_are_found_by_dense_search(settings, hashing):
    serving = open_finnews(settings, hashing)  # the `serve` process, open before the ingest
    serving.ingest([make(None, "Quillmark sells notes", FIRST)])
    assert [p.title for p in serving.retriever.search("Quillmark notes", k=1)]
    script = ROOT / "tests" / "fakes" / "ingest_process.py"
    subprocess.run(
        [
            sys.executable,
            str(script),
            str(settings.data_dir),
            "Zephyrine raises $85 million",
            LATER,
        ],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    serving.lexicon.get()  # what every question does first: notices the new generation
    found = serving.store.dense(hashing.embed_query("Zephyrine Robotics Series C"), 2)
    assert "Zephyrine raises $85 million" in [p.title for p in found]
