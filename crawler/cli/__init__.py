"""Command-line interface: a thin layer over the library.

Each command lives in its own module and registers itself on ``cli``; importing
them here is what makes them available.
"""

# Command modules (import order = order of registration only).
from crawler.cli import (
    check_cmd,  # noqa: F401
    crawl_cmd,  # noqa: F401
    demo_cmd,  # noqa: F401
    doctor_cmd,  # noqa: F401
    evidence_cmd,  # noqa: F401
    export_cmd,  # noqa: F401
    ingest_cmd,  # noqa: F401
    keywords_cmd,  # noqa: F401
    match_cmd,  # noqa: F401
    model_cmd,  # noqa: F401
    new_marketplace_cmd,  # noqa: F401
    price_cmd,  # noqa: F401
    publish_cmd,  # noqa: F401
    rates_cmd,  # noqa: F401
    report_cmd,  # noqa: F401
    schedule_cmd,  # noqa: F401
    seed_cmd,  # noqa: F401
    serve_cmd,  # noqa: F401
    status_cmd,  # noqa: F401
    taxa_cmd,  # noqa: F401
    try_cmd,  # noqa: F401
)
from crawler.cli.app import cli

main = cli

__all__ = ["cli", "main"]
