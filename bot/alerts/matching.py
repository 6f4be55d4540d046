"""Which watches new articles match: companies through the deal store's own name matching (a
word index only narrows the watches it is asked about), kinds of deal, topics by the cosine of
the topic's vector and the article's stored chunk vectors, and the story each match belongs to."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from bot.alerts.store import WatchRow
from bot.alerts.watches import deal_kind
from bot.answer.question import mentions
from index.deals.store import ArticleInfo, DealStore, company_key
from index.deals.stories import WINDOW, Story, group
from index.records import Article, Deal, Passage
from index.text.sentences import split

LEAD = 1500  # characters of an article (after its title) a company must be named in
Added = Sequence[tuple[Article, Sequence[Deal]]]


class Vectors(Protocol):
    """What topic matching needs of the store: new articles' chunks and their vectors."""

    def vectors(self, article_ids: Sequence[str]) -> tuple[list[Passage], np.ndarray]: ...


@dataclass(frozen=True)
class Found:
    """A story of new articles that a watch matched, with the sentences (text, article id)
    to quote."""

    watch: WatchRow
    story: Story
    quotes: tuple[tuple[str, str], ...]


class _Index:
    """The watches by what can find them: company watches by the first word of their key (and
    one-word keys as acronyms), kind watches by kind, topic watches apart."""

    def __init__(self, watches: Sequence[WatchRow]) -> None:
        self.first: dict[str, list[WatchRow]] = defaultdict(list)
        self.kinds: dict[str, list[WatchRow]] = defaultdict(list)
        self.topics: list[WatchRow] = []
        for w in watches:
            if w.kind == "company":
                self.first[w.key.removeprefix("company:").split()[0]].append(w)
            elif w.kind == "kind":
                self.kinds[deal_kind(w.key) or ""].append(w)
            else:
                self.topics.append(w)

    def companies(self, key: str) -> list[WatchRow]:
        """Company watches that may name this company key: a superset of those the deal store
        matches (same key, a shorter or longer form, an acronym)."""
        words = key.split()
        if not words:
            return []
        found = list(self.first.get(words[0], []))
        if len(words) > 1:
            found += self.first.get("".join(w[0] for w in words), [])
        return found

    def named_in(self, text: str) -> list[WatchRow]:
        """Company watches whose key's first word occurs in a text, confirmed by `mentions`."""
        words = set(re.findall(r"[a-z0-9]+", text.lower()))
        out = [w for word in words for w in self.first.get(word, [])]
        return [w for w in out if mentions(text, w.name)]


