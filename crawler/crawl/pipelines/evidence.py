"""Step 850: queue browser evidence (full-page PNG + rendered HTML) of flagged listings.

Only a flagged listing seen for the first time, or whose title or price changed since
the store last saw it, is queued: the job travels on the item (``evidence_job``) to the
store, the one writer of the database, which keeps it in ``evidence_queue``. The
screenshots are taken by ``crawler.casework.capture`` once the crawl is over
(``wildcrawl crawl`` does it before it exits; ``wildcrawl evidence capture`` takes what
is left), so a capture never holds one of the marketplace's download slots or slows
the crawl, and the browser starts only when there is something to capture.

Settings: ``WILDCRAWL_EVIDENCE`` (on by default; False turns capture off),
``WILDCRAWL_SCREENSHOTS`` (``after``, the default: captured when the crawl ends;
``later``: only queued), ``WILDCRAWL_EVIDENCE_DIR`` (default ``evidence/`` beside
``WILDCRAWL_DB``), ``WILDCRAWL_EVIDENCE_TIMEOUT_MS`` (page settle time limit, 10000).
"""

from __future__ import annotations

import sqlite3

from scrapy.exceptions import NotConfigured

from crawler.options import CrawlOptions
from crawler.store.clock import utcnow
from crawler.store.history import GONE, price_or_title_changed


class EvidencePipeline:
    def __init__(self, crawler, db_path: str):
        self.crawler = crawler
        self.db_path = db_path
        self.queued: set[str] = set()
        self._conn: sqlite3.Connection | None = None

    @classmethod
    def from_crawler(cls, crawler):
        options = CrawlOptions.of(crawler)
        if not options.evidence:
            raise NotConfigured("evidence capture is off (WILDCRAWL_EVIDENCE=False)")
        return cls(crawler, options.db)

    def _previous(self, listing_id: str) -> dict | None:
        try:
            if self._conn is None:
                # Read-only: the store pipeline (or the Redis ingester, when a fleet worker
                # has no database of its own) holds the one writing connection.
                self._conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
            row = self._conn.execute(
                "select title, price from listings where id = ?", (listing_id,)
            ).fetchone()
        except sqlite3.OperationalError:
            return None
        return {"title": row[0], "price": row[1]} if row else None

    def needs_capture(self, item: dict) -> bool:
        if not item.get("flagged") or item.get("page_state") in GONE or item["id"] in self.queued:
            return False
        return price_or_title_changed(
            self._previous(item["id"]), item.get("title"), item.get("price")
        )

    def process_item(self, item):
        if self.needs_capture(item):
            self.queued.add(item["id"])
            item["evidence_job"] = {"url": item["url"], "queued_at": utcnow()}
            self.crawler.stats.inc_value("wildcrawl/evidence/queued")
        return item

    def close_spider(self):
        if self._conn is not None:
            self._conn.close()
