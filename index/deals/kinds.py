"""Which kind of financing a sentence reports, and which of its amounts are a deal's size."""

from __future__ import annotations

import re
from itertools import pairwise

from index.deals import vocab
from index.text.money import Money, find_money

_FACILITY_TYPES = vocab.alternation("facility_types")
_NUMBER_WORDS = vocab.alternation("number_words")

# Kind triggers, strongest first: when several sit near one amount the earliest listed wins.
TRIGGERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        ("convertible", r"\bconvertib\w*\b(?!\s+currenc)|\bexchangeable\b"),
        (
            "buyback",
            r"\bbuy\s*-?\s*backs?\b|\bbuybacks?\b"
            r"|\brepurchas\w*\b(?!\s+(?:agreement|pact))"
            # "authorized the company to buy its outstanding stock in the open market"
            r"|\b(?:buy|purchase)\s+(?:up\s+to\s+[\w,.]+\s+(?:mln\s+)?(?:shares\s+of\s+)?)?"
            r"(?:its|the\s+company's)\s+(?:own\s+|outstanding\s+|common\s+)*(?:shares|stock)\b"
            r"(?=[^.;]{0,80}\b(?:open\s+market|from\s+time\s+to\s+time|privately))",
        ),
        (
            "loan",
            rf"\b(?:{_FACILITY_TYPES})\s+facilit\w*"
            r"|\b(?<!paper\s)facilit(?:y|ies)\b|\bloans?\b(?!\s+(?:stock|receivables)|[\s-]+backed)"
            r"|\bcredit\s+(?:lines?|agreements?)"
            r"|\bline\s+of\s+credit|\brevolving\s+credit|\b(?:buyer|supplier)['’]?s\s+credits?"
            r"|\bsyndicated\s+credits?|\beurocredits?\b"
            r"|\bbank\s+(?:financing|credits?|borrowings?|debt|lines?)\b"
            # "signed an agreement to borrow 169.1 mln marks"
            r"|\bborrow(?:s|ed|ing)?\b(?=\s+(?:up\s+to\s+|about\s+|a\s+total\s+of\s+)?"
            rf"(?:[$\d]|(?:{_NUMBER_WORDS})\s))",
        ),
        (
            "bond",
            r"\b(?:euro)?notes?\b|\b(?:euro)?bonds?\b|\b(?:euro)?debentures?\b"
            r"|\bcommercial\s+paper|\bdebt\s+(?:securities|offering|issue)|\bconvertible\s+debt"
            # British "loan stock" and "mortgage obligations" are bonds.
            r"|\bloan\s+stock|\b(?:mortgage|debt)\s+obligations",
        ),
        (
            "funding",
            r"\b(?:funding|financing|venture)\s+round"
            r"|\bseries\s+[a-e]\s+(?:round|financing)|\bventure\s+capital\s+financing",
        ),
        (
            "offering",
            r"\b(?:initial\s+)?public\s+(?:stock\s+|share\s+)?offering|\bIPO\b"
            r"|\binitial\s+(?:share\s+|stock\s+)?offering|\b(?:share|stock|equity|rights"
            r"|common|preferred)\s+(?:offering|issue)|\boffering\b|\bplacement\b"
            # Today's words for a share offering: "a $1bn London listing", "flotation".
            r"|\b(?:stock\s+market\s+)?(?:listing|flotation)\b"
            r"|\bsale\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,3}(?:shares|units|stock)\b"
            r"|\b(?:offer|sell)\s+(?:up\s+to\s+)?[\d,.]+(?:\s+mln|\s+million)?\s+"
            r"(?:[\w-]+\s+){0,3}?(?:shares|units)\b",
        ),
    )
)
KINDS = [k for k, _ in TRIGGERS]
PATTERNS = dict(TRIGGERS)
# A sized buyback may be written without "buy back": "authorized the purchase of 2 mln shares".
_SHARE_PURCHASE = re.compile(
    r"\bpurchas\w*\s+(?:of\s+)?(?:up\s+to\s+)?(?:about\s+)?[\w,.]+\s+(?:mln\s+|million\s+)?"
    r"(?:of\s+)?(?:its|the\s+company's|their)?\s*(?:own\s+|outstanding\s+|common\s+)*shares",
    re.I,
)
_SHARE_COUNT = re.compile(
    r"(?:offering|offer|placement|issue|sell|sale)\s+(?:of\s+)?(?:up\s+to\s+)?(?:about\s+)?"
    r"[\w,.]+(?:\s+(?:mln|million))?\s+(?:[\w-]+\s+){0,6}?(?:shares|units)\b",
    re.I,
)
_IPO = re.compile(
    r"\b(?:filed|prospectus|registration)\b[^.]{0,80}\b(?:issue|offering)\s+of\s+[^.]{0,60}?"
    r"\b(?:shares|units)\b"
    r"|\b(?:initial\s+)?public\s+(?:stock\s+|share\s+)?offering|\bIPO\b"
    r"|\binitial\s+(?:share\s+)?offering|\brights\s+(?:offering|issue)",
    re.I,
)
_OWN_SHARES = re.compile(r"\b(?:shares?|stock)\b", re.I)  # "a share repurchase program"
# Words that, just before an amount, make it something other than the deal's size.
_NOT_SIZE_BEFORE = re.compile(
    rf"\b(?:{vocab.alternation('not_size_words')}"
    r"|at(?!\s+(?:par|least)\b)|redemption(?!\s+amount)|buy(?!\s*-?\s*back))"
    r"\W*(?:\w+\W+){0,3}$",
    re.I,
)
# Debt a rating agency acts on is already issued: "upgraded to BBB-plus from BBB the company's
# 86 mln dlrs of debentures" (its "proposed 100 mln dlr issue" is news).
_RATED = re.compile(r"\b(?:upgrad|downgrad|affirm)\w*\b(?![^.;]*\bproposed\b)[^.;]*$", re.I)
# Syndicate shares and fee tiers ("lead manager status at 200 mln dlrs") are not deals either.
_PARTICIPATION = re.compile(
    # "underwriting 50 mln" is a bank's share; "a fully underwritten 250 million issue" is the deal.
    r"\b(?:fees?|status|commitments?|participat\w*|underwrit(?!ten\b)\w*|denominations?)\b",
    re.I,
)
# A kind word does not reach an amount across a new clause ("... and will borrow 4 mln dlrs").
_CLAUSE = re.compile(r"\band\s+(?:will|would|has|had|is|was|plans|it)\b|;", re.I)
_NOT_SIZE_AFTER = re.compile(
    # "buy two radio stations for 24 mln dlrs in cash and notes" is a price paid
    r"^\W*(?:in\s+(?:cash|notes|stock|shares)\s+and\s+(?:cash|notes|stock|shares)\b"
    r"|(?:a|per|each)\s+(?:share|unit|bond|note|ounce|tonne|barrel|year)|in\s+(?:fees|assets"
    r"|deposits|revenues?|sales|stock|loans\s+to)|(?:[\w-]+\s+){0,3}(?:project|program|programme"
    r"|budget|plan)\b|(?:\w+\s+){0,3}(?:outstanding|existing)\b"
    r"|of\s+(?:its\s+|the\s+company's\s+)?(?:existing|outstanding)|remains?\s+(?:available\s+)?for"
    r"|remaining\b"  # "will use the 5,553,600 dlrs remaining to repay debt" is a part
    r"|of\s+the\s+(?:[\w-]+\s+){0,2}(?:facility|loan|credit|issue|proceeds|offering|notes|bonds))",
    re.I,
)
# A size the deal was changed to: "will be raised to 888 mln dlrs".
RAISED_TO = re.compile(
    r"\b(?:increased|raised|cut|reduced)\s+to\s+(?:a\s+total\s+of\s+)?$"
    # "increasing the size of its ... bond issue with warrants to 75 mln"
    r"|\b(?:increas|rais|reduc)\w*\s+the\s+(?:size|amount)\s+of\b[^.;]{0,100}"
    r"\bto\s+$"
)
_OF = re.compile(r"\s+(?:of|in)\b", re.I)
# "priced at 18 dlrs" and "a price of" name a price; "priced 450 mln dlrs of notes" a size.
_PRICE = re.compile(r"\bpric(?:e[ds]?|ing)\s+(?:at|of)\s*$|(?<!\bto\s)\bprices?\s*$", re.I)
# "a one billion dlr medium term note program" is a deal; "a 26.5 mln dlr project" is not.
_PROGRAMME = re.compile(r"^\W*(?:[\w-]+\s+){0,3}(?:notes?|paper)\s+program", re.I)
_CLAUSE_END = re.compile(r"[,;.]")
_LAST = re.compile(
    r"\b(?:last\s+(?:year|month|week|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov"
    r"|Dec)|a\s+year\s+ago|already\s+(?:on\s+issue|outstanding|registered)"
    r"|(?:in|at\s+the\s+end\s+of|during|since)\s+((?:19|20)\d\d))\b"
)
_FROM = re.compile(r"\bfrom\b(?:\s+\w+){0,4}\s*$", re.I)
_RANGE = re.compile(r"\s*(?:to|-)\s*")  # between two amounts: a range, no size
_CHANGE = re.compile(r"\b(?:by|from)\s*$")  # "raise capital by 100 mln marks to 350 mln marks"
MIN_AMOUNT = 100_000.0  # below this a figure is a price or a denomination, not a deal's size
_WINDOW = 90  # characters between an amount and the word that names its kind


