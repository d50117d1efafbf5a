"""Downloader middleware: browser pages are reused from one request to the next.

scrapy-playwright opens a new page (a new tab) for every request and closes it after;
creating and closing a page is work for the browser, the driver and the crawler each
time. This middleware keeps a detail page's tab open when its request is done and hands
it to the next browser request of the same context (``playwright_page`` in the meta,
which scrapy-playwright navigates instead of opening a new one). Results pages may take a
kept tab but their own is closed after them: a "Load more" page can be large. A tab
whose request failed is closed. Kept tabs belong to their context, so context recycling
(``crawler.browser_contexts``, which runs before this middleware) closes them with it.

No more tabs are kept than were open at once, so the marketplace's concurrency still
bounds them. Requests that keep their page themselves (``playwright_include_page``) are
left alone. Counted as ``wildcrawl/browser/pages_reused``.

Off by default: on the demo JS market it made a browser crawl 16 % faster (97 pages, evidence
off, two alternations: 8.67 / 8.54 s → 7.49 / 7.28 s), and 19 % on pages with the median web
page's resources (6.3 → 7.5 pages/s, full bench), but peak RSS rose by about a third (799 →
974 MiB; 897 → 1,182 MiB on the heavy pages), and the 10,000-page run is at the 1 GiB limit
with or without it (1,023 / 1,020 MiB; docs/performance.md).

Settings: ``WILDCRAWL_REUSE_PAGES`` (default False; True reuses tabs).
"""

from __future__ import annotations

from collections import defaultdict

from scrapy.exceptions import NotConfigured

POOLED = "wildcrawl_pooled_page"  # set while this middleware lends the request a page
STAT_REUSED = "wildcrawl/browser/pages_reused"


class PagePool:
    def __init__(self, crawler):
        self.stats = crawler.stats
        self.idle: dict[str, list] = defaultdict(list)  # context name -> open idle pages

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WILDCRAWL_REUSE_PAGES", False):
            raise NotConfigured("WILDCRAWL_REUSE_PAGES is off (the default)")
        return cls(crawler)

    def process_request(self, request):
        meta = request.meta
        if not meta.get("playwright") or meta.get("playwright_include_page"):
            return
        meta.pop("playwright_page", None)  # a retried request carries no page of ours
        idle = self.idle.get(meta.get("playwright_context", "default"))
        while idle:
            page = idle.pop()
            if not page.is_closed():
                meta["playwright_page"] = page
                self.stats.inc_value(STAT_REUSED)
                break
        # scrapy-playwright leaves the page open and in the meta; taken back below.
        meta["playwright_include_page"] = True
        meta[POOLED] = True
        return

    @staticmethod
    def _take_back(request):
        meta = request.meta
        if not meta.pop(POOLED, False):
            return None
        meta.pop("playwright_include_page", None)
        return meta.pop("playwright_page", None)

    async def process_response(self, request, response):
        page = self._take_back(request)
        if page is not None and not page.is_closed():
            if request.meta.get("kind") == "detail":
                self.idle[request.meta.get("playwright_context", "default")].append(page)
            else:
                await page.close()
        return response

    async def process_exception(self, request, exception):
        page = self._take_back(request)
        if page is not None and not page.is_closed():
            await page.close()
