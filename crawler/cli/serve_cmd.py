"""``wildcrawl serve``: the internal Datasette, behind a login."""

from __future__ import annotations

import signal
from pathlib import Path

import click

from crawler.cli.app import cli, db_option, user_errors


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option(
    "--create-user",
    metavar="NAME",
    help="Create (or reset) account NAME, asking for its password, then exit.",
)
@click.option(
    "--create-token",
    metavar="NAME",
    help="Create (or replace) API token NAME for scripts, print it once, then exit.",
)
@click.option(
    "--evidence-dir",
    type=click.Path(file_okay=False),
    help="Folder of evidence files [default: evidence/ beside the database].",
)
@user_errors
def serve(db_path, host, port, create_user, create_token, evidence_dir):
    """Serve the database with Datasette to logged-in monitors (review, reports, dashboard).

    Password hashes live outside the repository, in $WILDCRAWL_ACCOUNTS_DIR
    (default ~/.config/wildcrawl/accounts) or $WILDCRAWL_PASSWORD_HASH_<NAME>.
    Set $WILDCRAWL_SECRET (or $DATASETTE_SECRET) to keep log-ins across restarts.
    Scripts read .json/.csv with a token: curl -H "Authorization: Bearer TOKEN" ...

    \b
    Example:
      wildcrawl serve --create-user anna
      wildcrawl serve --create-token nightly-export
      wildcrawl serve --db output/wildcrawl.db --port 8001   # then /-/dashboards/monitor
    """
    from crawler.publish.datasette import accounts, signing_secret
    from crawler.publish.datasette import serve as run
    from crawler.store.database import ensure_schema, open_database

    if create_user:
        accounts.check_name(create_user)
        password = click.prompt(
            f"Password for {create_user}", hide_input=True, confirmation_prompt=True
        )
        if len(password) < 8:
            raise click.ClickException("passwords need at least 8 characters")
        accounts.create_user(create_user, password)
        click.echo(f"Account {create_user} saved in {accounts.accounts_dir()}")
        return
    if create_token:
        from crawler.publish.datasette import tokens

        token = tokens.create_token(create_token)
        click.echo(f"Token {create_token} saved in {accounts.accounts_dir()} (shown only now):")
        click.echo(token)
        click.echo("Restart 'wildcrawl serve' to use it: Authorization: Bearer <token>")
        return
    if not Path(db_path).exists():
        raise click.ClickException(
            f"{db_path}: no such database; run 'wildcrawl crawl' or 'wildcrawl demo' first"
        )
    if not accounts.users():
        raise click.ClickException(
            f"no accounts in {accounts.accounts_dir()}; run 'wildcrawl serve --create-user NAME' first"
        )
    ensure_schema(open_database(db_path))
    if signing_secret()[1]:
        click.echo("Note: $WILDCRAWL_SECRET is not set; log-ins end when the server stops.")
    click.echo(f"Datasette: http://{host}:{port}/  (log in at /-/login)")
    status = run(db_path, host, port, evidence_dir=Path(evidence_dir) if evidence_dir else None)
    if status in (0, -signal.SIGINT, -signal.SIGTERM):  # Ctrl-C or a service manager's stop
        click.echo("Stopped Datasette.")
        return
    raise SystemExit(status if status > 0 else 128 - status)
