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
from crawler.store import history
from crawler.store.clock import utcnow
from crawler.store.locking import (
    LOCK_WAIT_S,
    guard_price,
    is_busy,
    write_transaction,
)
from crawler.store.tables import INDEXES, SCHEMA_VERSION, TABLES
from crawler.store.upserts import (
    insert_many_ignore,
    plain_row,
    sql_row,
    stored_rows,
    update_given,
    upsert_sql,
    write_changed,
)
from crawler.store.views import ensure_views, refresh_relistings
from crawler.store.word_index import sync_word_index

__all__ = ["INDEXES", "SCHEMA_VERSION", "TABLES", "ListingStore", "ensure_schema", "open_database"]

LISTING_COLUMNS = [c for c in TABLES["listings"]["columns"] if c not in ("first_seen",)]
_COLUMNS = list(TABLES["listings"]["columns"])  # a listing row's values, in this order
_STATUS, _REMOVED_AT, _LAST_SEEN, _LAST_CRAWL_ID, _FIRST_SEEN = map(
    _COLUMNS.index, ("status", "removed_at", "last_seen", "last_crawl_id", "first_seen")
)
_SELLER_COLUMNS = list(TABLES["sellers"]["columns"])
_MATCH_COLUMNS = list(TABLES["matches"]["columns"])[1:]  # after listing_id


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
    with write_transaction(db):
        sync_word_index(db)  # words and CJK substrings for the internal instance's search


