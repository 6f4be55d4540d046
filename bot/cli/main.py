"""The `finnews` command line: the composition root for terminal use."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from bot.answer.render import answer_data, render_text
from bot.cli.deals import register as register_deal_commands
from bot.cli.terminal import show
from bot.core import Finnews, open_finnews
from bot.reports.periods import parse_range
from bot.settings import Settings
from index.errors import UsageError
from index.text.controls import escape_controls

if TYPE_CHECKING:
    from bot.chat.ledger import Ledger
    from bot.chat.port import Port
    from bot.server import WSGIApp

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="Answers questions about company financing news, with checked citations.",
)
out = Console()
err = Console(stderr=True)
log = logging.getLogger("finnews")


def _finnews() -> Finnews:
    return open_finnews(Settings())


@app.command()
def ingest(
    args: Annotated[
        list[str] | None,
        typer.Argument(help="Files or folders of articles, or article URLs (http/https)."),
    ] = None,
    source: Annotated[str | None, typer.Option(help="Outlet for files that name none.")] = None,
    feed: Annotated[
        list[str] | None,
        typer.Option(help="Also read every item of this RSS/Atom feed (repeatable)."),
    ] = None,
) -> None:
    """Add articles to the index (unchanged ones are skipped at no cost)."""
    from itertools import chain

    from bot.cli.alerts import alerting
    from bot.cli.feeds import is_url, url_items
    from bot.feeds import open_live
    from index.ingest.sources import load_paths

    urls = [a for a in args or [] if is_url(a)]
    paths = [Path(a) for a in args or [] if not is_url(a)]
    if not (paths or urls or feed):
        raise UsageError("Give files, folders or URLs to ingest, or --feed URL.")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError("No such file or folder: " + ", ".join(missing))
    fn = _finnews()
    items = load_paths(paths, source=source, max_bytes=fn.settings.max_article_bytes)
    if urls or feed:
        items = chain(items, url_items(open_live(fn), urls, feed or []))
    columns = (
        SpinnerColumn(),
        TextColumn("ingesting"),
        BarColumn(),
        TextColumn("{task.completed} articles"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=False) as bar:
        task = bar.add_task("ingest", total=None, rate="")

        def advance(n: int) -> None:
            bar.advance(task, n)
            speed = bar.tasks[0].speed
            bar.update(task, rate=f"{speed:.1f} articles/s" if speed else "")

        with alerting(fn):
            report = fn.ingest(items, progress=advance)
    rate = report.articles / report.seconds if report.seconds else 0.0
    show(
        f"added {report.added}, replaced {report.replaced}, unchanged {report.unchanged}, "
        f"skipped {len(report.skipped)} ({report.chunks} chunks written, "
        f"{rate:.1f} articles/s)"
    )
    for skip in report.skipped:
        show(f"  skipped {skip.origin}: {skip.reason}")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    top_k: Annotated[int | None, typer.Option("--top-k", "-k", help="Passages to read.")] = None,
    since: Annotated[str | None, typer.Option(help="Only articles from this date (or 7d).")] = None,
    until: Annotated[str | None, typer.Option(help="Only articles up to this date.")] = None,
    source: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Answer a question from the indexed articles, citing them."""
    if not question.strip():
        raise UsageError("The question is empty.")
    if top_k is not None and top_k < 1:
        raise UsageError("--top-k must be at least 1 (the passages an answer may cite).")
    start, end = parse_range(since, until)
    answer = _finnews().ask(question, k=top_k, since=start, until=end, source=source)
    if as_json:
        show(json.dumps(answer_data(answer), indent=2, ensure_ascii=False))
    else:
        show(render_text(answer), end="")


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """Articles, chunks, outlets and date range of the index."""
    from bot.cli.feeds import feed_totals

    fn = _finnews()
    s, feeds = fn.stats(), feed_totals(fn.settings)
    span = (
        s.first.date().isoformat() if s.first else None,
        s.last.date().isoformat() if s.last else None,
    )
    if as_json:
        show(
            json.dumps(
                {
                    "articles": s.articles,
                    "chunks": s.chunks,
                    "outlets": s.outlets,
                    "first": span[0],
                    "last": span[1],
                    "feeds": vars(feeds) if feeds else None,
                },
                indent=2,
            )
        )
        return
    show(f"{s.articles} articles, {s.chunks} chunks, {len(s.outlets)} outlets")
    if feeds:
        show(
            f"{feeds.feeds} feeds: {feeds.polls} polls, {feeds.items} items, {feeds.errors} "
            f"errors; {feeds.aliases} syndicated copies linked"
        )
    if s.first:
        show(f"published {span[0]} to {span[1]}")
    for name, n in list(s.outlets.items())[:20]:
        show(f"  {n:6d}  {name}")


