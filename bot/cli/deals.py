"""`finnews deals`, `finnews summary` and `finnews digest`: the deal commands of the CLI."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.terminal import show
from bot.core import deal_store_path, open_finnews
from bot.reports.periods import parse_range
from bot.settings import Settings
from index.deals.store import DealStore
from index.deals.stories import Story, amount_text, group
from index.errors import UsageError
from index.records import DEAL_KINDS
from index.text.controls import escape_controls

if TYPE_CHECKING:
    from bot.reports.digest import Digest

out = Console()
err = Console(stderr=True)
Since = Annotated[str | None, typer.Option(help="Only articles from this date (or 7d, 2w, 3m).")]
Until = Annotated[str | None, typer.Option(help="Only articles up to this date.")]
Platform = Literal["slack", "discord"]


def _deals(settings: Settings) -> DealStore:
    """The deal store alone: listing deals or building a digest needs no model and no Chroma."""
    store = DealStore(deal_store_path(settings))
    if store.count_articles() == 0:
        err.print(
            "finnews: no deals are stored. If the index was built before finnews read "
            "deals, run `finnews deals --rebuild` once (nothing is embedded again)."
        )
    return store


def deals(
    since: Since = None,
    until: Until = None,
    company: Annotated[str | None, typer.Option(help="Only this company.")] = None,
    kind: Annotated[
        str | None, typer.Option(help="Only this kind: " + ", ".join(DEAL_KINDS) + ".")
    ] = None,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild", help="Read every stored article's deals again (no re-embedding)."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the financing deals read from the indexed articles."""

    if kind and kind not in DEAL_KINDS:
        raise UsageError(f"Unknown kind {kind!r}; use one of: {', '.join(DEAL_KINDS)}.")
    if rebuild:
        articles, found = open_finnews(Settings()).rebuild_deals()
        show(f"read {found} deals from {articles} stored articles")
        return
    store = _deals(Settings())
    found = store.deals(company, kind, *parse_range(since, until))
    infos = store.articles(list({d.article_id for d in found}))
    stories = group(found, infos)  # one deal told by several articles is one row
    if as_json:
        show(json.dumps([_story_data(s) for s in stories], indent=2, ensure_ascii=False))
        return
    table = Table("date", "company", "kind", "amount", "maturity", "coupon", "led by", "sources")
    for story in stories:
        d = story.deal
        assert d is not None
        outlets = [a.source or a.title[:40] for a in story.articles]
        cells = (
            _date(story.first) or "",
            d.company + (f" (buys {d.target})" if d.target else ""),
            d.kind,
            amount_text(d.amount, d.currency),
            d.maturity or "",
            d.coupon or "",
            ", ".join(d.parties),
            ", ".join(dict.fromkeys(outlets)),
        )
        table.add_row(*map(escape_controls, cells))
    out.print(table if stories else "No deals match.")


def _date(when: datetime | None) -> str | None:
    return when.date().isoformat() if when is not None else None


def _story_data(story: Story) -> dict[str, object]:
    """A deal (merged from every article that reported it) and its articles as JSON-ready data."""
    d = story.deal
    assert d is not None
    return {
        "company": d.company,
        "kind": d.kind,
        "amount": d.amount,
        "currency": d.currency,
        "maturity": d.maturity,
        "coupon": d.coupon,
        "use_of_proceeds": d.use_of_proceeds,
        "parties": list(d.parties),
        "target": d.target,
        "date": _date(story.first),
        "evidence": d.evidence,
        "sources": [
            {"title": a.title, "source": a.source, "url": a.url, "date": _date(a.published_at)}
            for a in story.articles
        ],
    }


def summary(
    topic: Annotated[str, typer.Argument(help="A company, or a topic.")],
    since: Since = None,
    until: Until = None,
) -> None:
    """A short briefing on a company or topic, story by story, deals first, all cited."""
    from bot.reports.summary import render_text, summarise

    if not topic.strip():
        raise UsageError("Name a company or a topic.")
    settings = Settings()
    _deals(settings)
    start, end = parse_range(since, until)
    show(render_text(summarise(open_finnews(settings), topic.strip(), start, end)), end="")


def digest(
    days: Annotated[int, typer.Option(min=1, help="Days the digest covers.")] = 7,
    until: Annotated[
        str | None, typer.Option(help="Last day covered, YYYY-MM-DD (default: yesterday).")
    ] = None,
    post: Annotated[
        bool,
        typer.Option("--post", help="Post it to Slack or Discord (once per channel and period)."),
    ] = False,
    channel: Annotated[
        list[str] | None,
        typer.Option(
            help="Channel to post to (default: FINNEWS_DIGEST_CHANNELS, or "
            "FINNEWS_DISCORD_DIGEST_CHANNELS with --to discord)."
        ),
    ] = None,
    to: Annotated[Platform, typer.Option(help="Where --post posts.")] = "slack",
) -> None:
    """The financing digest of a period: deals table and top stories, cited."""
    from bot.reports.digest import build, render_text
    from bot.reports.periods import Period, zone

    settings = Settings()
    tz = zone(settings.digest_timezone)
    if until:
        try:
            period = Period.ending(date.fromisoformat(until), days, tz)
        except ValueError:
            raise UsageError(f"Not a date: {until!r} (use YYYY-MM-DD).") from None
    else:
        period = Period.before(datetime.now(UTC), days, tz)
    built = build(_deals(settings), period)
    if not post:
        show(render_text(built), end="")
        return
    _post(settings, built, to, channel)


def _post(settings: Settings, built: Digest, to: Platform, channels: list[str] | None) -> None:
    from bot.database import open_database
    from bot.reports.schedule import open_claims, post_digest

    record = open_claims(settings, open_database(settings))
    if to == "discord":
        from bot.discord.app import open_outbox as discord_outbox

        channels = channels or settings.discord_digest_channels
        if not channels:
            raise UsageError(
                "Say where to post: --channel 1234… or FINNEWS_DISCORD_DIGEST_CHANNELS."
            )
        with discord_outbox(settings.discord) as outbox:
            outcomes = post_digest(built, channels, outbox, record)
    else:
        from bot.slack.outbox import open_outbox

        channels = channels or settings.digest_channels
        if not channels:
            raise UsageError("Say where to post: --channel C0123 or FINNEWS_DIGEST_CHANNELS.")
        outcomes = post_digest(built, channels, open_outbox(settings.slack), record)
    for o in outcomes:
        show(f"{o.channel}: {o.result}")
    if any(o.result == "failed" for o in outcomes):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the deal commands to the CLI."""
    for command in (deals, summary, digest):
        app.command()(command)
