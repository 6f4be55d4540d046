"""Slack bot benchmark: ack latency, event-to-answer latency, and a burst of 50 questions.

Usage: python bench/slack_bench.py [--events 500] [--sequential 100] [--burst 50]
                                  [--half-open 200]
The burst runs twice: alone, then beside --half-open connections that sent part of a request
and hang (slowloris); both print ack p99 and answer p95 (targets: <= 100 ms, <= 1.5 s).
The index is the one FINNEWS_DATA_DIR (and FINNEWS_COLLECTION, FINNEWS_EMBEDDER) name; without
FINNEWS_DATA_DIR the fictional samples are ingested into a temporary folder. Slack is the fake
Web API of the tests (a real HTTP server on 127.0.0.1); the app runs in this process.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "fakes")]

from slack_bolt import BoltRequest  # noqa: E402
from slack_fake import SECRET, TOKEN, FakeSlack, envelope, mention  # noqa: E402
from slack_sdk.signature import SignatureVerifier  # noqa: E402

from bot.chat.ledger import open_ledger  # noqa: E402
from bot.core import Finnews, open_finnews  # noqa: E402
from bot.database import open_database  # noqa: E402
from bot.server import http_server, routes  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.slack.app import EVENTS_PATH, answer_threads, create_app, slack_wsgi  # noqa: E402
from index.ingest.sources import load_paths  # noqa: E402

QUESTIONS = [
    "How much did Corvanta raise in convertible notes?",
    "Who led the Brindlewood Series B?",
    "What is the coupon on the Halvorsen green bond?",
    "Which company priced an IPO?",
    "Which companies announced a share buyback?",
    "Who arranged the term loan?",
    "How much did the rights issue raise?",
    "Which company sold bonds last month?",
    "What did the company say it would use the proceeds for?",
    "Who raised venture funding?",
    "Which banks underwrote the offering?",
    "What was the size of the private placement?",
]


def pct(values: list[float], q: int) -> float:
    """The q-th percentile (inclusive method) of the values."""
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def open_core(work: Path) -> tuple[Finnews, str]:
    """The index named by the environment, or the samples ingested into `work`."""
    if os.environ.get("FINNEWS_DATA_DIR"):
        settings = Settings()
        return open_finnews(settings), f"{settings.data_dir} ({settings.collection})"
    settings = Settings(data_dir=work / "index")
    core = open_finnews(settings)
    core.ingest(load_paths([ROOT / "samples"]))
    return core, "samples/"


def signed(body: str) -> BoltRequest:
    """An Events API request as it arrives over HTTP, signed now."""
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    return BoltRequest(
        body=body,
        headers={
            "content-type": ["application/json"],
            "x-slack-request-timestamp": [stamp],
            "x-slack-signature": [signature],
        },
    )


def ack_latency(app, fake: FakeSlack, n: int) -> None:
    """dispatch() of n signed mentions, in process, while earlier ones are being answered."""
    ms = []
    for i in range(n):
        body = json.dumps(
            envelope(
                mention(QUESTIONS[i % len(QUESTIONS)], f"1800000000.{i:06d}", user=f"U{i:05d}"),
                f"EvAck{i}",
            )
        )
        request = signed(body)
        start = time.perf_counter()
        response = app.dispatch(request)
        ms.append((time.perf_counter() - start) * 1000)
        assert response.status == 200, response.status
    t0 = time.perf_counter()
    fake.wait("chat.postMessage", n, timeout=600)
    print(
        f"ack latency over {n} events: p50 {pct(ms, 50):.2f} ms, p99 {pct(ms, 99):.2f} ms, "
        f"max {max(ms):.2f} ms (then {time.perf_counter() - t0:.1f} s to post all answers)"
    )


def post(url: str, body: str) -> int:
    """Send a signed event over HTTP; the status."""
    import urllib.request

    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    request = urllib.request.Request(
        url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def to_answer(url: str, fake: FakeSlack, n: int) -> None:
    """One question at a time over HTTP: from sending the event to chat.postMessage arriving."""
    ms = []
    for i in range(n):
        ts = f"1810000000.{i:06d}"
        body = json.dumps(envelope(mention(QUESTIONS[i % len(QUESTIONS)], ts), f"EvSeq{i}"))
        start = time.perf_counter()
        post(url, body)
        [answer] = fake.wait(
            "chat.postMessage", where=lambda c, ts=ts: c.body.get("thread_ts") == ts
        )
        ms.append((answer.at - start) * 1000)
    print(
        f"event -> chat.postMessage over {n} questions: p50 {pct(ms, 50):.1f} ms, "
        f"p95 {pct(ms, 95):.1f} ms, max {max(ms):.1f} ms"
    )


def send_all(url: str, bodies: list[str]) -> list[tuple[int, float, float]]:
    """POST every body at once from its own thread: (status, start, ack ms) each. perf_counter
    is CLOCK_MONOTONIC on Linux, so starts compare with the fake Slack's clock."""
    gate = threading.Barrier(len(bodies))

    def send(body: str) -> tuple[int, float, float]:
        gate.wait()  # all requests leave together
        start = time.perf_counter()
        status = post(url, body)
        return status, start, (time.perf_counter() - start) * 1000

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(send, bodies))


