"""Loading articles from files and folders, and every kind of bad input as a Skip."""

from __future__ import annotations

import json
import re
import tempfile
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.ingest.sources import article_from_html, article_from_record, canonical_url, load_paths
from index.records import Article, Skip, article_id, file_article_id

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "samples"
BAD = ROOT / "tests" / "data" / "bad"
ARTICLE = (
    "Acme Widgets prices bonds\n\n"
    "Acme Widgets priced 500 million euros of bonds due 2031 with a 4.25% coupon on Tuesday.\n"
)


def load_one(path: Path, **kwargs) -> Article | Skip:
    items = list(load_paths([path], **kwargs))
    assert len(items) == 1, items
    return items[0]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


# --- formats -------------------------------------------------------------------------------


def test_text_file_takes_headline_as_title_and_date_stamp_as_date():
    article = load_one(SAMPLES / "halvorsen-green-bond.txt")
    assert article.title == "Halvorsen Wind to raise €600 million with debut green bond"
    assert article.source == "Capital Wire"  # from the "The post ... appeared first on" footer
    assert article.published_at == datetime(2026, 9, 21, tzinfo=UTC)
    assert article.body.startswith("Halvorsen Wind ASA is raising €600 million")
    assert "appeared first" not in article.body and "September 21, 2026" not in article.body
    assert article.origin == str(SAMPLES / "halvorsen-green-bond.txt")


def test_text_file_without_url_is_known_by_its_path():
    article = load_one(SAMPLES / "orrin-valley-factory.txt")
    assert article.url is None
    assert article.id == file_article_id(str((SAMPLES / "orrin-valley-factory.txt").resolve()))


def test_edited_file_replaces_its_old_version(tmp_path, finnews):
    body = (
        "Quillmark Foods sold $300 million of senior notes due 2031 on Thursday, people "
        "familiar with the deal said."
    )
    path = write(tmp_path, "quillmark.txt", f"Quillmark sells notes\n\n{body}")
    finnews.ingest(load_paths([path]))
    write(tmp_path, "quillmark.txt", f"Quillmark sells notes\n\n{body} They were priced at par.")
    finnews.ingest(load_paths([path]))
    assert finnews.stats().articles == 1
    [(_, text, _)] = list(finnews.store.rows())
    assert text.endswith("priced at par.")


