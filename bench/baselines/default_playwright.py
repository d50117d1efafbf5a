"""Baseline: scrapy-playwright with its default settings, wildcrawl's extraction, no pipelines.

    python -m bench.baselines.default_playwright --spec WORKLOAD.json

``BaselineSpider`` (see ``plain_scrapy``) with every page rendered in Chromium the
way the scrapy-playwright README shows it: the download handlers and the asyncio
reactor, nothing else (no request blocking, default context and page limits).
Each page waits for the config's ``wait_for`` selector and runs the same
"Load more" script as the marketplace spider, so it sees the same listings. The
only launch options are the ones this machine needs to start a Chromium at all
(``crawler.browser.launch.launch_options``: executable path, no sandbox).
"""

from __future__ import annotations

from scrapy_playwright.page import PageMethod

from bench.baselines.plain_scrapy import crawl
from bench.workload import Workload
from crawler.browser.launch import launch_options
from crawler.config import load_marketplace

SETTINGS = {
    "DOWNLOAD_HANDLERS": {
        "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    },
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
}


def page_meta_for(workload: Workload):
    """Request meta per page kind: render in the browser, wait, click "Load more"."""
    from spiders.marketplace import LOAD_MORE_JS

    config = load_marketplace(workload.site)
    browser = config.browser

    def page_meta(kind: str) -> dict:
        wait_for = (
            browser.wait_for if kind == "results" else (browser.detail_wait_for or browser.wait_for)
        )
        methods = []
        if wait_for:
            methods.append(PageMethod("wait_for_selector", wait_for, timeout=browser.timeout_ms))
        if kind == "results" and (browser.load_more or browser.scroll):
            methods.append(
                PageMethod(
                    "evaluate",
                    LOAD_MORE_JS,
                    {
                        "loadMore": browser.load_more,
                        "item": config.listings.item,
                        "scroll": browser.scroll,
                        "maxRounds": workload.max_rounds,
                        "timeout": browser.timeout_ms,
                    },
                )
            )
        return {"playwright": True, "playwright_page_methods": methods}

    return page_meta


def main(argv: list[str] | None = None) -> int:
    workload = Workload.from_args("python -m bench.baselines.default_playwright", argv)
    settings = {**SETTINGS, "PLAYWRIGHT_LAUNCH_OPTIONS": launch_options()}
    crawl(workload, settings, page_meta=page_meta_for(workload))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
