"""A real finnews core over the project's fictional sample articles, for the chat platforms'
tests (each platform's fake shares one per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import Finnews, open_finnews
from bot.settings import Settings
from index.embed.embedders import HashingEmbedder
from index.ingest.sources import load_paths

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def open_core(folder: Path) -> Finnews:
    """A real finnews core (hashing embedder) over the project's fictional sample articles."""
    if not SAMPLES.is_dir():
        pytest.skip("samples/ is missing")
    settings = Settings(_env_file=None, data_dir=folder, embedder="hashing")
    core = open_finnews(settings, embedder=HashingEmbedder())
    core.ingest(load_paths([SAMPLES]))
    return core
