"""Answer latency on an index (e.g. the Reuters one bench/ingest.py leaves behind).

Usage: python bench/ask.py --data-dir DIR [--collection reuters] [--n 200]
Prints in-process `ask` p50/p95 over N varied questions (process start excluded), retrieval alone,
and the wall time of cold `finnews ask` processes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core import open_finnews  # noqa: E402
from bot.settings import Settings  # noqa: E402

REUTERS = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"
TEMPLATES = [
    "What did {} announce?",
    "How much is involved in {}?",
    "When did {} happen?",
    "Tell me about {}",
    "Who is behind {}, and what are the terms?",
    "{}: what are the figures?",
]


def questions(n: int) -> list[str]:
    """Varied questions phrased around real headlines (lower-cased), fixed seed."""
    rng = random.Random(7)
    titles = [json.loads(line)["title"] for line in REUTERS.open()]
    picked = rng.sample([t for t in titles if len(t.split()) >= 3], n)
    return [rng.choice(TEMPLATES).format(t.lower().title()) for t in picked]


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--collection", default="reuters")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--cold", type=int, default=5)
    args = parser.parse_args()
    fn = open_finnews(Settings(_env_file=None, data_dir=args.data_dir, collection=args.collection))
    qs = questions(args.n)
    fn.ask(qs[0])  # warm: loads the lexical index and the model session
    ask_ms, search_ms, refused = [], [], 0
    for q in qs:
        t0 = time.perf_counter()
        answer = fn.ask(q)
        ask_ms.append((time.perf_counter() - t0) * 1000)
        refused += answer.refused
        t0 = time.perf_counter()
        fn.retriever.search(q, fn.settings.top_k)
        search_ms.append((time.perf_counter() - t0) * 1000)
    print(f"{len(qs)} questions on {fn.stats().chunks} chunks; refused {refused}")
    print(
        f"ask in-process: p50 {statistics.median(ask_ms):.1f} ms, p95 {pct(ask_ms, 95):.1f} ms "
        "(targets 50 / 120)"
    )
    print(
        f"retrieval alone: p50 {statistics.median(search_ms):.1f} ms, "
        f"p95 {pct(search_ms, 95):.1f} ms"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak RSS of this process (index open, {len(qs)} questions asked): {peak:.0f} MiB")
    env = dict(os.environ, FINNEWS_DATA_DIR=str(args.data_dir), FINNEWS_COLLECTION=args.collection)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    finnews = Path(sys.executable).parent / "finnews"
    walls = []
    for q in qs[: args.cold]:
        t0 = time.perf_counter()
        subprocess.run([str(finnews), "ask", q], env=env, check=True, capture_output=True)
        walls.append(time.perf_counter() - t0)
    print(
        f"cold `finnews ask`: median {statistics.median(walls):.2f} s, max {max(walls):.2f} s "
        "(target <= 4 s)"
    )


if __name__ == "__main__":
    main()
