"""``wildcrawl publish``: a redacted, immutable public release of a database."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import click

from crawler.cli.app import cli, db_option, user_errors

KEY_ENV = "WILDCRAWL_PSEUDONYM_KEY"


def _read_key(key_file: str | None, out: Path) -> bytes | None:
    """The pseudonym key from ``--key-file`` or the environment; None means a new one."""
    from crawler.publish.redact import parse_key

    if key_file:
        path = Path(key_file).resolve()
        if path.is_relative_to(out.resolve()):
            raise click.ClickException(
                f"{key_file}: the key file must not be inside --out (the key would be published)"
            )
        text, where = path.read_text(encoding="utf-8"), key_file
    elif os.environ.get(KEY_ENV):
        text, where = os.environ[KEY_ENV], KEY_ENV
    else:
        return None
    try:
        return parse_key(text)
    except ValueError as exc:
        raise click.ClickException(f"{where}: {exc}") from None


@cli.command()
@db_option
@click.option(
    "--out",
    "out_dir",
    default="output/public",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of the release.",
)
@click.option(
    "--key-file",
    type=click.Path(exists=True, dir_okay=False),
    help=f"Pseudonym key (hex) to reuse across releases; also ${KEY_ENV}. "
    "Default: a new random key, not kept.",
)
@click.option(
    "--keep-urls",
    is_flag=True,
    help="Include listing addresses, item numbers and picture addresses (they lead a reader "
    "to each listing and its seller). Default: left out, listing ids pseudonymous.",
)
@click.option("--serve", "serve_it", is_flag=True, help="Serve the release read-only afterwards.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8002, show_default=True, type=int)
@user_errors
def publish(db_path, out_dir, key_file, keep_urls, serve_it, host, port):
    """Write a redacted public release: SQLite + metadata + inspect file + CSV.

    Seller ids, handles and listing ids become HMAC-SHA256 pseudonyms; seller
    names, profile URLs, listing URLs, item numbers and picture URLs (unless
    --keep-urls), evidence paths and reviewer names are left out; phone numbers,
    e-mails, messaging ids and social handles are cut from titles and descriptions.

    \b
    Example:
      wildcrawl publish --db output/wildcrawl.db --out output/public --serve

    To put a release online, see its README.md: the exact `datasette package` /
    `datasette publish` lines, run from the release folder.
    """
    from crawler.publish.release import publish as run
    from crawler.publish.release import serve_command

    out = Path(out_dir)
    key = _read_key(key_file, out)
    release = run(db_path, out, key=key, keep_urls=keep_urls)
    click.echo(
        f"Release: {release.db_path} ({release.counts.get('listings', 0)} listings, "
        f"{release.counts.get('sellers', 0)} pseudonymous sellers)"
    )
    click.echo(f"Metadata: {release.metadata_path}; CSV: {out / 'csv'}")
    click.echo(f"To put it online: {out / 'README.md'} (datasette package / publish)")
    if release.key_generated:
        click.echo("Pseudonym key: new and discarded (pass --key-file to link releases).")
    if serve_it:
        from crawler.publish.datasette import run_child

        click.echo(f"Datasette (read-only): http://{host}:{port}/  (Ctrl-C to stop)")
        status = run_child(serve_command(out, host, port))
        if status not in (0, -signal.SIGINT, -signal.SIGTERM):
            raise SystemExit(status)
