"""A synthetic store at scale, and the time to make 1,000 new articles searchable in it.

Usage: python bench/scale.py --data-dir DIR --chunks 100000 [--seed 1]
Chunks are Reuters-21578 sentences recombined at random (six per chunk, two chunks an article
on average), dated over two years, from 20 outlets; their vectors are random unit vectors (the
model is not run: building the store measures the store and the lexical index, not MiniLM).
The store is written through the same path as ingest (Store.replace, then the lexical index
stamped with the store's generation), 64 articles a batch. Then 1,000 more articles are added
the same way and timed until a question finds them. Run bench/ask.py --data-dir DIR
--collection scale afterwards for ask p95 and a cold `finnews ask`.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core import Finnews, open_finnews  # noqa: E402
from bot.settings import Settings  # noqa: E402
from index.embed.embedders import PRECISIONS  # noqa: E402
from index.records import Article, Chunk, article_id  # noqa: E402
from index.retrieval.lexical import terms  # noqa: E402

REUTERS = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"
OUTLETS = [f"Wire {n}" for n in range(20)]
BATCH = 64


class Fake:
    """Random unit vectors under MiniLM's name (so `finnews ask` opens the store with MiniLM)."""

    name, dim, max_tokens = PRECISIONS["fp32"], 384, 254

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def vectors(self, n: int) -> np.ndarray:
        v = self.rng.standard_normal((n, self.dim)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def sentences() -> list[str]:
    out = []
    for line in REUTERS.open():
        out += [s.strip() + "." for s in json.loads(line)["body"].split(". ") if len(s) > 30]
    return out


def articles(rng: random.Random, pool: list[str], n: int, tag: str) -> list[list]:
    """n synthetic articles with their chunks."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        title = f"{tag} zq{i}x: " + " ".join(rng.choice(pool).split()[:8])
        parts = [" ".join(rng.sample(pool, 6)) for _ in range(rng.choice((1, 2, 2, 3)))]
        body = "\n".join(parts)
        a = Article(
            id=article_id(None, title, body),
            title=title,
            body=body,
            url=None,
            source=rng.choice(OUTLETS),
            published_at=start + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)),
            origin=title,
        )
        out.append([a, [Chunk(f"{a.id}:{k}", a.id, k, t) for k, t in enumerate(parts)]])
    return out


def write(fn: Finnews, fake: Fake, batch: list[list], clock: dict[str, float]) -> None:
    """Store and lexical index, as Ingester writes them (vectors given, not embedded)."""
    items = [(a, cs, fake.vectors(len(cs))) for a, cs in batch]
    t0 = time.perf_counter()
    generation = fn.store.replace(items)
    t1 = time.perf_counter()
    fn.lexicon.replace(items, generation)
    clock["store"] = clock.get("store", 0.0) + t1 - t0
    clock["lexical"] = clock.get("lexical", 0.0) + time.perf_counter() - t1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    settings = Settings(_env_file=None, data_dir=args.data_dir, collection="scale")
    fake, rng, pool = Fake(args.seed), random.Random(args.seed), sentences()
    fn = open_finnews(settings, fake)
    have = fn.store.count()
    start, n = time.perf_counter(), 0
    while have < args.chunks:
        batch = articles(rng, pool, BATCH, f"Item {have}")
        write(fn, fake, batch, {})
        have += sum(len(cs) for _, cs in batch)
        n += 1
        if n % 100 == 0:
            rate = (have) / (time.perf_counter() - start)
            print(f"  {have} chunks, {rate:.0f} chunks/s", flush=True)
    print(f"store: {fn.store.count()} chunks (built in {time.perf_counter() - start:.0f} s)")
    fn.lexicon.get()
    new = articles(rng, pool, 1000, f"Fresh{have}")
    start, clock = time.perf_counter(), {}
    for i in range(0, len(new), BATCH):
        write(fn, fake, new[i : i + BATCH], clock)
    written = time.perf_counter() - start
    lex = fn.lexicon.get()
    probe = new[-1][0]
    hits = lex.chunk_ids(lex.search(terms(probe.title.split(":")[0]), 5))
    found = any(h.startswith(probe.id) for h in hits)
    seen = time.perf_counter() - start
    chunks = sum(len(cs) for _, cs in new)
    print(
        f"1,000 new articles ({chunks} chunks, vectors given): written in {written:.2f} s, "
        f"searchable after {seen:.2f} s (target <= 5 s); found: {found}; "
        f"Chroma {clock['store']:.2f} s, lexical {clock['lexical']:.2f} s"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"lexical file: {fn.lexicon.path.stat().st_size / 2**20:.0f} MiB; peak RSS {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()
