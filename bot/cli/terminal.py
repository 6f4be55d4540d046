"""Output to the terminal with article text's control characters made visible, not obeyed."""

from __future__ import annotations

from typing import Any

from index.text.controls import escape_controls


def show(*values: object, **kw: Any) -> None:
    """print(), with every control character (ESC and the like) written as \\uXXXX."""
    print(*(escape_controls(str(v)) for v in values), **kw)
