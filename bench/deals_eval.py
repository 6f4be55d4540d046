"""Deal extraction quality on the hand-labelled Reuters set (tests/data/deal_labels.jsonl).

Usage: python bench/deals_eval.py [--labels FILE] [--split dev|heldout|...|all] [--quiet]
                                  [--threshold N]
Prints precision and recall of company + kind + amount, overall and per kind, then every miss
and false positive with the article it came from. Targets: precision >= 0.90, recall >= 0.80.
The "dev" labels were used while writing the rules; the "heldout" ones only for scoring.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.eval.deals import Label, Score, load_labels, parties_found, score  # noqa: E402
from index.deals.confidence import THRESHOLD  # noqa: E402
from index.deals.extract import extract  # noqa: E402
from index.ingest.sources import article_from_record, load_file  # noqa: E402
from index.records import DEAL_KINDS, FINANCING_KINDS, Article  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
LABELS = ROOT / "tests" / "data" / "deal_labels.jsonl"
# The splits in the order they were labelled (see tests/data/DEAL_LABELS.md).
SPLITS = (
    "dev",
    "dev2",
    "heldout",
    "final",
    "blind4",
    "blind5",
    "blind6",
    "blind7",
    "blind8",
    "blind9",
    "blind10",
    "blind11",
    "blind12",
    "blind13",
    "blind14",
    "blind15",
    "blind16",
    "blind17",
    "blind18",
    "blind19",
    "blind20",
    "blind21",
    "blind22",
    "blind23",
    "blind24",
    "blind25",
    "blind26",
    "blind27",
)


def labelled_articles(
    labels: list[Label], shared: Path = SHARED, here: Path | None = None
) -> dict[int, Article]:
    """The labelled articles by Reuters NEWID (a BBC story or a written article by its file
    number), each read with the project's own loader. A file is looked for beside the labels
    (`here`: the written modern sets) and then in the shared corpora."""
    wanted = {label.newid for label in labels}
    out: dict[int, Article] = {}
    for file in sorted({label.file for label in labels}):
        path = here / file if here and (here / file).exists() else shared / file
        if path.suffix == ".txt":  # one story a file, numbered by its name ("007-velo.txt")
            item = next(load_file(path), None)
            if isinstance(item, Article):
                out[int(path.stem.split("-")[0])] = item
            continue
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                rec = json.loads(line) if line.strip() else {}
                if rec.get("newid") in wanted:
                    item = article_from_record(rec, origin=f"{path}:{lineno}")
                    if isinstance(item, Article):
                        out[rec["newid"]] = item
    if missing := wanted - set(out):
        raise SystemExit(f"labelled articles not found in the corpus: {sorted(missing)}")
    return out


def report(result: Score, quiet: bool = False) -> None:
    """Print the figures (financing deals; acquisitions apart) and, unless quiet, every miss and
    false positive."""
    financing = result.only(FINANCING_KINDS)
    bought = result.only(["acquisition"])
    tp, fn, fp = len(financing.matched), len(financing.missed), len(financing.extra)
    print(f"financing deals: {tp} matched, {fn} missed, {fp} false positives")
    print(
        f"precision {financing.precision():.3f} (target >= 0.85 modern, 0.90 Reuters), "
        f"recall {financing.recall():.3f} (target >= 0.75 modern, 0.80 Reuters)"
    )
    for kind in DEAL_KINDS:
        n_gold = sum(1 for _, e, _ in result.matched if e.kind == kind)
        n_gold += sum(1 for _, e in result.missed if e.kind == kind)
        n_pred = n_gold - sum(1 for _, e in result.missed if e.kind == kind)
        n_pred += sum(1 for _, d in result.extra if d.kind == kind)
        if n_gold or n_pred:
            print(
                f"  {kind:<12} labelled {n_gold:>3}  extracted {n_pred:>3}  "
                f"precision {result.precision(kind):.3f}  recall {result.recall(kind):.3f}"
            )
    if bought.matched or bought.missed or bought.extra:
        print(
            f"acquisitions (apart): {len(bought.matched)} matched, {len(bought.missed)} missed, "
            f"{len(bought.extra)} false positives"
        )
    found, wanted = parties_found(financing)
    if wanted:
        print(f"lead parties named on matched deals: {found} of {wanted}")
    if quiet:
        return
    for label, e in result.missed:
        print(f"MISS  {label.newid:>5} {label.title[:60]!r}: {e.company} / {e.kind} / {e.amount}")
    for label, d in result.extra:
        print(
            f"EXTRA {label.newid:>5} {label.title[:60]!r}: {d.company} / {d.kind} / {d.amount} "
            f"{d.currency} <- {d.evidence[:110]!r}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument(
        "--threshold",
        type=int,
        default=THRESHOLD,
        help=f"confidence points a deal needs (default {THRESHOLD}; 0 keeps all)",
    )
    args = parser.parse_args()
    labels = load_labels(args.labels)
    articles = labelled_articles(labels, here=args.labels.resolve().parent)
    present = {x.split for x in labels}
    splits = (
        [*(s for s in SPLITS if s in present), *sorted(present - set(SPLITS)), "all"]
        if (args.split == "all")
        else [args.split]
    )
    for split in splits:
        chosen = [x for x in labels if split in ("all", x.split)]
        deals = sum(len(x.deals) for x in chosen)
        print(
            f"\n== {split}: {len(chosen)} labelled articles, "
            f"{sum(1 for x in chosen if x.deals)} with deals, {deals} deals"
        )
        found = score(chosen, lambda a: extract(a, args.threshold), articles)
        report(found, args.quiet or split == "all")


if __name__ == "__main__":
    main()
