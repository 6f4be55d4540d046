"""Discord bot benchmark: first-response latency of interactions, message-to-answer latency over
the gateway, and a burst of 50 questions.

Usage: python bench/discord_bench.py [--interactions 300] [--sequential 100] [--burst 50]
The index is the one FINNEWS_DATA_DIR (and FINNEWS_COLLECTION, FINNEWS_EMBEDDER) name; without
FINNEWS_DATA_DIR the fictional samples are ingested into a temporary folder. Discord is the fake
REST API and gateway of the tests (real servers on 127.0.0.1); the bot runs in this process.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "fakes")]

from discord_fake import (  # noqa: E402
    TOKEN,
    FakeDiscord,
    FakeGateway,
    command,
    message,
    signed_post,
)
from nacl.signing import SigningKey  # noqa: E402
from slack_bench import QUESTIONS, open_core, pct  # noqa: E402

from bot.chat.ledger import open_ledger  # noqa: E402
from bot.database import open_database  # noqa: E402
from bot.discord.app import INTERACTIONS_PATH, create_bot  # noqa: E402
from bot.server import http_server, routes  # noqa: E402
from bot.settings import Settings  # noqa: E402

POST = "POST /channels/{channel_id}/messages"
ORIGINAL = "PATCH /webhooks/{application_id}/{token}/messages/@original"


def first_responses(url: str, key: SigningKey, api: FakeDiscord, n: int) -> None:
    """n signed `/finnews ask` over HTTP, one after another, while earlier ones are answered."""
    ms = []
    for i in range(n):
        asked = command("ask", QUESTIONS[i % len(QUESTIONS)], who=f"14{i:017d}")
        start = time.perf_counter()
        status, first = signed_post(url, asked, key)
        ms.append((time.perf_counter() - start) * 1000)
        assert status == 200 and first["type"] == 4, (status, first)
    t0 = time.perf_counter()
    api.wait(ORIGINAL, n, timeout=600)
    print(
        f"first response over {n} interactions (HTTP, signed): p50 {pct(ms, 50):.2f} ms, "
        f"p99 {pct(ms, 99):.2f} ms, max {max(ms):.2f} ms (then {time.perf_counter() - t0:.1f} s "
        "to fill in all answers)"
    )


def to_answer(gateway: FakeGateway, api: FakeDiscord, n: int) -> None:
    """One DM at a time over the gateway: from dispatching MESSAGE_CREATE to the answer's POST."""
    ms = []
    for i in range(n):
        user = f"15{i:017d}"
        start = time.perf_counter()
        gateway.dispatch(
            "MESSAGE_CREATE",
            message(QUESTIONS[i % len(QUESTIONS)], direct=True, mention=False, author=user),
        )
        [answer] = api.wait(POST, where=lambda c, start=start: c.at > start)
        ms.append((answer.at - start) * 1000)
        api.wait("DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", i + 1)
    print(
        f"MESSAGE_CREATE -> answer posted over {n} questions: p50 {pct(ms, 50):.1f} ms, "
        f"p95 {pct(ms, 95):.1f} ms, max {max(ms):.1f} ms"
    )


def burst(gateway: FakeGateway, api: FakeDiscord, n: int) -> None:
    """n mentions in a channel at once over the gateway: all answered, each exactly once."""
    events = [message(QUESTIONS[i % len(QUESTIONS)], author=f"16{i:017d}") for i in range(n)]
    wanted = {e["id"] for e in events}
    mine = lambda c: c.params.get("channel_id") in wanted  # noqa: E731 (a thread per question)
    start = time.perf_counter()
    for event in events:
        gateway.dispatch("MESSAGE_CREATE", event)
    api.wait(POST, n, where=mine, timeout=600)
    try:  # give a duplicate every chance to show up
        api.wait(POST, n + 1, where=mine, timeout=3)
    except AssertionError:
        pass
    answers = [c for c in api.of(POST) if mine(c)]
    where = [c.params["channel_id"] for c in answers]
    took = [(c.at - start) * 1000 for c in answers]
    print(
        f"burst of {n}: {len(set(where))} answered, {len(where) - len(set(where))} duplicates, "
        f"{len(wanted - set(where))} dropped; last answer after {max(took):.0f} ms, "
        f"p95 {pct(took, 95):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interactions", type=int, default=300)
    parser.add_argument("--sequential", type=int, default=100)
    parser.add_argument("--burst", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        core, index = open_core(work)
        print(f"index: {index}; {core.stats().articles} articles")
        api, gateway = FakeDiscord(), FakeGateway()
        api.gateway = gateway
        key = SigningKey.generate()
        settings = Settings(
            _env_file=None,
            data_dir=work,
            embedder="hashing",
            discord_bot_token=TOKEN,
            discord_api_url=api.api_url,
            discord_public_key=key.verify_key.encode().hex(),
            discord_rate_limit=0,
        )
        bot = create_bot(
            settings,
            core,
            open_ledger(open_database(settings)),
            executor=ThreadPoolExecutor(8, thread_name_prefix="bench"),
        )
        server = http_server(routes(bot.routes), "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}{INTERACTIONS_PATH}"
        try:
            first_responses(url, key, api, args.interactions)
            to_answer(gateway, api, args.sequential)
            burst(gateway, api, args.burst)
        finally:
            server.shutdown()
            bot.close()
            gateway.close()
            api.close()


if __name__ == "__main__":
    main()
