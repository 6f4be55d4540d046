"""Financing deals read from an article by rules: kind, company, amount, and the deal's terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from index import deal_company, deal_kinds, deal_terms
from index.money import Money, find_money
from index.records import Article, Deal
from index.sentences import ABBREVIATIONS

_DEAL_VERB = re.compile(
    r"\b(?:issu\w*|offer\w*|sell\w*|sold|sale|plac\w*|rais\w*|pric\w*|launch\w*|fil(?:e|ed|es|ing)"
    r"|regist\w*|plan\w*|sign\w*|arrang\w*|obtain\w*|secured|receiv\w*|grant\w*|agree\w*"
    r"|authori[sz]\w*|approv\w*|repurchas\w*|buy\s*-?\s*back|buyback|borrow\w*|complet\w*"
    r"|clos(?:ed|es|ing)|got|gets|won|extend\w*|provid\w*|establish\w*|underw\w*|manag\w*"
    r"|intend\w*|propos\w*|announc\w*|tap\w*|led\s+by|t(?:ook|akes?)\s+out|refinanc\w*|syndicat\w*"
    r"|renew\w*|accelerat\w*|beg[ia]n\w*|start\w*|mandat\w*|lend\w*|lent|seek\w*|sought|make"
    r"|set|fixed|underway|enter\w*)\b",
    re.I,
)
# Sentences that talk about a deal without reporting one: hedged, cancelled, repaid, earnings.
_HEDGED = re.compile(
    r"\b(?:[Rr]equest\w*|[Nn]egotiat\w*|talks|[Cc]onsider\w*|may|might|could|possib\w*|rumou?r\w*"
    r"|speculat\w*|unlikely|[Ii]f|declined|did\s+not|didn't|expect(?:s|ed)?\s+(?:to|within)"
    r"|cancel\w*|[Ee]stimat\w*|withdr[ae]w\w*|terminat\w*|scrap\w*|abandon\w*|postpon\w*"
    r"|default\w*|demand\w*|redeem\w*|likely|secondary\s+offering|[Tt]reasury|[Ee]xchequer|gilts?"
    r"|redemption(?!\s+amount)|called\s+for|net\s+income|net\s+profit|earnings|net\s+loss|revenues?)\b"
)
_SEEK = re.compile(r"\b(?:seek\w*|sought)\b", re.I)
_SYNDICATED = re.compile(r"\b(?:arrang\w*|syndicat\w*|lead\s+manag\w*)\b", re.I)
_PAST = re.compile(r"\b(?:[Oo]n|[Ii]n|[Ss]ince|[Dd]uring)\s+(?:[A-Z][a-z]+\.?\s+(?:\d{1,2},?\s+)?)?"
                   r"((?:19|20)\d\d)\b")
_DEFINITE = re.compile(r"^(?:The|This|That)\s+(?:[\w-]+\s+){0,2}(?:issue|facility|offering|loan"
                       r"|bonds?|notes|debentures|credit|deal|financing|eurobond|package)\b")
_DEBT_BUYBACK = re.compile(r"\b(?:buy\s*-?\s*back|repurchas\w*)\b(?:\W+\w+){0,12}?\W+"
                           r"(?:notes?|bonds?|debentures?|debt)\b", re.I)
_LENDER = re.compile(r"(?<!was )(?<!been )(?<!be )\b(?:approved|granted|gave|lent|lending|lends"
                     r"|extended)\b")
_TO_NAME = re.compile(
    r"\b(?:to|for)\s+(?P<name>[A-Z][\w&.'-]*(?:\s+(?:[A-Z][\w&.'-]*|of|and)){0,6})")
_USES = re.compile(r"\b(?:used?|repay\w*|reduce|retire|fund|finance)\b", re.I)
_REDUCED = re.compile(r"\b(?:reduc\w*|cut|lowered)\b", re.I)
_PROCEEDS_SUM = re.compile(r"\bproceeds\b", re.I)
_INITIALS = re.compile(r"(?:\b[A-Z]\.){1,3}$")
_BREAK = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“(<]?[A-Z0-9$€£])")
_QUOTE = re.compile(r"^[\"“'‘]")
_LEDE = 2  # a deal without a sum counts only in the opening sentences or with its own subject


@dataclass(frozen=True)
class _Found:
    kind: str
    money: Money | None
    company: str | None
    sentence: int


def extract(article: Article) -> list[Deal]:
    """The financing deals an article reports, each once, with the sentence it was read from."""
    sentences = _sentences(article.body or "")
    year = article.published_at.year if article.published_at else None
    syndicated = bool(_SYNDICATED.search(article.body or ""))
    lead = _lead_company(article, sentences)
    found: list[_Found] = []
    for n, sentence in enumerate(sentences):
        if _reports_deal(sentence, year, syndicated) and not (found and _DEFINITE.match(sentence)):
            found.extend(_found(sentence, n, lead, article))
    kept = _with_proceeds(_dedupe(found), sentences)
    return [_deal(article, f, sentences, len(kept) == 1) for f in kept if f.company]


def _sentences(body: str) -> list[str]:
    """Sentences: paragraphs split at full stops, not after "Co." or initials ("H.K. Dlr")."""
    text = re.sub(r"(?<![.!?:\"”])\n(?!\n)", " ", body)  # a wire line break inside a sentence
    out: list[str] = []
    for paragraph in text.split("\n"):
        start = 0
        for m in _BREAK.finditer(paragraph):
            head = paragraph[start : m.start()]
            last = head.rsplit(None, 1)[-1].lower().rstrip(".") if head.split() else ""
            if last in ABBREVIATIONS or _INITIALS.search(head):
                continue
            out.append(head.strip())
            start = m.end()
        out.append(paragraph[start:].strip())
    return [" ".join(s.split()) for s in out if s.strip()]


def _reports_deal(sentence: str, year: int | None, syndicated: bool) -> bool:
    """A sentence that may report a deal: a deal verb, no hedge, not history, not a repayment."""
    if not _DEAL_VERB.search(sentence) or _HEDGED.search(sentence) or _QUOTE.match(sentence):
        return False
    if _SEEK.search(sentence) and not syndicated:
        return False  # "seeking a facility" is a deal only once banks are arranging it
    if year and any(int(y) < year for y in _PAST.findall(sentence)):
        return False  # "raised 20 mln dlrs when issued in 1985" is history, not news
    return not _DEBT_BUYBACK.search(sentence) and not deal_terms.is_use_of_proceeds(sentence)


def _lead_company(article: Article, sentences: list[str]) -> str | None:
    """Who the article is about: its first sentence's subject, its headline, or a possessive."""
    for sentence in sentences[:2]:
        if (name := deal_company.subject(sentence)[0]) and _credible(name, article):
            return name
    titled = deal_company.from_title(article.title)
    if titled and _credible(titled, article):
        return titled
    return deal_company.most_possessive(article.body)


