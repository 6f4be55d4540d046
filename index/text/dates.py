"""Month names as news text and questions write them, and their numbers."""

from __future__ import annotations

MONTH_NAMES: tuple[str, ...] = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_ABBREVIATIONS: tuple[str, ...] = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
# Lower-cased full name or three-letter abbreviation -> month number (1-12); "sept" is not here,
# as each pattern that reads months says for itself whether it accepts that spelling.
MONTHS: dict[str, int] = {name: n for n, name in enumerate(MONTH_NAMES, 1)}
MONTHS |= {abbreviation: n for n, abbreviation in enumerate(MONTH_ABBREVIATIONS, 1)}
