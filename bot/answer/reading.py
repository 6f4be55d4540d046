"""The reading step: a direct answer first (the asked value, cited), or a stated gap."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.answer import figures
from bot.answer.citations import Numbering
from bot.answer.question import Question, key_word, mentions, names_in
from bot.answer.values import in_usd, nearest, usd_first, values
from index.records import Answer, Passage, Sentence
from index.retrieval import lexical
from index.text import sentences

# Words a sentence must hold for its value to be the asked attribute (not any figure nearby).
CUES = {
    k: re.compile(p, re.I)
    for k, p in {
        "amount": r"rais|fund|round|\bpa(?:y|id|ying)\b|cost|price|deal|worth|sum|offer|invest|"
        r"bought|\bbuy|sold|\bsell|acqui|loan|bond|notes|issu|capital|financ|borrow|debt|"
        r"float|listing|\bipo\b|stake|purchase|injection|facility|credit",
        "price": r"per share|a share|each share|\bprice",
        "rate": r"interest|coupon|\brate\b|yield|margin|spread|premium|discount",
        "valuation": r"valu|worth",
        "date": r".",
        "party": r"\blead|\bled\b|co-led|invest|backer|lend|lent|loan|debt|bank|bookrunner|"
        r"underwr|arrang|bought|buyer|acquir|provid|particip|run|financ|fund",
        "purpose": r".",
        "person": r"chief|ceo|chair|founder|president|cfo",
        "count": r".",
    }.items()
}
ATTRIBUTE = {
    "amount": "the amount",
    "price": "the price per share",
    "rate": "the rate",
    "valuation": "the valuation",
    "date": "the date",
    "party": "the party",
    "purpose": "what the money is for",
    "person": "who holds that role",
    "count": "the number",
}
SEMANTIC_WEIGHT = 0.6
EMBED_LIMIT = 6  # sentences embedded at question time, best lexical ones first (~8 ms each)


@dataclass(frozen=True)
class Found:
    """A sentence stating a value of the asked kind, with its passage index and score."""

    passage: int
    text: str
    value: str
    score: float


Scored = tuple[int, int, str, float]  # passage, sentence number, sentence, score


def read(
    q: Question,
    passages: Sequence[Passage],
    scored: Sequence[Scored],
    embed: Callable[[list[str]], Any] | None,
) -> Answer | None:
    """A direct answer (value first, then its sentence and up to two supporting ones), a stated
    gap, or a refusal when no passage is about the focus; None leaves the reply to quoting."""
    if not q.wants_fact:
        return None
    about = [i for i, p in enumerate(passages) if mentions(p.title + "\n" + p.text, q.focus)]
    if q.focus and not about:
        return None if not passages else _refusal_missing(q, passages)
    found = _found(q, passages, [s for s in scored if s[0] in about or not q.focus], embed)
    if not found:
        return gap(q, passages, about)
    best = found[0]
    numbering = Numbering()
    body: list[Sentence] = []
    for f in found:
        if len(body) >= 3:
            break
        if f.text in (s.text for s in body):
            continue
        # the same sentence in another article (a syndicated copy) adds its citation
        twins = [passages[g.passage] for g in found if _same(g.text, f.text)]
        body.append(Sentence(f.text, numbering.numbers(twins)))
    if best.value.strip() != best.text.strip():  # the value, verbatim, leads with its citation
        body.insert(0, Sentence(best.value.rstrip(" ,;."), body[0].cites))
    return Answer(q.text, tuple(body), numbering.citations, tuple(passages))


def _found(
    q: Question,
    passages: Sequence[Passage],
    scored: Sequence[Scored],
    embed: Callable[[list[str]], Any] | None,
) -> list[Found]:
    cue = CUES[q.kind]
    asked = names_in(q.text)
    split = {i: sentences.split(p.text) for i, p in enumerate(passages)}
    out = []
    for p_i, pos, text, weight in scored:
        vals = values(q.kind, text)
        if q.kind in ("amount", "valuation", "price"):
            vals = usd_first(vals)
        if q.kind == "party":
            if not FINANCING.search(text):
                continue
            vals = [v for v in vals if not any(mentions(v, a) or mentions(a, v) for a in asked)]
            if not _role_words(q) & frozenset(lexical.terms(text)):
                continue  # "acted as coordinator" does not say who the lawyers were
        if q.kind in ("date", "party", "count"):
            vals = nearest(vals, text, q.text)
        if not vals or not cue.search(text):
            continue
        near = split[p_i][max(0, pos - 2) : pos] + [passages[p_i].title]
        money = q.kind in ("amount", "valuation", "price")
        if not about_focus(q.focus, asked, text, vals[0], near, money):
            continue
        out.append(Found(p_i, text, vals[0], weight))
    out.sort(key=lambda f: -f.score)
    out = out[:EMBED_LIMIT]
    if embed is not None and out:
        vectors = np.asarray(embed([q.text] + [f.text for f in out]), dtype=np.float32)
        sims = vectors[1:] @ vectors[0]
        out = [
            Found(f.passage, f.text, f.value, f.score + SEMANTIC_WEIGHT * float(s))
            for f, s in zip(out, sims, strict=True)
        ]
        out.sort(key=lambda f: -f.score)
    return out


FINANCING = re.compile(
    r"round|fund|seed|series|rais|invest|debt|loan|lend|ipo|offering|float|"
    r"listing|deal|bond|notes|acqui|bought|buy|purchase|stake|capital|financ|"
    r"bank",
    re.I,
)


def _role_words(q: Question) -> frozenset[str]:
    """The question's own words besides its company and question words: the role asked."""
    focus = frozenset(lexical.terms(q.focus))
    return frozenset(lexical.terms(q.text)) - focus - ROLE_STOP


