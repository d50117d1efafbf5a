"""Importing what a crawl's start needs without what it does not (issue 26, start-up).

sqlite-utils imports numpy when it is installed (datasette's dependencies bring it), only to
map numpy's number types to column types when it creates a table from the rows it is given.
No crawl hands it a numpy value (the store's tables are made by its own schema), and numpy
was a sixth of a crawl's start: ~0.09 CPU s of its 0.8 before the first request. Scrapy's
cookies middleware imports tldextract (with requests, urllib3, filelock) for a check it makes
only when a response sets a cookie for a domain.
"""

from __future__ import annotations

import sys
import types


def import_sqlite_utils() -> None:
    """Import sqlite-utils as if numpy were not installed, unless numpy is imported already
    (then sqlite-utils gets it, as before). numpy itself stays importable."""
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment] # an ImportError for its import
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]


class _TLDExtractOnFirstUse:
    """``tldextract.TLDExtract(*args, **kwargs)``, made (and tldextract imported) when first
    used."""

    def __init__(self, *args, **kwargs) -> None:
        self._args, self._kwargs, self._real = args, kwargs, None

    def _extract(self):
        if self._real is None:
            from tldextract import TLDExtract

            self._real = TLDExtract(*self._args, **self._kwargs)
        return self._real

    def __call__(self, *args, **kwargs):
        return self._extract()(*args, **kwargs)

    def __getattr__(self, name: str):
        if name.startswith("_"):  # its own, before __init__ set them (a copy): no recursion
            raise AttributeError(name)
        return getattr(self._extract(), name)


def import_cookies_middleware() -> None:
    """Import Scrapy's cookies middleware without tldextract, until a response sets a cookie
    for a domain (its public-suffix check, the only use): tldextract imports requests, urllib3
    and filelock, ~0.04 CPU s of every crawl's start before its first request. Only that
    module's import sees the stand-in; ``import tldextract`` anywhere else is the real one."""
    if "tldextract" in sys.modules or "scrapy.downloadermiddlewares.cookies" in sys.modules:
        return
    stand_in = types.ModuleType("tldextract")
    stand_in.TLDExtract = _TLDExtractOnFirstUse  # type: ignore[attr-defined]
    sys.modules["tldextract"] = stand_in
    try:
        import scrapy.downloadermiddlewares.cookies  # noqa: F401
    finally:
        if sys.modules.get("tldextract") is stand_in:
            del sys.modules["tldextract"]
