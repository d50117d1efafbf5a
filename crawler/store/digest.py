"""``listings.digest``: a fingerprint of each listing as the store last wrote it, so a re-crawl
of an unchanged listing reads one integer instead of its row and its matches.

The store writes a listing's digest with its row (``crawler.store.batch``): 64 bits of SHA-256
of the row's values but when it was seen (``last_seen``, ``last_crawl_id``, ``first_seen``)
and of its match rows. A re-crawl computes the digest of the item; equal to the stored one,
the stored row and matches are the ones the item would write, and only the two sighting
columns are written. Different or empty, the stored row and matches are read and compared as
before, and the digest rewritten.

Anything else that changes a listing's row makes its digest empty, by a trigger (so code
that does not go through the store, such as the model loop's scores or a hand edit in SQL,
is covered too): an UPDATE of any column but the sighting ones that does not also set the
digest. Match rows are written by the store alone (``tests/test_store_batch.py`` checks
that no other module writes them): a trigger on ``matches`` would have to name
``listings.digest``, and the release, which drops that column, could then no longer write
``matches``. The store writes a batch's matches before its listing rows and digests.

SHA-256 rather than BLAKE2: CPUs with SHA extensions (this project's machine: sha_ni)
compute it in ~1.5 µs a KB against BLAKE2b's ~2.2 (a listing and its matches are ~1 KB).
"""

from __future__ import annotations

import marshal
from hashlib import sha256

import sqlite_utils

from crawler.store.tables import TABLES

# Written by every sighting, or by the store alone: not part of what the digest stands for.
SIGHTING = ("last_seen", "last_crawl_id", "first_seen", "digest")


def digest(values: tuple, matches: tuple) -> int | None:
    """The signed 64-bit fingerprint of a row's ``values`` and its ``matches`` (value tuples),
    as the item has them (a list is JSON text once written: one value, one text).

    marshal version 2 encodes by value (no back-references to repeated objects); a string
    that is interned in one process and not in another encodes differently, which costs that
    listing one full comparison, never a missed change.
    """
    try:
        data = marshal.dumps((values, matches), 2)
    except ValueError:  # a value marshal cannot encode: no digest, the row is compared
        return None
    return int.from_bytes(sha256(data).digest()[:8], "big", signed=True)


def _columns() -> list[str]:
    return [c for c in TABLES["listings"]["columns"] if c not in SIGHTING]


def trigger_sql() -> dict[str, str]:
    """The trigger that empties a digest, by name."""
    columns = ", ".join(f'"{c}"' for c in _columns())
    return {
        "listings_digest_stale": (
            f'CREATE TRIGGER "listings_digest_stale" AFTER UPDATE OF {columns} ON "listings"\n'
            "WHEN old.digest IS NOT NULL AND new.digest IS old.digest BEGIN\n"
            "  UPDATE listings SET digest = NULL WHERE rowid = new.rowid;\nEND"
        ),
    }


def ensure_digest_triggers(db: sqlite_utils.Database) -> None:
    """Create the trigger, or replace it when its SQL is not today's (a column added since
    changes its column list), emptying every digest then; drop a trigger that names the
    digest and is not one of today's (a database from another version). Idempotent."""
    sql = "select name, sql from sqlite_master where type = 'trigger'"
    have = {name: text for name, text in db.execute(sql).fetchall() if "digest" in text}
    want = trigger_sql()
    stale = {name: text for name, text in want.items() if have.get(name) != text}
    gone = [name for name in have if name not in want]
    if not stale and not gone:
        return
    with db.conn:
        for name in (*gone, *stale):
            db.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        for text in stale.values():
            db.execute(text)
        db.execute("UPDATE listings SET digest = NULL WHERE digest IS NOT NULL")
