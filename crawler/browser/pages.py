"""Downloader middleware: browser pages are reused from one request to the next.

scrapy-playwright opens a new page (a new tab) for every request and closes it after;
creating and closing a page is work for the browser, the driver and the crawler each
time. This middleware keeps a detail page's tab open when its request is done and hands
it to the next browser request of the same context (``playwright_page`` in the meta,
which scrapy-playwright navigates instead of opening a new one). Results pages may take a
kept tab but their own is closed after them: a "Load more" page can be large. A tab
whose request failed is closed. Kept tabs belong to their context, so context recycling
(``crawler.browser.contexts``, which runs before this middleware) closes them with it.

No more tabs are kept than were open at once, so the marketplace's concurrency still
bounds them. Requests that keep their page themselves (``playwright_include_page``) are
left alone. Counted as ``wildcrawl/browser/pages_reused``.

A kept tab's renderer keeps what the tab's earlier documents left in V8's heap: nothing
collects it while the renderer is not short of memory, and a renderer serving the same tabs
grows with every navigation (heavy pages: 611-626 MiB in renderers with reuse against 318-332
with a new tab per page, whose renderers exit with their tabs). So every
``WILDCRAWL_PAGE_GC_EVERY``-th use of a kept tab (default 4) starts a full garbage collection
in its renderer (DevTools ``HeapProfiler.collectGarbage``, through the tab's blocking session
when it has one), counted as ``wildcrawl/browser/garbage_collections``. The tab is back in the
pool meanwhile: the crawl does not wait for it, and a request that takes the tab navigates
once the collection is done. A tab where it fails (renderer crashed, context closed) is
dropped, unless a request took it (that request then fails and closes it). Collections under
way when the spider closes are awaited before the browser closes. Measured in
docs/performance-log.md ("Fifth pass"): renderers about half the size, for some 5 ms of renderer
CPU per page; the 10,000-page run did 15.1 pages/s at 979 MiB peak, against 11.8 pages/s at
1,020 MiB with a new tab per page.

Settings: ``WILDCRAWL_REUSE_PAGES`` (default True; False opens a new tab per request, as
scrapy-playwright does), ``WILDCRAWL_PAGE_GC_EVERY`` (default 4; 0 never collects).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.browser import block as browser_block
from crawler.options import BY_NAME, CrawlOptions

logger = logging.getLogger(__name__)

POOLED = "wildcrawl_pooled_page"  # set while this middleware lends the request a page
STAT_REUSED = "wildcrawl/browser/pages_reused"
STAT_GC = "wildcrawl/browser/garbage_collections"
DEFAULT_GC_EVERY = BY_NAME["WILDCRAWL_PAGE_GC_EVERY"].default
_USES = "_wildcrawl_uses"
_GC_SESSION = "_wildcrawl_gc_session"


async def collect_garbage(page) -> None:
    """A full garbage collection in ``page``'s renderer (DevTools ``HeapProfiler.collectGarbage``),
    through the page's blocking session when it has one."""
    session = getattr(page, browser_block.SESSION_ATTR, None) or getattr(page, _GC_SESSION, None)
    if session is None:
        session = await page.context.new_cdp_session(page)
        setattr(page, _GC_SESSION, session)
    await session.send("HeapProfiler.collectGarbage")


class PagePool:
    def __init__(self, crawler, gc_every: int = DEFAULT_GC_EVERY):
        self.stats = crawler.stats
        self.gc_every = gc_every
        self.idle: dict[str, list] = defaultdict(list)  # context name -> open idle pages
        self._collecting: set[asyncio.Task] = set()

    @classmethod
    def from_crawler(cls, crawler):
        options = CrawlOptions.of(crawler)
        if not options.reuse_pages:
            raise NotConfigured("browser tabs are not reused (WILDCRAWL_REUSE_PAGES=False)")
        pool = cls(crawler, options.page_gc_every)
        # Collections still under way when the spider closes finish before the browser does
        # (scrapy-playwright closes it on engine_stopped, after spider_closed).
        crawler.signals.connect(pool.collections, signal=signals.spider_closed)
        return pool

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
        if page is None or page.is_closed():
            return response
        if request.meta.get("kind") != "detail":
            await page.close()
            return response
        context = request.meta.get("playwright_context", "default")
        self.idle[context].append(page)
        uses = getattr(page, _USES, 0) + 1
        setattr(page, _USES, uses)
        if self.gc_every and uses % self.gc_every == 0:
            task = asyncio.ensure_future(self._collect(context, page))
            self._collecting.add(task)
            task.add_done_callback(self._collecting.discard)
        return response

    async def _collect(self, context: str, page) -> None:
        """Collect the garbage of a kept tab's renderer while the crawl goes on (a request
        that takes the tab meanwhile navigates once it is done). A tab where that fails (its
        renderer crashed, its context closed) is dropped if no request took it."""
        try:
            await collect_garbage(page)
        except Exception as exc:  # noqa: BLE001 - a dead tab is dropped, not an error
            logger.debug("garbage collection in a kept tab failed: %s", exc)
            idle = self.idle.get(context, [])
            if page in idle:
                idle.remove(page)
                with contextlib.suppress(Exception):
                    await page.close()
            return
        self.stats.inc_value(STAT_GC)

    async def collections(self, *_args, **_kwargs) -> None:
        """Wait for the garbage collections under way (also the ``spider_closed`` handler)."""
        while self._collecting:
            await asyncio.gather(*self._collecting, return_exceptions=True)

    async def process_exception(self, request, exception):
        page = self._take_back(request)
        if page is not None and not page.is_closed():
            await page.close()
