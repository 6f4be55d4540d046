"""Financing questions (financing-qa format): load, score a reply, and sum up per kind."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.errors import UsageError

UNANSWERABLE = "unanswerable"


@dataclass(frozen=True)
class Item:
    """One question with its gold answer (and the other written forms of it)."""

    id: str
    question: str
    kind: str
    answers: tuple[str, ...]  # the answer and its aliases; empty for an unanswerable item

    @property
    def answerable(self) -> bool:
        """Whether the articles give the fact (else the right reply is a refusal or a gap)."""
        return self.kind != UNANSWERABLE


@dataclass(frozen=True)
class Scored:
    """How one item fared."""

    item: Item
    reply: str
    refused: bool
    right: bool


def load_items(path: Path) -> list[Item]:
    """The items of a question file (a JSON list of {id, question, answer, aliases, kind})."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [_item(row) for row in rows]
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise UsageError(f"{path} is not a question file ({type(exc).__name__}: {exc})") from None


def _item(row: dict) -> Item:
    kind = str(row["kind"])
    answers = (
        () if kind == UNANSWERABLE else (str(row["answer"]), *map(str, row.get("aliases") or ()))
    )
    return Item(str(row["id"]), str(row["question"]), kind, answers)


def _norm(text: str) -> str:
    return " ".join(text.replace(",", "").lower().split())


def score(item: Item, reply: str, refused: bool) -> Scored:
    """The README's rule: an answerable item needs a non-refusal containing the answer or an
    alias (commas removed, lower case); an unanswerable one needs a refusal or a stated gap."""
    if not item.answerable:
        return Scored(item, reply, refused, refused)
    flat = _norm(reply)
    return Scored(item, reply, refused, not refused and any(_norm(a) in flat for a in item.answers))


@dataclass(frozen=True)
class Tally:
    """Right answers out of items, with how many were refused."""

    right: int = 0
    total: int = 0
    refused: int = 0

    @property
    def share(self) -> float | None:
        """right / total, or None when there is nothing to count."""
        return self.right / self.total if self.total else None


def tally(rows: Iterable[Scored]) -> Tally:
    """Count right answers and refusals."""
    rows = list(rows)
    return Tally(sum(r.right for r in rows), len(rows), sum(r.refused for r in rows))


def summary(rows: Sequence[Scored]) -> dict[str, Tally]:
    """Tallies per kind, then answerable, unanswerable and all."""
    kinds: dict[str, list[Scored]] = defaultdict(list)
    for r in rows:
        kinds[r.item.kind].append(r)
    out = {k: tally(v) for k, v in sorted(kinds.items())}
    out["answerable"] = tally(r for r in rows if r.item.answerable)
    out["unanswerable (refused or gap)"] = tally(r for r in rows if not r.item.answerable)
    out["all"] = tally(rows)
    return out


def write_rows(path: Path, rows: Sequence[Scored]) -> None:
    """Per-item JSON: id, kind, question, reply, refused, right."""
    data = [
        {
            "id": r.item.id,
            "kind": r.item.kind,
            "question": r.item.question,
            "gold": list(r.item.answers) or None,
            "reply": r.reply,
            "refused": r.refused,
            "right": r.right,
        }
        for r in rows
    ]
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def default_sources(questions: Path) -> list[Path]:
    """The corpora the financing-qa README names, beside the question file's folder."""
    shared = questions.resolve().parent.parent
    found = [shared / "multihop-rag" / "corpus.json", shared / "bbc-business", shared / "seeds"]
    return [p for p in found if p.exists()]
