"""Two `finnews serve` processes sharing one PostgreSQL and one Chroma server, each with an
empty data folder, behave as one bot: a Slack retry that reaches the other replica is not
answered twice, a thread follow-up that reaches the other replica is answered in context, and
the poller on the lease holder posts a watch's alert once."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

from news_site import article, rss
from slack_fake import SECRET, TOKEN, envelope, mention, message, signed_post
from typer.testing import CliRunner

from bot.cli.main import app
from bot.core import open_finnews
from bot.settings import Settings
from index.embed.embedders import HashingEmbedder
from index.ingest.sources import load_paths
from tests.conftest import ROOT, SAMPLES, free_port

pytest_plugins = ["slack_fake", "news_site"]
WATCHING = "slack:C0DEALS01"
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


def test_two_replicas_post_an_alert_once_from_the_poller_that_holds_the_lease(
    chroma_server, postgres, fake, site, tmp_path: Path
):
    host, chroma_port = chroma_server
    database = postgres.create()
    shared = {k: v for k, v in os.environ.items() if not k.startswith(("FINNEWS_", "SLACK_"))}
    shared |= {
        "FINNEWS_EMBEDDER": "hashing",
        "FINNEWS_CHROMA_HOST": host,
        "FINNEWS_CHROMA_PORT": str(chroma_port),
        "FINNEWS_COLLECTION": f"alerts{os.getpid()}",
        "FINNEWS_DATABASE_URL": database,
        "FINNEWS_SLACK_BOT_TOKEN": TOKEN,
        "FINNEWS_SLACK_SIGNING_SECRET": SECRET,
        "FINNEWS_SLACK_API_URL": fake.api_url,
        "FINNEWS_FEEDS": json.dumps([site.url("/rss")]),
        "FINNEWS_FEED_INTERVAL": "0.3",
        "FINNEWS_FETCH_POLITENESS": "0",
        "FINNEWS_ALERT_COOLDOWN": "0",
    }
    cli = shared | {"FINNEWS_DATA_DIR": str(tmp_path / "cli")}
    added = CliRunner().invoke(
        app, ["alerts", "add", "Halvorsen Wind", "--channel", WATCHING], env=cli
    )
    assert added.exit_code == 0, added.output
    items: list[tuple[str, str, str]] = []

    def publish(path: str, title: str, text: str, outlet: str) -> None:
        body = [text, "Proceeds will finance the Skarvik offshore wind farm, due in 2028."]
        link = site.serve(path, article(title, body, outlet=outlet, date="2026-09-21T08:00:00Z"))
        items.append((f"tag:{path}", link, title))
        site.serve("/rss", rss(items), kind="application/rss+xml")

    site.serve("/rss", rss([]), kind="application/rss+xml")
    ports = [free_port(), free_port()]
    replicas = [
        serve(shared | {"FINNEWS_DATA_DIR": str(tmp_path / f"r{n}"), "FINNEWS_PORT": str(port)})
        for n, port in enumerate(ports)
    ]
    try:
        for _, lines in replicas:
            wait_listening(lines)
        publish(
            "/bond",
            "Halvorsen Wind to raise €600 million with debut green bond",
            "Halvorsen Wind ASA is raising €600 million through its first green bond, a "
            "ten-year senior unsecured issue that carries a 3.875% annual coupon.",
            "Capital Wire",
        )
        [alert] = fake.wait("chat.postMessage", timeout=60)
        assert alert.body["channel"] == WATCHING.removeprefix("slack:")
        assert "Halvorsen Wind ASA · bond · EUR 600 million" in json.dumps(
            alert.body["blocks"], ensure_ascii=False
        )
        publish(  # the same deal from another outlet: a source of the posted alert
            "/bond-again",
            "Halvorsen Wind sells €600 million green bond",
            "Halvorsen Wind ASA sold €600 million of green bonds on Monday, its first issue in "
            "the format, with a 3.875% coupon, bankers on the deal said.",
            "Quay Street Wire",
        )
        [update] = fake.wait("chat.update", timeout=60)
        assert "Quay Street Wire" in json.dumps(update.body["blocks"], ensure_ascii=False)
        assert len(fake.of("chat.postMessage")) == 1
        listed = CliRunner().invoke(app, ["alerts", "list"], env=cli).output
        assert listed == f"{WATCHING}  Halvorsen Wind (a company): 1 posted\n"
    finally:
        for proc, _ in replicas:
            proc.terminate()
        for proc, _ in replicas:
            proc.wait(timeout=30)
