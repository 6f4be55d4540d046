"""Governments and central banks: borrowers that are not companies, so not company deals."""

from __future__ import annotations

import re

from index.deals import vocab

_COUNTRIES = vocab.words("sovereigns")
_MULTI = frozenset(name for name in _COUNTRIES if " " in name)
# A word of a two-word name is a country alone too ("Korea" of "South Korea"), but for the words
# that name none ("new", "united").
_NAMES = frozenset(w for name in _COUNTRIES for w in name.split()) - frozenset(
    vocab.words("sovereign_name_parts")
)
_GOVERNMENT = re.compile(
    rf"^(?:the\s+)?(?:{vocab.alternation('government_openers')})\b"
    rf"|\b(?:{vocab.alternation('government_endings')})$"
    rf"|\b(?:{vocab.alternation('government_words')}"
    # A fund may be municipal by what it holds: "Colonial Municipal Income Trust".
    r"|municipal\w*(?!\s+(?:[\w-]+\s+)?(?:income|trust|fund|securities|investors?)))\b",
    re.I,
)
_DESCRIPTOR = re.compile(rf"\b(?:{vocab.alternation('government_descriptors')})\s+of\s*$", re.I)


def is_government_descriptor(text: str) -> bool:
    """Whether words before a name make it a government ("the federal state of ...")."""
    return bool(_DESCRIPTOR.search(text))


def is_sovereign(name: str) -> bool:
    """Whether a borrower's name is a country, a government body or a central bank."""
    key = " ".join(name.lower().split())
    return key in _MULTI or key in _NAMES or bool(_GOVERNMENT.search(key))
