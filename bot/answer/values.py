"""Values a sentence states, by kind: money, rates, dates, parties, purposes (exact spans)."""

from __future__ import annotations

import re

from index.text.dates import MONTH_ABBREVIATIONS

_NUM = r"\d[\d,]*(?:\.\d+)?"
_SCALE = r"(?:\s?(?:million|billion|trillion|mln|bln|bn|m|b|k)\b)"
_CUR_WORD = r"(?:euros?|dollars?|pounds?|yuan|rupees?|yen|francs?|crowns?|kronor|rand)"
MONEY = re.compile(
    rf"(?:US\$|USD\s?|EUR\s?|GBP\s?|RMB\s?|CNY\s?|HK\$|C\$|A\$|S\$|NZ\$|Rs\.?\s?|[$€£¥])"
    rf"\s?{_NUM}{_SCALE}?|{_NUM}{_SCALE}?\s{_CUR_WORD}\b|{_NUM}\s?(?:pence|p|cents)\b",
    re.I,
)
COUNT = re.compile(rf"\b{_NUM}(?:\s(?:million|billion|thousand|hundred))?\s+[a-z][\w-]*", re.I)
PERCENT = re.compile(rf"{_NUM}\s?(?:%|percent\b|per cent\b)|\bzero[- ]coupon\b", re.I)
_MONTH = rf"(?:{'|'.join(MONTH_ABBREVIATIONS)})[a-z]*\.?"
DATE = re.compile(
    rf"\b(?:\d{{1,2}}\s+{_MONTH}(?:,?\s+(?:19|20)\d\d)?|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?"
    rf"(?:,?\s+(?:19|20)\d\d)?|{_MONTH}\s+(?:19|20)\d\d|(?:19|20)\d\d)\b"
    r"|\b(?:January|February|March|April|June|July|August|September|October|November|"
    r"December)\b",
    re.I,
)
# "led by Accel", "provided by State Bank of India (SBI)", "from Sequoia"
PARTY_AFTER = re.compile(
    r"\b(?:led|co-led|backed|provided|underwritten|arranged|bought|acquired|financed|funded|"
    r"purchased|run|managed|lent|extended|bankrolled)\s+by\s+((?:the\s+)?[A-Z][\w&'’.-]*"
    r"(?:\s+(?:of\s+|&\s+|and\s+)?[A-Z][\w&'’.-]*)*)"
)
PARTY_BEFORE = re.compile(
    r"((?:[A-Z][\w&'’.-]*\s+(?:of\s+|&\s+|and\s+)?)*[A-Z][\w&'’.-]*)\s+(?:led|co-led|"
    r"(?:is|are|was|were|will be)\s+(?:leading|running|underwriting|arranging|advising|"
    r"financing|backing|managing)|will lead|invested|provided|lent|bought|acquired|"
    r"underwrote|bankrolled|financed|funded|backed|arranged|supplied|acted as)\b"
)
_CLAUSE = r"[a-z](?:[^.;:]|\.(?=\d)){4,140}"
PURPOSE = re.compile(
    rf"\bproceeds\s+will\s+(?:be\s+(?:used|directed|spent|put)\s+(?:to|for|towards?|on)\s+|"
    rf"go\s+towards?\s+)?({_CLAUSE})|"
    rf"\b(?:to|for|towards?|on)\s+((?:help\s+|be\s+used\s+(?:to|for)\s+)?{_CLAUSE})"
)
PURPOSE_CUE = re.compile(
    r"\bproceeds\b|\bused? (?:to|for)\b|\bspend|\bspent\b|"
    r"\b(?:money|cash|funds?|capital)\s+(?:raised\s+)?(?:will|would|is to|"
    r"are to|to be|allows?)\b|\ballow (?:it|them|the \w+) to\b|"
    r"\bto help\b|\bto fund\b|\bto finance\b|\bearmarked\b|"
    r"\bto (?:reduce|repay|pay down|cut)\b|\bgo(?:es)? towards\b",
    re.I,
)
VALUATION_NEAR = re.compile(r"valu", re.I)
_ROLE = (
    r"(?i:chief executive(?: officer)?|CEO|chairman|chairwoman|chair|founder|co-founder|"
    r"president|chief financial officer|CFO)"
)
_PERSON = r"([A-Z][a-z]+(?:\s+[A-Z][\w'-]+)+)"
# "chief executive Daniel Zhang", "Daniel Zhang, the chief executive"
PERSON = re.compile(rf"\b{_ROLE}\s+{_PERSON}|{_PERSON},?\s+(?:the\s+)?(?:\w+'s\s+)?{_ROLE}")
SCALES = {
    "k": 1e3,
    "m": 1e6,
    "mln": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "billion": 1e9,
    "trillion": 1e12,
}
# Rough US-dollar rates, only to say which of two figures in different currencies is larger.
TO_USD = {
    "$": 1.0,
    "€": 1.1,
    "euro": 1.1,
    "eur": 1.1,
    "£": 1.3,
    "pound": 1.3,
    "gbp": 1.3,
    "rupee": 0.012,
    "rs": 0.012,
    "yen": 0.007,
    "¥": 0.007,
    "yuan": 0.14,
    "rmb": 0.14,
    "cny": 0.14,
    "hk$": 0.13,
    "franc": 1.1,
}


