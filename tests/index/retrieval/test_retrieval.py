"""Retrieval: each report a question names gets evidence; sentence terms come from the index."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from index.records import Article, Passage, article_id
from index.retrieval import fusion, lexical
from index.retrieval import passages as context
from index.retrieval.postings import PostingsFile


def article(source: str, day: int, title: str, body: str) -> Article:
    slug = title.lower().replace(" ", "-")
    url = f"https://{source.lower().replace(' ', '')}.example/{day}/{slug}"
    return Article(
        id=article_id(url, title, body),
        title=title,
        body=body,
        url=url,
        source=source,
        published_at=datetime(2026, 10, day, 12, tzinfo=UTC),
        origin=url,
    )


# Busy days in between: both outlets wrote about Orbix's notes, in the question's own words.
NOISE = [
    article(
        outlet,
        day,
        f"Orbix notes update {day}.{n}",
        f"{outlet} update {n}: the Orbix notes' coupon and maturity were reported "
        f"consistent on day {day}. Investors weighed the coupon, the maturity and the "
        "report on the Orbix notes.",
    )
    for outlet in ("Daily Ledger", "Bond Wire")
    for day in range(4, 9)
    for n in range(3)
]
LEDGER = article(
    "Daily Ledger",
    3,
    "Orbix prices debut bond",
    "Orbix set a 5.25% coupon on its debut notes, sold to pension funds.",
)
WIRE = article(
    "Bond Wire",
    9,
    "Orbix extends debt",
    "Orbix pushed the maturity of the notes out to 2031 after talks with lenders.",
)


def test_each_dated_report_a_question_names_is_retrieved(finnews):
    finnews.ingest([*NOISE, LEDGER, WIRE])
    question = (
        "Was the report from Daily Ledger on October 3, 2026 about the Orbix coupon "
        "consistent with the report from Bond Wire on October 9, 2026 about the maturity "
        "of the Orbix notes?"
    )
    found = [p.article_id for p in finnews.retriever.search(question, 4)]
    assert LEDGER.id in found and WIRE.id in found


def test_sentence_terms_are_read_back_from_the_saved_index(tmp_path):
    file = PostingsFile(tmp_path / "lex.sqlite3")
    file.create()
    file.write([lexical.analyse("c1:0", "Orbix raised money. It sold notes.", "Orbix")], "g1")
    index = lexical.LexicalIndex.open(file)
    assert index.generation == "g1"
    assert index.sentences("c1:0", "ignored") == [
        set(lexical.terms("Orbix raised money.")),
        set(lexical.terms("It sold notes.")),
    ]
    assert index.sentences("unknown", "Loans rose.") == [set(lexical.terms("Loans rose."))]


def passage(chunk_id: str, text: str = "") -> Passage:
    return Passage(
        chunk_id=chunk_id,
        article_id=chunk_id.split(":")[0],
        text=text,
        title="t",
        source="Wire",
        url=f"https://wire.example/{chunk_id}",
        published_at=None,
    )


# Three overlapping chunks of one article (the splitter repeats a sentence at each seam).
CHUNKS = [
    ("a1:0", "Orbix sold notes. The coupon was 5%."),
    ("a1:1", "The coupon was 5%. Demand was strong. Banks led it."),
    ("a1:2", "Banks led it. It matures in 2031."),
]
ARTICLE = (
    "Orbix sold notes. The coupon was 5%. Demand was strong. Banks led it. It matures in 2031."
)


def test_article_text_is_rebuilt_from_overlapping_chunks_in_any_order():
    texts = context.build(reversed(CHUNKS))
    assert texts.texts["a1"] == ARTICLE
    assert [ARTICLE[slice(*texts.chunk_spans[c])] for c, _ in CHUNKS] == [t for _, t in CHUNKS]


def test_passage_is_widened_with_neighbouring_sentences_within_its_word_budget():
    texts = context.build(CHUNKS)
    [wide] = context.widen([passage("a1:1", CHUNKS[1][1])], 1, texts, budget=15)
    assert wide.chunk_id == "a1:1"
    assert wide.text == "The coupon was 5%. Demand was strong. Banks led it. It matures in 2031."
    [same] = context.widen([passage("a1:1", CHUNKS[1][1])], 1, texts, budget=0)
    assert same.text == CHUNKS[1][1]


def test_passages_of_one_article_never_overlap_and_a_shown_chunk_yields_its_place():
    texts = context.build(CHUNKS)
    ranked = [passage("a1:1"), passage("a1:2"), passage("b2:0", "Other news.")]
    out = context.widen(ranked, 2, texts, budget=14)
    assert [p.chunk_id for p in out] == ["a1:1", "b2:0"]  # a1:2 is inside the first passage
    assert out[0].text == "The coupon was 5%. Demand was strong. Banks led it. It matures in 2031."
    assert out[1].text == "Other news."


def test_article_texts_are_read_back_from_the_saved_index(tmp_path):
    file = PostingsFile(tmp_path / "lex.sqlite3")
    file.create()
    analysed = [lexical.analyse(c, t, "Orbix", "Wire") for c, t in CHUNKS]
    file.write(analysed, "g1", texts=lexical.article_texts(CHUNKS))
    articles = lexical.LexicalIndex.open(file).articles(["a1"])
    assert articles.texts["a1"] == ARTICLE
    assert articles.chunk_spans == context.build(CHUNKS).chunk_spans


def scored(chunk_id: str, score: float) -> Passage:
    return replace(passage(chunk_id), score=score)


def test_best_per_article_keeps_each_articles_first_chunk_in_order():
    ids = ["a1:3", "a1:0", "b2:1", "a1:1", "c3:0", "b2:0"]
    assert fusion.best_per_article(ids, 10) == ["a1:3", "b2:1", "c3:0"]
    assert fusion.best_per_article(ids, 2) == ["a1:3", "b2:1"]


def test_diversity_keeps_the_fixed_head_and_counts_its_articles():
    ranked = [scored("a1:0", 1.0), scored("a1:1", 0.9), scored("a1:2", 0.8), scored("b2:0", 0.75)]
    # Without a head, a1's repeats decay below b2; with a1's three chunks fixed, b2 comes next
    # and a1 has no room left (three per article).
    assert [p.chunk_id for p in fusion.diverse(ranked, 3, 0.8, 3)] == ["a1:0", "b2:0", "a1:1"]
    head = fusion.diverse(ranked[:3], 3, 1.0, 3)
    out = fusion.diverse([*head, scored("a1:3", 2.0), ranked[3]], 5, 0.8, 3, fixed=3)
    assert [p.chunk_id for p in out] == ["a1:0", "a1:1", "a1:2", "b2:0"]


def test_a_question_naming_outlets_keeps_its_first_passages_whatever_k(finnews):
    finnews.ingest([*NOISE, LEDGER, WIRE])
    question = "What did Daily Ledger and Bond Wire report about the Orbix notes' coupon?"
    ten = finnews.retriever.search(question, 10)
    six = finnews.retriever.search(question, 6)
    # The last place of a short list may go to a named outlet's report (cover_parts).
    assert [p.chunk_id for p in six[:5]] == [p.chunk_id for p in ten[:5]]
    assert {p.source for p in ten} == {"Daily Ledger", "Bond Wire"}
    assert len({p.article_id for p in ten}) == len(ten) == 10  # short articles: one each


def test_bm25_scores_shared_by_a_questions_lists_match_a_fresh_search(tmp_path):
    rows = [
        (f"a{n}:0", f"Orbix notes {'coupon ' * n}", {"title": "t", "source": s})
        for n, s in ((1, "Wire"), (2, "Ledger"), (3, "Wire"))
    ]
    file = PostingsFile(tmp_path / "lex.sqlite3")
    file.create()
    file.write([lexical.analyse_row(*r) for r in rows], "g1")
    index = lexical.LexicalIndex.open(file)
    words = lexical.terms("Orbix coupon")
    wire = index.mask(None, None, ["Wire"])
    assert index.chunk_ids(index.search(words, 3)) == ["a3:0", "a2:0", "a1:0"]
    assert index.chunk_ids(index.search(words, 3, wire)) == ["a3:0", "a1:0"]
    fresh = lexical.LexicalIndex.open(file)
    assert index.search(lexical.terms("notes"), 3) == fresh.search(lexical.terms("notes"), 3)
