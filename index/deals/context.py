"""What an article says about a name: is it credible as a company, a person, a government?"""

from __future__ import annotations

import re
from dataclasses import replace

from index.deals import company as deal_company
from index.deals import vocab
from index.deals.company import is_government_descriptor, is_sovereign
from index.records import Article
from index.text.money import Money, currency_code

# A bank's exposure ("placed 182 mln dlrs of loans to Brazil on non-accrual") is not a deal.
_LOANS_TO = re.compile(r"\bloans?\s+to\s+(?P<name>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})")
_AGENCY = re.compile(
    r",\s+(?:an?|the)\s+(?:[\w.-]+\s+){0,3}(?:[Gg]overnment(?:al)?|[Ss]tate"
    r"|[Mm]unicipal|[Ff]ederal|[Pp]ublic)\s+(?:agency|authority|entity|body)\b"
)
# Who a development bank's loan to a country goes to: "the recipient of the 20-year loan will be
# Oil India Ltd", "the loan consists of a credit line to Ljubljanska Banka".
_RECIPIENT = re.compile(
    r"\brecipient\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?loans?\s+"
    r"(?:will\s+be|is)\s+"
    + deal_company.NAME
    + r"|\bcredit\s+line\s+to\s+"
    + deal_company.NAME.replace("name", "name2")
)
_PERSON = re.compile(
    rf"\b(?:{vocab.alternation('person_titles')}|[Ss]pokes\w+)"
    r"\s+(?:[A-Z][\w'.-]*\s+){0,2}(?P<last>[A-Z][\w'-]+)"
)
# Francs other than French ones, each with its code as money.py reads "<nationality> francs".
_FRANCS = tuple(
    (word, currency_code(f"{word} francs")) for word in vocab.words("franc_nationalities")
)


def lead_company(article: Article, sentences: list[str]) -> str | None:
    """Who the article is about: its first sentence's subject, its headline, or a possessive."""
    for sentence in sentences[:2]:
        name = deal_company.subject(sentence)[0]
        if name and credible(name, article) and not is_person(name, article):
            return name
    titled = deal_company.from_title(article.title)
    if titled and credible(titled, article) and not is_government(titled, article):
        return titled
    return deal_company.most_possessive(article.body)


def is_government(name: str, article: Article) -> bool:
    """A name the body introduces as a government: "the federal state of X", "X, a local U.S.
    Government agency" (a state-owned company is still a company)."""
    at = article.body.lower().find(name.lower())
    if at < 0:
        return False
    return (
        at > 0
        and is_government_descriptor(article.body[:at])
        or bool(_AGENCY.match(article.body, at + len(name)))
    )


def credible(name: str, article: Article) -> bool:
    """A one-word subject must recur, be in the headline or be tagged as a company ("Commitments
    to..." is no company)."""
    if len(name.split()) > 1:
        return True
    headline = re.search(rf"\b{re.escape(name.upper())}\s*<", article.title.upper())
    # Reuters tags a company it has no ticker for in angle brackets: "<Healthvest>'s bond".
    return article.body.count(name) >= 2 or bool(headline) or f"<{name}>" in article.body


def is_person(name: str, article: Article) -> bool:
    """A subject introduced in the article as a minister, chairman or spokesman is a person."""
    if deal_company.has_company_word(name):
        return False
    return any(m.group("last") == name.split()[-1] for m in _PERSON.finditer(article.body))


def loan_recipient(article: Article) -> str | None:
    """The company the article names as a lender's borrower when the loan is made to a country
    ("a 140 mln dlr loan for India ... the recipient of the loan will be Oil India Ltd")."""
    for m in _RECIPIENT.finditer(article.body or ""):
        if name := deal_company.valid(m.group("name") or m.group("name2")):
            return name
    return None


def is_exposure(sentence: str) -> bool:
    """Whether a sentence counts a bank's loans to a country (an exposure, not a deal)."""
    return any(is_sovereign(m.group("name")) for m in _LOANS_TO.finditer(sentence))


def local_currency(money: Money, article: Article) -> Money:
    """Bare "francs" are French unless the article is about a Swiss or Belgian issuer."""
    if money.currency != "FRF":
        return money
    for word, code in _FRANCS:
        if word in article.body or word.upper() in article.title:
            return replace(money, currency=code)
    return money
