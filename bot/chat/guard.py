"""What decides whether a Slack request gets an answer: dedupe, channel allowlist, rate limit."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable


class Seen:
    """Keys claimed in the last `ttl` seconds; the first claim of a key wins, later ones lose."""

    def __init__(
        self, ttl: float = 3600.0, size: int = 50_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._size = size
        self._clock = clock
        self._keys: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        """True the first time a key is seen (within the ttl), False for every repeat."""
        now = self._clock()
        with self._lock:
            while self._keys and (
                len(self._keys) >= self._size or next(iter(self._keys.values())) < now - self._ttl
            ):
                self._keys.popitem(last=False)
            if key in self._keys:
                return False
            self._keys[key] = now
            return True


class RateLimit:
    """At most `per_minute` requests per user in any 60-second window; 0 means no limit."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = per_minute
        self._clock = clock
        self._times: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, user: str) -> bool:
        """Count one request of the user; False when it is over the limit (and not counted)."""
        if self._limit <= 0:
            return True
        now = self._clock()
        with self._lock:
            times = self._times.setdefault(user, deque())
            while times and times[0] <= now - 60:
                times.popleft()
            if len(times) >= self._limit:
                return False
            times.append(now)
            return True


class Allowlist:
    """Channels the bot answers in, by id or name; empty means all. DMs are always allowed."""

    def __init__(self, channels: Iterable[str]) -> None:
        self._channels = {c.strip().lstrip("#").lower() for c in channels if c.strip()}

    def allows(
        self, channel_id: str, channel_name: str | None = None, direct: bool = False
    ) -> bool:
        """Whether the bot may answer in this conversation."""
        if not self._channels or direct:
            return True
        names = {channel_id.lower(), (channel_name or "").lstrip("#").lower()} - {""}
        return bool(names & self._channels)