class Matcher:
    """Matches new articles against watches, reading deals through the deal store."""

    def __init__(self, deals: DealStore, vectors: Vectors, embedder: Any, threshold: float) -> None:
        self.deals, self.store, self.embedder, self.threshold = deals, vectors, embedder, threshold
        self._topic_vectors: dict[str, np.ndarray] = {}
        self._stories: dict[tuple[str, str, str], Story | None] = {}

    def match(self, added: Added, watches: Sequence[WatchRow]) -> list[Found]:
        """Every (watch, story) the new articles bring, each once."""
        index = _Index(watches)
        self._stories: dict[tuple[str, str, str], Story | None] = {}  # one read per story
        found: list[Found] = []
        topical = self._topics(added, index.topics)
        for article, deals in added:
            hit: set[int] = set()
            for deal in deals:
                key = company_key(deal.company)
                for watch in index.companies(key):
                    found += self._deal(watch, watch.name, deal, article, hit)
                for watch in index.kinds.get(deal.kind, []):
                    found += self._deal(watch, deal.company, deal, article, hit)
            lead = f"{article.title}\n{article.body[:LEAD]}"
            for watch in index.named_in(lead):
                if watch.id not in hit:
                    hit.add(watch.id)
                    found.append(Found(watch, _alone(article), _naming(lead, watch.name, article)))
            for watch, passage in topical.get(article.id, []):
                if watch.id not in hit:
                    hit.add(watch.id)
                    found.append(self._topical(watch, passage, article, deals))
        return found

    def _deal(
        self, watch: WatchRow, company: str, deal: Deal, article: Article, hit: set[int]
    ) -> list[Found]:
        if watch.id in hit:
            return []
        story = self.story(company, deal, article)
        if story is None or story.deal is None:
            return []
        hit.add(watch.id)
        return [Found(watch, story, ((story.deal.evidence, story.deal.article_id),))]

    def story(self, company: str, deal: Deal, article: Article) -> Story | None:
        """The stored story of a new article's deal, among the deals the store matches to this
        company name (None when it matches none of them)."""
        key = (company, deal.kind, article.id)
        if key not in self._stories:
            self._stories[key] = self._read_story(company, deal, article)
        return self._stories[key]

    def _read_story(self, company: str, deal: Deal, article: Article) -> Story | None:
        when = article.published_at
        since, until = (when - WINDOW, when + WINDOW) if when else (None, None)
        deals = self.deals.deals(company=company, kind=deal.kind, since=since, until=until)
        if not any(d.article_id == article.id for d in deals):
            return None
        stories = group(deals, self.deals.articles(list({d.article_id for d in deals})))
        return next((s for s in stories if any(a.id == article.id for a in s.articles)), None)

    def _topics(
        self, added: Added, topics: list[WatchRow]
    ) -> dict[str, list[tuple[WatchRow, Passage]]]:
        """article id -> (topic watch, best passage) for topics over the threshold."""
        if not topics or not added:
            return {}
        passages, vectors = self.store.vectors([a.id for a, _ in added])
        if not passages:
            return {}
        scores = vectors @ self._topic_matrix(topics).T  # chunks x topics, unit vectors
        by_article: dict[str, list[tuple[WatchRow, Passage]]] = defaultdict(list)
        ids = np.array([p.article_id for p in passages])
        for article_id in dict.fromkeys(ids.tolist()):
            rows = np.flatnonzero(ids == article_id)
            best = rows[scores[rows].argmax(axis=0)]
            for t, watch in enumerate(topics):
                if scores[best[t], t] >= self.threshold:
                    by_article[article_id].append((watch, passages[best[t]]))
        return by_article

    def _topic_matrix(self, topics: list[WatchRow]) -> np.ndarray:
        missing = [w.name for w in topics if w.key not in self._topic_vectors]
        if missing:
            for w, v in zip(
                [w for w in topics if w.key not in self._topic_vectors],
                self.embedder.embed(missing),
                strict=True,
            ):
                self._topic_vectors[w.key] = np.asarray(v, dtype=np.float32)
        return np.stack([self._topic_vectors[w.key] for w in topics])

    def _topical(
        self, watch: WatchRow, passage: Passage, article: Article, deals: Sequence[Deal]
    ) -> Found:
        quote = _closest(passage.text, watch.name)
        for deal in deals:
            story = self.story(deal.company, deal, article)
            if story is not None and story.deal is not None:
                return Found(watch, story, ((story.deal.evidence, story.deal.article_id),))
        return Found(watch, _alone(article), ((quote, article.id),))


def _alone(article: Article) -> Story:
    return Story((ArticleInfo.of(article),))


def _naming(lead: str, name: str, article: Article) -> tuple[tuple[str, str], ...]:
    """The first sentence of the article's lead that names the company."""
    body = lead.split("\n", 1)[1] if "\n" in lead else lead
    sentence = next((s for s in split(body) if mentions(s, name)), None)
    return ((sentence or article.title, article.id),)


def _closest(text: str, topic: str) -> str:
    """The sentence of a passage sharing most words with the topic (the first on a tie)."""
    words = set(re.findall(r"\w+", topic.lower()))
    sentences = split(text) or [text]
    return max(sentences, key=lambda s: len(words & set(re.findall(r"\w+", s.lower()))))
