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
@click.option("--no-pages", is_flag=True, help="Skip the selectors-on-golden-page check.")
def check_marketplaces(paths, no_pages):
    """Validate marketplace configs (default: every file in spiders/marketplaces/).

    Beyond the schema: the search URL is not the generated placeholder, every language
    is one the lexicon has terms in, and the listing selectors match on the golden page
    the config's top comment names (when that page is on this machine).

    \b
    Example:
      wildcrawl check marketplaces
      wildcrawl check marketplaces spiders/marketplaces/demo-bazaar.yaml
    """
    from crawler.cli import config_checks
    from crawler.config import MARKETPLACES_DIR, load_config
    from crawler.errors import ConfigError
    from crawler.paths import shared_data

    files = [Path(p) for p in paths] or sorted(MARKETPLACES_DIR.glob("*.yaml"))
    known = config_checks.lexicon_languages()
    problems = 0
    for path in files:
        try:
            config = load_config(path)
        except ConfigError as exc:
            problems += 1
            click.echo(str(exc), err=True)
            continue
        text = path.read_text(encoding="utf-8")
        found = config_checks.placeholder_problems(config, text)
        found += config_checks.language_problems(config, known)
        pages = [] if no_pages else config_checks.golden_pages(text, shared_data())
        found += config_checks.selector_problems(config, pages)
        if found:
            problems += 1
            for problem in found:
                click.echo(f"{path}: {problem}", err=True)
            continue
        golden = f", golden page {pages[0].name}" if pages else ""
        click.echo(f"ok  {path}  ({config.render}, {', '.join(config.languages)}{golden})")
    if problems:
        raise click.ClickException(f"{problems} of {len(files)} marketplace configs have problems")
