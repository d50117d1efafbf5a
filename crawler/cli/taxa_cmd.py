"""``wildcrawl taxa import``: bring the lexicon's CITES taxa up to a Species+ export."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.app import cli, user_errors


@cli.group()
def taxa():
    """The lexicon's CITES taxa (keywords/taxa.csv)."""


@taxa.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--lexicon", "lexicon_dir", type=click.Path(file_okay=False),
              help="Lexicon folder (default: the repository's keywords/).")  # fmt: skip
@click.option("--date", help="The export's date, YYYY-MM-DD (default: read from the file name).")
@click.option("--replace", is_flag=True,
              help="Build taxa.csv from this export alone (default: merge into it).")  # fmt: skip
@user_errors
def import_cmd(file, lexicon_dir, date, replace):
    """Merge a CITES Species+ / Checklist CSV export into the lexicon's taxa.

    Reads both layouts a monitor downloads: the Index of CITES Species
    (checklist.cites.org) and a Species+ "CITES listings" export (speciesplus.net).
    Taxa in the file are added or updated; others, and every hand-written term,
    are kept. Species terms follow taxa.csv when the lexicon loads.

    \b
    Example:
      wildcrawl taxa import ~/Downloads/CITES_Listings_Rept_07-23.csv
      wildcrawl taxa import Index_of_CITES_Species_2025-02-07.csv --replace
    """
    from crawler.errors import WildcrawlError
    from crawler.matching.cites import CitesError, import_taxa
    from crawler.matching.lexicon import default_lexicon_path

    source = Path(file)
    if not source.is_file():
        raise WildcrawlError(f"{source}: no such file")
    target = Path(lexicon_dir) if lexicon_dir else default_lexicon_path()
    if not (target / "taxa.csv").exists() and not replace:
        raise WildcrawlError(f"{target}: no taxa.csv to merge into (give --replace to build one)")
    try:
        result = import_taxa(source, target, date=date, replace=replace)
    except (CitesError, ValueError) as exc:
        raise WildcrawlError(str(exc)) from exc
    click.echo(
        f"{source.name} ({result.layout} layout, exported {result.exported or 'date unknown'}): "
        f"{result.read} rows read, {result.added} taxa added, {result.updated} updated; "
        f"{target / 'taxa.csv'} holds {result.total}"
    )
