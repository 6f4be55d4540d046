"""Throughput, query latency and peak memory of the ONNX MiniLM embedder.

Run: python -m bench.embedder [--threads N] [--cache-dir DIR] [--precision fp32|int8|both]
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path

import numpy as np

from bot.settings import Settings
from index.embed.embedders import BATCH, OnnxEmbedder, locate_model_dir

WORDS = (
    "the company said it had priced a senior unsecured bond offering of $750 million due 2031 "
    "with a coupon of 5.25% and would use the proceeds to refinance its term loan and revolving "
    "credit facility shares rose after investors welcomed the convertible notes while analysts "
    "said the initial public offering valued the startup at $2.4 billion in a funding round led "
    "by venture capital firms including sequoia and accel the bank arranged syndicated loans for "
    "the buyout and the board approved a share repurchase programme of up to 10% of its stock "
    "rating agencies moody's and s&p kept their outlook stable citing lower leverage and cash flow"
).split()


def texts(n: int, words: int, seed: int) -> list[str]:
    """n pseudo-news texts of about `words` words each, fixed by seed."""
    rng = random.Random(seed)
    return [" ".join(rng.choices(WORDS, k=rng.randint(words - 10, words + 10))) for _ in range(n)]


def throughput(embedder: OnnxEmbedder, batch: list[str]) -> tuple[float, float]:
    """(texts per second, mean wordpieces per text) for one embed() call over the batch."""
    embedder.embed(batch[:BATCH])  # warm-up: first runs allocate onnxruntime's buffers
    start = time.perf_counter()
    embedder.embed(batch)
    rate = len(batch) / (time.perf_counter() - start)
    return rate, float(np.mean([embedder.count_tokens(t) for t in batch]))


def query_latency(embedder: OnnxEmbedder, queries: list[str]) -> tuple[float, float]:
    """(p50, p95) milliseconds of embed_query, one query at a time."""
    embedder.embed_query(queries[0])
    times = []
    for query in queries:
        start = time.perf_counter()
        embedder.embed_query(query)
        times.append((time.perf_counter() - start) * 1000)
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime intra-op threads")
    parser.add_argument("--cache-dir", type=Path, default=None, help="where the export is kept")
    parser.add_argument("-n", type=int, default=500, help="texts per throughput run")
    parser.add_argument("--precision", choices=["fp32", "int8", "both"], default="both")
    args = parser.parse_args()
    settings = Settings()
    model_dir = settings.model_dir or locate_model_dir()
    cache = args.cache_dir or settings.model_cache
    precisions = ["fp32", "int8"] if args.precision == "both" else [args.precision]
    embedders = {}
    for precision in precisions:
        start = time.perf_counter()
        embedders[precision] = OnnxEmbedder(model_dir, cache, args.threads, precision)
        print(f"{precision} open (export/quantise if absent + session): ", end="")
        print(f"{time.perf_counter() - start:.2f} s")
        run(embedders[precision], args.n)
    if len(embedders) == 2:
        sample = texts(200, 60, seed=3)
        cosine = np.sum(embedders["fp32"].embed(sample) * embedders["int8"].embed(sample), axis=1)
        print(
            f"cosine fp32 vs int8 over 200 texts: mean {cosine.mean():.4f}, min {cosine.min():.4f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak RSS: {peak:.0f} MiB")


def run(embedder: OnnxEmbedder, n: int) -> None:
    """Throughput and latency figures of one embedder."""
    for words in (60, 200):
        rate, pieces = throughput(embedder, texts(n, words, seed=words))
        print(
            f"  {n} texts of ~{words} words (~{pieces:.0f} wordpieces, batch {BATCH}): "
            f"{rate:.1f} texts/s"
        )
    p50, p95 = query_latency(embedder, texts(200, 12, seed=7))
    print(f"  query latency over 200 queries of ~12 words: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
