"""Financing deals read from an article by rules: kind, company, amount, and the deal's terms."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from index.deals import company as deal_company
from index.deals import confidence as deal_confidence
from index.deals import context as deal_context
from index.deals import frames as deal_frames
from index.deals import headline as deal_headline
from index.deals import kinds as deal_kinds
from index.deals import sentences as deal_sentences
from index.deals import terms as deal_terms
from index.deals import vocab
from index.records import Article, Deal
from index.text.money import Money, find_money, same_size

_LENDER = re.compile(
    rf"(?<!was )(?<!been )(?<!be )\b(?:{vocab.alternation('lender_verbs')}"
    r"|(?:will|to)\s+loan|mak(?:es|ing)\s+(?:an?\s+)?[^.;]{0,40}?\bloans?\s+to"
    r"|provided\s+[\w\s.-]{0,60}\bwith|arranged\s+(?:an?\s+)?[\w\s.-]{0,40}\bfor)\b"
)
_TO_NAME = re.compile(
    r"\b(?:to|for)\s+(?P<name>[A-Z][\w&.'-]*(?:\s+(?:[A-Z][\w&.'-]*|of|and)){0,6})"
)
_USES = re.compile(r"\b(?:used?|repay\w*|reduce|retire|fund|finance)\b", re.I)
_EXCHANGE = re.compile(r"\bexchange\s+offer|\bChapter\s+11\b", re.I)
_CONVERTIBLE = re.compile(r"\bCONVERTIBLE\b", re.I)
_CONVERTIBLE_SHARES = re.compile(
    r"\bconvertible\s+(?:exchangeable\s+)?(?:preferred|preference)\b", re.I
)
_DEBT_TITLE = re.compile(r"\b(?:EURO)?(?:NOTES?|BONDS?|DEBENTURES?)\b", re.I)
_APPOSITIVE = re.compile(r",\s+(?:a|an|the)\s+[^,]{1,60},")
_SHARES = re.compile(r"\b(?:shares|units|stock)\b", re.I)
_TRANCHE = re.compile(r"\b(?:tranches?|portion|part\s+of|parts|companion)\b", re.I)
_REDUCED = re.compile(r"\b(?:reduc\w*|cut|lowered)\b", re.I)
_LEDE = 2  # a deal without a sum counts only in the opening sentences or with its own subject


@dataclass(frozen=True)
class _Found:
    kind: str
    money: Money | None
    company: str | None
    sentence: int
    evidence_text: str = ""
    parties: tuple[str, ...] = ()
    target: str | None = None


def extract(article: Article, threshold: int = deal_confidence.THRESHOLD) -> list[Deal]:
    """The financing deals an article reports with at least `threshold` confidence points: a
    doubtful deal is left out rather than listed wrong."""
    if len(article.body) > DEAL_TEXT_CHARS:
        article = replace(article, body=article.body[:DEAL_TEXT_CHARS])
    found, frames = _read(article)
    # A deal a (mixed-case) headline or a list item states as a whole frame (its company, a
    # deal verb, its sum and its kind words) stands without the wire rules' points.
    told = [f for f in frames if (f.sentence < 0 or f.item) and f.money] if threshold else []
    return [
        d
        for d in found
        if deal_confidence.confidence(d, article) >= threshold
        or any(_frame_states(f, d) for f in told)
    ]


def _frame_states(frame: deal_frames.Frame, deal: Deal) -> bool:
    return (
        frame.kind == deal.kind
        and deal.amount is not None
        and frame.money is not None
        and same_size(frame.money.amount, deal.amount)
        and deal_frames.same_name(frame.company, deal.company)
    )


# A news story states its deals in its first pages; the rules compare every candidate with the
# others and with the whole body, so reading a multi-megabyte text took hours.
DEAL_TEXT_CHARS = 100_000


def candidates(article: Article) -> list[Deal]:
    """Every deal the rules read in an article, each once, with the sentence it was read from."""
    return _read(article)[0]


def _read(article: Article) -> tuple[list[Deal], list[deal_frames.Frame]]:
    """The candidate deals and the frames they were read with (read once for both)."""
    sentences = deal_sentences.split(article.body or "")
    year = article.published_at.year if article.published_at else None
    syndicated = deal_sentences.is_syndicated(article.body or "")
    lead = deal_context.lead_company(article, sentences)
    found: list[_Found] = []
    for n, sentence in enumerate(sentences):
        if deal_sentences.reports_deal(sentence, year, syndicated) and not (
            found and deal_sentences.is_back_reference(sentence)
        ):
            found.extend(_found(sentence, n, lead, article))
    if _EXCHANGE.search(article.body or ""):
        # Debt swapped in a restructuring ("the exchange offer will result in the issue of
        # 28.85 mln dlrs of debentures") is not new money raised.
        found = [f for f in found if f.kind not in {"bond", "convertible"}]
    kept = _with_headline(_with_proceeds(_dedupe(found), sentences), article, sentences, lead)
    frames = deal_frames.read(article, sentences)
    kept = _with_frames(kept, frames, article)
    deals = [_deal(article, f, sentences, len(kept) == 1) for f in kept if f.company]
    return _tidied(deals, article), frames


_HOLDING = re.compile(
    r"\b(?:has|had|have|carries|carried|owes|owed)\s+(?:about\s+|around\s+|some\s+|roughly\s+"
    r"|nearly\s+|almost\s+|more\s+than\s+|over\s+|just\s+over\s+|under\s+)?$",
    re.I,
)
_NOT_CONVERTIBLE = re.compile(r"\bnon-convertible\b", re.I)


def _tidied(deals: list[Deal], article: Article) -> list[Deal]:
    """Deals with their company's name cleaned (a dateline, a rating or a fragment is no name:
    the headline's company stands in, or the deal goes), debt a company merely has ("has £650m of
    notes due 2027") left out, and "non-convertible" debentures read as bonds."""
    out = []
    year = article.published_at.year if article.published_at else None
    for d in deals:
        company = deal_frames.tidy_company(d.company, article)
        past = d.amount is not None and deal_frames.told_as_past(d.evidence, year)
        if company is None or _held(d) or past:
            continue
        kind = "bond" if d.kind == "convertible" and _NOT_CONVERTIBLE.search(d.evidence) else d.kind
        out.append(replace(d, company=company, kind=kind, **_unconverted(d)))
    return out


