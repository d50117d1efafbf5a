"""Scrapy settings for wildcrawl (``scrapy.cfg`` points here).

Project settings (``WILDCRAWL_*``): their defaults, types and descriptions are the table of
``crawler.options`` (``docs/settings.md``).
Per-marketplace politeness (delay, concurrency, robots.txt) comes from its config.
"""

from scrapy.settings import default_settings as scrapy_defaults

from crawler.browser.launch import crawl_launch_options
from crawler.crawl.pipelines import PIPELINES
from crawler.options import project_defaults

BOT_NAME = "wildcrawl"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Every WILDCRAWL_* default (WILDCRAWL_CONTACT: who runs this crawl, for the sites' operators;
# set the environment variable to your URL or e-mail).
globals().update(project_defaults())
WILDCRAWL_CONTACT = project_defaults()["WILDCRAWL_CONTACT"]


def user_agent(contact: str) -> str:
    """An honest User-Agent: the tool, its purpose and how to reach whoever runs it."""
    return f"wildcrawl/0.1 (wildlife-trade monitoring; +{contact})"


USER_AGENT = user_agent(WILDCRAWL_CONTACT)

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
# The randomised delay drawn once per request (Scrapy's downloader waited 1.22x the delay on
# average): crawler.crawl.downloader.
DOWNLOADER = "crawler.crawl.downloader.SteadyDelayDownloader"
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
AUTOTHROTTLE_ENABLED = False
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
# Scrapy re-parses a callback's source on every response to warn about `return value` in a
# generator (its weak cache never holds bound methods): ~0.4 ms a page. The spider's own
# callbacks are checked once by the tests (tests/test_extract.py) instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
LOG_LEVEL = "INFO"
# Scrapy hands each response's callback output to CONCURRENT_ITEMS worker tasks, made anew for
# every response (scrapy.utils.asyncio._parallel_asyncio with the asyncio reactor): 100 by
# default, ~0.5 ms CPU a response, where most responses give one item or a results page's
# requests and every item pipeline step is synchronous (no wait to overlap). 10: ~0.06 ms.
CONCURRENT_ITEMS = 10
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
# Honour Retry-After on 429/503 (before RetryMiddleware at 550): crawler.crawl.retry_after.
DOWNLOADER_MIDDLEWARES = {
    "crawler.crawl.retry_after.RetryAfterMiddleware": 560,
    # Browser contexts by generation, recycled every WILDCRAWL_CONTEXT_PAGES pages: last before
    # the download handler, so it sees every browser download start and end.
    "crawler.browser.contexts.BrowserContextRecycler": 950,
    # Browser tabs reused from request to request, their renderers' garbage collected every
    # few uses (after the context name is settled).
    "crawler.browser.pages.PagePool": 960,
}
# False: a new browser tab per request, as scrapy-playwright does (crawler.browser.pages).
# A full garbage collection in a kept tab's renderer every N uses of the tab (0: never).
RETRY_AFTER_MAX = 120

ITEM_PIPELINES = PIPELINES
# Live progress on a terminal, periodic log lines otherwise (WILDCRAWL_PROGRESS=False: off).
EXTENSIONS = {
    "crawler.crawl.progress.CrawlProgress": 500,
    "crawler.browser.watch.BrowserWatch": 510,  # counts a browser dying mid-crawl
}
# Scrapy's remote Python console over HTTP (on by default since 2.14), like the telnet console:
# not for a monitoring crawl. Left out of the base list, not just disabled: Scrapy imports every
# listed extension's module, even one set to None, and this one's (aiohttp) took ~0.08 s of
# every crawl's start.
EXTENSIONS_BASE = {
    name: order
    for name, order in scrapy_defaults.EXTENSIONS_BASE.items()
    if name != "scrapy.extensions.remote_control.RemoteControl"
}
REMOTE_CONTROL_ENABLED = False

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
DOWNLOAD_HANDLERS = {
    "http": "crawler.browser.handler.CrawlPlaywrightHandler",
    "https": "crawler.browser.handler.CrawlPlaywrightHandler",
}
# Plain GET pages navigate without a Python hop per sub-request; resources are blocked
# inside Chromium (crawler.browser.handler). False: scrapy-playwright's route for every page.
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = crawl_launch_options()  # headless shell, fewer processes
# One Playwright driver and one Chromium per process, started with the first browser page and
# shared by every marketplace of the crawl (each in contexts of its own; crawler.browser.provider).
PLAYWRIGHT_BROWSER_PROVIDER = "crawler.browser.provider.SharedPlaywrightProvider"
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 20_000
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
# A browser that dies mid-crawl (OOM, killed) is relaunched on the next request.
PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER = True
PLAYWRIGHT_ABORT_REQUEST = "crawler.browser.requests.should_abort_request"
# A new browser context every N pages, the old one closed when its pages are done (0: off).
