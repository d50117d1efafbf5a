"""The scheduler: schedule files, crontab weekdays, missed runs, one process per crawl, the lock."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from crawler.config import load_marketplace
from crawler.crawl.schedule import (
    SCHEDULE_FILE,
    ScheduleEntry,
    build_scheduler,
    crawl_argv,
    cron_trigger,
    crontab_day_of_week,
    load_schedule,
    lock_path_for,
    missed_jobs,
    missed_run,
    run_entry,
)
from crawler.errors import ConfigError
from tests.conftest import ROOT

UTC_TZ = ZoneInfo("UTC")
# The CLI entry point with this module's commands registered (whether or not
# crawler/cli/__init__.py imports them yet).
WILDCRAWL = [
    sys.executable,
    "-c",
    (
        "import sys, crawler.cli.schedule_cmd; from crawler.cli import main; "
        "sys.argv[0] = 'wildcrawl'; main()"
    ),
]


@pytest.mark.parametrize(
    ("crontab", "apscheduler"),
    [
        ("*", "*"),
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("0,6", "sun,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("5-7", "sun,fri,sat"),
        ("mon-fri", "mon-fri"),
    ],
)
def test_crontab_weekdays_count_from_sunday(crontab, apscheduler):
    assert crontab_day_of_week(crontab) == apscheduler


def test_monday_in_crontab_fires_on_a_monday():
    # 2026-11-28 is a Saturday; "1" is Monday in crontab (APScheduler 3 would say Tuesday).
    fire = cron_trigger("30 3 * * 1", UTC_TZ).get_next_fire_time(
        None, datetime(2026, 11, 28, tzinfo=UTC_TZ)
    )
    assert fire == datetime(2026, 11, 30, 3, 30, tzinfo=UTC_TZ) and fire.weekday() == 0


def test_shipped_schedule_is_valid_and_names_real_marketplaces():
    plan = load_schedule(SCHEDULE_FILE)
    assert plan.jobs
    for entry in plan.jobs:
        for name in entry.marketplaces:
            load_marketplace(name)


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("jobs:\n  - name: a\n    cron: '0 2 * *'\n    marketplaces: [x]\n", 3, "needs 5 fields"),
        (
            "jobs:\n  - name: a\n    cron: '0 2 * * *'\n    marketplace: [x]\n",
            4,
            "unknown key 'marketplace'",
        ),
        (
            (
                "timezone: Mars/Olympus\njobs:\n  - name: a\n    cron: '0 2 * * *'\n"
                "    marketplaces: [x]\n"
            ),
            1,
            "unknown time zone",
        ),
        ("jobs:\n  - name: a\n    cron: '0 2 * * 9'\n    marketplaces: [x]\n", 3, "out of range"),
        ("jobs: [\n", 2, "invalid YAML"),
        ("jobs:\n  - name: a\n    cron: '0 2 * * *'\n", 2, "missing required key"),
    ],
)
def test_schedule_file_errors_name_file_and_line(tmp_path, text, line, expected):
    path = tmp_path / "schedule.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_schedule(path)
    assert str(err.value).startswith(f"{path}:{line}: ") and expected in str(err.value), err.value


def test_missed_run_table():
    trigger = cron_trigger("15 2 * * *", UTC_TZ)
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert not missed_run(trigger, None, now)  # never crawled: wait for the first fire time
    assert not missed_run(trigger, datetime(2026, 11, 28, 2, 15, 3, tzinfo=UTC), now)
    assert missed_run(trigger, datetime(2026, 11, 27, 2, 15, 3, tzinfo=UTC), now)
    assert missed_run(trigger, datetime(2026, 11, 20, 2, 15, 3, tzinfo=UTC), now)


def db_with_crawl(path: Path, marketplace: str, started: datetime) -> Path:
    from crawler.store.database import ListingStore

    store = ListingStore(path)
    store.save_marketplace({"name": marketplace})
    store.start_crawl(marketplace, [])
    store.db.execute(
        "update crawls set started_at = ?, status = 'finished'",
        [started.strftime("%Y-%m-%dT%H:%M:%SZ")],
    )
    store.close()
    return path


def write_schedule(folder: Path, cron: str, marketplaces: str = "[demo-bazaar]") -> Path:
    path = folder / "schedule.yaml"
    path.write_text(
        f"jobs:\n  - name: nightly\n    cron: '{cron}'\n    marketplaces: {marketplaces}\n",
        encoding="utf-8",
    )
    return path


def test_run_missed_while_the_scheduler_was_down_runs_once_at_start(tmp_path):
    db = db_with_crawl(tmp_path / "w.db", "demo-bazaar", datetime.now(UTC) - timedelta(days=3))
    plan = load_schedule(write_schedule(tmp_path, "15 2 * * *"))
    assert missed_jobs(plan, db) == ["nightly"]
    calls: list[str] = []
    ran = threading.Event()

    def runner(entry, db_path, log_dir):
        calls.append(entry.name)
        ran.set()

    scheduler = build_scheduler(plan, db, tmp_path / "logs", BackgroundScheduler, runner)
    scheduler.start()
    try:
        assert ran.wait(10)
        time.sleep(0.5)
        job = scheduler.get_job("nightly")
        assert calls == ["nightly"]  # three days missed, one run
        assert job.next_run_time > datetime.now(UTC) and job.next_run_time.hour == 2
    finally:
        scheduler.shutdown(wait=False)


def test_runs_missed_while_asleep_are_coalesced_into_one(tmp_path):
    plan = load_schedule(write_schedule(tmp_path, "* * * * *"))
    calls: list[datetime] = []
    ran = threading.Event()

    def runner(entry, db_path, log_dir):
        calls.append(datetime.now(UTC))
        ran.set()

    scheduler = build_scheduler(
        plan, tmp_path / "none.db", tmp_path / "logs", BackgroundScheduler, runner
    )
    scheduler.start(paused=True)
    try:
        # What a machine waking from an hour's sleep looks like: the due time is long past.
        scheduler.modify_job("nightly", next_run_time=datetime.now(UTC) - timedelta(hours=1))
        scheduler.resume()
        assert ran.wait(10)
        time.sleep(1.0)
        assert len(calls) == 1  # sixty missed minutes, one run
    finally:
        scheduler.shutdown(wait=False)


def test_crawl_runs_in_its_own_process_and_failures_do_not_stop_the_scheduler(tmp_path):
    bad = ScheduleEntry(
        name="broken", cron="* * * * *", marketplaces=[str(tmp_path / "missing-market.yaml")]
    )
    argv = crawl_argv(bad, tmp_path / "w.db")
    assert argv[:4] == [sys.executable, "-m", "crawler.cli", "crawl"]
    code = run_entry(bad, tmp_path / "w.db", tmp_path / "logs")
    assert code == 1
    (log,) = (tmp_path / "logs").glob("broken-*.log")
    assert "unknown marketplace" in log.read_text()

    hung = ScheduleEntry(
        name="hung",
        cron="* * * * *",
        marketplaces=["demo-bazaar"],
        base_urls={"demo-bazaar": "http://127.0.0.1:9"},
        timeout_minutes=0.01,
    )
    results: list[int] = []
    scheduler = BackgroundScheduler(timezone=UTC_TZ)
    scheduler.start()
    try:
        job = scheduler.add_job(
            lambda: results.append(run_entry(hung, tmp_path / "h.db", tmp_path / "logs")),
            next_run_time=datetime.now(UTC),
        )
        deadline = time.monotonic() + 40
        while not results and time.monotonic() < deadline:
            time.sleep(0.1)
        assert results and results[0] != 0  # stopped after its timeout
        assert scheduler.running and scheduler.get_job(job.id) is None  # one-off job done
    finally:
        scheduler.shutdown(wait=False)


def test_one_scheduler_per_database(tmp_path):
    schedule = write_schedule(tmp_path, "15 2 * * *")
    db = tmp_path / "w.db"
    args = ["schedule", "--file", str(schedule), "--db", str(db)]
    first = subprocess.Popen(
        [*WILDCRAWL, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        line = ""
        deadline = time.monotonic() + 30
        while "Ctrl-C to stop" not in line and time.monotonic() < deadline:
            line = first.stdout.readline()
        assert "Ctrl-C to stop" in line, line
        assert "1 job, " in line and f"logs in {tmp_path / 'logs'}" in line, line
        assert lock_path_for(db).exists()
        second = subprocess.run(
            [*WILDCRAWL, *args], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False
        )
        assert second.returncode == 1
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and f"pid {first.pid}" in lines[0], second.stderr
        assert "already runs for this database" in lines[0]
    finally:
        first.send_signal(signal.SIGINT)
        assert first.wait(timeout=20) == 0
    assert first.stdout.read().strip().splitlines()[-1] == "wildcrawl schedule: stopped"
    # Once the first has stopped, the lock is free again. A stop that comes at once, while
    # the scheduler is still starting (here SIGTERM, as a service manager sends), is clean too.
    third = subprocess.Popen(
        [*WILDCRAWL, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert "scheduled nightly" in third.stdout.readline()
    finally:
        third.send_signal(signal.SIGTERM)
        assert third.wait(timeout=20) == 0


def test_schedule_list_shows_next_runs(tmp_path):
    result = subprocess.run(
        [*WILDCRAWL, "schedule", "--list", "--file", str(write_schedule(tmp_path, "30 3 * * 1"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    name, cron, when, markets = result.stdout.strip().split("\t")
    assert (name, cron, markets) == ("nightly", "30 3 * * 1", "demo-bazaar")
    assert datetime.fromisoformat(when).weekday() == 0


def test_unknown_marketplace_in_the_schedule_fails_at_start(tmp_path):
    result = subprocess.run(
        [
            *WILDCRAWL,
            "schedule",
            "--file",
            str(write_schedule(tmp_path, "0 1 * * *", "[no-such-market]")),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert "unknown marketplace 'no-such-market'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
