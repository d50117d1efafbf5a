"""``wildcrawl evidence``: take the queued screenshots, check the evidence store."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from crawler.cli.app import cli, db_option, user_errors


@cli.group()
def evidence() -> None:
    """Evidence captured for flagged listings (screenshots, rendered HTML).

    \b
    Examples:
      wildcrawl evidence capture --db output/wildcrawl.db
      wildcrawl evidence verify --db output/wildcrawl.db
    """


@evidence.command("capture")
@db_option
@click.option("--limit", type=click.IntRange(min=1), help="Take at most this many screenshots.")
@click.option(
    "--evidence-dir",
    type=click.Path(file_okay=False),
    help="Folder for the files [default: evidence/ beside the database].",
)
@click.option(
    "--retry-given-up",
    is_flag=True,
    help="Also try again the captures that used up their 3 attempts or were not "
    "taken (page gone, robots.txt).",
)
@user_errors
def evidence_capture(db_path, limit, evidence_dir, retry_given_up):
    """Take the evidence screenshots the crawls queued and have not taken yet.

    `wildcrawl crawl` takes them itself when its crawl ends; this is for crawls run with
    -s WILDCRAWL_SCREENSHOTS=later, a Redis fleet (run it beside the ingester), or
    captures an interrupted run left. Failed pages are retried, 3 attempts in all.
    Exits 1 if any capture failed.

    \b
    Example:
      wildcrawl evidence capture --db output/wildcrawl.db
    """
    from crawler.crawl.runner import capture_screenshots, project_settings
    from crawler.store.database import ensure_schema, open_database

    if not Path(db_path).is_file():
        raise click.ClickException(f"{db_path}: no such database (crawl first, or give --db)")
    db = open_database(db_path)
    try:
        ensure_schema(db)
    finally:
        db.close()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if retry_given_up:
        from crawler.casework.capture import requeue_given_up

        click.echo(f"{requeue_given_up(db_path)} given-up captures queued again")
    overrides = {"WILDCRAWL_EVIDENCE_DIR": evidence_dir} if evidence_dir else {}
    result = capture_screenshots(db_path, project_settings(db_path, **overrides), limit=limit)
    if result is None:
        click.echo("no evidence screenshots queued")
        return
    click.echo(result.line())
    if result.left:
        raise click.ClickException(
            f"Chromium closed during the run: {result.left} captures left queued "
            "(run `wildcrawl evidence capture` again)"
        )
    if result.failed:
        raise click.ClickException(
            f"{result.failed} of {result.captured + result.failed + result.skipped} captures "
            f"failed; first: {result.errors[0]}"
        )


@evidence.command("verify")
@db_option
@click.option(
    "--base",
    type=click.Path(file_okay=False),
    help="Folder evidence paths are relative to (default: the database's folder).",
)
@user_errors
def evidence_verify(db_path, base):
    """Re-hash every evidence file; exit 1 if any is missing or altered.

    \b
    Example:
      wildcrawl evidence verify --db output/wildcrawl.db
    """
    from crawler.casework.evidence import verify_evidence
    from crawler.store.database import open_database

    if not Path(db_path).is_file():
        raise click.ClickException(f"{db_path}: no such database (crawl first, or give --db)")
    report = verify_evidence(open_database(db_path), base or Path(db_path).resolve().parent)
    for path in report.missing:
        click.echo(f"missing: {path}")
    for path in report.altered:
        click.echo(f"altered: {path}")
    if not report.ok:
        raise click.ClickException(
            f"{len(report.missing)} missing and {len(report.altered)} altered of "
            f"{report.checked} evidence files"
        )
    click.echo(f"{report.checked} evidence files verified (SHA-256 and size match)")
