"""One document's text (plain, markdown, HTML or a JSON record) turned into an Article."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import trafilatura

from index.ingest.cleaning import Cleaned, clean_text, parse_date
from index.records import Article, Skip, article_id
from index.text.controls import strip_controls

MIN_BODY_WORDS = 8  # below this a "body" is a caption or a stub, not an article
TITLE_CHARS = 90  # a title made from the first sentence is cut to about this length
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid|_hsenc|_hsmi"
    r"|mkt_tok|ref_src|cmpid|ocid|_ga|_gl|s_cid|ncid|smid|sr_share|guccounter|guce_referrer(_sig)?"
    r"|at_medium|at_campaign|twclid|ttclid|li_fat_id|rb_clickid|oly_(enc|anon)_id|vero_id)$",
    re.I,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MISSING = {"", "none", "null", "nan", "n/a", "unknown"}
_HTML_DATES = {
    "original_date": True,
    "extensive_search": False,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}


def canonical_url(url: str) -> str:
    """The URL with case, tracking parameters, fragment and trailing slash normalised away."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url  # not a URL we can take apart: keep it as given
    if not parts.scheme or not parts.hostname:
        return url
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets, or the port would merge in
    if port and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    if "@" in parts.netloc:
        host = parts.netloc.rsplit("@", 1)[0] + "@" + host
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode(sorted((k, v) for k, v in pairs if not _TRACKING.match(k)))
    return urlunsplit((scheme, host, parts.path.rstrip("/"), query, ""))


def article_from_text(
    text: str, *, origin: str, source: str | None = None, markdown: bool = False
) -> Article | Skip:
    """An article from plain text or markdown: a headline-like first line is the title."""
    meta, text = _front_matter(text)
    cleaned = clean_text(_strip_markdown(text) if markdown else text)
    lines = cleaned.body.split("\n")
    title = meta.get("title")
    if len(lines) > 1 and (
        _same_text(lines[0], title or "") or not title and _is_headline(lines[0])
    ):
        title, lines = title or lines[0], lines[1:]
    header, lines = _header_lines(lines)
    meta = header | meta
    date = meta.get("published_at") or meta.get("published") or meta.get("date")
    found = dict(url=meta.get("url"), source=meta.get("source"), author=meta.get("author"))
    return _build(title, "\n".join(lines), cleaned, origin, source, date=date, **found)


def article_from_html(
    html: str, *, url: str | None = None, origin: str = "", source: str | None = None
) -> Article | Skip:
    """An article from an HTML page: main text by trafilatura, page chrome dropped."""
    if not html.strip():
        return Skip(origin, "empty HTML page")
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        date_extraction_params=_HTML_DATES,
    )
    if doc is None or not (doc.text or "").strip():
        return Skip(origin, "no article text in the HTML page (only scripts or markup)")
    cleaned = clean_text(doc.text)
    lines = cleaned.body.split("\n")
    if doc.title and _same_text(lines[0], doc.title):
        lines = lines[1:]  # trafilatura keeps the <h1> as the first line
    found = dict(url=url or doc.url, source=doc.sitename, author=doc.author, date=doc.date)
    return _build(doc.title, "\n".join(lines), cleaned, origin, source, **found)


def article_from_record(rec: dict, *, origin: str, source: str | None = None) -> Article | Skip:
    """An article from a JSON record: title, body or text, optional url/source/date/author."""
    if not isinstance(rec, dict):
        return Skip(origin, "record is not a JSON object")
    body = rec.get("body") if rec.get("body") is not None else rec.get("text")
    if not isinstance(body, str):
        return Skip(origin, "record has no 'body' or 'text' string")
    date = rec.get("published_at") if rec.get("published_at") is not None else rec.get("date")
    author = rec.get("author")
    if isinstance(author, list):
        author = ", ".join(name for name in map(_field, author) if name)
    cleaned = clean_text(body)
    found = dict(url=rec.get("url"), source=rec.get("source"), author=author, date=date)
    return _build(_field(rec.get("title")), cleaned.body, cleaned, origin, source, **found)


def _build(
    title: str | None, body: str, cleaned: Cleaned, origin: str, fallback_source: str | None,
    *, url: object, source: object, author: object, date: object,
) -> Article | Skip:  # fmt: skip
    """Fill gaps from the noise hints, check the body, and give the article its stable id."""
    if (words := len(body.split())) < MIN_BODY_WORDS:
        return Skip(origin, f"body too short after removing page noise ({words} words)")
    title = " ".join(strip_controls(title or cleaned.title_hint or _title_from(body)).split())
    link = _field(url)
    link = canonical_url(link) if link else None
    return Article(
        id=article_id(link, title, body),
        title=title,
        body=body,
        url=link,
        source=_field(source) or cleaned.source_hint or _field(fallback_source),
        published_at=parse_date(date) or cleaned.date_hint,
        author=_field(author),
        origin=origin,
    )


def _field(value: object) -> str | None:
    """A metadata value as clean text; placeholders such as "None" or "" mean absent."""
    if value is None or isinstance(value, dict | list):
        return None
    text = " ".join(strip_controls(str(value)).split())
    return None if text.lower() in _MISSING else text


def _is_headline(line: str) -> bool:
    return len(line.split()) <= 25 and len(line) <= 200 and not line.endswith((".", ":", ";", ","))


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def _title_from(body: str) -> str:
    """A title for an article without one: its first sentence, cut at a word boundary."""
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“‘'])", body.split("\n", 1)[0].strip(), maxsplit=1)[0]
    if len(first) <= TITLE_CHARS:
        return first.rstrip(".")
    return first[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:—–- ") + "…"


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """A leading "---" block of "key: value" lines (title, url, source, date, author), if any."""
    match = re.match(r"\A\ufeff?---[ \t]*\n(.{0,4000}?)\n---[ \t]*\n", text, re.S)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end() :]


_HEADER_LINE = re.compile(
    r"(?i)^\s*(source|date|published|published_at|url|link|author|by)\s*:\s*(\S.{0,300})$"
)
_HEADER_KEYS = {"link": "url", "by": "author"}


def _header_lines(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Leading "Source: ..." / "Date: ..." / "URL: ..." lines under a headline (the way many
    newsletters and exported articles start) as metadata, taken out of the body."""
    meta: dict[str, str] = {}
    at = 0
    while at < len(lines) and not lines[at].strip() and at < 2:
        at += 1
    while at < len(lines) and len(meta) < 6 and (m := _HEADER_LINE.match(lines[at])):
        key = m.group(1).lower()
        meta.setdefault(_HEADER_KEYS.get(key, key), m.group(2).strip())
        at += 1
    return (meta, lines[at:]) if meta else ({}, lines)


def _strip_markdown(text: str) -> str:
    """Markdown syntax removed: heading marks, images, link targets, emphasis, quote marks."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?m)^\s{0,3}(#{1,6}|>)\s*", "", text)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return re.sub(r"(?<!\w)([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?!\w)", r"\2", text)
