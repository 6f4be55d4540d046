"""Control characters: dropped from article text, made visible on a terminal."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and C1: a terminal obeys them (ESC sequences can move
# the cursor, rewrite the screen or set the window title); no article needs them.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85]")  # vertical tab, form feed, separators, NEL


def strip_controls(text: str) -> str:
    """The text without control characters; those that separate lines become newlines."""
    return CONTROLS.sub("", _BREAKS.sub("\n", text))


def escape_controls(text: str) -> str:
    """The text with each control character shown as \\uXXXX (valid inside JSON strings too)."""
    return CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
