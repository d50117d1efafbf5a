"""Running crawls: the runner, the scheduler, the Scrapy glue (pipelines, progress,
Retry-After, what ``render: auto`` remembers) and the per-marketplace summary.

May import every lower layer (casework, browser, store, fetch, extract, matching,
normalise, config); ``runner`` and ``schedule`` sit above ``spiders`` and start them.
Nothing below imports ``crawl``.
"""
