"""Who a financing deal belongs to: the subject of a sentence, a Reuters headline, a possessive."""

from __future__ import annotations

import re
from collections import Counter

_VERBS = (
    r"said|says|is|are|has|have|had|was|were|will|would|plans?|planned|announced|announces"
    r"|filed|files|agreed|agrees|signed|signs|issued|issues|offered|offers|priced|prices"
    r"|launched|launches|authori[sz]ed|authori[sz]es|raised|raises|obtained|obtains|completed"
    r"|completes|received|receives|sold|sells|intends|proposed|proposes|got|gets|won|arranged"
    r"|arranges|set|sets|expects|told|reported|also|registered|began|made|to|secured|closed"
    r"|entered|increased|expanded|approved|plans|seeks|sought|borrowed|repurchased|bought"
)
_SUBJECT = re.compile(rf"^(?P<subj>.{{2,140}}?),?\s+(?:{_VERBS})\b")
_CONNECTORS = {"and", "of", "&", "de", "du", "la", "des", "der", "fur", "für", "van", "von",
               "the", "for", "y", "et", "del", "di", "da", "do", "an", "am", "zu"}
_NOT_COMPANIES = re.compile(
    r"^(?:it|its|he|she|they|we|the\s+company|company|the\s+bank|the\s+group|the\s+firm"
    r"|the\s+issuer|the\s+borrower|this|that|these|analysts?|sources?|officials?|bankers?"
    r"|dealers?|traders?|the\s+\w+|a\s+\w+|in\s+.*|under\s+.*|after\s+.*|but\s+.*|and\s+.*"
    r"|lead\s+.*|co-?lead\s+.*|joint\s+.*|underwriters?\b.*|managers?\b.*|reuters?|spokes\w+.*)$",
    re.I,
)
_TICKER = re.compile(r"<([^<>]{2,80})>")
_TITLE_CUT = re.compile(
    r"\s(?:TO|ISSUES?|SETS?|FILES?|OFFERS?|GETS?|PLANS?|SAYS?|SIGNS?|IN|UNITS?|SEEKS?|PRICES?"
    r"|LAUNCH\w*|RAISES?|BUYS?|SELLS?|ARRANGES?|WINS?|HAS|COMPLETES?|REPURCHASES?|AUTHORI[SZ]ES?"
    r"|APPROVES?|DEBT|BONDS?|NOTES?|EUROBONDS?|CONVERTIBLE|OFFERING|SHARES?|STOCK|FOR|MAKES?"
    r"|SAID|LOANS?|CREDITS?|FACILITY|PRIVATE|PUBLIC|INITIAL|ANNOUNCES?|REGISTERS?|EXTENDS?"
    r"|TAPS?|OBTAINS?|RECEIVES?|CLOSES?|UPS|BOOSTS?|INCREASES?|EXPANDS?|GROUP'S|CO'S|\d)\b.*$",
    re.I,
)
_POSSESSIVE = re.compile(r"(?<![.!?]\s)\b([A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,2})['’]s\b")
_LEADING = re.compile(r"^(?:the\s+|a\s+|an\s+)", re.I)


def subject(sentence: str) -> str | None:
    """The company a sentence is about when it opens the sentence ("XYZ Corp said it...")."""
    m = _SUBJECT.match(sentence.strip())
    if not m:
        return None
    subj = m.group("subj").strip(" ,")
    if tick := _TICKER.search(subj):
        return _clean(tick.group(1))
    subj = _TICKER.sub("", subj)
    parts = [p.strip() for p in subj.split(",") if p.strip()]
    # An appositive names the company: "The state telecom authority, Telecom Australia, said".
    candidates = [_clean(p) for p in reversed(parts)] if len(parts) > 1 else [_clean(subj)]
    return next((c for c in candidates if c and _looks_like_name(c)), None)


def from_title(title: str) -> str | None:
    """The company a Reuters-style headline opens with ("EATON VANCE <EAVN.O> TO BUY BACK...")."""
    head = title.split("<", 1)[0] if "<" in title else _TITLE_CUT.sub("", " " + title)
    head = _clean(head)
    if not head or len(head.split()) > 6 or not _looks_like_name(head):
        return None
    return head.title() if head.isupper() else head


def most_possessive(text: str) -> str | None:
    """The name an article most often writes as a possessive ("Alibaba's"), if any repeats."""
    counts = Counter(m.group(1) for m in _POSSESSIVE.finditer(text))
    for name, n in counts.most_common(3):
        if n >= 2 and _looks_like_name(name) and not _NOT_COMPANIES.match(name):
            return name
    return None


def _clean(text: str) -> str:
    text = _TICKER.sub("", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;:-'\"“”‘’()")
    # "The company" must stay whole to be recognised as a pronoun; "The Hydraulic Co" loses "The".
    return _LEADING.sub("", text) if len(text.split()) >= 3 else text


def _looks_like_name(text: str) -> bool:
    """Capitalised words (a few connectors allowed), not a pronoun or a role."""
    words = text.split()
    if not words or len(words) > 9 or _NOT_COMPANIES.match(text):
        return False
    if not words[0][:1].isupper() and not words[0][:1].isdigit():
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w[:1] in "&(" or w.lower() in _CONNECTORS
               for w in words)
