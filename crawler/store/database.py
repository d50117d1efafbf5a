"""The SQLite store: schema, migrations and idempotent writes, through sqlite-utils.

``ListingStore`` is the only writer of a database file (SQLite 3.40 allows one
writing connection per file). Writes are batched inside transactions; every
upsert is keyed as in DESIGN.md, so re-crawling never duplicates anything.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils
from sqlite_utils.db import jsonify_if_needed

from crawler.errors import StoreError
from crawler.store import history
from crawler.store.clock import utcnow
from crawler.store.views import ensure_views, refresh_relistings

# The number of named migrations in crawler.store.migrations (each one step of the schema).
SCHEMA_VERSION = 2


TABLES: dict[str, dict] = {
    "marketplaces": {
        "columns": {
            "name": str,
            "title": str,
            "base_url": str,
            "country": str,
            "language": str,
            "languages": str,
            "currency": str,
            "locale": str,
            "render": str,
            "config_file": str,
        },
        "pk": "name",
    },
    "crawls": {
        "columns": {
            "id": int,
            "marketplace": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "pages": int,
            "listings_seen": int,
            "listings_new": int,
            "listings_removed": int,
            "flagged": int,
            "errors": int,
            "error_kinds": str,
            "keywords": str,
            "message": str,
            "pid": int,
            "listings_extracted": int,
        },
        "pk": "id",
        "foreign_keys": [("marketplace", "marketplaces", "name")],
    },
    "taxa": {
        "columns": {
            "id": str,
            "scientific_name": str,
            "common_name": str,
            "cites_appendix": str,
            "taxon_group": str,
            "synonyms": str,
            "source": str,
        },
        "pk": "id",
    },
    "terms": {
        "columns": {
            "id": str,
            "term": str,
            "lang": str,
            "kind": str,
            "taxon_id": str,
            "product": str,
            "source": str,
        },
        "pk": "id",
    },
    "sellers": {
        "columns": {
            "id": str,
            "marketplace": str,
            "seller_key": str,
            "handle": str,
            "name": str,
            "profile_url": str,
            "location": str,
            "first_seen": str,
            "last_seen": str,
        },
        "pk": "id",
    },
    "listings": {
        "columns": {
            "id": str,
            "marketplace": str,
            "item_id": str,
            "url": str,
            "title": str,
            "description": str,
            "price_text": str,
            "price": float,
            "currency": str,
            "price_kind": str,
            "price_usd": float,
            "rate_date": str,
            "rate_status": str,  # ok | stale (rate > 7 days older than the day seen) | missing
            "seller_id": str,
            "location": str,
            "country": str,
            "posted_at": str,
            "image_url": str,
            "keyword": str,
            "lang": str,
            "first_seen": str,
            "last_seen": str,
            "status": str,
            "removed_at": str,
            "risk": float,
            "flagged": int,
            "explanation": str,
            "taxa": str,
            "last_crawl_id": int,
        },
        "pk": "id",
        "foreign_keys": [("marketplace", "marketplaces", "name"), ("seller_id", "sellers", "id")],
    },
    "observations": {
        "columns": {
            "listing_id": str,
            "crawl_id": int,
            "seen_at": str,
            "price": float,
            "currency": str,
            "price_usd": float,
            "title": str,
            "status": str,
        },
        "pk": ("listing_id", "crawl_id"),
        "foreign_keys": [("listing_id", "listings", "id"), ("crawl_id", "crawls", "id")],
    },
    "matches": {
        "columns": {
            "listing_id": str,
            "term_id": str,
            "field": str,
            "start": int,
            "end": int,
            "taxon_id": str,
            "kind": str,
            "matched_text": str,
        },
        "pk": ("listing_id", "term_id", "field", "start"),
        "foreign_keys": [
            ("listing_id", "listings", "id"),
            ("term_id", "terms", "id"),
            ("taxon_id", "taxa", "id"),
        ],
    },
    "contacts": {
        "columns": {"id": str, "kind": str, "normalized": str, "first_seen": str},
        "pk": "id",
    },
    "listing_contacts": {
        "columns": {"listing_id": str, "contact_id": str, "seller_id": str, "value": str},
        "pk": ("listing_id", "contact_id"),
        "foreign_keys": [("listing_id", "listings", "id"), ("contact_id", "contacts", "id")],
    },
    "evidence": {
        "columns": {
            "id": int,
            "listing_id": str,
            "crawl_id": int,
            "kind": str,
            "path": str,
            "sha256": str,
            "bytes": int,
            "captured_at": str,
            "url": str,
        },
        "pk": "id",
        "foreign_keys": [("listing_id", "listings", "id"), ("crawl_id", "crawls", "id")],
    },
    "reports": {
        "columns": {
            "id": int,
            "listing_id": str,
            "reported_at": str,
            "platform": str,
            "channel": str,
            "reference": str,
            "reported_by": str,
            "outcome": str,
            "outcome_at": str,
        },
        "pk": "id",
        "foreign_keys": [("listing_id", "listings", "id")],
    },
    "reviews": {
        "columns": {
            "id": int,
            "listing_id": str,
            "verdict": str,
            "note": str,
            "reviewer": str,
            "reviewed_at": str,
        },
        "pk": "id",
        "foreign_keys": [("listing_id", "listings", "id")],
    },
    # What render: auto learnt per marketplace and page kind (crawler.crawl.render_memory).
    "render_decisions": {
        "columns": {
            "marketplace": str,
            "page_kind": str,
            "render": str,
            "reason": str,
            "decided_at": str,
            "crawl_id": int,
        },
        "pk": ("marketplace", "page_kind"),
    },
    # Screenshots still to take of flagged listings (crawler.casework.capture): the crawl
    # queues them, the capture step after it (or `wildcrawl evidence capture`) takes them.
    # One row per listing: a listing queued again (title or price changed) is reset.
    "evidence_queue": {
        "columns": {
            "listing_id": str,
            "url": str,
            "marketplace": str,
            "item_id": str,
            "crawl_id": int,
            "queued_at": str,
            "attempts": int,
            "last_error": str,
            "done_at": str,
        },
        "pk": "listing_id",
        "foreign_keys": [("listing_id", "listings", "id"), ("crawl_id", "crawls", "id")],
    },
}

INDEXES = [
    ("listings", ["marketplace", "status"]),
    ("listings", ["flagged", "first_seen"]),
    ("listings", ["seller_id"]),
    ("observations", ["crawl_id"]),
    ("matches", ["taxon_id"]),
    ("crawls", ["marketplace", "started_at"]),
    ("evidence_queue", ["done_at"]),
    ("reviews", ["listing_id", "reviewed_at"]),
    ("reports", ["listing_id"]),
]

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


class ListingStore:
    """Writes one crawl of one marketplace: crawl row, listings, observations, sellers, matches."""

    def __init__(self, db: str | Path | sqlite_utils.Database, batch_size: int = 200):
        self.db = db if isinstance(db, sqlite_utils.Database) else open_database(db)
        ensure_schema(self.db)
        self.batch_size = batch_size
        self._pending: list[dict] = []
        self.crawl_id: int | None = None
        self.counts = {"listings_seen": 0, "listings_new": 0, "flagged": 0, "listings_removed": 0}

    # --- reference data -------------------------------------------------------

    def save_marketplace(self, row: dict) -> None:
        with self.db.conn:
            self.db["marketplaces"].upsert(row, pk="name")

    def save_lexicon(self, taxa: Iterable[dict], terms: Iterable[dict]) -> None:
        columns = {t: list(TABLES[t]["columns"]) for t in ("taxa", "terms")}
        self.save_lexicon_values(
            [_sql_row(r, columns["taxa"]) for r in taxa],
            [_sql_row(r, columns["terms"]) for r in terms],
        )

    def save_lexicon_values(self, taxa: list[tuple], terms: list[tuple]) -> None:
        """``save_lexicon`` of value tuples in ``TABLES`` column order (no dict per row)."""
        # One transaction (the connection autocommits otherwise: ~35,000 commits).
        with self.db.atomic():
            self.db.conn.executemany(_upsert_sql("taxa"), taxa)
            self.db.conn.executemany(_upsert_sql("terms"), terms)

    # --- crawls ---------------------------------------------------------------

    def start_crawl(self, marketplace: str, keywords: list[str]) -> int:
        """Open a ``running`` crawl row; earlier running rows of dead processes become interrupted."""
        self.mark_dead_crawls_interrupted()
        with self.db.conn:
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
            with self.db.conn:
                for crawl_id in dead:
                    self.db["crawls"].update(
                        crawl_id,
                        {"status": "interrupted", "message": "the crawl process ended early"},
                    )
        return len(dead)

    def finish_crawl(self, status: str, pages: int, errors: int, error_kinds: dict, message=None):
        self.flush()
        refresh_relistings(self.db)
        with self.db.conn:
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

    # --- listings ---------------------------------------------------------------

    def add(self, item: dict) -> None:
        """Queue one normalised listing item; written at the next flush."""
        self._pending.append(item)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        items, self._pending = self._pending, []
        db = self.db
        ids = [i["id"] for i in items]
        placeholders = ",".join("?" * len(ids))
        previous = {
            r[0]: r[1:]
            for r in db.execute(
                f"select id, status, removed_at, last_seen from listings where id in ({placeholders})",
                ids,
            )
        }
        existing = set(previous)
        seller_ids = [i["seller_id"] for i in items if i.get("seller_id")]
        known_sellers = set()
        if seller_ids:
            ph = ",".join("?" * len(seller_ids))
            known_sellers = {
                r[0] for r in db.execute(f"select id from sellers where id in ({ph})", seller_ids)
            }
        # One transaction per batch (the connection autocommits otherwise): a kill or a reader
        # never sees a listing without its observation, seller and matches.
        with db.atomic():
            rows, obs, matches, sellers_new, sellers_old = [], [], [], {}, {}
            jobs: dict[str, tuple] = {}  # evidence screenshots to queue
            contacts, listing_contacts = {}, []
            for item in items:
                row = {c: item.get(c) for c in LISTING_COLUMNS}
                # Status only changes on the listing's own page (crawler.store.history).
                step = history.transition(
                    *(previous.get(item["id"]) or (None, None, None)),
                    item.get("page_state"),
                    item["seen_at"],
                )
                previous[item["id"]] = (step.status, step.removed_at, step.last_seen)
                row["status"], row["removed_at"], row["last_seen"] = (
                    step.status,
                    step.removed_at,
                    step.last_seen,
                )
                self.counts["listings_removed"] += 1 if step.went_away else 0
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
                row["last_crawl_id"] = self.crawl_id
                # first_seen is written on insert only (kept by the upsert of a known listing).
                row["first_seen"] = item["seen_at"]
                rows.append(row)
                if item["id"] not in existing:
                    existing.add(item["id"])
                    self.counts["listings_new"] += 1
                self.counts["listings_seen"] += 0 if item.get("rechecked") else 1
                self.counts["flagged"] += 1 if item.get("flagged") else 0
                obs.append(
                    {
                        "listing_id": item["id"],
                        "crawl_id": self.crawl_id,
                        "seen_at": item["seen_at"],
                        "price": item.get("price"),
                        "currency": item.get("currency"),
                        "price_usd": item.get("price_usd"),
                        "title": item.get("title"),
                        "status": step.status,
                    }
                )
                for m in item.get("matches") or ():
                    matches.append({"listing_id": item["id"], **m})
                if item.get("seller_id"):
                    seller = {
                        "id": item["seller_id"],
                        "marketplace": item["marketplace"],
                        "seller_key": item.get("seller_key"),
                        "handle": item.get("seller_handle"),
                        "name": item.get("seller_name"),
                        "profile_url": item.get("seller_url"),
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
            if sellers_new:
                db["sellers"].insert_all(sellers_new.values(), pk="id", ignore=True)
            if sellers_old:
                db["sellers"].upsert_all(sellers_old.values(), pk="id")
            # One prepared statement per table per batch (executemany): new and known listings
            # in item order, so a listing seen twice in a batch ends with its last values.
            _upsert_many(db, "listings", rows, keep=("first_seen",))
            _upsert_many(db, "observations", obs)
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
                db["contacts"].insert_all(contacts.values(), pk="id", ignore=True)
            if listing_contacts:
                db["listing_contacts"].upsert_all(listing_contacts, pk=("listing_id", "contact_id"))
            if self.crawl_id is not None:
                db.execute(
                    "update crawls set "
                    + ", ".join(f"[{c}] = ?" for c in self.counts)
                    + " where id = ?",
                    [*self.counts.values(), self.crawl_id],
                )

    def _replace_matches(self, ids: list[str], matches: list[dict]) -> None:
        """Make the batch's listings' matches exactly ``matches`` (first of a duplicate key wins),
        rewriting only the listings whose matches changed: a re-crawl mostly changes none."""
        columns = list(TABLES["matches"]["columns"])
        pk_at = [columns.index(c) for c in TABLES["matches"]["pk"]]
        wanted: dict[str, dict[tuple, tuple]] = {i: {} for i in ids}
        for m in matches:
            row = _sql_row(m, columns)
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
        _insert_many_ignore(self.db, "matches", rows)

    def close(self) -> None:
        self.flush()
        self.db.close()


_PLAIN = frozenset((str, int, float, type(None), bytes))


def _sql_row(row: dict, columns: list[str]) -> tuple:
    """A row's values in ``columns`` order, JSON-encoding lists and dicts as sqlite-utils does."""
    values = tuple(map(row.get, columns))
    if _PLAIN.issuperset(map(type, values)):
        return values
    return tuple(jsonify_if_needed(v) for v in values)


