"""What an evaluation shows: rich tables (finnews beside the baseline) and the JSON report."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from bot.answer.llm import FELL_BACK
from bot.eval.multihop import METRICS, NULL, by_type, first_relevant, percentile, summarise
from bot.eval.run import Evaluation, Row, latency_ms

FALLBACK_PREFIX = FELL_BACK.split("(")[0]

RETRIEVAL = ("hits@4", "hits@10", "mrr@10", "article_recall@10")
HEADS = ("hits@4", "hits@10", "mrr@10", "art.rec@10")  # short, so the table fits 80 columns


def report(rows: Sequence[Row]) -> dict[str, Any]:
    """The JSON report: totals under fixed keys, per type, and every query for reading."""
    outcomes = [r.outcome for r in rows]
    return {
        "overall": summarise(outcomes),
        "by_type": by_type(outcomes),
        "queries": [query_record(r) for r in rows],
    }


def query_record(row: Row) -> dict[str, Any]:
    """One query's result: what was asked, retrieved and replied, and how it scored."""
    o, gold = row.outcome, row.gold
    passages = [
        {
            "rank": n,
            "url": p.url,
            "title": p.title,
            "source": p.source,
            "published_at": p.published_at.isoformat() if p.published_at else None,
            "chunk_id": p.chunk_id,
            "score": p.score,
            "relevant": None if gold.is_null else first_relevant([p.text], gold.facts) == 1,
            "text": p.text,
        }
        for n, p in enumerate(row.passages, start=1)
    ]
    return {
        "question": gold.question,
        "type": gold.type,
        "gold_answer": gold.answer,
        "evidence_urls": list(gold.urls),
        "hit": None if o.null else o.rank is not None,
        "rank": o.rank,
        "article_recall@10": o.recall,
        "reply": row.answer.text if row.answer else None,
        "refused": o.refused,
        "answer_contains": o.contains,
        "gold_in_reply": o.gold_word,
        "note": row.answer.note if row.answer else None,
        "latency_ms": round(row.seconds * 1000, 2),
        "answer_ms": round(row.answer_seconds * 1000, 2),
        "passages": passages,
    }


def write_report(path: Path, rows: Sequence[Row]) -> None:
    """Write the JSON report, creating the folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report(rows), indent=1, ensure_ascii=False), encoding="utf-8")


def baseline_path(out: Path) -> Path:
    """Where the baseline's report goes beside ours: name.json -> name.baseline.json."""
    return out.with_suffix(".baseline" + out.suffix)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def overall_table(ev: Evaluation) -> Table:
    """The seven headline figures, finnews and (when run) the baseline side by side."""
    nonnull = sum(not r.gold.is_null for r in ev.ours)
    table = Table(
        title=f"MultiHop-RAG: {nonnull} non-null queries, {len(ev.ours) - nonnull} null",
        box=box.SIMPLE,
    )
    table.add_column("metric")
    table.add_column("finnews", justify="right")
    ours = summarise([r.outcome for r in ev.ours])
    base = summarise([r.outcome for r in ev.baseline]) if ev.baseline is not None else None
    if base is not None:
        table.add_column("baseline", justify="right")
    for name in METRICS:
        table.add_row(name, _fmt(ours[name]), *([_fmt(base[name])] if base else []))
    return table


def type_table(ev: Evaluation) -> Table:
    """The figures per question type; 'refused' is null_refusal for null queries, else
    nonnull_refusal; 'answer' is answer_contains (inference queries: the gold answer is a
    substring of the reply); 'gold word' is gold_in_reply (comparison and temporal queries,
    whose gold is yes/no or a name: it appears in the reply as a whole word)."""
    table = Table(title="By question type", box=box.SIMPLE, padding=(0, 0), pad_edge=False)
    for name in ("type", "pipeline", "n", *HEADS, "refused", "answer", "gold word"):
        table.add_column(name, justify="left" if name in ("type", "pipeline") else "right")
    runs = [("finnews", ev.ours)] + ([("baseline", ev.baseline)] if ev.baseline else [])
    groups = {name: by_type([r.outcome for r in rows]) for name, rows in runs}
    for qtype in groups["finnews"]:
        for name, _ in runs:
            f = groups[name][qtype]
            refused = f["null_refusal"] if qtype == NULL else f["nonnull_refusal"]
            table.add_row(
                qtype.removesuffix("_query"),
                name,
                str(f["queries"]),
                *(_fmt(f[m]) for m in RETRIEVAL),
                _fmt(refused),
                _fmt(f["answer_contains"]),
                _fmt(f["gold_in_reply"]),
            )
    return table


def notes(ev: Evaluation, wall_seconds: float) -> list[str]:
    """Timings and what the run did, one line each."""
    ing = ev.ingest
    lines = [
        f"collection {ev.collection}: {ing.articles} articles read, added {ing.added}, "
        f"replaced {ing.replaced}, unchanged {ing.unchanged}, skipped {len(ing.skipped)} "
        f"({ing.chunks} chunks written, {ev.ingest_seconds:.1f} s)",
        f"hits@10 ceiling (a gold fact inside one stored chunk): {_fmt(ev.reachable)}",
    ]
    runs = [("finnews", ev.ours)] + ([("baseline", ev.baseline)] if ev.baseline else [])
    for name, rows in runs:
        p50, p95 = latency_ms(rows)
        lines.append(
            f"{name} retrieval per query (query embedding included): p50 "
            f"{_fmt_ms(p50)}, p95 {_fmt_ms(p95)}; {len(rows)} queries in "
            f"{sum(r.seconds for r in rows):.1f} s of retrieval"
        )
    lines.append(answerer_line(ev))
    if ev.baseline is not None:
        verb = "built" if ev.baseline_built else "reused"
        lines.append(f"baseline index {verb} in {ev.baseline_seconds:.1f} s")
    lines.append(f"wall time {wall_seconds:.1f} s")
    return lines


def answerer_line(ev: Evaluation) -> str:
    """Which answerer replied, how long composing took, and (for a model) how often it fell
    back to the extractive answer."""
    ms = [r.answer_seconds * 1000 for r in ev.ours]
    line = (
        f"answerer {ev.answerer}: answer step p50 {_fmt_ms(percentile(ms, 50))}, "
        f"p95 {_fmt_ms(percentile(ms, 95))}"
    )
    if ev.answerer == "extractive":
        return line
    notes = [r.answer.note for r in ev.ours if r.answer is not None and not r.answer.refused]
    fell = sum(n.startswith(FALLBACK_PREFIX) for n in notes)
    trimmed = sum(bool(n) and not n.startswith(FALLBACK_PREFIX) for n in notes)
    return (
        f"{line}; {fell} of {len(notes)} non-refusals fell back to the extractive answer, "
        f"{trimmed} more had sentences dropped by verification"
    )


def _fmt_ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} ms"


def render(console: Console, ev: Evaluation, wall_seconds: float) -> None:
    """Print both tables and the notes."""
    console.print(overall_table(ev))
    console.print(type_table(ev))
    for line in notes(ev, wall_seconds):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
