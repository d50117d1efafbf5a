"""Importing what a crawl's start needs without what it does not (issue 26, start-up).

sqlite-utils imports numpy when it is installed (datasette's dependencies bring it), only to
map numpy's number types to column types when it creates a table from the rows it is given.
No crawl hands it a numpy value (the store's tables are made by its own schema), and numpy
was a sixth of a crawl's start: ~0.09 CPU s of its 0.8 before the first request.
"""

from __future__ import annotations

import sys


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
