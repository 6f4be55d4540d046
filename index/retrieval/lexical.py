"""The BM25 side of retrieval: term analysis, and a view of the on-disk index (postings.py)
that scores chunks at query time with Lucene's BM25 (k1 1.5, b 0.75, as bm25s did)."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np

from index.retrieval import passages as context
from index.retrieval.passages import ArticleTexts
from index.retrieval.postings import Analysed, PostingsFile
from index.text import sentences

WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
NO_DATE = -(2**62)
K1, B = 1.5, 0.75


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


def analyse(
    chunk_id: str,
    text: str,
    title: str = "",
    source: str = "",
    stamp: int | None = None,
    content_hash: str = "",
) -> Analysed:
    """A chunk as the index keeps it; the title is indexed with each chunk."""
    return Analysed(
        chunk_id,
        chunk_id.rsplit(":", 1)[0],
        int(chunk_id.rsplit(":", 1)[1]) if chunk_id.rsplit(":", 1)[-1].isdigit() else 0,
        source or "",
        NO_DATE if stamp is None else stamp,
        Counter(terms(f"{title}\n{text}")),
        "\n".join(" ".join(terms(s)) for s in sentences.split(text)),
        text,
        content_hash,
    )


def article_texts(rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Article id -> JSON of its text rebuilt from (chunk id, text) rows of all its chunks."""
    built = context.build(rows)
    return {
        a: json.dumps(
            ArticleTexts(
                {a: text},
                {a: built.sentence_spans[a]},
                {c: s for c, s in built.chunk_spans.items() if c.rsplit(":", 1)[0] == a},
            ).to_json()
        )
        for a, text in built.texts.items()
    }


def analyse_row(chunk_id: str, text: str, meta: dict[str, Any]) -> Analysed:
    """A chunk from a store row (chunk id, text, metadata)."""
    return analyse(
        chunk_id,
        text,
        meta.get("title", ""),
        meta.get("source", ""),
        meta.get("published_ts"),
        meta.get("content_hash", ""),
    )


@dataclass(frozen=True)
class Rows:
    """Per-row fields of the index, as arrays indexed by row number."""

    alive: np.ndarray
    stamps: np.ndarray
    codes: np.ndarray
    lengths: np.ndarray
    segment: int = 0  # the last segment and dead mark read
    dead: int = 0

    @classmethod
    def empty(cls) -> Rows:
        """No rows."""
        return cls(
            np.zeros(1, dtype=bool),
            np.full(1, NO_DATE, dtype=np.int64),
            np.zeros(1, dtype=np.int32),
            np.zeros(1, dtype=np.uint16),
        )

    def grown(self, file: PostingsFile) -> Rows:
        """These rows with the segments and deaths written to the file since."""
        segments, segment = file.segments(self.segment)
        dead, mark = file.dead(self.dead)
        if not segments and not len(dead):
            return self
        top = max([len(self.alive) - 1] + [int(s.rows.max()) for s in segments if len(s.rows)])
        size = top + 1
        alive, stamps = _resize(self.alive, size, False), _resize(self.stamps, size, NO_DATE)
        codes, lengths = _resize(self.codes, size, 0), _resize(self.lengths, size, 0)
        for s in segments:
            alive[s.rows], stamps[s.rows] = True, s.stamps
            codes[s.rows], lengths[s.rows] = s.sources, s.lengths
        alive[dead] = False
        return Rows(alive, stamps, codes, lengths, segment, mark)


def _resize(a: np.ndarray, size: int, fill: Any) -> np.ndarray:
    out = np.full(size, fill, dtype=a.dtype)
    out[: len(a)] = a[:size]
    return out


