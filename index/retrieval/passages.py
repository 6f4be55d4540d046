"""Small-to-big passages: a matched chunk widened with its article's neighbouring sentences.

Ranking stays on the stored chunks (small, precise); what a passage shows (and what answers
quote) is the chunk plus the sentences around it in its article, up to a word budget, so a
fact that a question paraphrases is still in the passage when it sits next to the matched
chunk. Articles are rebuilt from their overlapping chunks, nothing is re-embedded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from index.records import Passage
from index.text import sentences

Span = tuple[int, int]


def _overlap(a: str, b: str) -> int:
    """Length of the longest suffix of `a` that starts `b` (chunks overlap by a few sentences)."""
    probe = b[:8]
    if not probe:
        return 0
    pos = a.find(probe, max(0, len(a) - len(b)))
    while pos != -1:
        if b.startswith(a[pos:]):
            return len(a) - pos
        pos = a.find(probe, pos + 1)
    return 0


def _join(chunks: list[str]) -> tuple[str, list[Span]]:
    """An article's text from its chunks in order, and each chunk's span in it."""
    text, spans = "", []
    for chunk in chunks:
        shared = _overlap(text, chunk)
        start = len(text) - shared
        if not shared and text:
            text += "\n"
            start = len(text)
        text = text[:start] + chunk
        spans.append((start, start + len(chunk)))
    return text, spans


@dataclass
class ArticleTexts:
    """Each article's text rebuilt from its chunks, its sentences, and each chunk's span."""

    texts: dict[str, str]
    sentence_spans: dict[str, list[Span]]
    chunk_spans: dict[str, Span]

    def to_json(self) -> dict:
        """A JSON-ready form for the saved lexical index."""
        return {"texts": self.texts, "sentences": self.sentence_spans, "chunks": self.chunk_spans}

    @classmethod
    def from_json(cls, data: dict) -> ArticleTexts:
        """The inverse of `to_json`."""
        return cls(
            data["texts"],
            {a: [tuple(s) for s in v] for a, v in data["sentences"].items()},
            {c: tuple(s) for c, s in data["chunks"].items()},
        )


def build(rows: Iterable[tuple[str, str]]) -> ArticleTexts:
    """Rebuild articles from (chunk id `<article id>:<n>`, text) rows in any order."""
    by_article: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for chunk_id, text in rows:
        article, _, n = chunk_id.rpartition(":")
        if article and n.isdigit():
            by_article[article].append((int(n), chunk_id, text))
    texts, sents, chunks = {}, {}, {}
    for article, parts in by_article.items():
        parts.sort()
        texts[article], spans = _join([t for _, _, t in parts])
        sents[article] = sentences.spans(texts[article])
        chunks.update({cid: span for (_, cid, _), span in zip(parts, spans, strict=True)})
    return ArticleTexts(texts, sents, chunks)


def _free(span: Span, taken: list[Span], length: int) -> tuple[Span, Span] | None:
    """The longest part of a chunk's span no earlier passage shows, and the gap around it; None
    when under a third of the chunk is new (its text is already on show)."""
    pieces, cursor = [], span[0]
    for s, e in sorted(taken):
        if e <= cursor or s >= span[1]:
            continue
        if s > cursor:
            pieces.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < span[1]:
        pieces.append((cursor, span[1]))
    if not pieces:
        return None
    core = max(pieces, key=lambda p: p[1] - p[0])
    if 3 * (core[1] - core[0]) < span[1] - span[0]:
        return None
    lo = max([e for s, e in taken if e <= core[0]], default=0)
    hi = min([s for s, e in taken if s >= core[1]], default=length)
    return core, (lo, hi)


def _grow(text: str, sents: list[Span], core: Span, gap: Span, budget: int) -> Span:
    """The core widened to whole sentences, then by neighbouring sentences (next first) while
    the passage stays within `budget` words and inside the gap."""
    inside = [i for i, (s, e) in enumerate(sents) if e > core[0] and s < core[1]]
    if not inside:
        return core
    first, last = inside[0], inside[-1]
    start, end = max(sents[first][0], gap[0]), min(sents[last][1], gap[1])
    words = len(text[start:end].split())
    grown = True
    while grown:
        grown = False
        for step in (1, -1):
            i = last + 1 if step == 1 else first - 1
            if not 0 <= i < len(sents) or not gap[0] <= sents[i][0] < sents[i][1] <= gap[1]:
                continue
            extra = len(text[sents[i][0] : sents[i][1]].split())
            if words + extra > budget:
                continue
            words += extra
            grown = True
            if step == 1:
                last, end = i, sents[i][1]
            else:
                first, start = i, sents[i][0]
    return start, end


def widen(ranked: list[Passage], k: int, texts: ArticleTexts, budget: int) -> list[Passage]:
    """The first k passages of `ranked`, each widened to about `budget` words of its article;
    passages of one article never overlap (one whose chunk is already shown is skipped)."""
    taken: dict[str, list[Span]] = defaultdict(list)
    out: list[Passage] = []
    for p in ranked:
        if len(out) == k:
            break
        span = texts.chunk_spans.get(p.chunk_id)
        text = texts.texts.get(p.article_id)
        if span is None or text is None or budget <= 0:
            out.append(p)
            continue
        free = _free(span, taken[p.article_id], len(text))
        if free is None:
            continue
        start, end = _grow(text, texts.sentence_spans[p.article_id], *free, budget)
        taken[p.article_id].append((start, end))
        out.append(replace(p, text=text[start:end]))
    return out
