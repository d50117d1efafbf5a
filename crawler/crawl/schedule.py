"""Scheduled crawls: a schedule file, cron triggers (APScheduler 3) and one process per crawl.

The schedule file (default ``spiders/schedule.yaml``) lists jobs, each a cron
expression plus the marketplaces and keywords to crawl. ``build_scheduler``
turns it into APScheduler jobs that each run ``python -m crawler.cli crawl ...``
in a subprocess, so a crawl that crashes or hangs cannot take the scheduler
down. Jobs coalesce and have no misfire limit: runs missed while the machine
slept run once on wake-up, and a run missed while the scheduler was not
running at all (found from the ``crawls`` table) runs once at start.
``SchedulerLock`` keeps one scheduler per database.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from filelock import FileLock, Timeout
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from crawler import paths
from crawler.config import load_yaml, validation_error
from crawler.errors import ConfigError, WildcrawlError

logger = logging.getLogger(__name__)

SCHEDULE_FILE = paths.SCHEDULE_FILE
DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


class ScheduleLockedError(WildcrawlError):
    """Another scheduler already runs against the same database."""


def crontab_day_of_week(field: str) -> str:
    """Standard crontab day-of-week (0 or 7 = Sunday) as APScheduler 3 day names.

    APScheduler 3's ``from_crontab`` counts 0 as Monday; passing names avoids
    the shift. Names (``mon-fri``) pass through unchanged.
    """
    if field == "*" or re.search(r"[a-z]", field, re.IGNORECASE):
        return field
    days: set[int] = set()
    for part in field.split(","):
        m = re.fullmatch(r"(\*|\d+)(?:-(\d+))?(?:/(\d+))?", part.strip())
        if not m:
            raise ValueError(f"day of week {part!r} is not a crontab value")
        start_s, end_s, step_s = m.groups()
        start, end = (0, 6) if start_s == "*" else (int(start_s), int(end_s or start_s))
        if step_s and start_s != "*" and end_s is None:
            end = 7
        if not (0 <= start <= 7 and 0 <= end <= 7) or start > end:
            raise ValueError(f"day of week {part!r} is out of range 0-7")
        days.update(d % 7 for d in range(start, end + 1, int(step_s or 1)))
    return ",".join(DOW_NAMES[d] for d in sorted(days))


def cron_trigger(expr: str, timezone: ZoneInfo) -> CronTrigger:
    """A five-field crontab expression (minute hour day month weekday) as a trigger."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"cron {expr!r} needs 5 fields: minute hour day month weekday")
    minute, hour, day, month, dow = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=crontab_day_of_week(dow),
        timezone=timezone,
    )


class ScheduleEntry(BaseModel):
    """One scheduled crawl: when (cron) and what (marketplaces, keywords, pages)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    cron: str
    # crawl: `wildcrawl crawl MARKETPLACES`; rates: `wildcrawl rates update` (no marketplaces)
    kind: Literal["crawl", "rates"] = "crawl"
    marketplaces: list[str]  # required for a crawl; a rates job has none
    keywords: list[str] | None = None
    max_pages: int | None = Field(default=None, ge=1)
    lexicon: str | None = None
    base_urls: dict[str, str] = Field(default_factory=dict)
    timeout_minutes: float = Field(default=360, gt=0)

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, v: str) -> str:
        cron_trigger(v, ZoneInfo("UTC"))
        return v

    @model_validator(mode="before")
    @classmethod
    def _rates_need_no_marketplaces(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("kind") == "rates":
            return {"marketplaces": [], **data}
        return data

    @field_validator("marketplaces")
    @classmethod
    def _marketplaces_for_crawls(cls, v: list[str], info) -> list[str]:
        if info.data.get("kind", "crawl") == "crawl" and not v:
            raise ValueError("a crawl job needs at least one marketplace")
        return v


class Schedule(BaseModel):
    """A whole schedule file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str = "UTC"
    db: str | None = None
    log_dir: str | None = None  # default: logs/ in the database's folder
    jobs: list[ScheduleEntry] = Field(min_length=1)

    @field_validator("timezone")
    @classmethod
    def _valid_tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r} (use e.g. UTC, Europe/Berlin)") from None
        return v

    @field_validator("jobs")
    @classmethod
    def _unique(cls, v: list[ScheduleEntry]) -> list[ScheduleEntry]:
        names = [j.name for j in v]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"job name {dupes[0]!r} is used twice")
        return v

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def trigger(self, entry: ScheduleEntry) -> CronTrigger:
        return cron_trigger(entry.cron, self.tz)


