"""The ask question set against PostgreSQL + a Chroma server: what a replica of `serve` does
per chat question (two dedupe claims, a rate count, the thread lookup, ask, recording the
answer), with both services started here on 127.0.0.1.

Usage: python bench/shared_state.py [--limit 1000] [--n 200] [--embedder hashing|minilm]
Prints p50/p95 of the whole turn, of its database part, and of ask alone (target p95 <= 200 ms).
"""

from __future__ import annotations

import argparse
import itertools
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "fakes"), str(ROOT / "bench")]

from ask import REUTERS, pct, questions  # noqa: E402
from postgres_server import start_postgres  # noqa: E402

from bot.chat.guard import RateLimit, Seen  # noqa: E402
from bot.chat.ledger import Entry, Ledger  # noqa: E402
from bot.core import open_finnews  # noqa: E402
from bot.database import open_database  # noqa: E402
from bot.settings import Settings  # noqa: E402
from index.ingest.sources import load_paths  # noqa: E402


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chroma_server(folder: Path, port: int) -> subprocess.Popen[bytes]:
    """`chroma run` on the port, once its heartbeat answers."""
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("chroma run did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=1000, help="Reuters articles to index")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--embedder", default="hashing", choices=["hashing", "minilm"])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="finnews-bench-"))
    port = free_port()
    chroma = chroma_server(folder / "chroma", port)
    postgres = start_postgres()
    try:
        pg = next(postgres)
        settings = Settings(
            _env_file=None,
            data_dir=folder / "replica",
            embedder=args.embedder,
            chroma_host="127.0.0.1",
            chroma_port=port,
            collection="reuters",
            database_url=pg.create(),
        )
        fn = open_finnews(settings)
        t0 = time.perf_counter()
        fn.ingest(itertools.islice(load_paths([REUTERS]), args.limit))
        print(
            f"indexed {fn.stats().chunks} chunks of {args.limit} articles into the Chroma "
            f"server in {time.perf_counter() - t0:.0f} s ({args.embedder} embedder)"
        )
        database = open_database(settings)
        ledger, seen = Ledger(database), Seen(database)
        rate = RateLimit(database, "slack", 1_000_000)
        qs = questions(args.n)
        fn.ask(qs[0])  # warm: the lexical index and the model session
        turn_ms, db_ms, ask_ms = [], [], []
        for n, q in enumerate(qs):
            t0 = time.perf_counter()
            seen.claim(f"slack:event:Ev{n}")
            seen.claim(f"slack:message:C0DEALS:{n}")
            rate.allow(f"U{n % 20}")
            earlier = ledger.thread("C0DEALS", f"{n}.0")
            t1 = time.perf_counter()
            answer = fn.ask(q)
            t2 = time.perf_counter()
            answer_id = secrets.token_hex(8)
            ledger.record(Entry(answer_id, q, answer, f"U{n % 20}", "C0DEALS", f"{n}.0", f"{n}.1"))
            t3 = time.perf_counter()
            del earlier
            turn_ms.append((t3 - t0) * 1000)
            db_ms.append(((t1 - t0) + (t3 - t2)) * 1000)
            ask_ms.append((t2 - t1) * 1000)
        print(f"{len(qs)} questions; PostgreSQL {pg.url().rsplit('@', 1)[-1]}, Chroma :{port}")
        for name, values in (("turn", turn_ms), ("database part", db_ms), ("ask", ask_ms)):
            print(
                f"{name}: p50 {statistics.median(values):.1f} ms, p95 {pct(values, 95):.1f} ms"
                + (" (target p95 <= 200 ms)" if name == "turn" else "")
            )
    finally:
        postgres.close()
        chroma.terminate()
        chroma.wait(timeout=30)


if __name__ == "__main__":
    main()
