"""Multi-turn threads: each follow-up must stay on the thread's company and give the asked fact
(or state the gap when the articles do not give it). Runs turns as the chat core does."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.answer.question import mentions, names_in
from bot.chat.conversation import thread_context, thread_focus
from bot.chat.ledger import Entry
from bot.core import Finnews
from bot.eval.qa import _norm
from index.errors import UsageError

NOT_GIVEN = "not in sources"


@dataclass(frozen=True)
class Turn:
    """One question of a thread and what a right reply holds (empty: the articles lack it)."""

    question: str
    answers: tuple[str, ...]
    company: str = ""  # the thread's current company at this turn, when the file says
    source: str = ""  # the article file that holds the answer, when the file says


@dataclass(frozen=True)
class Thread:
    """A conversation about one company."""

    id: str
    company: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class FollowUp:
    """How one follow-up fared, and why it missed."""

    thread: str
    question: str
    reply: str
    right: bool
    error: str  # "", "other company", "fact missing", "refused", "answered a gap"
    first: bool = False  # the thread's opening question (not a follow-up)
    gap: bool = False  # the articles do not give the asked fact


def load_threads(path: Path) -> list[Thread]:
    """Threads from JSON: a list (or {"threads": [...]}) of {id, company?, turns: [{question,
    answer | expected, aliases?}]}; an answer of "not in sources" (or none) marks a gap."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["threads"] if isinstance(data, dict) else data
        return [_thread(n, row) for n, row in enumerate(rows)]
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise UsageError(f"{path} is not a thread file ({type(exc).__name__}: {exc})") from None


def _thread(n: int, row: Any) -> Thread:
    turns = tuple(_turn(t) for t in (row["turns"] if isinstance(row, dict) else row))
    company = str(row.get("company") or "") if isinstance(row, dict) else ""
    if not company:
        company = next(iter(names_in(turns[0].question)), "")
    ident = str(row.get("id", n)) if isinstance(row, dict) else str(n)
    return Thread(ident, company, turns)


def _turn(row: Any) -> Turn:
    gold = row.get("answer", row.get("expected"))
    if isinstance(gold, dict):  # {"answer": ..., "aliases": [...]}
        row, gold = gold, gold.get("answer")
    if isinstance(gold, list):
        gold, aliases = (gold[0] if gold else None), gold[1:]
    else:
        aliases = row.get("aliases") or []
    company, source = str(row.get("company") or ""), str(row.get("source") or "")
    if gold is None or str(gold).strip().lower() == NOT_GIVEN:
        return Turn(str(row["question"]), (), company)
    return Turn(str(row["question"]), (str(gold), *map(str, aliases)), company, source)


def run_thread(fn: Finnews, thread: Thread) -> list[FollowUp]:
    """Ask the turns in order with the thread's context and focus, as the chat core does;
    score every turn (the first apart)."""
    earlier: list[Entry] = []
    out = []
    for n, turn in enumerate(thread.turns):
        done = tuple(earlier)
        answer = fn.ask(turn.question, context=thread_context(done), focus=thread_focus(done))
        earlier.append(Entry(f"{thread.id}:{n}", turn.question, answer, "eval", "eval"))
        out.append(
            replace(
                _score(turn.company or thread.company, turn, answer),
                thread=thread.id,
                first=n == 0,
                gap=not turn.answers,
            )
        )
    return out


def _score(company: str, turn: Turn, answer: Any) -> FollowUp:
    reply, refused = answer.text, answer.refused
    cited = [
        p for p in answer.passages if any(c.article_id == p.article_id for c in answer.citations)
    ]

    def row(right: bool, error: str = "") -> FollowUp:
        return FollowUp("", turn.question, reply, right, error)

    if not turn.answers:
        return row(refused, "" if refused else "answered a gap")
    if refused:
        return row(False, "refused")
    text = " ".join(p.title + " " + p.text for p in cited)
    if company and not (mentions(reply, company) or mentions(text, company)):
        return row(False, "other company")
    if not any(_norm(a) in _norm(reply) for a in turn.answers):
        return row(False, "fact missing")
    return row(True)


def shares(rows: list[FollowUp]) -> dict[str, tuple[int, int]]:
    """(right, total) for first turns, follow-ups, "not in sources" turns and all."""
    groups = {
        "first turns": [r for r in rows if r.first],
        "follow-ups": [r for r in rows if not r.first],
        "follow-ups, answerable": [r for r in rows if not r.first and not r.gap],
        "not in sources": [r for r in rows if r.gap],
        "all turns": rows,
    }
    return {k: (sum(r.right for r in v), len(v)) for k, v in groups.items()}


def errors(rows: list[FollowUp]) -> Counter[str]:
    """Misses by category."""
    return Counter(r.error for r in rows if not r.right)


def write_follow_ups(path: Path, rows: list[FollowUp]) -> None:
    """Per-follow-up JSON: thread, question, reply, right, error."""
    data = [
        {
            "thread": r.thread,
            "question": r.question,
            "reply": r.reply,
            "right": r.right,
            "error": r.error or None,
        }
        for r in rows
    ]
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
