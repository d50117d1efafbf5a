"""``wildcrawl schedule``: run the crawls of a schedule file until stopped."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

import click

from crawler.cli.app import DEFAULT_DB, cli, user_errors


@cli.command()
@click.option(
    "--file",
    "schedule_file",
    type=click.Path(dir_okay=False),
    help="Schedule file (default: spiders/schedule.yaml).",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    help=f"SQLite database file (default: the file's 'db', else {DEFAULT_DB}).",
)
@click.option(
    "--log-dir",
    type=click.Path(file_okay=False),
    help="Folder for one log file per crawl (default: the file's 'log_dir', else 'logs' "
    "in the database's folder).",
)
@click.option(
    "--list", "list_only", is_flag=True, help="Show the jobs and their next runs, then exit."
)
@user_errors
def schedule(schedule_file, db_path, log_dir, list_only):
    """Run scheduled crawls (cron per job) until Ctrl-C; one scheduler per database.

    Each crawl runs in its own process; a run missed while the machine slept
    or the scheduler was down runs once when it is back.

    \b
    Example:
      wildcrawl schedule --list
      wildcrawl schedule --file spiders/schedule.yaml --db output/wildcrawl.db
    """
    from crawler.config import load_marketplace
    from crawler.crawl.schedule import (
        SCHEDULE_FILE,
        SchedulerLock,
        build_scheduler,
        load_schedule,
        lock_path_for,
        missed_jobs,
        next_runs,
        stop_running,
    )

    plan = load_schedule(schedule_file or SCHEDULE_FILE)
    for entry in plan.jobs:  # a typo in a marketplace name fails now, not at 3 a.m.
        for name in entry.marketplaces:
            load_marketplace(name)
    db_path = Path(db_path or plan.db or DEFAULT_DB)
    if list_only:
        runs = next_runs(plan)
        for entry in plan.jobs:
            when = runs[entry.name]
            click.echo(
                f"{entry.name}\t{entry.cron}\t{when.isoformat() if when else 'never'}\t"
                f"{', '.join(entry.marketplaces)}"
            )
        return
    log_dir = Path(log_dir or plan.log_dir or db_path.parent / "logs")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    from apscheduler.schedulers.background import BackgroundScheduler

    # Ctrl-C (SIGINT) or SIGTERM stops the scheduler cleanly whenever it arrives: the handlers
    # are in place before anything starts, and only set an event the main thread waits on.
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        with SchedulerLock(lock_path_for(db_path)):
            missed = missed_jobs(plan, db_path)
            scheduler = build_scheduler(plan, db_path, log_dir, scheduler_cls=BackgroundScheduler)
            runs = next_runs(plan)
            for job in scheduler.get_jobs():
                when = "now (a run was missed)" if job.id in missed else runs[job.id]
                click.echo(f"scheduled {job.name}: next run {when}")
            jobs = f"{len(plan.jobs)} job{'' if len(plan.jobs) == 1 else 's'}"
            click.echo(
                f"wildcrawl schedule: {jobs}, database {db_path}, logs in {log_dir}; Ctrl-C to stop"
            )
            scheduler.start()
            try:
                while not stop.wait(0.5):
                    pass
            finally:
                # In order: running crawls stop gracefully (recorded interrupted), then this.
                running = stop_running()
                scheduler.shutdown(wait=True)
            click.echo(
                "wildcrawl schedule: stopped"
                + (f" ({running} running crawl(s) interrupted)" if running else "")
            )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