def nearest(spans: list[str], sentence: str, question: str) -> list[str]:
    """Spans ordered by how many of the question's words stand just before or after them
    ("closes ... on 3 December" for "when does the offer close"); ties keep their order."""
    words = {w[:5] for w in re.findall(r"[a-z]{4,}", question.lower())}

    def shared(span: str) -> int:
        at = sentence.find(span)
        if at < 0:
            return 0
        window = sentence[max(0, at - 40) : at + len(span) + 30].lower()
        return sum(w in window for w in words)

    return sorted(spans, key=lambda s: -shared(s))


def values(kind: str, sentence: str) -> list[str]:
    """Spans of the sentence that can answer a question of the kind, in order."""
    if kind in ("amount", "valuation", "price"):
        spans = [m for m in MONEY.finditer(sentence)]
        if kind == "amount":  # "raised at a $100 million valuation" does not say how much
            spans = [
                m
                for m in spans
                if not VALUATION_NEAR.search(sentence[max(0, m.start() - 14) : m.end() + 12])
            ]
        return [m.group(0).strip() for m in spans]
    if kind == "count":
        return [m.group(0) for m in COUNT.finditer(sentence)]
    if kind == "rate":
        return [m.group(0) for m in PERCENT.finditer(sentence)]
    if kind == "date":
        return [m.group(0) for m in DATE.finditer(sentence)]
    if kind == "party":
        found = [m.group(1) for m in PARTY_AFTER.finditer(sentence)]
        found += [m.group(1) for m in PARTY_BEFORE.finditer(sentence)]
        return [v.rstrip(".,;'’") for v in found]
    if kind == "person":
        return [m.group(1) or m.group(2) for m in PERSON.finditer(sentence)]
    if kind == "purpose" and PURPOSE_CUE.search(sentence):
        return [
            (m.group(1) or m.group(2)).strip()
            for m in PURPOSE.finditer(sentence, PURPOSE_CUE.search(sentence).start())
        ][:1] or [sentence.strip()]
    return []


def in_usd(money: str) -> float | None:
    """A money span as a rough US-dollar number, or None when it cannot be read."""
    m = re.search(rf"({_NUM})\s?(million|billion|trillion|mln|bln|bn|m|b|k)?\b", money, re.I)
    if not m:
        return None
    number = float(m.group(1).replace(",", ""))
    number *= SCALES.get((m.group(2) or "").lower(), 1.0)
    low = money.lower()
    rate = next((r for c, r in TO_USD.items() if c in low and c != "$"), None)
    return number * (rate if rate is not None else 1.0)


def usd_first(spans: list[str]) -> list[str]:
    """Money spans with dollar figures first (a sentence often gives both currencies)."""
    return sorted(spans, key=lambda s: "$" not in s or "HK$" in s)
