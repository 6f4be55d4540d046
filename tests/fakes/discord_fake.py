"""A fake Discord: its REST API (a real HTTP server on 127.0.0.1 that records calls, answers like
Discord and refuses what breaks Discord's message limits) and its gateway (a real websocket
server speaking HELLO, IDENTIFY, READY, heartbeats, and dispatching the events a test sends).

PYTEST_DONT_REWRITE: it is loaded as a plugin after the test modules imported it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from aiohttp import WSMsgType, web
from nacl.signing import SigningKey
from sample_core import open_core

from bot.chat.ledger import Ledger, open_ledger
from bot.core import Finnews
from bot.database import open_database
from bot.discord.app import INTERACTIONS_PATH, DiscordBot, create_bot
from bot.server import http_server, routes
from bot.settings import Settings

BOT = "1100000000000000001"  # the bot user, whose id is also the application's
GUILD, BOT_ROLE = "1200000000000000001", "1200000000000000002"
DEALS, RANDOM = "1300000000000000001", "1300000000000000002"  # text channels: #deals, #random
ALICE, BOB = "1400000000000000001", "1400000000000000002"
DM = "1500000000000000001"  # Alice's DM with the bot
TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.fake.bot-token"
API = "/api/v10"
NAMES = {ALICE: "alice", BOB: "bob", BOT: "finnews"}
CHANNELS = {DEALS: "deals", RANDOM: "random"}
_ids = itertools.count(1)


def snowflake() -> str:
    """A new id, later than every fixed one."""
    return str(1_600_000_000_000_000_000 + next(_ids))


def now() -> str:
    return datetime.now(UTC).isoformat()


def user(uid: str, bot: bool = False) -> dict[str, Any]:
    """A user object."""
    return {
        "id": uid,
        "username": NAMES.get(uid, "user"),
        "discriminator": "0",
        "global_name": NAMES.get(uid),
        "avatar": None,
        "bot": bot,
        "flags": 0,
    }


def member(uid: str) -> dict[str, Any]:
    """A guild member object (with its user)."""
    return {
        "user": user(uid),
        "roles": [],
        "joined_at": "2026-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": "2147483647",
    }


def channel(cid: str, name: str | None = None) -> dict[str, Any]:
    """A text channel of the guild."""
    return {
        "id": cid,
        "type": 0,
        "guild_id": GUILD,
        "name": name or CHANNELS.get(cid, "chat"),
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def thread(tid: str, parent: str, name: str) -> dict[str, Any]:
    """A public thread."""
    return {
        "id": tid,
        "type": 11,
        "guild_id": GUILD,
        "parent_id": parent,
        "name": name,
        "owner_id": BOT,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": now(),
            "locked": False,
        },
    }


# --- The REST API ---


@dataclass(frozen=True)
class Call:
    """One request the fake received: its route (method and path template), parameters, body."""

    route: str
    params: dict[str, str]
    body: Any
    status: int
    at: float = field(default_factory=time.perf_counter)


ROUTES = [
    "GET /users/@me",
    "GET /oauth2/applications/@me",
    "GET /gateway/bot",
    "PUT /applications/{application_id}/commands",
    "PUT /applications/{application_id}/guilds/{guild_id}/commands",
    "GET /channels/{channel_id}",
    "POST /channels/{channel_id}/messages",
    "PATCH /channels/{channel_id}/messages/{message_id}",
    "POST /channels/{channel_id}/messages/{message_id}/threads",
    "PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
    "DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
    "POST /interactions/{interaction_id}/{token}/callback",
    "PATCH /webhooks/{application_id}/{token}/messages/@original",
    "DELETE /webhooks/{application_id}/{token}/messages/@original",
    "POST /webhooks/{application_id}/{token}",
]
MESSAGE_ROUTES = (
    "POST /channels/{channel_id}/messages",
    "PATCH /channels/{channel_id}/messages/{message_id}",
    "PATCH /webhooks/{application_id}/{token}/messages/@original",
    "POST /webhooks/{application_id}/{token}",
)


def _pattern(route: str) -> re.Pattern[str]:
    method, path = route.split(" ", 1)
    regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path))
    return re.compile(f"{method} {re.escape(API)}{regex}")


PATTERNS = [(route, _pattern(route)) for route in ROUTES]


def too_big(body: dict[str, Any]) -> str | None:
    """What breaks Discord's limits in a message payload, or None."""
    embeds = body.get("embeds") or []
    if len(body.get("content") or "") > 2000:
        return "content: Must be 2000 or fewer in length."
    if len(embeds) > 10:
        return "embeds: Must be 10 or fewer in length."
    total = 0
    for e in embeds:
        fields = e.get("fields") or []
        parts = [
            (e.get("title", ""), 256),
            (e.get("description", ""), 4096),
            (e.get("footer", {}).get("text", ""), 2048),
        ]
        parts += [(f["name"], 256) for f in fields] + [(f["value"], 1024) for f in fields]
        if len(fields) > 25 or any(len(text) > limit for text, limit in parts):
            return "embeds: a title, description or field is too long (or too many fields)."
        total += sum(len(text) for text, _ in parts)
    if total > 6000:
        return "embeds: Embed size exceeds maximum size of 6000"
    rows = body.get("components") or []
    buttons = [b for row in rows for b in row.get("components", [])]
    if len(rows) > 5 or any(len(row.get("components", [])) > 5 for row in rows):
        return "components: too many rows or buttons."
    if any(len(b.get("custom_id", "")) > 100 or len(b.get("label", "")) > 80 for b in buttons):
        return "components: custom_id or label too long."
    if not (body.get("content") or embeds or rows):
        return "Cannot send an empty message"
    return None


