"""What ``render: auto`` found out, remembered per marketplace and page kind across crawls.

A marketplace crawled with ``render: auto`` tries plain HTTP first; when a static
page has nothing (an empty results page, a detail page with none of its fields),
that kind of page ("results" or "detail") is fetched in the browser from then on.
The decision is stored in the ``render_decisions`` table (written by the store
pipeline when the crawl ends, the one writer of the database) and read when the
next crawl of the marketplace opens, so it does not re-learn it page by page.
A decision older than ``max_age_days`` is tried again (sites drop their JavaScript
too). Plain sqlite3 for the read, sqlite-utils for the write.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from crawler.options import BY_NAME

TABLE = "render_decisions"
KINDS = ("results", "detail")
DEFAULT_MAX_AGE_DAYS = BY_NAME["WILDCRAWL_RENDER_MEMORY_DAYS"].default


def load_decisions(
    db_path: str, marketplace: str, max_age_days: float = DEFAULT_MAX_AGE_DAYS
) -> dict[str, str]:
    """{page kind: "http" | "api" | "browser"} remembered for ``marketplace`` (recent ones only)."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return {}
    try:
        rows = conn.execute(
            f"select page_kind, render, decided_at from {TABLE} where marketplace = ?",
            (marketplace,),
        ).fetchall()
    except sqlite3.Error:  # no such table yet (an older database) or no file
        return {}
    finally:
        conn.close()
    oldest = datetime.now(UTC) - timedelta(days=max_age_days)
    out = {}
    for kind, render, decided_at in rows:
        try:
            when = datetime.fromisoformat(decided_at)
        except (AttributeError, ValueError):
            continue
        if kind in KINDS and render in ("http", "api", "browser") and when >= oldest:
            out[kind] = render
    return out


def save_decisions(db, marketplace: str, decisions: dict, crawl_id: int | None) -> None:
    """Upsert this crawl's decisions ({kind: (render, reason)}) into ``render_decisions``."""
    if not decisions:
        return
    from crawler.store.clock import utcnow

    now = utcnow()
    rows = [
        {
            "marketplace": marketplace,
            "page_kind": kind,
            "render": render,
            "reason": reason,
            "decided_at": now,
            "crawl_id": crawl_id,
        }
        for kind, (render, reason) in decisions.items()
    ]
    with db.conn:
        db[TABLE].upsert_all(rows, pk=("marketplace", "page_kind"))
