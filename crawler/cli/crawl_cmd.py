"""``wildcrawl crawl``: crawl configured marketplaces into the database."""

from __future__ import annotations

import click

from crawler.cli.app import cli, db_option, user_errors


def parse_pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint=option)
        pairs[name] = rest
    return pairs


@cli.command()
@click.argument("marketplaces", nargs=-1, required=True)
@db_option
@click.option("--keywords", "-k", help="Comma-separated keywords (default: the lexicon's seeds "
              "for each marketplace's languages).")
@click.option("--max-pages", type=click.IntRange(1), help="Results pages per keyword (default: config).")
@click.option("--base-url", "base_urls", multiple=True, metavar="NAME=URL",
              help="Crawl a marketplace at another address (mirror, demo port).")
@click.option("--lexicon", type=click.Path(exists=True, file_okay=False), help="Lexicon folder.")
@user_errors
def crawl(marketplaces, db_path, keywords, max_pages, base_urls, lexicon):
    """Crawl MARKETPLACES (names from spiders/marketplaces/ or YAML paths).

    \b
    Example:
      wildcrawl crawl demo-bazaar demo-tiaozao --db output/wildcrawl.db -k ivory,象牙
    """
    from crawler.config import load_marketplace
    from crawler.runner import run_crawl
    from crawler.store import open_database
    from crawler.summary import crawl_rows, print_summary

    configs = [load_marketplace(m) for m in marketplaces]  # all validated before any crawl
    settings = {"WILDCRAWL_LEXICON": lexicon} if lexicon else {}
    kw = [k.strip() for k in keywords.split(",") if k.strip()] if keywords else None
    ids = run_crawl(configs, db_path, keywords=kw, base_urls=parse_pairs(base_urls, "--base-url"),
                    max_pages=max_pages, settings=settings)
    db = open_database(db_path)
    rows = crawl_rows(db, ids)
    print_summary(rows)
    bad = [r for r in rows if r["status"] != "finished"]
    if bad or len(rows) < len(configs):
        names = ", ".join(f"{r['marketplace']} ({r['status']})" for r in bad) or "some marketplaces"
        raise click.ClickException(f"crawl did not finish cleanly: {names}")
