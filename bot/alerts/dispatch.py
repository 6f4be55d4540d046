"""Posting alerts: each (watch, story, channel) claimed once in the alert store before it is
posted, later sources added to the posted message, a cool-down per watch and a daily cap per
channel, failed posts tried again and then reported. Platforms are reached through chat ports."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from bot.alerts.alert import Alert, alert_of
from bot.alerts.matching import Added, Found, Matcher
from bot.alerts.store import MAX_ATTEMPTS, AlertRow, AlertStore
from bot.alerts.watches import split_target
from bot.chat.ledger import Entry, Ledger
from bot.chat.port import Place, Port, Reply, Undelivered
from bot.core import Finnews
from bot.settings import AlertSettings
from index.deals.stories import WINDOW, similar_titles

log = logging.getLogger("finnews.alerts")
DAY = 86_400.0
USER = "finnews-alerts"  # the ledger's user of an alert (no one asked it)


@dataclass(frozen=True)
class Outcome:
    """What became of one match: posted, updated, held (cool-down, cap), failed, already."""

    channel: str
    watch: str
    result: str


class Alerter:
    """Turns new articles into alerts in the watching channels of the platforms it has ports
    for; registered on the core as a listener of added articles."""

    def __init__(
        self,
        store: AlertStore,
        matcher: Matcher,
        ports: Mapping[str, Port],
        settings: AlertSettings,
        ledger: Ledger | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.matcher, self.ports, self.settings = store, matcher, ports, settings
        self.ledger, self.clock = ledger, clock
        self._lock = threading.Lock()  # the poller and chat workers may add articles at once

    def on_added(self, added: Added) -> list[Outcome]:
        """Alert the watching channels of what these new articles bring (and retry failures)."""
        with self._lock:
            outcomes = self.retry()
            watches = [w for w in self.store.watches() if split_target(w.channel)[0] in self.ports]
            if not (watches and added):
                return outcomes
            for found in self.matcher.match(added, watches):
                outcomes.append(self._deliver(found))
        return outcomes

    def retry(self) -> list[Outcome]:
        """Post again the alerts whose last post failed."""
        outcomes = []
        for row in self.store.failed():
            platform, _ = split_target(row.channel)
            if platform in self.ports and self.store.retake(row.id, self.clock()):
                outcomes.append(
                    self._post(row.id, row.channel, row.attempts, Alert.of(row.content))
                )
        return outcomes

    def _deliver(self, found: Found) -> Outcome:
        watch, channel = found.watch, found.watch.channel
        alert = alert_of(watch.name, found.story, list(found.quotes))
        ids = [a.id for a in found.story.articles]
        earlier = self.store.alert_for(watch.id, ids)
        if earlier is None and found.story.deal is None:
            earlier, alert = self._retold(watch.id, alert)
        if earlier is not None:
            return self._more_sources(earlier, ids, alert)
        now = self.clock()
        held = self._held(watch.id, channel, now)
        story = ids[0]
        if held:
            kept = self.store.claim(watch.id, channel, story, ids, alert.data(), now, "held", held)
            if kept is None:
                return Outcome(channel, watch.name, "already")  # claimed elsewhere meanwhile
            log.info("alert for %r in %s held back: %s", watch.name, channel, held)
            return Outcome(channel, watch.name, "held")
        alert_id = self.store.claim(watch.id, channel, story, ids, alert.data(), now)
        if alert_id is None:
            return Outcome(channel, watch.name, "already")  # another process has it
        return self._post(alert_id, channel, 0, alert)

    def _retold(self, watch_id: int, alert: Alert) -> tuple[AlertRow | None, Alert]:
        """A story without a deal that another outlet's near-identical headline already
        alerted (as the deal store groups such articles): that alert, with this source added."""
        since = self.clock() - WINDOW.total_seconds()
        for row in self.store.recent(watch_id, since):
            told = Alert.of(row.content)
            if not told.company and similar_titles(told.info(), alert.info()):
                return row, told.with_source(alert.sources[0])
        return None, alert

    def _held(self, watch_id: int, channel: str, now: float) -> str | None:
        """Why a new alert may not be posted now, if it may not."""
        last = self.store.last_post(watch_id)
        if last is not None and now - last < self.settings.cooldown:
            return "cool-down"
        if self.store.count_since(channel, now - DAY) >= self.settings.daily_cap:
            return "daily cap"
        return None

    def _more_sources(self, earlier: AlertRow, ids: Sequence[str], alert: Alert) -> Outcome:
        """A story already alerted: its new articles become sources of the posted message."""
        channel, watch = earlier.channel, earlier.content.get("watch", "")
        if not self.store.add_sources(earlier.id, ids):
            return Outcome(channel, watch, "already")
        self.store.save_content(earlier.id, alert.data(), self.clock())
        if earlier.state != "posted" or not earlier.message:
            return Outcome(channel, watch, "sources added")
        platform, where = split_target(channel)
        try:
            self.ports[platform].update(Place(where), earlier.message, Reply(alert))
        except Undelivered as exc:  # the alert stands; only its source list is behind
            log.warning("could not add sources to the alert in %s: %s", channel, exc)
        return Outcome(channel, watch, "updated")

    def _post(self, alert_id: int, channel: str, attempts: int, alert: Alert) -> Outcome:
        platform, where = split_target(channel)
        try:
            message = self.ports[platform].post(Place(where), Reply(alert))
        except Undelivered as exc:
            last = attempts + 1 >= MAX_ATTEMPTS
            state = "gave up" if last else "failed"
            self.store.finish(alert_id, state, self.clock(), error=str(exc), attempt=True)
            if last:
                log.error(
                    "alert for %r in %s not posted after %d tries: %s",
                    alert.watch,
                    channel,
                    attempts + 1,
                    exc,
                )
            else:
                log.warning(
                    "alert for %r in %s not posted (will retry): %s", alert.watch, channel, exc
                )
            return Outcome(channel, alert.watch, state)
        self.store.finish(alert_id, "posted", self.clock(), message=message, attempt=True)
        self._remember(alert, where, message)
        return Outcome(channel, alert.watch, "posted")

    def _remember(self, alert: Alert, channel: str, message: str | None) -> None:
        """Keep the alert in the conversation ledger, so a reply in its thread is a follow-up."""
        if self.ledger is None or message is None:
            return
        entry = Entry(
            f"alert-{message}",
            alert.answer().question,
            alert.answer(),
            USER,
            channel,
            message,
            message,
        )
        try:
            self.ledger.record(entry)
        except SQLAlchemyError:  # the alert is out; only follow-ups in its thread lose it
            log.exception("could not record an alert in the ledger")


def attach(finnews: Finnews, ports: Mapping[str, Port], ledger: Ledger | None) -> Alerter:
    """An alerter over the alert store in the core's shared database, listening to the core's
    added articles."""
    settings = finnews.settings
    matcher = Matcher(
        finnews.deals, finnews.store, finnews.embedder, settings.alerts.topic_threshold
    )
    alerter = Alerter(AlertStore(finnews.database), matcher, ports, settings.alerts, ledger)
    finnews.listeners.append(alerter.on_added)
    return alerter
