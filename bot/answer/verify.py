"""Checks a model's reply against the passages it was shown: citations and figures must hold."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.answer import figures
from index.records import Sentence
from index.retrieval import lexical
from index.text import sentences

REFUSAL_SENTINEL = "NOT IN THE ARTICLES"
MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
# "... in 2032. [1]" -> "... in 2032 [1]." so a marker stays with the sentence it follows.
TRAILING_MARKERS = re.compile(r"([.!?])((?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+)")
Key = figures.Key
# Sentences of an article that talk to the model rather than report news: kept in the prompt
# (fenced, as data) but never allowed to vouch for a reply, and a reply that repeats their
# words has obeyed them.
INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget)\b.{0,40}\b(?:instructions?|prompts?|rules|above)\b|"
    r"\byou are now\b|\bdeveloper mode\b|\bsystem prompt\b|(?:^|\s)(?:system|assistant)\s*:|"
    r"\b(?:reply|respond)\b.{0,20}\bwith\b|\bnew instructions\b",
    re.I,
)


# Cheap substring checks first: the regex is slow, and news text rarely needs it.
TRIGGERS = (
    "ignore",
    "disregard",
    "forget",
    "you are now",
    "developer mode",
    "system prompt",
    "system:",
    "assistant:",
    "reply",
    "respond",
    "new instruction",
)


def instruction_like(text: str) -> bool:
    """Whether the text talks to the model ("ignore previous instructions", "reply with")."""
    low = text.lower()
    return any(w in low for w in TRIGGERS) and INSTRUCTION.search(text) is not None


@dataclass(frozen=True)
class Source:
    """What one passage can vouch for: the figures of its reporting sentences, their text, and
    the terms only its instruction-like sentences use (empty for nearly every passage)."""

    figures: frozenset[Key]
    reporting: str
    injected: frozenset[str]


@lru_cache(maxsize=4096)
def source(text: str) -> Source:
    """A passage's Source, computed once per text."""
    if not instruction_like(text):
        return Source(figures.vouched(text), text, frozenset())
    ordinary, injected = [], []
    for piece in sentences.split(text):
        (injected if instruction_like(piece) else ordinary).append(piece)
    reporting = " ".join(ordinary)
    # Short and numeric terms ("now", "1") say too little to count as an echo.
    echo = frozenset(t for t in lexical.terms(" ".join(injected)) if t.isalpha() and len(t) > 3)
    return Source(figures.vouched(reporting), reporting, echo - _terms(reporting))


@lru_cache(maxsize=4096)
def _terms(text: str) -> frozenset[str]:
    return frozenset(lexical.terms(text))


@dataclass(frozen=True)
class Dropped:
    """A sentence of the reply that did not check out, and why."""

    text: str
    reason: str


@dataclass(frozen=True)
class Checked:
    """The reply's sentences that hold (cites are passage numbers, from 1) and those dropped."""

    sentences: tuple[Sentence, ...]
    dropped: tuple[Dropped, ...]
    refused: bool = False

    @property
    def enough(self) -> bool:
        """Whether enough survived to show: something, and at least half of what was said."""
        return bool(self.sentences) and len(self.sentences) >= len(self.dropped)


def split_reply(reply: str) -> list[tuple[str, tuple[int, ...]]]:
    """The reply's sentences without their markers, each with the numbers it cites."""
    text = TRAILING_MARKERS.sub(r"\2\1", " ".join(reply.replace("**", "").split()))
    out = []
    for piece in sentences.split(text):
        cites = [int(n) for m in MARKER.finditer(piece) for n in re.split(r"[,;]", m[1])]
        bare = re.sub(r"\s+([.,;:!?])", r"\1", MARKER.sub("", piece)).strip()
        if bare:
            out.append((" ".join(bare.split()), tuple(dict.fromkeys(cites))))
    return out


def check_sentence(text: str, cites: tuple[int, ...], passages: list[str]) -> Sentence | Dropped:
    """The sentence with only known citations, or why it must go."""
    known = tuple(n for n in cites if 1 <= n <= len(passages))
    if not known:
        return Dropped(text, "cites no supplied article" if cites else "cites nothing")
    cited = [source(passages[n - 1]) for n in known]
    vouched = frozenset().union(*(c.figures for c in cited))
    for key in figures.extract(text):
        if key not in vouched and not (
            key[0] == "num" and any(figures.spelled(c.reporting, key[1]) for c in cited)
        ):
            return Dropped(text, f"figure {_show(key)} is in no article it cites")
    injected = frozenset().union(*(source(p).injected for p in passages))
    said = frozenset().union(*(_terms(c.reporting) for c in cited)) if injected else frozenset()
    if injected and (_terms(text) - said) & injected:
        return Dropped(text, "repeats an instruction found in an article")
    return Sentence(text, known)


def _show(key: Key) -> str:
    return "-".join(f"{part:g}" for part in key[1:] if part is not None)


def check(reply: str, passages: list[str]) -> Checked:
    """Every sentence of the reply checked against the passage texts (numbered from 1)."""
    if reply.strip().strip(".").upper() == REFUSAL_SENTINEL:
        return Checked((), (), refused=True)
    kept: list[Sentence] = []
    dropped: list[Dropped] = []
    for text, cites in split_reply(reply):
        result = check_sentence(text, cites, passages)
        (kept if isinstance(result, Sentence) else dropped).append(result)
    return Checked(tuple(kept), tuple(dropped))
