"""The shared database on SQLite and on a real PostgreSQL: migrations, the feed registry, leases
and reading the SQLite files of older versions."""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import inspect, text

from index.database import open_database
from index.database.lease import Lease
from index.web.registry import Registry


def test_migrations_make_every_table_and_a_second_start_changes_nothing(database, database_url):
    tables = set(inspect(database.engine).get_table_names())
    assert {"feeds", "answers", "votes", "seen_keys", "digest_posts", "leases"} <= tables
    assert {"watches", "alerts", "alert_sources"} <= tables
    again = open_database(database_url)
    with again.begin() as db:
        assert db.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
            "0002"
        ]


def test_a_database_of_the_previous_schema_gains_the_alert_tables_and_keeps_its_rows(
    database_url,
):
    from index.database.engine import upgrade

    before = open_database(database_url, migrate=False)
    upgrade(before, "0001")  # as the release before the alerts left it
    with before.begin() as db:
        db.execute(text("INSERT INTO leases (name, owner, until) VALUES ('feeds:x', 'a', 1)"))
    assert "watches" not in inspect(before.engine).get_table_names()
    before.dispose()
    after = open_database(database_url)
    assert {"watches", "alerts", "alert_sources"} <= set(inspect(after.engine).get_table_names())
    with after.begin() as db:
        assert db.execute(text("SELECT owner FROM leases")).scalars().all() == ["a"]
    after.dispose()


def test_replicas_starting_at_once_migrate_once(database_url):
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def boot() -> None:
        start.wait()
        try:
            open_database(database_url).dispose()
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=boot) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_registry_keeps_feeds_per_collection_with_their_polls(database):
    reuters, other = Registry(database, "reuters"), Registry(database, "other")
    assert reuters.add("https://a.example/feed") and not reuters.add("https://a.example/feed")
    assert other.add("https://a.example/feed")  # another collection's registry
    reuters.polled("https://a.example/feed", etag='"x"', last_modified=None, new_items=3, at=10.0)
    state = reuters.failed("https://a.example/feed", "timeout", at=20.0, backoff=60, most=600)
    assert (state.polls, state.items, state.errors, state.failures) == (2, 3, 1, 1)
    assert state.backoff_until == 80.0 and state.etag == '"x"'
    reuters.remember("https://a.example/feed", [("k1", "d1"), ("k2", "d2")])
    reuters.remember("https://a.example/feed", [("k1", "d1b")])
    assert reuters.seen("https://a.example/feed", ["k1", "k2", "k3"]) == {"k1": "d1b", "k2": "d2"}
    assert other.seen("https://a.example/feed", ["k1"]) == {}
    reuters.link("https://copy.example/1", "a1")
    assert reuters.aliases("a1") == ["https://copy.example/1"] and other.aliases("a1") == []
    assert reuters.totals().feeds == 1 and reuters.totals().aliases == 1
    assert reuters.remove("https://a.example/feed") and not reuters.remove("https://a.example/feed")
    assert reuters.feeds() == [] and [f.url for f in other.feeds()] == ["https://a.example/feed"]


def test_a_lease_is_held_by_one_owner_until_it_expires_or_is_released(database):
    now = [100.0]
    poller_a = Lease(database, "feeds:x", "a", ttl=30, clock=lambda: now[0])
    poller_b = Lease(database, "feeds:x", "b", ttl=30, clock=lambda: now[0])
    assert poller_a.hold() and not poller_b.hold()
    now[0] = 120.0
    assert poller_a.hold() and not poller_b.hold()  # renewed: good until 150
    now[0] = 149.0
    assert not poller_b.hold()
    now[0] = 151.0  # a stopped renewing (died): b takes over
    assert poller_b.hold() and not poller_a.hold()
    poller_b.release()
    assert poller_a.hold()


def test_an_older_registry_file_is_read_once(database, tmp_path):
    old = tmp_path / "feeds.sqlite3"
    db = sqlite3.connect(old)
    db.executescript("""
        CREATE TABLE feeds (url TEXT PRIMARY KEY, added REAL NOT NULL, etag TEXT,
            last_modified TEXT, last_poll REAL, failures INTEGER NOT NULL DEFAULT 0,
            backoff_until REAL NOT NULL DEFAULT 0, polls INTEGER NOT NULL DEFAULT 0,
            items INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0, last_error TEXT);
        CREATE TABLE items (feed TEXT NOT NULL, key TEXT NOT NULL, digest TEXT NOT NULL,
            seen REAL NOT NULL, PRIMARY KEY (feed, key));
        CREATE TABLE aliases (url TEXT PRIMARY KEY, article_id TEXT NOT NULL, at REAL NOT NULL);
        INSERT INTO feeds (url, added, polls, items) VALUES ('https://a.example/feed', 1, 4, 9);
        INSERT INTO items VALUES ('https://a.example/feed', 'k1', 'd1', 2);
        INSERT INTO aliases VALUES ('https://copy.example/1', 'a1', 3);""")
    db.commit()
    db.close()
    registry = Registry(database, "reuters")
    assert registry.import_file(old)
    feed = "https://a.example/feed"
    assert (registry.state(feed).polls, registry.state(feed).items) == (4, 9)
    assert registry.seen(feed, ["k1"]) == {"k1": "d1"}
    registry.remove("https://a.example/feed")  # removed after the import ...
    assert not Registry(database, "reuters").import_file(old)  # ... stays removed on restart
    assert registry.feeds() == [] and registry.aliases("a1") == ["https://copy.example/1"]
    assert not registry.import_file(tmp_path / "absent.sqlite3")


def test_a_kept_lease_moves_to_the_other_replica_when_its_holder_stops(database, database_url):
    from index.database.lease import keep

    stop_a, stop_b = threading.Event(), threading.Event()
    a = keep(Lease(database, "feeds:x", "a", ttl=0.3), stop_a)
    assert a.wait(5)
    b = keep(Lease(open_database(database_url), "feeds:x", "b", ttl=0.3), stop_b)
    assert not b.wait(0.5)  # a renews every 0.1 s: b stands by
    stop_a.set()
    assert b.wait(5) and not a.is_set()
    stop_b.set()
