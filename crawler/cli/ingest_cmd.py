"""``wildcrawl ingest``: the one writer of the database when workers crawl through Redis."""

from __future__ import annotations

import logging

import click

from crawler.cli.app import cli, db_option, user_errors


@cli.command()
@click.option(
    "--redis",
    "redis_url",
    required=True,
    metavar="URL",
    help="Redis of the fleet, e.g. redis://10.0.0.5:6379/0.",
)
@db_option
@click.option(
    "--lexicon",
    type=click.Path(exists=True, file_okay=False),
    help="Lexicon folder (the workers' one; default keywords/).",
)
@click.option(
    "--until-done",
    is_flag=True,
    help="Exit once every run in Redis is finished (default: run until Ctrl-C).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1),
    default=200,
    show_default=True,
    help="Listings per write transaction.",
)
@user_errors
def ingest(redis_url, db_path, lexicon, until_done, batch_size):
    """Write what the crawl workers send through Redis into the database (one crawls row per run).

    Run exactly one ingester per database.

    \b
    Example:
      wildcrawl ingest --redis redis://10.0.0.5:6379/0 --db output/wildcrawl.db
    """
    from crawler.fleet.ingest import Ingester
    from crawler.fleet.redis_frontier import connect

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s"
    )
    ingester = Ingester(connect(redis_url), db_path, lexicon_path=lexicon, batch_size=batch_size)

    def report(done) -> None:
        lost = f", {len(done.lost_workers)} lost" if done.lost_workers else ""
        click.echo(
            f"{done.marketplace}: crawl {done.crawl_id} {done.status}, {done.listings} "
            f"listings from {done.workers} workers{lost} (run {done.run})"
        )

    try:
        ingester.run(until_done=until_done, on_finish=report)
    except KeyboardInterrupt:
        click.echo("stopped; unfinished runs carry on at the next `wildcrawl ingest`", err=True)
