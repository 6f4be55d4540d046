"""Two `finnews serve` processes sharing one PostgreSQL and one Chroma server, each with an
empty data folder, behave as one bot: a Slack retry that reaches the other replica is not
answered twice, and a thread follow-up that reaches the other replica is answered in context."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

from slack_fake import SECRET, TOKEN, envelope, mention, message, signed_post

from bot.core import open_finnews
from bot.settings import Settings
from index.embed.embedders import HashingEmbedder
from index.ingest.sources import load_paths
from tests.conftest import ROOT, SAMPLES, free_port

pytest_plugins = ["slack_fake"]
CORVANTA = "How much did Corvanta raise in convertible notes?"


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[str], queue.Queue[str]]:
    """A `finnews serve` process of this checkout; its stderr line by line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli.main", "serve"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return proc, lines


def wait_listening(lines: queue.Queue[str]) -> str:
    said: list[str] = []
    while not any("listening on port" in line for line in said):
        said.append(lines.get(timeout=120))
    return "".join(said)


def test_two_replicas_answer_a_retry_once_and_a_follow_up_in_context(
    chroma_server, postgres, fake, tmp_path: Path
):
    host, chroma_port = chroma_server
    collection = f"replicas{os.getpid()}"
    indexer = Settings(
        _env_file=None,
        data_dir=tmp_path / "indexer",
        embedder="hashing",
        chroma_host=host,
        chroma_port=chroma_port,
        collection=collection,
    )
    open_finnews(indexer, HashingEmbedder()).ingest(load_paths([SAMPLES]))
    shared = {k: v for k, v in os.environ.items() if not k.startswith(("FINNEWS_", "SLACK_"))}
    shared |= {
        "FINNEWS_EMBEDDER": "hashing",
        "FINNEWS_CHROMA_HOST": host,
        "FINNEWS_CHROMA_PORT": str(chroma_port),
        "FINNEWS_COLLECTION": collection,
        "FINNEWS_DATABASE_URL": postgres.create(),
        "FINNEWS_SLACK_BOT_TOKEN": TOKEN,
        "FINNEWS_SLACK_SIGNING_SECRET": SECRET,
        "FINNEWS_SLACK_API_URL": fake.api_url,
    }
    ports = [free_port(), free_port()]
    replicas = [
        serve(shared | {"FINNEWS_DATA_DIR": str(tmp_path / f"r{n}"), "FINNEWS_PORT": str(port)})
        for n, port in enumerate(ports)
    ]
    try:
        for _, lines in replicas:
            wait_listening(lines)
        a, b = (f"http://127.0.0.1:{port}/slack/events" for port in ports)
        root = "1790009000.000100"
        event = json.dumps(envelope(mention(CORVANTA, root), "EvR1"))
        assert signed_post(a, event)[0] == 200
        [answer] = fake.wait("chat.postMessage", timeout=60)
        assert answer.body["thread_ts"] == root and "$450 million" in answer.body["text"]
        retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
        assert signed_post(b, event, headers=retry)[0] == 200  # the same signed request
        follow_up = message(
            "When do the notes mature?",
            "1790009000.000200",
            channel="C0DEALS",
            channel_type="channel",
            thread_ts=root,
        )
        assert signed_post(b, json.dumps(envelope(follow_up, "EvR2")))[0] == 200
        fake.wait("chat.postMessage", 2, timeout=60)
        fake.wait("reactions.remove", 2, timeout=30)  # both questions fully handled
        posts = fake.of("chat.postMessage")
        assert [p.body["thread_ts"] for p in posts] == [root, root]  # no second first answer
        assert "15 October 2031" in posts[1].body["text"]  # Corvanta's notes, from the thread
        for n in range(2):  # their conversation state is in PostgreSQL, not in their folders
            assert sorted(p.name for p in (tmp_path / f"r{n}").glob("*.sqlite3")) == []
    finally:
        for proc, _ in replicas:
            proc.terminate()
        for proc, _ in replicas:
            proc.wait(timeout=30)
