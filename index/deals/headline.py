"""Deals a wire headline announces ("JUTLAND TELEPHONE ISSUES 75 MLN SFR 10 YEAR BOND").

A newswire states its news in the headline, in a few set forms, while the body may word the deal
in ways the sentence rules have never seen ("launched a 75 mln 10 year bond"). So the headline is
read as well: its kind words and its one size, backed by an opening body sentence that names the
same size or a word of the same kind, and that sentence's subject as the company.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.deals import company as deal_company
from index.deals import context as deal_context
from index.deals import vocab
from index.deals.kinds import MIN_AMOUNT, PATTERNS, TRIGGERS, sizeless_kind, triggers
from index.records import Article
from index.text.money import Money, find_money, same_size

_LEDE = 2  # the wire's opening sentences: where the body states what the headline says
# Headlines about a deal that is not new money for the company, or not settled news.
_NOT_NEWS = re.compile(
    rf"\b(?:{vocab.alternation('not_news')}"
    # "BONDS FIRM" is a market report; "INDIAN STATE FIRM SIGNS..." names a company.
    r"|(?:BONDS?|GILTS?|NOTES|PRICES|SHARES|STOCKS|DOLLAR|MARKET)\s+FIRMS?)\b"
)
# The headline must say the deal happens: a wire's set verbs for issuing, borrowing, buying back.
_ANNOUNCES = re.compile(
    rf"\b(?:{vocab.alternation('headline_verbs')}"
    r"|IN\s+(?:\w+\s+)?(?:PUBLIC|INITIAL|RIGHTS|SHARE|STOCK)\s+OFFERING)\b"
)
# A lender's headline: the loan is someone else's ("IMF LOANS UGANDA", "ADB APPROVES LOANS").
_LENDS = re.compile(
    rf"\b(?:{vocab.alternation('headline_lender_verbs')}|LOANS\s+(?!TO\b)[A-Z])\b"
    r"|\bLOANS?\s+TO\b"
)
# A kind word that is part of a name: "BOND CORP", "TCW CONVERTIBLE SECURITIES FUND".
_IN_NAME = re.compile(
    r"^\s*(?:[\w&.'-]+\s+){0,3}?"
    rf"(?:{vocab.alternation('headline_name_words')}|<)\b"
)
# An opening sentence that reports no new money: holders selling, conversions, cancellations.
_NO_NEW_MONEY = re.compile(rf"\b(?:{vocab.alternation('no_new_money')})\b", re.I)
_BUY_SHARES = re.compile(r"\b(?:buy|purchase)\b[^.;]{0,40}\bshares\b", re.I)
_SHARE_SALE = re.compile(r"\b(?:OFFER\w*|ISSU\w*|SELL\w*|SALE|PLACEMENT)\b")
_SHARES = re.compile(rf"\b(?:{vocab.alternation('headline_share_words')})\b")
_DEBT_BUYBACK = re.compile(
    r"\b(?:BUYS?\s*-?\s*BACK|REPURCHASE)\w*\b.*\b(?:NOTES?|BONDS?|DEBT"
    r"|DEBENTURES?)\b"
)


@dataclass(frozen=True)
class HeadlineDeal:
    """A deal read from the headline: its kind, its size (if the headline states one), the body
    sentence that backs it and that sentence's index, and the company."""

    kind: str
    money: Money | None
    company: str
    evidence: str
    sentence: int


def headline_deals(article: Article, sentences: list[str], lead: str | None) -> list[HeadlineDeal]:
    """The deals the headline announces that an opening body sentence backs; `lead` is who the
    article is about (`deal_context.lead_company`), the company when that sentence names none."""
    title = (article.title or "").upper()  # wire headlines are capitals; others are read so too
    kinds = _kinds(title)
    if (
        not kinds
        or not _ANNOUNCES.search(title)
        or _NOT_NEWS.search(title)
        or _DEBT_BUYBACK.search(title)
    ):
        return []
    sizes = [m for m in find_money(title) if m.amount >= MIN_AMOUNT]
    money = sizes[0] if len(sizes) == 1 and len(kinds) == 1 else None
    sizeless = {"buyback", "offering"} if _SHARES.search(title) else {"buyback"}
    found = (
        _one(article, sentences, title, kind, money, lead)
        for kind in kinds
        if money is not None or kind in sizeless
    )
    return [deal for deal in found if deal]