def _credible(name: str, article: Article) -> bool:
    """A one-word subject must recur or be in the headline ("Commitments to..." is no company)."""
    if len(name.split()) > 1:
        return True
    return article.body.count(name) >= 2


def _found(sentence: str, n: int, lead: str | None, article: Article) -> list[_Found]:
    """The deals of one sentence: each deal-sized amount with the kind named next to it."""
    name, end = deal_company.subject(sentence)
    name = name if name and _credible(name, article) else None
    sizes = deal_kinds.sizes(sentence)
    # Kind words inside the subject ("National Home Loans", "a U.S. savings and loan") do not
    # count, unless the subject phrase holds the amount too ("The 50 mln dlr eurobond for X").
    inside = any(m.start < end for m in sizes)
    found = deal_kinds.triggers(sentence, (0, end) if name and not inside else (0, 0))
    if not found:
        return []
    named, issuer = deal_company.issued_by(sentence)
    company = issuer if named else name or deal_company.named_after(sentence) or lead
    out: list[_Found] = []
    for i, money in enumerate(sizes):
        bounds = (sizes[i - 1].end if i else 0,
                  sizes[i + 1].start if i + 1 < len(sizes) else len(sentence))
        kind = deal_kinds.kind_near(sentence, found, money, bounds) or _only_kind(found, sizes)
        if kind == "loan" and _LENDER.search(sentence):
            borrower = _TO_NAME.search(sentence, money.end)
            who = deal_company.valid(borrower.group("name")) if borrower else None
            out += [_Found(kind, money, who, n)] if who else []
        elif kind and not (kind == "loan" and _REDUCED.search(sentence)):
            out.append(_Found(kind, money, company, n))
    rest = sentence[sizes[-1].end :] if sizes else sentence
    if (n < _LEDE or name) and (kind := deal_kinds.sizeless_kind(rest, found)):
        out.append(_Found(kind, None, company, n))
    return out


def _only_kind(found: list[tuple[str, re.Match[str]]], sizes: list[Money]) -> str | None:
    """One kind and one amount in a sentence belong together however far apart they sit."""
    kinds = {kind for kind, _ in found}
    return kinds.pop() if len(kinds) == 1 and len(sizes) == 1 else None


def _dedupe(found: list[_Found]) -> list[_Found]:
    """One deal per kind and size; tranches that add up to a deal and sizeless repeats dropped."""
    seen: set[tuple] = set()
    sized = {f.kind for f in found if f.money}
    kept: list[_Found] = []
    for f in found:
        key = (f.kind, round(f.money.amount), f.money.currency) if f.money else (f.kind,)
        if key in seen or (f.money is None and f.kind in sized) or _is_tranche(f, found):
            continue
        seen.add(key)
        kept.append(f)
    return kept


def _is_tranche(f: _Found, found: list[_Found]) -> bool:
    """Part of an earlier deal: amounts of one later sentence that sum to the earlier amount."""
    if f.money is None:
        return False
    parts = [g.money.amount for g in found if g.sentence == f.sentence and g.money]
    total = sum(parts)
    return len(parts) > 1 and any(
        g.sentence < f.sentence and g.money and abs(g.money.amount - total) <= 0.005 * total
        for g in found
    )


def _with_proceeds(kept: list[_Found], sentences: list[str]) -> list[_Found]:
    """A lone sizeless offering takes its size from "net proceeds, about 12.2 mln dlrs"."""
    if len(kept) != 1 or kept[0].money is not None:
        return kept
    for sentence in sentences[kept[0].sentence :]:
        for m in _PROCEEDS_SUM.finditer(sentence):
            money = next(iter(find_money(sentence[m.end() : m.end() + 60])), None)
            if money and money.amount >= 100_000 and not _USES.search(sentence, m.end(),
                                                                       m.end() + money.start):
                return [replace(kept[0], money=money)]
    return kept


def _deal(article: Article, f: _Found, sentences: list[str], only: bool) -> Deal:
    """The Deal record, its terms read from the whole article when it reports only this deal."""
    scope = sentences if only else sentences[f.sentence : f.sentence + 2]
    text = " ".join(scope)
    return Deal(
        article_id=article.id,
        company=f.company or "",
        kind=f.kind,
        amount=f.money.amount if f.money else None,
        currency=f.money.currency if f.money else None,
        maturity=deal_terms.maturity(text) if f.kind in {"bond", "convertible", "loan"} else None,
        coupon=deal_terms.coupon(text) if f.kind in {"bond", "convertible"} else None,
        use_of_proceeds=deal_terms.use_of_proceeds(scope),
        announced=article.published_at,
        evidence=sentences[f.sentence],
    )
