"""A short briefing on a company or topic: its stories, deals first, every sentence cited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.answer.citations import Numbering
from bot.answer.render import cited, source_line
from bot.reports.periods import period_label
from index.deals.store import ArticleInfo
from index.deals.stories import Story, amount_text, group, group_articles
from index.records import Answer, Citation, Deal, Passage, Sentence
from index.retrieval.search import Filters

if TYPE_CHECKING:
    from bot.core import Finnews

MAX_DEALS = 6  # deal stories in one briefing, newest first
PASSAGES = 10  # passages read for the rest of the coverage
# Words a topic may use for a kind of deal: "convertibles" brings every convertible.
KIND_WORDS = {
    "bond": r"bonds?|notes|debt",
    "convertible": r"convertibles?|converts?",
    "loan": r"loans?|credit facilit(?:y|ies)",
    "offering": r"ipos?|share offerings?",
    "funding": r"funding(?: rounds?)?|venture rounds?",
    "buyback": r"buybacks?|repurchases?",
    "acquisition": r"acquisitions?|takeovers?",
}


@dataclass(frozen=True)
class Brief:
    """One story of a summary: a heading and its cited sentences."""

    heading: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Summary:
    """What the indexed news says about a topic, story by story."""

    topic: str
    period_label: str
    briefs: tuple[Brief, ...]
    citations: tuple[Citation, ...]

    @property
    def empty(self) -> bool:
        """Nothing in the period is about the topic."""
        return not self.briefs

    @property
    def note(self) -> str:
        """What to say when it is empty."""
        return f"The indexed articles say nothing about {self.topic} ({self.period_label})."


def kind_named(topic: str) -> str | None:
    """The kind of deal a topic names on its own ("convertibles"), if any."""
    text = topic.strip().lower()
    return next((k for k, words in KIND_WORDS.items() if re.fullmatch(words, text)), None)


def summarise(
    fn: Finnews, topic: str, since: datetime | None = None, until: datetime | None = None
) -> Summary:
    """Deal stories of the company (or kind) first, then what else the best passages say."""
    kind = kind_named(topic)
    deals = fn.deals.deals(company=None if kind else topic, kind=kind, since=since, until=until)
    stories = group(deals, fn.deals.articles(list({d.article_id for d in deals})))
    stories.sort(key=lambda s: s.first.timestamp() if s.first else float("-inf"), reverse=True)
    stories = stories[:MAX_DEALS]
    passages = fn.retriever.search(topic, PASSAGES, Filters(since, until))
    answer = _coverage(fn, topic, passages)
    quoted = _Quoted(answer, stories)
    numbers = Numbering()
    briefs: list[Brief] = []
    for story in stories:
        brief = _deal_brief(story, numbers, quoted)
        twin = next((i for i, b in enumerate(briefs) if b.sentences[0] == brief.sentences[0]), None)
        if twin is None:
            briefs.append(brief)
        else:  # two deals read from one sentence: one brief, both in its heading
            heading = f"{briefs[twin].heading}; {brief.heading}"
            briefs[twin] = Brief(heading, briefs[twin].sentences)
    briefs += _other_briefs(stories, numbers, quoted)
    return Summary(topic, period_label(since, until), tuple(briefs), numbers.citations)


def _coverage(fn: Finnews, topic: str, passages: list[Passage]) -> Answer:
    """What the passages say about the topic: a model's checked text when one is configured
    (the summary prompt), else, or when the model fails, the extractive answer."""
    lex = fn.lexicon.get(check=False)
    if not fn.streams:
        return fn.answerer.compose(topic, passages, lex)
    written = fn.answerer.write("summary", topic, passages)
    return written if written is not None else fn.answerer.extractive.compose(topic, passages, lex)


class _Quoted:
    """The answer's sentences that a deal's own quote does not already say."""

    def __init__(self, answer: Answer, stories: list[Story]) -> None:
        said = {" ".join(s.deal.evidence.split()) for s in stories if s.deal}
        self.infos = {
            c.article_id: ArticleInfo(c.article_id, c.title, c.source, c.url, c.published_at)
            for c in answer.citations
        }
        self.by_n = {c.n: c.article_id for c in answer.citations}
        self.sentences = (
            []
            if answer.refused
            else [s for s in answer.sentences if " ".join(s.text.split()) not in said]
        )

    def about(self, ids: set[str]) -> list[Sentence]:
        """Sentences citing one of these articles, taken (each is told once)."""
        mine = [s for s in self.sentences if any(self.by_n[n] in ids for n in s.cites)]
        self.sentences = [s for s in self.sentences if s not in mine]
        return mine

    def renumbered(self, sentence: Sentence, numbers: Numbering) -> Sentence:
        """The sentence with the summary's citation numbers."""
        return Sentence(
            sentence.text, tuple(numbers.number(self.infos[self.by_n[n]]) for n in sentence.cites)
        )


