"""The digest schedule on a fake clock, and the record that makes posting idempotent."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.reports.schedule import Claims, DigestSchedule, scheduled_period
from index.database import open_database
from index.errors import UsageError

WEDNESDAY = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


class Clock:
    """A clock that moves only when told."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_default_schedule_fires_on_monday_at_nine_in_its_time_zone():
    fired: list[datetime] = []
    schedule = DigestSchedule("0 9 * * MON", PARIS, fired.append, WEDNESDAY)
    assert schedule.next == datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)
    assert schedule.tick(datetime(2026, 11, 30, 7, 59, tzinfo=UTC)) is None
    assert fired == []
    due = schedule.tick(datetime(2026, 11, 30, 8, 0, 5, tzinfo=UTC))  # 09:00:05 in Paris
    assert fired == [due] and due == datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)
    assert schedule.tick(datetime(2026, 11, 30, 8, 30, tzinfo=UTC)) is None  # once per time
    assert schedule.next == datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)


def test_numeric_weekday_follows_cron_where_one_is_monday():
    schedule = DigestSchedule("30 6 * * 1", ZoneInfo("UTC"), lambda due: None, WEDNESDAY)
    assert schedule.next == datetime(2026, 11, 30, 6, 30, tzinfo=UTC)
    assert schedule.next.weekday() == 0


def test_missed_fire_times_fold_into_one():
    fired: list[datetime] = []
    schedule = DigestSchedule("0 9 * * MON", ZoneInfo("UTC"), fired.append, WEDNESDAY)
    schedule.tick(WEDNESDAY + timedelta(days=20))  # asleep through three Mondays
    assert len(fired) == 1
    assert schedule.next > WEDNESDAY + timedelta(days=20)


def test_a_restart_just_after_the_hour_still_posts_that_week():
    monday = datetime(2026, 11, 30, 9, 20, tzinfo=UTC)
    fired: list[datetime] = []
    schedule = DigestSchedule("0 9 * * MON", ZoneInfo("UTC"), fired.append, monday)
    assert schedule.tick(monday) == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    late = DigestSchedule("0 9 * * MON", ZoneInfo("UTC"), fired.append, monday + timedelta(hours=3))
    assert late.next == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_bad_cron_expression_is_a_usage_error():
    with pytest.raises(UsageError, match="FINNEWS_DIGEST_CRON"):
        DigestSchedule("every monday", ZoneInfo("UTC"), lambda due: None, WEDNESDAY)


def test_the_scheduled_period_is_the_complete_days_before_the_fire_time():
    period = scheduled_period(datetime(2026, 11, 30, 9, 0, tzinfo=PARIS), 7, PARIS)
    assert (period.first, period.last) == (date(2026, 11, 23), date(2026, 11, 29))
    assert period.since == datetime(2026, 11, 23, tzinfo=PARIS)
    assert period.key == "2026-11-23..2026-11-29"


def test_run_loop_ticks_on_the_clock_until_stopped():
    clock = Clock(WEDNESDAY)
    stop = threading.Event()
    fired: list[datetime] = []

    def fire(due: datetime) -> None:
        fired.append(due)
        stop.set()  # the loop checks the event before waiting again

    schedule = DigestSchedule("0 9 * * MON", ZoneInfo("UTC"), fire, clock())
    clock.now = datetime(2026, 12, 1, tzinfo=UTC)  # the fire time has passed: no wait
    schedule.run(stop, clock)
    assert fired == [datetime(2026, 11, 30, 9, 0, tzinfo=UTC)]


def test_a_second_claim_of_a_posted_digest_is_refused(database, database_url):
    claims = Claims(database)
    assert claims.claim("C0DEALS", "2026-11-23..2026-11-29")
    claims.posted("C0DEALS", "2026-11-23..2026-11-29", "1790000001.000100")
    again = Claims(open_database(database_url))  # a restart, or another replica
    assert not again.claim("C0DEALS", "2026-11-23..2026-11-29")
    assert again.claim("C0OTHER", "2026-11-23..2026-11-29")
    assert again.claim("C0DEALS", "2026-11-30..2026-12-06")
    assert again.state("C0DEALS", "2026-11-23..2026-11-29") == "posted"


