"""Store micro-benchmark: listing upserts per second through ``crawler.store.database.ListingStore``.

    python -m bench.store_bench [--listings 20000] [--batch 200] [--runs 3]

Items are real pipeline output: demo catalogue listings passed through the clean,
price, seller and match steps (prepared before the clock starts), so rows carry
matches, sellers and contacts as in a crawl. The pipeline steps are slow
(``country_from_location`` compiles regular expressions per call), so a pool of
``--pool`` normalised listings is cloned under new item ids up to ``--listings``. Two passes are timed on a fresh
database file: the first crawl (every listing new) and a re-crawl (every listing
known: upsert plus a new observation), three times (medians). The rates time ``add`` and the
final ``flush``; the crawl's closing (``finish_crawl``: re-listings and the word index, which is
synced once per crawl) is timed apart and printed as rates of the whole crawl, per CPU-second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


class _Stats:
    """The one method of Scrapy's stats collector the pipelines call."""

    def __init__(self):
        self.values: Counter = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] += count


def pipeline_items(count: int, site: str = "demo-bazaar") -> list[dict]:
    """``count`` listings of a demo catalogue, normalised by the real pipeline steps."""
    from crawler.config import load_marketplace
    from crawler.crawl.pipelines.clean import CleanPipeline
    from crawler.crawl.pipelines.match import MatchPipeline
    from crawler.crawl.pipelines.price import PricePipeline
    from crawler.crawl.pipelines.seller import SellerPipeline
    from crawler.demo.catalogue import generate_catalogue
    from crawler.matching.lexicon import default_lexicon_path, load_lexicon
    from crawler.matching.matcher import Matcher
    from crawler.store.clock import utcnow

    config = load_marketplace(site)
    stats = _Stats()
    steps = [
        CleanPipeline(stats),
        PricePipeline(stats),
        SellerPipeline(),
        MatchPipeline(Matcher.from_lexicon(load_lexicon(default_lexicon_path())), stats),
    ]
    seen_at = utcnow()
    items = []
    for listing in generate_catalogue(site, size=count):
        item = {
            "item_id": listing.item_id,
            "url": f"{config.base_url}/listing/{listing.item_id}",
            "title": listing.title,
            "description": listing.description,
            "price_text": listing.price_text,
            "seller_name": listing.seller_name,
            "seller_url": f"{config.base_url}/user/{listing.seller_id}",
            "location": listing.location,
            "posted_at": listing.posted_at,
            "image_url": config.base_url + listing.image_url,
            "marketplace": config.name,
            "keyword": "ivory",
            "lang": listing.lang,
            "seen_at": seen_at,
            "currency_hint": config.currency,
            "locale": config.locale,
            "country_hint": config.country,
        }
        for step in steps:
            item = step.process_item(item)
        items.append(item)
    return items


def cloned(pool: list[dict], count: int) -> list[dict]:
    """``count`` distinct listings (new item ids and URLs) with the pool's normalised content."""
    items = []
    for n in range(count):
        item = dict(pool[n % len(pool)])
        item["item_id"] = f"{item['item_id']}{n:07d}"
        item["id"] = f"{item['marketplace']}:{item['item_id']}"
        item["url"] = f"{item['url']}{n:07d}"
        items.append(item)
    return items


@dataclass
class StoreRate:
    listings: int
    new_per_s: float  # first crawl: inserts
    again_per_s: float  # re-crawl: upserts of known listings
    runs: int = 1  # the rates are medians of this many runs
    new_per_cpu_s: float = 0.0  # the same over the process's CPU time
    again_per_cpu_s: float = 0.0
    new_closed_per_cpu_s: float = 0.0  # per CPU-second, the crawl's closing included
    again_closed_per_cpu_s: float = 0.0


def _timed_pass(store, items: list[dict], marketplace: str) -> tuple[float, float, float]:
    """Listings/s of one pass: over wall-clock time, over the process's CPU time (on a
    shared machine the wall clock also counts other work's turns on the cores), and over the
    CPU time with the crawl's closing (``finish_crawl``)."""
    store.start_crawl(marketplace, ["ivory"])
    started, cpu = time.perf_counter(), time.process_time()
    for item in items:
        store.add(dict(item))
    store.flush()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    closing = time.process_time()
    store.finish_crawl("finished", pages=1, errors=0, error_kinds={})
    closing = time.process_time() - closing
    return len(items) / wall, len(items) / max(cpu, 1e-9), len(items) / max(cpu + closing, 1e-9)


def measure(
    listings: int = 20_000,
    batch: int = 200,
    pool: int = 40,
    folder: Path | None = None,
    runs: int = 3,
) -> StoreRate:
    """Upserts/s of a first crawl and of a re-crawl of ``listings`` items: the medians of
    ``runs`` runs, each on a new database file (one run on a shared machine is noise)."""
    from crawler.store.database import ListingStore

    items = cloned(pipeline_items(min(pool, listings)), listings)
    news, agains, news_cpu, agains_cpu, news_closed, agains_closed = [], [], [], [], [], []
    for run in range(runs):
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            store = ListingStore(Path(tmp) / f"store-bench-{run}.db", batch_size=batch)
            store.save_marketplace(
                {"name": items[0]["marketplace"], "title": "bench", "base_url": "http://127.0.0.1"}
            )
            passes = ((news, news_cpu, news_closed), (agains, agains_cpu, agains_closed))
            for walls, cpus, closed in passes:
                wall, cpu, with_closing = _timed_pass(store, items, items[0]["marketplace"])
                walls.append(wall)
                cpus.append(cpu)
                closed.append(with_closing)
            store.close()
    median = statistics.median
    return StoreRate(
        len(items),
        median(news),
        median(agains),
        runs,
        median(news_cpu),
        median(agains_cpu),
        median(news_closed),
        median(agains_closed),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.store_bench", description=__doc__)
    parser.add_argument("--listings", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=200, help="listings per transaction")
    parser.add_argument("--pool", type=int, default=40, help="listings run through the pipelines")
    parser.add_argument("--runs", type=int, default=3, help="runs (medians are printed)")
    args = parser.parse_args(argv)
    rate = measure(args.listings, args.batch, args.pool, runs=max(args.runs, 1))
    print(
        f"ListingStore, {rate.listings:,} listings, batches of {args.batch}, medians of "
        f"{rate.runs} runs: {rate.new_per_s:,.0f} new listings/s, "
        f"{rate.again_per_s:,.0f} re-crawl upserts/s; per CPU-second: "
        f"{rate.new_per_cpu_s:,.0f} new, {rate.again_per_cpu_s:,.0f} re-crawl; with the "
        f"crawl's closing (word index): {rate.new_closed_per_cpu_s:,.0f} new, "
        f"{rate.again_closed_per_cpu_s:,.0f} re-crawl "
        f"(load average {', '.join(f'{x:.1f}' for x in os.getloadavg())})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
