"""Named schema migrations: bring a database from an older wildcrawl up to ``SCHEMA_VERSION``.

``ensure_schema`` (crawler.store.database) adds missing tables and columns by itself;
a migration is for what that cannot do: rebuild an index or a table, fix data.
Migration *n* (1-based, in ``MIGRATIONS`` order) takes a database to schema
version *n*; applied migrations are recorded by name in
``wildcrawl_migrations``. Before migrating a file that already holds data, a
copy is saved beside it (``<db>.schema-v<N>.bak``), so a failed migration
never costs data. A database from a *newer* wildcrawl is refused untouched.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from crawler.errors import StoreError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[sqlite_utils.Database], None]
    doc: str


def _fts_trigram(db: sqlite_utils.Database) -> None:
    table = db["listings_fts"]
    if not table.exists() or "trigram" in (table.schema or ""):
        return
    db["listings"].disable_fts()
    db["listings"].enable_fts(
        ["title", "description"], fts_version="FTS5", create_triggers=True, tokenize="trigram"
    )
    db["listings"].rebuild_fts()


def _observations_key(db: sqlite_utils.Database) -> None:
    table = db["observations"]
    if not table.exists() or table.pks == ["listing_id", "crawl_id"]:
        return
    db.execute(
        "delete from observations where rowid not in "
        "(select max(rowid) from observations group by listing_id, crawl_id)"
    )
    table.transform(pk=("listing_id", "crawl_id"))


MIGRATIONS: list[Migration] = [
    Migration(
        "0001_listings_fts_trigram",
        _fts_trigram,
        "Rebuild listings_fts with the trigram tokenizer (search in Chinese and Thai).",
    ),
    Migration(
        "0002_observations_primary_key",
        _observations_key,
        "Key observations on (listing_id, crawl_id), dropping duplicate rows of a crawl.",
    ),
]
LATEST = len(MIGRATIONS)


def stored_version(db: sqlite_utils.Database) -> int | None:
    """The schema version recorded in the file; 0 for data from before versions; None if empty."""
    if db["wildcrawl_meta"].exists():
        row = db.execute("select value from wildcrawl_meta where key = 'schema_version'").fetchone()
        if row is not None:
            try:
                return int(row[0])
            except ValueError:
                raise StoreError(
                    f"{database_file(db)}: unreadable schema_version {row[0]!r} in wildcrawl_meta"
                ) from None
    return 0 if db["listings"].exists() or db["crawls"].exists() else None


def check_version(db: sqlite_utils.Database, supported: int = LATEST) -> int | None:
    """The stored version; a database newer than this wildcrawl is refused untouched."""
    version = stored_version(db)
    if version is not None and version > supported:
        raise StoreError(
            f"{database_file(db)}: schema version {version} is newer than this wildcrawl "
            f"supports ({supported}); upgrade wildcrawl (pip install -U wildcrawl)"
        )
    return version


def database_file(db: sqlite_utils.Database) -> str:
    row = db.execute("pragma database_list").fetchone()
    return (row[2] if row else "") or ":memory:"


def backup(db: sqlite_utils.Database, version: int) -> Path | None:
    """Copy the database beside itself before migrating (SQLite's online backup)."""
    source = database_file(db)
    if source == ":memory:":
        return None
    target = Path(f"{source}.schema-v{version}.bak")
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target


def migrate(db: sqlite_utils.Database, from_version: int | None) -> list[str]:
    """Apply the migrations after ``from_version``, in one transaction; return their names.

    ``from_version`` None means a new database: everything is recorded as
    applied, since ``ensure_schema`` created the latest schema directly.
    """
    if not db["wildcrawl_migrations"].exists():
        db["wildcrawl_migrations"].create({"name": str, "applied_at": str}, pk="name")
    from crawler.store.clock import utcnow

    done = {r["name"] for r in db["wildcrawl_migrations"].rows}
    todo = [m for m in MIGRATIONS if m.name not in done]
    if not todo:
        return []
    if from_version is None:
        db["wildcrawl_migrations"].insert_all(
            [{"name": m.name, "applied_at": utcnow()} for m in todo], pk="name", ignore=True
        )
        return []
    copy = backup(db, from_version)
    with db.atomic():
        for m in todo:
            m.apply(db)
            db["wildcrawl_migrations"].insert({"name": m.name, "applied_at": utcnow()}, pk="name")
    names = [m.name for m in todo]
    logger.warning(
        "%s: migrated from schema version %s to %s (%s); copy of the old file: %s",
        database_file(db),
        from_version,
        LATEST,
        ", ".join(names),
        copy,
    )
    return names
