"""Question analysis: what a question asks for (an amount, a date, a party...) and about whom."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.retrieval.query import outlet_spans
from index.text.dates import MONTH_ABBREVIATIONS

# The kinds a financing question asks for, tried in this order (the first that fits wins).
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (k, re.compile(p, re.I))
    for k, p in (
        (
            "comparison",
            r"^\s*which\b.*\b(?:more|less|larger|bigger|higher|lower|greater|smaller)\b"
            r".*\bor\b",
        ),
        (
            "identify",
            r"^\s*(?:what is the name of|which (?:\w+\s+)?(?:company|individual|person|"
            r"organi[sz]ation|institution|entity|club|team|firm|platform|product)\b|"
            r"who is the (?:individual|person|entity)\b)",
        ),
        (
            "yesno",
            # an auxiliary first, or after an opening clause ("Between X and Y, was ...")
            r"^\s*(?:(?:between|after|before|following|according to|in|as|given)\b"
            r"[^?]*?,\s*)?(?:is|are|was|were|did|does|do|has|have|had|can|could|will|"
            r"would|should)\b",
        ),
        ("date", r"^\s*when\b"),
        (
            "person",
            r"^\s*who\s+(?:is|was)\s+(?:the\s+|their\s+|its\s+)?(?:\w+\s+)?(?:ceo|"
            r"chief executive|chair\w*|founder|president|cfo|boss|head)\b"
            r"(?:\s+(?:of|at)\b|\s*\??\s*$)",
        ),
        (
            "price",
            r"\bper share\b|\ba share\b|\bshare price\b|\bprice per\b|\boffer price\b|"
            r"\b(?:conversion|strike|subscription|issue|offer|placing|exercise) price\b",
        ),
        (
            "rate",
            r"\binterest rate\b|\bcoupon\b|\byield\b|\brate (?:do|does|did|would|will)\b|"
            r"\bmargin\b|\bspread\b|\bpremium\b|\bdiscount\b|"
            r"\binterest (?:do|does|did|would|will|is|are)\b",
        ),
        ("valuation", r"\bvalu(?:ed|ation)\b|\bworth\b"),
        (
            "party",
            r"^\s*(?:who|which (?:banks?|investors?|firms?|lenders?|funds?|backers?|"
            r"underwriters?))\s+(?:\w+\s+){0,2}(?:led|lead|invest|lent|lend|provid|back|"
            r"bought|buy|acquir|underwr|run|manag|arrang|particip|fund|financ)",
        ),
        (
            "purpose",
            r"\bwhat (?:will|would|do|does|did|is|are) (?:the )?(?:proceeds|money|funds|"
            r"cash)\b|\bdo with\b|\bused? (?:for|to)\b|\bspend\b|\bspent\b|\bwhat for\b|"
            r"\bpurpose\b|"
            r"\buse (?:of )?(?:the )?(?:proceeds|money|funds|cash)\b|\bgo towards\b",
        ),
        (
            "date",
            r"\bwhen (?:is|was|are|were|did|does|do|will|would)\b|"
            r"\bwhat (?:date|year|month|day)\b|\bhow long\b|\bmatur|\bdeadline\b",
        ),
        ("count", r"\bhow many\b"),
        (
            "amount",
            r"\bhow (?:much|large|big)\b|\bsize\b|\bamount\b|\bcost\b|\bpa(?:y|id)\b|"
            r"\bwhat price\b",
        ),
    )
)
# Kinds whose value can be looked for in a sentence; a question of these kinds has an honest gap.
FACT_KINDS = frozenset(
    {"count", "person", "price", "rate", "valuation", "party", "purpose", "date", "amount"}
)
# Capitalised words that are no company: question words, titles, months, instruments.
NOT_NAMES = frozenset(
    """What Which Who When Where Why How Is Are Was Were Did Does Do Has Have
Will Would Should Can Could The A An According In On At For Of And Or But To By From With As
IPO CEO CFO Series US UK EU Chief Executive Monday Tuesday Wednesday Thursday Friday Saturday
Sunday January February March April May June July August September October November
December""".split()
) | {m.capitalize() for m in MONTH_ABBREVIATIONS}
GENERIC = frozenset(
    """Group Bank Banks Capital Holdings Holding Inc Corp Corporation Ltd Plc PLC
Company Co SA AG NV Partners Ventures Fund Funds International Global Technologies Energy
Electric Financial Securities Investments""".split()
)
NAME_RUN = re.compile(r"[A-Z][\w&'’.-]*(?:\s+(?:of\s+|&\s+|de\s+)?[A-Z][\w&'’.-]*)*")
OR_SIDES = re.compile(r"^\s*which\b[^,?]*,\s*(.+?)\s+or\s+(.+?)\s*(?:,|\?|$)", re.I)
SOURCE_LEAD = re.compile(r"^\s*(?:according to|as reported by|per)\s+[^,]+,\s*", re.I)


@dataclass(frozen=True)
class Question:
    """A question's kind and focus: the company it is about (first name it gives, or the
    thread's), and for a comparison the two sides."""

    text: str
    kind: str
    focus: str = ""
    sides: tuple[str, str] | None = None
    focus_from_thread: bool = False

    @property
    def wants_fact(self) -> bool:
        """Whether a value of a known kind is asked for (so a gap can be stated)."""
        return self.kind in FACT_KINDS


def analyse(question: str, thread_focus: str = "", outlets: tuple[str, ...] = ()) -> Question:
    """The kind and focus of a question; a follow-up that names no company keeps the thread's."""
    kind = next((k for k, p in KINDS if p.search(question)), "open")
    sides = None
    if kind == "comparison" and (m := OR_SIDES.search(question)):
        sides = (m.group(1), m.group(2))
    names = names_in(_without_outlets(question, outlets), outlets)
    if names:
        return Question(question, kind, names[0], sides)
    return Question(question, kind, thread_focus, sides, bool(thread_focus))


def _without_outlets(question: str, outlets: tuple[str, ...]) -> str:
    """The question with the outlets it names blanked (an outlet is no company asked about)."""
    for start, end, _ in sorted(outlet_spans(question, outlets), reverse=True):
        question = question[:start] + " " * (end - start) + question[end:]
    return question


def names_in(text: str, outlets: tuple[str, ...] = ()) -> list[str]:
    """Capitalised runs that read as company names, in order (not the opening question word,
    not outlets the index holds, not months or titles)."""
    text = SOURCE_LEAD.sub("", text)
    out = []
    for m in NAME_RUN.finditer(text):
        words = [w.strip("'’.,-") for w in m.group(0).split()]
        while words and (
            words[0] in NOT_NAMES
            or words[0].removesuffix("'s") in NOT_NAMES
            or words[0] in ("of", "&", "de")
        ):
            words = words[1:]
        name = " ".join(words)
        name = re.sub(r"(?:'s|’s|'|’)$", "", name).strip()
        if name and name.lower() not in outlets and name not in NOT_NAMES:
            out.append(name)
    return out


def key_word(name: str) -> str:
    """The word of a name that stands for it in text: its first word unless that is generic."""
    words = [w for w in re.split(r"\s+", name) if w]
    distinct = [w for w in words if w not in GENERIC and w.lower() not in {"of", "&", "de"}]
    return (distinct or words or [""])[0]


def mentions(text: str, name: str) -> bool:
    """Whether a text names the company (its whole name, or its key word as a word)."""
    if not name:
        return True
    if name in text:
        return True
    word = key_word(name)
    return bool(word) and re.search(rf"\b{re.escape(word)}\b", text) is not None
