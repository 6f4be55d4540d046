"""The chat core's bookkeeping: commands read, dedupe, rate limit, allowlist, the ledger."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime

from bot.chat.guard import Allowlist, RateLimit, Seen
from bot.chat.ledger import Entry, Ledger, open_ledger
from bot.chat.replies import parse_command
from index.database import open_database
from index.records import Answer, Citation, Sentence

WHEN = datetime(2026, 10, 7, tzinfo=UTC)


def test_slash_command_text_is_read_as_verb_and_argument():
    assert parse_command("") == ("help", "")
    assert parse_command("ASK who raised?") == ("ask", "who raised?")
    assert parse_command("summary  Corvanta ") == ("summary", "Corvanta")
    assert parse_command("who raised money?") == ("ask", "who raised money?")


def test_seen_keys_are_claimed_once_until_they_expire(database):
    now = [0.0]
    seen = Seen(database, ttl=10, clock=lambda: now[0])
    assert seen.claim("Ev1") and not seen.claim("Ev1") and seen.claim("Ev2")
    now[0] = 11.0
    assert seen.claim("Ev1") and not seen.claim("Ev1")


def test_a_key_is_claimed_once_whichever_replica_sees_it(database, database_url):
    replicas = [Seen(database), Seen(open_database(database_url))]
    start = threading.Barrier(8)
    wins: list[bool] = []

    def claim(n: int) -> None:
        start.wait()
        wins.append(replicas[n % 2].claim("slack:event:Ev9"))

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]


def test_rate_limit_counts_per_user_per_minute_over_every_replica(database, database_url):
    now = [0.0]
    limit = RateLimit(database, "slack", 2, clock=lambda: now[0])
    other = RateLimit(open_database(database_url), "slack", 2, clock=lambda: now[0] + 1)
    assert [limit.allow("U1"), other.allow("U1"), limit.allow("U1")] == [True, True, False]
    assert limit.allow("U2")
    assert RateLimit(database, "discord", 2, clock=lambda: now[0]).allow("U1")  # its own count
    now[0] = 60.5  # the first request has left the window, the second has not
    assert limit.allow("U1") and not limit.allow("U1")
    assert all(RateLimit(database, "slack", 0).allow("U1") for _ in range(100))


def test_allowlist_matches_ids_and_names_and_always_allows_dms():
    allow = Allowlist(["C0DEALS", "#Finance"])
    assert allow.allows("C0DEALS") and allow.allows("C9", "finance")
    assert not allow.allows("C9", "random") and allow.allows("D1", direct=True)
    assert Allowlist([]).allows("C9")


def test_ledger_finds_threads_by_root_or_answer_and_keeps_one_vote_per_user(database):
    ledger = Ledger(database)
    said = Answer(
        "q1",
        (Sentence("Acme raised $5 million.", (1,)),),
        (Citation(1, "a9", "Acme raises", "Wire", "https://w.example/a", WHEN),),
    )
    ledger.record(Entry("a1", "q1", said, "U1", "D1", "100.1", "200.1"))
    assert [e.id for e in ledger.thread("D1", "100.1")] == ["a1"]
    assert [e.id for e in ledger.thread("D1", "200.1")] == ["a1"]
    assert ledger.thread("D2", "100.1") == []
    assert ledger.entry("a1").answer == said  # kept as data: any platform can show it again
    assert ledger.vote("a1", "U2", True) and ledger.vote("a1", "U2", False)
    assert not ledger.vote("nope", "U2", True)
    [vote] = ledger.votes()
    assert (vote.question, vote.answer, vote.user, vote.channel, vote.helpful) == (
        "q1",
        "Acme raised $5 million [1].",
        "U2",
        "D1",
        False,
    )


def test_a_slack_only_ledger_is_imported_once_with_its_answers_and_votes(tmp_path, database):
    legacy = sqlite3.connect(tmp_path / "slack.sqlite3")
    legacy.executescript("""
        CREATE TABLE answers (id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL,
            blocks TEXT NOT NULL, user TEXT NOT NULL, channel TEXT NOT NULL, thread TEXT,
            posted_ts TEXT, at TEXT NOT NULL);
        CREATE TABLE votes (answer_id TEXT NOT NULL, user TEXT NOT NULL, helpful INTEGER NOT NULL,
            at TEXT NOT NULL, PRIMARY KEY (answer_id, user));""")
    legacy.execute(
        "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            "old1",
            "Who lent?",
            "Arden Crowe Bank lent [1].",
            json.dumps([]),
            "U1",
            "C0DEALS",
            "100.1",
            "200.1",
            "2026-10-07T09:00:00+00:00",
        ),
    )
    legacy.execute("INSERT INTO votes VALUES ('old1', 'U2', 1, '2026-10-07T09:01:00+00:00')")
    legacy.commit()
    legacy.close()
    ledger = open_ledger(database, tmp_path)
    [entry] = ledger.thread("C0DEALS", "100.1")
    assert (entry.id, entry.question, entry.prose) == (
        "old1",
        "Who lent?",
        "Arden Crowe Bank lent [1].",
    )
    [vote] = ledger.votes()
    assert (vote.answer_id, vote.user, vote.helpful) == ("old1", "U2", True)
    ledger.record(Entry("new1", "q", entry.answer, "U1", "C0DEALS"))
    again = open_ledger(database, tmp_path)  # a second start imports nothing twice
    assert [v.answer_id for v in again.votes()] == ["old1"]
    assert again.entry("new1") is not None


def test_a_ledger_file_of_a_data_folder_is_read_into_the_database_once(tmp_path, database):
    old = Ledger(open_database(f"sqlite:///{tmp_path / 'old.sqlite3'}"))
    said = Answer("q1", (Sentence("Acme raised $5 million.", ()),), ())
    old.record(Entry("a1", "q1", said, "U1", "C1", "100.1", "200.1"))
    old.vote("a1", "U2", True)
    chat = sqlite3.connect(tmp_path / "chat.sqlite3")  # the file as the ledger kept it
    chat.executescript(
        """
        ATTACH DATABASE '%s' AS old;
        CREATE TABLE answers AS SELECT id, question, prose, reply, user, channel, thread,
            message, at FROM old.answers;
        CREATE TABLE votes AS SELECT answer_id, user, helpful, at FROM old.votes;"""
        % (tmp_path / "old.sqlite3")
    )
    chat.close()
    ledger = open_ledger(database, tmp_path)
    assert [e.answer for e in ledger.thread("C1", "200.1")] == [said]
    assert [(v.answer_id, v.user, v.helpful) for v in ledger.votes()] == [("a1", "U2", True)]
    assert not ledger.import_folder(tmp_path)  # read once
