"""The `finnews` command as a user runs it: ingest, ask, stats, and bad input end to end."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, SAMPLES

FINNEWS = Path(sys.executable).parent / "finnews"


def run(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINNEWS_")}
    env |= {"FINNEWS_DATA_DIR": str(data_dir), "FINNEWS_EMBEDDER": "hashing"}
    proc = subprocess.run(
        [str(FINNEWS), *args], env=env, capture_output=True, text=True, timeout=120
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    run(tmp_path, "ingest", str(SAMPLES))
    return tmp_path


def snapshot(data_dir: Path) -> dict[str, str]:
    from bot.core import open_finnews
    from bot.settings import Settings
    from index.embed.embedders import HashingEmbedder

    fn = open_finnews(
        Settings(_env_file=None, data_dir=data_dir, embedder="hashing"), HashingEmbedder()
    )
    return {chunk_id: text for chunk_id, text, _ in fn.store.rows()}


def test_ask_prints_cited_answer_and_sources(data_dir):
    out = run(data_dir, "ask", "How much is Halvorsen Wind raising with its green bond?").stdout
    assert "[1]" in out and "Sources" in out and "Halvorsen" in out


def test_ask_json_has_the_same_content(data_dir):
    data = json.loads(run(data_dir, "ask", "Halvorsen green bond coupon", "--json").stdout)
    assert data["sources"] and data["sentences"]
    assert {n for s in data["sentences"] for n in s["cites"]} <= {s["n"] for s in data["sources"]}


def test_stats_counts_articles(data_dir):
    data = json.loads(run(data_dir, "stats", "--json").stdout)
    assert data["articles"] >= 10 and data["chunks"] >= data["articles"] and data["first"]


def test_bad_inputs_are_skipped_with_reasons_and_store_unchanged(data_dir, tmp_path):
    before = snapshot(data_dir)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "latin.txt").write_bytes(b"Title\n\xff\xfe\xfa broken \x80\x81 bytes " * 3)
    with open(bad / "huge.txt", "wb") as f:
        f.truncate(50 * 1024 * 1024)
    (bad / "feed.jsonl").write_text(
        '{"title": "Good one", "body": "Wexford Mills sold 80 million dollars of bonds '
        'due 2033 to insurers."}\n'
        '{"title": "broken", "body": \n'
    )
    (bad / "scripts.html").write_text("<html><script>var a=1;</script><script>x()</script></html>")
    proc = run(data_dir, "ingest", str(bad))
    out = proc.stdout
    for name in (
        "empty.txt",
        "binary.txt",
        "latin.txt",
        "huge.txt",
        "feed.jsonl:2",
        "scripts.html",
    ):
        assert f"skipped {bad / name}" in out or name in out, (name, out)
    assert "added 1" in out
    after = snapshot(data_dir)
    assert {k: v for k, v in after.items() if k in before} == before


def test_same_article_under_two_urls_and_injection(data_dir, tmp_path):
    body = "Glenmoor Dairy agreed a 35 million pound loan with two banks, the cooperative said."
    recs = [
        {"title": "Glenmoor loan", "body": body, "url": "https://one.example/glenmoor"},
        {
            "title": "Glenmoor loan",
            "body": body,
            "url": "https://two.example/glenmoor?utm_source=x",
        },
    ]
    (tmp_path / "twice.jsonl").write_text("\n".join(json.dumps(r) for r in recs))
    out = run(data_dir, "ingest", str(tmp_path / "twice.jsonl")).stdout
    assert "added 1" in out and "same text" in out
    shutil.copy(DATA / "bad" / "injection.txt", tmp_path / "inj.txt")
    run(data_dir, "ingest", str(tmp_path / "inj.txt"))
    answer = run(data_dir, "ask", "How large is the Glenmoor Dairy loan?").stdout
    assert "35 million" in answer


def test_user_errors_are_short_messages(data_dir):
    proc = run(data_dir, "ingest", "/no/such/path", check=False)
    assert proc.returncode == 2 and "No such file" in proc.stderr and "Traceback" not in proc.stderr
    proc = run(data_dir, "ask", "x", "--since", "yesterday-ish", check=False)
    assert proc.returncode == 2 and "Not a date" in proc.stderr
