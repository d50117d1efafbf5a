"""What a crawl did, for people: per-marketplace rows from the ``crawls`` table."""

from __future__ import annotations

import json
import sys

import sqlite_utils
from rich.console import Console
from rich.table import Table

from crawler.store.locking import NOT_ALL_STORED

COLUMNS = ("marketplace", "status", "pages", "listings_seen", "listings_new", "flagged", "errors")


def crawl_rows(db: sqlite_utils.Database, crawl_ids: list[int]) -> list[dict]:
    if not crawl_ids:
        return []
    ph = ",".join("?" * len(crawl_ids))
    return list(
        db.query(f"select * from crawls where id in ({ph}) order by marketplace", crawl_ids)
    )


def rate_notes(db: sqlite_utils.Database, crawl_ids: list[int]) -> list[str]:
    """Lines about the USD conversions of these crawls' listings: a rate more than 7 days
    older than the day seen (stale), or none at all for the currency (missing)."""
    if not crawl_ids or "rate_status" not in db["listings"].columns_dict:
        return []
    ph = ",".join("?" * len(crawl_ids))
    found = db.query(
        "select marketplace, currency, rate_status, count(*) n, max(rate_date) last "
        f"from listings where last_crawl_id in ({ph}) and rate_status in ('stale', 'missing') "
        "group by 1, 2, 3 order by 1, 2",
        crawl_ids,
    )
    return [rate_note(r) for r in found]


def rate_note(r: dict) -> str:
    """One line for a (marketplace, currency, rate_status, n, last) row."""
    if r["rate_status"] == "missing":
        return (
            f"{r['marketplace']}: {r['n']} prices in {r['currency']} have no USD rate"
            " (price_usd empty); run 'wildcrawl rates update'"
        )
    return (
        f"{r['marketplace']}: {r['n']} prices in {r['currency']} converted with a rate older"
        f" than 7 days (last {r['last']}); run 'wildcrawl rates update'"
    )


def print_summary(rows: list[dict], file=None, notes: list[str] = (), log_file=None) -> None:
    """A table on a terminal, plain tab-separated lines otherwise; then the notes, and where
    Scrapy's log of the crawl is (``log_file``)."""
    out = file or sys.stdout
    console = Console(file=out)
    if console.is_terminal:
        table = Table(title="Crawl summary")
        narrow = console.width < 100
        for col in COLUMNS:
            # Marketplace and status are never cut; below 100 columns the headers are short.
            header = col.replace("_", " ")
            if narrow:
                header = header.removeprefix("listings ")
            table.add_column(
                header,
                justify="right" if col not in COLUMNS[:2] else "left",
                no_wrap=col in COLUMNS[:2],
                overflow="fold",
            )
        for r in rows:
            table.add_row(*(str(r.get(c) if r.get(c) is not None else "") for c in COLUMNS))
        totals = {c: sum(int(r.get(c) or 0) for r in rows) for c in COLUMNS[2:]}
        table.add_row("total", "", *(str(totals[c]) for c in COLUMNS[2:]), style="bold")
        console.print(table)
    else:
        print("\t".join(COLUMNS), file=out)
        for r in rows:
            print(
                "\t".join(str(r.get(c) if r.get(c) is not None else "") for c in COLUMNS), file=out
            )
    for r in rows:
        if r.get("message"):
            print(f"{r['marketplace']}: {r['status']}: {r['message']}", file=out)
        loops = _error_kinds(r).get("redirect_loop")
        if loops and "redirect loop" not in (r.get("message") or ""):
            # Detail pages or re-checks: the listings kept what the search gave.
            print(f"{r['marketplace']}: {loops} page(s) ended in a redirect loop", file=out)
    if any(r.get("status") == "failed" and "not stored" in (r.get("message") or "") for r in rows):
        print(
            f"{NOT_ALL_STORED}: recorded failed; the listings not stored are crawled again "
            "by the next crawl",
            file=out,
        )
    for note in notes:
        print(note, file=out)
    if log_file:
        print(f"log: {log_file}", file=out)


def _error_kinds(row: dict) -> dict:
    kinds = row.get("error_kinds")
    if isinstance(kinds, str):
        try:
            kinds = json.loads(kinds)
        except ValueError:
            return {}
    return kinds if isinstance(kinds, dict) else {}
