"""Baseline: Crawlee for Python's ``PlaywrightCrawler`` with wildcrawl's extraction.

    python -m bench.baselines.crawlee_playwright --spec WORKLOAD.json

Same flow and extraction as the other crawlers (search page: wait for the config's
selector, run the marketplace spider's "Load more" script, ``extract_listings`` on
the rendered HTML; detail page: wait, ``extract_detail``), Crawlee's defaults
otherwise (browser pool, fingerprints, sessions, autoscaled pool), except:
- Chromium is the system's (``crawler.browser.launch.launch_options``: executable path and
  the flags this machine needs);
- concurrency is capped at the marketplace's politeness limit and robots.txt is
  obeyed, as wildcrawl does;
- storage is in memory (no ``./storage`` folder is written).
"""

from __future__ import annotations

import asyncio
import logging
import time

from bench.workload import DETAIL_ONLY, Workload
from crawler.browser.launch import launch_options
from crawler.config import load_marketplace
from crawler.extract.listings import extract_detail, extract_listings


async def crawl(workload: Workload) -> dict:
    """Crawl ``workload`` with Crawlee; write and return the counts."""
    from crawlee import ConcurrencySettings, Request
    from crawlee.crawlers import PlaywrightCrawler, PlaywrightCrawlingContext
    from crawlee.storage_clients import MemoryStorageClient

    from spiders.marketplace import LOAD_MORE_JS

    config = load_marketplace(workload.site).with_base_url(workload.base_url)
    browser = config.browser
    counts = {"search_pages": 0, "detail_pages": 0, "listings": 0, "details_complete": 0}
    detail_field = DETAIL_ONLY[config.name][0]
    options = launch_options()
    headless = options.pop("headless", True)
    concurrency = config.politeness.concurrency
    crawler = PlaywrightCrawler(
        browser_type="chromium",
        browser_launch_options=options,
        headless=headless,
        storage_client=MemoryStorageClient(),
        concurrency_settings=ConcurrencySettings(
            min_concurrency=concurrency,
            desired_concurrency=concurrency,
            max_concurrency=concurrency,
        ),
        respect_robots_txt_file=config.politeness.obey_robots,
        configure_logging=False,
    )

    @crawler.router.default_handler
    async def results(context: PlaywrightCrawlingContext) -> None:
        page = context.page
        if browser.wait_for:
            await page.wait_for_selector(browser.wait_for, timeout=browser.timeout_ms)
        if browser.load_more or browser.scroll:
            await page.evaluate(
                LOAD_MORE_JS,
                {
                    "loadMore": browser.load_more,
                    "item": config.listings.item,
                    "scroll": browser.scroll,
                    "maxRounds": workload.max_rounds,
                    "timeout": browser.timeout_ms,
                },
            )
        found = extract_listings(config, await page.content(), page.url)
        counts["search_pages"] += 1
        await context.add_requests(
            [
                Request.from_url(raw["url"], label="detail", user_data={"listing": raw})
                for raw in found.listings
            ]
        )

    @crawler.router.handler("detail")
    async def detail(context: PlaywrightCrawlingContext) -> None:
        page = context.page
        wait_for = browser.detail_wait_for or browser.wait_for
        if wait_for:
            await page.wait_for_selector(wait_for, timeout=browser.timeout_ms)
        listing = dict(context.request.user_data["listing"])
        extracted = extract_detail(config, await page.content(), page.url)
        for key, value in extracted.items():
            if value:
                listing[key] = value
        counts["detail_pages"] += 1
        counts["details_complete"] += bool(extracted.get(detail_field))
        counts["listings"] += 1

    starts = [config.search_url(kw, config.search.first_page) for kw in workload.keywords]
    started = time.perf_counter()
    stats = await crawler.run(starts)
    counts["seconds"] = time.perf_counter() - started
    counts["errors"] = stats.requests_failed
    counts["responses"] = stats.requests_finished
    workload.write_result(counts)
    return counts


def main(argv: list[str] | None = None) -> int:
    workload = Workload.from_args("python -m bench.baselines.crawlee_playwright", argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s"
    )
    asyncio.run(crawl(workload))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
