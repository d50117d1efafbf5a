"""One batch of listing items written by ``ListingStore``: rows built once per item, the
writes as a few statements per table (the store's hot path).

Per item, only what cannot be done per batch: the listing's row, its status step, its
observation and match rows. Everything else is per batch: the stored rows are read in one
query, a seller seen on several listings is written once, a known listing whose stored
values are the same but for when it was seen gets one UPDATE of those two columns with the
others of its batch, new listings are inserted by one statement.
"""

from __future__ import annotations

from itertools import chain

import sqlite_utils

from crawler.store import history
from crawler.store.locking import guard_price
from crawler.store.tables import TABLES
from crawler.store.upserts import (
    PLAIN,
    insert_many_ignore,
    insert_staged,
    plain_row,
    update_given,
    update_staged,
    upsert_sql,
)

# A listing row's values in this order: the columns a re-crawl usually leaves alone, then
# status and removed_at (from the status step), then what every sighting changes, then
# first_seen (written on insert only). Comparing a row with the stored one is then one
# comparison of two tuple slices.
_WHEN = ("status", "removed_at", "last_seen", "last_crawl_id", "first_seen")
_FROM_ITEM = [c for c in TABLES["listings"]["columns"] if c not in _WHEN]
ORDER = (*_FROM_ITEM, *_WHEN)
_SAME = len(ORDER) - 3  # row[:_SAME] equal to the stored row's: only the sighting changed
_KEEP = len(ORDER) - 1  # first_seen
_SELLER = ("marketplace", "seller_key", "handle", "name", "profile_url", "location")
_SELLER_ITEM = (
    "marketplace",
    "seller_key",
    "seller_handle",
    "seller_name",
    "seller_url",
    "seller_location",
)
_PRICE, _CUR, _USD, _TITLE = map(ORDER.index, ("price", "currency", "price_usd", "title"))
_MATCH_COLUMNS = list(TABLES["matches"]["columns"])[1:]  # after listing_id
_GONE = frozenset(history.GONE)


def stored_listings(db: sqlite_utils.Database, ids: list[str]) -> dict[str, tuple]:
    """The stored rows of ``ids``, as tuples in ``ORDER``."""
    if not ids:
        return {}
    sql = (
        f"select {', '.join(f'[{c}]' for c in ORDER)} from listings "
        f"where id in ({','.join('?' * len(ids))})"
    )
    return {row[0]: row for row in db.conn.execute(sql, ids)}


def write_batch(db: sqlite_utils.Database, items: list[dict], crawl_id, counts: dict) -> dict:
    """Write ``items`` inside the caller's transaction; return the crawl's new counts.

    A kill or a reader never sees a listing without its observation, seller and matches: it
    is all one transaction (the caller's).
    """
    counts = dict(counts)
    ids = [i["id"] for i in items]
    stored = stored_listings(db, ids)
    previous = {k: r[_SAME - 2 : _SAME + 1] for k, r in stored.items()}  # status..last_seen
    existing = set(stored)
    rows, obs, found, jobs, sellers, contacts, listing_contacts = [], [], {}, {}, {}, {}, []
    went_away = flagged = seen = 0
    for item in items:
        item = guard_price(item)
        get = item.get
        key, seen_at = item["id"], item["seen_at"]
        if get("page_state") in _GONE:  # status only changes on the listing's own page
            before = previous.get(key, (None, None, None))
            step = history.transition(*before, item["page_state"], seen_at)
            status, removed_at, last_seen = step.status, step.removed_at, step.last_seen
            went_away += step.went_away
        else:
            status, removed_at, last_seen = history.ACTIVE, None, seen_at
        previous[key] = (status, removed_at, last_seen)
        row = (*map(get, _FROM_ITEM), status, removed_at, last_seen, crawl_id, seen_at)
        if not PLAIN.issuperset(map(type, row)):
            row = plain_row(row)
        rows.append(row)
        obs.append((key, crawl_id, seen_at, row[_PRICE], row[_CUR], row[_USD], row[_TITLE], status))
        found[key] = get("matches")  # a listing twice in the batch: its last sighting's
        if get("evidence_job"):
            job = item["evidence_job"]
            jobs[key] = (key, job["url"], *row[1:3], crawl_id, job["queued_at"])
        if get("seller_id"):
            sellers[item["seller_id"]] = item
        for c in get("contacts") or ():
            contacts.setdefault(c["id"], (c["id"], c["kind"], c["normalized"], seen_at))
            listing_contacts.append((key, c["id"], get("seller_id"), c["value"]))
        flagged += 1 if get("flagged") else 0
        seen += 0 if get("rechecked") else 1
    new = [k for k in dict.fromkeys(ids) if k not in existing]
    counts["listings_new"] += len(new)
    counts["listings_seen"] += seen
    counts["flagged"] += flagged
    counts["listings_removed"] += went_away
    _write_sellers(db, sellers)
    _write_listings(db, rows, stored)
    db.conn.executemany(_OBSERVATION_UPSERT, obs)
    matches = [(k, *map(m.get, _MATCH_COLUMNS)) for k, ms in found.items() if ms for m in ms]
    if matches and not PLAIN.issuperset(map(type, chain.from_iterable(matches))):
        matches = [plain_row(m) for m in matches]
    replace_matches(db, ids, matches)
    if jobs:
        # Queued again (title or price changed): a fresh job, attempts reset.
        db.conn.executemany(_EVIDENCE_UPSERT, list(jobs.values()))
    if contacts:
        insert_many_ignore(db, "contacts", [plain_row(c) for c in contacts.values()])
    if listing_contacts:
        db.conn.executemany(
            upsert_sql("listing_contacts"), [plain_row(r) for r in listing_contacts]
        )
    if crawl_id is not None:
        db.conn.execute(
            "update crawls set " + ", ".join(f"[{c}] = ?" for c in counts) + " where id = ?",
            [*counts.values(), crawl_id],
        )
    return counts