def triggers(sentence: str, skip: tuple[int, int] = (0, 0)) -> list[tuple[str, re.Match[str]]]:
    """Kind words in a sentence, outside the span `skip` (the subject: "National Home Loans")."""
    found = [
        (kind, m)
        for kind, pattern in TRIGGERS
        for m in pattern.finditer(sentence)
        if not skip[0] <= m.start() < skip[1]
    ]
    if _SHARE_PURCHASE.search(sentence) and re.search(r"authori[sz]|program", sentence, re.I):
        found.extend(("buyback", m) for m in _SHARE_PURCHASE.finditer(sentence))
    return found


def sizes(sentence: str, year: int | None = None) -> list[Money]:
    """Amounts that can be a deal's size: not a price, a profit, a conversion or a repayment."""
    out: list[Money] = []
    found = find_money(sentence)
    ranged = {
        m.start
        for a, b in pairwise(found)
        if _RANGE.fullmatch(sentence, a.end, b.start) and not _CHANGE.search(sentence, 0, a.start)
        for m in (a, b)
    }
    for money in found:
        before, after = sentence[max(0, money.start - 40) : money.start], sentence[money.end :]
        if money.start in ranged:
            continue  # "an offering of four mln dlrs to six mln dlrs" states no size
        if money.amount < MIN_AMOUNT or _history(after, year):
            continue
        if _NOT_SIZE_AFTER.match(after) and not _PROGRAMME.match(after):
            continue
        if _NOT_SIZE_BEFORE.search(before) or _FROM.search(before) or _PARTICIPATION.search(before):
            continue
        if _PRICE.search(before) or _RATED.search(sentence, max(0, money.start - 70), money.start):
            continue
        opened = sentence.rfind("(", 0, money.start)
        if out and 0 <= opened - out[-1].end <= 2 and ")" not in sentence[opened : money.start]:
            continue  # "100 mln marks (54.9 mln dlrs)", "16.4bn rupees ($375m; £198m)": converted
        out.append(money)
    return out


