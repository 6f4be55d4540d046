"""The extractive answerer: picks the sentences that answer a question and cites them."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from bot.answer import claims, reading
from bot.answer.citations import Numbering
from bot.answer.question import Question, analyse, mentions
from index.records import Answer, Passage, Sentence
from index.retrieval import lexical
from index.retrieval.lexical import LexicalIndex
from index.retrieval.lexicon import LexicalCache
from index.retrieval.query import unindexed_sources
from index.retrieval.search import Filters, Retriever
from index.text import sentences
from index.text.dates import MONTH_ABBREVIATIONS

FOLLOW_UP_THRESHOLD = 0.5
FOCUS_DEPTH = 24  # passages searched again when none of the first names the asked company
REFUSAL = "The indexed articles do not answer this question."
MONEY = re.compile(
    r"(?:[$€£¥]|\b(?:US|USD|EUR|GBP|RMB|CNY|HK|C|A)\$?\s?)\s?\d|\d(?:[\d.,]*)\s*"
    r"(?:%|percent|per cent|(?:mln|bln|million|billion|trillion|m|bn)\b)",
    re.I,
)
DATE = re.compile(rf"\b(?:19|20)\d\d\b|\b(?:{'|'.join(MONTH_ABBREVIATIONS)})[a-z]*\.?\s+\d", re.I)
WANTS_AMOUNT = re.compile(
    r"\bhow (?:much|many|large|big)\b|"
    r"\b(?:amount|size|valu|price|worth|rais|coupon|yield|rate)",
    re.I,
)
WANTS_DATE = re.compile(r"\bwhen\b|\b(?:date|matur|due|what year|what month|what day|expire)", re.I)
ANAPHORA = re.compile(
    r"^(?:it|its|this|that|these|those|they|their|he|she|the (?:offering|deal|"
    r"company|notes|bonds?|loan|round|move|issue|sale|transaction|facility|"
    r"group|firm))\b",
    re.I,
)


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage, scored against the question."""

    passage: int  # index into the retrieved passages
    position: int  # sentence number within the passage
    text: str
    score: float
    coverage: float
    terms: frozenset[str]


