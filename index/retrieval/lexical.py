"""The BM25 side of retrieval: an index over every chunk, kept beside the store."""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from index.retrieval import passages as context
from index.retrieval.passages import ArticleTexts
from index.text import sentences

WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
NO_DATE = -(2**62)
FORMAT = 5  # bump when the saved layout or the term analysis changes: old indexes are rebuilt


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


# English function words and question words: they carry no topic, in articles or questions.
STOPWORDS = frozenset(
    """
a about above after again against all am an and any are aren't as at be because been before being
below between both but by can cannot could couldn't did didn't do does doesn't doing don't down
during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her
here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's
its itself let's me more most mustn't my myself no nor not of off on once only or other ought our
ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than
that that's the their theirs them themselves then there there's these they they'd they'll they're
they've this those through to too under until up very was wasn't we we'd we'll we're we've were
weren't what what's when when's where where's which while who who's whom why why's with won't would
wouldn't you you'd you'll you're you've your yours yourself yourselves s t also said says say much
many may might must shall will just yet via per whether either neither whose didn doesn isn
wasn aren don won hasn haven hadn couldn wouldn shouldn weren
""".split()
)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return STOPWORDS


def terms(text: str) -> list[str]:
    """Lower-cased, stop-word-free, stemmed terms; the same for chunks and questions."""
    stop = _stopwords()
    words = [w.replace(",", "") for w in WORD.findall(text.lower()) if w not in stop]
    return _stemmer().stemWords(words)


@dataclass
class LexicalIndex:
    """BM25 over chunks plus the per-chunk fields that filters need."""

    bm25: Any
    chunk_ids: list[str]
    sources: np.ndarray  # outlet per chunk as written ("" when unknown)
    stamps: np.ndarray  # publication time per chunk, epoch seconds (NO_DATE when unknown)
    doc_freq: dict[str, int]
    sentence_terms: list[list[str]]  # per chunk, each sentence's terms joined by spaces
    articles: ArticleTexts  # article texts rebuilt from chunks, for small-to-big passages

    def __post_init__(self) -> None:
        self.source_keys = np.char.lower(self.sources.astype(str))
        self.rows = {chunk_id: row for row, chunk_id in enumerate(self.chunk_ids)}
        self.outlets = tuple(sorted({s for s in self.sources.tolist() if s}))
        self._last: tuple[tuple[str, ...], np.ndarray] | None = None

    def sentences(self, chunk_id: str, text: str) -> list[set[str]]:
        """The term set of each sentence of a chunk: read from the index (analysed when it was
        built, to keep that work off the query path), or analysed now for an unknown chunk."""
        row = self.rows.get(chunk_id)
        if row is None:
            return [set(terms(s)) for s in sentences.split(text)]
        return [set(s.split()) for s in self.sentence_terms[row]]

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term; one found nowhere counts as the rarest found."""
        n = len(self.chunk_ids)
        df = max(self.doc_freq.get(term, 0), 1)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def mask(
        self, since: int | None, until: int | None, sources: Iterable[str] = ()
    ) -> np.ndarray | None:
        """Boolean mask of chunks inside a date range and among outlets; None when unfiltered."""
        keep = np.ones(len(self.chunk_ids), dtype=bool)
        if since is not None:
            keep &= self.stamps >= since
        if until is not None:
            keep &= (self.stamps <= until) & (self.stamps != NO_DATE)
        wanted = [s.lower() for s in sources]
        if wanted:
            keep &= np.isin(self.source_keys, wanted)
        return None if keep.all() else keep

    def _scores(self, query_terms: list[str]) -> np.ndarray:
        """BM25 scores of every chunk; a question's lists (whole index, each outlet, each period)
        share its terms, so the last query's scores are kept."""
        key = tuple(query_terms)
        last = self._last
        if last is not None and last[0] == key:
            return last[1]
        scores = self.bm25.get_scores(query_terms)
        self._last = (key, scores)  # one tuple: a reader in another thread sees a whole pair
        return scores

    def search(
        self, query_terms: list[str], k: int, mask: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Top k (row, score) by BM25 among rows allowed by the mask."""
        if not query_terms or not self.chunk_ids:
            return []
        scores = self._scores(query_terms)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


def build(rows: Iterable[tuple[str, str, dict[str, Any]]]) -> LexicalIndex:
    """Index (chunk id, text, metadata) rows; the title is indexed with each chunk."""
    import bm25s

    ids, tokens, sources, stamps, split, texts = [], [], [], [], [], []
    doc_freq: Counter[str] = Counter()
    for chunk_id, text, meta in rows:
        toks = terms(f"{meta.get('title', '')}\n{text}")
        ids.append(chunk_id)
        tokens.append(toks)
        doc_freq.update(set(toks))
        sources.append(meta.get("source", ""))
        stamps.append(meta.get("published_ts", NO_DATE))
        split.append([" ".join(terms(s)) for s in sentences.split(text)])
        texts.append(text)
    bm25 = bm25s.BM25()
    if tokens:
        bm25.index(tokens, show_progress=False)
    return LexicalIndex(
        bm25,
        ids,
        np.array(sources, dtype=str),
        np.array(stamps, dtype=np.int64),
        dict(doc_freq),
        split,
        context.build(zip(ids, texts, strict=True)),
    )


def _checksum(folder: Path) -> str:
    """A hash of the saved arrays: a file changed in place (they are memory-mapped) shows."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "meta.json"):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _remove_leftovers(folder: Path) -> None:
    """Temporary folders of saves whose process died before renaming them."""
    for path in folder.parent.glob(folder.name + ".*"):
        pid = path.name.rsplit(".", 1)[-1].removeprefix("tmp").removeprefix("old")
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def save(index: LexicalIndex, folder: Path, generation: str) -> None:
    """Write the index atomically: a half-written folder is never loaded."""
    if folder.parent.is_dir():
        _remove_leftovers(folder)
    tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if index.chunk_ids:
        index.bm25.save(str(tmp / "bm25"), show_progress=False)
    np.save(tmp / "stamps.npy", index.stamps)
    meta = {
        "format": FORMAT,
        "generation": generation,
        "checksum": _checksum(tmp),
        "chunk_ids": index.chunk_ids,
        "sources": index.sources.tolist(),
        "doc_freq": index.doc_freq,
        "sentence_terms": index.sentence_terms,
        "articles": index.articles.to_json(),
    }
    (tmp / "meta.json").write_text(json.dumps(meta))
    old = folder.with_name(folder.name + f".old{os.getpid()}")
    if folder.exists():
        folder.rename(old)
    tmp.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def load(folder: Path) -> tuple[LexicalIndex, str] | None:
    """The saved index and its generation, or None when absent or unreadable."""
    import bm25s

    try:
        meta = json.loads((folder / "meta.json").read_text())
        if meta.get("format") != FORMAT or meta.get("checksum") != _checksum(folder):
            return None
        stamps = np.load(folder / "stamps.npy")
        bm25 = (
            bm25s.BM25.load(str(folder / "bm25"), mmap=True, show_progress=False)
            if meta["chunk_ids"]
            else bm25s.BM25()
        )
    except (OSError, ValueError, KeyError):
        return None
    index = LexicalIndex(
        bm25,
        meta["chunk_ids"],
        np.array(meta["sources"], dtype=str),
        stamps,
        meta["doc_freq"],
        meta["sentence_terms"],
        ArticleTexts.from_json(meta["articles"]),
    )
    return index, meta["generation"]
