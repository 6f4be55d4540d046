"""The alert store on the shared database, on SQLite and on a real PostgreSQL: watches unique
per channel, an alert claimed once among replicas, sources linked once, retries taken once."""

from __future__ import annotations

import threading

from bot.alerts.store import AlertStore
from index.database import open_database

CHANNEL = "slack:C0DEALS01"


def test_a_watch_is_kept_once_per_channel_and_removed_with_its_alerts(database):
    store = AlertStore(database)
    first = store.add_watch(CHANNEL, "Halvorsen Wind", "company:halvorsen wind", "company", "U1", 1)
    assert first is not None and first.name == "Halvorsen Wind"
    again = store.add_watch(
        CHANNEL, "Halvorsen Wind ASA", "company:halvorsen wind", "company", "U2", 2
    )
    assert again is None
    other = store.add_watch("discord:1300000000000000001", "IBM", "company:ibm", "company", "U1", 3)
    assert other is not None and other.id != first.id
    assert [w.name for w in store.watches()] == ["Halvorsen Wind", "IBM"]
    assert store.claim(first.id, CHANNEL, "a1", ["a1", "a2"], {"watch": "x"}, 10.0) is not None
    assert store.remove_watch(CHANNEL, "company:halvorsen wind") == first
    assert store.remove_watch(CHANNEL, "company:halvorsen wind") is None
    assert store.alert_for(first.id, ["a1"]) is None and store.tallies() == {}
    assert [w.name for w in store.watches(CHANNEL)] == []


def test_of_replicas_claiming_one_story_at_once_exactly_one_wins(database, database_url):
    watch = AlertStore(database).add_watch(CHANNEL, "IBM", "company:ibm", "company", "U1", 1)
    assert watch is not None
    replicas = [AlertStore(open_database(database_url)) for _ in range(4)]
    start, won = threading.Barrier(4), []

    def claim(store: AlertStore) -> None:
        start.wait()
        won.append(store.claim(watch.id, CHANNEL, "a1", ["a1"], {"n": 1}, 10.0))

    threads = [threading.Thread(target=claim, args=(r,)) for r in replicas]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    [alert_id] = [w for w in won if w is not None]
    assert won.count(None) == 3
    assert replicas[0].alert_for(watch.id, ["zz", "a1"]).id == alert_id
    # A held story is claimed under the same key: it does not come back as a new alert.
    assert replicas[1].claim(watch.id, CHANNEL, "a1", ["a1"], {}, 11.0, "held", "cap") is None
    for replica in replicas:
        replica.database.dispose()


def test_sources_are_linked_once_and_a_failed_alert_is_retaken_by_one_replica(
    database, database_url
):
    store, other = AlertStore(database), AlertStore(open_database(database_url))
    watch = store.add_watch(CHANNEL, "IBM", "company:ibm", "company", "U1", 1)
    alert_id = store.claim(watch.id, CHANNEL, "a1", ["a1"], {"n": 1}, 100.0)
    assert store.add_sources(alert_id, ["a2", "a1", "a3", "a2"]) == ["a2", "a3"]
    assert other.add_sources(alert_id, ["a3", "a2"]) == []
    store.finish(alert_id, "failed", 101.0, error="HTTP 500", attempt=True)
    assert [a.id for a in other.failed()] == [alert_id]
    assert store.retake(alert_id, 102.0) and not other.retake(alert_id, 102.0)
    assert not other.retake(alert_id, 102.0 + 60)  # another's post in flight is left alone
    assert other.retake(alert_id, 102.0 + 16 * 60)  # ... until its poster is presumed dead
    store.finish(alert_id, "posted", 2000.0, message="1790000001.000100", content={"n": 2})
    [row] = other.recent(watch.id, since=0.0)
    assert (row.state, row.message, row.attempts, row.content) == (
        "posted",
        "1790000001.000100",
        1,
        {"n": 2},
    )
    assert other.count_since(CHANNEL, 50.0) == 1 and other.count_since(CHANNEL, 150.0) == 0
    assert other.last_post(watch.id) == 100.0
    tally = other.tallies()[watch.id]
    assert (tally.posted, tally.held, tally.failing, tally.gave_up) == (1, 0, 0, 0)
    other.database.dispose()
