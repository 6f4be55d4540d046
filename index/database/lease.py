"""A lease: a named job (the feed poller, the digest schedule) held by one process at a time,
for a few seconds at a time, so that it moves to another replica when its holder dies."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from index.database.engine import Database
from index.database.tables import leases

log = logging.getLogger("finnews.lease")


class Lease:
    """One named lease, as seen by one owner: `hold()` takes or renews it while it is free or
    ours; after `ttl` seconds without renewal anyone may take it."""

    def __init__(
        self,
        database: Database,
        name: str,
        owner: str,
        ttl: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._database, self.name, self.owner, self.ttl = database, name, owner, ttl
        self._clock = clock

    def hold(self) -> bool:
        """Take or renew the lease; False when another owner holds it unexpired."""
        now = self._clock()
        insert = self._database.insert(leases).values(
            name=self.name, owner=self.owner, until=now + self.ttl
        )
        take = insert.on_conflict_do_update(
            index_elements=["name"],
            set_={"owner": insert.excluded.owner, "until": insert.excluded.until},
            where=(leases.c.owner == self.owner) | (leases.c.until < now),
        )
        with self._database.begin() as db:
            return db.execute(take.returning(leases.c.name)).first() is not None

    def release(self) -> None:
        """Give the lease up at once (a clean stop), if it is ours."""
        mine = (leases.c.name == self.name) & (leases.c.owner == self.owner)
        with self._database.begin() as db:
            db.execute(leases.delete().where(mine))


def keep(lease: Lease, stop: threading.Event) -> threading.Event:
    """Hold the lease while `stop` is unset, renewing it every third of its ttl on a daemon
    thread; the returned event is set while this process holds it. On stop it is released."""
    held = threading.Event()

    def run() -> None:
        while True:
            try:
                mine = lease.hold()
            except SQLAlchemyError:  # the database is away: stand down until it is back
                log.exception("could not renew the lease %s", lease.name)
                mine = False
            if mine and not held.is_set():
                log.info("took the lease %s", lease.name)
            held.set() if mine else held.clear()
            if stop.wait(lease.ttl / 3):
                break
        held.clear()
        try:
            lease.release()
        except SQLAlchemyError:
            log.warning("could not release the lease %s; it expires on its own", lease.name)

    threading.Thread(target=run, daemon=True, name=f"lease-{lease.name}").start()
    return held


def owner_id() -> str:
    """A name for this process among the replicas."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
