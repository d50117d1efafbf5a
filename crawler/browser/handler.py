"""The crawl's browser download handler: scrapy-playwright's, without a Python hop per sub-request.

scrapy-playwright routes every request a page makes (``page.route("**")``) through its
Python handler, to put Scrapy's headers on the navigation and to ask
``PLAYWRIGHT_ABORT_REQUEST`` about the rest, and it listens to every request and response
of every page to count them in the stats. So each script, stylesheet, font and XHR of a
page travels Chromium → Playwright's driver → Python and back, and while any route is
set Playwright turns the browser's HTTP cache off: every page downloads its scripts
again. On pages with the median web page's resources (24 scripts, 3 stylesheets, 2 fonts,
18 images: ``crawler.demo.weight``) the crawl did 4.0 pages/s with those hops and 6.3
without them (docs/performance-log.md, "Fourth pass").

``CrawlPlaywrightHandler`` keeps scrapy-playwright for everything else (contexts, page
methods, downloads, restarts) and changes four things for a plain GET navigation
(``WILDCRAWL_DIRECT_NAVIGATION``, on by default; requests with a body or another method
keep the route, so their method and body still reach the site):

- the page navigates without a route (scrapy-playwright's is never set on it: its steps for
  a page are repeated in ``_download_request_with_retry`` without the route; a tab that a
  routed request used before is unrouted first). Scrapy's ``User-Agent`` is the context's
  user agent (every request of the page sends it, as before), its ``Accept-Language`` an
  extra header of the context, its ``Referer`` goes to ``page.goto``; the browser's cookies,
  not Scrapy's, go with the page (they are the page's own);
- resources are blocked inside Chromium: images and fonts by launch switches
  (``crawler.browser.launch``), stylesheets and media by the DevTools Fetch domain for those
  resource types only (``crawler.browser.block``), so other requests never leave the
  browser and stay cacheable;
- a page whose JSON ``crawler.browser.api_capture.answers_first`` read without waiting for the page
  to render gives the spider the HTML the server sent (the navigation's body) instead of
  the serialised DOM, flagged ``served_html`` and counted as ``wildcrawl/browser/served_html``;
- pages are not subscribed to every request and response for the stats.
  ``playwright/request_count`` and ``playwright/response_count`` are not kept (the
  navigations are Scrapy's ``downloader/response_count``).

And for every page, direct or not: scrapy-playwright logs each request and response of a page
at debug level whenever its logger's effective level allows it, and Scrapy leaves loggers at
NOTSET (its log handler filters by ``LOG_LEVEL``), so it always subscribed, and each message
first asked the driver for a header (``Referer``, ``Location``): a round trip through the
driver per sub-request, for a line the handler then dropped. The handler sets the
``scrapy-playwright`` logger to ``LOG_LEVEL`` when that is above DEBUG: same output.

The browser is shared by the marketplaces of a crawl (``crawler.browser.provider``): a handler
closes its own contexts at the end and gives the browser back instead of closing it, and a
page being opened when the browser dies is given up and retried (``TargetClosedError``) instead
of waiting for an answer Playwright's driver never sends.

The methods overridden here are scrapy-playwright's own (it is pinned below 0.1 in
pyproject.toml); ``tests/test_browser_handler.py`` crawls both ways and fails if they change.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from ipaddress import ip_address
from time import time

from playwright._impl._errors import TargetClosedError
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from playwright.async_api import Response as PlaywrightResponse
from scrapy.http.headers import Headers
from scrapy.responsetypes import responsetypes
from scrapy_playwright._utils import (
    _attach_page_event_handlers,
    _encode_body,
    _get_page_content,
    _maybe_execute_page_init_callback,
    _set_redirect_meta,
)
from scrapy_playwright.handler import DEFAULT_CONTEXT_NAME, ScrapyPlaywrightDownloadHandler
from scrapy_playwright.page import PageMethod

from crawler.browser import api_capture
from crawler.browser import block as browser_block
from crawler.options import CrawlOptions

logger = logging.getLogger(__name__)

STAT_DIRECT = "wildcrawl/browser/direct_navigations"
STAT_SERVED = "wildcrawl/browser/served_html"  # pages read from their JSON, DOM not awaited
ROUTED = "_wildcrawl_routed"  # set on a page while scrapy-playwright's route is on it
DIRECT_META = "wildcrawl_direct"  # a request navigating without scrapy-playwright's route


def quiet_page_logs(settings) -> None:
    """No per-request debug logging in the pages unless ``LOG_LEVEL`` shows it (see above).
    A level someone else set on the logger stays; the one set here follows each crawl's
    ``LOG_LEVEL`` (several crawls may run in one process)."""
    pw_logger = logging.getLogger("scrapy-playwright")
    ours = getattr(pw_logger, "_wildcrawl_level", logging.NOTSET)
    if pw_logger.level not in (logging.NOTSET, ours):
        return
    level = logging.getLevelName(str(settings.get("LOG_LEVEL", "DEBUG")).upper())
    level = level if isinstance(level, int) and level > logging.DEBUG else logging.NOTSET
    pw_logger.setLevel(level)
    pw_logger._wildcrawl_level = level


def is_direct(request) -> bool:
    """Whether ``request`` can navigate without scrapy-playwright's route."""
    return request.method == "GET" and not request.body


class CrawlPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    def __init__(self, crawler):
        settings = crawler.settings
        quiet_page_logs(settings)
        super().__init__(crawler)
        self.direct = CrawlOptions.of(crawler).direct_navigation
        self.user_agent = settings.get("USER_AGENT")
        headers = settings.getdict("DEFAULT_REQUEST_HEADERS")
        self.accept_language = next(
            (v for k, v in headers.items() if k.lower() == "accept-language"), None
        )

    async def _close(self) -> None:
        """scrapy-playwright's close, except that a browser shared by the handlers of the process
        (``crawler.browser.provider``) is given back, not closed: other marketplaces' pages
        may still be open in it. This handler's contexts are closed first."""
        provider = getattr(self, "browser_provider", None)
        if not getattr(provider, "shares_browser", False):
            return await super()._close()
        with suppress(Exception):  # a browser that died closed them already
            await asyncio.gather(*[ctx.context.close() for ctx in self.context_wrappers.values()])
        self.context_wrappers.clear()
        browser = self.__dict__.pop("browser", None)
        if browser is not None:
            with suppress(KeyError, ValueError):  # the listener of the browser it holds
                browser.remove_listener("disconnected", self._browser_disconnected_callback)
        await provider.close()

    async def _create_browser_context(self, name, context_kwargs=None, spider=None):
        if self.direct:
            context_kwargs = dict(context_kwargs or {})
            if self.user_agent:
                context_kwargs.setdefault("user_agent", self.user_agent)
            if self.accept_language:
                extra = dict(context_kwargs.get("extra_http_headers") or {})
                extra.setdefault("Accept-Language", self.accept_language)
                context_kwargs["extra_http_headers"] = extra
        return await super()._create_browser_context(name, context_kwargs, spider)

    async def _create_page(self, request, spider):
        page = await self._page_unless_browser_dies(request, spider)
        if self.direct:
            page.remove_listener("request", self._increment_request_stats)
            page.remove_listener("response", self._increment_response_stats)
        return page

    async def _page_unless_browser_dies(self, request, spider):
        """scrapy-playwright's ``_create_page``, given up with ``TargetClosedError`` (which
        scrapy-playwright retries, relaunching the browser) when the browser dies meanwhile.

        A ``new_page`` sent to a context whose browser was just killed was never answered by
        Playwright's driver: the request hung, and its crawl with it. The browser is shared by
        every marketplace of the crawl (``crawler.browser.provider``), so one that dies has
        pages being opened for several of them at that moment."""
        browser = getattr(self, "browser", None)
        for _ in range(100):  # ~5 s: let the disconnected handler drop a dead browser first
            if browser is None or browser.is_connected():
                break
            await asyncio.sleep(0.05)
            browser = getattr(self, "browser", None)
        creating = asyncio.ensure_future(super()._create_page(request, spider))
        if browser is None:
            return await creating
        gone = asyncio.get_running_loop().create_future()

        def on_gone(*_args) -> None:
            if not gone.done():
                gone.set_result(None)

        browser.on("disconnected", on_gone)
        if not browser.is_connected():
            on_gone()
        try:
            await asyncio.wait([creating, gone], return_when=asyncio.FIRST_COMPLETED)
        finally:
            with suppress(KeyError, ValueError):
                browser.remove_listener("disconnected", on_gone)
        if not creating.done():
            creating.cancel()
            raise TargetClosedError("the browser disconnected while a page was being opened")
        return creating.result()

    async def _download_request_with_retry(self, request, spider):
        if not (self.direct and is_direct(request)):
            return await super()._download_request_with_retry(request, spider)
        # scrapy-playwright's own steps for a page, without its route: it would unroute and
        # route "**" before every navigation, and each route change has Playwright switch the
        # page's request interception and HTTP cache in the browser (with tabs reused, 18 %
        # of the pages/s on heavy pages; docs/performance-log.md, "Fifth pass").
        page = request.meta.get("playwright_page")
        if not isinstance(page, Page) or page.is_closed():
            page = await self._create_page(request=request, spider=spider)
        context_name = request.meta.setdefault("playwright_context", DEFAULT_CONTEXT_NAME)
        _attach_page_event_handlers(
            page=page, request=request, spider=spider, context_name=context_name
        )
        if getattr(page, ROUTED, False):  # a tab that served a routed request before
            await page.unroute("**")
            setattr(page, ROUTED, False)
        await _maybe_execute_page_init_callback(
            page=page, request=request, context_name=context_name, spider=spider
        )
        await browser_block.block_resources(page)
        referer = request.headers.get("Referer")
        if referer:
            goto = dict(request.meta.get("playwright_page_goto_kwargs") or {})
            goto.setdefault("referer", referer.decode("latin-1"))
            request.meta["playwright_page_goto_kwargs"] = goto
        self.stats.inc_value(STAT_DIRECT)
        request.meta[DIRECT_META] = True
        try:
            return await self._download_request_with_page(request, page, spider)
        except Exception as exc:
            if not request.meta.get("playwright_include_page") and not page.is_closed():
                logger.warning(
                    "closing the page of a failed request %s: %s: %s",
                    request,
                    type(exc).__name__,
                    exc,
                )
                await page.close()
                self.stats.inc_value("playwright/page_count/closed")
            raise

    async def _get_response_and_download(self, request, page, spider):
        """scrapy-playwright's, without a Python hop per response of a direct navigation.

        scrapy-playwright listens to every response of the page while ``goto`` runs, to have
        the status and headers of a response that turns out to be a download: it switched
        the page's response events on and off around each navigation (two messages to the
        driver) and asked the driver for each response's raw headers (a round trip per
        response: the page, its scripts, its JSON). A direct navigation only navigates; the
        rare one that turns out to be a download (``goto`` fails with "Download is
        starting", or ``net::ERR_ABORTED``) is navigated again scrapy-playwright's way, which
        then takes the download."""
        if not request.meta.get(DIRECT_META):
            return await super()._get_response_and_download(request, page, spider)
        goto = dict(request.meta.get("playwright_page_goto_kwargs") or {})
        goto.pop("url", None)
        try:
            response = await page.goto(url=request.url, **goto)
        except PlaywrightError as err:
            message = getattr(err, "message", str(err))
            if "Download is starting" in message or "net::ERR_ABORTED" in message:
                return await super()._get_response_and_download(request, page, spider)
            raise
        return response, None

    async def _apply_page_methods(self, page, request, spider):
        """scrapy-playwright's, except on a direct page whose one method is
        ``api_capture.answers_first``: when that read the page's JSON without waiting for the
        page (``served_html``), the page's ``load`` event is not awaited after it either.
        scrapy-playwright waits for ``load`` after every page method; the spider reads the
        HTML the server sent then, not the DOM, so the wait only kept the tab (and the
        crawl's slot) on a page whose scripts, fonts and frames were still loading. When
        ``answers_first`` fell back to the DOM, ``load`` is awaited as before."""
        methods = request.meta.get("playwright_page_methods") or ()
        first = methods[0] if isinstance(methods, list | tuple) and len(methods) == 1 else None
        if not (
            request.meta.get(DIRECT_META)
            and isinstance(first, PageMethod)
            and first.method is api_capture.answers_first
        ):
            return await super()._apply_page_methods(page, request, spider)
        first.result = await first.method(page, *first.args, **first.kwargs)
        if not api_capture.served_html(page):
            await page.wait_for_load_state(timeout=self.config.navigation_timeout_ms)

    async def _download_request_with_page(self, request, page, spider):
        if not (self.direct and is_direct(request)):
            setattr(page, ROUTED, True)  # scrapy-playwright routed this one
            return await super()._download_request_with_page(request, page, spider)
        if not request.meta.get(api_capture.CAPTURE_META):
            return await super()._download_request_with_page(request, page, spider)
        return await self._page_or_served_html(request, page, spider)

    async def _page_or_served_html(self, request, page, spider):
        """scrapy-playwright's ``_download_request_with_page``, but a page whose JSON
        ``api_capture.answers_first`` read without waiting for its DOM gives the HTML the
        server sent (the navigation's body, as the site encoded it) instead of the serialised
        DOM, flagged ``served_html``."""
        if request.meta.get("playwright_include_page"):
            request.meta["playwright_page"] = page
        start_time = time()
        response, download = await self._get_response_and_download(request, page, spider)
        headers = Headers()
        if isinstance(response, PlaywrightResponse):
            await _set_redirect_meta(request=request, response=response)
            headers = Headers(await response.all_headers())
            headers.pop("Content-Encoding", None)
        elif not download:
            logger.warning("navigating to %s returned None: empty headers, status 200", request)
        setattr(page, api_capture.SERVED_HTML, False)  # a reused tab's flag is its last page's
        await self._apply_page_methods(page, request, spider)
        served = None
        if api_capture.served_html(page) and isinstance(response, PlaywrightResponse):
            with suppress(PlaywrightError):
                served = await response.body()
        if served is None:
            body_str = await _get_page_content(
                page=page,
                spider=spider,
                context_name=request.meta.get("playwright_context"),
                scrapy_request_url=request.url,
                scrapy_request_method=request.method,
            )
        request.meta["download_latency"] = time() - start_time
        server_ip_address = None
        if response is not None:
            with suppress(PlaywrightError, KeyError, TypeError, ValueError):
                # A page over plain HTTP has none: a round trip to the driver for None.
                if response.url.startswith("https:"):
                    details = await response.security_details()
                else:
                    details = None
                request.meta["playwright_security_details"] = details
                server_addr = await response.server_addr()
                server_ip_address = ip_address(server_addr["ipAddress"])
        if download and download.exception:
            raise download.exception
        if not request.meta.get("playwright_include_page"):
            await page.close()
            self.stats.inc_value("playwright/page_count/closed")
        if download:
            request.meta["playwright_suggested_filename"] = download.suggested_filename
            respcls = responsetypes.from_args(url=download.url, body=download.body)
            download_headers = Headers(download.headers)
            download_headers.pop("Content-Encoding", None)
            return respcls(
                url=download.url,
                status=download.response_status,
                headers=download_headers,
                body=download.body,
                request=request,
                flags=["playwright"],
            )
        status = response.status if response is not None else 200
        if served is not None:
            self.stats.inc_value(STAT_SERVED)
            respcls = responsetypes.from_args(headers=headers, url=page.url, body=served)
            return respcls(
                url=page.url,
                status=status,
                headers=headers,
                body=served,
                request=request,
                flags=["playwright", api_capture.SERVED_FLAG],
                ip_address=server_ip_address,
            )
        body, encoding = _encode_body(headers=headers, text=body_str)
        respcls = responsetypes.from_args(headers=headers, url=page.url, body=body)
        return respcls(
            url=page.url,
            status=status,
            headers=headers,
            body=body,
            request=request,
            flags=["playwright"],
            encoding=encoding,
            ip_address=server_ip_address,
        )
