"""Everything Playwright: finding and launching Chromium, the crawl's download handler,
reused tabs and recycled contexts, resource blocking, the per-page init script and the
capture of the JSON a page fetches.

May import ``store``, ``fetch`` and lower; never ``crawl``, ``casework`` or ``spiders``.
"""
