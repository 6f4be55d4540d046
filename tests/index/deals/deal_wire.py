"""Fictional wire articles for the deal-rule tests, and the deals the rules read from them."""

from __future__ import annotations

from datetime import UTC, datetime

from index.deals.extract import extract
from index.records import Article

WHEN = datetime(1987, 4, 2, tzinfo=UTC)


def wire(title: str, body: str) -> Article:
    """A wire story dated WHEN."""
    return Article(id="r1", title=title, body=body, published_at=WHEN)


def deals_of(title: str, body: str) -> list[tuple[str, str, float | None]]:
    """(company, kind, amount) of each deal extracted from the story."""
    return [(d.company, d.kind, d.amount) for d in extract(wire(title, body))]
