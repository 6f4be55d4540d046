"""Draw a new, unlabelled split for deal labelling: Reuters articles, or a folder of BBC business
text files (prints JSON lines)."""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.ingest.sources import article_from_record  # noqa: E402
from index.records import Article  # noqa: E402

FINANCING_TITLE = re.compile(
    r"\b(NOTES?|DEBENTURES?|BONDS?|EUROBONDS?|CONVERTIBLE|OFFERING|INITIAL PUBLIC|RIGHTS ISSUE"
    r"|BUY ?BACK|REPURCHASE|CREDIT FACILITY|CREDIT LINE|LOANS?|FACILITY|REVOLVING)\b"
)
OTHER_TOPICS = {"earn", "acq", "interest", "money-fx"}
LABELS = ROOT / "tests" / "data" / "deal_labels.jsonl"


# A modern business story names its deal in the headline or the first paragraph, in today's
# words ("float", "IPO", "share sale"); Reuters' 1987 headlines spell it out in capitals.
MODERN_FINANCING = re.compile(
    r"\b(?:bonds?|notes|loans?|IPO|flotation|float(?:ed|ing)?\s+on|share\s+(?:offer|issue|sale)"
    r"|rights\s+issue|buy\s*-?\s*back|repurchase|raised?|raising|fundraising|credit\s+(?:facility"
    r"|line)|convertible|refinanc\w*|listing)\b",
    re.I,
)


def _records(corpus: Path) -> list[dict]:
    """The corpus's records: Reuters JSON lines, or a folder of text files whose first line is
    the headline (BBC business), numbered by file name."""
    if not corpus.is_dir():
        return [json.loads(line) for line in corpus.open()]
    out = []
    for path in sorted(corpus.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8", errors="replace").partition("\n")
        out.append(
            {
                "file": f"{corpus.name}/{path.name}",
                "newid": int(path.stem),
                "title": title.strip(),
                "body": body,
            }
        )
    return out


def _lede(record: dict) -> str:
    return (record.get("body") or "").strip().split("\n")[0]


def main() -> None:
    """Print `--financing` headline-matched and `--other` articles not yet labelled."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", default="../shared/data/reuters21578/articles.jsonl")
    parser.add_argument("--split", required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--financing", type=int, default=36)
    parser.add_argument("--other", type=int, default=10)
    parser.add_argument(
        "--exclude",
        type=Path,
        action="append",
        default=[],
        help="draw records (JSON lines) of a split drawn but not yet labelled",
    )
    args = parser.parse_args()
    labelled = {
        json.loads(line)["newid"]
        for path in [LABELS, *args.exclude]
        for line in path.open()
        if line.strip()
    }
    pools: dict[str, list[dict]] = {"financing-title": [], "other": []}
    folder = Path(args.corpus).is_dir()  # today's stories, not Reuters
    records = _records(Path(args.corpus))
    # Reuters repeats some stories verbatim: a copy of a labelled article is not unseen.
    seen_bodies = {(r.get("body") or "").strip() for r in records if r["newid"] in labelled}
    for record in records:
        body = (record.get("body") or "").strip()
        if (
            record["newid"] in labelled
            or body in seen_bodies
            or not isinstance(article_from_record(record, origin="draw"), Article)
        ):
            continue  # the loader skips it (too short, no text): it can't hold a deal
        seen_bodies.add(body)
        title = record.get("title") or ""
        if FINANCING_TITLE.search(title) or (
            folder and MODERN_FINANCING.search(f"{title}\n{_lede(record)}")
        ):
            pools["financing-title"].append(record)
        elif folder or OTHER_TOPICS & set(record.get("topics") or []):
            pools["other"].append(record)
    rng = random.Random(args.seed)
    financing = rng.sample(
        pools["financing-title"], min(args.financing, len(pools["financing-title"]))
    )
    drawn = [(f"{args.split}-financing-title", r) for r in financing]
    drawn += [(f"{args.split}-other", r) for r in rng.sample(pools["other"], args.other)]
    for source, record in drawn:
        print(
            json.dumps(
                {
                    "file": record.get("file", "reuters21578/articles.jsonl"),
                    "newid": record["newid"],
                    "title": record["title"],
                    "split": args.split,
                    "drawn_from": source,
                }
            )
        )


if __name__ == "__main__":
    main()