class ExtractiveAnswerer:
    """Answers from retrieved passages by quoting their best sentences, never inventing text."""

    def __init__(
        self,
        retriever: Retriever,
        lexicon: LexicalCache,
        k: int = 6,
        threshold: float = 0.1,
        max_sentences: int = 4,
        embedder: Any | None = None,
    ) -> None:
        # threshold: the best sentence must cover this share of the question's IDF weight.
        # With the unindexed-source check, 0.1 on MultiHop-RAG dev refuses 0.91 of unanswerable
        # questions and 0.02 of answerable ones (0.2 refused 0.26 of those; each half of dev
        # alone gives the same picture, see README, Evaluation).
        self._retriever = retriever
        self._lexicon = lexicon
        self._k = k
        self.threshold = threshold
        self._max = max_sentences
        self._embedder = embedder  # sentence vectors at question time, for the reading step

    def answer(
        self,
        question: str,
        filters: Filters | None = None,
        context: str = "",
        k: int | None = None,
        focus: str = "",
    ) -> Answer:
        """A cited answer, or a refusal that lists the closest articles. focus: the company a
        conversation is about, for a follow-up that names none."""
        lex = self._lexicon.get(check=False)
        q = analyse(question, focus, lex.outlets)
        if q.focus_from_thread:
            query = f"{q.focus} {question}"  # the thread's company, not its other words
        else:
            query = f"{context}\n{question}" if context else question
        passages = self._retriever.search(query, k or self._k, filters)
        if q.focus and q.wants_fact and not any(mentions(p.text, q.focus) for p in passages):
            # the company's own articles may rank lower: look deeper, keep the ones naming it
            deeper = self._retriever.search(f"{q.focus} {question}", FOCUS_DEPTH, filters)
            passages = [p for p in deeper if mentions(p.text, q.focus)][: k or self._k] or passages
        if q.focus_from_thread and not any(mentions(p.text, q.focus) for p in passages):
            # the thread was answered from articles, so its name was misread: drop it
            q = replace(q, focus="", focus_from_thread=False)
            query = f"{context}\n{question}" if context else question
            passages = self._retriever.search(query, k or self._k, filters)
        return self.compose(question, passages, lex, context, q)

    def compose(
        self,
        question: str,
        passages: list[Passage],
        lex: LexicalIndex,
        context: str = "",
        q: Question | None = None,
    ) -> Answer:
        """Choose and cite sentences from passages already retrieved."""
        if unindexed_sources(question, lex.outlets):
            return refusal(question, passages)  # it credits a source we do not hold
        q = q or analyse(question, "", lex.outlets)
        if q.kind == "comparison" and q.sides:
            found = reading.compare(
                q,
                [
                    self._retriever.search(f"{side} {question.replace(other, '')}", self._k)
                    for side, other in zip(q.sides, q.sides[::-1], strict=True)
                ],
            )
            if found is not None:
                return found
        if q.kind == "yesno" and (said := claims.read_claims(question, lex.outlets)):
            judged = claims.judge(question, said, self._retriever.search, lex, passages)
            if judged is not None:
                return judged
        weights = _weights(question, context, lex)
        every = _candidates(question, passages, weights)
        embed = self._embedder.embed if self._embedder is not None else None
        # the question's own words rank evidence; a thread's earlier words already chose it
        asked = frozenset(weights.question)  # an exact word beats a synonym when tied
        scored = [
            (
                c.passage,
                c.position,
                c.text,
                c.coverage + 0.08 / (1 + c.passage) + 0.01 * len(asked & c.terms),
            )
            for c in every
        ]
        read = reading.read(q, passages, scored, embed)
        if read is not None:
            return read
        if q.focus_from_thread:  # a follow-up quotes only passages about the thread's company
            every = [
                c
                for c in every
                if mentions(passages[c.passage].title + "\n" + passages[c.passage].text, q.focus)
            ] or every
        candidates = [c for c in every if c.coverage > 0]
        # A follow-up's words are all about the asked detail (its company comes from the
        # thread): a sentence that holds few of them does not answer it.
        bar = FOLLOW_UP_THRESHOLD if q.focus_from_thread else self.threshold
        if not candidates or candidates[0].coverage < bar:
            if q.focus_from_thread and candidates:
                return reading.gap(q, passages, [c.passage for c in candidates])
            return refusal(question, passages)
        chosen = _choose(candidates, self._max, passages, weights)
        by_pos = {(c.passage, c.position): c for c in every}
        return _cite(question, passages, _with_neighbours(question, chosen, passages, by_pos))


# Stems that frame a question ("how large", "what did X announce") rather than name its topic:
# the answer rarely repeats them, so they count for little in a sentence's coverage.
FRAME = frozenset(
    lexical.terms(
        "large big size amount much many announce announced report reported reveal revealed plan "
        "planned detail details happen happened involve involved figure figures tell know mention "
        "mentioned according article articles news company firm information latest recent"
    )
)
FRAME_WEIGHT = 0.2
# a capitalised word that does not open the question
NAME = re.compile(r"(?<=[\w,;:] )[A-Z][\w&.-]*")
CONTEXT_TERMS = 6  # the rarest terms of earlier turns: the names a follow-up's "it" points at
# Financing words that articles and questions use interchangeably; a sentence with either counts.
SYNONYMS = [
    frozenset(lexical.terms(group))
    for group in (
        "coupon interest",
        "mature maturity due",
        "buyback repurchase",
        "ipo listing float",
        "loan facility borrowing",
        "raise raising raised proceeds",
        "bond bonds notes debentures",
        "stake holding",
        "valuation valued",
        "acquire acquisition takeover buy",
    )
]


def _found(term: str, found: frozenset[str]) -> bool:
    if term in found:
        return True
    return any(term in group and group & found for group in SYNONYMS)


@dataclass(frozen=True)
class Weights:
    """IDF weights of the question's terms and, apart, of earlier turns in a thread."""

    question: dict[str, float]
    context: dict[str, float]
    names: frozenset[str] = frozenset()  # terms of capitalised words: companies, outlets, places


def _weights(question: str, context: str, lex: LexicalIndex) -> Weights:
    asked = {t: lex.idf(t) * (FRAME_WEIGHT if t in FRAME else 1.0) for t in lexical.terms(question)}
    earlier = {t: lex.idf(t) for t in lexical.terms(context) if t not in asked}
    rarest = sorted(earlier, key=lambda t: -earlier[t])[:CONTEXT_TERMS]
    names = frozenset(lexical.terms(" ".join(NAME.findall(question)))) & asked.keys()
    return Weights(asked, {t: earlier[t] for t in rarest}, names)


