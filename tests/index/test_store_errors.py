"""A damaged or half-deleted store is reported in words, never as a traceback or an empty index."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

from bot.core import open_finnews
from index.errors import UsageError

BODY = (
    "Zephyrine Robotics raised $85 million in a Series C round led by Kestrel Lane "
    "Partners, the company said on Monday, to build a second factory."
)


def _ingest_elsewhere(settings) -> None:
    """Build the store in another process, so this one holds no open copy of it."""
    script = ROOT / "tests" / "fakes" / "ingest_process.py"
    subprocess.run(
        [sys.executable, str(script), str(settings.data_dir), "Zephyrine raises $85 million", BODY],
        cwd=ROOT,
        check=True,
        timeout=120,
    )


def test_store_folder_without_its_database_is_a_clear_error(settings):
    _ingest_elsewhere(settings)
    (settings.data_dir / "chroma" / "chroma.sqlite3").unlink()
    with pytest.raises(UsageError, match="has no chroma.sqlite3"):
        open_finnews(settings)


def test_truncated_database_is_a_clear_error(settings):
    _ingest_elsewhere(settings)
    database = settings.data_dir / "chroma" / "chroma.sqlite3"
    database.write_bytes(database.read_bytes()[:5000])
    with pytest.raises(UsageError, match="chroma.sqlite3"):
        open_finnews(settings)


def test_deals_of_articles_gone_from_the_store_are_forgotten(settings, hashing):
    import shutil

    from tests.index.ingest.test_ingest import make

    _ingest_elsewhere(settings)
    shutil.rmtree(settings.data_dir / "chroma")  # the store is started afresh; deals remain
    finnews = open_finnews(settings, hashing)
    kept = make(
        None,
        "Quillmark sells notes",
        "Quillmark Foods sold $300 million of senior "
        "notes due 2031 on Thursday, people familiar with the deal said.",
    )
    finnews.ingest([kept])
    assert {d.article_id for d in finnews.deals.deals()} <= {kept.id}
