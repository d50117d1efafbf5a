"""``wildcrawl crawl``: crawl configured marketplaces into the database."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.app import cli, db_option, search_options, user_errors, verbose_option


def parse_pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint=option)
        pairs[name] = rest
    return pairs


def check_lexicon_for(path: str, configs: list, keywords: list[str] | None) -> None:
    """Load a --lexicon folder before crawling: a broken or empty one stops here, in one line."""
    from crawler.errors import LexiconError
    from crawler.matching.lexicon import load_lexicon

    try:
        lexicon = load_lexicon(path)
    except LexiconError as exc:
        raise LexiconError(
            f"{exc} (a lexicon folder holds lexicon.yaml, taxa.csv, terms/, "
            "seeds.yaml: see keywords/)"
        ) from None
    if not lexicon.terms:
        raise LexiconError("the lexicon has no terms; nothing could be matched", path=path)
    for config in configs:
        if not keywords and not any(lexicon.seeds.get(lang) for lang in config.languages):
            raise LexiconError(
                f"no seed keywords for {config.name} ({', '.join(config.languages)}) in seeds.yaml;"
                " add some or give --keywords",
                path=path,
            )


@cli.command()
@click.argument("marketplaces", nargs=-1, required=True)
@db_option
@search_options
@click.option(
    "--model",
    help="Relevance model folder (wildcrawl model train; default: the default model, "
    "'none': the lexicon alone). Same as -s WILDCRAWL_MODEL=DIR.",
)
@click.option(
    "--set",
    "-s",
    "overrides",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy/wildcrawl setting, e.g. -s WILDCRAWL_BATCH_SIZE=20.",
)
@click.option(
    "--redis",
    "redis_url",
    metavar="URL",
    help="Be one worker of a fleet sharing this Redis frontier (items go to "
    "`wildcrawl ingest`, not to --db); see docs/distributed.md.",
)
@click.option(
    "--log-file",
    metavar="PATH",
    help="Scrapy's log of this crawl (default: logs/<marketplace>-<time>.log in the "
    "database's folder; '-': no file, all of it on stderr).",
)
@verbose_option
@user_errors
def crawl(
    marketplaces,
    db_path,
    keywords,
    max_pages,
    base_urls,
    lexicon,
    model,
    overrides,
    redis_url,
    log_file,
    verbose,
):
    """Crawl MARKETPLACES (names from spiders/marketplaces/ or YAML paths).

    \b
    Example:
      wildcrawl crawl demo-bazaar demo-tiaozao --db output/wildcrawl.db -k ivory,象牙
      wildcrawl crawl demo-bazaar --redis redis://10.0.0.5:6379/0   # a fleet worker
    """
    from crawler.crawl.imports import import_sqlite_utils

    import_sqlite_utils()  # before the store imports it (crawler.crawl.imports)
    from crawler.config import load_marketplace
    from crawler.crawl.runner import crawl_log_path, run_crawl

    configs = [load_marketplace(m) for m in marketplaces]  # all validated before any crawl
    settings = parse_pairs(overrides, "--set")
    kw = [k.strip() for k in keywords.split(",") if k.strip()] if keywords else None
    if lexicon:
        check_lexicon_for(lexicon, configs, kw)
        settings["WILDCRAWL_LEXICON"] = lexicon
    if model:
        settings["WILDCRAWL_MODEL"] = model
    if redis_url:
        from crawler.fleet.distributed import run_workers, worker_summary_lines

        summaries = run_workers(
            configs,
            redis_url,
            db_path,
            keywords=kw,
            max_pages=max_pages,
            base_urls=parse_pairs(base_urls, "--base-url"),
            settings=settings,
        )
        click.echo("\n".join(worker_summary_lines(summaries)))
        bad = [s["marketplace"] for s in summaries if s["reason"] != "finished"]
        if bad:
            raise click.ClickException(f"worker did not finish cleanly: {', '.join(bad)}")
        return
    if log_file == "-":
        log_file = None  # Scrapy's way: everything on stderr (scheduled jobs log that)
    else:
        log_file = Path(log_file) if log_file else crawl_log_path(db_path, configs)
    ids = run_crawl(
        configs,
        db_path,
        keywords=kw,
        base_urls=parse_pairs(base_urls, "--base-url"),
        max_pages=max_pages,
        settings=settings,
        log_file=log_file,
        quiet=False if verbose else None,
    )
    # After the crawl: the summary's table (rich) is no part of its start.
    from crawler.crawl.summary import crawl_rows, print_summary, rate_notes
    from crawler.store.database import open_database

    db = open_database(db_path)
    rows = crawl_rows(db, ids)
    print_summary(rows, notes=rate_notes(db, ids), log_file=log_file)
    bad = [r for r in rows if r["status"] != "finished"]
    if bad and all(r["status"] == "interrupted" for r in bad) and len(rows) == len(configs):
        # Ctrl-C or SIGTERM: Scrapy stopped gracefully and the crawls are recorded so.
        click.echo(f"Stopped: {', '.join(r['marketplace'] for r in bad)} interrupted", err=True)
        raise SystemExit(130)
    if bad or len(rows) < len(configs):
        names = (
            "; ".join(
                f"{r['marketplace']} {r['status']}"
                + (f": {r['message']}" if r.get("message") else "")
                for r in bad
            )
            or "some marketplaces"
        )
        raise click.ClickException(f"crawl did not finish cleanly: {names}")