def _unconverted(deal: Deal) -> dict[str, object]:
    """A size read from a conversion in brackets ("Rs 120 crore (about $14 million)") is the
    sum it converts, in the currency the article states it in."""
    if deal.amount is None:
        return {}
    found = find_money(deal.evidence)
    for before, money in itertools.pairwise(found):
        between = deal.evidence[before.end : money.start]
        if same_size(money.amount, deal.amount) and re.fullmatch(
            r"\s*\(\s*(?:about|around|roughly|approximately|some|c\.|~)?\s*", between
        ):
            return {"amount": before.amount, "currency": before.currency}
    return {}


def _held(deal: Deal) -> bool:
    if deal.amount is None:
        return False
    for money in find_money(deal.evidence):
        if same_size(money.amount, deal.amount):
            return bool(_HOLDING.search(deal.evidence[: money.start]))
    return False


def _with_frames(
    kept: list[_Found], frames: list[deal_frames.Frame], article: Article
) -> list[_Found]:
    """The rules' deals, each given the parties, target and fuller name a frame of the same kind
    and size read; then the frames' deals of kinds the rules did not read (one per kind and size:
    where the rules read a kind, they chose among its sums)."""
    out = list(kept)
    ruled = {f.kind for f in kept if f.company and f.money}
    for frame in frames:
        same = next((i for i, f in enumerate(out) if _same_deal(f, frame)), None)
        told_twice = any(
            g is not frame and g.sentence != frame.sentence and _same_frame(g, frame)
            for g in frames
        )
        if same is None and frame.kind in ruled and not (told_twice or frame.item):
            continue  # the rules read this kind and chose its sum, unless headline and text agree
        if same is None:
            out.append(
                _Found(
                    frame.kind,
                    frame.money,
                    frame.company,
                    max(frame.sentence, 0),
                    frame.text,
                    frame.parties,
                    frame.target,
                )
            )
            continue
        f = out[same]
        company = f.company
        if not company or deal_frames.headline_name(frame.company, company, article.title):
            company = frame.company  # the name the headline gives the deal's company
        out[same] = replace(
            f, company=company, parties=f.parties or frame.parties, target=f.target or frame.target
        )
    sized = {f.kind for f in out if f.money and f.company}
    return [f for f in out if f.money or f.kind not in sized]


def _same_frame(a: deal_frames.Frame, b: deal_frames.Frame) -> bool:
    return (
        a.kind == b.kind
        and a.money is not None
        and b.money is not None
        and same_size(a.money.amount, b.money.amount)
    )


def _same_deal(f: _Found, frame: deal_frames.Frame) -> bool:
    if f.kind != frame.kind:
        return False
    if f.money is None or frame.money is None:
        return f.money is None and frame.money is None
    return same_size(f.money.amount, frame.money.amount)


