"""Articles loaded from files and folders: text, markdown, HTML, JSON and JSON lines."""

from __future__ import annotations

import codecs
import json
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import charset_normalizer

from index.ingest.formats import (
    article_from_html,
    article_from_record,
    article_from_text,
    canonical_url,
)
from index.records import Article, Skip, file_article_id

__all__ = ["article_from_html", "article_from_record", "canonical_url", "decode", "load_paths"]

MARKDOWN = {".txt": False, ".text": False, ".md": True, ".markdown": True}
HTML = {".html", ".htm", ".xhtml"}
JSON_LINES = {".jsonl", ".ndjson"}
KNOWN = " ".join([*MARKDOWN, *HTML, ".json", *JSON_LINES])
JSON_FILE_FACTOR = 4  # a .json file is parsed whole, so it may hold several articles' worth
_NOT_ARTICLES = re.compile(r"^(readme|licen[cs]e|copying|changelog|notice)(\.|$)", re.I)
_UTF8_RUN = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_ASCII = bytes(range(128))
_TYPOGRAPHY = set("€£¥¢–—‘’‚“”„…•°©®™§¶·«»±×÷½¼¾ ")
Item = Article | Skip


def load_paths(
    paths: Sequence[Path], *, source: str | None = None, max_bytes: int = 5_000_000
) -> Iterator[Item]:
    """Articles from files and folders (recursive, sorted, hidden files ignored), or Skips."""
    for given in map(Path, paths):
        if given.is_dir():
            for path in _walk(given):
                if _NOT_ARTICLES.match(path.name):
                    yield Skip(str(path), "a folder's README or licence file, not an article")
                elif not path.is_file():  # a FIFO or device would block or never end
                    yield Skip(str(path), "not a regular file")
                else:
                    yield from load_file(path, source=source, max_bytes=max_bytes)
        elif given.is_file():
            yield from load_file(given, source=source, max_bytes=max_bytes)
        elif given.exists():
            yield Skip(str(given), "not a regular file")
        else:
            yield Skip(str(given), "no such file or folder")


def load_file(
    path: Path, *, source: str | None = None, max_bytes: int = 5_000_000
) -> Iterator[Item]:
    """The article(s) of one file, read as its extension says, or Skips saying why not."""
    origin, suffix = str(path), path.suffix.lower()
    if suffix in JSON_LINES:
        yield from _load_jsonl(path, source, max_bytes)
        return
    if suffix not in MARKDOWN and suffix not in HTML and suffix != ".json":
        yield Skip(origin, f"unknown file type '{suffix or path.name}' (expected one of {KNOWN})")
        return
    text = _read_text(path, max_bytes * JSON_FILE_FACTOR if suffix == ".json" else max_bytes)
    if isinstance(text, Skip):
        yield text
    elif suffix in HTML:
        yield _named_by_path(article_from_html(text, origin=origin, source=source), path)
    elif suffix == ".json":
        yield from _load_json(text, origin, source, max_bytes)
    else:
        yield _named_by_path(
            article_from_text(text, origin=origin, source=source, markdown=MARKDOWN[suffix]), path
        )


def _named_by_path(item: Item, path: Path) -> Item:
    """A one-article file without a URL is known by its path, whatever its text says now."""
    if isinstance(item, Article) and not item.url:
        return replace(item, id=file_article_id(str(path.resolve())))
    return item


