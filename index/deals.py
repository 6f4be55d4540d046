"""Financing deals read from an article by rules: kind, company, amount, and the deal's terms."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index import deal_company, deal_terms
from index.money import Money, find_money
from index.records import Article, Deal
from index.sentences import split

# Kind triggers, strongest first: when several sit near one amount the earliest listed wins.
_TRIGGERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        ("convertible", r"\bconvertib\w*\b(?!\s+currenc)|\bexchangeable\b"),
        ("buyback", r"\bbuy\s*-?\s*back|\bbuybacks?\b|\brepurchas\w*\b(?!\s+agreement)"
                    r"|\bbuy\s+up\s+to\b"),
        ("loan", r"\b(?:note\s+issuance|revolving\s+underwriting|multi-?option|standby|financing"
                 r"|borrowing|credit|loan|term\s+loan|acquisition)\s+facilit\w*|\bfacilit(?:y|ies)\b"
                 r"|\bloans?\b|\bcredit\s+(?:lines?|agreements?)|\bline\s+of\s+credit"
                 r"|\brevolving\s+credit|\b(?:buyer|supplier)['’]?s\s+credits?"
                 r"|\bsyndicated\s+credits?|\bcredits?\s+(?=from|to\s+(?:the|it|a))"),
        ("bond", r"\b(?:euro)?notes?\b|\b(?:euro)?bonds?\b|\b(?:euro)?debentures?\b"
                 r"|\bcommercial\s+paper|\bdebt\s+(?:securities|offering|issue)|\bgilts?\b"),
        ("funding", r"\b(?:funding|financing|venture)\s+round|\bseries\s+[a-e]\b"
                    r"|\bventure\s+capital\s+financing"),
        ("offering", r"\b(?:initial\s+)?public\s+offering|\bIPO\b|\binitial\s+offering"
                     r"|\b(?:share|stock|equity|rights|common|preferred)\s+(?:offering|issue)"
                     r"|\boffering\b|\bplacement\b|\b(?:common|preferred|ordinary)\s+(?:stock|shares)"
                     r"|\bshares\b"),
    )
)
_DEAL_VERB = re.compile(
    r"\b(?:issu\w*|offer\w*|sell\w*|sold|sale|plac\w*|rais\w*|pric\w*|launch\w*|fil(?:e|ed|es|ing)"
    r"|regist\w*|plan\w*|sign\w*|arrang\w*|obtain\w*|secured|receiv\w*|grant\w*|agree\w*"
    r"|authori[sz]\w*|approv\w*|repurchas\w*|buy\s*-?\s*back|buyback|borrow\w*|complet\w*"
    r"|clos(?:ed|es|ing)|got|gets|won|extend\w*|provid\w*|establish\w*|underwr\w*|manag\w*"
    r"|intend\w*|propos\w*|announc\w*|tap\w*|led\s+by|t(?:ook|akes?)\s+out|refinanc\w*|syndicat\w*)\b",
    re.I,
)
_VAGUE = re.compile(
    r"\b(?:[Ss]eek\w*|[Ss]ought|[Rr]equest\w*|[Nn]egotiat\w*|talks|[Cc]onsider\w*|may|might|could"
    r"|possib\w*|rumou?r\w*|speculat\w*|did not|didn't|declined|unlikely|[Ii]f)\b"
)
# Words that, just before an amount, make it something other than the deal's size.
_NOT_SIZE = re.compile(
    r"(?:net\s+income|profit|earnings|revenues?|sales|loss(?:es)?|assets|deposits|capital(?:ization)?"
    r"|value[ds]?|worth|price[ds]?|at|from|repay\w*|redeem\w*|redemption|retire\w*|prepay\w*"
    r"|outstanding|totall?(?:ed|ing)?|each|reserves?|equity|cost|costs|paid|pay|spend|spent)"
    r"\W*(?:\w+\W+){0,2}$",
    re.I,
)
_PER_UNIT = re.compile(r"^\s*(?:a|per|each)\s+(?:share|unit|bond|note|ounce|tonne|barrel)", re.I)
_SOVEREIGN = re.compile(r"\b(?:Treasury|Federal\s+Reserve|Fed|Bundesbank|central\s+bank|Bank\s+of"
                        r"\s+(?:Japan|England|France|Canada|Italy))\b")
_MIN_AMOUNT = 100_000.0  # below this a figure is a price or a denomination, not a deal's size
_WINDOW = 90  # characters between an amount and the word that names its kind


@dataclass(frozen=True)
class _Found:
    kind: str
    money: Money | None
    company: str | None
    sentence: int


def extract(article: Article) -> list[Deal]:
    """The financing deals an article reports, each once, with the sentence it was read from."""
    sentences = split(article.body or "")
    lead = _lead_company(article, sentences)
    found: list[_Found] = []
    for n, sentence in enumerate(sentences):
        if not _DEAL_VERB.search(sentence) or _VAGUE.search(sentence):
            continue
        company = deal_company.subject(sentence)
        if company and _SOVEREIGN.search(company):
            continue
        found.extend(_found(sentence, n, company or lead))
    kept = _dedupe(found)
    return [_deal(article, f, sentences, len(kept) == 1) for f in kept if f.company]


def _lead_company(article: Article, sentences: list[str]) -> str | None:
    """Who the article is about: its first sentence's subject, its headline, or a possessive."""
    for sentence in sentences[:2]:
        if name := deal_company.subject(sentence):
            return name
    return deal_company.from_title(article.title) or deal_company.most_possessive(article.body)


