"""The sentences of an article that may report a deal, split the way newswires write them."""

from __future__ import annotations

import re

from index.deals import terms as deal_terms
from index.deals import vocab
from index.text.sentences import ABBREVIATIONS

_DEAL_VERB = re.compile(rf"\b(?:{vocab.alternation('deal_verbs')}|buy\s*-?\s*back)\b", re.I)
# Sentences that talk about a deal without reporting one: hedged, cancelled, repaid, earnings.
_HEDGED = re.compile(
    rf"\b(?:{vocab.alternation('hedges')}"
    # Words with exceptions: cancellable, redeemable or negotiated debt is a deal's terms.
    r"|[Nn]egotiat(?!ed\b)\w*|cancel(?!lable)\w*|redeem(?!able)\w*|redemption(?!\s+amount)"
    r"|(?<!to\s)restructur\w*"
    # A rating action is about debt already sold, unless it rates a proposed issue.
    r"|(?:upgrad|downgrad)\w*(?![^.]*\bproposed\b))\b"
)
# What reads like a hedge and is not: a yield set over the Treasury's bills, and a buyback's
# standard wording ("may purchase up to 100,000 shares ... from time to time").
NOT_HEDGES = re.compile(
    r"\b(?:over|above|below|than)\s+(?:the\s+)?(?:[\w-]+\s+){0,6}?[Tt]reasur(?:y|ies)\b"
    r"|\bmay\s+(?:re)?purchase\b|\bmay\s+buy\b"
    # The wire's reported future is an announcement: "BNL said it would issue 120 mln dlrs".
    r"|\bsaid\s+(?:it|they)\s+would\s+(?=(?:issue|sell|offer|raise|launch|borrow|buy|repurchase"
    r"|place|float)\b)"
    # Investors' demand is why an issue grew, not a creditor's demand.
    r"|\b(?:strong|heavy|good|firm|investor|investors')\s+demand\b"
)
_SECONDARY = re.compile(r"\bsecondary\s+offering", re.I)
_PRIMARY = re.compile(
    r"\bnew\s+(?:issue|shares)|\bprimary\b|\btreasury\s+issue"
    r"|\band\s+(?:an\s+)?offering\s+of",
    re.I,
)
_SEEK = re.compile(r"\b(?:seek\w*|sought)\b", re.I)
_SYNDICATED = re.compile(
    r"\b(?:arrang\w*|syndicat\w*|lead\s+manag\w*|underwrit\w*|tender\s+panel"
    r"|agent\s+for\s+(?:a|the)\s+(?:bank\s+)?(?:group|syndicate))\b",
    re.I,
)
_PAST = re.compile(
    r"^(?:On|In|Since|During)\s+(?:[A-Z][a-z]+\.?\s+(?:\d{1,2},?\s+)?)?"
    r"((?:19|20)\d\d)\b"
    # "Since the beginning of the present program in March 1986, it has bought..."
    r"|^(?:Since|During)\b[^,;]{0,80}?\b((?:19|20)\d\d)\b"
)
_DEFINITE = re.compile(
    r"^(?:The|This|That)\s+(?:[\w-]+\s+){0,2}"
    rf"(?:{vocab.alternation('deal_nouns')})\b"
)
_DEBT_BUYBACK = re.compile(
    r"\b(?:buy\s*-?\s*back|repurchas\w*)\b(?:\W+\w+){0,12}?\W+"
    r"(?:notes?|bonds?|debentures?|debt)\b",
    re.I,
)
_INITIALS = re.compile(r"(?:\b[A-Z]\.){1,3}$")
_BREAK = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“(<]?[A-Z0-9$€£])")
_DATELINE = re.compile(r"^[A-Z][A-Z.]+(?:\s[A-Z][A-Z.]+){0,2}\s+-+\s+(?=[A-Z])")
_QUOTE = re.compile(r"^[\"“'‘]")


def split(body: str) -> list[str]:
    """Sentences: paragraphs split at full stops, not after "Co." or initials ("H.K. Dlr")."""
    text = re.sub(r"(?<![.!?:\"”])\n(?!\n)", " ", body)  # a wire line break inside a sentence
    out: list[str] = []
    for paragraph in text.split("\n"):
        start = 0
        for m in _BREAK.finditer(paragraph):
            head = paragraph[start : m.start()]
            last = head.rsplit(None, 1)[-1].lower().strip("([\"'“‘.") if head.split() else ""
            if last in ABBREVIATIONS or _INITIALS.search(head):
                continue
            out.append(head.strip())
            start = m.end()
        out.append(paragraph[start:].strip())
    # A digest's items open with their dateline: "LONDON - Sharp Corp is issuing...".
    return [_DATELINE.sub("", " ".join(s.split())) for s in out if s.strip()]


def is_syndicated(body: str) -> bool:
    """Whether banks are arranging or underwriting the financing the article describes."""
    return bool(_SYNDICATED.search(body))


def is_back_reference(sentence: str) -> bool:
    """A sentence about a deal already named ("The issue was increased from 100 mln dlrs")."""
    return bool(_DEFINITE.match(sentence))


def is_hedged(sentence: str) -> bool:
    """Whether the sentence hedges, cancels, denies or looks back rather than reporting a deal."""
    return bool(_HEDGED.search(NOT_HEDGES.sub(" ", sentence)))


def reports_deal(sentence: str, year: int | None, syndicated: bool) -> bool:
    """A sentence that may report a deal: a deal verb, no hedge, not history, not a repayment."""
    if _SECONDARY.search(sentence) and not _PRIMARY.search(sentence):
        return False  # shares sold by holders raise nothing for the company
    if not _DEAL_VERB.search(sentence) or is_hedged(sentence) or _QUOTE.match(sentence):
        return False
    if _SEEK.search(sentence) and not syndicated:
        return False  # "seeking a facility" is a deal only once banks are arranging it
    if year and any(int(y) < year for m in _PAST.finditer(sentence) for y in m.groups() if y):
        return False  # "On October 7, 1986, the unit sold..." is history, not news
    return not _DEBT_BUYBACK.search(sentence) and not deal_terms.is_use_of_proceeds(sentence)
