"""The deal rules' word lists, read from the data files in index/deals/vocab/.

A file holds one entry a line; "#" starts a comment. A ".txt" file is a list of words or phrases,
a ".tsv" file pairs a word with its value (a tab between them). In a regex built from a list each
entry is literal, except that a space matches any run of whitespace ("no plans" also matches
"no  plans" across a wire's line break) and a final "*" any ending of the word ("issu*" matches
"issue", "issued", "issuing").
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files


def _lines(filename: str) -> list[str]:
    text = (files("index.deals") / "vocab" / filename).read_text(encoding="utf-8")
    entries = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [entry for entry in entries if entry]


@cache
def words(name: str) -> tuple[str, ...]:
    """The entries of vocab/<name>.txt, in file order."""
    return tuple(_lines(f"{name}.txt"))


@cache
def pairs(name: str) -> dict[str, str]:
    """vocab/<name>.tsv as a mapping from each line's first field to its second (do not modify)."""
    out: dict[str, str] = {}
    for line in _lines(f"{name}.tsv"):
        key, value = line.split("\t")
        out[key.strip()] = value.strip()
    return out


@cache
def alternation(name: str) -> str:
    """A regex alternation of vocab/<name>.txt, longest entry first (no prefix cuts one short)."""
    return "|".join(_pattern(entry) for entry in sorted(words(name), key=len, reverse=True))


def _pattern(entry: str) -> str:
    stem = entry.removesuffix("*")
    literal = r"\s+".join(re.escape(part) for part in stem.split(" "))
    return literal + (r"\w*" if stem != entry else "")
