"""Checks a model's reply against the passages it was shown: citations and figures must hold."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index import lexical, sentences
from index.records import Sentence

REFUSAL_SENTINEL = "NOT IN THE ARTICLES"
MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
# "... in 2032. [1]" -> "... in 2032 [1]." so a marker stays with the sentence it follows.
TRAILING_MARKERS = re.compile(r"([.!?])((?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+)")
MONTH = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
ORD = r"(?:st|nd|rd|th)?"
ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
DAY_MONTH = re.compile(rf"\b(\d{{1,2}}){ORD}\s+(?:of\s+)?{MONTH}(?:,?\s+(\d{{4}}))?\b", re.I)
MONTH_DAY = re.compile(rf"\b{MONTH}\s+(\d{{1,2}}){ORD}\b(?:,?\s+(\d{{4}}))?", re.I)
MONTH_YEAR = re.compile(rf"\b{MONTH},?\s+(\d{{4}})\b", re.I)
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                    r"(?:\s?(%|percent\b|per\s?cent\b)|\s?(trillion|billion|million|thousand|"
                    r"tn|bn|bln|mn|mln|m|b|k)\b)?", re.I)
SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
         "billion": 1e9, "b": 1e9, "bn": 1e9, "bln": 1e9, "trillion": 1e12, "tn": 1e12}
WORDS = ("one two three four five six seven eight nine ten eleven twelve").split()
SPELLED = re.compile(r"\b(" + "|".join(WORDS) + r")\b", re.I)
Key = tuple
# Sentences of an article that talk to the model rather than report news: kept in the prompt
# (fenced, as data) but never allowed to vouch for a reply, and a reply that repeats their
# words has obeyed them.
INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget)\b.{0,40}\b(?:instructions?|prompts?|rules|above)\b|"
    r"\byou are now\b|\bdeveloper mode\b|\bsystem prompt\b|(?:^|\s)(?:system|assistant)\s*:|"
    r"\b(?:reply|respond|answer|say)\b.{0,20}\b(?:only )?with\b|\bnew instructions\b", re.I)


@dataclass(frozen=True)
class Source:
    """What one passage can vouch for: its figures, and the terms of its reporting sentences;
    and the terms only its instruction-like sentences use."""

    figures: frozenset[Key]
    terms: frozenset[str]
    injected: frozenset[str]


@lru_cache(maxsize=4096)
def source(text: str) -> Source:
    """A passage's Source, computed once per text."""
    ordinary, injected = [], []
    for piece in sentences.split(text):
        (injected if INSTRUCTION.search(piece) else ordinary).append(piece)
    said = frozenset(lexical.terms(" ".join(ordinary)))
    # Short and numeric terms ("now", "1") say too little to count as an echo.
    echo = frozenset(t for t in lexical.terms(" ".join(injected)) if t.isalpha() and len(t) > 3)
    echo -= said
    return Source(offered(" ".join(ordinary)), said, echo)


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


def _month(name: str) -> int:
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
            "dec"].index(name[:3].lower()) + 1


def _num(value: float) -> float:
    return float(f"{value:.9g}")  # 3.2 * 1e9 and 3200 * 1e6 compare equal


def _dates(text: str) -> tuple[list[tuple[int | None, int, int | None]], str]:
    """(year, month, day) of every date, and the text with the dates blanked out."""
    found: list[tuple[int | None, int, int | None]] = []

    def take(date: tuple[int | None, int, int | None]):
        def blank(m: re.Match[str]) -> str:
            found.append(date if date[1] else (None, 0, None))
            return " " * len(m.group())
        return blank

    def sub(pattern: re.Pattern[str], read) -> None:
        nonlocal text
        text = pattern.sub(lambda m: take(read(m))(m), text)

    sub(ISO_DATE, lambda m: (int(m[1]), int(m[2]), int(m[3])))
    sub(DAY_MONTH, lambda m: (int(m[3]) if m[3] else None, _month(m[2]), int(m[1])))
    sub(MONTH_DAY, lambda m: (int(m[3]) if m[3] else None, _month(m[1]), int(m[2])))
    sub(MONTH_YEAR, lambda m: (int(m[2]), _month(m[1]), None))
    return found, text


def _numbers(text: str) -> list[tuple[float, str | None, str | None]]:
    """(value as written, '%' or None, scale word or None) of every number."""
    out = []
    for m in NUMBER.finditer(text):
        scale = m[3].lower() if m[3] else None
        out.append((float(m[1].replace(",", "")), "%" if m[2] else None, scale))
    return out


def wanted(text: str) -> list[Key]:
    """The figures a sentence states, each as the key a passage must contain."""
    dates, rest = _dates(text)
    keys: list[Key] = [("date", y, m, d) if d else ("month", y, m) for y, m, d in dates if m]
    for raw, pct, scale in _numbers(rest):
        if pct:
            keys.append(("pct", _num(raw)))
        else:
            keys.append(("num", _num(raw * SCALE[scale] if scale else raw)))
    return keys


@lru_cache(maxsize=4096)
def offered(text: str) -> frozenset[Key]:
    """Every key a passage can vouch for: its figures, dates and the parts of its dates."""
    dates, rest = _dates(text)
    keys: set[Key] = set()
    for y, m, d in dates:
        keys |= {("date", y, m, d), ("date", None, m, d), ("month", y, m), ("month", None, m)}
        keys |= {("num", _num(v)) for v in (y, d) if v}
    for raw, pct, scale in _numbers(rest):
        keys.add(("num", _num(raw)))
        if pct:
            keys.add(("pct", _num(raw)))
        if scale:
            keys.add(("num", _num(raw * SCALE[scale])))
    keys |= {("num", float(WORDS.index(w.lower()) + 1)) for w in SPELLED.findall(rest)}
    return frozenset(keys)


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
    missing = [k for k in wanted(text) if k not in vouched]
    if missing:
        return Dropped(text, f"figure {_show(missing[0])} is in no article it cites")
    said = frozenset().union(*(c.terms for c in cited))
    injected = frozenset().union(*(source(p).injected for p in passages))
    if set(lexical.terms(text)) - said & injected:
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
