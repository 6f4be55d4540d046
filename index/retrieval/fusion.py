"""Fusion of ranked lists and the article-aware choices made on a fused ranking."""

from __future__ import annotations

from collections import defaultdict

from index.records import Passage

RRF_K = 60


def best_per_article(chunk_ids: list[str], n: int) -> list[str]:
    """The first n chunk ids (`<article id>:<n>`) of distinct articles, in order."""
    seen: set[str] = set()
    out: list[str] = []
    for chunk_id in chunk_ids:
        article = chunk_id.rpartition(":")[0]
        if article not in seen and len(out) < n:
            seen.add(article)
            out.append(chunk_id)
    return out


def fuse(lists: list[tuple[float, list[str]]], limit: int) -> list[tuple[str, float]]:
    """Weighted reciprocal-rank fusion of ranked id lists."""
    scores: dict[str, float] = defaultdict(float)
    for weight, ids in lists:
        for rank, chunk_id in enumerate(ids):
            scores[chunk_id] += weight / (RRF_K + rank + 1)
    return sorted(scores.items(), key=lambda kv: -kv[1])[:limit]


def diverse(
    ranked: list[Passage], k: int, decay: float, per_article: int, fixed: int = 0
) -> list[Passage]:
    """Best first, but each further chunk of an article already taken counts `decay` times
    less (and at most `per_article` are taken): multi-source questions need several articles,
    not one article's every chunk. The first `fixed` passages are kept as they stand."""
    taken: dict[str, int] = defaultdict(int)
    out: list[Passage] = list(ranked[:fixed])
    for p in out:
        taken[p.article_id] += 1
    pool = list(ranked[fixed:])
    while pool and len(out) < k:
        best = max(
            range(len(pool)), key=lambda i: pool[i].score * decay ** taken[pool[i].article_id]
        )
        p = pool.pop(best)
        if taken[p.article_id] < per_article:
            taken[p.article_id] += 1
            out.append(p)
    return out
