"""An article read from a web page: fetched, its text and metadata extracted by trafilatura."""

from __future__ import annotations

import re

from index.ingest.formats import article_from_html, canonical_url
from index.ingest.sources import decode
from index.records import Article, Skip
from index.web.fetch import HTML_TYPES, Fetcher, FetchError

MIN_PROSE_WORDS = 25  # fewer words in sentences: a teaser, a paywall stub or an index page
PROSE_SHARE = 0.5  # below this share of words in sentences the "text" is mostly links and labels
_SENTENCE = re.compile(r"[.!?][\"'”’)]?(\s|$)")


def read_page(fetcher: Fetcher, url: str, source: str | None = None) -> Article | Skip:
    """The article at a URL, or a Skip saying why it is not one (HTTP, type, size, navigation)."""
    origin = url.strip()
    try:
        page = fetcher.get(canonical_url(origin), accept=HTML_TYPES)
    except FetchError as exc:
        return Skip(origin, str(exc))
    return page_article(page.body, page.url, origin, page.charset, source)


def page_article(
    body: bytes, url: str, origin: str, charset: str | None = None, source: str | None = None
) -> Article | Skip:
    """An article from a fetched page's bytes; `url` (after redirects) becomes its id."""
    text = _text(body, charset, origin)
    if isinstance(text, Skip):
        return text
    found = article_from_html(text, url=canonical_url(url), origin=origin, source=source)
    if isinstance(found, Skip):
        return found
    return _navigation(found) or found


def _text(body: bytes, charset: str | None, origin: str) -> str | Skip:
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:
            pass  # an unknown charset name: guess as for files
    return decode(body, origin)


def _navigation(article: Article) -> Skip | None:
    """A Skip when the extracted text is mostly menu items and link labels, not sentences."""
    lines = article.body.split("\n")
    words = sum(len(line.split()) for line in lines)
    prose = sum(len(line.split()) for line in lines if _is_prose(line))
    if prose < MIN_PROSE_WORDS or prose < PROSE_SHARE * words:
        return Skip(
            article.origin,
            f"page text is mostly navigation or too short to be an "
            f"article ({prose} of {words} words in sentences)",
        )
    return None


def _is_prose(line: str) -> bool:
    n = len(line.split())
    return n >= 15 or (n >= 5 and bool(_SENTENCE.search(line)))