def load_schedule(path: str | Path = SCHEDULE_FILE) -> Schedule:
    """Read and validate a schedule file; every mistake is a ``ConfigError`` with its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("no such schedule file; see docs/schedule.md", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the schedule file ({exc})", path=str(path)) from None
    data, lines = load_yaml(text, str(path))
    if not isinstance(data, dict):
        raise ConfigError(
            "a schedule file must be a YAML mapping with 'jobs'", path=str(path), line=1
        )
    try:
        return Schedule.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, data, str(path), lines) from None


def crawl_argv(entry: ScheduleEntry, db_path: str | Path) -> list[str]:
    """The command line of one scheduled job (run in its own process)."""
    if entry.kind == "rates":
        return [sys.executable, "-m", "crawler.cli", "rates", "update"]
    argv = [sys.executable, "-m", "crawler.cli", "crawl", *entry.marketplaces, "--db", str(db_path)]
    argv += ["--log-file", "-"]  # its whole log is in the job's log file (run_entry)
    if entry.keywords:
        argv += ["--keywords", ",".join(entry.keywords)]
    if entry.max_pages:
        argv += ["--max-pages", str(entry.max_pages)]
    if entry.lexicon:
        argv += ["--lexicon", entry.lexicon]
    for name, url in entry.base_urls.items():
        argv += ["--base-url", f"{name}={url}"]
    return argv


_RUNNING: set[subprocess.Popen] = set()  # the crawls running now, for stop_running


def stop_running(sig: int = signal.SIGINT) -> int:
    """Ask every running scheduled crawl to stop (as Ctrl-C does: gracefully, recorded
    ``interrupted``); returns how many were running. The crawls have process groups of their
    own, so the scheduler's Ctrl-C or SIGTERM reaches them only through this."""
    running = [proc for proc in list(_RUNNING) if proc.poll() is None]
    for proc in running:
        proc.send_signal(sig)
    return len(running)


def run_entry(entry: ScheduleEntry, db_path: str | Path, log_dir: str | Path) -> int:
    """Run one scheduled crawl in a subprocess; its output goes to a log file. Returns the exit code.

    A crawl that outlives ``timeout_minutes`` is terminated (then killed); its
    ``crawls`` rows become ``interrupted`` on the next crawl.
    """
    log_dir = Path(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    log_path = log_dir / f"{entry.name}-{stamp}.log"
    logger.info(
        "job %s: starting %s (log: %s)",
        entry.name,
        f"crawl of {', '.join(entry.marketplaces)}" if entry.kind == "crawl" else "rates update",
        log_path,
    )
    with open(log_path, "ab") as log:
        # A process group of its own: Ctrl-C on the scheduler's terminal reaches it once,
        # through stop_running, not twice (a second SIGINT makes Scrapy stop uncleanly).
        proc = subprocess.Popen(
            crawl_argv(entry, db_path),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=paths.REPO,
            process_group=0,
        )
        _RUNNING.add(proc)
        try:
            code = proc.wait(timeout=entry.timeout_minutes * 60)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                code = proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = proc.wait()
            logger.error(
                "job %s: crawl exceeded %s minutes and was stopped",
                entry.name,
                entry.timeout_minutes,
            )
        finally:
            _RUNNING.discard(proc)
    level = logging.INFO if code == 0 else logging.ERROR
    logger.log(level, "job %s: crawl exited with status %s (log: %s)", entry.name, code, log_path)
    return code


def last_started(db_path: str | Path, marketplaces: list[str]) -> datetime | None:
    """When the least recently crawled of ``marketplaces`` was last crawled (None: one never was)."""
    import sqlite3

    if not Path(db_path).exists():
        return None
    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True, timeout=30)
    try:
        times = []
        for name in marketplaces:
            try:
                row = conn.execute(
                    "select max(started_at) from crawls where marketplace = ?", [name]
                ).fetchone()
            except sqlite3.OperationalError:  # no crawls table yet
                return None
            if not row or not row[0]:
                return None
            times.append(datetime.fromisoformat(row[0]))
        return min(times) if times else None
    finally:
        conn.close()


