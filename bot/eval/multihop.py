"""MultiHop-RAG scoring, as its authors' evaluation script does it: pure functions over texts."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.errors import UsageError
from index.ingest.formats import canonical_url

NULL = "null_query"
INFERENCE = "inference_query"
K = 10  # every retrieval metric looks at the top 10 passages
METRICS = (
    "hits@4",
    "hits@10",
    "mrr@10",
    "article_recall@10",
    "null_refusal",
    "nonnull_refusal",
    "answer_contains",
    "gold_in_reply",
)


@dataclass(frozen=True)
class Gold:
    """One query of the dataset with what counts as finding and answering it."""

    question: str
    type: str
    answer: str
    facts: tuple[str, ...]
    urls: tuple[str, ...]  # distinct evidence articles, in the order the dataset lists them

    @property
    def is_null(self) -> bool:
        """Whether the right reply is a refusal (these are left out of retrieval scoring)."""
        return self.type == NULL


@dataclass(frozen=True)
class Outcome:
    """How one query fared; None marks what does not apply to it."""

    type: str
    null: bool
    rank: int | None  # rank (1-based) of the first relevant passage in the top 10
    recall: float | None  # evidence-article recall@10; None for null queries
    refused: bool | None  # None when nothing was answered (a retrieval-only pipeline)
    contains: bool | None  # gold answer in the reply; inference queries only
    # Comparison and temporal queries (gold: yes/no or a name): the gold as a whole word.
    gold_word: bool | None = None


def load_queries(path: Path, limit: int | None = None) -> list[Gold]:
    """The queries of a MultiHop-RAG query file; `limit` keeps the first N in file order."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        golds = [_gold(row) for row in rows]
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise UsageError(
            f"{path} is not a MultiHop-RAG query file ({type(exc).__name__}: {exc})"
        ) from None
    return golds[:limit] if limit is not None else golds


def _gold(row: dict) -> Gold:
    evidence = row["evidence_list"]
    urls = tuple(dict.fromkeys(e["url"] for e in evidence if e.get("url")))
    return Gold(
        row["query"],
        row["question_type"],
        str(row["answer"]),
        tuple(e["fact"] for e in evidence),
        urls,
    )


def squash(text: str) -> str:
    """Text with spaces and newlines removed, the authors' normalisation before matching."""
    return text.replace(" ", "").replace("\n", "")


def first_relevant(texts: Sequence[str], facts: Sequence[str], k: int = K) -> int | None:
    """Rank of the first text that contains some gold fact (after squashing both), or None."""
    gold = [squash(f) for f in facts]
    gold = [g for g in gold if g]  # an empty fact would match every passage
    for rank, text in enumerate(texts[:k], start=1):
        flat = squash(text)
        if any(g in flat for g in gold):
            return rank
    return None


def article_recall(retrieved: Iterable[str | None], gold: Iterable[str]) -> float:
    """Share of the distinct gold article URLs found among the retrieved ones."""
    wanted = {canonical_url(u) for u in gold if u}
    if not wanted:
        return 0.0
    found = {canonical_url(u) for u in retrieved if u}
    return len(wanted & found) / len(wanted)


def contains_answer(reply: str, answer: str) -> bool:
    """Whether the gold answer string appears in the reply, ignoring case."""
    return bool(answer.strip()) and answer.strip().lower() in reply.lower()


def gold_word_in(reply: str, answer: str) -> bool:
    """Whether the gold answer appears in the reply as whole words, ignoring case ("no" in
    "No, it did not", not in "not" or "now")."""
    wanted = answer.strip()
    return bool(wanted) and re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", reply, re.I) is not None


def outcome(
    gold: Gold,
    texts: Sequence[str],
    urls: Sequence[str | None],
    refused: bool | None = None,
    reply: str | None = None,
) -> Outcome:
    """Score one query from its top passages (texts and article URLs, best first) and reply."""
    contains = None
    if gold.type == INFERENCE and reply is not None:
        contains = not refused and contains_answer(reply, gold.answer)
    if gold.is_null:
        return Outcome(gold.type, True, None, None, refused, contains)
    word = None
    if gold.type != INFERENCE and reply is not None:
        word = not refused and gold_word_in(reply, gold.answer)
    rank = first_relevant(texts, gold.facts)
    return Outcome(
        gold.type, False, rank, article_recall(urls[:K], gold.urls), refused, contains, word
    )


def reachable(golds: Sequence[Gold], texts: Mapping[str, Sequence[str]]) -> float | None:
    """Share of non-null queries with a gold fact inside one indexed chunk of an evidence
    article (texts: chunk texts by canonical URL): the ceiling of Hits@10."""
    found = []
    for gold in (g for g in golds if not g.is_null):
        chunks = [t for u in gold.urls for t in texts.get(canonical_url(u), ())]
        found.append(first_relevant(chunks, gold.facts, k=len(chunks)) is not None)
    return mean(found)


def mean(values: Iterable[float | bool]) -> float | None:
    """The average, or None when there is nothing to average."""
    seen = [float(v) for v in values]
    return sum(seen) / len(seen) if seen else None


def summarise(outcomes: Sequence[Outcome]) -> dict[str, float | None]:
    """The seven headline figures; retrieval ones over non-null queries only."""
    scored = [o for o in outcomes if not o.null]
    nulls = [o for o in outcomes if o.null]
    return {
        "hits@4": mean(o.rank is not None and o.rank <= 4 for o in scored),
        "hits@10": mean(o.rank is not None for o in scored),
        "mrr@10": mean(1 / o.rank if o.rank else 0.0 for o in scored),
        "article_recall@10": mean(o.recall for o in scored if o.recall is not None),
        "null_refusal": mean(o.refused for o in nulls if o.refused is not None),
        "nonnull_refusal": mean(o.refused for o in scored if o.refused is not None),
        "answer_contains": mean(o.contains for o in outcomes if o.contains is not None),
        "gold_in_reply": mean(o.gold_word for o in outcomes if o.gold_word is not None),
    }


def by_type(outcomes: Sequence[Outcome]) -> dict[str, dict[str, float | int | None]]:
    """The same figures per question type, with the number of queries of each."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.type].append(o)
    return {t: {"queries": len(g), **summarise(g)} for t, g in sorted(groups.items())}


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation, or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
