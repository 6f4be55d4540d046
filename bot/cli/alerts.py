"""`finnews alerts add|list|remove`, and the alerts that `finnews ingest` and `finnews watch`
post when the platforms' credentials are set."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.alerts.commands import KIND_LABEL, Watchlist, tally_text
from bot.alerts.store import AlertStore
from bot.alerts.watches import target
from bot.cli.terminal import show
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.chat.port import Place, Port, Reply
    from bot.core import Finnews

alerts_app = typer.Typer(no_args_is_help=True, help="Watchlists: alerts of new deals and stories.")
Channel = Annotated[str, typer.Option("--channel", help="slack:C0123ABCD or discord:<channel id>.")]


def _watchlist() -> Watchlist:
    """The watchlist in the deployment's shared database (FINNEWS_DATABASE_URL)."""
    from bot.database import open_database

    return Watchlist(AlertStore(open_database(Settings())))


@alerts_app.command("add")
def alerts_add(
    name: Annotated[str, typer.Argument(help="A company, a kind of deal, or 'topic: ...'.")],
    channel: Channel,
) -> None:
    """Watch a company or topic: its new deals and stories are posted in the channel."""
    row, said = _watchlist().add(target(channel), name, "cli")
    if row is None:
        show(f"{target(channel)} already watches {said}")
    else:
        show(f"{row.channel} watches {row.name} ({KIND_LABEL[row.kind]})")


@alerts_app.command("remove")
def alerts_remove(
    name: Annotated[str, typer.Argument(help="The watch to remove.")], channel: Channel
) -> None:
    """Stop watching a company or topic in the channel."""
    gone = _watchlist().remove(target(channel), name)
    if gone is None:
        show(f"{target(channel)} does not watch {name}")
        raise typer.Exit(1)
    show(f"{gone.channel} no longer watches {gone.name}")


@alerts_app.command("list")
def alerts_list(
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Every watch with its alerts: posted, held back (cool-down, cap), failing, not posted."""
    rows = _watchlist().listing(target(channel) if channel else None)
    if as_json:
        data = [{"channel": w.channel, "name": w.name, "kind": w.kind} | vars(t) for w, t in rows]
        show(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not rows:
        show("No watches yet: finnews alerts add NAME --channel slack:C0123ABCD")
    for w, t in rows:
        show(f"{w.channel}  {w.name} ({KIND_LABEL[w.kind]}): {tally_text(t)}")


class _LazyDiscord:
    """Discord's outbox, logged in only when an alert is to be posted (a cron run with nothing
    to say makes no connection)."""

    def __init__(self, settings: Settings, stack: ExitStack) -> None:
        self.settings, self.stack = settings, stack
        self._outbox: Any = None

    def _open(self) -> Port:
        if self._outbox is None:
            from bot.discord.app import open_outbox

            self._outbox = self.stack.enter_context(open_outbox(self.settings.discord))
        return self._outbox

    def post(self, place: Place, reply: Reply) -> str | None:
        return self._open().post(place, reply)

    def update(self, place: Place, message: str, reply: Reply) -> None:
        self._open().update(place, message, reply)

    def say(self, place: Place, text: str) -> None:
        self._open().say(place, text)

    def working(self, place: Place, message: str, on: bool) -> None:
        """Nothing to show: alerts answer no one."""

    def escape(self, text: str) -> str:
        return self._open().escape(text)


@contextmanager
def alerting(fn: Finnews) -> Iterator[None]:
    """While the block runs, articles the core adds alert the watching channels of each
    platform whose bot token is set."""
    from bot.alerts.dispatch import attach
    from bot.chat.ledger import open_ledger

    settings = fn.settings
    with ExitStack() as stack:
        ports: dict[str, Port] = {}
        if settings.slack.bot_token:
            from bot.slack.outbox import open_outbox

            ports["slack"] = open_outbox(settings.slack)
        if settings.discord.bot_token:
            ports["discord"] = _LazyDiscord(settings, stack)
        if ports:
            alerter = attach(fn, ports, open_ledger(fn.database, settings.data_dir))
            stack.callback(fn.listeners.remove, alerter.on_added)
        yield