def test_of_concurrent_claims_exactly_one_wins(database):
    start = threading.Barrier(8)
    wins: list[bool] = []
    lock = threading.Lock()

    def claim() -> None:
        mine = Claims(database)  # each thread takes its own pooled connection
        start.wait()
        won = mine.claim("C0DEALS", "1987-03-02..1987-03-08")
        with lock:
            wins.append(won)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]


def test_a_failed_post_can_be_claimed_again(database):
    claims = Claims(database)
    assert claims.claim("C0DEALS", "p")
    assert not claims.claim("C0DEALS", "p")  # still posting
    claims.failed("C0DEALS", "p", "fatal_error")
    assert claims.state("C0DEALS", "p") == "failed"
    assert claims.claim("C0DEALS", "p")


def test_a_claim_abandoned_by_a_crash_is_taken_again_after_a_while(database):
    clock = Clock(WEDNESDAY)
    claims = Claims(database, "", clock)
    assert claims.claim("C0DEALS", "p")
    clock.now += timedelta(minutes=5)
    assert not claims.claim("C0DEALS", "p")
    clock.now += timedelta(minutes=20)
    assert claims.claim("C0DEALS", "p")


def test_serve_starts_the_schedule_only_for_configured_channels(finnews):
    from bot.reports.schedule import start

    said: list[str] = []
    assert start(finnews.settings, finnews, port=None, announce=said.append) is None
    settings = finnews.settings.model_copy(
        update={"digest_channels": ["C0DEALS"], "digest_timezone": "Europe/Paris"}
    )
    stop = start(settings, finnews, port=None, announce=said.append)  # type: ignore[arg-type]
    try:
        assert stop is not None and not stop.is_set()
        [line] = said
        head = "finnews: digest scheduled ('0 9 * * MON', Europe/Paris) for C0DEALS; next at "
        assert line.startswith(head)
        first = datetime.fromisoformat(line.removeprefix(head)).astimezone(PARIS)
        assert (first.weekday(), first.hour, first.minute) == (0, 9, 0)
    finally:
        if stop is not None:
            stop.set()


CLAIMER = """
import sys
from bot.reports.schedule import Claims
from index.database import open_database
claims = Claims(open_database(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()
print(claims.claim("C0DEALS", "1987-03-02..1987-03-08"), flush=True)
"""


def test_two_processes_claiming_at_once_post_once(database_url):
    import subprocess
    import sys

    from tests.conftest import ROOT

    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, database_url],
            cwd=ROOT,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:  # both are waiting: release them together
        p.stdin.write("go\n")
        p.stdin.flush()
    results = sorted(p.communicate(timeout=60)[0].strip() for p in procs)
    assert results == ["False", "True"]


def test_digest_posts_recorded_in_an_older_deal_store_file_are_read_once(database, tmp_path):
    import sqlite3

    old = tmp_path / "deals.sqlite3"
    db = sqlite3.connect(old)
    db.execute(
        "CREATE TABLE digest_posts (channel TEXT NOT NULL, period TEXT NOT NULL, state TEXT NOT "
        "NULL, owner TEXT NOT NULL, at TEXT NOT NULL, ts TEXT, error TEXT, "
        "PRIMARY KEY (channel, period))"
    )
    db.execute(
        "INSERT INTO digest_posts VALUES ('C0DEALS', 'p', 'posted', 'h:1:2', "
        "'2026-11-30T09:00:00+00:00', '1790000001.000100', NULL)"
    )
    db.commit()
    db.close()
    claims = Claims(database, "reuters")
    assert claims.import_file(old) and not claims.import_file(old)
    assert claims.state("C0DEALS", "p") == "posted" and not claims.claim("C0DEALS", "p")
    assert Claims(database, "other").claim("C0DEALS", "p")  # another collection's digest