def _coverage(weights: dict[str, float], found: frozenset[str]) -> float:
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if _found(t, found)) / total if total else 0.0


def _candidates(question: str, passages: list[Passage], weights: Weights) -> list[Candidate]:
    """Every sentence of the passages, best first (neighbours need the unmatched ones too)."""
    wants_amount = bool(WANTS_AMOUNT.search(question))
    wants_date = bool(WANTS_DATE.search(question))
    out = []
    for p_i, passage in enumerate(passages):
        for s_i, text in enumerate(sentences.split(passage.text)):
            found = frozenset(lexical.terms(text))
            coverage = _coverage(weights.question, found)
            # Earlier turns of a thread say what "it" is: they help rank, not clear the bar.
            score = coverage + 0.5 * _coverage(weights.context, found) + 0.08 / (1 + p_i)
            score += 0.12 * (wants_amount and bool(MONEY.search(text)))
            score += 0.12 * (wants_date and bool(DATE.search(text)))
            if len(text.split()) < 6 or len(text) > 600:
                score *= 0.5
            out.append(Candidate(p_i, s_i, text, score, coverage, found))
    return sorted(out, key=lambda c: -c.score)


def _choose(
    candidates: list[Candidate], limit: int, passages: list[Passage], weights: Weights
) -> list[list[Candidate]]:
    """Best sentences. The same sentence in another article (a syndicated copy) adds its
    citation; a near-copy in other words is dropped, since a citation must contain its text.
    A further sentence must stay on the question's subject: it names one of the question's
    rarest terms (usually the company), or comes from an article already quoted."""
    best = candidates[0].score
    anchors = weights.names or {max(weights.question, key=weights.question.get, default="")}
    articles = {passages[candidates[0].passage].article_id}
    groups: list[list[Candidate]] = []
    for cand in candidates:
        if cand.score < 0.6 * best:
            break
        on_subject = anchors & cand.terms or passages[cand.passage].article_id in articles
        if not on_subject:
            continue
        articles.add(passages[cand.passage].article_id)
        twin = next((g for g in groups if _similar(g[0], cand)), None)
        if twin is not None:
            if _same(twin[0].text, cand.text) and all(c.passage != cand.passage for c in twin):
                twin.append(cand)
        elif len(groups) < limit:
            groups.append([cand])
    return groups


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _similar(a: Candidate, b: Candidate) -> bool:
    if _same(a.text, b.text):
        return True
    union = a.terms | b.terms
    return bool(union) and len(a.terms & b.terms) / len(union) >= 0.6


def _with_neighbours(
    question: str,
    groups: list[list[Candidate]],
    passages: list[Passage],
    by_pos: dict[tuple[int, int], Candidate],
) -> list[list[Candidate]]:
    """Add the sentence before a dangling 'It ...' and the one after when it holds the figure."""
    wants_figure = WANTS_AMOUNT.search(question) or WANTS_DATE.search(question)
    taken = {(c.passage, c.position) for g in groups for c in g}
    out = []
    for group in groups:
        head = group[0]
        before = by_pos.get((head.passage, head.position - 1))
        if before and ANAPHORA.match(head.text) and (before.passage, before.position) not in taken:
            out.append([before])
            taken.add((before.passage, before.position))
        out.append(group)
        after = by_pos.get((head.passage, head.position + 1))
        if (
            wants_figure
            and after
            and (after.passage, after.position) not in taken
            and not (MONEY.search(head.text) or DATE.search(head.text))
            and (MONEY.search(after.text) or DATE.search(after.text))
        ):
            out.append([after])
            taken.add((after.passage, after.position))
    return out


def _cite(question: str, passages: list[Passage], groups: list[list[Candidate]]) -> Answer:
    numbering = Numbering()
    result = [
        Sentence(group[0].text, numbering.numbers(passages[c.passage] for c in group))
        for group in groups
    ]
    return Answer(question, tuple(result), numbering.citations, tuple(passages))


def refusal(question: str, passages: list[Passage]) -> Answer:
    """A refusal that lists the closest articles (at most three) as its citations."""
    closest = Numbering()
    for p in passages:
        if len(closest) < 3:
            closest.number(p)
    return Answer(question, (), closest.citations, tuple(passages), refused=True, note=REFUSAL)
