"""The BM25 index never answers from chunks the store no longer holds, whatever crashed."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from ingest_process import CRASHED

from bot.core import open_finnews
from index.records import article_id
from index.retrieval.lexical import terms
from tests.index.ingest.test_ingest import make

BODY = (
    "Quillmark Foods sold $300 million of senior notes due 2031 on Thursday, people "
    "familiar with the deal said. The notes were priced at par."
)
LATE = (
    "Zephyrine Robotics raised $85 million in a Series C round led by Kestrel Lane "
    "Partners, the company said on Monday, to build a second factory."
)


def _crash_while_ingesting(settings, title: str, body: str) -> None:
    script = ROOT / "tests" / "fakes" / "ingest_process.py"
    done = subprocess.run(
        [sys.executable, str(script), str(settings.data_dir), title, body, "--crash"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == CRASHED, done.stderr[-2000:]


def test_chunks_written_by_a_process_that_crashed_before_the_generation_bump_are_searched(
    settings, hashing
):
    finnews = open_finnews(settings, hashing)
    finnews.ingest([make(None, "Quillmark sells notes", BODY)])
    assert len(finnews.lexicon.get().chunk_ids) == 1  # saved, stamped with this generation
    _crash_while_ingesting(settings, "Zephyrine raises $85 million", LATE)
    lex = open_finnews(settings, hashing).lexicon.get()
    [(row, _)] = lex.search(terms("Zephyrine Series C"), k=1)
    assert lex.chunk_ids[row] == f"{article_id(None, 'Zephyrine raises $85 million', LATE)}:0"


def test_bm25_arrays_zeroed_in_place_are_detected_and_rebuilt(sample_core):
    from index.retrieval import lexical

    folder = sample_core.lexicon._folder
    sample_core.lexicon.rebuild()
    arrays = sorted((folder / "bm25").glob("*.npy"), key=lambda p: -p.stat().st_size)[0]
    arrays.write_bytes(arrays.read_bytes()[:128] + bytes(arrays.stat().st_size - 128))
    assert lexical.load(folder) is None  # the checksum no longer matches: rebuilt on next use
    reopened = open_finnews(sample_core.settings, sample_core.embedder)
    assert len(reopened.lexicon.get().chunk_ids) == sample_core.store.count()
    assert lexical.load(folder) is not None


def test_temporary_folders_left_by_a_crashed_save_are_removed(sample_core):
    folder = sample_core.lexicon._folder
    dead = folder.with_name(folder.name + ".tmp999999999")  # no such process
    dead.mkdir()
    (dead / "meta.json").write_text("{}")
    sample_core.lexicon.rebuild()
    assert not dead.exists()