def _found(sentence: str, n: int, lead: str | None, article: Article) -> list[_Found]:
    """The deals of one sentence: each deal-sized amount with the kind named next to it."""
    name = deal_company.raiser(sentence)
    if name and not (
        deal_context.credible(name, article) and not deal_context.is_person(name, article)
    ):
        name = None
    sizes = deal_kinds.sizes(sentence, article.published_at.year if article.published_at else None)
    found = deal_kinds.triggers(sentence, _name_span(sentence, name))
    if not found or deal_company.governmental_subject(sentence):
        return []
    named, issuer = deal_company.issued_by(sentence)
    company = name or (issuer if named else deal_company.named_after(sentence))
    if company is None and n >= _LEDE + 1 and sizes:
        return []  # past the lede a sized deal must name its issuer ("sources noted that...")
    company = company or lead
    out: list[_Found] = []
    for i, money in enumerate(sizes):
        bounds = (
            sizes[i - 1].end if i else 0,
            sizes[i + 1].start if i + 1 < len(sizes) else len(sentence),
        )
        kind = deal_kinds.kind_near(sentence, found, money, bounds) or _only_kind(found, sizes)
        changed = deal_kinds.RAISED_TO.search(sentence[: money.start])
        if changed and out and out[-1].money and kind in {None, out[-1].kind}:
            # "The proposed 500 mln dlr facility ... will be raised to 888 mln dlrs": one deal,
            # at its new size.
            out[-1] = replace(out[-1], money=deal_context.local_currency(money, article))
            continue
        if kind == "loan" and _LENDER.search(sentence):
            who = deal_company.borrower(sentence, money.start)
            if who is None and (to := _TO_NAME.search(sentence, money.end)):
                who = deal_company.valid(to.group("name"))
            who = who or deal_context.loan_recipient(article)
            out += [_Found(kind, money, who, n, sentence)] if who else []
        elif kind and not (
            kind == "loan" and (_REDUCED.search(sentence) or deal_context.is_exposure(sentence))
        ):
            # A placement paying a coupon is debt: "150 mln marks through a private placement
            # ... with a 5-1/2 pct coupon".
            kind = "bond" if kind == "offering" and deal_terms.coupon(sentence) else kind
            money = deal_context.local_currency(money, article)
            out.append(_Found(kind, money, company, n, sentence))
    rest = sentence[sizes[-1].end :] if sizes else sentence
    if (n < _LEDE or name) and (kind := deal_kinds.sizeless_kind(rest, found)):
        out.append(_Found(kind, None, company, n, sentence))
    return out


def _name_span(sentence: str, name: str | None) -> tuple[int, int]:
    """Where kind words do not count: inside the name ("National Home Loans Corp") and its
    appositive ("Meritor Savings Bank, a U.S. savings and loan, is issuing...")."""
    at = sentence.find(name) if name else -1
    if at < 0:
        return (0, 0)
    end = at + len(name)
    if m := _APPOSITIVE.match(sentence, end):
        end = m.end()
    return (at, end)


def _only_kind(found: list[tuple[str, re.Match[str]]], sizes: list[Money]) -> str | None:
    """One kind and one amount in a sentence belong together however far apart they sit; a
    "convertible eurobond" is one kind."""
    kinds = {kind for kind, _ in found}
    kinds -= {"bond"} if "convertible" in kinds else set()
    return kinds.pop() if len(kinds) == 1 and len(sizes) == 1 else None


def _dedupe(found: list[_Found]) -> list[_Found]:
    """One deal per kind and size; tranches that add up to a deal and sizeless repeats dropped."""
    seen: dict[tuple, int] = {}  # a deal's kind and size -> the sentence it was last read in
    sized = {f.kind for f in found if f.money}
    if sized:  # beside a sized deal, a sizeless one must name shares ("and 4 mln shares")
        found = [f for f in found if f.money or _SHARES.search(f.evidence_text)]
    kept: list[_Found] = []
    for f in found:
        key = (f.kind, round(f.money.amount), f.money.currency) if f.money else (f.kind,)
        # "a 50 mln dlr offering of notes and a 50 mln dlr offering of debentures" is two
        # deals; the same sum in another sentence is the same deal again.
        repeat = key in seen and not (f.money and seen[key] == f.sentence)
        if repeat or (f.money is None and f.kind in sized) or _is_tranche(f, found):
            continue
        seen[key] = f.sentence
        kept.append(f)
    return kept


def _is_tranche(f: _Found, found: list[_Found]) -> bool:
    """Part of a deal named as a whole: "raising 500 mln dlrs via 300 mln ... and 200 mln"."""
    if f.money is None:
        return False
    if _TRANCHE.search(f.evidence_text) and any(
        g.sentence < f.sentence and g.money and g.money.amount > f.money.amount for g in found
    ):
        return True  # "One 1.3 billion franc tranche ..." after the 1.9 billion issue
    amounts = [m.amount for m in find_money(f.evidence_text)]  # read once, not per whole
    for whole in found:
        if whole is f or whole.money is None or whole.sentence > f.sentence:
            continue
        # Every amount of the sentence counts as a part, named as a deal or not.
        parts = [
            a for a in amounts if not (whole.sentence == f.sentence and a == whole.money.amount)
        ]
        total = sum(parts)
        if len(parts) > 1 and same_size(whole.money.amount, total):
            return True
    return False


