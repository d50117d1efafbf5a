"""``wildcrawl evidence``: check the evidence store."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.app import cli, db_option, user_errors


@cli.group()
def evidence() -> None:
    """Evidence captured for flagged listings (screenshots, rendered HTML).

    \b
    Example:
      wildcrawl evidence verify --db output/wildcrawl.db
    """


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
    from crawler.evidence import verify_evidence
    from crawler.store import open_database

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
