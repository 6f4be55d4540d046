"""The neutral alert value adapters render: a deal line or a headline, cited sentences, the
sources, and the hint to ask in its thread; kept as data so it can be posted again or updated."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from index.deals.store import ArticleInfo
from index.deals.stories import Story, amount_text
from index.records import Answer, Citation, Passage, Sentence

HINT = "Reply in this thread to ask a follow-up about it."


@dataclass(frozen=True)
class Alert:
    """One story that matched a watch, as it is posted."""

    watch: str  # the watch's name, as the user typed it
    headline: str  # the deal line (company, kind, amount, date) or the story's headline
    quotes: tuple[Sentence, ...]  # one or two sentences, citing `sources` by number
    sources: tuple[Citation, ...]
    company: str = ""  # the company the story is about, when known (for thread follow-ups)
    hint: str = HINT

    def answer(self) -> Answer:
        """The alert as an answer, for the conversation ledger: a reply in its thread is read
        with it, as a follow-up to an answer is."""
        by_n = {c.n: c for c in self.sources}
        passages = tuple(
            Passage(
                f"{by_n[q.cites[0]].article_id}:alert",
                by_n[q.cites[0]].article_id,
                q.text,
                by_n[q.cites[0]].title,
                by_n[q.cites[0]].source,
                by_n[q.cites[0]].url,
                by_n[q.cites[0]].published_at,
            )
            for q in self.quotes
            if q.cites and q.cites[0] in by_n
        )
        question = f"{self.company or self.watch}: {self.headline}"
        return Answer(question, self.quotes, self.sources, passages)

    def with_source(self, c: Citation) -> Alert:
        """The alert with one more source (numbered after the others)."""
        if any(s.article_id == c.article_id for s in self.sources):
            return self
        return replace(self, sources=(*self.sources, replace(c, n=len(self.sources) + 1)))

    def info(self) -> ArticleInfo:
        """Its first source, as the deal store's stories compare articles."""
        s = self.sources[0]
        return ArticleInfo(s.article_id, s.title, s.source, s.url, s.published_at)

    def data(self) -> dict[str, Any]:
        """The alert as JSON-ready data."""
        return {
            "watch": self.watch,
            "headline": self.headline,
            "company": self.company,
            "quotes": [{"text": q.text, "cites": list(q.cites)} for q in self.quotes],
            "sources": [
                {
                    "n": c.n,
                    "article_id": c.article_id,
                    "title": c.title,
                    "source": c.source,
                    "url": c.url,
                    "published_at": c.published_at.isoformat() if c.published_at else None,
                }
                for c in self.sources
            ],
        }

    @classmethod
    def of(cls, data: dict[str, Any]) -> Alert:
        """An alert from its data."""
        return cls(
            data["watch"],
            data["headline"],
            tuple(Sentence(q["text"], tuple(q["cites"])) for q in data["quotes"]),
            tuple(
                Citation(
                    s["n"],
                    s["article_id"],
                    s["title"],
                    s["source"],
                    s["url"],
                    datetime.fromisoformat(s["published_at"]) if s["published_at"] else None,
                )
                for s in data["sources"]
            ),
            data.get("company", ""),
        )


def deal_line(story: Story) -> str:
    """'Halvorsen Wind ASA · bond · EUR 600 million · 2026-09-21'."""
    deal = story.deal
    assert deal is not None
    when = story.first.date().isoformat() if story.first else ""
    parts = [deal.company, deal.kind, amount_text(deal.amount, deal.currency), when]
    return " · ".join(p for p in parts if p)


def alert_of(watch: str, story: Story, quotes: list[tuple[str, str]]) -> Alert:
    """The alert of a story: its deal line (or headline), the quotes (text, article id) cited
    to their articles, and every article of the story as a source, earliest first."""
    sources = tuple(
        Citation(n, a.id, a.title, a.source, a.url, a.published_at)
        for n, a in enumerate(story.articles, 1)
    )
    number = {c.article_id: c.n for c in sources}
    cited = tuple(Sentence(" ".join(t.split()), (number[a],)) for t, a in quotes if a in number)
    headline = deal_line(story) if story.deal else story.title
    return Alert(watch, headline, cited[:2], sources, story.deal.company if story.deal else "")