def _deal_brief(story: Story, numbers: Numbering, quoted: _Quoted) -> Brief:
    deal = story.deal
    assert deal is not None
    by_id = {a.id: a for a in story.articles}
    heading = deal_line(deal, story.first)
    said = [Sentence(" ".join(deal.evidence.split()), (numbers.number(by_id[deal.article_id]),))]
    said += [quoted.renumbered(s, numbers) for s in quoted.about(set(by_id))]
    others = [numbers.number(a) for a in story.articles if a.id != deal.article_id]
    missing = [n for n in others if all(n not in s.cites for s in said)]
    if missing:
        said.append(Sentence("Also reported in", tuple(missing)))
    return Brief(heading, tuple(said))


KIND_HEADINGS = {
    "bond": ("Bond", "is issuing"),
    "convertible": ("Convertible", "is issuing"),
    "loan": ("Loan", "is borrowing"),
    "offering": ("Share offering", "is raising"),
    "funding": ("Funding round", "raised"),
    "buyback": ("Buyback", "is buying back"),
    "other": ("Financing", "is raising"),
    "acquisition": ("Acquisition", "is buying"),
}


def deal_line(deal: Deal, when: datetime | None = None) -> str:
    """The news of a deal in one line: 'Funding round: Velo.ai raised USD 42 million, led by
    Northgate Ventures, at a valuation of USD 300 million (2025-10-08)'."""
    name, verb = KIND_HEADINGS.get(deal.kind, ("Deal", "reported"))
    amount = amount_text(deal.amount, deal.currency)
    if deal.kind == "acquisition":
        what = f"{deal.target or 'a company'}" + (f" for {amount}" if amount else "")
    else:
        what = amount or "an undisclosed sum"
    facts = [
        f"led by {', '.join(deal.parties)}" if deal.parties else "",
        f"at a valuation of {amount_text(deal.valuation, deal.valuation_currency)}"
        if deal.valuation
        else "",
        f"due {deal.maturity}" if deal.maturity else "",
        f"coupon {deal.coupon}" if deal.coupon else "",
    ]
    line = f"{name}: {deal.company} {verb} {what}" + "".join(f", {f}" for f in facts if f)
    return line + (f" ({when.date().isoformat()})" if when else "")


def _other_briefs(stories: list[Story], numbers: Numbering, quoted: _Quoted) -> list[Brief]:
    """The remaining sentences, one brief per story of their articles (near-copies as one)."""
    ids = dict.fromkeys(quoted.by_n[n] for s in quoted.sentences for n in s.cites)
    briefs = []
    for story in group_articles([quoted.infos[i] for i in ids], stories):
        said = [quoted.renumbered(s, numbers) for s in quoted.about({a.id for a in story.articles})]
        if said:
            briefs.append(Brief(story.title, tuple(said)))
    return briefs


def render_text(s: Summary) -> str:
    """The summary for a terminal."""
    if s.empty:
        return s.note + "\n"
    out = [f"Summary: {s.topic} ({s.period_label})", ""]
    for brief in s.briefs:
        out += [brief.heading, "  " + " ".join(cited(x) for x in brief.sentences), ""]
    out.append("Sources")
    out += [f" [{c.n}] {source_line(c)}" for c in s.citations]
    return "\n".join(out) + "\n"