_OBSERVATION_UPSERT = upsert_sql("observations")
_EVIDENCE_UPSERT = (
    "insert into evidence_queue (listing_id, url, marketplace, item_id, crawl_id, queued_at,"
    " attempts, last_error, done_at) values (?, ?, ?, ?, ?, ?, 0, null, null)"
    " on conflict(listing_id) do update set url = excluded.url, crawl_id = excluded.crawl_id,"
    " queued_at = excluded.queued_at, attempts = 0, last_error = null, done_at = null"
)
_FTS_COLUMNS = frozenset(ORDER.index(c) for c in ("title", "description"))


def _write_listings(db: sqlite_utils.Database, rows: list[tuple], stored: dict) -> None:
    """The end state of an upsert of ``rows`` in order (first_seen kept), writing less: a new
    listing is inserted; a known one gets an UPDATE of only the columns whose value changed
    (indexes and the full-text trigger on the others are not touched); an unchanged one is
    not written."""
    final: dict[str, tuple] = {}
    for row in rows:
        first = final.get(row[0])
        if first is not None:  # twice in the batch: the last values, the first first_seen
            row = (*row[:_KEEP], first[_KEEP])
        final[row[0]] = row
    new, sighted, changed = [], {}, {}
    for key, row in final.items():
        old = stored.get(key)
        if old is None:
            new.append(row)
        elif row[:_SAME] == old[:_SAME]:
            if row[_SAME:_KEEP] != old[_SAME:_KEEP]:
                sighted.setdefault(row[_SAME:_KEEP], []).append(key)
        else:
            columns = tuple(i for i in range(1, _KEEP) if row[i] != old[i])
            changed.setdefault(columns, []).append(row)
    for (last_seen, crawl_id), keys in sighted.items():
        for at in range(0, len(keys), 10_000):
            chunk = keys[at : at + 10_000]
            db.conn.execute(
                "update listings set last_seen = ?, last_crawl_id = ? "
                f"where id in ({','.join('?' * len(chunk))})",
                [last_seen, crawl_id, *chunk],
            )
    for columns, group in changed.items():
        names = [ORDER[i] for i in columns]
        if _FTS_COLUMNS.isdisjoint(columns):
            sets = ", ".join(f"[{c}] = ?" for c in names)
            db.conn.executemany(
                f"update listings set {sets} where id = ?",
                [(*(row[i] for i in columns), row[0]) for row in group],
            )
        else:  # one statement, so the full-text index is written out once
            update_staged(db, "listings", ORDER, names, group)
    if new:
        insert_staged(db, "listings", ORDER, new, keep=("first_seen",))


def _write_sellers(db: sqlite_utils.Database, sellers: dict[str, dict]) -> None:
    """Each seller once (the values of its last listing in the batch): a new one is inserted;
    a known one gets the values seen, keeping the stored ones of fields a page did not give."""
    if not sellers:
        return
    ids = list(sellers)
    known = {
        r[0]
        for r in db.conn.execute(
            f"select id from sellers where id in ({','.join('?' * len(ids))})", ids
        )
    }
    new, old = [], []
    for key, item in sellers.items():
        values = (*map(item.get, _SELLER_ITEM), item["seen_at"])
        if key in known:
            old.append(
                {"id": key, **{c: v for c, v in zip(_SELLER_COLUMNS, values) if v is not None}}
            )
        else:
            new.append(plain_row((key, *values[:-1], item["seen_at"], item["seen_at"])))
    insert_many_ignore(db, "sellers", new)
    update_given(db, "sellers", old)


_SELLER_COLUMNS = (*_SELLER, "last_seen")


def replace_matches(db: sqlite_utils.Database, ids: list[str], matches: list[tuple]) -> None:
    """Make the listings' matches exactly ``matches`` (first of a duplicate key wins),
    rewriting only the listings whose matches changed: a re-crawl mostly changes none.

    Every row starts with its listing's id, so the listings whose stored matches differ from
    the wanted ones are those of the rows in one set and not the other: one set operation for
    the batch, nothing per listing when nothing changed."""
    if len({row[:4] for row in matches}) != len(matches):  # the key's 4 columns
        matches = list({row[:4]: row for row in reversed(matches)}.values())[::-1]
    wanted = set(matches)
    stored = set(db.conn.execute(_SELECT_MATCHES.format(",".join("?" * len(ids))), ids))
    changed = {row[0] for row in stored.symmetric_difference(wanted)}
    if not changed:
        return
    stale = [i for i in dict.fromkeys(ids) if i in changed]
    db.conn.execute(
        f"delete from matches where listing_id in ({','.join('?' * len(stale))})", stale
    )
    insert_many_ignore(db, "matches", [row for row in matches if row[0] in changed])


_SELECT_MATCHES = (
    f"select {', '.join(f'[{c}]' for c in TABLES['matches']['columns'])} from matches "
    "where listing_id in ({})"
)
