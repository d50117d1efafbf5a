"""What the command line shows a person: tables at 80 columns, which schedule status reads."""

from __future__ import annotations

import io
import json

from rich.console import Console

ROWS = [
    {
        "marketplace": "demo-jsmarket",
        "started_at": "2026-12-06T06:39:57Z",
        "status": "interrupted",
        "listings_new": 110,
        "listings_removed": 3,
        "errors": 3,
        "error_kinds": json.dumps({"http_404": 2, "timeout": 1}),
        "next_run": "2026-12-07T03:30:00+00:00 (demo-js-weekly)",
    },
    {
        "marketplace": "facebook-marketplace-pl",
        "started_at": "2026-12-05T23:59:01Z",
        "status": "finished",
        "listings_new": 12345,
        "listings_removed": 0,
        "errors": 0,
        "error_kinds": "{}",
        "next_run": "not scheduled",
    },
    {
        "marketplace": "olx-pl",
        "status": "never crawled",
        "next_run": "2026-12-07T02:15:00+00:00 (x)",
    },
]


def render_status(width: int) -> str:
    from crawler.cli.status_cmd import _print

    out = io.StringIO()
    _print(
        [dict(r) for r in ROWS],
        Console(file=out, width=width, force_terminal=True, color_system=None),
    )
    return out.getvalue()


def test_status_is_readable_at_80_columns():
    text = render_status(80)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    table_lines = text.splitlines()
    for name in ("demo-jsmarket", "facebook-marketplace-pl", "olx-pl"):
        assert any(f"│{name} " in line for line in table_lines), text  # whole, on one line
    for status in ("interrupted", "finished", "never crawled"):
        assert status in text or status.split()[0] in text, text
    assert "2026-12-06 06:39" in text and "2026-12-05 23:59" in text  # dates whole
    assert "next run of demo-jsmarket: 2026-12-07 03:30:00+00:00 (demo-js-weekly)" in text


def test_status_keeps_every_column_when_wide():
    text = render_status(160)
    assert "…" not in text
    assert "next run" in text and "(demo-js-weekly)" in text and "listings removed" in text


def test_status_reads_the_schedule_that_feeds_the_database(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import crawler.crawl.schedule as schedule
    from crawler.cli import cli
    from crawler.store.database import ensure_schema, open_database

    db = tmp_path / "w.db"
    ensure_schema(open_database(db))
    other = tmp_path / "other.yaml"
    other.write_text(
        f"db: {tmp_path / 'elsewhere.db'}\n"
        "jobs:\n  - name: n\n    cron: '15 2 * * *'\n    marketplaces: [demo-bazaar]\n"
    )
    monkeypatch.setattr(schedule, "SCHEDULE_FILE", other)
    result = CliRunner().invoke(cli, ["status", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "no schedule feeds this database" in result.output
    assert "demo-bazaar" not in result.output
    feeding = tmp_path / "feeding.yaml"
    feeding.write_text(other.read_text().replace(str(tmp_path / "elsewhere.db"), str(db)))
    monkeypatch.setattr(schedule, "SCHEDULE_FILE", feeding)
    result = CliRunner().invoke(cli, ["status", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["marketplace"] == "demo-bazaar" and rows[0]["next_run"].endswith("(n)")


def test_crawl_summary_at_80_columns_cuts_no_marketplace():
    from crawler.crawl.summary import print_summary

    out = io.StringIO()
    rows = [
        {"marketplace": name, "status": "interrupted", "pages": 12345, "listings_seen": 9999,
         "listings_new": 9999, "flagged": 999, "errors": 99}
        for name in ("demo-jsmarket", "facebook-marketplace-pl")
    ]  # fmt: skip

    class Tty(io.StringIO):
        def isatty(self):
            return True

    out = Tty()
    print_summary(rows, file=out, log_file="logs/x.log")
    text = out.getvalue()
    assert "…" not in text, text
    assert "facebook-marketplace-pl" in text and "interrupted" in text and "log: logs/x.log" in text


def test_schedule_logs_go_to_the_configured_folder(tmp_path):
    from crawler.crawl.schedule import load_schedule

    path = tmp_path / "s.yaml"
    path.write_text(
        "log_dir: /data/logs\njobs:\n  - name: n\n    cron: '15 2 * * *'\n"
        "    marketplaces: [demo-bazaar]\n"
    )
    assert load_schedule(path).log_dir == "/data/logs"


def test_a_scheduled_crawl_logs_once_into_the_jobs_log(tmp_path):
    from crawler.crawl.schedule import ScheduleEntry, crawl_argv

    entry = ScheduleEntry(name="n", cron="15 2 * * *", marketplaces=["demo-bazaar"])
    argv = crawl_argv(entry, tmp_path / "w.db")
    assert argv[argv.index("--log-file") + 1] == "-"  # no second log file beside the job's


STOPPABLE_ON_SIGINT = (
    "import signal, time; signal.signal(signal.SIGINT, signal.default_int_handler); time.sleep(60)"
)


def test_stopping_the_scheduler_stops_its_running_crawls_first(tmp_path, monkeypatch):
    import sys
    import threading
    import time

    import crawler.crawl.schedule as schedule

    entry = schedule.ScheduleEntry(name="long", cron="15 2 * * *", marketplaces=["demo-bazaar"])
    monkeypatch.setattr(
        schedule,
        "crawl_argv",
        # A crawl takes SIGINT as Scrapy's stop (its own handler), even when the scheduler was
        # started in the background by a shell, which hands its children SIGINT ignored.
        lambda *a: [sys.executable, "-c", STOPPABLE_ON_SIGINT],
    )
    codes = []
    job = threading.Thread(
        target=lambda: codes.append(schedule.run_entry(entry, tmp_path / "w.db", tmp_path))
    )
    job.start()
    deadline = time.monotonic() + 30
    while not schedule._RUNNING and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # the child's interpreter is up
    assert schedule.stop_running() == 1
    job.join(timeout=20)
    assert not job.is_alive() and codes and codes[0] != 0
    assert schedule.stop_running() == 0


def test_a_quiet_console_shows_what_needs_a_person():
    import logging

    from crawler.crawl.runner import _console_handler, project_settings

    def record(name, level, msg, args=()):
        return logging.LogRecord(name, level, __file__, 1, msg, args, None)

    quiet = _console_handler(project_settings(":memory:"), quiet=True)
    assert quiet.level == logging.WARNING
    assert quiet.filter(record("marketplace", logging.WARNING, "detail page failed"))
    assert not quiet.filter(
        record("scrapy.middleware", logging.WARNING, "Disabled %s: %s", ("x", "evidence off"))
    )
    loud = _console_handler(project_settings(":memory:"), quiet=False)
    assert loud.level == logging.INFO
    assert loud.filter(record("scrapy.middleware", logging.WARNING, "Disabled %s", ("x",)))
