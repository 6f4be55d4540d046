"""What decides whether a request gets an answer: dedupe, channel allowlist, rate limit."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable, Iterable

from sqlalchemy import func, select, text

from index.database import Database
from index.database.tables import rate_hits, seen_keys


class Seen:
    """Keys claimed in the last `ttl` seconds, in the shared database: the first claim of a key
    wins on whichever replica it is made, later ones lose."""

    def __init__(
        self, database: Database, ttl: float = 3600.0, clock: Callable[[], float] = time.time
    ) -> None:
        self._database, self._ttl, self._clock = database, ttl, clock
        self._claims = itertools.count()

    def claim(self, key: str) -> bool:
        """True the first time a key is seen (within the ttl), False for every repeat."""
        now = self._clock()
        insert = self._database.insert(seen_keys).values(key=key, at=now)
        take = insert.on_conflict_do_update(  # a key whose claim has expired is taken again
            index_elements=["key"],
            set_={"at": insert.excluded.at},
            where=seen_keys.c.at <= now - self._ttl,
        )
        with self._database.begin() as db:
            if next(self._claims) % 1000 == 0:  # now and then, forget what has expired
                db.execute(seen_keys.delete().where(seen_keys.c.at <= now - self._ttl))
            return db.execute(take.returning(seen_keys.c.key)).first() is not None


class RateLimit:
    """At most `per_minute` requests per user in any 60-second window, counted over every
    replica in the shared database (per `scope`: one platform's users); 0 means no limit."""

    def __init__(
        self,
        database: Database,
        scope: str,
        per_minute: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._database, self._scope, self._limit = database, scope, per_minute
        self._clock = clock

    def allow(self, user: str) -> bool:
        """Count one request of the user; False when it is over the limit (and not counted)."""
        if self._limit <= 0:
            return True
        now = self._clock()
        mine = (rate_hits.c.scope == self._scope, rate_hits.c.user == user)
        with self._database.begin() as db:
            if self._database.dialect == "postgresql":  # one count per user at a time
                db.execute(
                    text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                    {"k": f"rate:{self._scope}:{user}"},
                )
            # The delete comes first: on SQLite it takes the write lock, so counts don't race.
            db.execute(rate_hits.delete().where(*mine, rate_hits.c.at <= now - 60))
            recent = db.execute(select(func.count()).where(*mine)).scalar_one()
            if recent >= self._limit:
                return False
            db.execute(
                rate_hits.insert().values(id=uuid.uuid4().hex, scope=self._scope, user=user, at=now)
            )
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