CALLBACK = "POST /interactions/{interaction_id}/{token}/callback"


def pings(body: dict[str, Any]) -> str | None:
    """Not Discord's rule but ours: every message the bot sends must ping no one."""
    if body.get("allowed_mentions") != {"parse": []}:
        return f"allowed_mentions is {body.get('allowed_mentions')!r}, not {{'parse': []}}"
    return None


class FakeDiscord:
    """Discord's REST API: canned answers, recorded calls, limits enforced, failures scripted."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.gateway: FakeGateway | None = None  # told of threads started over REST
        self.threads: dict[str, dict[str, Any]] = {}
        self._cond = threading.Condition()
        self._failures: dict[str, list[tuple[int, float | None]]] = {}
        self._exhausted: dict[str, float] = {}  # route: reset_after of its next answer's bucket
        ThreadingHTTPServer.request_queue_size = 128
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def api_url(self) -> str:
        """The API base URL to give the bot (FINNEWS_DISCORD_API_URL)."""
        return f"http://127.0.0.1:{self.server.server_port}{API}"

    def fail(
        self, route: str, status: int, times: int = 1, retry_after: float | None = None
    ) -> None:
        """Answer the next `times` calls of a route with this HTTP status."""
        with self._cond:
            self._failures.setdefault(route, []).extend([(status, retry_after)] * times)

    def exhaust(self, route: str, reset_after: float) -> None:
        """The next answer of a route says its bucket is used up for `reset_after` seconds."""
        with self._cond:
            self._exhausted[route] = reset_after

    def of(self, route: str, ok: bool = True) -> list[Call]:
        """Calls of one route so far (only those answered 2xx unless ok=False)."""
        with self._cond:
            return [c for c in self.calls if c.route == route and (c.status < 300 or not ok)]

    def wait(
        self,
        route: str,
        count: int = 1,
        where: Callable[[Call], bool] = lambda c: True,
        timeout: float = 15.0,
        ok: bool = True,
    ) -> list[Call]:
        """Block until `count` matching calls arrived; fail the test after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [
                    c
                    for c in self.calls
                    if c.route == route and where(c) and (c.status < 300 or not ok)
                ]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{len(found)}/{count} {route} after {timeout}s: "
                        f"{[(c.route, c.status) for c in self.calls]}"
                    )
                self._cond.wait(left)

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    def _answer(
        self, route: str, params: dict[str, str], body: Any
    ) -> tuple[int, dict[str, str], Any]:
        with self._cond:
            queued = self._failures.get(route)
            failure = queued.pop(0) if queued else None
        if failure:
            status, retry_after = failure
            if status == 429:  # discord.py trusts a 429 only when it came through Discord's proxy
                return (
                    429,
                    {"Via": "1.1 google"},
                    {
                        "message": "You are being rate limited.",
                        "retry_after": retry_after,
                        "global": False,
                    },
                )
            return status, {}, {"message": "scripted failure", "code": 0}
        if route in MESSAGE_ROUTES and (problem := too_big(body or {}) or pings(body or {})):
            return 400, {}, {"message": "Invalid Form Body", "code": 50035, "errors": problem}
        if route == CALLBACK and (body or {}).get("type") in (4, 7):
            if problem := too_big(body.get("data") or {}) or pings(body.get("data") or {}):
                return 400, {}, {"message": "Invalid Form Body", "code": 50035, "errors": problem}
        status, headers, result = self._result(route, params, body)
        with self._cond:
            reset_after = self._exhausted.pop(route, None)
        if reset_after is not None:
            headers = headers | {
                "X-RateLimit-Bucket": "fake-" + route.replace(" ", "-"),
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": str(reset_after),
            }
        return status, headers, result

    def _result(self, route: str, p: dict[str, str], body: Any) -> tuple[int, dict[str, str], Any]:
        if route == "GET /users/@me":
            return 200, {}, user(BOT, bot=True)
        if route == "GET /oauth2/applications/@me":
            return (
                200,
                {},
                {
                    "id": BOT,
                    "name": "finnews",
                    "description": "",
                    "icon": None,
                    "bot_public": False,
                    "bot_require_code_grant": False,
                    "owner": user(ALICE),
                    "verify_key": "00" * 32,
                    "flags": 0,
                    "summary": "",
                    "team": None,
                    "interactions_endpoint_url": None,
                },
            )
        if route == "GET /gateway/bot":
            assert self.gateway is not None, "no fake gateway is running"
            return (
                200,
                {},
                {
                    "url": self.gateway.url,
                    "shards": 1,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 999,
                        "reset_after": 0,
                        "max_concurrency": 1,
                    },
                },
            )
        if route in (
            "PUT /applications/{application_id}/commands",
            "PUT /applications/{application_id}/guilds/{guild_id}/commands",
        ):
            return (
                200,
                {},
                [c | {"id": snowflake(), "application_id": BOT, "version": "1"} for c in body],
            )
        if route == "GET /channels/{channel_id}":
            cid = p["channel_id"]
            if cid in self.threads:
                return 200, {}, self.threads[cid]
            if cid in CHANNELS:
                return 200, {}, channel(cid)
            return 404, {}, {"message": "Unknown Channel", "code": 10003}
        if route == "POST /channels/{channel_id}/messages/{message_id}/threads":
            if p["message_id"] in self.threads:
                return (
                    400,
                    {},
                    {
                        "message": "A thread has already been created for this message",
                        "code": 160004,
                    },
                )
            started = thread(p["message_id"], p["channel_id"], body["name"])
            self.threads[p["message_id"]] = started
            if self.gateway:  # Discord tells the bot's gateway, and discord.py caches it
                self.gateway.dispatch("THREAD_CREATE", started | {"newly_created": True})
            return 201, {}, started
        if route.endswith("/callback") or route.startswith("DELETE") or "reactions" in route:
            return 204, {}, None
        if route in MESSAGE_ROUTES:
            where = p.get("channel_id", DEALS)
            mid = p.get("message_id", snowflake())
            return (
                200,
                {},
                {
                    "id": mid if mid != "@original" else snowflake(),
                    "type": 0,
                    "channel_id": where,
                    "author": user(BOT, bot=True),
                    "content": (body or {}).get("content", ""),
                    "timestamp": now(),
                    "embeds": (body or {}).get("embeds", []),
                    "attachments": [],
                    "mentions": [],
                    "mention_roles": [],
                    "pinned": False,
                    "tts": False,
                    "mention_everyone": False,
                    "edited_timestamp": None,
                    "flags": (body or {}).get("flags", 0),
                    "components": (body or {}).get("components", []),
                },
            )
        return 404, {}, {"message": "404: Not Found", "code": 0}

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()


