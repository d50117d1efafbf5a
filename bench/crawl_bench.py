"""wildcrawl itself under the benchmark: one ``run_crawl`` of one workload, all pipelines on,
then the evidence screenshots it queued (timed apart).

    python -m bench.crawl_bench --spec WORKLOAD.json

The crawl is the one users run (``crawler.crawl.runner.run_crawl``, project settings, the
marketplace's own config and politeness); the workload only sets the base URL,
keywords, page limits and, for ``render: auto`` runs, the render mode. A small
extension writes the crawl's counters to the workload's ``result`` file when the
spider closes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime
from pathlib import Path

import psutil
from scrapy import signals

from bench.workload import DETAIL_ONLY, Workload

RESULT_SETTING = "BENCH_RESULT_FILE"


class ResultWriter:
    """Scrapy extension: on close, write pages and listings counted by the spider."""

    def __init__(self, crawler, path: str):
        self.crawler = crawler
        self.path = path
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.get(RESULT_SETTING))

    def spider_closed(self, spider, reason):
        stats = self.crawler.stats.get_stats()
        counts = {
            "search_pages": stats.get("wildcrawl/pages/results", 0),
            "detail_pages": stats.get("wildcrawl/pages/detail", 0),
            "listings": stats.get("item_scraped_count", 0),
            "responses": stats.get("downloader/response_count", 0),
            "browser_fallbacks": stats.get("wildcrawl/auto/browser_fallback", 0),
            "errors": sum(v for k, v in stats.items() if k.startswith("wildcrawl/errors/")),
            "finish_reason": reason,
        }
        started = stats.get("start_time")  # set when the engine opened the spider
        if started is not None:
            now = datetime.now(started.tzinfo)
            # The crawl after start-up (lexicon, matcher, store): what a warm process would take.
            counts["engine_seconds"] = (now - started).total_seconds()
        Path(self.path).write_text(json.dumps(counts), encoding="utf-8")


def run(workload: Workload) -> dict:
    """Crawl ``workload`` with wildcrawl; return its counts and the crawl's seconds."""
    from crawler import settings as project
    from crawler.config import load_marketplace
    from crawler.crawl.runner import capture_screenshots, project_settings, run_crawl
    from crawler.options import CrawlOptions

    config = load_marketplace(workload.site).with_base_url(workload.base_url)
    changes: dict = {}
    if workload.render:
        changes["render"] = workload.render
    if workload.max_rounds != config.browser.max_rounds:
        changes["browser"] = config.browser.model_copy(update={"max_rounds": workload.max_rounds})
    if workload.extra.get("api") is False:
        changes["api"] = None  # the DOM crawl of a config that reads JSON
    if changes:
        config = config.model_copy(update=changes)
    max_pages = workload.max_pages
    if config.api and config.browser.load_more:
        # Each API request is one "Load more" batch: the page and its clicks.
        batches = workload.max_pages * (1 + workload.max_rounds)
        if config.render == "api":
            max_pages = batches
        elif config.render == "auto":  # may read the endpoint: the same batches there
            api_search = config.api.search.model_copy(update={"max_pages": batches})
            config = config.with_max_pages(max_pages).model_copy(
                update={"api": config.api.model_copy(update={"search": api_search})}
            )
            max_pages = None
    extensions = {**getattr(project, "EXTENSIONS", {}), f"{__name__}.ResultWriter": 990}
    settings = {**workload.settings, "EXTENSIONS": extensions, RESULT_SETTING: workload.result}
    # `wildcrawl crawl` takes the queued evidence screenshots when its crawl ends; here the
    # same call is made after run_crawl, so the two phases are timed apart.
    screenshots = CrawlOptions.from_settings(project_settings(workload.db, **settings)).evidence
    born = psutil.Process().create_time()
    window_start = time.time() - born
    started = time.perf_counter()
    run_crawl(
        [config],
        workload.db,
        keywords=workload.keywords,
        max_pages=max_pages,
        settings={**settings, "WILDCRAWL_SCREENSHOTS": "later"},
    )
    seconds = time.perf_counter() - started
    window_end = time.time() - born
    capture = None
    if screenshots:
        capture = capture_screenshots(
            workload.db, project_settings(workload.db, **settings), [config]
        )
    counts = json.loads(Path(workload.result).read_text(encoding="utf-8"))
    counts["seconds"] = seconds
    # Seconds since this process started: the bench reads RSS in the crawl's own window.
    counts["crawl_window"] = [window_start, window_end]
    counts["capture_seconds"] = capture.seconds if capture else 0.0
    counts["screenshots"] = capture.captured if capture else 0
    counts["details_complete"] = _filled(workload.db, config.name, DETAIL_ONLY[config.name][1])
    workload.write_result(counts)
    return counts


def _filled(db_path: str, marketplace: str, column: str) -> int:
    """Stored listings of ``marketplace`` whose detail-only ``column`` is filled."""
    with sqlite3.connect(db_path) as conn:
        sql = f"select count({column}) from listings where marketplace = ?"  # column: ours
        return conn.execute(sql, (marketplace,)).fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    run(Workload.from_args("python -m bench.crawl_bench", argv, description=__doc__))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
