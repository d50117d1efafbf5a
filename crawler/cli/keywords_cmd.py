"""``wildcrawl check keywords``: validate the lexicon, print counts per language and kind."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from crawler.cli.check_cmd import check


@check.command("keywords")
@click.argument("path", required=False, type=click.Path())
def check_keywords(path):
    """Validate the keyword lexicon (default: the repository's keywords/ folder).

    Prints one line per problem (file:line: problem) and exits 1 if there is any;
    otherwise prints the number of terms per language and kind.

    \b
    Example:
      wildcrawl check keywords
      wildcrawl check keywords path/to/keywords
    """
    from crawler.matching.cites import PLANT_RULES, export_age_warning
    from crawler.matching.lexicon import KINDS, check_lexicon, default_lexicon_path

    lexicon, problems = check_lexicon(path)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems or lexicon is None:
        raise click.ClickException(f"{len(problems)} problem(s) in the lexicon")
    counts = Counter((t.lang, t.kind) for t in lexicon.terms)
    langs = sorted({lang for lang, _ in counts})
    plant_groups = {group for _, _, group, _ in PLANT_RULES} | {"other plants"}
    plants = sum(1 for t in lexicon.taxa if t.taxon_group in plant_groups)
    click.echo(
        f"lexicon {lexicon.version}: {len(lexicon.taxa)} taxa ({len(lexicon.taxa) - plants} "
        f"animals, {plants} plants), {len(lexicon.terms)} terms in {len(langs)} languages, "
        f"seeds for {len(lexicon.seeds)} languages"
    )
    warning = export_age_warning(Path(path) if path else default_lexicon_path())
    if warning:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{'lang':<8}" + "".join(f"{k:>10}" for k in KINDS) + f"{'seeds':>8}")
    for lang in langs:
        row = "".join(f"{counts.get((lang, k), 0):>10}" for k in KINDS)
        click.echo(f"{lang:<8}{row}{len(lexicon.seeds.get(lang, ())):>8}")
