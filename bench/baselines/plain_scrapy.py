"""Baseline: plain Scrapy with wildcrawl's extraction and no item pipelines.

    python -m bench.baselines.plain_scrapy --spec WORKLOAD.json

The same flow as the marketplace spider (search page -> next page; each listing ->
its detail page), the same pure extraction (``crawler.extract.listings``) and the same
politeness (the marketplace config's concurrency, delay and robots.txt), but
Scrapy's default settings otherwise and no pipelines: items are only counted.
``bench.baselines.default_playwright`` runs this spider through scrapy-playwright.
"""

from __future__ import annotations

import time

import scrapy
from scrapy.crawler import CrawlerProcess

from bench.workload import DETAIL_ONLY, Workload
from crawler.config import MarketplaceConfig, load_marketplace
from crawler.extract.listings import extract_detail, extract_listings, next_page_url


class BaselineSpider(scrapy.Spider):
    """Search, paginate and follow listings with ``crawler.extract.listings``; count, keep nothing."""

    name = "baseline"

    def __init__(self, config: MarketplaceConfig, workload: Workload, page_meta=None, **kwargs):
        super().__init__(**kwargs)
        self.config = config
        self.workload = workload
        # Extra request meta per page kind ("results", "detail"), e.g. to render in a browser.
        self.page_meta = page_meta or (lambda kind: {})
        self.counts = {"search_pages": 0, "detail_pages": 0, "listings": 0, "details_complete": 0}
        self.detail_field = DETAIL_ONLY[config.name][0]

    async def start(self):
        for keyword in self.workload.keywords:
            yield self._search(self.config.search_url(keyword, self.config.search.first_page), 1)

    def _search(self, url: str, page: int) -> scrapy.Request:
        return scrapy.Request(
            url, self.parse_results, meta={"page": page, **self.page_meta("results")}
        )

    def _body(self, response) -> str:
        if self.config.encoding:
            return response.body.decode(self.config.encoding, errors="replace")
        return response.text

    def parse_results(self, response):
        body = self._body(response)
        self.counts["search_pages"] += 1
        found = extract_listings(self.config, body, response.url)
        for raw in found.listings:
            if self.config.detail:
                yield scrapy.Request(
                    raw["url"], self.parse_detail, meta={"listing": raw, **self.page_meta("detail")}
                )
            else:
                self.counts["listings"] += 1
                yield raw
        page = response.meta["page"]
        if found.listings and page < self.workload.max_pages:
            url = next_page_url(self.config, body, response.url)
            if url:
                yield self._search(url, page + 1)

    def parse_detail(self, response):
        listing = dict(response.meta["listing"])
        self.counts["detail_pages"] += 1
        extracted = extract_detail(self.config, self._body(response), response.url)
        for key, value in extracted.items():
            if value:
                listing[key] = value
        self.counts["details_complete"] += bool(extracted.get(self.detail_field))
        self.counts["listings"] += 1
        yield listing


def politeness_settings(config: MarketplaceConfig) -> dict:
    """The marketplace's politeness, so baselines crawl exactly as gently as wildcrawl."""
    polite = config.politeness
    return {
        "CONCURRENT_REQUESTS": polite.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": polite.concurrency,
        "DOWNLOAD_DELAY": polite.download_delay,
        "ROBOTSTXT_OBEY": polite.obey_robots,
        "LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": False,
    }


def crawl(workload: Workload, settings: dict, page_meta=None) -> dict:
    """Run ``BaselineSpider`` over ``workload`` in this process; write and return the counts."""
    config = load_marketplace(workload.site).with_base_url(workload.base_url)
    # Timed like bench.crawl_bench, which times all of run_crawl: Scrapy's set-up included.
    started = time.perf_counter()
    process = CrawlerProcess({**politeness_settings(config), **settings})
    crawler = process.create_crawler(BaselineSpider)
    process.crawl(crawler, config=config, workload=workload, page_meta=page_meta)
    process.start()
    counts = {
        **crawler.spider.counts,
        "seconds": time.perf_counter() - started,
        "responses": crawler.stats.get_value("downloader/response_count", 0),
        "errors": crawler.stats.get_value("log_count/ERROR", 0),
    }
    workload.write_result(counts)
    return counts


def main(argv: list[str] | None = None) -> int:
    crawl(Workload.from_args("python -m bench.baselines.plain_scrapy", argv), {})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
