"""Retrieval: each report a question names gets evidence; sentence terms come from the index."""

from __future__ import annotations

from datetime import UTC, datetime

from index import lexical
from index.records import Article, article_id


def article(source: str, day: int, title: str, body: str) -> Article:
    slug = title.lower().replace(" ", "-")
    url = f"https://{source.lower().replace(' ', '')}.example/{day}/{slug}"
    return Article(id=article_id(url, title, body), title=title, body=body, url=url, source=source,
                   published_at=datetime(2026, 10, day, 12, tzinfo=UTC), origin=url)


# Busy days in between: both outlets wrote about Orbix's notes, in the question's own words.
NOISE = [article(outlet, day, f"Orbix notes update {day}.{n}",
                 f"{outlet} update {n}: the Orbix notes' coupon and maturity were reported "
                 f"consistent on day {day}. Investors weighed the coupon, the maturity and the "
                 "report on the Orbix notes.")
         for outlet in ("Daily Ledger", "Bond Wire") for day in range(4, 9) for n in range(3)]
LEDGER = article("Daily Ledger", 3, "Orbix prices debut bond",
                 "Orbix set a 5.25% coupon on its debut notes, sold to pension funds.")
WIRE = article("Bond Wire", 9, "Orbix extends debt",
               "Orbix pushed the maturity of the notes out to 2031 after talks with lenders.")


def test_each_dated_report_a_question_names_is_retrieved(finnews):
    finnews.ingest([*NOISE, LEDGER, WIRE])
    question = ("Was the report from Daily Ledger on October 3, 2026 about the Orbix coupon "
                "consistent with the report from Bond Wire on October 9, 2026 about the maturity "
                "of the Orbix notes?")
    found = [p.article_id for p in finnews.retriever.search(question, 4)]
    assert LEDGER.id in found and WIRE.id in found


def test_sentence_terms_are_read_back_from_the_saved_index(tmp_path):
    rows = [("c1", "Orbix raised money. It sold notes.", {"title": "Orbix", "source": "Wire"})]
    lexical.save(lexical.build(rows), tmp_path / "lex", "g1")
    index, generation = lexical.load(tmp_path / "lex")
    assert generation == "g1"
    assert index.sentences("c1", "ignored") == [set(lexical.terms("Orbix raised money.")),
                                                set(lexical.terms("It sold notes."))]
    assert index.sentences("unknown", "Loans rose.") == [set(lexical.terms("Loans rose."))]
