"""The Discord adapter put together: discord.py's client on an event loop of its own, the
conversation's work on worker threads, the gateway connection and the HTTP interactions route."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import aiohttp
import discord
from nacl.signing import VerifyKey

from bot.alerts.commands import Watchlist
from bot.alerts.store import AlertStore
from bot.chat.conversation import Conversation, Rules
from bot.chat.ledger import Ledger
from bot.chat.port import Port
from bot.core import Finnews
from bot.discord import commands
from bot.discord.endpoint import interactions_wsgi, verify_key
from bot.discord.gateway import GatewayEvents, intents
from bot.discord.interactions import Interactions, Work
from bot.discord.outbox import DiscordOutbox
from bot.discord.rest import LoopThread, Rest, RestError, point_at, use_gateway
from bot.feeds import open_live
from bot.server import WSGIApp
from bot.settings import DiscordSettings, Settings
from index.errors import UsageError

log = logging.getLogger("finnews.discord")
INTERACTIONS_PATH = "/discord/interactions"
CONNECT_TIMEOUT = 60.0  # seconds to wait for the gateway's READY at start


@dataclass
class DiscordBot:
    """A running Discord adapter; close() stops its connection, loop and workers."""

    client: discord.Client
    thread: LoopThread
    executor: Executor
    outbox: DiscordOutbox
    routes: dict[str, WSGIApp] = field(default_factory=dict)

    def close(self) -> None:
        """Disconnect, finish the work in hand, stop the loop."""
        self.executor.shutdown(wait=True)
        self.thread.run(self.client.close(), 30)
        self.thread.stop()


def rules(settings: Settings) -> Rules:
    """Who may ask the Discord bot, and how often."""
    return Rules(
        settings.discord.channels,
        settings.discord.rate_limit,
        settings.llm_backend.stream_interval,
        settings.digest.days,
        settings.digest.timezone,
        "discord",
    )


def _submitter(executor: Executor) -> Callable[[Work], object]:
    def run(work: Work) -> None:
        try:
            work()
        except Exception:  # the conversation answers its own failures; this is a last net
            log.exception("Discord work failed")

    return lambda work: executor.submit(run, work)


def create_bot(
    settings: Settings,
    finnews: Finnews,
    ledger: Ledger,
    *,
    executor: Executor | None = None,
    guild_ready_timeout: float = 2.0,
) -> DiscordBot:
    """Log in (checking the token), register `/finnews`, connect the gateway unless it is off,
    and build the HTTP interactions route when a public key is set."""
    config = settings.discord
    key = _public_key(config)
    client, thread = _login(config, guild_ready_timeout)
    rest = Rest(client.http, thread.loop)
    try:
        where = commands.register(rest, str(client.application_id), config.guild_id)
        log.info("/finnews registered in %s", where)
    except RestError as exc:  # mentions and DMs still work; the log says what is missing
        log.error("could not register /finnews with Discord: %s", exc)
    outbox = DiscordOutbox(rest)
    live = open_live(finnews, allow_private=settings.web.private_hosts)
    watchlist = Watchlist(AlertStore(ledger.database))  # the chats' database, as the ledger
    conversation = Conversation(finnews, ledger, outbox, rules(settings), live, watchlist)
    interactions = Interactions(conversation, rest)
    executor = executor or ThreadPoolExecutor(8, thread_name_prefix="finnews-discord")
    submit = _submitter(executor)
    bot = DiscordBot(client, thread, executor, outbox)
    if key is not None:
        bot.routes[INTERACTIONS_PATH] = interactions_wsgi(key, interactions, submit)
    if config.gateway:
        events = GatewayEvents(
            client, conversation, outbox, interactions, rest, submit, config.message_content
        )
        events.register()
        _connect(bot, events)
    return bot


def _public_key(config: DiscordSettings) -> VerifyKey | None:
    """The key HTTP interactions are checked with (None: none come over HTTP); UsageError when
    the settings cannot work."""
    if not (config.gateway or config.public_key):
        raise UsageError(
            "With FINNEWS_DISCORD_GATEWAY=false, set FINNEWS_DISCORD_PUBLIC_KEY "
            "so that interactions can come over HTTP."
        )
    try:
        return verify_key(config.public_key) if config.public_key else None
    except ValueError:
        raise UsageError(
            "FINNEWS_DISCORD_PUBLIC_KEY is not a public key (64 hex digits, "
            "from the Developer Portal's General Information)."
        ) from None


def _login(
    config: DiscordSettings, guild_ready_timeout: float = 2.0
) -> tuple[discord.Client, LoopThread]:
    """A client logged in with the bot token (GET /users/@me and the application), on a loop
    of its own; UsageError when Discord refuses it or cannot be reached."""
    if not config.bot_token:
        raise UsageError("Set FINNEWS_DISCORD_BOT_TOKEN (the bot token of the Discord app).")
    if config.application_id and not config.application_id.isdigit():
        raise UsageError(
            "FINNEWS_DISCORD_APPLICATION_ID is a number (the Developer Portal's "
            "General Information, Application ID)."
        )
    point_at(config.api_url)
    thread = LoopThread()
    client = discord.Client(
        application_id=int(config.application_id) if config.application_id else None,
        intents=intents(config.message_content),
        guild_ready_timeout=guild_ready_timeout,
        max_ratelimit_timeout=60.0,
    )
    try:
        thread.run(client.login(config.bot_token.get_secret_value()), 60)
    except (discord.HTTPException, discord.LoginFailure, aiohttp.ClientError, OSError) as exc:
        thread.run(client.close(), 30)
        thread.stop()
        raise UsageError(
            f"Could not start the Discord bot: {type(exc).__name__} from "
            f"{config.api_url} (check FINNEWS_DISCORD_BOT_TOKEN)."
        ) from None
    return client, thread


def register_commands(config: DiscordSettings) -> tuple[str, str]:
    """Register `/finnews` over REST alone (no gateway), then log out: (application id, where).
    UsageError when Discord refuses it."""
    client, thread = _login(config)
    try:
        application_id = str(client.application_id)
        where = commands.register(Rest(client.http, thread.loop), application_id, config.guild_id)
    except RestError as exc:
        raise UsageError(f"Discord did not register /finnews: {exc}.") from None
    finally:
        thread.run(client.close(), 30)
        thread.stop()
    return application_id, where


@contextmanager
def open_outbox(config: DiscordSettings) -> Iterator[DiscordOutbox]:
    """REST calls without the gateway or a conversation (`finnews digest --post --to discord`
    from a cron job); logged out when the block ends."""
    client, thread = _login(config)
    try:
        yield DiscordOutbox(Rest(client.http, thread.loop))
    finally:
        thread.run(client.close(), 30)
        thread.stop()


def _connect(bot: DiscordBot, events: GatewayEvents) -> None:
    """Open the gateway (at the address Discord gives) and wait for READY; UsageError when
    Discord refuses the token or the intents."""

    async def connect() -> None:
        _, url, _ = await bot.client.http.get_bot_gateway()
        use_gateway(url)
        await bot.client.connect(reconnect=True)

    def ended(task: Future[None]) -> None:
        events.connected.set()  # stop waiting: the connection will not come
        if not task.cancelled() and task.exception() is not None:
            log.error("the Discord gateway connection ended: %r", task.exception())

    task = asyncio.run_coroutine_threadsafe(connect(), bot.thread.loop)
    task.add_done_callback(ended)
    ready = events.connected.wait(CONNECT_TIMEOUT)  # set by READY, or by the attempt's end
    if not task.done():
        if not ready:  # discord.py goes on trying; the bot answers once it gets through
            log.warning(
                "no READY from Discord's gateway after %.0f s; still trying", CONNECT_TIMEOUT
            )
        return
    exc = task.exception()
    bot.close()
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        raise UsageError(
            "Discord refused the message content intent: enable it in the "
            "Developer Portal (Bot, Privileged Gateway Intents) or unset "
            "FINNEWS_DISCORD_MESSAGE_CONTENT."
        )
    why = type(exc).__name__ if exc else "the connection was closed"
    raise UsageError(f"Could not connect to Discord's gateway: {why}.")


def start(
    settings: Settings,
    finnews: Finnews,
    ledger: Ledger,
    announce: Callable[[str], None] = log.info,
    ports: dict[str, Port] | None = None,
) -> dict[str, WSGIApp]:
    """Start the Discord bot and its digest schedule; its HTTP routes, to be served by
    bot.server (the interactions endpoint when FINNEWS_DISCORD_PUBLIC_KEY is set). Its outbox
    is put in `ports` (for the watchlist alerts)."""
    bot = create_bot(settings, finnews, ledger)
    if ports is not None:
        ports["discord"] = bot.outbox
    from bot.reports import schedule

    schedule.start(
        settings, finnews, bot.outbox, announce, channels=settings.discord.digest_channels
    )
    if settings.discord.gateway:
        announce("finnews: Discord bot connected to the gateway")
    if bot.routes:
        announce(f"finnews: Discord interactions answered at {INTERACTIONS_PATH}")
    return bot.routes