@dataclass
class LexicalIndex:
    """One state of the on-disk index, and its BM25 search; `grown` gives a later state."""

    file: PostingsFile
    rows: Rows
    generation: str
    epoch: str
    names: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.size = len(self.rows.alive)
        live = self.rows.alive
        self.count = int(live.sum())
        self.avgdl = float(self.rows.lengths[live].mean()) if self.count else 1.0
        present = np.unique(self.rows.codes[live]).tolist()
        self.outlets = tuple(sorted({self.names.get(c, "") for c in present} - {""}))
        self._idf: dict[str, float] = {}
        self._last: tuple[tuple[str, ...], np.ndarray] | None = None

    @classmethod
    def open(cls, file: PostingsFile) -> LexicalIndex:
        """The file's current state."""
        return cls(
            file,
            Rows.empty().grown(file),
            file.meta("generation") or "",
            file.meta("epoch") or "",
            file.sources(),
        )

    def grown(self) -> LexicalIndex:
        """The file's current state, reading only what was written since this one (the whole
        file when it was rebuilt)."""
        if self.file.meta("epoch") != self.epoch:
            return LexicalIndex.open(self.file)
        rows = self.rows.grown(self.file)
        generation = self.file.meta("generation") or ""
        if rows is self.rows:
            return self if generation == self.generation else replace(self, generation=generation)
        return LexicalIndex(self.file, rows, generation, self.epoch, self.file.sources())

    def sentences(self, chunk_id: str, text: str) -> list[set[str]]:
        """The term set of each sentence of a chunk: read from the index (analysed when it was
        written, to keep that work off the query path), or analysed now for an unknown chunk."""
        found = self.file.sentences([chunk_id]).get(chunk_id)
        if found is None:
            return [set(terms(s)) for s in sentences.split(text)]
        return [set(s.split()) for s in found.split("\n")] if found else []

    def articles(self, article_ids: Iterable[str]) -> ArticleTexts:
        """The texts of these articles rebuilt from their chunks (when written), for
        small-to-big passages."""
        out = ArticleTexts({}, {}, {})
        for data in self.file.texts(sorted(set(article_ids))):
            one = ArticleTexts.from_json(json.loads(data))
            out.texts |= one.texts
            out.sentence_spans |= one.sentence_spans
            out.chunk_spans |= one.chunk_spans
        return out

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term; one found nowhere counts as the rarest found."""
        if term not in self._idf:
            self._postings([term])
        return self._idf[term]

    def _idf_of(self, df: int) -> float:
        return math.log(1 + (self.count - df + 0.5) / (df + 0.5))

    def _postings(self, query_terms: Iterable[str]) -> dict[str, tuple[np.ndarray, ...]]:
        """Each term's postings among the rows alive in this state; notes its idf."""
        out = {}
        wanted = set(query_terms)
        for term, (rows, tfs, lengths) in self.file.postings(wanted).items():
            keep = rows < self.size
            keep[keep] = self.rows.alive[rows[keep]]
            out[term] = (rows[keep], tfs[keep], lengths[keep])
        for term in wanted:
            df = len(out[term][0]) if term in out else 0
            self._idf[term] = self._idf_of(max(df, 1))
        return out

    def mask(
        self, since: int | None, until: int | None, sources: Iterable[str] = ()
    ) -> np.ndarray | None:
        """Boolean mask of rows inside a date range and among outlets; None when unfiltered."""
        keep = self.rows.alive.copy()
        stamps = self.rows.stamps
        filtered = False
        if since is not None:
            keep &= stamps >= since
            filtered = True
        if until is not None:
            keep &= (stamps <= until) & (stamps != NO_DATE)
            filtered = True
        wanted = {s.lower() for s in sources}
        if wanted:
            codes = [c for c, name in self.names.items() if name.lower() in wanted]
            keep &= np.isin(self.rows.codes, codes)
            filtered = True
        return keep if filtered else None

    def _scores(self, query_terms: list[str]) -> np.ndarray:
        """BM25 scores of every row; a question's lists (whole index, each outlet, each period)
        share its terms, so the last query's scores are kept."""
        key = tuple(query_terms)
        last = self._last
        if last is not None and last[0] == key:
            return last[1]
        repeats = Counter(query_terms)  # a term said twice counts twice, as in bm25s
        rows, weights = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
        for term, (found, tfs, lengths) in self._postings(repeats).items():
            tf = tfs.astype(np.float64)
            norm = K1 * (1 - B + B * lengths / self.avgdl)
            rows.append(found.astype(np.int64))
            weights.append(repeats[term] * self._idf[term] * tf / (norm + tf))
        scores = np.bincount(
            np.concatenate(rows), weights=np.concatenate(weights), minlength=self.size
        )
        self._last = (key, scores)  # one tuple: a reader in another thread sees a whole pair
        return scores

    def search(
        self, query_terms: list[str], k: int, mask: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Top k (row, score) by BM25 among rows allowed by the mask."""
        if not query_terms or not self.count:
            return []
        scores = self._scores(query_terms)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def chunk_ids(self, hits: list[tuple[int, float]]) -> list[str]:
        """The chunk ids of search hits, in order (a chunk replaced since is left out)."""
        found = self.file.chunk_ids([row for row, _ in hits])
        return [found[row] for row, _ in hits if row in found]