def _one(
    article: Article,
    sentences: list[str],
    title: str,
    kind: str,
    money: Money | None,
    lead: str | None,
) -> HeadlineDeal | None:
    """The headline's deal of one kind, if an opening sentence backs it and names who it is.
    Without a headline size only share offerings and buybacks count: debt always has a size."""
    found = _backing(kind, money, sentences[:_LEDE])
    if found is None:
        return None
    n, evidence = found
    if (kind == "loan" and _LENDS.search(title)) or _NO_NEW_MONEY.search(evidence):
        return None
    company = _company(article, evidence, lead)
    if not company or _names_kind(company, kind, title):
        return None
    return HeadlineDeal(_body_kind(kind, evidence, money), money, company, evidence, n)


def _names_kind(company: str, kind: str, title: str) -> bool:
    """Whether the headline's kind word is the company's own name ("NATIONAL HOME LOANS
    LAUNCHES...", "BOND CORP ...")."""
    words = {m.group().lower() for m in PATTERNS[kind].finditer(title)}
    return all(word in company.lower() for word in words)


def _kinds(title: str) -> list[str]:
    """The kinds a headline names, each once, in trigger order; convertible debt is not also a
    plain bond ("100 MLN DLR CONVERTIBLE BOND")."""
    named = [
        kind
        for kind, pattern in TRIGGERS
        if any(not _IN_NAME.match(title, m.end()) for m in pattern.finditer(title))
    ]
    if (
        "offering" not in named
        and "buyback" not in named
        and _SHARES.search(title)
        and (_SHARE_SALE.search(title))
    ):
        named.append("offering")  # "TO OFFER SHARES, NOTES"
    if "convertible" in named and "bond" in named:
        named.remove("bond")
    if "offering" in named and len(named) > 1 and not _SHARES.search(title):
        named.remove("offering")  # "DEBT OFFERING", "NOTE OFFERING": the offering is the debt
    return named


def _backing(kind: str, money: Money | None, lede: list[str]) -> tuple[int, str] | None:
    """The first opening sentence that names the headline's size, else one that names its kind."""
    if money is not None:
        for n, sentence in enumerate(lede):
            if any(same_size(m.amount, money.amount) for m in find_money(sentence)):
                return n, sentence
    pattern = PATTERNS[kind]
    for n, sentence in enumerate(lede):
        if pattern.search(sentence) or (kind == "offering" and sizeless_kind(sentence, [])):
            return n, sentence
        if kind == "buyback" and _BUY_SHARES.search(sentence):
            return n, sentence  # "authorized management to buy up to ten mln shares"
    if money is not None:  # a sized headline deal may be worded otherwise: "a note offer"
        return next(((n, s) for n, s in enumerate(lede) if triggers(s)), None)
    return None


def _company(article: Article, evidence: str, lead: str | None) -> str | None:
    """The backing sentence's subject, else who the article is about, spelt as the headline."""
    name = deal_company.subject(evidence)[0]
    if not (
        name and deal_context.credible(name, article) and not deal_context.is_person(name, article)
    ):
        name = lead or _as_written(article)
    if not name or deal_company.governmental_subject(evidence):
        return None
    return deal_company.respelled(name, article.title, ticker=False)


def _as_written(article: Article) -> str | None:
    """The headline's company as the body writes it ("SMH", not "Smh")."""
    name = deal_company.from_title(article.title or "")
    if not name:
        return None
    at = (article.body or "").lower().find(name.lower())
    return article.body[at : at + len(name)] if at >= 0 else name


def _body_kind(kind: str, evidence: str, money: Money | None) -> str:
    """The body's own words win over a headline's loose one: a "100 MLN DLR OFFERING" of notes is
    a bond, a bond said to be convertible is convertible, "convertible preferred units" too."""
    if kind == "offering" and money is None:
        return sizeless_kind(evidence, []) or kind
    debt = {k for k, p in TRIGGERS if k in {"bond", "convertible"} and p.search(evidence)}
    if kind in {"offering", "bond"} and debt:
        return "convertible" if "convertible" in debt else "bond"
    return kind