def decode(data: bytes, origin: str = "") -> str | Skip:
    """Text from bytes: UTF-8 (BOM allowed), UTF-16 with a BOM, or a confident charset guess."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            return Skip(origin, f"invalid UTF-16 text at byte offset {exc.start}")
    if b"\x00" in data:
        return Skip(origin, "binary file (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)
    # Valid UTF-8 sequences next to the bad byte mean damaged UTF-8, not another charset:
    # while they outnumber the bad bytes (a cut download, one pasted cp1252 quote), reading
    # the whole file as cp1252 would turn every "€" and "é" into mojibake; replacing the few
    # bad bytes with U+FFFD keeps the rest of the text right.
    runs = len(_UTF8_RUN.findall(data))
    if runs:
        text = data.decode("utf-8-sig", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode())
        if bad <= runs:
            return text
    encoding = None if runs else _guess_charset(data)
    if encoding is None:
        why = f"not valid UTF-8 (first bad byte at offset {offset}) and no confident charset guess"
        return Skip(origin, why)
    return data.decode(encoding)


def _guess_charset(data: bytes) -> str | None:
    """A legacy encoding only when the evidence is unambiguous; None means do not guess."""
    if _plausible_cp1252(data):
        return "cp1252"  # the commonest legacy encoding of western news text
    matches = list(charset_normalizer.from_bytes(data))
    best = min((m.chaos for m in matches), default=1.0)
    close = [m for m in matches if m.chaos <= best + 0.02]
    # Confident = every near-best candidate decodes to the same text.
    return close[0].encoding if best <= 0.1 and len({str(m) for m in close}) == 1 else None


def _plausible_cp1252(data: bytes) -> bool:
    """Mostly ASCII, and every other byte is a Latin letter or typography in Windows-1252."""
    if len(data.translate(None, _ASCII)) > len(data) / 10:
        return False
    try:
        odd = {ch for ch in data.decode("cp1252") if ord(ch) > 127}
    except UnicodeDecodeError:
        return False
    return all(ch in _TYPOGRAPHY or unicodedata.name(ch, "").startswith("LATIN") for ch in odd)


def _read_text(path: Path, limit: int) -> str | Skip:
    """A file's text, refusing a file over the limit before anything is read."""
    origin = str(path)
    try:
        if (size := path.stat().st_size) > limit:
            return Skip(origin, f"file is {size:,} bytes, over the {limit:,}-byte limit")
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        return Skip(origin, f"cannot read the file ({exc.strerror or exc})")
    if len(data) > limit:
        return Skip(origin, f"file grew past the {limit:,}-byte limit while being read")
    return decode(data, origin) if data.strip() else Skip(origin, "empty file")


def _load_json(text: str, origin: str, source: str | None, max_bytes: int) -> Iterator[Item]:
    data = _parse_json(text, origin)
    if isinstance(data, list):
        yield from (_record(r, f"{origin}[{n}]", source, max_bytes) for n, r in enumerate(data))
        if not data:
            yield Skip(origin, "the JSON list holds no records")
    else:
        yield _record(data, origin, source, max_bytes)


def _load_jsonl(path: Path, source: str | None, max_bytes: int) -> Iterator[Item]:
    origin, found, limit = str(path), False, 2 * max_bytes  # JSON escapes can double a text
    try:
        with path.open("rb") as fh:
            if b"\x00" in fh.read(8192):
                yield Skip(origin, "binary file (it contains NUL bytes), not JSON lines")
                return
            fh.seek(0)
            for lineno, line in _bounded_lines(fh, limit):
                where, found = f"{origin}:{lineno}", True
                if line is None:
                    yield Skip(where, f"record line is over the {limit:,}-byte limit")
                else:
                    yield _record(_parse_json(line, where, lineno), where, source, max_bytes)
    except OSError as exc:
        yield Skip(origin, f"cannot read the file ({exc.strerror or exc})")
        return
    if not found:
        yield Skip(origin, "empty file")


def _bounded_lines(fh: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered non-blank lines; None for a line over the limit, skipped without being held."""
    lineno = 0
    while line := fh.readline(limit + 1):
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield lineno, None
        elif line.strip():
            yield lineno, line


def _parse_json(text: str | bytes, origin: str, lineno: int | None = None) -> object:
    """The parsed value, or a Skip naming what is wrong with it (and on which line)."""
    try:
        return json.loads(text.decode("utf-8-sig") if isinstance(text, bytes) else text)
    except UnicodeDecodeError as exc:
        return Skip(origin, f"line {lineno}: not valid UTF-8 at byte {exc.start} of the line")
    except json.JSONDecodeError as exc:
        where = f"line {lineno or exc.lineno}, column {exc.colno}"
        return Skip(origin, f"malformed JSON at {where}: {exc.msg}")
    except RecursionError:
        return Skip(origin, "malformed JSON: nested too deeply")


def _record(rec: object, origin: str, source: str | None, max_bytes: int) -> Item:
    if isinstance(rec, Skip):
        return rec
    if not isinstance(rec, dict):
        return Skip(origin, "record is not a JSON object")
    body = rec.get("body") if rec.get("body") is not None else rec.get("text")
    if isinstance(body, str) and len(body.encode("utf-8", "replace")) > max_bytes:
        return Skip(origin, f"record body is over the {max_bytes:,}-byte limit")
    return article_from_record(rec, origin=origin, source=source)


def _walk(folder: Path) -> Iterator[Path]:
    """Files under a folder in sorted order, hidden ones left out; folder links not followed."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield from (Path(root) / name for name in sorted(files) if not name.startswith("."))
