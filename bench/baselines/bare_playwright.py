"""Reference: the same browser work with nothing around it, to see what one Chromium allows.

    python -m bench.baselines.bare_playwright --spec WORKLOAD.json

Playwright alone, no crawling framework: as many pages as the marketplace's
concurrency, opened once and reused for every URL (navigated, never closed),
wildcrawl's launch switches (``crawler.browser.launch.crawl_launch_options``) and resource
blocking inside Chromium (``crawler.browser.block``, no route), the config's selector
waits, the spider's "Load more" script and the same extraction (``crawler.extract.listings``). No
robots.txt, retries, politeness delay, pipelines or storage. Not a competitor: a ceiling for
a crawl that waits for every page to render and reads its DOM. (wildcrawl's browser crawl of
a config with an ``api`` section reads a detail page's JSON once the page has it, without
waiting for the render: ``crawler.browser.api_capture.answers_first``; it can pass this reference.)
"""

from __future__ import annotations

import asyncio
import time

from bench.workload import DETAIL_ONLY, Workload
from crawler.browser.block import block_resources
from crawler.browser.launch import crawl_launch_options
from crawler.config import load_marketplace
from crawler.extract.listings import extract_detail, extract_listings


async def crawl(workload: Workload) -> dict:
    from playwright.async_api import async_playwright

    from spiders.marketplace import LOAD_MORE_JS

    config = load_marketplace(workload.site).with_base_url(workload.base_url)
    b = config.browser
    counts = {
        "search_pages": 0,
        "detail_pages": 0,
        "listings": 0,
        "details_complete": 0,
        "errors": 0,
    }
    detail_field = DETAIL_ONLY[config.name][0]
    queue: asyncio.Queue = asyncio.Queue()
    for kw in workload.keywords:
        queue.put_nowait(("results", config.search_url(kw, config.search.first_page)))
    started = time.perf_counter()

    async with async_playwright() as p:
        browser = await p.chromium.launch(**crawl_launch_options())
        context = await browser.new_context()

        async def worker():
            page = await context.new_page()
            await block_resources(page)  # inside Chromium, as the crawl's direct pages
            while True:
                kind, url = await queue.get()
                try:
                    await page.goto(url, wait_until="domcontentloaded")
                    if kind == "results":
                        if b.wait_for:
                            await page.wait_for_selector(b.wait_for, timeout=b.timeout_ms)
                        await page.evaluate(
                            LOAD_MORE_JS,
                            {
                                "loadMore": b.load_more,
                                "item": config.listings.item,
                                "scroll": b.scroll,
                                "maxRounds": workload.max_rounds,
                                "timeout": b.timeout_ms,
                            },
                        )
                        found = extract_listings(config, await page.content(), page.url)
                        counts["search_pages"] += 1
                        for raw in found.listings:
                            queue.put_nowait(("detail", raw["url"]))
                    else:
                        wait_for = b.detail_wait_for or b.wait_for
                        if wait_for:
                            await page.wait_for_selector(wait_for, timeout=b.timeout_ms)
                        extracted = extract_detail(config, await page.content(), page.url)
                        counts["detail_pages"] += 1
                        counts["listings"] += 1
                        counts["details_complete"] += bool(extracted.get(detail_field))
                except Exception:  # noqa: BLE001 - counted; the report flags missing pages
                    counts["errors"] += 1
                finally:
                    queue.task_done()

        workers = [asyncio.create_task(worker()) for _ in range(config.politeness.concurrency)]
        await queue.join()
        for task in workers:
            task.cancel()
        await browser.close()
    counts["seconds"] = time.perf_counter() - started
    workload.write_result(counts)
    return counts


def main(argv: list[str] | None = None) -> int:
    asyncio.run(crawl(Workload.from_args("python -m bench.baselines.bare_playwright", argv)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