def _found(sentence: str, n: int, company: str | None) -> list[_Found]:
    """The deals of one sentence: each deal-sized amount with the kind named next to it."""
    triggers = [(kind, m) for kind, pattern in _TRIGGERS for m in pattern.finditer(sentence)]
    if not triggers:
        return []
    out = []
    for money in _sizes(sentence):
        kind = _kind_near(triggers, money.start, money.end)
        if kind:
            out.append(_Found(kind, money, company, n))
    if not out:
        kind = min(triggers, key=lambda t: _rank(t[0]))[0]
        if kind in {"buyback", "convertible", "offering"} and _specific(sentence, kind):
            out.append(_Found(kind, None, company, n))
    return out


def _sizes(sentence: str) -> list[Money]:
    """Amounts that can be a deal's size: not a price, a profit, a conversion or a repayment."""
    out: list[Money] = []
    for money in find_money(sentence):
        before, after = sentence[max(0, money.start - 40) : money.start], sentence[money.end :]
        if money.amount < _MIN_AMOUNT or _PER_UNIT.match(after) or _NOT_SIZE.search(before):
            continue
        if out and before.rstrip().endswith("(") and money.start - out[-1].end <= 3:
            continue  # "100 mln marks (54.9 mln dlrs)": the same sum converted
        out.append(money)
    return out


def _kind_near(triggers: list[tuple[str, re.Match[str]]], start: int, end: int) -> str | None:
    near = [
        (_rank(kind), min(abs(m.start() - end), abs(start - m.end())), kind)
        for kind, m in triggers
        if -_WINDOW // 2 <= m.start() - end <= _WINDOW or 0 <= start - m.end() <= _WINDOW // 2
    ]
    return min(near)[2] if near else None


def _rank(kind: str) -> int:
    return [k for k, _ in _TRIGGERS].index(kind)


def _specific(sentence: str, kind: str) -> bool:
    """A deal without a stated size is kept only when the sentence counts shares or files it."""
    return bool(re.search(r"\d[\d,.]*\s*(?:mln|million)?\s*(?:\w+\s+){0,3}shares|\bfiled\b|"
                          r"\bregistration\b|\bauthori[sz]ed\b|\bdebentures\b", sentence, re.I))


def _dedupe(found: list[_Found]) -> list[_Found]:
    """One deal per kind and size; a sizeless mention only when its kind has no sized deal."""
    seen: set[tuple] = set()
    sized = {f.kind for f in found if f.money}
    kept = []
    for f in found:
        key = (f.kind, round(f.money.amount), f.money.currency) if f.money else (f.kind,)
        if key in seen or (f.money is None and f.kind in sized):
            continue
        seen.add(key)
        kept.append(f)
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
