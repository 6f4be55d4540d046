"""Citation numbers: one per article, [1], [2]... in the order the articles are first cited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from index.records import Citation, Passage

if TYPE_CHECKING:
    from index.deals.store import ArticleInfo


def citation(n: int, source: Passage | ArticleInfo) -> Citation:
    """A numbered citation of a retrieved passage's article or of a stored article."""
    return Citation(
        n, _article_id(source), source.title, source.source, source.url, source.published_at
    )


def _article_id(source: Passage | ArticleInfo) -> str:
    return source.article_id if isinstance(source, Passage) else source.id


class Numbering:
    """Hands out citation numbers in order of first use, one per article, and keeps the
    citations they stand for."""

    def __init__(self) -> None:
        self._citations: dict[str, Citation] = {}

    def __len__(self) -> int:
        """How many articles have a number."""
        return len(self._citations)

    def number(self, source: Passage | ArticleInfo) -> int:
        """The number of the source's article: the next one free when it is first cited."""
        article_id = _article_id(source)
        if article_id not in self._citations:
            self._citations[article_id] = citation(len(self._citations) + 1, source)
        return self._citations[article_id].n

    def numbers(self, sources: Iterable[Passage | ArticleInfo]) -> tuple[int, ...]:
        """The numbers of the sources' articles, each once, in order (a sentence's markers)."""
        return tuple(dict.fromkeys(self.number(s) for s in sources))

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every numbered citation, in number order."""
        return tuple(self._citations.values())
