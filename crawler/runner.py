"""Run crawls of configured marketplaces in this process (Scrapy + scrapy-playwright).

Configs are loaded and validated before anything else happens, so a broken
config stops the run before the database is opened.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as default_settings
from crawler.config import MarketplaceConfig, load_marketplace
from crawler.store import ensure_schema, open_database


def project_settings(db_path: str | Path, **overrides) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.set("WILDCRAWL_DB", str(db_path), priority="cmdline")
    for key, value in overrides.items():
        settings.set(key, value, priority="cmdline")
    if "WILDCRAWL_CONTACT" in overrides and "USER_AGENT" not in overrides:
        settings.set("USER_AGENT", default_settings.user_agent(overrides["WILDCRAWL_CONTACT"]),
                     priority="cmdline")
    return settings


def run_crawl(
    marketplaces: list[str | MarketplaceConfig],
    db_path: str | Path,
    keywords: list[str] | None = None,
    base_urls: dict[str, str] | None = None,
    max_pages: int | None = None,
    settings: dict | None = None,
) -> list[int]:
    """Crawl the marketplaces (concurrently) into ``db_path``; return the new crawl ids."""
    configs = [m if isinstance(m, MarketplaceConfig) else load_marketplace(m) for m in marketplaces]
    base_urls = base_urls or {}
    configs = [c.with_base_url(base_urls[c.name]) if c.name in base_urls else c for c in configs]
    db = open_database(db_path)  # fail early and clearly on a bad --db
    try:
        ensure_schema(db)  # migrate an older schema, refuse a newer one, before Scrapy starts
    finally:
        db.close()
    overrides = dict(settings or {})
    evidence = str(overrides.get("WILDCRAWL_EVIDENCE", True)).lower() not in ("false", "0", "no")
    if all(c.render == "http" for c in configs) and not evidence:
        # No page needs a browser (no render: browser, no evidence screenshots):
        # Scrapy's own HTTP handler, without starting Playwright.
        overrides.setdefault("DOWNLOAD_HANDLERS", {})
    process = CrawlerProcess(project_settings(db_path, **overrides))
    logging.getLogger("scrapy").setLevel(logging.INFO)
    from spiders.marketplace import MarketplaceSpider

    crawlers = []
    for config in configs:
        crawler = process.create_crawler(MarketplaceSpider)
        crawlers.append(crawler)
        process.crawl(crawler, marketplace=config, keywords=keywords, max_pages=max_pages,
                      lexicon=(settings or {}).get("WILDCRAWL_LEXICON"))
    process.start()
    return [c.spider.crawl_id for c in crawlers if c.spider and c.spider.crawl_id]
