"""Step 850: browser evidence (full-page PNG + rendered HTML) of flagged listings.

Only a flagged listing seen for the first time, or whose title or price changed since
the store last saw it, is captured: one extra browser request of its page through the
engine, awaited for that item only, so unflagged listings pass straight on. The files
are written by ``crawler.evidence``; their rows travel on the item (``evidence``) to the
store, the one writer of the database. Request meta stays picklable (PageMethods only).

Settings: ``WILDCRAWL_EVIDENCE`` (on by default; False turns capture off),
``WILDCRAWL_EVIDENCE_DIR`` (default ``evidence/`` beside ``WILDCRAWL_DB``),
``WILDCRAWL_EVIDENCE_TIMEOUT_MS`` (page settle time limit, 10000).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import scrapy
from scrapy.exceptions import NotConfigured
from scrapy_playwright.page import PageMethod

from crawler.browser_requests import EVIDENCE_UA_MARK
from crawler.evidence import EvidenceError, evidence_root, save_capture
from crawler.history import GONE, price_or_title_changed
from crawler.store import utcnow

logger = logging.getLogger(__name__)


class EvidencePipeline:
    def __init__(self, crawler, db_path: str, root: Path, timeout_ms: int):
        self.crawler = crawler
        self.db_path = db_path
        self.root = root
        self.base = Path(db_path).resolve().parent
        self.timeout_ms = timeout_ms
        self.captured: set[str] = set()
        self._conn: sqlite3.Connection | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("WILDCRAWL_EVIDENCE", True):
            raise NotConfigured("evidence capture is off (WILDCRAWL_EVIDENCE=False)")
        db_path = settings.get("WILDCRAWL_DB", "output/wildcrawl.db")
        root = evidence_root(db_path, settings.get("WILDCRAWL_EVIDENCE_DIR"))
        return cls(crawler, db_path, root, settings.getint("WILDCRAWL_EVIDENCE_TIMEOUT_MS", 10_000))

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
        if not item.get("flagged") or item.get("page_state") in GONE or item["id"] in self.captured:
            return False
        return price_or_title_changed(
            self._previous(item["id"]), item.get("title"), item.get("price")
        )

    def request(self, item: dict) -> scrapy.Request:
        user_agent = f"{self.crawler.settings.get('USER_AGENT')} {EVIDENCE_UA_MARK}"
        return scrapy.Request(
            item["url"],
            dont_filter=True,
            # The mark tells the browser's request filter to let images through: a court or a
            # platform needs the listing's photos in the screenshot.
            headers={"User-Agent": user_agent},
            meta={
                "playwright": True,
                "playwright_context": f"wildcrawl-evidence-{item['marketplace']}",
                "playwright_context_kwargs": {"user_agent": user_agent},
                "playwright_page_methods": [
                    # "load": the document and its images; never "networkidle", which a
                    # page with polling or analytics may never reach.
                    PageMethod("wait_for_load_state", "load", timeout=self.timeout_ms),
                    PageMethod("screenshot", full_page=True, type="png"),
                ],
                "kind": "evidence",
            },
        )

    async def process_item(self, item):
        if not self.needs_capture(item):
            return item
        self.captured.add(item["id"])
        stats = self.crawler.stats
        request = self.request(item)
        try:
            response = await self.crawler.engine.download_async(request)
            screenshot = response.meta["playwright_page_methods"][-1].result
            if response.status >= 400 or not screenshot:
                raise EvidenceError(f"page answered {response.status}")
            item["evidence"] = save_capture(
                self.root,
                self.base,
                item["marketplace"],
                item["item_id"],
                response.url,
                utcnow(),
                {"screenshot": screenshot, "html": response.body},
            )
            stats.inc_value("wildcrawl/evidence/captured")
        except Exception as exc:  # noqa: BLE001 - a failed capture must not lose the listing
            stats.inc_value("wildcrawl/errors/evidence_failed")
            logger.warning("evidence capture failed for %s: %s", item["url"], exc)
        return item

    def close_spider(self):
        if self._conn is not None:
            self._conn.close()
