"""``wildcrawl status``: the last crawl of each marketplace and its next scheduled run.

The rows come from the Datasette canned query ``crawl_status`` (same SQL), so
the terminal and the web show the same thing.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import click

from crawler.cli.app import DEFAULT_DB, cli, db_option, user_errors
from crawler.errors import StoreError

COLUMNS = (
    "marketplace",
    "started_at",
    "status",
    "listings_new",
    "listings_removed",
    "errors",
    "next_run",
)


def status_sql() -> str:
    """The SQL of the ``crawl_status`` canned query of the Datasette metadata."""
    from crawler.publish.datasette import metadata_for

    databases = metadata_for("wildcrawl.db")["databases"]
    return next(iter(databases.values()))["queries"]["crawl_status"]["sql"]


def status_rows(db_path: str | Path, schedule=None) -> list[dict]:
    """Last crawl per marketplace (plus scheduled marketplaces never crawled), with next run."""
    from crawler.crawl.schedule import next_run_per_marketplace
    from crawler.store.database import _pid_alive, open_database

    path = Path(db_path)
    if not path.exists():
        raise StoreError(f"{path}: no such database; run 'wildcrawl crawl' first or give --db")
    open_database(path).close()  # refuses a file that is not SQLite, in one line
    conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        has_crawls = conn.execute(
            "select 1 from sqlite_master where type = 'table' and name = 'crawls'"
        ).fetchone()
        rows = [dict(r) for r in conn.execute(status_sql())] if has_crawls else []
        pids = (
            dict(conn.execute("select id, pid from crawls where status = 'running'").fetchall())
            if has_crawls
            else {}
        )
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot read the crawls table ({exc})") from None
    finally:
        conn.close()
    for row in rows:
        if row["status"] == "running" and not _pid_alive(pids.get(row["crawl"])):
            row["status"] = "interrupted"  # what the next crawl will record
    next_runs = next_run_per_marketplace(schedule) if schedule else {}
    seen = {r["marketplace"] for r in rows}
    rows += [
        {"marketplace": name, "status": "never crawled"} for name in next_runs if name not in seen
    ]
    for row in rows:
        when = next_runs.get(row["marketplace"])
        row["next_run"] = f"{when[0].isoformat()} ({when[1]})" if when else "not scheduled"
    return sorted(rows, key=lambda r: r["marketplace"])


def same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()


def rate_status_notes(db_path: str | Path) -> list[str]:
    """Stale or missing USD rates among the listings, one line per marketplace and currency."""
    from crawler.crawl.summary import rate_note

    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        found = conn.execute(
            "select marketplace, currency, rate_status, count(*) n, max(rate_date) last"
            " from listings where rate_status in ('stale', 'missing') group by 1, 2, 3"
            " order by 1, 2"
        ).fetchall()
    except sqlite3.DatabaseError:
        return []  # an older database without rate_status: nothing to say
    finally:
        conn.close()
    return [rate_note(dict(r)) for r in found]


@cli.command()
@db_option
@click.option(
    "--schedule",
    "schedule_file",
    type=click.Path(dir_okay=False),
    help="Schedule file for the next runs (default: spiders/schedule.yaml if present).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@user_errors
def status(db_path, schedule_file, as_json):
    """Show the last crawl of each marketplace (when, status, new/removed, errors) and the next run.

    \b
    Example:
      wildcrawl status --db output/wildcrawl.db
      wildcrawl status --json
    """
    from crawler.crawl.schedule import SCHEDULE_FILE, load_schedule

    plan, note = None, None
    if schedule_file:
        plan = load_schedule(schedule_file)
    elif SCHEDULE_FILE.exists():
        # The default schedule file counts only when it feeds this database.
        plan = load_schedule(SCHEDULE_FILE)
        if not same_file(plan.db or DEFAULT_DB, db_path):
            note = (
                f"{db_path}: no schedule feeds this database ({SCHEDULE_FILE.name} feeds "
                f"{plan.db or DEFAULT_DB}); give --schedule FILE"
            )
            plan = None
    rows = status_rows(db_path, plan)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if rows:
        _print(rows)
    else:
        click.echo(f"{db_path}: no crawls yet")
    if note:
        click.echo(note)
    for line in rate_status_notes(db_path):
        click.echo(line)


# Headers below 100 columns, where the table must fit without cutting a cell to "…".
NARROW_HEADERS = {
    "started_at": "started (UTC)",
    "listings_new": "new",
    "listings_removed": "gone",
}


def _when(value: str) -> str:
    """An ISO time as ``YYYY-MM-DD HH:MM`` (it wraps at the space, never mid-date)."""
    return value.replace("T", " ")[:16] if len(value) >= 16 and value[10:11] == "T" else value


def _print(rows: list[dict], console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    def cell(row: dict, col: str) -> str:
        value = row.get(col)
        if col == "errors" and value and row.get("error_kinds"):
            kinds = json.loads(row["error_kinds"])
            value = f"{value} " + ", ".join(f"{k}={v}" for k, v in sorted(kinds.items()))
        return "" if value is None else str(value)

    console = console or Console()
    if console.is_terminal:
        narrow = console.width < 100
        # Below 100 columns the next runs are lines under the table, not a column of it.
        columns = [c for c in COLUMNS if c != "next_run"] if narrow else list(COLUMNS)
        table = Table(title="wildcrawl status", pad_edge=not narrow, collapse_padding=narrow)
        for col in columns:
            # What a person acts on (which marketplace, when, how it ended) is never wrapped:
            # the other columns fold onto more lines first.
            keep = col in ("marketplace", "status", "started_at")
            table.add_column(
                NARROW_HEADERS.get(col, col.replace("_", " ")) if narrow else col.replace("_", " "),
                overflow="fold",
                no_wrap=keep,
                justify="right" if col.startswith("listings_") else "left",
            )
        for row in rows:
            cells = [cell(row, c) for c in columns]
            if narrow:
                cells = [_when(v) if c == "started_at" else v for c, v in zip(columns, cells)]
            table.add_row(*cells)
        console.print(table)
        if narrow:
            for row in rows:
                if row.get("next_run") and row["next_run"] != "not scheduled":
                    when = row["next_run"].replace("T", " ", 1)
                    console.print(f"next run of {row['marketplace']}: {when}")
    else:
        click.echo("\t".join(COLUMNS))
        for row in rows:
            click.echo("\t".join(cell(row, c) for c in COLUMNS))
    for row in rows:
        if row.get("message") and row.get("status") != "finished":
            click.echo(f"{row['marketplace']}: {row['status']}: {row['message']}")
