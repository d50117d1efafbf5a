"""Several machines: the Redis frontier shared by crawl workers (scrapy-redis) and the one
ingester that owns the SQLite file.

``redis_frontier`` sits beside the Scrapy glue (the worker spider uses it);
``distributed`` and ``ingest`` sit above the runner.
"""
