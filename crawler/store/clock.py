"""The clock of the database: every time wildcrawl writes is ISO 8601 UTC text from here."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> str:
    """Now as ISO 8601 UTC text with seconds, the one time format of the database."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
