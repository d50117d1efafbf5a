"""One Playwright driver per process, started when a browser is first needed.

``SharedPlaywrightProvider`` (``PLAYWRIGHT_BROWSER_PROVIDER``) starts Playwright's
driver only when a browser is first needed and shares one driver among the
download handlers of a process: scrapy-playwright builds one handler per URL
scheme (http, https) and each started its own Node driver (~130 MiB RSS), and an
HTTP-only crawl started one it never used. Kept apart from ``crawler.browser.launch``
so that reading the launch options imports no Playwright (~0.3 s of a crawl's start).
"""

from __future__ import annotations

import asyncio
import logging

from playwright.async_api import PlaywrightContextManager
from scrapy_playwright.provider import PlaywrightBrowserProvider

from crawler.browser.launch import _driver_node_options

logger = logging.getLogger(__name__)


class _SharedDriver:
    """One Playwright driver per event loop, counted by its users."""

    def __init__(self):
        self.manager = None
        self.playwright = None
        self.users = 0
        self.lock = asyncio.Lock()


_drivers: dict[int, _SharedDriver] = {}


class SharedPlaywrightProvider(PlaywrightBrowserProvider):
    """scrapy-playwright's provider, with a lazily started driver shared by its handlers."""

    def __init__(self, config) -> None:
        super().__init__(config)
        self._driver: _SharedDriver | None = None

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

    async def launch_browser(self):
        await self._ensure_driver()
        return await super().launch_browser()

    async def launch_persistent_context(self, context_kwargs: dict):
        await self._ensure_driver()
        return await super().launch_persistent_context(context_kwargs)

    async def close(self) -> None:
        driver, self._driver = self._driver, None
        self.playwright = self.browser_type = None
        if driver is None:
            return
        async with driver.lock:
            driver.users -= 1
            if driver.users == 0 and driver.manager is not None:
                manager, driver.manager, driver.playwright = driver.manager, None, None
                await manager.__aexit__()
                logger.debug("Playwright driver stopped")
