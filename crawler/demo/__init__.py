"""Local demo marketplaces: three realistic sites with a known ground truth.

``crawler.demo.catalogue`` generates the listings (deterministic for a seed),
``crawler.demo.server.DemoServer`` serves them on 127.0.0.1, one port per site.
"""

from crawler.demo.catalogue import (
    DEFAULT_SEED,
    DEFAULT_SIZE,
    SITES,
    DemoListing,
    generate_catalogue,
    search_catalogue,
)

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_SIZE",
    "SITES",
    "DemoListing",
    "generate_catalogue",
    "search_catalogue",
]
