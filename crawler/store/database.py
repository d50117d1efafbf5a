"""The SQLite store: creating the schema (``crawler.store.tables``), migrations and idempotent
writes, through sqlite-utils.

``ListingStore`` is the only writer of a database file (SQLite 3.40 allows one
writing connection per file). Writes are batched inside transactions; every
upsert is keyed as in DESIGN.md, so re-crawling never duplicates anything.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from crawler.errors import StoreError
from crawler.store.batch import write_batch
from crawler.store.clock import utcnow
from crawler.store.digest import ensure_digest_triggers
from crawler.store.locking import (
    LOCK_WAIT_S,
    is_busy,
    write_transaction,
)
from crawler.store.tables import INDEXES, SCHEMA_VERSION, TABLES
from crawler.store.upserts import sql_row, upsert_sql
from crawler.store.views import ensure_views, refresh_relistings
from crawler.store.word_index import sync_word_index

__all__ = ["INDEXES", "SCHEMA_VERSION", "TABLES", "ListingStore", "ensure_schema", "open_database"]

LISTING_COLUMNS = [c for c in TABLES["listings"]["columns"] if c not in ("first_seen",)]


def open_database(path: str | Path) -> sqlite_utils.Database:
    """Open (creating folders) a database file, refusing anything that is not SQLite."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"{path.parent}: cannot create the output folder ({exc.strerror})"
        ) from None
    if path.exists() and path.stat().st_size > 0:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise StoreError(f"{path}: not an SQLite database; choose another --db path")
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(f"{path}: database file is not writable")
    if not path.exists() and not os.access(path.parent, os.W_OK):
        raise StoreError(f"{path.parent}: output folder is not writable")
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA busy_timeout = 30000")
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = OFF")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot open database ({exc})") from None
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create missing tables, columns, indexes and full-text search; migrate; record the version.

    A database from a newer wildcrawl is refused untouched (``StoreError``).
    """
    from crawler.store import migrations

    previous = migrations.check_version(db, SCHEMA_VERSION)
    with db.conn:
        for name, spec in TABLES.items():
            table = db[name]
            if not table.exists():
                table.create(
                    spec["columns"],
                    pk=spec["pk"],
                    foreign_keys=spec.get("foreign_keys"),
                    not_null=None,
                )
            else:
                existing = set(table.columns_dict)
                for col, typ in spec["columns"].items():
                    if col not in existing:
                        table.add_column(col, typ)
        for table, cols in INDEXES:
            db[table].create_index(cols, if_not_exists=True)
        if not db["wildcrawl_meta"].exists():
            db["wildcrawl_meta"].create({"key": str, "value": str}, pk="key")
    migrations.migrate(db, previous)
    with db.conn:
        db["wildcrawl_meta"].upsert(
            {"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key"
        )
    ensure_views(db)  # derived take-down figures as SQL views
    if not db["listings_fts"].exists():
        # trigram: substring search that also works for Chinese and Thai (no spaces between
        # words); queries need at least three characters.
        db["listings"].enable_fts(
            ["title", "description"], fts_version="FTS5", create_triggers=True, tokenize="trigram"
        )
    _fts_update_only_on_change(db)
    ensure_digest_triggers(db)
    with write_transaction(db):
        sync_word_index(db)  # words and CJK substrings for the internal instance's search


# sqlite-utils' update trigger re-indexes every updated listing; a re-crawl updates every
# listing it sees, mostly with the same title and description. The same trigger, skipped
# when neither indexed column changed (the index would be rewritten identically), and named
# only for the UPDATEs that set an indexed column or the rowid: an UPDATE that sets neither
# (a sighting's last_seen and last_crawl_id) does not run it, nor read the old row's values
# for it (1.1 µs a row instead of 2.1 for the sighting UPDATE of a re-crawl).
_FTS_UPDATE_TRIGGER = """CREATE TRIGGER "listings_au" AFTER UPDATE OF "title", "description", rowid
ON "listings"
WHEN old."title" IS NOT new."title" OR old."description" IS NOT new."description"
  OR old.rowid IS NOT new.rowid BEGIN
  INSERT INTO "listings_fts" ("listings_fts", rowid, "title", "description") VALUES('delete', old.rowid, old."title", old."description");
  INSERT INTO "listings_fts" (rowid, "title", "description") VALUES (new.rowid, new."title", new."description");
