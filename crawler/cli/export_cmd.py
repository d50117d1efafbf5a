"""``wildcrawl export``: bundles for others, e.g. a take-down report for a platform."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.app import cli, db_option, user_errors


@cli.group()
def export() -> None:
    """Export bundles from the database.

    \b
    Example:
      wildcrawl export takedown --marketplace demo-bazaar --out output/takedown-bazaar
    """


@export.command("takedown")
@db_option
@click.option(
    "--marketplace", "-m", required=True, help="Marketplace whose flagged listings to export."
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="Only listings first seen on or after this date (UTC).",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="New (or empty) folder to write the bundle to.",
)
@click.option(
    "--evidence-base",
    type=click.Path(file_okay=False),
    help="Folder evidence paths are relative to (default: the database's folder).",
)
@click.option(
    "--verdict",
    "verdicts",
    default="confirmed",
    show_default=True,
    help="Listings whose latest review verdict is one of these (comma-separated): confirmed, "
    "needs_expert, not_wildlife, unreviewed, or any.",
)
@user_errors
def export_takedown_cmd(db_path, marketplace, since, out_dir, evidence_base, verdicts):
    """Flagged listings as CSV + JSON, their evidence files, and manifest.json (SHA-256 of each).

    By default only listings a monitor confirmed (latest review verdict "confirmed"), with
    the verdict and reviewer in the bundle; --verdict chooses others.

    \b
    Example:
      wildcrawl export takedown -m demo-bazaar --since 2026-11-01 --out output/takedown
    """
    from crawler.casework.takedown import export_takedown
    from crawler.store.database import ensure_schema, open_database

    if not Path(db_path).is_file():
        raise click.ClickException(f"{db_path}: no such database (crawl first, or give --db)")
    db = open_database(db_path)
    ensure_schema(db)
    since_text = since.strftime("%Y-%m-%dT%H:%M:%SZ") if since else None
    base = evidence_base or Path(db_path).resolve().parent
    chosen = tuple(v.strip() for v in verdicts.split(",") if v.strip())
    result = export_takedown(db, marketplace, out_dir, since_text, base, chosen)
    click.echo(
        f"{result.listings} flagged listings (verdict: {', '.join(chosen)}), "
        f"{result.evidence_files} evidence files -> "
        f"{result.out_dir} (manifest: {result.manifest.name})"
    )