ROLE_STOP = frozenset(
    lexical.terms(
        "who which whom what is are was were the company firm it "
        "they them its their deal did does do"
    )
)


def about_focus(
    focus: str, asked: Sequence[str], text: str, value: str, near: Sequence[str], money: bool = True
) -> bool:
    """A sentence speaks of the focus when it names it, or when the sentences just before it
    (or the title) do and no other company stands next to the value (so "Wiz, now valued at
    $10 billion" in a story about Talon is not read as Talon's valuation)."""
    if not focus or mentions(text, focus):
        return True
    if not any(mentions(n, focus) for n in near):
        return False
    if not money:
        return True
    at = text.find(value)
    before = text[max(0, at - 60) : at] if at > 0 else ""
    others = [
        n
        for n in names_in(" " + before)
        if not any(mentions(n, a) or mentions(a, n) for a in asked)
    ]
    return not others


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def gap(q: Question, passages: Sequence[Passage], about: list[int]) -> Answer:
    """A stated gap (refused): the articles cover the company, not the asked detail; lists the
    first two articles about it. The gap is the bot's own words, so it is the note, never a
    cited sentence (every cited sentence is a quote from its source)."""
    numbering = Numbering()
    for i in list(dict.fromkeys(about or range(len(passages))))[:2]:
        numbering.number(passages[i])
    what = ATTRIBUTE.get(q.kind, "the detail")
    if q.focus:
        note = f"The articles cover {q.focus} but do not state {what} asked about."
    else:
        note = f"The articles found do not state {what} asked about."
    return Answer(q.text, (), numbering.citations, tuple(passages), refused=True, note=note)


def _refusal_missing(q: Question, passages: Sequence[Passage]) -> Answer:
    closest = Numbering()
    for p in passages[:3]:
        closest.number(p)
    note = f"The indexed articles say nothing about {q.focus}."
    return Answer(q.text, (), closest.citations, tuple(passages), refused=True, note=note)


def compare(q: Question, side_passages: Sequence[list[Passage]]) -> Answer | None:
    """For "which raised more, A or B": each side's figure read from a cited sentence, and
    which is larger; None when either figure is missing."""
    figures = []
    for side, passages in zip(q.sides or (), side_passages, strict=False):
        name = names_in(side)[-1] if names_in(side) else side
        best = None
        for p in passages:
            split = sentences.split(p.text)
            for pos, text in enumerate(split):
                money = usd_first(values("amount", text))
                if (
                    money
                    and CUES["amount"].search(text)
                    and about_focus(name, [name], text, money[0], split[max(0, pos - 2) : pos])
                ):
                    best = best or (p, text, money[0])
        if best is None:
            return None
        figures.append((name, *best))
    usd = [in_usd(f[3]) for f in figures]
    if len(figures) != 2 or None in usd:
        return None
    numbering = Numbering()
    win, lose = (0, 1) if usd[0] >= usd[1] else (1, 0)
    (wn, wp, wt, wv), (ln, lp, lt, lv) = figures[win], figures[lose]
    lead = Sentence(f"{wn}: {wv}, more than {key_word(ln)}'s {lv}.", numbering.numbers([wp, lp]))
    body = (Sentence(wt, numbering.numbers([wp])), Sentence(lt, numbering.numbers([lp])))
    return Answer(q.text, (lead, *body), numbering.citations, (wp, lp))


CHECKED_KINDS = frozenset({"amount", "valuation", "price", "rate", "date"})


def direct_holds(q: Question, answer: Answer) -> bool:
    """Whether a written answer opens with the asked value taken from a passage it cites (for
    kinds whose values can be read: money, rates, dates); other kinds pass."""
    if q.kind not in CHECKED_KINDS or not answer.sentences:
        return True
    first = answer.sentences[0]
    cited = [
        p.text
        for p in answer.passages
        if any(c.n in first.cites and c.article_id == p.article_id for c in answer.citations)
    ]
    found = values(q.kind, first.text)
    squash = lambda t: " ".join(t.split()).lower()  # noqa: E731
    for value in found:  # verbatim, or the same figure written another way (€600m, €600 million)
        keys = figures.extract(value)
        if any(
            squash(value) in squash(text) or (keys and set(keys) <= figures.vouched(text))
            for text in cited
        ):
            return True
    return False
