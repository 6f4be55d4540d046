"""Sentence splitting for answers: every sentence is an exact slice of its passage."""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "inc",
    "corp",
    "co",
    "ltd",
    "plc",
    "llc",
    "st",
    "no",
    "vs",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "approx",
    "est",
    "dept",
    "gov",
    "jr",
    "sr",
}
BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9$€£])|\n+")


def _ends_with_abbreviation(text: str) -> bool:
    word = re.search(
        r"([A-Za-z][A-Za-z.]*)\.?$", text.rstrip()[:-1] if text.rstrip().endswith(".") else ""
    )
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in ABBREVIATIONS or len(token) == 1


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of a text, whitespace trimmed."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in BOUNDARY.finditer(text):
        end = m.start() + (0 if m.group().startswith("\n") else len(m.group().rstrip()))
        if not m.group().startswith("\n") and _ends_with_abbreviation(text[start:end]):
            continue
        out.append((start, end))
        start = m.end()
    out.append((start, len(text)))
    trimmed = []
    for s, e in out:
        piece = text[s:e]
        lead = len(piece) - len(piece.lstrip())
        s, e = s + lead, s + len(piece.rstrip())
        if e > s:
            trimmed.append((s, e))
    return trimmed


def split(text: str) -> list[str]:
    """The sentences of a text, each an exact substring of it."""
    return [text[s:e] for s, e in spans(text)]
