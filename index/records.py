"""The small frozen records that travel between finnews modules."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property


@dataclass(frozen=True)
class Article:
    """One news article as loaded from a source, before chunking."""

    id: str
    title: str
    body: str
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    author: str | None = None
    origin: str = ""  # the file (and line) it was read from, for messages

    # Cached: the store writes both hashes into every chunk's metadata, and hashing the whole
    # body once per chunk made ingest quadratic in an article's length.
    @cached_property
    def content_hash(self) -> str:
        """Hash of what is indexed, so an unchanged article is recognised."""
        parts = [self.title, self.body, self.url or "", self.source or "", self.author or ""]
        parts.append(self.published_at.isoformat() if self.published_at else "")
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]

    @cached_property
    def text_hash(self) -> str:
        """Hash of the body text alone, to recognise one text under two URLs."""
        words = " ".join(self.body.split()).lower()
        return hashlib.sha256(words.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Skip:
    """An input that was not ingested, with the reason a user can act on."""

    origin: str
    reason: str


@dataclass(frozen=True)
class Chunk:
    """A piece of an article's body, the unit that is embedded and retrieved."""

    id: str
    article_id: str
    index: int
    text: str


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with the metadata of its article and its retrieval score."""

    chunk_id: str
    article_id: str
    text: str
    title: str
    source: str | None
    url: str | None
    published_at: datetime | None
    score: float = 0.0
    author: str | None = None


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer."""

    n: int
    article_id: str
    title: str
    source: str | None
    url: str | None
    published_at: datetime | None


@dataclass(frozen=True)
class Sentence:
    """One sentence of an answer and the citation numbers that support it."""

    text: str
    cites: tuple[int, ...]


@dataclass(frozen=True)
class Answer:
    """What finnews replies: cited sentences, their sources, or a plain refusal."""

    question: str
    sentences: tuple[Sentence, ...]
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...] = field(default=(), repr=False)
    refused: bool = False
    note: str = ""

    @property
    def text(self) -> str:
        """The answer as prose with its [n] markers."""
        if self.refused:
            return self.note
        return " ".join(s.text + "".join(f" [{n}]" for n in s.cites) for s in self.sentences)


def article_id(url: str | None, title: str, body: str) -> str:
    """Stable article id: a hash of the canonical URL, or of the text when there is none."""
    key = f"url:{url}" if url else "text:" + " ".join((title + "\n" + body).split()).lower()
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def file_article_id(path: str) -> str:
    """Stable id of a local file's article: a hash of its absolute path, so an edited file
    replaces its old version rather than joining it."""
    return hashlib.sha256(f"file:{path}".encode()).hexdigest()[:20]


DEAL_KINDS = (
    "bond",
    "convertible",
    "loan",
    "offering",
    "funding",
    "buyback",
    "other",
    "acquisition",
)
# Kinds that raise money for the company; an acquisition spends it and is listed apart.
FINANCING_KINDS = DEAL_KINDS[:-1]


@dataclass(frozen=True)
class Deal:
    """One financing event an article reports (bond, convertible, loan, offering, round...)."""

    article_id: str
    company: str
    kind: str  # one of DEAL_KINDS; "offering" covers share offerings and IPOs
    amount: float | None = None  # in units of `currency`, e.g. 3.2e9
    currency: str | None = None  # ISO 4217 code: USD, CNY, EUR, GBP...
    maturity: str | None = None  # ISO date or year as stated, e.g. "2032-09-15"
    coupon: str | None = None  # as stated, normalised: "0%", "5.25%"
    use_of_proceeds: str | None = None
    announced: datetime | None = None  # the article's date unless the text gives another
    evidence: str = ""  # the sentence the deal was read from
    parties: tuple[str, ...] = ()  # who led the round, arranged the loan or underwrote, as stated
    target: str | None = None  # the company bought, for an acquisition
    valuation: float | None = None  # the value a round or listing puts on the company, as stated
    valuation_currency: str | None = None