@app.command()
def serve() -> None:
    """Run the chat bots (Slack, Discord, or both: each whose bot token is set) and their one
    HTTP server on FINNEWS_PORT (Slack's requests in HTTP mode, Discord's interactions when
    FINNEWS_DISCORD_PUBLIC_KEY is set, and GET /healthz)."""
    from bot.chat.ledger import open_ledger
    from bot.feeds import start_poller
    from bot.server import HEALTH_PATH, http_server, routes

    settings = Settings()
    fn = open_finnews(settings)
    _ = fn.answerer  # an incomplete model setting stops the bot before it goes live

    def announce(text: str) -> None:
        err.print(text, markup=False, highlight=False, soft_wrap=True)

    paths = start_chats(settings, fn, open_ledger(fn.database, settings.data_dir), announce)
    fn.stats()  # loads the lexical index now rather than during the first question
    start_poller(fn, settings)  # keeps the index current while the bot answers
    server = http_server(routes(paths), "0.0.0.0", settings.port)
    announce(f"finnews: listening on port {server.server_port} ({HEALTH_PATH} for health checks)")
    try:
        server.serve_forever()
    finally:
        server.server_close()


def start_chats(
    settings: Settings, fn: Finnews, ledger: Ledger, announce: Callable[[str], None]
) -> dict[str, WSGIApp]:
    """Start each chat platform whose bot token is set, sharing one ledger; their HTTP routes."""
    if not (settings.slack.bot_token or settings.discord.bot_token):
        raise UsageError(
            "Set FINNEWS_SLACK_BOT_TOKEN (Slack), FINNEWS_DISCORD_BOT_TOKEN (Discord), or both."
        )
    paths: dict[str, WSGIApp] = {}
    ports: dict[str, Port] = {}
    if settings.slack.bot_token:
        from bot.slack.app import start as start_slack

        paths |= start_slack(settings, fn, ledger, announce, ports)
    if settings.discord.bot_token:
        from bot.discord.app import start as start_discord

        paths |= start_discord(settings, fn, ledger, announce, ports)
    from bot.alerts.dispatch import attach

    attach(fn, ports, ledger)  # new articles (feeds, /finnews add) alert the watching channels
    return paths


@app.command()
def watch(
    once: Annotated[
        bool, typer.Option("--once", help="Poll every feed once and exit (for cron).")
    ] = False,
) -> None:
    """Poll the registered feeds on FINNEWS_FEED_INTERVAL, ingesting new and changed items."""
    from bot.cli.alerts import alerting
    from bot.cli.feeds import watch_command

    fn = _finnews()
    with alerting(fn):
        watch_command(fn, once)


@app.command()
def feedback(
    limit: Annotated[int, typer.Option(help="How many votes to list.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the votes given on answers in Slack and Discord, newest first."""
    from bot.chat.ledger import open_ledger
    from bot.database import open_database

    settings = Settings()
    votes = open_ledger(open_database(settings), settings.data_dir).votes(limit)
    if as_json:
        show(
            json.dumps(
                [
                    {
                        "at": v.at.isoformat(),
                        "helpful": v.helpful,
                        "user": v.user,
                        "channel": v.channel,
                        "question": v.question,
                        "answer": v.answer,
                        "answer_id": v.answer_id,
                    }
                    for v in votes
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if not votes:
        out.print("No votes yet.")
    for v in votes:
        mark = "helpful    " if v.helpful else "not helpful"
        out.print(
            escape_controls(
                f"{v.at:%Y-%m-%d %H:%M}  {mark}  {v.user} in {v.channel}: {v.question}"
            ),
            markup=False,
            highlight=False,
        )
        out.print(escape_controls(f"    {v.answer[:300]}"), markup=False, highlight=False)


from bot.cli.alerts import alerts_app  # noqa: E402
from bot.cli.evals import eval_app  # noqa: E402
from bot.cli.feeds import feeds_app  # noqa: E402
from bot.cli.platforms import discord_app  # noqa: E402

app.add_typer(feeds_app, name="feeds")
app.add_typer(alerts_app, name="alerts")
app.add_typer(discord_app, name="discord")
app.add_typer(eval_app, name="eval")
register_deal_commands(app)

NOISY = (
    "bm25s",
    "trafilatura",
    "htmldate",
    "chromadb",
    "httpx",
    "slack_bolt",
    "slack_sdk",
    "discord",
)


def _quiet_libraries(record: logging.LogRecord) -> bool:
    """Libraries' chatter below ERROR is not for users (bm25s even sets itself to DEBUG)."""
    return record.levelno >= logging.ERROR or not record.name.startswith(NOISY)


def main() -> None:
    """Entry point: user errors are shown as they are; anything else as a short fixed message."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_quiet_libraries)
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    try:
        app()
    except UsageError as exc:
        err.print(escape_controls(f"finnews: {exc}"), markup=False, highlight=False)
        sys.exit(2)
    except Exception:
        log.exception("unexpected failure")
        err.print("finnews: something went wrong; the details are in the log above.")
        sys.exit(1)


if __name__ == "__main__":
    main()
