"""`finnews serve` with a Discord token: the whole process against the fake Discord."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading

import pytest
from discord_fake import DM, TOKEN, message, signed_post
from nacl.signing import SigningKey
from sample_core import open_core

from bot.cli.main import start_chats
from index.errors import UsageError
from tests.conftest import ROOT, free_port

pytest_plugins = ["discord_fake"]


def lines_of(proc: subprocess.Popen[str]) -> queue.Queue[str]:
    """The process's stderr, line by line, as it comes."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def test_serve_runs_the_discord_bot_on_the_gateway_and_over_http(discord_api, tmp_path):
    open_core(tmp_path / "data")
    key, port = SigningKey.generate(), free_port()
    env = os.environ | {
        "FINNEWS_DATA_DIR": str(tmp_path / "data"),
        "FINNEWS_EMBEDDER": "hashing",
        "FINNEWS_DISCORD_BOT_TOKEN": TOKEN,
        "FINNEWS_DISCORD_API_URL": discord_api.api_url,
        "FINNEWS_DISCORD_PUBLIC_KEY": key.verify_key.encode().hex(),
        "FINNEWS_PORT": str(port),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli.main", "serve"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines, said = lines_of(proc), []
        while not any("listening on port" in line for line in said):
            said.append(lines.get(timeout=120))
        text = "".join(said)
        assert "finnews: Discord bot connected to the gateway" in text
        assert "finnews: Discord interactions answered at /discord/interactions" in text
        url = f"http://127.0.0.1:{port}/discord/interactions"
        ping = {"type": 1, "id": "1", "token": "t", "application_id": "1"}
        assert signed_post(url, ping, key) == (200, {"type": 1})
        discord_api.gateway.dispatch(
            "MESSAGE_CREATE",
            message("Who led the Brindlewood Series B?", direct=True, mention=False),
        )
        [post] = discord_api.wait("POST /channels/{channel_id}/messages", timeout=60)
        assert post.params == {"channel_id": DM}
        assert "Halcyon Peak Ventures" in post.body["embeds"][0]["description"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_without_any_bot_token_says_which_to_set(finnews):
    with pytest.raises(UsageError, match="FINNEWS_SLACK_BOT_TOKEN.*FINNEWS_DISCORD_BOT_TOKEN"):
        start_chats(finnews.settings, finnews, None, print)  # type: ignore[arg-type]
