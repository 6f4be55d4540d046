"""Confidence threshold vs precision and recall on the blind splits' FIRST-PASS extractions.

Usage: python bench/deals_curve.py
Each blind split was labelled before the rules of its day saw it; those rules are taken from git
history (the commit that added the split), run on the split, and their deals scored with today's
confidence points (index/deal_confidence.py). This is the fairest curve the labels allow: the
deals are the ones rules produced on text they had not seen. Then leave-one-split-out: the
threshold is chosen on the other splits (the lowest with precision >= 0.90, else the best F1)
and scored on the one left out.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.deals_eval import LABELS, SHARED, labelled_articles  # noqa: E402
from bot.eval.deals import Score, load_labels, score  # noqa: E402
from index.deals.confidence import MAX_POINTS, confidence  # noqa: E402
from index.records import Deal  # noqa: E402

# split -> (commit that added it with the rules of its day, the split's name at that commit)
FIRST_PASS = {
    "dev2": ("f62b507", "heldout"),
    "heldout": ("5022e6e", "heldout"),
    "final": ("724b2fc", "final"),
    "blind4": ("7936f7f", "blind4"),
    "blind5": ("5589b77", "blind5"),
    "blind6": ("0fa9802", "blind6"),
    "blind7": ("6ceb10e", "blind7"),
    "blind8": ("c0fc3be", "blind8"),
}
# Run inside an old tree: its extractor on its split, deals printed as JSON.
_DUMP = """
import json, sys
from bench.deals_eval import labelled_articles, LABELS
from bot.eval.deals import load_labels
from index.deals.extract import extract
labels = [x for x in load_labels(LABELS) if x.split == sys.argv[1]]
arts = labelled_articles(labels, __import__('pathlib').Path(sys.argv[2]))
print(json.dumps({x.newid: [dict(company=d.company, kind=d.kind, amount=d.amount,
    currency=d.currency, evidence=d.evidence) for d in extract(arts[x.newid])] for x in labels}))
"""


def first_pass(commit: str, split: str, tmp: Path) -> dict[int, list[dict]]:
    """The deals the rules of `commit` extract from `split`, by NEWID."""
    tree = tmp / commit
    tree.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    out = subprocess.run(
        [sys.executable, "-c", _DUMP, split, str(SHARED)],
        cwd=tree,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {int(k): v for k, v in json.loads(out).items()}


def curve_point(labels, arts, scored, threshold: int) -> Score:
    """The score when deals below `threshold` points are dropped."""
    by_id = {a.id: newid for newid, a in arts.items()}
    return score(labels, lambda a: [d for d, p in scored[by_id[a.id]] if p >= threshold], arts)


def choose(labels, arts, scored) -> int:
    """The lowest threshold with precision >= 0.90 on these labels, else the best F1."""
    points = {t: curve_point(labels, arts, scored, t) for t in range(MAX_POINTS + 1)}
    fine = [t for t, s in points.items() if s.precision() >= 0.90 and s.matched]
    f1 = {
        t: 2 * s.precision() * s.recall() / (s.precision() + s.recall() or 1)
        for t, s in points.items()
    }
    return min(fine) if fine else max(f1, key=f1.get)


def main() -> None:
    labels = [x for x in load_labels(LABELS) if x.split in FIRST_PASS]
    arts = labelled_articles(labels)
    scored: dict[int, list[tuple[Deal, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for commit, name in FIRST_PASS.values():
            for newid, deals in first_pass(commit, name, Path(tmp)).items():
                a = arts[newid]
                found = [Deal(article_id=a.id, announced=a.published_at, **d) for d in deals]
                scored[newid] = [(d, confidence(d, a)) for d in found]
    print("threshold  matched  extra  missed  precision  recall   (pooled first-pass blind)")
    for t in range(MAX_POINTS + 1):
        s = curve_point(labels, arts, scored, t)
        print(
            f"{t:>9}  {len(s.matched):>7}  {len(s.extra):>5}  {len(s.missed):>6}  "
            f"{s.precision():>9.3f}  {s.recall():.3f}"
        )
    print("\nleave-one-split-out: threshold chosen on the others, scored on the split")
    tp = fp = fn = 0
    for split in FIRST_PASS:
        rest = [x for x in labels if x.split != split]
        t = choose(rest, arts, scored)
        s = curve_point([x for x in labels if x.split == split], arts, scored, t)
        tp, fp, fn = tp + len(s.matched), fp + len(s.extra), fn + len(s.missed)
        print(f"{split:<8} threshold {t}  precision {s.precision():.3f}  recall {s.recall():.3f}")
    print(f"pooled   precision {tp / max(tp + fp, 1):.3f}  recall {tp / max(tp + fn, 1):.3f}")


if __name__ == "__main__":
    main()
