"""One Playwright driver and one Chromium per process, started when a browser is first needed.

``SharedPlaywrightProvider`` (``PLAYWRIGHT_BROWSER_PROVIDER``) starts Playwright's
driver only when a browser is first needed and shares one driver among the
download handlers of a process: scrapy-playwright builds one handler per URL
scheme (http, https) and each started its own Node driver (~130 MiB RSS), and an
HTTP-only crawl started one it never used. Kept apart from ``crawler.browser.launch``
so that reading the launch options imports no Playwright (~0.3 s of a crawl's start).

It shares the browser too: every handler of the process with the same launch options gets
the same Chromium (``launch_browser``), each marketplace in browser contexts of its own
(a crawl of several marketplaces builds one crawler, so one pair of handlers, per
marketplace; cookies, storage, user agent and proxy are per context). Twenty marketplaces
with four browser sites launched four Chromiums, ~2.8 GiB for the crawl's tree
(docs/performance.md, "Many marketplaces"). A handler gives its share back with ``close``
(``crawler.browser.handler`` closes its own contexts, not the browser); the last one closes
the browser. A browser that crashed or was killed is relaunched once, by the first handler
that needs it again (scrapy-playwright's ``PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER``: each
handler drops its dead browser on ``disconnected`` and asks the provider for one on its
next page). A remote browser (``PLAYWRIGHT_CDP_URL``, ``PLAYWRIGHT_CONNECT_URL``) is not
shared: each handler connects, as scrapy-playwright does.
"""

from __future__ import annotations

import asyncio
import json
import logging

from playwright.async_api import PlaywrightContextManager
from scrapy_playwright.provider import PlaywrightBrowserProvider

from crawler.browser.launch import _driver_node_options

logger = logging.getLogger(__name__)


class _SharedBrowser:
    """A launched Chromium and the providers (handlers) using it."""

    def __init__(self, browser):
        self.browser = browser
        self.users: set[int] = set()  # id() of the providers holding it


class _SharedDriver:
    """One Playwright driver per event loop, counted by its users, with its browsers."""

    def __init__(self):
        self.manager = None
        self.playwright = None
        self.users = 0
        self.lock = asyncio.Lock()
        self.browsers: dict[str, _SharedBrowser] = {}  # launch options (JSON) -> browser
        self.launched = 0  # browsers launched by this driver (tests, the benchmark)


_drivers: dict[int, _SharedDriver] = {}


def browsers_launched() -> int:
    """Chromiums the shared drivers of this process launched so far (relaunches included)."""
    return sum(d.launched for d in _drivers.values())


class SharedPlaywrightProvider(PlaywrightBrowserProvider):
    """scrapy-playwright's provider, with a lazily started driver and a browser shared by the
    handlers of the process."""

    shares_browser = True  # crawler.browser.handler: give the browser back, do not close it

    def __init__(self, config) -> None:
        super().__init__(config)
        self._driver: _SharedDriver | None = None
        self._browser_key: str | None = None

    async def start(self) -> None:
        """Nothing yet: the driver starts with the first browser (``_ensure_driver``)."""

    async def _ensure_driver(self) -> None:
        if self._driver is not None:
            return
        loop_id = id(asyncio.get_running_loop())
        driver = _drivers.setdefault(loop_id, _SharedDriver())
        async with driver.lock:
            if driver.playwright is None:
                driver.manager = PlaywrightContextManager()
                with _driver_node_options():
                    driver.playwright = await driver.manager.start()
            driver.users += 1
        self._driver = driver
        self.playwright = driver.playwright
        self.browser_type = getattr(driver.playwright, self.config.browser_type_name)

    def _remote(self) -> bool:
        return bool(self.config.cdp_url or self.config.connect_url)

    async def launch_browser(self):
        await self._ensure_driver()
        if self._remote():
            return await super().launch_browser()
        driver = self._driver
        key = json.dumps(
            [self.config.browser_type_name, self.config.launch_options], sort_keys=True, default=str
        )
        async with driver.lock:
            shared = driver.browsers.get(key)
            if shared is None or not shared.browser.is_connected():
                users = shared.users if shared is not None else set()
                shared = _SharedBrowser(await super().launch_browser())
                shared.users = users  # handlers whose browser died come back to this one
                driver.browsers[key] = shared
                driver.launched += 1
            shared.users.add(id(self))
        self._browser_key = key
        return shared.browser

    async def launch_persistent_context(self, context_kwargs: dict):
        await self._ensure_driver()
        return await super().launch_persistent_context(context_kwargs)

    async def _release_browser(self, driver: _SharedDriver) -> None:
        """Give back this provider's share of its browser; the last user closes it."""
        key, self._browser_key = self._browser_key, None
        shared = driver.browsers.get(key) if key is not None else None
        if shared is None:
            return
        shared.users.discard(id(self))
        if shared.users:
            return
        del driver.browsers[key]
        if shared.browser.is_connected():
            logger.info("Closing the shared browser")
            try:
                await shared.browser.close()
            except Exception as exc:  # noqa: BLE001 - it died meanwhile: nothing left to close
                logger.debug("closing the shared browser: %s", exc)

    async def close(self) -> None:
        driver, self._driver = self._driver, None
        self.playwright = self.browser_type = None
        if driver is None:
            return
        async with driver.lock:
            await self._release_browser(driver)
            driver.users -= 1
            if driver.users == 0 and driver.manager is not None:
                manager, driver.manager, driver.playwright = driver.manager, None, None
                await manager.__aexit__()
                logger.debug("Playwright driver stopped")