def _upsert_many(
    db: sqlite_utils.Database, table: str, rows: list[dict], keep: tuple[str, ...] = ()
) -> None:
    """``INSERT ... ON CONFLICT(pk) DO UPDATE`` of every column of ``TABLES[table]`` but
    the key and ``keep`` (written on insert only), one executemany for all rows."""
    if not rows:
        return
    columns = list(TABLES[table]["columns"])
    db.conn.executemany(_upsert_sql(table, keep), [_sql_row(r, columns) for r in rows])


def _upsert_sql(table: str, keep: tuple[str, ...] = ()) -> str:
    """The upsert of ``_upsert_many``: values of every column of ``TABLES[table]``, in order."""
    columns = list(TABLES[table]["columns"])
    pk = TABLES[table]["pk"]
    pk = (pk,) if isinstance(pk, str) else pk
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c not in pk and c not in keep)
    return (
        f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT({', '.join(f'[{c}]' for c in pk)}) DO UPDATE SET {updates}"
    )


def _insert_many_ignore(db: sqlite_utils.Database, table: str, rows: list[tuple]) -> None:
    """``INSERT OR IGNORE`` of value tuples (every column of ``TABLES[table]``), one executemany."""
    if not rows:
        return
    columns = list(TABLES[table]["columns"])
    sql = (
        f"INSERT OR IGNORE INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    db.conn.executemany(sql, rows)


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
