"""Discord's REST API through discord.py's HTTP client (which waits out 429s and retries 5xx),
callable from worker threads while the client lives on the adapter's event loop."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import HTTPClient, Route

THREAD_EXISTS = 160004  # Discord's JSON error code for a message that already has a thread
BACKOFF = (0.5, 1.0)  # seconds before trying a 5xx again that discord.py does not retry (503)
RETRIED = {500, 502, 504, 524}  # 5xx discord.py has already tried five times
T = TypeVar("T")


class RestError(Exception):
    """Discord did not take a request: its HTTP status and JSON code when it answered."""

    def __init__(self, reason: str, status: int | None = None, code: int | None = None) -> None:
        super().__init__(reason)
        self.status, self.code = status, code


def point_at(api_url: str) -> None:
    """Send discord.py's REST calls to `api_url` (Discord's own, or a local stand-in).

    discord.py keeps the API's address in one class attribute (its own API-version switch sets it
    the same way), so it holds for the whole process: one Discord API per process."""
    Route.BASE = api_url.rstrip("/")


def use_gateway(url: str) -> None:
    """Connect the gateway at `url`, the address GET /gateway/bot gave (discord.py's default is
    Discord's, kept in a class attribute like the API's)."""
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)


class LoopThread:
    """An event loop running on a daemon thread of its own, for discord.py's client."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, daemon=True, name="finnews-discord"
        )
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run a coroutine on the loop and wait for its result (TimeoutError after `timeout`)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        """Cancel what still runs on the loop, then stop and close it."""

        async def cancel_all() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        if self.loop.is_closed():
            return
        self.run(cancel_all(), 30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(30)
        self.loop.close()


class Rest:
    """Requests to Discord's REST API, from the loop (`request`) or from any thread (`call`)."""

    def __init__(
        self, http: HTTPClient, loop: asyncio.AbstractEventLoop, timeout: float = 90.0
    ) -> None:
        self.http, self.loop, self.timeout = http, loop, timeout

    async def request(self, method: str, path: str, payload: Any = None, **params: Any) -> Any:
        """One request (path with {named} parameters); RestError when Discord did not take it.

        discord.py waits out 429s (retry_after, bucket headers) and retries 500, 502, 504 and
        524 with backoff; other 5xx (503 above all) are retried here."""
        route = Route(method, path, **params)
        for wait in (*BACKOFF, None):
            try:
                return await self._send(route, payload)
            except discord.DiscordServerError as exc:
                if wait is None or exc.status in RETRIED:
                    raise _refused(exc) from None
                await asyncio.sleep(wait)
        raise AssertionError("unreachable: the last try returns or raises")

    async def _send(self, route: Route, payload: Any) -> Any:
        try:
            if payload is None:
                return await self.http.request(route)
            return await self.http.request(route, json=payload)
        except discord.DiscordServerError:
            raise  # request() decides whether to try again
        except discord.HTTPException as exc:
            raise _refused(exc) from None
        except discord.RateLimited as exc:  # retry_after beyond max_ratelimit_timeout
            raise RestError(f"rate limited for {exc.retry_after:.0f} s", 429) from None
        except (aiohttp.ClientError, OSError) as exc:  # timeouts are OSErrors
            raise RestError(type(exc).__name__) from None

    def call(self, method: str, path: str, payload: Any = None, **params: Any) -> Any:
        """`request` from a thread that is not the loop's, waiting for its answer."""
        future = asyncio.run_coroutine_threadsafe(
            self.request(method, path, payload, **params), self.loop
        )
        try:
            return future.result(self.timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise RestError("no answer in time") from None


def _refused(exc: discord.HTTPException) -> RestError:
    return RestError(f"HTTP {exc.status} (code {exc.code})", exc.status, exc.code)
