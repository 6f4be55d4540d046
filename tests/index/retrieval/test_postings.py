"""The on-disk lexical index: incremental writes, replaced chunks, merged postings, and BM25
scores equal to Lucene's formula over the chunks alive now."""

from __future__ import annotations

import math

import pytest

from index.retrieval import postings
from index.retrieval.lexical import LexicalIndex, analyse, terms
from index.retrieval.postings import PostingsFile

DOCS = {
    "a:0": "Orbix sold $300 million of senior notes due 2031.",
    "b:0": "Kestrel raised a Series C round of $85 million; Orbix joined.",
    "c:0": "Lenders agreed to extend the term loan of Quillmark Foods.",
    "d:0": "Revenue rose 3.2bn in the quarter, the company said.",
}


@pytest.fixture
def file(tmp_path) -> PostingsFile:
    f = PostingsFile(tmp_path / "lex.sqlite3")
    f.create()
    return f


def bm25(query: str, docs: dict[str, str], k1: float = 1.5, b: float = 0.75) -> dict[str, float]:
    """Lucene's BM25, written out over whole documents."""
    toks = {c: terms(f"\n{t}") for c, t in docs.items()}
    avg = sum(len(t) for t in toks.values()) / len(toks)
    out = {}
    for c, ts in toks.items():
        score = 0.0
        for q in terms(query):
            df = sum(q in t for t in toks.values())
            tf = ts.count(q)
            idf = math.log(1 + (len(toks) - df + 0.5) / (df + 0.5))
            score += idf * tf / (tf + k1 * (1 - b + b * len(ts) / avg))
        out[c] = score
    return out


def ranked(index: LexicalIndex, query: str) -> dict[str, float]:
    hits = index.search(terms(query), 10)
    return dict(zip(index.chunk_ids(hits), [s for _, s in hits], strict=True))


def test_scores_are_lucene_bm25_over_the_chunks_alive_now(file):
    file.write([analyse(c, t) for c, t in DOCS.items()], "g1")
    index = LexicalIndex.open(file)
    want = {c: s for c, s in bm25("Orbix notes million", DOCS).items() if s > 0}
    assert ranked(index, "Orbix notes million") == pytest.approx(want)
    file.write([], "g2", gone_articles=["a"])  # statistics follow the deletion
    rest = {c: t for c, t in DOCS.items() if c != "a:0"}
    want = {c: s for c, s in bm25("Orbix notes million", rest).items() if s > 0}
    assert ranked(index.grown(), "Orbix notes million") == pytest.approx(want)


def test_numbers_keep_their_decimal_point(file):
    file.write([analyse(c, t) for c, t in DOCS.items()], "g1")
    assert list(ranked(LexicalIndex.open(file), "3.2bn")) == ["d:0"]


def test_a_grown_index_reads_only_the_new_segment_and_drops_replaced_chunks(file):
    file.write([analyse("a:0", DOCS["a:0"]), analyse("b:0", DOCS["b:0"])], "g1")
    first = LexicalIndex.open(file)
    file.write([analyse("a:0", "Orbix repaid its green bonds early.")], "g2", ["a"])
    grown = first.grown()
    assert (grown.rows.segment, grown.epoch, grown.count) == (2, first.epoch, 2)
    assert grown.generation == "g2"
    assert list(ranked(grown, "green bonds")) == ["a:0"]
    assert list(ranked(grown, "senior notes")) == []
    assert list(ranked(first, "Kestrel")) == ["b:0"]  # an earlier state still answers


def test_many_small_writes_have_their_postings_merged(file):
    for n in range(3 * postings.MAX_PARTS):
        file.write([analyse(f"x{n}:0", f"Orbix note number {n}")], f"g{n}")
    parts = file._db().execute("SELECT COUNT(*) FROM postings WHERE term = 'orbix'").fetchall()
    assert parts[0][0] <= postings.MAX_PARTS
    index = LexicalIndex.open(file)
    assert len(index.search(terms("Orbix"), 100)) == 3 * postings.MAX_PARTS


def test_filters_by_outlet_and_date_use_the_rows_fields(file):
    file.write(
        [
            analyse("a:0", DOCS["a:0"], source="Daily Ledger", stamp=100),
            analyse("b:0", DOCS["b:0"], source="Bond Wire", stamp=200),
        ],
        "g1",
    )
    index = LexicalIndex.open(file)
    assert index.outlets == ("Bond Wire", "Daily Ledger")
    only = index.mask(None, None, ["bond wire"])
    assert index.chunk_ids(index.search(terms("Orbix million"), 5, only)) == ["b:0"]
    early = index.mask(None, 150)
    assert index.chunk_ids(index.search(terms("Orbix million"), 5, early)) == ["a:0"]
