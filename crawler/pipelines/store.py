"""Step 900: write listings to SQLite in batches and keep the ``crawls`` row true.

Settings: ``WILDCRAWL_DB`` (database path), ``WILDCRAWL_BATCH_SIZE`` (listings
per transaction, default 200). All spiders of one process writing the same file
share one connection, the only writer of that file.
"""

from __future__ import annotations

import logging

from scrapy import signals

from crawler.lexicon import default_lexicon_path, load_lexicon
from crawler.store import ListingStore, open_database

logger = logging.getLogger(__name__)

_SHARED: dict[str, list] = {}  # db path -> [Database, users]


def _acquire(path: str):
    entry = _SHARED.get(path)
    if entry is None:
        entry = _SHARED[path] = [open_database(path), 0]
    entry[1] += 1
    return entry[0]


def _release(path: str) -> None:
    entry = _SHARED.get(path)
    if entry is None:
        return
    entry[1] -= 1
    if entry[1] <= 0:
        entry[0].close()
        del _SHARED[path]


def error_kinds(stats: dict) -> dict[str, int]:
    """Errors by kind from Scrapy's stats: exception classes, server statuses, blocks."""
    kinds: dict[str, int] = {}
    for key, value in stats.items():
        if key.startswith("downloader/exception_type_count/"):
            kinds[key.rsplit(".", 1)[-1].rsplit("/", 1)[-1]] = value
        elif key.startswith("downloader/response_status_count/"):
            code = int(key.rsplit("/", 1)[-1])
            if code == 429 or code == 403 or code >= 500:
                kinds[f"http_{code}"] = value
        elif key.startswith("spider_exceptions/") and key != "spider_exceptions/count":
            kinds[f"spider_{key.rsplit('/', 1)[-1]}"] = value
        elif key.startswith("wildcrawl/errors/"):
            kinds[key.rsplit("/", 1)[-1]] = value
    return kinds


class StorePipeline:
    def __init__(self, crawler, db_path: str, batch_size: int):
        self.crawler = crawler
        self.db_path = db_path
        self.batch_size = batch_size
        self.store: ListingStore | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(
            crawler,
            crawler.settings.get("WILDCRAWL_DB", "output/wildcrawl.db"),
            crawler.settings.getint("WILDCRAWL_BATCH_SIZE", 200),
        )

    def open_spider(self):
        spider = self.crawler.spider
        config = spider.config
        self.store = ListingStore(_acquire(self.db_path), batch_size=self.batch_size)
        self.store.save_marketplace(
            {
                "name": config.name, "title": config.title, "base_url": config.base_url,
                "country": config.country, "language": config.language,
                "languages": ",".join(config.languages), "currency": config.currency,
                "locale": config.locale, "render": config.render,
                "config_file": config.source_file,
            }
        )
        lexicon = load_lexicon(self.crawler.settings.get("WILDCRAWL_LEXICON") or default_lexicon_path())
        self.store.save_lexicon(
            (
                {"id": t.id, "scientific_name": t.scientific_name, "common_name": t.common_name,
                 "cites_appendix": t.cites_appendix, "taxon_group": t.taxon_group,
                 "synonyms": "; ".join(t.synonyms), "source": t.source}
                for t in lexicon.taxa
            ),
            (
                {"id": t.id, "term": t.term, "lang": t.lang, "kind": t.kind,
                 "taxon_id": t.taxon_id, "product": t.product, "source": t.source}
                for t in lexicon.terms
            ),
        )
        spider.crawl_id = self.store.start_crawl(config.name, list(spider.keywords))

    def process_item(self, item):
        item["last_crawl_id"] = self.store.crawl_id
        self.store.add(dict(item))
        return item

    def close_spider(self):
        if self.store:
            self.store.flush()

    def spider_closed(self, spider, reason):
        if not self.store:
            return
        stats = self.crawler.stats.get_stats()
        kinds = error_kinds(stats)
        pages = stats.get("downloader/response_count", 0)
        ok_pages = stats.get("wildcrawl/pages/results", 0)
        message = None
        if reason == "finished":
            status = "finished"
            if ok_pages == 0:
                status = "failed"
                message = "no results page could be fetched from " + spider.config.base_url
        elif reason in ("shutdown", "cancelled"):
            status, message = "interrupted", f"stopped: {reason}"
        else:
            status, message = "finished", f"closed early: {reason}"
        self.store.finish_crawl(status, pages, sum(kinds.values()), kinds, message)
        logger.info("crawl %s of %s: %s", self.store.crawl_id, spider.config.name, status)
        self.store = None
        _release(self.db_path)