def missed_run(trigger: CronTrigger, last: datetime | None, now: datetime) -> bool:
    """True when a fire time fell between the last crawl and now (the scheduler was not running).

    A job that never ran has missed nothing: it waits for its first fire time.
    """
    if last is None:
        return False
    # The fire time after the last start (a start exactly on a fire time was that run).
    due = trigger.get_next_fire_time(None, last + timedelta(seconds=1))
    return due is not None and due <= now


def next_runs(schedule: Schedule, now: datetime | None = None) -> dict[str, datetime | None]:
    """The next fire time of every job (by job name)."""
    now = now or datetime.now(schedule.tz)
    return {e.name: schedule.trigger(e).get_next_fire_time(None, now) for e in schedule.jobs}


def next_run_per_marketplace(
    schedule: Schedule, now: datetime | None = None
) -> dict[str, tuple[datetime, str]]:
    """The earliest next scheduled run of each marketplace, with the job that runs it."""
    result: dict[str, tuple[datetime, str]] = {}
    runs = next_runs(schedule, now)
    for entry in schedule.jobs:
        when = runs[entry.name]
        if when is None:
            continue
        for name in entry.marketplaces:
            if name not in result or when < result[name][0]:
                result[name] = (when, entry.name)
    return result


def build_scheduler(
    schedule: Schedule,
    db_path: str | Path,
    log_dir: str | Path,
    scheduler_cls: type | None = None,
    runner: Callable[[ScheduleEntry, str | Path, str | Path], Any] = run_entry,
    now: datetime | None = None,
):
    """An APScheduler scheduler (blocking by default) with one job per schedule entry."""
    if scheduler_cls is None:
        from apscheduler.schedulers.blocking import BlockingScheduler as scheduler_cls
    scheduler = scheduler_cls(
        timezone=schedule.tz,
        # coalesce: several missed fire times run once; misfire_grace_time None: however late.
        job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        executors={"default": {"type": "threadpool", "max_workers": max(1, len(schedule.jobs))}},
    )
    now = now or datetime.now(schedule.tz)
    missed = missed_jobs(schedule, db_path, now)
    for entry in schedule.jobs:
        options: dict[str, Any] = {}
        if entry.name in missed:
            logger.info("job %s: a scheduled run was missed; running it once now", entry.name)
            options["next_run_time"] = now
        scheduler.add_job(
            runner,
            schedule.trigger(entry),
            args=[entry, str(db_path), str(log_dir)],
            id=entry.name,
            name=entry.name,
            **options,
        )
    return scheduler


def missed_jobs(schedule: Schedule, db_path: str | Path, now: datetime | None = None) -> list[str]:
    """Jobs with a fire time between their marketplaces' last crawl and now."""
    now = now or datetime.now(schedule.tz)
    return [
        e.name
        for e in schedule.jobs
        if e.kind == "crawl"
        and missed_run(schedule.trigger(e), last_started(db_path, e.marketplaces), now)
    ]


class SchedulerLock:
    """An exclusive lock file: one scheduler per database. Released when the process ends."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = FileLock(str(self.path), timeout=0)

    def __enter__(self) -> Self:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except Timeout:
            holder = self.path.with_suffix(self.path.suffix + ".pid")
            pid = holder.read_text().strip() if holder.exists() else "?"
            raise ScheduleLockedError(
                f"{self.path}: another 'wildcrawl schedule' (pid {pid}) already runs for this "
                "database; stop it first or use another --db"
            ) from None
        except OSError as exc:
            raise ScheduleLockedError(
                f"{self.path}: cannot create the lock file ({exc.strerror})"
            ) from None
        self.path.with_suffix(self.path.suffix + ".pid").write_text(str(os.getpid()))
        return self

    def __exit__(self, *exc) -> None:
        self.path.with_suffix(self.path.suffix + ".pid").unlink(missing_ok=True)
        self._lock.release()


def lock_path_for(db_path: str | Path) -> Path:
    """Where the scheduler lock of a database lives: beside it."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".schedule.lock")
