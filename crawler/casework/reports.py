"""Reports of listings to platforms (or police): who reported what, where, when, and the outcome.

The outcome of a report comes from later crawls (the ``takedown_reports`` view says
``removed`` or ``still online``) unless someone enters it by hand with ``set_outcome``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from crawler.errors import WildcrawlError
from crawler.store.clock import utcnow
from crawler.store.database import ensure_schema

OUTCOMES = ("removed", "still online", "rejected", "no answer")


class ReportError(WildcrawlError):
    """A report cannot be recorded as given."""


def iso_utc(value: str | None) -> str:
    """An ISO 8601 time (or date) as the database's UTC text; None is now."""
    if not value:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ReportError(f"time {value!r} is not ISO 8601 (e.g. 2026-11-28T09:30:00Z)") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def add_report(
    db: sqlite_utils.Database,
    listing_id: str,
    platform: str,
    reference: str | None = None,
    channel: str | None = None,
    reported_by: str | None = None,
    reported_at: str | None = None,
) -> int:
    """Record that a listing was reported; return the report id."""
    ensure_schema(db)
    if not platform or not platform.strip():
        raise ReportError("say whom the listing was reported to (--to PLATFORM)")
    if db.execute("select 1 from listings where id = ?", [listing_id]).fetchone() is None:
        raise ReportError(
            f"no listing {listing_id!r} in the database (ids look like demo-bazaar:2401000123)"
        )
    with db.conn:
        table = db["reports"].insert(
            {
                "listing_id": listing_id,
                "reported_at": iso_utc(reported_at),
                "platform": platform.strip(),
                "channel": channel,
                "reference": reference,
                "reported_by": reported_by,
                "outcome": None,
                "outcome_at": None,
            }
        )
    return table.last_pk


def set_outcome(
    db: sqlite_utils.Database, report_id: int, outcome: str, at: str | None = None
) -> None:
    """Enter a report's outcome by hand (it then wins over what crawls derive)."""
    if outcome not in OUTCOMES:
        raise ReportError(f"outcome {outcome!r} unknown; use one of: {', '.join(OUTCOMES)}")
    if db.execute("select 1 from reports where id = ?", [report_id]).fetchone() is None:
        raise ReportError(f"no report {report_id} in the database")
    with db.conn:
        db["reports"].update(report_id, {"outcome": outcome, "outcome_at": iso_utc(at)})


def report_rows(db: sqlite_utils.Database, marketplace: str | None = None) -> list[dict]:
    """Reports with their derived outcome (``takedown_reports``), newest first."""
    ensure_schema(db)
    sql = "select * from takedown_reports"
    params: list = []
    if marketplace:
        sql += " where marketplace = ?"
        params.append(marketplace)
    return list(db.query(sql + " order by reported_at desc, report_id desc", params))