def _handler(fake: FakeDiscord) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.loads(raw) if raw else None
            target = f"{self.command} {unquote(self.path.split('?')[0])}"
            route, params = next(
                ((r, m.groupdict()) for r, pattern in PATTERNS if (m := pattern.fullmatch(target))),
                (target, {}),
            )
            if self.headers.get("Authorization") != f"Bot {TOKEN}" and "/webhooks/" not in route:
                status, headers, result = 401, {}, {"message": "401: Unauthorized", "code": 0}
            else:
                status, headers, result = fake._answer(route, params, body)
            fake._record(Call(route, params, body, status))  # before answering, to keep order
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            payload = b"" if result is None else json.dumps(result).encode()
            if result is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve  # noqa: N815 (http.server)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


# --- The gateway ---


class FakeGateway:
    """A websocket server speaking Discord's gateway protocol (JSON text frames)."""

    HELLO, HEARTBEAT, IDENTIFY, HEARTBEAT_ACK = 10, 1, 2, 11

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []  # every payload the bot sent
        self.close_on_identify: int | None = None  # e.g. 4014: intents the app may not have
        self._cond = threading.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._seq = itertools.count(1)
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.runner = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)

    async def _start(self) -> web.AppRunner:
        app = web.Application()
        app.router.add_get("/", self._session)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = runner.addresses[0][1]
        return runner

    @property
    def url(self) -> str:
        """The address GET /gateway/bot gives."""
        return f"ws://127.0.0.1:{self.port}/"

    async def _session(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"op": self.HELLO, "d": {"heartbeat_interval": 45_000}})
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            payload = json.loads(frame.data)
            with self._cond:
                self.received.append(payload)
                self._cond.notify_all()
            if payload["op"] == self.HEARTBEAT:
                await ws.send_json({"op": self.HEARTBEAT_ACK})
            elif payload["op"] == self.IDENTIFY and self.close_on_identify:
                await ws.close(code=self.close_on_identify)
            elif payload["op"] == self.IDENTIFY:
                await self._send(
                    ws,
                    "READY",
                    {
                        "v": 10,
                        "user": user(BOT, bot=True),
                        "session_id": "fake-session",
                        "guilds": [{"id": GUILD, "unavailable": True}],
                        "resume_gateway_url": self.url,
                        "application": {"id": BOT, "flags": 0},
                    },
                )
                await self._send(ws, "GUILD_CREATE", guild())
        self._sockets.remove(ws)
        return ws

    async def _send(self, ws: web.WebSocketResponse, event: str, data: Any) -> None:
        await ws.send_json({"op": 0, "t": event, "s": next(self._seq), "d": data})

    def dispatch(self, event: str, data: Any) -> None:
        """Send an event to every connected bot."""

        async def send() -> None:
            for ws in list(self._sockets):
                await self._send(ws, event, data)

        asyncio.run_coroutine_threadsafe(send(), self.loop).result(10)

    def ask_heartbeat(self) -> None:
        """Ask the connected bots for a heartbeat now (op 1 from the server)."""

        async def send() -> None:
            for ws in list(self._sockets):
                await ws.send_json({"op": self.HEARTBEAT, "d": None})

        asyncio.run_coroutine_threadsafe(send(), self.loop).result(10)

    def wait(self, op: int, count: int = 1, timeout: float = 15.0) -> list[dict[str, Any]]:
        """Block until the bot sent `count` payloads of this op code."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(found := [p for p in self.received if p["op"] == op]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(found)}/{count} op {op} after {timeout}s")
                self._cond.wait(left)
            return found

    def close(self) -> None:
        """Stop serving."""
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)


def guild() -> dict[str, Any]:
    """The guild the bot is in: #deals and #random, the @everyone role and the bot's own."""
    role = {
        "permissions": "0",
        "position": 0,
        "color": 0,
        "hoist": False,
        "mentionable": False,
        "flags": 0,
        "icon": None,
        "unicode_emoji": None,
    }
    return {
        "id": GUILD,
        "name": "Finnews Test",
        "icon": None,
        "owner_id": ALICE,
        "unavailable": False,
        "member_count": 3,
        "large": False,
        "features": [],
        "joined_at": "2026-01-01T00:00:00+00:00",
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "premium_tier": 0,
        "nsfw_level": 0,
        "preferred_locale": "en-US",
        "system_channel_flags": 0,
        "roles": [
            role | {"id": GUILD, "name": "@everyone", "managed": False},
            role | {"id": BOT_ROLE, "name": "finnews", "managed": True, "tags": {"bot_id": BOT}},
        ],
        "emojis": [],
        "stickers": [],
        "channels": [channel(c) for c in CHANNELS],
        "threads": [],
        "members": [member(BOT) | {"user": user(BOT, bot=True), "roles": [BOT_ROLE]}],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


# --- What Discord sends the bot ---


def message(
    text: str,
    *,
    channel_id: str = DEALS,
    author: str = ALICE,
    mention: bool = True,
    direct: bool = False,
    bot: bool = False,
    mid: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A MESSAGE_CREATE event: in #deals mentioning the bot by default, or a DM."""
    mentions = [user(BOT, bot=True) | {"member": member(BOT)}] if mention else []
    data = {
        "id": mid or snowflake(),
        "channel_id": DM if direct else channel_id,
        "type": 0,
        "author": user(author, bot=bot),
        "content": f"<@{BOT}> {text}" if mention else text,
        "timestamp": now(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions,
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "flags": 0,
        "components": [],
    }
    if not direct:
        data |= {
            "guild_id": GUILD,
            "member": {k: v for k, v in member(author).items() if k != "user"},
        }
    return data | extra


def interaction(
    kind: int,
    data: dict[str, Any],
    *,
    channel_id: str = DEALS,
    who: str = ALICE,
    direct: bool = False,
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An INTERACTION_CREATE payload (the same over the gateway and over HTTP)."""
    payload: dict[str, Any] = {
        "id": snowflake(),
        "application_id": BOT,
        "type": kind,
        "data": data,
        "token": f"interaction-token-{snowflake()}",
        "version": 1,
        "locale": "en-US",
        "app_permissions": "2147483647",
        "entitlements": [],
        "attachment_size_limit": 10485760,
        "authorizing_integration_owners": {"0": GUILD},
        "context": 1 if direct else 0,
    }
    if direct:
        payload |= {
            "channel_id": DM,
            "user": user(who),
            "channel": {"id": DM, "type": 1, "recipients": [user(who)]},
        }
    else:
        where = channel(channel_id) if channel_id in CHANNELS else thread(channel_id, DEALS, "t")
        payload |= {
            "guild_id": GUILD,
            "channel_id": channel_id,
            "channel": where,
            "member": member(who),
            "guild_locale": "en-US",
        }
    if message is not None:
        payload["message"] = message
    return payload


def command(verb: str, text: str | None = None, **kw: Any) -> dict[str, Any]:
    """`/finnews <verb> [text]` as an application command interaction."""
    option = {"ask": "question", "summary": "topic", "digest": "until", "add": "url"}.get(verb)
    sub: dict[str, Any] = {"type": 1, "name": verb}
    if text is not None and option:
        sub["options"] = [{"type": 3, "name": option, "value": text}]
    return interaction(
        2, {"id": "1700000000000000001", "name": "finnews", "type": 1, "options": [sub]}, **kw
    )


def click(custom_id: str, on: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    """A button press on a message (by default an ephemeral answer)."""
    shown = on or {
        "id": snowflake(),
        "channel_id": DEALS,
        "type": 20,
        "content": "",
        "author": user(BOT, bot=True),
        "timestamp": now(),
        "embeds": [],
        "attachments": [],
        "mentions": [],
        "mention_roles": [],
        "pinned": False,
        "tts": False,
        "mention_everyone": False,
        "edited_timestamp": None,
        "flags": 64,
        "components": [],
    }
    return interaction(3, {"custom_id": custom_id, "component_type": 2}, message=shown, **kw)


def signed_post(
    url: str,
    payload: Any,
    key: SigningKey,
    *,
    timestamp: int | None = None,
    raw: bytes | None = None,
) -> tuple[int, Any]:
    """POST an interaction signed the way Discord signs it; (status, JSON answer)."""
    body = raw if raw is not None else json.dumps(payload).encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = key.sign(stamp.encode() + body).signature.hex()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Signature-Ed25519": signature,
            "X-Signature-Timestamp": stamp,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


# --- pytest fixtures (test modules load them with `pytest_plugins = ["discord_fake"]`) ---


@pytest.fixture(scope="session")
def discord_core(tmp_path_factory: pytest.TempPathFactory) -> Finnews:
    """One core over the sample articles, shared by the Discord tests, which only read it."""
    return open_core(tmp_path_factory.mktemp("discord-core"))


@pytest.fixture
def discord_api() -> Iterator[FakeDiscord]:
    """The fake REST API and gateway, closed after the test."""
    api, gateway = FakeDiscord(), FakeGateway()
    api.gateway = gateway
    yield api
    gateway.close()
    api.close()


@dataclass
class Running:
    """A bot wired to the fakes, with its ledger; `url` is its interactions endpoint if any."""

    bot: DiscordBot
    ledger: Ledger
    api: FakeDiscord
    key: SigningKey
    url: str = ""

    @property
    def gateway(self) -> FakeGateway:
        assert self.api.gateway is not None
        return self.api.gateway

    def say(self, text: str, **kw: Any) -> dict[str, Any]:
        """A message arriving over the gateway (see `message`); the event sent."""
        event = message(text, **kw)
        self.gateway.dispatch("MESSAGE_CREATE", event)
        return event

    def interact(self, payload: dict[str, Any]) -> tuple[int, Any]:
        """An interaction over HTTP when the bot has an endpoint, else over the gateway."""
        if self.url:
            status, first = signed_post(self.url, payload, self.key)
            if status == 200 and first.get("type") in (4, 7):
                assert not pings(first["data"]), pings(first["data"])
            return status, first
        self.gateway.dispatch("INTERACTION_CREATE", payload)
        return 0, None


@pytest.fixture
def run_discord(
    discord_core: Finnews, discord_api: FakeDiscord, tmp_path: Path
) -> Iterator[Callable[..., Running]]:
    """Start the bot against the fakes (one worker by default: work runs in arrival order);
    `http=True` adds the interactions endpoint (signed with a key made here)."""
    started: list[Running] = []
    servers = []

    def build(
        http: bool = False,
        gateway: bool = True,
        finnews: Finnews | None = None,
        workers: int = 1,
        **settings: Any,
    ) -> Running:
        key = SigningKey.generate()
        config = Settings(
            _env_file=None,
            data_dir=tmp_path,
            embedder="hashing",
            discord_bot_token=TOKEN,
            discord_api_url=discord_api.api_url,
            discord_gateway=gateway,
            discord_public_key=key.verify_key.encode().hex() if http else None,
            **settings,
        )
        ledger = open_ledger(open_database(config))
        bot = create_bot(
            config,
            finnews or discord_core,
            ledger,
            executor=ThreadPoolExecutor(workers),
            guild_ready_timeout=0.05,
        )
        running = Running(bot, ledger, discord_api, key)
        started.append(running)
        if http:
            server = http_server(routes(bot.routes), "127.0.0.1", 0)
            threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
            servers.append(server)
            running.url = f"http://127.0.0.1:{server.server_port}{INTERACTIONS_PATH}"
        return running

    yield build
    for server in servers:
        server.shutdown()
        server.server_close()
    for running in started:
        running.bot.close()