def _history(after: str, year: int | None) -> bool:
    """The amount's own clause dates it in the past ("a 220 mln dlr loan for X last year")."""
    clause = _CLAUSE_END.split(after, 1)[0]
    return any(
        not m.group(1) or (year is not None and int(m.group(1)) < year)
        for m in _LAST.finditer(clause)
    )


def kind_near(
    sentence: str, found: list[tuple[str, re.Match[str]]], money: Money, bounds: tuple[int, int]
) -> str | None:
    """The kind named for an amount: in its own phrase ("60 mln dlrs of convertible debentures
    and 250 mln dlrs of notes"), else the closest (the strongest when several are close)."""
    after = [
        (KINDS.index(k), m.start(), k)
        for k, m in found
        if money.end <= m.start() < min(bounds[1], money.end + _WINDOW)
        and not _CLAUSE.search(sentence, money.end, m.start())
    ]
    if after and (bounds[1] < len(sentence) or bounds[0] > 0 or _OF.match(sentence, money.end)):
        return min(after)[2]  # "X dlrs of <kind>", or several amounts each with its own kind
    near = [
        (KINDS.index(kind), min(abs(m.start() - money.end), abs(money.start - m.end())), kind)
        for kind, m in found
        if -_WINDOW // 2 <= m.start() - money.end <= _WINDOW
        or 0 <= money.start - m.end() <= _WINDOW // 2
        and not _CLAUSE.search(sentence, m.end(), money.start)
    ]
    return min(near)[2] if near else None


def sizeless_kind(sentence: str, found: list[tuple[str, re.Match[str]]]) -> str | None:
    """The kind of a deal stated without a sum: a share offering, a buyback or a convertible."""
    kinds = {kind for kind, _ in found}
    if "buyback" in kinds and _OWN_SHARES.search(sentence) and not _DEBT.search(sentence):
        return "buyback"
    if m := _SHARE_COUNT.search(sentence):
        tail = sentence[m.start() : m.end() + 60]
        return "convertible" if re.search(r"convertib", tail, re.I) else "offering"
    if (m := _IPO.search(sentence)) and not _DEBT.search(sentence, m.start(), m.end() + 80):
        return "offering"
    if "convertible" in kinds and _CONVERTIBLE_SALE.search(sentence):
        return "convertible"  # "plans to sell convertible subordinated notes" with no sum given
    return None


_CONVERTIBLE_SALE = re.compile(
    r"\b(?:sell|issue|offer|place|(?:offering|sale|issue|placement)\s+of)\s+(?:[\w-]+\s+){0,2}?"
    r"convertible\s+(?:[\w-]+\s+){0,2}?(?:notes|debentures|bonds|eurobonds?|debt)\b",
    re.I,
)
_DEBT = re.compile(r"\b(?:notes?|bonds?|debentures?|debt)\b", re.I)