def half_open(url: str, n: int) -> list[socket.socket]:
    """n connections that send the start of a signed POST and then nothing more."""
    port = int(url.split(":")[2].split("/")[0])
    held = []
    for _ in range(n):
        conn = socket.create_connection(("127.0.0.1", port), timeout=5)
        conn.sendall(b"POST /slack/events HTTP/1.1\r\nHost: bench\r\nContent-Length: 900\r\n")
        held.append(conn)
    return held


def burst(url: str, fake: FakeSlack, n: int, label: str, first_ts: int) -> None:
    """n questions sent at once over HTTP: all answered, each exactly once."""
    stamps = [f"{first_ts}.{i:06d}" for i in range(n)]
    bodies = [
        json.dumps(
            envelope(
                mention(QUESTIONS[i % len(QUESTIONS)], ts, user=f"UB{i:04d}"), f"Ev{first_ts}-{i}"
            )
        )
        for i, ts in enumerate(stamps)
    ]
    wanted = set(stamps)
    mine = lambda c: c.body.get("thread_ts") in wanted  # noqa: E731
    # The senders run in another process: 50 client threads sharing this process's GIL with
    # the server would be timed as server latency.
    with multiprocessing.get_context("spawn").Pool(1) as senders:
        sent = senders.apply(send_all, (url, bodies))
    answers = fake.wait("chat.postMessage", n, where=mine, timeout=600)
    try:  # give a duplicate every chance to show up
        fake.wait("chat.postMessage", n + 1, where=mine, timeout=3)
    except AssertionError:
        pass
    answers = [c for c in fake.of("chat.postMessage") if mine(c)]
    per = sorted(c.body["thread_ts"] for c in answers)
    first = min(start for _, start, _ in sent)
    took = [(c.at - first) * 1000 for c in answers]
    acks = [ms for _, _, ms in sent]
    print(
        f"burst of {n} {label}: {sum(s == 200 for s, _, _ in sent)} acked "
        f"(ack p50 {pct(acks, 50):.1f} ms, p99 {pct(acks, 99):.1f} ms), {len(set(per))} "
        f"answered, {len(per) - len(set(per))} duplicates, {len(wanted - set(per))} dropped; "
        f"answer p50 {pct(took, 50):.0f} ms, p95 {pct(took, 95):.0f} ms, "
        f"last {max(took):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--sequential", type=int, default=100)
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument("--half-open", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        core, where = open_core(Path(work))
        stats = core.stats()
        print(
            f"index: {where}: {stats.articles} articles, {stats.chunks} chunks; "
            f"embedder {core.embedder.name}; {os.cpu_count()} CPUs"
        )
        fake = FakeSlack()
        settings = Settings(
            data_dir=Path(work),
            slack_bot_token=TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
            slack_rate_limit=0,
        )
        workers = ThreadPoolExecutor(
            answer_threads(settings), thread_name_prefix="finnews"
        )  # as serve()
        app = create_app(settings, core, open_ledger(open_database(settings)), executor=workers)
        core.ask(QUESTIONS[0])  # warm: lexical index, model session
        server = http_server(routes({EVENTS_PATH: slack_wsgi(app, SECRET)}), "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/slack/events"
        ack_latency(app, fake, args.events)
        to_answer(url, fake, args.sequential)
        burst(url, fake, args.burst, "alone", 1820000000)
        held = half_open(url, args.half_open)
        burst(url, fake, args.burst, f"beside {len(held)} half-open connections", 1830000000)
        for conn in held:
            conn.close()
        server.server_close()
        workers.shutdown(wait=True)
        fake.close()


if __name__ == "__main__":
    main()
