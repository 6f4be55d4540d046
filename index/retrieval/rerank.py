"""Reranking of fused chunks: where the question's terms meet in one sentence window, and a
chunk for every report a question names by outlet or date."""

from __future__ import annotations

from dataclasses import replace

from index.records import Passage
from index.retrieval import lexical
from index.retrieval.lexical import LexicalIndex
from index.retrieval.query import Part, Plan

# In the rerank, a chunk of a report that a dated clause names ("the report from X on <date>")
# is scored by the mean of its coverage of the question and of that clause.
PART_MIX = 0.5


def _weights(query_terms: list[str], lex: LexicalIndex) -> dict[str, float]:
    weights = {t: lex.idf(t) for t in set(query_terms)}
    total = sum(weights.values()) or 1.0
    return {t: w / total for t, w in weights.items()}


def _cover(weights: dict[str, float], windows: list[set[str]]) -> float:
    """The best window's share of the question's IDF weight."""
    return max(sum(w for t, w in weights.items() if t in win) for win in windows)


def _admits(part: Part, p: Passage) -> bool:
    """Whether a passage comes from the outlet and date a clause names."""
    if part.outlets and (p.source or "").lower() not in part.outlets:
        return False
    ts = int(p.published_at.timestamp()) if p.published_at else None
    if part.since is not None and (ts is None or ts < part.since):
        return False
    if part.until is not None and (ts is None or ts > part.until):
        return False
    return True


def cover_parts(top: list[Passage], ranked: list[Passage], plan: Plan) -> list[Passage]:
    """Every report the question names by outlet or date gets its best chunk into the top: a
    part none of the top passages comes from takes the place of the last passage that is not
    the evidence of a part."""
    if len(plan.parts) < 2 or not top:
        return top
    out = list(top)
    kept: set[str] = set()
    for part in plan.parts:
        mine = [p for p in out if _admits(part, p)]
        if mine:
            kept.add(mine[0].chunk_id)
            continue
        best = next((p for p in ranked if _admits(part, p) and p not in out), None)
        spare = [i for i, p in enumerate(out) if p.chunk_id not in kept]
        if best is None or not spare:
            continue
        out.pop(spare[-1])
        out.append(best)
        kept.add(best.chunk_id)
    return out


def rerank(
    query_terms: list[str], ranked: list[Passage], lex: LexicalIndex, plan: Plan, weight: float
) -> list[Passage]:
    """Favour the chunk where the question's terms meet in one place: a fact is a sentence
    or two, so the best two-sentence window says more than the chunk as a whole. A clause
    that names its own report is a question of its own for the chunks of that report."""
    if weight <= 0:
        return ranked
    question = _weights(query_terms, lex)
    # Only dated clauses: an undated one ("articles from X, Y and Z") is often a bare name.
    dated = [
        (part, _weights(lexical.terms(part.text), lex))
        for part in plan.parts
        if len(plan.parts) >= 2 and (part.since is not None or part.until is not None)
    ]
    out = []
    for p in ranked:
        sets = lex.sentences(p.chunk_id, p.text) or [set()]
        windows = [a | b for a, b in zip(sets, sets[1:] + [set()], strict=True)]
        whole = _cover(question, windows)
        local = max(
            [whole]
            + [
                (1 - PART_MIX) * whole + PART_MIX * _cover(w, windows)
                for part, w in dated
                if _admits(part, p)
            ]
        )
        out.append(replace(p, score=p.score + weight * local))
    return out
