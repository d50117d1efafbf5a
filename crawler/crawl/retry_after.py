"""Downloader middleware: honour ``Retry-After`` on 429 and 503 answers.

Scrapy's RetryMiddleware retries a 429 at once; a site that says "come back in
30 seconds" deserves better. This middleware sits just before it (order 560 >
550, so it sees responses first): on a 429/503 carrying ``Retry-After`` it
pauses the site's download slot for that long (no request to that site starts
before), then hands back a retry of the request.

Settings: ``RETRY_AFTER_MAX`` (seconds; longer waits are capped, default 120),
``RETRY_TIMES`` / ``RETRY_ENABLED`` (as RetryMiddleware). Stats:
``wildcrawl/retry_after/count`` and ``wildcrawl/retry_after/waited`` (seconds).
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import call_later

logger = logging.getLogger(__name__)

RETRY_AFTER_STATUSES = (429, 503)


def parse_retry_after(value: str | bytes | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta seconds or an HTTP date), or None."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware:
    """Pause the slot of a site that answered 429/503 with ``Retry-After``, then retry."""

    def __init__(self, crawler, max_wait: float):
        self.crawler = crawler
        self.max_wait = max_wait
        self._paused_until: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("RETRY_ENABLED is off")
        return cls(crawler, crawler.settings.getfloat("RETRY_AFTER_MAX", 120.0))

    def process_response(self, request, response):
        if response.status not in RETRY_AFTER_STATUSES or request.meta.get("dont_retry"):
            return response
        wait = parse_retry_after(response.headers.get(b"Retry-After"))
        if wait is None:
            return response  # RetryMiddleware handles it the usual way
        wait = min(wait, self.max_wait)
        self._pause(request, wait)
        stats = self.crawler.stats
        stats.inc_value("wildcrawl/retry_after/count")
        stats.inc_value("wildcrawl/retry_after/waited", wait)
        logger.warning(
            "%s answered %s with Retry-After: waiting %.1f s before the next request to it",
            request.url,
            response.status,
            wait,
        )
        retry = get_retry_request(
            request, spider=self.crawler.spider, reason=f"retry_after_{response.status}"
        )
        return retry or response

    def _pause(self, request, wait: float) -> None:
        downloader = self.crawler.engine.downloader
        key = request.meta.get("download_slot") or downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None or wait <= 0:
            return
        until = time.monotonic() + wait
        if until <= self._paused_until.get(key, 0):
            return
        self._paused_until[key] = until
        # A pending latercall blocks the slot's queue until it fires (Downloader._process_queue).
        if slot.latercall:
            slot.latercall.cancel()
        slot.latercall = call_later(wait, downloader._latercall, slot)
