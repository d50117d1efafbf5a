"""Downloader middleware: recycle browser contexts every N pages so memory stays flat.

A browser context keeps what its pages leave behind (HTTP cache, cookies, storage,
the renderers bound to it) for as long as it lives, and scrapy-playwright keeps a
named context for the whole crawl. This middleware gives every Playwright request a
context name with a generation number, ``<name>#<generation>`` (``<name>`` is the
request's ``playwright_context``, ``default`` when unset), and starts a new generation
of that name after ``WILDCRAWL_CONTEXT_PAGES`` pages. A retired generation is closed
through the scrapy-playwright download handler once its last page is done (also one
that came back after a timeout), and counted as ``wildcrawl/browser/contexts_recycled``.

Request meta stays picklable (``wildcrawl_context`` keeps the name, a boolean marks a
request between download start and end); a retried or re-queued request joins the current generation. The new
generation is created from the request's ``playwright_context_kwargs``, or from the
name's entry in ``PLAYWRIGHT_CONTEXTS``, so it has the same options as the old one.
Requests that keep their page open (``playwright_include_page``) and persistent
contexts (``user_data_dir``) are left alone.

Settings: ``WILDCRAWL_CONTEXT_PAGES`` (pages per context generation, default 50;
0 turns recycling off).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, defaultdict

from scrapy.exceptions import NotConfigured

from crawler.options import BY_NAME, CrawlOptions

logger = logging.getLogger(__name__)

DEFAULT_CONTEXT_PAGES = BY_NAME["WILDCRAWL_CONTEXT_PAGES"].default
SEPARATOR = "#"
STAT_RECYCLED = "wildcrawl/browser/contexts_recycled"
STAT_GENERATIONS = "wildcrawl/browser/context_generations"


class ContextGenerations:
    """Bookkeeping without Scrapy or a browser: which generation a page goes to, which to close.

    ``assign(name)`` returns the context name for the next page of ``name``; ``done(context)``
    is called when that page is finished and returns the retired contexts now idle (to close).
    """

    def __init__(self, pages_per_context: int):
        if pages_per_context < 1:
            raise ValueError(f"pages per context must be >= 1, got {pages_per_context}")
        self.pages_per_context = pages_per_context
        self.generation: dict[str, int] = defaultdict(int)
        self.assigned: Counter[str] = Counter()  # pages given to the current generation
        self.in_flight: Counter[str] = Counter()  # per generation context name
        self.retired: set[str] = set()  # generation names waiting for their pages to end

    @staticmethod
    def context_name(name: str, generation: int) -> str:
        return f"{name}{SEPARATOR}{generation}"

    def current(self, name: str) -> str:
        return self.context_name(name, self.generation[name])

    def assign(self, name: str) -> str:
        context = self.current(name)
        self.in_flight[context] += 1
        self.assigned[name] += 1
        if self.assigned[name] >= self.pages_per_context:
            self.generation[name] += 1
            self.assigned[name] = 0
            self.retired.add(context)
        return context

    def done(self, context: str) -> list[str]:
        if self.in_flight[context] > 0:
            self.in_flight[context] -= 1
        if self.in_flight[context] == 0:
            del self.in_flight[context]
        return self.idle_retired()

    def idle_retired(self) -> list[str]:
        idle = sorted(c for c in self.retired if not self.in_flight[c])
        self.retired.difference_update(idle)
        return idle

    def is_retired_name(self, context: str) -> bool:
        """True for an old generation of a name this object manages (it may be re-created by a
        page that came back after its context was closed)."""
        name, sep, generation = context.rpartition(SEPARATOR)
        return (
            bool(sep)
            and generation.isdigit()
            and name in self.generation
            and int(generation) < self.generation[name]
            and not self.in_flight[context]
        )


class BrowserContextRecycler:
    """Rename Playwright requests' contexts by generation; close retired ones when idle."""

    def __init__(self, crawler, pages_per_context: int, startup_contexts: dict):
        self.crawler = crawler
        self.stats = crawler.stats
        self.generations = ContextGenerations(pages_per_context)
        self.startup_contexts = startup_contexts
        self._closing: set[asyncio.Task] = set()

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        pages = CrawlOptions.of(crawler).context_pages
        if pages == 0:
            raise NotConfigured("browser context recycling is off (WILDCRAWL_CONTEXT_PAGES=0)")
        return cls(crawler, pages, settings.getdict("PLAYWRIGHT_CONTEXTS"))

    # --- requests ---------------------------------------------------------------------

    def process_request(self, request):
        meta = request.meta
        if not meta.get("playwright") or meta.get("playwright_include_page"):
            return
        kwargs = meta.get("playwright_context_kwargs")
        name = meta.get("wildcrawl_context") or meta.get("playwright_context") or "default"
        if not kwargs and name in self.startup_contexts:
            kwargs = dict(self.startup_contexts[name])
            meta["playwright_context_kwargs"] = kwargs
        if kwargs and kwargs.get("user_data_dir"):
            return  # a persistent context is a profile on disk: not ours to recycle
        meta["wildcrawl_context"] = name
        meta["playwright_context"] = self.generations.assign(name)
        meta["wildcrawl_context_open"] = True  # this pass holds a page of that generation
        self.stats.max_value(STAT_GENERATIONS, self.generations.generation[name] + 1)

    def process_response(self, request, response):
        self._finished(request)
        return response

    def process_exception(self, request, exception):
        self._finished(request)

    # --- closing ----------------------------------------------------------------------

    def _finished(self, request) -> None:
        if not request.meta.pop("wildcrawl_context_open", False):
            return
        context = request.meta.get("playwright_context")
        idle = self.generations.done(context)
        for handler in self._handlers():
            wrappers = handler.context_wrappers
            # Retired contexts now idle, and old generations a late page re-created.
            names = set(idle) | {n for n in wrappers if self.generations.is_retired_name(n)}
            for name in names:
                wrapper = wrappers.get(name)
                if wrapper is not None and not getattr(wrapper, "wildcrawl_closing", False):
                    wrapper.wildcrawl_closing = True
                    self._close(name, wrapper.context)

    def _handlers(self) -> list:
        try:
            engine = self.crawler.engine
        except RuntimeError:  # no crawl running (Scrapy sets the engine when it starts)
            return []
        handlers = getattr(getattr(engine, "downloader", None), "handlers", None)
        found = getattr(handlers, "_handlers", {}).values()
        return [h for h in found if isinstance(getattr(h, "context_wrappers", None), dict)]

    def _close(self, name: str, context) -> None:
        task = asyncio.ensure_future(self._close_context(name, context))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def _close_context(self, name: str, context) -> None:
        try:
            await context.close()
        except Exception as exc:  # noqa: BLE001 - a browser that died closed it already
            logger.debug("closing browser context %s: %s", name, exc)
            return
        self.stats.inc_value(STAT_RECYCLED)
        logger.debug("browser context %s recycled", name)