END"""


def _fts_update_only_on_change(db: sqlite_utils.Database) -> None:
    """Replace the full-text update trigger by ``_FTS_UPDATE_TRIGGER`` (idempotent)."""
    row = db.execute(
        "select sql from sqlite_master where type = 'trigger' and name = 'listings_au'"
    )
    current = row.fetchone()
    if current is None or current[0] == _FTS_UPDATE_TRIGGER:
        return
    with db.conn:
        db.execute('DROP TRIGGER "listings_au"')
        db.execute(_FTS_UPDATE_TRIGGER)


logger = logging.getLogger(__name__)


class ListingStore:
    """Writes one crawl of one marketplace: crawl row, listings, observations, sellers, matches."""

    def __init__(self, db: str | Path | sqlite_utils.Database, batch_size: int = 200):
        self.db = db if isinstance(db, sqlite_utils.Database) else open_database(db)
        ensure_schema(self.db)
        self.batch_size = batch_size
        self._pending: list[dict] = []
        self.crawl_id: int | None = None
        self.lock_wait_s = LOCK_WAIT_S
        self.store_error: str | None = None  # why the pending items could not be written
        self.counts = {"listings_seen": 0, "listings_new": 0, "flagged": 0, "listings_removed": 0}

    # --- reference data -------------------------------------------------------

    def save_marketplace(self, row: dict) -> None:
        with write_transaction(self.db, self.lock_wait_s):
            self.db["marketplaces"].upsert(row, pk="name")

    def save_lexicon(self, taxa: Iterable[dict], terms: Iterable[dict]) -> None:
        columns = {t: list(TABLES[t]["columns"]) for t in ("taxa", "terms")}
        self.save_lexicon_values(
            [sql_row(r, columns["taxa"]) for r in taxa],
            [sql_row(r, columns["terms"]) for r in terms],
        )

    def save_lexicon_values(self, taxa: list[tuple], terms: list[tuple]) -> None:
        """``save_lexicon`` of value tuples in ``TABLES`` column order (no dict per row)."""
        # One transaction (the connection autocommits otherwise: ~35,000 commits).
        with write_transaction(self.db, self.lock_wait_s):
            self.db.conn.executemany(upsert_sql("taxa"), taxa)
            self.db.conn.executemany(upsert_sql("terms"), terms)

    # --- crawls ---------------------------------------------------------------

    def start_crawl(self, marketplace: str, keywords: list[str]) -> int:
        """Open a ``running`` crawl row; earlier running rows of dead processes become interrupted."""
        self.mark_dead_crawls_interrupted()
        with write_transaction(self.db, self.lock_wait_s):
            table = self.db["crawls"].insert(
                {
                    "marketplace": marketplace,
                    "started_at": utcnow(),
                    "status": "running",
                    "pages": 0,
                    "listings_seen": 0,
                    "listings_new": 0,
                    "listings_removed": 0,
                    "flagged": 0,
                    "errors": 0,
                    "keywords": json.dumps(keywords, ensure_ascii=False),
                    "pid": os.getpid(),
                }
            )
        self.crawl_id = table.last_pk
        return self.crawl_id

    def mark_dead_crawls_interrupted(self) -> int:
        rows = list(self.db.query("select id, pid from crawls where status = 'running'"))
        dead = [r["id"] for r in rows if not _pid_alive(r["pid"])]
        if dead:
            with write_transaction(self.db, self.lock_wait_s):
                for crawl_id in dead:
                    self.db["crawls"].update(
                        crawl_id,
                        {"status": "interrupted", "message": "the crawl process ended early"},
                    )
        return len(dead)

    @property
    def unstored(self) -> int:
        """Listings handed to the store that are not written (yet)."""
        return len(self._pending)

    def finish_crawl(
        self, status: str, pages: int, errors: int, error_kinds: dict, message=None
    ) -> str:
        """Write what is pending and close the crawl row; return the status recorded.

        A crawl whose items were not all stored is recorded ``failed`` with a one-line message,
        never ``finished``; the items stay pending (``unstored``).
        """
        try:
            self.flush()
        except sqlite3.Error as exc:  # disk full, I/O error...: the items are still pending
            self.store_error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if self._pending:
            status = "failed"
            message = f"{len(self._pending)} listings were not stored ({self.store_error})"
        else:
            try:  # derived tables: a failure here costs no listing, the next crawl redoes them
                with write_transaction(self.db, self.lock_wait_s):
                    refresh_relistings(self.db)
                    sync_word_index(self.db)
            except sqlite3.Error as exc:
                logger.warning("re-listings and the word index not refreshed: %s", exc)
        with write_transaction(self.db, self.lock_wait_s):
            self.db["crawls"].update(
                self.crawl_id,
                {
                    "finished_at": utcnow(),
                    "status": status,
                    "pages": pages,
                    "errors": errors,
                    "error_kinds": json.dumps(error_kinds, sort_keys=True),
                    "message": message,
                    **self.counts,
                },
            )
        return status

    def fail_crawl(self, message: str) -> str:
        """Record the crawl ``failed`` with a one-line message, for when closing it raised;
        returns the status. The crawl row never stays ``running`` for a crawl that ended."""
        try:
            with write_transaction(self.db, self.lock_wait_s):
                self.db.execute(
                    "update crawls set status = 'failed', finished_at = ?, message = ? "
                    "where id = ?",
                    [utcnow(), message, self.crawl_id],
                )
        except sqlite3.Error:
            logger.exception("crawl %s could not be recorded failed", self.crawl_id)
        return "failed"

    # --- listings ---------------------------------------------------------------

    def add(self, item: dict) -> None:
        """Queue one normalised listing item; written at the next flush."""
        self._pending.append(item)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> bool:
        """Write the pending items in one transaction; True when all are stored.

        When the write lock cannot be had within ``lock_wait_s`` the items stay pending (the
        next flush tries again) and False is returned: nothing is dropped silently.
        """
        if not self._pending:
            return True
        items = self._pending
        try:
            with write_transaction(self.db, self.lock_wait_s):
                counts = self._write_batch(items)
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                self.store_error = str(exc)
                raise  # the items stay pending: finish_crawl records the crawl failed
            self.store_error = (
                f"database is locked by another process for over {self.lock_wait_s:g} s"
            )
            logger.error(
                "%d listings not stored yet: %s; kept to retry", len(items), self.store_error
            )
            return False
        self.counts = counts
        self._pending = self._pending[len(items) :]
        return True

    def _write_batch(self, items: list[dict]) -> dict:
        """The batch's writes, inside the caller's transaction; return the crawl's new counts
        (``self.counts`` changes only once the transaction is committed)."""
        return write_batch(self.db, items, self.crawl_id, self.counts)

    def close(self) -> None:
        self.flush()
        self.db.close()


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
