"""One batch of listing items written by ``ListingStore``: rows built once per item, the
writes as a few statements per table (the store's hot path).

Per item, only what cannot be done per batch: the listing's row, its status step, its
observation and match rows, its digest. Everything else is per batch: the stored digests
are read in one query (``crawler.store.digest``), a seller seen on several listings is
written once, a known listing whose digest is unchanged gets one UPDATE of when it was seen
with the others of its batch, only the listings whose digest differs have their stored rows
and matches read and compared, new listings are inserted by one statement.
"""

from __future__ import annotations

from itertools import chain
from operator import itemgetter

import sqlite_utils

from crawler.store import history
from crawler.store.digest import digest
from crawler.store.locking import guard_price
from crawler.store.tables import TABLES
from crawler.store.upserts import (
    PLAIN,
    insert_many_ignore,
    insert_values,
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
_FROM_ITEM = [c for c in TABLES["listings"]["columns"] if c not in (*_WHEN, "digest")]
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
_MATCH_GET = itemgetter(*_MATCH_COLUMNS)
_WRITTEN = (*ORDER, "digest")  # a row as inserted: its values and its digest
_NONE = (None, None)  # (digest, rowid) of a listing not stored
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


def stored_digests(db: sqlite_utils.Database, ids: list[str]) -> dict[str, tuple]:
    """(digest, rowid) of each of ``ids`` that is stored (digest None where it was emptied)."""
    if not ids:
        return {}
    sql = f"select id, digest, rowid from listings where id in ({','.join('?' * len(ids))})"
    return {key: (mark, rowid) for key, mark, rowid in db.conn.execute(sql, ids)}


def write_batch(db: sqlite_utils.Database, items: list[dict], crawl_id, counts: dict) -> dict:
    """Write ``items`` inside the caller's transaction; return the crawl's new counts.

    A kill or a reader never sees a listing without its observation, seller and matches: it
    is all one transaction (the caller's).
    """
    counts = dict(counts)
    ids = [i["id"] for i in items]
    known = stored_digests(db, ids)
    gone = {i["id"] for i in items if i.get("page_state") in _GONE}
    previous = {  # status, removed_at, last_seen: the status step of a listing gone
        k: r[_SAME - 2 : _SAME + 1]
        for k, r in stored_listings(db, [k for k in gone if k in known]).items()
    }
    rows, obs, found, digests, jobs, sellers, contacts = [], [], {}, {}, {}, {}, {}
    listing_contacts = []
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
        if key in gone:  # the step the listing's next sighting in the batch starts from
            previous[key] = (status, removed_at, last_seen)
        # Values as the item has them: made bindable (lists as JSON) only where written.
        values = (*map(get, _FROM_ITEM), status, removed_at)
        row = values + (last_seen, crawl_id, seen_at)
        rows.append(row)
        obs.append((key, crawl_id, seen_at, row[_PRICE], row[_CUR], row[_USD], row[_TITLE], status))
        # A listing twice in the batch: its last sighting's matches, and digest.
        matches = get("matches")
        found[key] = matches = _match_values(matches) if matches else ()
        digests[key] = digest(values, matches)
        if get("evidence_job"):
            job = item["evidence_job"]
            jobs[key] = plain_row((key, job["url"], *row[1:3], crawl_id, job["queued_at"]))
        seller = get("seller_id")
        if seller:
            sellers[seller] = item
        for c in get("contacts") or ():
            contacts.setdefault(c["id"], (c["id"], c["kind"], c["normalized"], seen_at))
            listing_contacts.append((key, c["id"], seller, c["value"]))
        if get("flagged"):
            flagged += 1
        if not get("rechecked"):
            seen += 1
    new = [k for k in dict.fromkeys(ids) if k not in known]
    counts["listings_new"] += len(new)
    counts["listings_seen"] += seen
    counts["flagged"] += flagged
    counts["listings_removed"] += went_away
    _write_sellers(db, sellers)
    final = _final_rows(ids, rows)
    # The listings whose stored row or matches may differ: new, or a digest not theirs.
    check = [k for k in final if digests[k] is None or known.get(k, _NONE)[0] != digests[k]]
    replace_matches(db, check, _bindable([(k, *m) for k in check for m in found[k]]))
    stored = stored_listings(db, [k for k in check if k in known])
    _write_listings(db, final, digests, known, stored)
    insert_values(db, "observations", _OBSERVATION_COLUMNS, _bindable(obs))
    if jobs:
        # Queued again (title or price changed): a fresh job, attempts reset.
        db.conn.executemany(_EVIDENCE_UPSERT, list(jobs.values()))
    if contacts:
        insert_many_ignore(db, "contacts", _bindable(list(contacts.values())))
    if listing_contacts:
        db.conn.executemany(_LISTING_CONTACT_UPSERT, _bindable(listing_contacts))
    if crawl_id is not None:
        db.conn.execute(
            "update crawls set " + ", ".join(f"[{c}] = ?" for c in counts) + " where id = ?",
            [*counts.values(), crawl_id],
        )
    return counts


_OBSERVATION_COLUMNS = tuple(TABLES["observations"]["columns"])
_MATCHES = tuple(TABLES["matches"]["columns"])
# A row the same as the stored one is not rewritten (a re-crawl mostly finds the same).
_LISTING_CONTACT_UPSERT = (
    upsert_sql("listing_contacts")
    + " WHERE [seller_id] IS NOT excluded.[seller_id] OR [value] IS NOT excluded.[value]"
)
_EVIDENCE_UPSERT = (
    "insert into evidence_queue (listing_id, url, marketplace, item_id, crawl_id, queued_at,"
    " attempts, last_error, done_at) values (?, ?, ?, ?, ?, ?, 0, null, null)"
    " on conflict(listing_id) do update set url = excluded.url, crawl_id = excluded.crawl_id,"
    " queued_at = excluded.queued_at, attempts = 0, last_error = null, done_at = null"
)
_FTS_COLUMNS = frozenset(ORDER.index(c) for c in ("title", "description"))


def _bindable(rows: list[tuple]) -> list[tuple]:
    """``rows`` with lists and dicts as JSON (``plain_row``), checked in one pass."""
    if PLAIN.issuperset(map(type, chain.from_iterable(rows))):
        return rows
    return [plain_row(r) for r in rows]


def _match_values(matches: list[dict]) -> tuple:
    """One listing's ``matches`` as tuples of ``_MATCH_COLUMNS`` (a missing one None)."""
    try:
        return tuple(map(_MATCH_GET, matches))
    except KeyError:
        return tuple(tuple(map(m.get, _MATCH_COLUMNS)) for m in matches)


def _final_rows(ids: list[str], rows: list[tuple]) -> dict[str, tuple]:
    """Each listing's row after the batch: a listing twice in it keeps its last values and its
    first first_seen."""
    final = dict(zip(ids, rows))
    if len(final) == len(rows):  # no listing twice: nothing to merge
        return final
    final = {}
    for row in rows:
        first = final.get(row[0])
        if first is not None:
            row = (*row[:_KEEP], first[_KEEP])
        final[row[0]] = row
    return final


def _write_listings(
    db: sqlite_utils.Database, final: dict, digests: dict, known: dict, stored: dict
) -> None:
    """The end state of an upsert of the ``final`` rows (first_seen kept), writing less: a new
    listing is inserted; a known one whose digest is its stored one gets an UPDATE of when it
    was seen; another known one an UPDATE of only the columns whose value changed (indexes and
    the full-text trigger on the others are not touched) and of its digest."""
    new, sighted, changed = [], {}, {}
    for key, row in final.items():
        mark = digests[key]
        if key not in known:
            new.append((*row, mark))
        elif mark is not None and known[key][0] == mark:
            sighted.setdefault(row[_SAME:_KEEP], []).append(known[key][1])
        else:
            old, row = stored[key], plain_row((*row, mark))
            columns = tuple(i for i in range(1, _KEEP) if row[i] != old[i])
            changed.setdefault(columns, []).append(row)
    for (last_seen, crawl_id), rowids in sighted.items():
        for at in range(0, len(rowids), 10_000):
            chunk = rowids[at : at + 10_000]
            db.conn.execute(
                "update listings set last_seen = ?, last_crawl_id = ? "
                f"where rowid in ({','.join('?' * len(chunk))})",
                [last_seen, crawl_id, *chunk],
            )
    for columns, group in changed.items():
        names = [ORDER[i] for i in columns]
        if _FTS_COLUMNS.isdisjoint(columns):
            sets = ", ".join(f"[{c}] = ?" for c in (*names, "digest"))
            db.conn.executemany(
                f"update listings set {sets} where id = ?",
                [(*(row[i] for i in columns), row[-1], row[0]) for row in group],
            )
        else:  # one statement, so the full-text index is written out once
            update_staged(db, "listings", _WRITTEN, [*names, "digest"], group)
    if new:
        insert_values(db, "listings", _WRITTEN, _bindable(new), keep=("first_seen",))


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
    if not ids:
        return
    stored = set(db.conn.execute(_SELECT_MATCHES.format(",".join("?" * len(ids))), ids))
    if not stored:  # new listings: INSERT OR IGNORE keeps the first of a duplicate key
        insert_values(db, "matches", _MATCHES, matches, ignore=True)
        return
    if len({row[:4] for row in matches}) != len(matches):  # the key's 4 columns
        matches = list({row[:4]: row for row in reversed(matches)}.values())[::-1]
    wanted = set(matches)
    changed = {row[0] for row in stored.symmetric_difference(wanted)}
    if not changed:
        return
    stale = [i for i in dict.fromkeys(ids) if i in changed]
    db.conn.execute(
        f"delete from matches where listing_id in ({','.join('?' * len(stale))})", stale
    )
    insert_values(
        db, "matches", _MATCHES, [row for row in matches if row[0] in changed], ignore=True
    )


_SELECT_MATCHES = (
    f"select {', '.join(f'[{c}]' for c in TABLES['matches']['columns'])} from matches "
    "where listing_id in ({})"
)
