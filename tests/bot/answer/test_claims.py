"""Yes/no questions about what named reports say, over a real core and a small corpus."""

from __future__ import annotations

import json

import pytest

from bot.answer.claims import UNSETTLED, read_claims

OUTLETS = ("northwind gazette", "harbor ledger")
ARTICLES = [
    {
        "title": "Halden bridge reopens after repairs",
        "source": "Northwind Gazette",
        "published_at": "2023-10-02T09:00:00+00:00",
        "url": "https://northwind.example/halden-bridge",
        "body": "The Halden bridge reopened to traffic on Monday after eight months of repairs. "
        "City engineers said the steel deck was replaced and inspected twice. "
        "Commuters welcomed the shorter route across the river.",
    },
    {
        "title": "Tessel mill shuts its doors",
        "source": "Harbor Ledger",
        "published_at": "2023-11-20T09:00:00+00:00",
        "url": "https://harbor.example/tessel-mill",
        "body": "The Tessel paper mill closed permanently on Friday, ending a century of work. "
        "Owners blamed falling demand for newsprint and rising energy prices. "
        "About 300 workers lost their jobs at the mill.",
    },
]


@pytest.fixture(scope="module")
def core(tmp_path_factory):
    """A core (hashing embedder) over two outlets' articles, a month and a half apart."""
    from bot.core import open_finnews
    from bot.settings import Settings
    from index.embed.embedders import HashingEmbedder
    from index.ingest.sources import load_paths

    folder = tmp_path_factory.mktemp("claims")
    corpus = folder / "corpus.json"
    corpus.write_text(json.dumps(ARTICLES), encoding="utf-8")
    fn = open_finnews(
        Settings(_env_file=None, data_dir=folder, embedder="hashing"), HashingEmbedder()
    )
    fn.ingest(load_paths([corpus]))
    return fn


def test_connective_between_reports_claims_their_order():
    q = (
        "Did the Northwind Gazette report on the Halden bridge reopening before the "
        "Harbor Ledger reported that the Tessel mill closed?"
    )
    claims = read_claims(q, OUTLETS)
    assert [s.outlet for s in claims.sides] == list(OUTLETS)
    assert claims.later == ((1, 0),)  # the Ledger's report is claimed to be the later one
    dated = read_claims(
        "Did the Northwind Gazette report published before December 5, 2023 say the bridge "
        "reopened, and did the Harbor Ledger say the mill closed?",
        OUTLETS,
    )
    assert dated.later == ()  # "before <date>" limits a report, it orders none


def test_order_question_is_settled_by_the_articles_dates(core):
    before = core.ask(
        "Did the Northwind Gazette report on the Halden bridge reopening to traffic before "
        "the Harbor Ledger reported that the Tessel paper mill closed permanently?"
    )
    assert before.sentences[0].text.startswith("Yes")
    assert set(before.sentences[0].cites) == {1, 2}
    after = core.ask(
        "Did the Northwind Gazette report on the Halden bridge reopening to traffic after "
        "the Harbor Ledger reported that the Tessel paper mill closed permanently?"
    )
    assert after.sentences[0].text.startswith("No: the Northwind Gazette article came out before")
    assert not after.refused


def test_claim_the_report_contradicts_is_answered_no(core):
    answer = core.ask(
        "Does the Harbor Ledger article suggest that the Tessel paper mill did not close, "
        "while the Northwind Gazette article says the Halden bridge reopened to traffic?"
    )
    assert answer.sentences[0].text.startswith("No: the Harbor Ledger article says otherwise")
    assert any("closed permanently" in s.text for s in answer.sentences[1:])


def test_whether_reports_agree_is_left_unsettled_with_both_sides_quoted(core):
    answer = core.ask(
        "Between the Northwind Gazette report on the Halden bridge reopening to traffic and "
        "the Harbor Ledger report on the Tessel paper mill closing, was there consistency in "
        "the reporting on local infrastructure?"
    )
    assert answer.sentences[0].text == UNSETTLED
    assert not answer.refused
    assert {c.source for c in answer.citations} == {"Northwind Gazette", "Harbor Ledger"}
