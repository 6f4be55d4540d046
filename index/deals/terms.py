"""The terms of a deal read from its sentences: maturity, coupon, use of proceeds and the
valuation a round or listing puts on the company."""

from __future__ import annotations

import re

from index.text.money import Money, find_money

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19|20)\d\d"
_DATE = (
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH}),?\s+(?P<y1>{_YEAR})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>{_YEAR})"
    rf"|(?P<m3>{_MONTH}),?\s+(?P<y3>{_YEAR})"
    rf"|(?P<y4>{_YEAR})(?![\d-])"
)
_MATURITY = re.compile(
    rf"\b(?:due|matur(?:e|es|ing|ity)|redeemable)\b(?:\s+(?:on|in|date|of|set|to|is))*\s+(?:{_DATE})",
    re.I,
)
_NUM = r"(?P<num>\d{1,2}(?:\.\d+)?(?:[- ]\d/\d{1,2})?|\d/\d{1,2})"
_PCT = r"\s*(?:pct|%|per\s?cent|percent)"
_COUPON_BEFORE = re.compile(
    rf"\b(?:coupon|paying|pays|bearing|carry(?:ing)?|carries|interest(?:\s+rate)?|rate)"
    rf"(?:\s+(?:a|an|of|fixed|annual|coupon|interest|rate)){{0,4}}\s+{_NUM}{_PCT}",
    re.I,
)
_COUPON_AFTER = re.compile(
    rf"(?<![\w.]){_NUM}{_PCT}(?:\s+[\w-]+){{0,3}}?\s+(?:coupon|notes?|debentures?|bonds?|eurobonds?"
    r"|eurodebentures?|debt)\b",
    re.I,
)
_ZERO = re.compile(r"\bzero[- ]coupon\b", re.I)
PROCEEDS_WORD = re.compile(r"\bproceeds\b", re.I)
_PROCEEDS = re.compile(
    r"\bproceeds\b[^.;]*?\b(?:will|would|are to|is to|to)\s+(?:be\s+)?"
    r"(?:used|earmarked|directed|allocated|applied|split|invested|go|spent)\s*(?:to|for|toward|towards|in|into|on|between)?\s+",
    re.I,
)
_SPLIT = re.compile(r"\d+(?:\.\d+)?\s*(?:%|pct|per\s?cent)", re.I)
_REMAINING = re.compile(r"^(?:the\s+)?(?:remaining|rest|other|balance)\b", re.I)


def maturity(text: str) -> str | None:
    """The stated maturity as an ISO date ("2032-09-15"), month ("1991-04") or year ("2032")."""
    m = _MATURITY.search(text)
    if not m:
        return None
    g = m.groupdict()
    year = g["y1"] or g["y2"] or g["y3"] or g["y4"]
    month = _month(g["m1"] or g["m2"] or g["m3"])
    day = g["d1"] or g["d2"]
    if month and day and 1 <= int(day) <= 31:
        return f"{year}-{month:02d}-{int(day):02d}"
    return f"{year}-{month:02d}" if month else year


def coupon(text: str) -> str | None:
    """The coupon as a normalised percentage ("0%", "5.25%"), or None when none is stated."""
    if _ZERO.search(text):
        return "0%"
    for pattern in (_COUPON_BEFORE, _COUPON_AFTER):
        m = pattern.search(text)
        if m and (value := _percent(m.group("num"))) is not None and value < 30:
            return f"{value:g}%"
    return None


_VALUATION = re.compile(
    r"\b(?:(?:post-money\s+|pre-money\s+)?valuation\s+of(?:\s+(?:about|around|roughly|nearly|some|more\s+than|over))?"
    r"|valu(?:ing|ed|es)\s+(?:it|the\s+(?:company|startup|start-up|firm|business|group)|\w+)?\s*at"
    r"(?:\s+(?:about|around|roughly|nearly|some|more\s+than|over))?"
    r"|at\s+an?\s+(?:post-money\s+|pre-money\s+)?valuation\s+of(?:\s+(?:about|around|roughly))?)\s+$",
    re.I,
)
_VALUATION_AFTER = re.compile(r"^\s*(?:post-money\s+|pre-money\s+)?valuation\b", re.I)


def valuation(sentences: list[str]) -> Money | None:
    """The valuation a deal's sentences state: "at a valuation of $2.3 billion", "valuing it at
    €400m", "a $1.5 billion valuation"."""
    for sentence in sentences:
        for money in find_money(sentence):
            before, after = sentence[max(0, money.start - 80) : money.start], sentence[money.end :]
            if _VALUATION.search(before) or _VALUATION_AFTER.match(after):
                return money
    return None


def is_use_of_proceeds(sentence: str) -> bool:
    """Whether a sentence says what proceeds will pay for (its amounts are uses, not deals)."""
    return bool(_PROCEEDS.search(sentence))


def use_of_proceeds(sentences: list[str]) -> str | None:
    """What the proceeds will pay for, with a percentage split's remaining share when given."""
    for n, sentence in enumerate(sentences):
        m = _PROCEEDS.search(sentence)
        if not m:
            continue
        # A split ("80% for ..., and 20% for ...") reads best from its first share.
        split = _SPLIT.search(sentence, 0, m.end())
        start = split.start() if split and "proceeds" in sentence[: split.start() + 40] else m.end()
        use = sentence[start:].rstrip(" .")
        following = sentences[n + 1] if n + 1 < len(sentences) else ""
        if _SPLIT.search(use) and _REMAINING.match(following):
            use = f"{use}; {following.rstrip(' .')}"
        return _trim(use)
    return None


def _trim(text: str, limit: int = 300) -> str:
    text = re.sub(r"\[\d+\]", "", " ".join(text.split()))
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _month(name: str | None) -> int | None:
    if not name:
        return None
    key = name.lower().rstrip(".")
    return _MONTHS.get(key[:4] if key.startswith("sept") else key[:3])


def _percent(text: str) -> float | None:
    """A Reuters percentage: "7.25", "5-1/4", "5 1/4" or "3/8"."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)?(?:[- ]?(\d)/(\d{1,2}))?", text.strip())
    if not m or not (m.group(1) or m.group(2)):
        return None
    whole = float(m.group(1) or 0)
    frac = int(m.group(2)) / int(m.group(3)) if m.group(2) else 0.0
    return whole + frac
