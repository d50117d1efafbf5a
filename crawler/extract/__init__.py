"""Reading listings out of pages: config-driven extraction (CSS, XPath, JSON paths), the
generic extractor for unconfigured item pages, the visible-price reader, saved pages.
Pure: no Scrapy, no Playwright.

May import ``normalise``, ``config``, ``errors``.
"""
