"""``wildcrawl seed``: start a fleet crawl by putting the search requests in the Redis frontier."""

from __future__ import annotations

import click

from crawler.cli.app import cli, search_options, user_errors
from crawler.cli.crawl_cmd import check_lexicon_for, parse_pairs


@cli.command()
@click.argument("marketplaces", nargs=-1, required=True)
@click.option(
    "--redis",
    "redis_url",
    required=True,
    metavar="URL",
    help="Redis of the fleet, e.g. redis://10.0.0.5:6379/0.",
)
@search_options
@user_errors
def seed(marketplaces, redis_url, keywords, max_pages, base_urls, lexicon):
    """Enqueue the search requests of MARKETPLACES for the workers sharing a Redis frontier.

    Workers (`wildcrawl crawl --redis URL …`) crawl them; `wildcrawl ingest` writes the
    results. Seeding a marketplace whose run is active again adds nothing twice.

    \b
    Example:
      wildcrawl seed --redis redis://10.0.0.5:6379/0 demo-bazaar demo-tiaozao -k ivory,象牙
    """
    from crawler.config import load_marketplace
    from crawler.fleet.distributed import seed_marketplace
    from crawler.fleet.redis_frontier import connect

    configs = [load_marketplace(m) for m in marketplaces]
    kw = [k.strip() for k in keywords.split(",") if k.strip()] if keywords else None
    if lexicon:
        check_lexicon_for(lexicon, configs, kw)
    urls = parse_pairs(base_urls, "--base-url")
    configs = [c.with_base_url(urls[c.name]) if c.name in urls else c for c in configs]
    server = connect(redis_url)
    for config in configs:
        result = seed_marketplace(server, config, keywords=kw, max_pages=max_pages, lexicon=lexicon)
        verb = "started" if result.created else "re-seeded"
        click.echo(
            f"{result.marketplace}: {verb} run {result.run}, {result.queued} of "
            f"{result.requests} search requests queued"
        )