def test_fifo_in_a_folder_is_skipped_not_read(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would block forever
    [item] = list(load_paths([tmp_path]))
    assert item == Skip(str(tmp_path / "pipe.txt"), "not a regular file")


def test_paragraph_breaks_survive_loading():
    article = load_one(SAMPLES / "halvorsen-green-bond.txt")
    paragraphs = article.body.split("\n")
    assert len(paragraphs) == 5 and all(p.strip() == p and p for p in paragraphs)


def test_markdown_front_matter_gives_metadata_and_heading_is_not_repeated():
    article = load_one(SAMPLES / "corvanta-convertible.md")
    assert article.title == "Corvanta Systems prices $450 million of convertible notes due 2031"
    assert article.url == "https://ledgerpost.example/deals/corvanta-convertible-notes"
    assert (article.source, article.author) == ("The Ledger Post", "Priya Raman")
    assert article.published_at == datetime(2026, 10, 7, 21, 40, tzinfo=UTC)
    assert article.body.startswith("Corvanta Systems Inc., the industrial-software maker")
    assert "**" not in article.body and "#" not in article.body and ">" not in article.body
    assert article.id == article_id(article.url, article.title, article.body)


def test_markdown_heading_is_the_title_and_italic_date_line_the_date():
    article = load_one(SAMPLES / "copperline-rights-issue.md")
    assert article.title == "Copperline Telecom launches £250 million rights issue"
    assert article.published_at == datetime(2026, 11, 18, tzinfo=UTC)
    assert article.source == "Capital Wire"
    assert "*" not in article.body


def test_html_page_keeps_article_text_and_metadata_and_drops_chrome():
    article = load_one(SAMPLES / "halvorsen-bond-books.html")
    assert article.title == "Investors pile into Halvorsen Wind's green bond"
    assert (article.source, article.author) == ("Meridian Business Daily", "Tomas Lindqvist")
    assert article.published_at == datetime(2026, 9, 23, 6, 15, tzinfo=UTC)
    assert article.url == "https://meridian-daily.example/markets/halvorsen-green-bond-books"
    assert "more than €2.1 billion" in article.body and "3.875%" in article.body
    for chrome in ["cookies", "Share", "Subscribe", "All rights reserved", "Read more",
                   "Related", "dataLayer", "newsletter", "Home"]:  # fmt: skip
        assert chrome not in article.body, chrome
    assert not article.body.startswith(article.title)


def test_html_given_url_wins_over_the_pages_canonical_link():
    html = (SAMPLES / "brindlewood-series-b.html").read_text()
    article = article_from_html(html, url="https://Mirror.example/b/?utm_source=x", origin="m")
    assert isinstance(article, Article)
    assert article.url == "https://mirror.example/b"
    assert article.origin == "m"


def test_html_with_only_scripts_is_skipped():
    skip = load_one(BAD / "scripts-only.html")
    assert isinstance(skip, Skip) and "no article text" in skip.reason
    assert isinstance(article_from_html("   "), Skip)


def test_jsonl_records_carry_their_metadata():
    items = list(load_paths([SAMPLES / "wire.jsonl"]))
    assert all(isinstance(a, Article) for a in items) and len(items) == 4
    ipo = items[0]
    assert ipo.origin.endswith("wire.jsonl:1")
    assert ipo.title.startswith("Solvaran Biotherapeutics prices IPO")
    assert (ipo.source, ipo.author) == ("Capital Wire", "Marcus Bell")
    assert ipo.published_at == datetime(2026, 10, 14, 23, 10, tzinfo=UTC)
    assert ipo.url == "https://capitalwire.example/ipo/solvaran-prices-ipo"


def test_json_file_with_one_object_or_a_list_is_read(tmp_path):
    record = {"title": "Acme prices bonds", "body": ARTICLE.split("\n\n")[1]}
    one = load_one(write(tmp_path, "one.json", json.dumps(record)))
    assert isinstance(one, Article) and one.title == "Acme prices bonds"
    many = list(load_paths([write(tmp_path, "many.json", json.dumps([record, {"title": "x"}]))]))
    assert isinstance(many[0], Article) and many[0].origin.endswith("many.json[0]")
    assert isinstance(many[1], Skip) and many[1].origin.endswith("many.json[1]")


def test_record_accepts_text_and_date_fields_and_placeholder_author():
    rec = {"title": " Acme  notes ", "text": ARTICLE, "date": "26-FEB-2026 15:01:01.79",
           "author": "None", "url": "", "source": "null"}  # fmt: skip
    article = article_from_record(rec, origin="r", source="Fallback Wire")
    assert isinstance(article, Article)
    assert article.title == "Acme notes" and article.author is None and article.url is None
    assert article.published_at == datetime(2026, 2, 26, 15, 1, 1, 790000, tzinfo=UTC)
    assert article.source == "Fallback Wire"


def test_dates_become_aware_utc():
    rec = {"title": "t", "body": ARTICLE, "published_at": "2026-10-05T09:30:00+02:00"}
    assert article_from_record(rec, origin="r").published_at == datetime(
        2026, 10, 5, 7, 30, tzinfo=UTC
    )
    rec["published_at"] = "2023-11-27 08:45:59.000000000Z"
    assert article_from_record(rec, origin="r").published_at == datetime(
        2023, 11, 27, 8, 45, 59, tzinfo=UTC
    )
    rec["published_at"] = "not a date"
    assert article_from_record(rec, origin="r").published_at is None


def test_wire_signoff_names_the_outlet_of_a_record_without_source():
    body = (
        "Acme Corp said it sold 100 mln dlrs of\nnotes due 1997 with a 9-1/4 pct coupon.\n Reuter"
    )
    rec = {"newid": 7, "title": "ACME SELLS NOTES", "body": body, "date": "26-FEB-1987 15:01:01.79"}
    article = article_from_record(rec, origin="r")
    assert article.source == "Reuters" and "Reuter" not in article.body
    assert article_from_record({**rec, "source": "Other Wire"}, origin="r").source == "Other Wire"


def test_source_argument_fills_only_articles_without_an_outlet():
    items = list(load_paths([SAMPLES], source="Fallback Wire"))
    by_name = {Path(a.origin.split(":")[0]).name: a for a in items if isinstance(a, Article)}
    assert by_name["orrin-valley-factory.txt"].source == "Fallback Wire"
    assert by_name["halvorsen-green-bond.txt"].source == "Capital Wire"
    assert by_name["brindlewood-series-b.html"].source == "Fintrail"


def test_samples_load_as_eleven_articles_and_skip_their_readme():
    items = list(load_paths([SAMPLES]))
    articles = [a for a in items if isinstance(a, Article)]
    assert len(articles) == 11
    assert [s.origin for s in items if isinstance(s, Skip)] == [str(SAMPLES / "README.md")]
    assert all(a.published_at and a.published_at.year == 2026 for a in articles)
    assert len({a.id for a in articles}) == 11


def test_same_url_with_tracking_parameters_gives_one_id():
    rec = {"title": "t", "body": ARTICLE, "url": "https://a.example/x?utm_source=mail&id=3#top"}
    other = {**rec, "url": "HTTPS://A.example/x/?id=3&fbclid=zz", "title": "other"}
    assert article_from_record(rec, origin="a").id == article_from_record(other, origin="b").id


def test_folder_walk_is_recursive_sorted_and_ignores_hidden_files(tmp_path):
    for name in ["b.txt", "a.md", "sub/c.txt", ".hidden.txt", ".git/d.txt", "sub/.e.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(ARTICLE.replace("Acme", name.split("/")[-1][0].upper()))
    origins = [Path(a.origin).relative_to(tmp_path).as_posix() for a in load_paths([tmp_path])]
    assert origins == ["a.md", "b.txt", "sub/c.txt"]


def test_missing_path_is_skipped(tmp_path):
    skip = load_one(tmp_path / "nowhere")
    assert isinstance(skip, Skip) and skip.reason == "no such file or folder"


# --- bad input -----------------------------------------------------------------------------


def test_bad_inputs_folder_yields_a_clear_outcome_per_file():
    outcome = {}
    for item in load_paths([BAD]):
        key = Path(item.origin.split(":")[0]).name
        outcome.setdefault(key, []).append(item.reason if isinstance(item, Skip) else "article")
    assert outcome["empty.txt"] == ["empty file"]
    assert outcome["deals.csv"][0].startswith("unknown file type '.csv'")
    assert outcome["scripts-only.html"][0].startswith("no article text")
    assert outcome["stub.txt"][0].startswith("body too short")
    assert outcome["no-body.json"] == ["record has no 'body' or 'text' string"]
    assert outcome["injection.txt"] == ["article"]


def test_malformed_jsonl_line_is_skipped_naming_it_and_other_lines_load():
    items = list(load_paths([BAD / "malformed.jsonl"]))
    assert [type(i) for i in items] == [Article, Skip, Article]
    assert items[1].origin.endswith("malformed.jsonl:2") and "line 2" in items[1].reason
    assert items[2].author is None and items[2].published_at == datetime(2026, 10, 8, tzinfo=UTC)


def test_injected_instructions_load_as_data_without_citation_markers():
    article = load_one(BAD / "injection.txt")
    assert "Ignore previous instructions" in article.body  # kept as quoted data, not obeyed
    assert not re.search(r"\[\d+\]", article.body)  # cannot forge our [n] citations


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file_is_skipped(tmp_path, content):
    assert load_one(write(tmp_path, "e.txt", content)) == Skip(
        str(tmp_path / "e.txt"), "empty file"
    )


def test_binary_file_is_skipped(tmp_path):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    for name in ["image.txt", "image.html", "image.jsonl"]:
        skip = load_one(write(tmp_path, name, data))
        assert isinstance(skip, Skip) and "binary file" in skip.reason


def test_mostly_utf8_text_with_a_stray_byte_keeps_its_utf8_and_marks_the_byte(tmp_path):
    text = "Café Lumière prices notes\n\nCafé Lumière sold €50m of notes, a 5% coupon, due 2031."
    data = text.encode().replace(b"a 5%", b"\x93a 5%")  # one cp1252 quote pasted in
    article = load_one(write(tmp_path, "mixed.txt", data))
    assert isinstance(article, Article) and article.title == "Café Lumière prices notes"
    assert "€50m" in article.body and "\ufffda 5%" in article.body  # not "â‚¬50m" mojibake


def test_invalid_utf8_is_skipped_naming_the_offset(tmp_path):
    data = "Acme raised €5m from investors in a seed round. ".encode() + b"\xff\xfe\xfd\xfc bad"
    skip = load_one(write(tmp_path, "bad.txt", data))
    offset = data.index(b"\xff")
    assert isinstance(skip, Skip)
    assert f"offset {offset}" in skip.reason and "UTF-8" in skip.reason


def test_windows_1252_text_is_decoded_by_a_confident_guess(tmp_path):
    text = "Café Lumière prices notes\n\nCafé Lumière sold €50m of notes – a 5% coupon – due 2031."
    article = load_one(write(tmp_path, "cp.txt", text.encode("cp1252")))
    assert isinstance(article, Article)
    assert article.title == "Café Lumière prices notes" and "€50m" in article.body


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_marks_are_honoured(tmp_path, encoding):
    article = load_one(write(tmp_path, "bom.txt", ARTICLE.encode(encoding)))
    assert article.title == "Acme Widgets prices bonds"


def test_file_over_max_bytes_is_skipped_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing written
    tracemalloc.start()
    skip = load_one(big)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert isinstance(skip, Skip) and "over the 5,000,000-byte limit" in skip.reason
    assert peak < 1_000_000


def test_oversized_jsonl_records_are_skipped_and_the_rest_load(tmp_path):
    small = json.dumps({"title": "Acme notes", "body": ARTICLE})
    over = json.dumps({"title": "Huge", "body": "word " * 150_000})  # 750 kB body
    path = tmp_path / "wire.jsonl"
    with path.open("w") as fh:
        fh.write(over + "\n")
        fh.write('{"title": "giant", "body": "' + "x" * 12_000_000 + '"}\n')
        fh.write(small + "\n")
    tracemalloc.start()
    items = list(load_paths([path], max_bytes=500_000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [type(i) for i in items] == [Skip, Skip, Article]
    assert "body is over the 500,000-byte limit" in items[0].reason
    assert items[1].origin.endswith(":2") and "line is over" in items[1].reason
    assert peak < 5_000_000  # the 12 MB line was never held whole


def test_json_that_does_not_parse_is_skipped_with_its_position(tmp_path):
    skip = load_one(write(tmp_path, "x.json", '{"title": "a",\n "body": }'))
    assert isinstance(skip, Skip) and "line 2" in skip.reason


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.binary(max_size=600),
    suffix=st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl"]),
)
def test_arbitrary_bytes_never_raise(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"x{suffix}"
        path.write_bytes(data)
        items = list(load_paths([path]))
    assert items and all(isinstance(i, Article | Skip) for i in items)


# --- canonical URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://News.Example.COM/Deals/Acme/?utm_source=x&b=2&a=1#top",
         "https://news.example.com/Deals/Acme?a=1&b=2"),
        ("http://example.com:80/", "http://example.com"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a/", "https://example.com:8443/a"),
        ("https://x.example/p?fbclid=1&gclid=2&utm_medium=m&mc_cid=3", "https://x.example/p"),
        ("https://x.example/p?z=&a=1", "https://x.example/p?a=1&z="),
        ("  https://x.example/p  ", "https://x.example/p"),
        ("not a url", "not a url"),
    ],
)  # fmt: skip
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected


# --- the shared corpora and seeds (skipped without ../shared) ------------------------------


def test_seed_feed_footer_gives_title_and_source(shared_data):
    article = load_one(next((shared_data / "seeds").glob("001_*.txt")))
    assert article.title == "Alibaba to Raise $3.2B for Cloud Expansion via Convertible Notes"
    assert article.source == "CoinCentral"
    assert "appeared first" not in article.body
    assert article.body.startswith("Alibaba Group announced plans to raise US$3.2 billion")


def test_seed_newsletter_page_gives_source_date_and_a_title_from_its_first_sentence(shared_data):
    article = load_one(next((shared_data / "seeds").glob("000_*.txt")))
    assert article.source == "AInvest"
    assert article.published_at == datetime(2025, 12, 29, tzinfo=UTC)
    assert article.title.startswith("In the ever-evolving landscape of global technology")
    assert len(article.title) <= 92
    noise = ["AInvest Newsletter", "free to your inbox", "Dec.29 2025", "Comments",
             "No comments yet", "AI Writing Agent", "His style is"]  # fmt: skip
    assert not [n for n in noise if n in article.body]
    assert not re.search(r"\[\d+\]", article.body)
    assert "$3.2 billion convertible bond issuance—a zero-coupon instrument" in article.body
    assert article.body.endswith("outpace its rivals in the AI era.")


def test_bbc_files_load_with_first_line_as_headline(shared_data):
    items = list(load_paths([shared_data / "bbc-business"], source="BBC"))
    articles = [a for a in items if isinstance(a, Article)]
    assert len(articles) == 510
    assert [Path(s.origin).name for s in items if isinstance(s, Skip)] == ["README.TXT"]
    first = articles[0]
    assert (first.title, first.source) == ("Ad sales boost Time Warner profit", "BBC")
    assert first.body.startswith("Quarterly profits at US media giant TimeWarner jumped 76%")


def test_reuters_lines_load_with_dates_and_signoff_source(shared_data, tmp_path):
    with (shared_data / "reuters21578" / "articles.jsonl").open() as fh:
        head = [next(fh) for _ in range(60)]
    items = list(load_paths([write(tmp_path, "reuters.jsonl", "".join(head))]))
    articles = [a for a in items if isinstance(a, Article)]
    assert len(articles) >= 55
    assert articles[0].title == "BAHIA COCOA REVIEW"
    assert articles[0].published_at == datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC)
    assert articles[0].body.startswith(
        "Showers continued throughout the week in the Bahia cocoa zone"
    )
    assert sum(a.source == "Reuters" for a in articles) >= 55
    assert not any(a.body.rstrip().upper().endswith("REUTER") for a in articles)


@pytest.mark.slow
def test_multihop_corpus_loads_and_cleaning_keeps_every_gold_fact(shared_data):
    corpus = shared_data / "multihop-rag"
    articles = {a.url: a for a in load_paths([corpus / "corpus.json"])}
    assert len(articles) == 609 and all(isinstance(a, Article) for a in articles.values())
    assert all(a.published_at and a.published_at.tzinfo == UTC for a in articles.values())
    assert not any(a.author == "None" for a in articles.values())
    squash = re.compile(r"\s+")
    missing = []
    for query in json.loads((corpus / "queries_dev.json").read_text()):
        for evidence in query["evidence_list"]:
            body = squash.sub("", articles[canonical_url(evidence["url"])].body)
            if squash.sub("", evidence["fact"]) not in body:
                missing.append(evidence["fact"])
    assert missing == []


def test_source_and_date_lines_under_a_plain_text_headline_are_metadata(tmp_path):
    path = tmp_path / "velo.txt"
    path.write_text(
        "Velo.ai lands $42M Series B\nSource: Ledgerline\nDate: 2025-10-08\nURL: https://"
        "ledgerline.example/velo\n\nVelo.ai, the route planner for couriers, said on Wednesday it "
        "had raised $42 million in a Series B round led by Northgate Ventures. Date: the round "
        "closed last week, the company said.\n",
        encoding="utf-8",
    )
    article = load_one(path)
    assert (article.title, article.source) == ("Velo.ai lands $42M Series B", "Ledgerline")
    assert article.published_at == datetime(2025, 10, 8, tzinfo=UTC)
    assert article.url == "https://ledgerline.example/velo"
    assert article.body.startswith("Velo.ai, the route planner") and "Source:" not in article.body
    assert "Date: the round closed" in article.body  # only the lines under the headline count