# sqlite-utils' update trigger re-indexes every updated listing; a re-crawl updates every
# listing it sees, mostly with the same title and description. The same trigger, skipped
# when neither indexed column changed (the index would be rewritten identically).
_FTS_UPDATE_TRIGGER = """CREATE TRIGGER "listings_au" AFTER UPDATE ON "listings"
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
        counts = dict(self.counts)
        db = self.db
        ids = [i["id"] for i in items]
        stored = stored_rows(db, "listings", ids)
        previous = {k: (r[_STATUS], r[_REMOVED_AT], r[_LAST_SEEN]) for k, r in stored.items()}
        existing = set(previous)
        seller_ids = [i["seller_id"] for i in items if i.get("seller_id")]
        known_sellers = set()
        if seller_ids:
            ph = ",".join("?" * len(seller_ids))
            known_sellers = {
                r[0] for r in db.execute(f"select id from sellers where id in ({ph})", seller_ids)
            }
        # One transaction per batch (the caller's): a kill or a reader never sees a listing
        # without its observation, seller and matches.
        rows, obs, matches, sellers_new, sellers_old = [], [], [], {}, {}
        jobs: dict[str, tuple] = {}  # evidence screenshots to queue
        contacts, listing_contacts = {}, []
        for item in items:
            item = guard_price(item)
            row = list(map(item.get, _COLUMNS))
            # Status only changes on the listing's own page (crawler.store.history).
            step = history.transition(
                *(previous.get(item["id"]) or (None, None, None)),
                item.get("page_state"),
                item["seen_at"],
            )
            previous[item["id"]] = (step.status, step.removed_at, step.last_seen)
            row[_STATUS], row[_REMOVED_AT], row[_LAST_SEEN] = (
                step.status,
                step.removed_at,
                step.last_seen,
            )
            counts["listings_removed"] += 1 if step.went_away else 0
            if item.get("evidence_job"):
                job = item["evidence_job"]
                jobs[item["id"]] = (
                    item["id"],
                    job["url"],
                    item["marketplace"],
                    item["item_id"],
                    self.crawl_id,
                    job["queued_at"],
                )
            row[_LAST_CRAWL_ID] = self.crawl_id
            # first_seen is written on insert only (kept by the upsert of a known listing).
            row[_FIRST_SEEN] = item["seen_at"]
            rows.append(plain_row(row))
            if item["id"] not in existing:
                existing.add(item["id"])
                counts["listings_new"] += 1
            counts["listings_seen"] += 0 if item.get("rechecked") else 1
            counts["flagged"] += 1 if item.get("flagged") else 0
            # observations' columns, in TABLES order
            obs.append(
                plain_row(
                    [
                        item["id"],
                        self.crawl_id,
                        item["seen_at"],
                        item.get("price"),
                        item.get("currency"),
                        item.get("price_usd"),
                        item.get("title"),
                        step.status,
                    ]
                )
            )
            for m in item.get("matches") or ():
                matches.append(plain_row([item["id"], *map(m.get, _MATCH_COLUMNS)]))
            if item.get("seller_id"):
                seller = {
                    "id": item["seller_id"],
                    "marketplace": item["marketplace"],
                    "seller_key": item.get("seller_key"),
                    "handle": item.get("seller_handle"),
                    "name": item.get("seller_name"),
                    "profile_url": item.get("seller_url"),
                    "location": item.get("seller_location"),
                    "last_seen": item["seen_at"],
                }
                seller = {k: v for k, v in seller.items() if v is not None}
                if item["seller_id"] in known_sellers:
                    sellers_old[item["seller_id"]] = seller
                else:
                    seller["first_seen"] = item["seen_at"]
                    sellers_new[item["seller_id"]] = seller
            for c in item.get("contacts") or ():
                contacts.setdefault(
                    c["id"],
                    {
                        **{k: c[k] for k in ("id", "kind", "normalized")},
                        "first_seen": item["seen_at"],
                    },
                )
                listing_contacts.append(
                    {
                        "listing_id": item["id"],
                        "contact_id": c["id"],
                        "seller_id": item.get("seller_id"),
                        "value": c["value"],
                    }
                )
        # Prepared statements rather than sqlite-utils' insert_all (which reads the table's
        # schema on every call): a new seller is inserted; a known one gets the values seen.
        insert_many_ignore(
            db, "sellers", [sql_row(r, _SELLER_COLUMNS) for r in sellers_new.values()]
        )
        update_given(db, "sellers", sellers_old.values())
        # One prepared statement per table per batch (executemany): new and known listings
        # in item order, so a listing seen twice in a batch ends with its last values.
        write_changed(db, "listings", rows, stored, keep=("first_seen",))
        db.conn.executemany(upsert_sql("observations"), obs)
        self._replace_matches(ids, matches)
        if jobs:
            # Queued again (title or price changed): a fresh job, attempts reset.
            db.conn.executemany(
                "insert into evidence_queue (listing_id, url, marketplace, item_id, crawl_id,"
                " queued_at, attempts, last_error, done_at) values (?, ?, ?, ?, ?, ?, 0,"
                " null, null) on conflict(listing_id) do update set url = excluded.url,"
                " crawl_id = excluded.crawl_id, queued_at = excluded.queued_at, attempts = 0,"
                " last_error = null, done_at = null",
                list(jobs.values()),
            )
        if contacts:
            columns = list(TABLES["contacts"]["columns"])
            insert_many_ignore(db, "contacts", [sql_row(r, columns) for r in contacts.values()])
        if listing_contacts:
            columns = list(TABLES["listing_contacts"]["columns"])
            db.conn.executemany(
                upsert_sql("listing_contacts"), [sql_row(r, columns) for r in listing_contacts]
            )
        if self.crawl_id is not None:
            db.execute(
                "update crawls set " + ", ".join(f"[{c}] = ?" for c in counts) + " where id = ?",
                [*counts.values(), self.crawl_id],
            )
        return counts

    def _replace_matches(self, ids: list[str], matches: list[tuple]) -> None:
        """Make the batch's listings' matches exactly ``matches`` (first of a duplicate key wins),
        rewriting only the listings whose matches changed: a re-crawl mostly changes none."""
        columns = list(TABLES["matches"]["columns"])
        pk_at = [columns.index(c) for c in TABLES["matches"]["pk"]]
        wanted: dict[str, dict[tuple, tuple]] = {i: {} for i in ids}
        for row in matches:
            wanted[row[0]].setdefault(tuple(row[i] for i in pk_at), row)
        stored: dict[str, set[tuple]] = {i: set() for i in ids}
        placeholders = ",".join("?" * len(ids))
        select = ", ".join(f"[{c}]" for c in columns)
        for row in self.db.execute(
            f"select {select} from matches where listing_id in ({placeholders})", ids
        ).fetchall():
            stored[row[0]].add(row)
        changed = [i for i in ids if set(wanted[i].values()) != stored[i]]
        if not changed:
            return
        placeholders = ",".join("?" * len(changed))
        self.db.execute(f"delete from matches where listing_id in ({placeholders})", changed)
        rows = [row for i in dict.fromkeys(changed) for row in wanted[i].values()]
        insert_many_ignore(self.db, "matches", rows)

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
