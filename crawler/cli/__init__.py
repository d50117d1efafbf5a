"""Command-line interface: a thin layer over the library.

Each command lives in its own module and registers itself on ``cli``; importing
them here is what makes them available.
"""

from crawler.cli.app import cli

# Command modules (import order = order of registration only).
from crawler.cli import demo_cmd  # noqa: E402,F401
from crawler.cli import crawl_cmd  # noqa: E402,F401
from crawler.cli import serve_cmd  # noqa: E402,F401
from crawler.cli import check_cmd  # noqa: E402,F401
from crawler.cli import price_cmd  # noqa: E402,F401
from crawler.cli import rates_cmd  # noqa: E402,F401
from crawler.cli import try_cmd  # noqa: E402,F401
from crawler.cli import new_marketplace_cmd  # noqa: E402,F401
from crawler.cli import match_cmd  # noqa: E402,F401
from crawler.cli import keywords_cmd  # noqa: E402,F401
from crawler.cli import report_cmd  # noqa: E402,F401
from crawler.cli import export_cmd  # noqa: E402,F401
from crawler.cli import evidence_cmd  # noqa: E402,F401
from crawler.cli import schedule_cmd  # noqa: E402,F401
from crawler.cli import status_cmd  # noqa: E402,F401
from crawler.cli import doctor_cmd  # noqa: E402,F401
from crawler.cli import publish_cmd  # noqa: E402,F401
from crawler.cli import seed_cmd  # noqa: E402,F401
from crawler.cli import ingest_cmd  # noqa: E402,F401

main = cli

__all__ = ["cli", "main"]
