"""``wildcrawl check``: validate marketplace configs and the lexicon."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.app import cli


@cli.group()
def check():
    """Validate configs and the lexicon; one line per problem, non-zero exit if any."""


@check.command("marketplaces")
@click.argument("paths", nargs=-1, type=click.Path())
def check_marketplaces(paths):
    """Validate marketplace configs (default: every file in spiders/marketplaces/).

    \b
    Example:
      wildcrawl check marketplaces
      wildcrawl check marketplaces spiders/marketplaces/demo-bazaar.yaml
    """
    from crawler.config import MARKETPLACES_DIR, load_config
    from crawler.errors import ConfigError

    files = [Path(p) for p in paths] or sorted(MARKETPLACES_DIR.glob("*.yaml"))
    problems = 0
    for path in files:
        try:
            config = load_config(path)
        except ConfigError as exc:
            problems += 1
            click.echo(str(exc), err=True)
        else:
            click.echo(f"ok  {path}  ({config.render}, {', '.join(config.languages)})")
    if problems:
        raise click.ClickException(f"{problems} of {len(files)} marketplace configs have problems")
