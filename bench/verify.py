"""Time the verification layer on realistic model replies over real news passages.

Usage: python bench/verify.py [--n 500] [--corpus ../shared/data/multihop-rag/corpus.json]
Each answer: 6 passages of ~200 words from different articles of the corpus (the samples/
folder when the corpus is absent), and a reply of 5 cited sentences built from their sentences
the way a model writes them (figures reworded: "$3.2 billion" -> "$3.2bn", "15 September 2032"
-> "September 15, 2032", markers after the full stop), plus one sentence with a figure the
passages lack and one citing [9]. Prints the median and p95 of verify.check + building the
Answer per reply, with the passage caches cleared each time (no reuse between answers).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answer import verify  # noqa: E402
from bot.answer.llm import build  # noqa: E402
from index.records import Passage  # noqa: E402
from index.text import sentences  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "multihop-rag" / "corpus.json"
WORDS_PER_PASSAGE = 200


def bodies(corpus: Path) -> list[str]:
    """Article bodies: the corpus's, or the fictional samples'."""
    if corpus.is_file():
        return [r["body"] for r in json.loads(corpus.read_text(encoding="utf-8")) if r["body"]]
    return [p.read_text(encoding="utf-8") for p in (ROOT / "samples").glob("*.txt")]


def window(body: str, rng: random.Random) -> str:
    """About 200 words of an article, from a random sentence on."""
    parts = sentences.split(body)
    start = rng.randrange(max(1, len(parts) - 5))
    out: list[str] = []
    for part in parts[start:]:
        out.append(part)
        if sum(len(p.split()) for p in out) >= WORDS_PER_PASSAGE:
            break
    return " ".join(out)


def reword(text: str) -> str:
    """Figures as a model might rewrite them."""
    text = re.sub(r"(\d) billion", r"\1bn", text)
    text = re.sub(r"(\d) million", r"\1m", text)
    text = re.sub(r"(\d) percent", r"\1%", text)
    return re.sub(r"\b(\d{1,2}) (January|March|June|September|October) (\d{4})", r"\2 \1, \3", text)


def reply(passages: list[str], rng: random.Random) -> str:
    """Five cited sentences from the passages, one invented figure, one unknown citation."""
    picked = []
    for _ in range(5):
        n = rng.randrange(len(passages))
        parts = sentences.split(passages[n])
        figures = [p for p in parts if re.search(r"\d", p)] or parts
        picked.append(f"{reword(rng.choice(figures)).rstrip('.')}. [{n + 1}]")
    picked.insert(2, "The deal was worth $987.65 billion [1].")
    picked.append("Analysts expect more deals [9].")
    return " ".join(picked)


def main() -> None:
    """Print median and p95 per reply."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    rng = random.Random(7)
    texts = bodies(args.corpus)
    times, kept, total = [], 0, 0
    for _ in range(args.n):
        passages = [window(b, rng) for b in rng.sample(texts, 6)]
        records = [
            Passage(f"a{i}:0", f"a{i}", t, f"Title {i}", "Outlet", None, None)
            for i, t in enumerate(passages)
        ]
        text = reply(passages, rng)
        verify.source.cache_clear()
        verify.figures.vouched.cache_clear()
        verify._terms.cache_clear()
        start = time.perf_counter()
        checked = verify.check(text, passages)
        build("q", checked.sentences, records)
        times.append((time.perf_counter() - start) * 1000)
        kept += len(checked.sentences)
        total += len(checked.sentences) + len(checked.dropped)
    q = statistics.quantiles(times, n=100)
    where = "corpus" if args.corpus.is_file() else "samples"
    print(
        f"{args.n} replies over {len(texts)} articles ({where}): "
        f"verification median {statistics.median(times):.2f} ms, p95 {q[94]:.2f} ms, "
        f"max {max(times):.2f} ms; {kept} of {total} sentences kept"
    )


if __name__ == "__main__":
    main()
