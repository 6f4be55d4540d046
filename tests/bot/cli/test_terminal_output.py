"""Control characters in articles or file names never reach the terminal as controls."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from index.ingest.formats import article_from_record, article_from_text
from tests.conftest import ROOT

ESC = "\x1b]0;owned\x07\x1b[2J"  # set the window title, clear the screen


def finnews(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """This checkout's `finnews` command (python -m), on a hashing-embedder index."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINNEWS_")}
    env |= {"FINNEWS_DATA_DIR": str(data_dir), "FINNEWS_EMBEDDER": "hashing"}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.main", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_control_characters_are_stripped_from_article_text_and_titles():
    body = (
        f"Quillmark Foods{ESC} sold $300 million of senior notes due 2031 on Thursday,\x85"
        "people familiar\x9b with the deal said."
    )
    found = article_from_text(f"Quillmark sells\x1b[31m notes\n\n{body}", origin="t")
    assert found.title == "Quillmark sells[31m notes"
    assert not any(ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F for c in found.body)
    record = article_from_record({"title": f"Notes{ESC}", "body": body}, origin="r")
    assert "\x1b" not in record.title and "\x07" not in record.title


def test_file_names_with_escapes_are_shown_escaped_in_the_ingest_report(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / f"evil{ESC}.bin").write_text("not an article")
    done = finnews(tmp_path / "data", "ingest", str(folder))
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout + done.stderr
    assert "evil\\u001b]0;owned\\u0007" in done.stdout


def test_nonsense_options_are_refused_with_a_message_not_a_traceback(tmp_path):
    for args, says in [
        (["ask", "-k", "0", "Who raised?"], "--top-k must be at least 1"),
        (["ask", "--since", "9999999d", "Who raised?"], "Not a date finnews"),
        (["deals", "--since", "2026-10-05", "--until", "2026-10-01"], "is before --since"),
    ]:
        done = finnews(tmp_path / "data", *args)
        assert done.returncode == 2 and says in done.stderr, (args, done.stderr[-500:])
        assert "Traceback" not in done.stderr
