"""The lexical index never answers from chunks the store no longer holds, whatever crashed."""

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


def _crash_while_ingesting(settings, title: str, body: str, *extra: str) -> None:
    script = ROOT / "tests" / "fakes" / "ingest_process.py"
    done = subprocess.run(
        [sys.executable, str(script), str(settings.data_dir), title, body, "--crash", *extra],
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
    assert finnews.lexicon.get().count == 1  # written with the chunks, stamped alike
    _crash_while_ingesting(settings, "Zephyrine raises $85 million", LATE)
    lex = open_finnews(settings, hashing).lexicon.get()
    assert lex.count == 2
    [chunk_id] = lex.chunk_ids(lex.search(terms("Zephyrine Series C"), k=1))
    assert chunk_id == f"{article_id(None, 'Zephyrine raises $85 million', LATE)}:0"


def test_a_replaced_article_leaves_no_stale_chunks_after_a_crash(settings, hashing):
    finnews = open_finnews(settings, hashing)
    url = "https://ledger.example/quillmark"
    finnews.ingest([make(url, "Quillmark sells notes", BODY)])
    edited = BODY.replace("senior notes", "green bonds")
    _crash_while_ingesting(settings, "Quillmark sells notes", edited, f"--url={url}")
    lex = open_finnews(settings, hashing).lexicon.get()
    assert lex.count == 1
    assert lex.search(terms("green bonds"), k=1)
    assert not lex.search(terms("senior"), k=1)


def test_a_running_process_sees_another_process_ingest_without_reindexing(settings, hashing):
    reader = open_finnews(settings, hashing)
    reader.ingest([make(None, "Quillmark sells notes", BODY)])
    before = reader.lexicon.get()
    script = ROOT / "tests" / "fakes" / "ingest_process.py"
    done = subprocess.run(
        [sys.executable, str(script), str(settings.data_dir), "Zephyrine raises", LATE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    after = reader.lexicon.get()
    assert after.count == 2 and after.epoch == before.epoch  # grown, not rebuilt
    assert after.generation == reader.store.generation()
    assert after.chunk_ids(after.search(terms("Zephyrine"), k=1))


def test_a_damaged_index_file_is_built_again_from_the_store(sample_core):
    path = sample_core.lexicon.path
    sample_core.lexicon.get()
    path.write_bytes(b"not a database" * 100)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    reopened = open_finnews(sample_core.settings, sample_core.embedder)
    assert reopened.lexicon.get().count == sample_core.store.count()


def test_an_old_bm25s_folder_is_replaced_once_with_a_log_line(settings, hashing, caplog):
    finnews = open_finnews(settings, hashing)
    finnews.ingest([make(None, "Quillmark sells notes", BODY)])
    finnews.lexicon.path.unlink()
    legacy = finnews.lexicon.path.with_suffix("")
    legacy.mkdir()
    (legacy / "meta.json").write_text("{}")
    with caplog.at_level("WARNING", logger="index.retrieval.lexicon"):
        assert open_finnews(settings, hashing).lexicon.get().count == 1
    assert not legacy.exists()
    assert "replaces the bm25s index" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="index.retrieval.lexicon"):
        open_finnews(settings, hashing).lexicon.get()
    assert "bm25s" not in caplog.text