def _with_proceeds(kept: list[_Found], sentences: list[str]) -> list[_Found]:
    """A lone sizeless offering takes its size from "net proceeds, about 12.2 mln dlrs"."""
    if len(kept) != 1 or kept[0].money is not None:
        return kept
    for sentence in sentences[kept[0].sentence :]:
        for m in deal_terms.PROCEEDS_WORD.finditer(sentence):
            money = next(iter(find_money(sentence[m.end() : m.end() + 60])), None)
            if (
                money
                and money.amount >= deal_kinds.MIN_AMOUNT
                and not _USES.search(sentence, m.end(), m.end() + money.start)
            ):
                return [replace(kept[0], money=money)]
    return kept


def _with_headline(
    kept: list[_Found], article: Article, sentences: list[str], lead: str | None
) -> list[_Found]:
    """The deals the body rules read, plus a headline's deal of a kind they did not find; a body
    deal that found no company takes the company of the headline's deal of its kind."""
    heads = deal_headline.headline_deals(article, sentences, lead)
    by_kind = {h.kind: h.company for h in heads}
    kept = [f if f.company else replace(f, company=by_kind.get(f.kind)) for f in kept]
    kinds = {f.kind for f in kept if f.company}
    sizes = [f.money.amount for f in kept if f.money and f.company]
    extra = [
        _Found(h.kind, h.money, h.company, h.sentence, h.evidence)
        for h in heads
        if h.kind not in kinds
        and not (h.money and any(same_size(h.money.amount, s) for s in sizes))
    ]
    return kept + extra


def _titled_kind(f: _Found, title: str, only: bool) -> str:
    """The wire's headline may be the only place a eurobond is called convertible, or a sized
    "offering" is said to be of notes ("SALLIE MAE ANNOUNCES AUSTRALIAN DLR NOTE OFFER")."""
    if f.kind == "offering" and f.money and _DEBT_TITLE.search(title) and not _SHARES.search(title):
        return "convertible" if _CONVERTIBLE.search(title) else "bond"
    return "convertible" if f.kind == "bond" and only and _CONVERTIBLE.search(title) else f.kind


_LED = {"funding", "loan", "offering", "bond", "convertible"}  # deals someone leads or arranges


def _valued(kind: str, scope: list[str]) -> dict[str, object]:
    """The valuation of a round or a listing, when its sentences state one."""
    if kind not in {"funding", "offering"}:
        return {}
    money = deal_terms.valuation(scope)
    return {"valuation": money.amount, "valuation_currency": money.currency} if money else {}


def _deal(article: Article, f: _Found, sentences: list[str], only: bool) -> Deal:
    """The Deal record, its terms read from the whole article when it reports only this deal."""
    scope = sentences if only else sentences[f.sentence : f.sentence + 2]
    # Terms after the deal's own amount come first: "60 mln dlrs of 6-3/4 pct ... and 250 mln
    # dlrs of 10-3/4 pct notes" gives each deal its coupon; the wider scope is the fallback.
    tail = sentences[f.sentence][f.money.start :] if f.money else ""
    texts = (tail, " ".join(scope))
    debt = f.kind in {"bond", "convertible", "loan"}
    # The wire's headline may be the only place a eurobond is called convertible.
    kind = _titled_kind(f, article.title, only)
    if kind == "offering" and _CONVERTIBLE_SHARES.search(
        " ".join(sentences[f.sentence : f.sentence + 2])
    ):
        kind = "convertible"  # a rights offering "to buy 1.1 convertible preferred shares"
    return Deal(
        article_id=article.id,
        company=deal_company.respelled(f.company or "", article.title),
        kind=kind,
        amount=f.money.amount if f.money else None,
        currency=f.money.currency if f.money else None,
        maturity=next(filter(None, map(deal_terms.maturity, texts)), None) if debt else None,
        coupon=next(filter(None, map(deal_terms.coupon, texts)), None)
        if f.kind != "loan" and debt
        else None,
        use_of_proceeds=deal_terms.use_of_proceeds(scope),
        **_valued(kind, scope),
        announced=article.published_at,
        evidence=sentences[f.sentence] if f.sentence < len(sentences) else f.evidence_text,
        parties=f.parties or (deal_frames.lead_parties(scope) if kind in _LED else ()),
        target=f.target,
    )
