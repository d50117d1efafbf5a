"""How each page is fetched and read: the render plan (http, browser, api, auto) and the
marketplace's own JSON endpoints. Pure: no Scrapy, no Playwright, no network.

May import ``extract``, ``normalise``, ``config``, ``errors``.
"""
