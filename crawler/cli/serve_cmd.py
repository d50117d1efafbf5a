"""``wildcrawl serve``: browse the database with Datasette."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.app import cli, db_option, user_errors


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@user_errors
def serve(db_path, host, port):
    """Serve the database with Datasette (full-text search, canned queries, CSV/JSON).

    \b
    Example:
      wildcrawl serve --db output/wildcrawl.db --port 8001
    """
    from crawler.datasette import serve as run
    from crawler.store import ensure_schema, open_database

    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such database; run 'wildcrawl crawl' or 'wildcrawl demo' first")
    ensure_schema(open_database(db_path))
    click.echo(f"Datasette: http://{host}:{port}/")
    raise SystemExit(run(db_path, host, port))
