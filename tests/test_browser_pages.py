"""Browser tabs reused from request to request (crawler.browser.pages): the settings, and the
garbage collection that keeps a kept tab's renderer from growing, in a real Chromium."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import async_playwright
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.browser.block import SESSION_ATTR
from crawler.browser.launch import crawl_launch_options, find_chromium
from crawler.browser.pages import STAT_GC, PagePool
from crawler.errors import ConfigError

# Garbage the page leaves in V8's old generation: 40,000 objects kept alive long enough to be
# promoted, then dropped. Nothing collects them until a full collection.
MAKE_GARBAGE = """() => {
  window.junk = Array.from({length: 40000}, (_, i) => ({i, text: 'x'.repeat(200) + i}));
  window.junk = null;
}"""


def _pool(**settings) -> PagePool:
    return PagePool.from_crawler(get_crawler(settings_dict=settings))


def test_tabs_are_reused_by_default_and_the_settings_are_checked():
    assert _pool().gc_every == 4
    assert _pool(WILDCRAWL_PAGE_GC_EVERY=0).gc_every == 0
    with pytest.raises(NotConfigured):
        _pool(WILDCRAWL_REUSE_PAGES=False)
    with pytest.raises(ConfigError, match=r"^setting WILDCRAWL_PAGE_GC_EVERY: expected a whole"):
        _pool(WILDCRAWL_PAGE_GC_EVERY="often")
    with pytest.raises(ConfigError, match="got -1"):
        _pool(WILDCRAWL_PAGE_GC_EVERY=-1)


async def _heap_used(session) -> int:
    return (await session.send("Runtime.getHeapUsage"))["usedSize"]


async def _kept_tab_garbage(gc_every: int) -> tuple[list[int], int, bool]:
    """One tab lent by the middleware to 4 detail requests in turn, each leaving garbage: the
    heap in use after each, the collections counted, and whether the tab was kept."""
    pool = _pool(WILDCRAWL_PAGE_GC_EVERY=gc_every)
    used = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(**crawl_launch_options())
        page = await browser.new_page()
        probe = await page.context.new_cdp_session(page)
        for i in range(4):
            request = Request(
                f"http://127.0.0.1/item/{i}", meta={"playwright": True, "kind": "detail"}
            )
            pool.process_request(request)
            assert request.meta.get("playwright_page", page) is page  # the kept tab, lent
            request.meta["playwright_page"] = page  # what scrapy-playwright leaves in the meta
            await page.goto("data:text/html,<p>a listing</p>")
            await page.evaluate(MAKE_GARBAGE)
            response = HtmlResponse(request.url, body=b"", request=request)
            await pool.process_response(request, response)
            await pool.collections()
            used.append(await _heap_used(probe))
        kept = pool.idle["default"] == [page]
        await browser.close()
    return used, pool.stats.get_value(STAT_GC, 0), kept


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium installed (make setup)")
def test_every_nth_use_of_a_kept_tab_collects_its_renderers_garbage():
    used, collections, kept = asyncio.run(_kept_tab_garbage(4))
    assert collections == 1 and kept
    # Uses 1-3 leave their garbage (at least 8 MB each) in the renderer; the 4th collects it.
    assert used[2] > used[0] + 16_000_000
    assert used[3] < used[2] - 16_000_000
    without, none, kept = asyncio.run(_kept_tab_garbage(0))
    assert none == 0 and kept
    assert without[3] > used[3] + 16_000_000  # without it the garbage stays


async def _tab_whose_collection_fails() -> tuple[list, bool, int]:
    pool = _pool(WILDCRAWL_PAGE_GC_EVERY=1)
    async with async_playwright() as p:
        browser = await p.chromium.launch(**crawl_launch_options())
        page = await browser.new_page()
        # The tab's DevTools session is gone (as when its renderer crashed).
        session = await page.context.new_cdp_session(page)
        await session.detach()
        setattr(page, SESSION_ATTR, session)
        request = Request("http://127.0.0.1/item/1", meta={"playwright": True, "kind": "detail"})
        pool.process_request(request)
        request.meta["playwright_page"] = page
        await pool.process_response(request, HtmlResponse(request.url, body=b"", request=request))
        await pool.collections()
        closed = page.is_closed()
        await browser.close()
    return pool.idle["default"], closed, pool.stats.get_value(STAT_GC, 0)


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium installed (make setup)")
def test_a_tab_whose_collection_fails_is_dropped():
    idle, closed, collections = asyncio.run(_tab_whose_collection_fails())
    assert idle == [] and closed and collections == 0


async def _collection_under_way_at_close() -> tuple[bool, int, int]:
    """A collection started by the last response is still running when the spider closes."""
    crawler = get_crawler(settings_dict={"WILDCRAWL_PAGE_GC_EVERY": 1})
    pool = PagePool.from_crawler(crawler)
    async with async_playwright() as p:
        browser = await p.chromium.launch(**crawl_launch_options())
        page = await browser.new_page()
        request = Request("http://127.0.0.1/item/1", meta={"playwright": True, "kind": "detail"})
        pool.process_request(request)
        request.meta["playwright_page"] = page
        await pool.process_response(request, HtmlResponse(request.url, body=b"", request=request))
        under_way = len(pool._collecting)
        await crawler.signals.send_catch_log_async(
            signal=signals.spider_closed, spider=None, reason="finished"
        )
        done = not pool._collecting
        await browser.close()
    return done, under_way, pool.stats.get_value(STAT_GC, 0)


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium installed (make setup)")
def test_collections_under_way_finish_when_the_spider_closes():
    # spider_closed comes before scrapy-playwright closes the browser (engine_stopped): the
    # collection ends in the renderer and is counted, instead of failing as the browser goes.
    done, under_way, collections = asyncio.run(_collection_under_way_at_close())
    assert under_way == 1 and done and collections == 1
