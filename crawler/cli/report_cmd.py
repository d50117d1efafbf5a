"""``wildcrawl report``: record reports of listings to platforms, and their outcomes."""

from __future__ import annotations

import click

from crawler.cli.app import cli, db_option, user_errors


@cli.group()
def report() -> None:
    """Reports of listings to platforms (or police) and their outcomes.

    \b
    Example:
      wildcrawl report add demo-bazaar:2401000123 --to "Demo Bazaar" --reference T-77
      wildcrawl report list --marketplace demo-bazaar
    """


@report.command("add")
@click.argument("listing_id")
@db_option
@click.option("--to", "platform", required=True, help="Whom it was reported to (platform, police).")
@click.option("--reference", help="The platform's ticket or case number.")
@click.option("--channel", help="How: web form, e-mail, trusted-flagger API ...")
@click.option("--by", "reported_by", help="Who reported it.")
@click.option("--at", "reported_at", help="When (ISO 8601, default now).")
@user_errors
def report_add(listing_id, db_path, platform, reference, channel, reported_by, reported_at):
    """Record that LISTING_ID (marketplace:item_id) was reported.

    \b
    Example:
      wildcrawl report add demo-bazaar:2401000123 --to "Demo Bazaar" --reference T-77 --by ana
    """
    from crawler.casework.reports import add_report
    from crawler.store.database import open_database

    db = open_database(db_path)
    report_id = add_report(db, listing_id, platform, reference, channel, reported_by, reported_at)
    click.echo(f"report {report_id}: {listing_id} reported to {platform}")


@report.command("outcome")
@click.argument("report_id", type=int)
@click.argument("outcome")
@db_option
@click.option("--at", help="When it happened (ISO 8601, default now).")
@user_errors
def report_outcome(report_id, outcome, db_path, at):
    """Enter the OUTCOME of REPORT_ID by hand (removed, still online, rejected, no answer).

    \b
    Example:
      wildcrawl report outcome 3 rejected --at 2026-12-01
    """
    from crawler.casework.reports import set_outcome
    from crawler.store.database import open_database

    set_outcome(open_database(db_path), report_id, outcome, at)
    click.echo(f"report {report_id}: {outcome}")


@report.command("list")
@db_option
@click.option("--marketplace", "-m", help="Only this marketplace.")
@user_errors
def report_list(db_path, marketplace):
    """Reports with their outcome (from later crawls unless entered by hand), tab-separated.

    \b
    Example:
      wildcrawl report list -m demo-bazaar
    """
    from crawler.casework.reports import report_rows
    from crawler.store.database import open_database

    cols = (
        "report_id",
        "listing_id",
        "platform",
        "reference",
        "reported_at",
        "outcome",
        "outcome_at",
        "outcome_source",
    )
    click.echo("\t".join(cols))
    for row in report_rows(open_database(db_path), marketplace):
        click.echo("\t".join("" if row[c] is None else str(row[c]) for c in cols))
