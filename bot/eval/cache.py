"""An on-disk memory of passage vectors for evaluation runs, so a fresh collection is cheap."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

FILE = "vectors.npz"


class CachedEmbedder:
    """Wraps an embedder; `embed` remembers vectors by text in a folder (one per embedder
    fingerprint), so re-ingesting the corpus after an ingest-code edit runs the model only on
    chunks whose text changed. Queries are never cached: their time is what is measured."""

    def __init__(self, embedder: Any, folder: Path) -> None:
        self._inner = embedder
        self._folder = folder
        self._rows: dict[str, int] = {}
        self._vectors = np.zeros((0, embedder.dim), np.float32)
        self._unsaved = 0
        if (folder / FILE).is_file():
            with np.load(folder / FILE, allow_pickle=False) as saved:
                self._vectors = saved["vectors"]
                self._rows = {str(k): n for n, k in enumerate(saved["keys"])}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)  # name, dim, max_tokens, count_tokens, ...

    def embed_query(self, text: str) -> np.ndarray:
        """The inner embedder's query vector, uncached."""
        return self._inner.embed_query(text)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of the texts, running the inner embedder only on ones not seen before."""
        keys = [hashlib.sha256(t.encode()).hexdigest()[:32] for t in texts]
        todo = list(dict.fromkeys(k for k in keys if k not in self._rows))
        if todo:
            first = {k: t for k, t in zip(keys, texts, strict=True)}
            fresh = self._inner.embed([first[k] for k in todo]).astype(np.float32)
            start = len(self._vectors)
            self._vectors = np.concatenate([self._vectors, fresh])
            self._rows.update({k: start + n for n, k in enumerate(todo)})
            self._unsaved += len(todo)
        return self._vectors[[self._rows[k] for k in keys]].reshape(len(keys), -1)

    def save(self) -> None:
        """Write the vectors to the folder as one file, replaced whole."""
        if not self._unsaved:
            return
        self._folder.mkdir(parents=True, exist_ok=True)
        keys = np.array(sorted(self._rows, key=self._rows.__getitem__))
        part = self._folder / (FILE + ".part")
        with part.open("wb") as f:
            np.savez(f, keys=keys, vectors=self._vectors)
        os.replace(part, self._folder / FILE)
        self._unsaved = 0
