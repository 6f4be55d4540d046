"""`finnews eval multihop | qa | threads`: the evaluation commands of the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from bot.core import Finnews
from bot.settings import Settings
from index.errors import UsageError

out = Console()
err = Console(stderr=True)
eval_app = typer.Typer(no_args_is_help=True, help="Measure retrieval and answers on benchmarks.")


@eval_app.command("multihop")
def eval_multihop(
    corpus: Annotated[Path, typer.Option(help="MultiHop-RAG corpus.json.")],
    queries: Annotated[Path, typer.Option(help="MultiHop-RAG queries, e.g. queries_dev.json.")],
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N queries.")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write per-query JSON.")] = None,
    baseline: Annotated[
        bool,
        typer.Option(
            "--baseline",
            help="Also run the dataset authors' plain llama-index pipeline, side by side.",
        ),
    ] = False,
) -> None:
    """Score retrieval and answers on MultiHop-RAG, in a collection of the corpus's own."""
    import time

    from rich.progress import MofNCompleteColumn

    from bot.eval.multihop import load_queries
    from bot.eval.report import baseline_path, render, write_report
    from bot.eval.run import evaluate

    started = time.perf_counter()
    for path in (corpus, queries):
        if not path.is_file():
            raise UsageError(f"No such file: {path}")
    golds = load_queries(queries, limit)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=False) as bar:
        result = evaluate(Settings(), corpus, golds, baseline, bar)
    render(out, result, time.perf_counter() - started)
    if out_file:
        write_report(out_file, result.ours)
        if result.baseline is not None:
            write_report(baseline_path(out_file), result.baseline)


def _indexed(paths: list[Path]) -> Finnews:
    """A core over an evaluation collection of these sources, built with a spinner."""
    from bot.eval.qa_run import open_qa_core

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        bar.add_task("indexing the sources", total=None)
        return open_qa_core(Settings(), paths)


@eval_app.command("qa")
def eval_qa(
    questions: Annotated[Path, typer.Option(help="Question file, e.g. financing-qa/dev.json.")],
    sources: Annotated[
        list[Path] | None,
        typer.Option(
            "--source",
            help="Corpus file or folder to index (repeat); default: the "
            "multihop-rag corpus, bbc-business and seeds beside the question file.",
        ),
    ] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write per-item JSON.")] = None,
) -> None:
    """Score financing questions per kind, answered and refused apart (README's rule)."""
    from bot.eval.multihop import percentile
    from bot.eval.qa import default_sources, load_items, summary, write_rows
    from bot.eval.qa_run import run_items

    if not questions.is_file():
        raise UsageError(f"No such file: {questions}")
    items = load_items(questions)
    paths = sources or default_sources(questions)
    if not paths:
        raise UsageError("No corpus to index: pass --source.")
    fn = _indexed(paths)
    rows, seconds = run_items(fn, items)
    out.print(f"{len(items)} questions over {', '.join(map(str, paths))}")
    for name, t in summary(rows).items():
        share = f"{t.share:.3f}" if t.share is not None else "-"
        out.print(f"  {name:32} {share}  ({t.right}/{t.total}; refused {t.refused})")
    ms = [s * 1000 for s in seconds]
    out.print(f"  ask p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms")
    if out_file:
        write_rows(out_file, rows)


@eval_app.command("threads")
def eval_threads(
    threads: Annotated[Path, typer.Option(help="Thread file (threads.json).")],
    sources: Annotated[
        list[Path] | None,
        typer.Option(
            "--source",
            help="Article file or folder to index (repeat); default: the "
            "articles/ folder beside the thread file, samples/ and ../shared seeds.",
        ),
    ] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write per-turn JSON.")] = None,
) -> None:
    """Score multi-turn threads: each turn on its company, with the asked fact or the gap."""
    from bot.eval.threads import errors, load_threads, run_thread, shares, write_follow_ups

    if not threads.is_file():
        raise UsageError(f"No such file: {threads}")
    loaded = load_threads(threads)
    root = Path(__file__).resolve().parents[2]
    paths = sources or [
        p
        for p in (
            threads.parent / "articles",
            root / "samples",
            root.parent / "shared" / "data" / "seeds",
        )
        if p.exists()
    ]
    fn = _indexed(paths)
    rows = [r for t in loaded for r in run_thread(fn, t)]
    out.print(f"{len(loaded)} threads, {len(rows)} turns over {', '.join(map(str, paths))}")
    for name, (right, total) in shares(rows).items():
        out.print(f"  {name:32} {right / max(total, 1):.3f}  ({right}/{total})")
    for error, n in errors(rows).most_common():
        out.print(f"  missed: {error:16} {n}")
    if out_file:
        write_follow_ups(out_file, rows)
