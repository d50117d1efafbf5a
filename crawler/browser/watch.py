"""Extension: count and log a browser that dies mid-crawl.

scrapy-playwright relaunches a disconnected browser on the next request
(``PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER``) and re-creates pages whose target
closed, so a killed or crashed Chromium costs no listing; but it says so only at
debug level. This extension listens to each browser's ``disconnected`` event and
counts it as ``wildcrawl/errors/browser_disconnected`` (an error kind of the
``crawls`` row) with a warning. The browser closing at the end of a crawl is not
counted. Reads no settings.
"""

from __future__ import annotations

import logging

from scrapy import signals

logger = logging.getLogger(__name__)


class BrowserWatch:
    """Attach a ``disconnected`` listener to every browser scrapy-playwright launches."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.closing = False
        self._watched: set[int] = set()
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def response_received(self, response, request, spider=None):
        if not request.meta.get("playwright"):
            return
        handlers = getattr(self.crawler.engine.downloader.handlers, "_handlers", {})
        for handler in handlers.values():
            browser = getattr(handler, "browser", None)
            if browser is None or id(browser) in self._watched:
                continue
            self._watched.add(id(browser))
            browser.on("disconnected", self._disconnected)

    def _disconnected(self, browser=None) -> None:
        if self.closing:
            return
        self.crawler.stats.inc_value("wildcrawl/errors/browser_disconnected")
        logger.warning("browser disconnected (crashed or killed): relaunched on the next request")

    def spider_closed(self, spider, reason):
        self.closing = True
