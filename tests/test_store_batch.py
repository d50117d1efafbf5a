"""One batch of the store (``crawler.store.batch``): the end state of a per-row upsert, written
with a few statements per table, and a full-text index that always matches the listings."""

from __future__ import annotations

import random
import re
import sqlite3
from pathlib import Path

from crawler.store.database import ListingStore
from tests.conftest import ROOT

T1, T2, T3 = "2026-11-01T10:00:00Z", "2026-11-02T10:00:00Z", "2026-11-03T10:00:00Z"
TITLES = ["Carved ivory bangle", "Pangolin scale medicine", "Rhino horn cup", "象牙手镯 雕刻"]


def _item(n: int, seen_at: str, title: str | None = None, **extra) -> dict:
    title = title or TITLES[n % len(TITLES)]
    matches = [
        {
            "term_id": "en:product:ivory",
            "field": "title",
            "start": 7,
            "end": 12,
            "taxon_id": "Elephantidae",
            "kind": "product",
            "matched_text": title[7:12],
        }
    ]
    return {
        "id": f"m:{n}",
        "marketplace": "m",
        "item_id": str(n),
        "url": f"http://m/{n}",
        "title": title,
        "description": f"Listing {n}, real and old",
        "price": 10.0 + n,
        "currency": "EUR",
        "seen_at": seen_at,
        "seller_id": f"m:s{n % 3}",
        "seller_key": f"s{n % 3}",
        "seller_name": f"Seller {n % 3}",
        "matches": matches,
        "contacts": [
            {"id": f"wechat:v{n % 2}", "kind": "wechat", "normalized": f"v{n % 2}", "value": "VX"}
        ],
        "flagged": n % 2,
        **extra,
    }


def _crawl(store: ListingStore, items: list[dict]) -> None:
    store.start_crawl("m", ["ivory"])
    for item in items:
        store.add(dict(item))
    assert store.finish_crawl("finished", 1, 0, {}) == "finished"


def _tables(db) -> dict:
    """Every stored row that a batch writes (the crawl rows' times aside)."""
    out = {}
    for table in ("listings", "observations", "matches", "sellers", "contacts"):
        out[table] = sorted(map(tuple, db.execute(f"select * from [{table}]").fetchall()), key=str)
    out["listing_contacts"] = sorted(db.execute("select * from listing_contacts").fetchall())
    out["rowids"] = db.execute("select rowid, id from listings order by rowid").fetchall()
    out["crawls"] = db.execute(
        "select listings_seen, listings_new, listings_removed, flagged from crawls order by id"
    ).fetchall()
    return out


def assert_fts_complete(db) -> None:
    """``listings_fts`` holds exactly the terms of the listings' current titles and
    descriptions: its index equals one built afresh from the table."""
    conn = db.conn
    conn.execute("create virtual table temp.v_have using fts5vocab(main, listings_fts, instance)")
    have = conn.execute("select * from temp.v_have order by 1, 2, 3, 4").fetchall()
    conn.execute("drop table temp.v_have")
    fresh = sqlite3.connect(":memory:")
    fresh.execute("create virtual table f using fts5(title, description, tokenize='trigram')")
    fresh.executemany(
        "insert into f (rowid, title, description) values (?, ?, ?)",
        conn.execute("select rowid, title, description from listings"),
    )
    fresh.execute("create virtual table v using fts5vocab(f, instance)")
    want = fresh.execute("select * from v order by 1, 2, 3, 4").fetchall()
    assert have == want
    assert want  # the check compared something


def assert_words_complete(db) -> None:
    """The internal instance's word index (``crawler.store.word_index``) holds every listing's
    current title and description, and nothing else."""
    words = db.execute("select rowid, title, description from listings_words order by 1")
    assert (
        words.fetchall()
        == db.execute("select rowid, title, description from listings order by 1").fetchall()
    )
    cjk = db.execute("select rowid from listings_words where listings_words match ?", ["象牙"])
    assert {r[0] for r in cjk} == {
        r[0] for r in db.execute("select rowid from listings where title like '%象牙%'")
    }


def _search(db, text: str) -> set[str]:
    return {
        r[0]
        for r in db.execute(
            "select l.id from listings_fts f join listings l on l.rowid = f.rowid "
            "where listings_fts match ?",
            [f'"{text}"'],
        )
    }


def test_any_batch_size_gives_the_same_store(tmp_path: Path):
    """Listings seen twice in one batch, changed titles, prices and matches, listings gone and
    back, sellers shared by listings: batches of 1, 7 and 1,000 end in the same rows (a
    listing seen twice in a batch kept its first sighting's matches beside its last title)."""
    rng = random.Random(26)
    crawls = []
    for day in (T1, T2, T3):
        items = []
        for _ in range(120):
            n = rng.randrange(40)
            extra = {}
            if rng.random() < 0.2:
                extra["title"] = f"{rng.choice(TITLES)} no. {rng.randrange(5)}"
            if rng.random() < 0.1:
                extra["page_state"] = rng.choice(["removed", "sold"])
            if rng.random() < 0.1:
                extra["seller_name"] = None  # a page without the seller's name
            if rng.random() < 0.1:
                extra["matches"] = []
            items.append(_item(n, day, **extra))
        crawls.append(items)
    states = []
    for size in (1, 7, 1000):
        store = ListingStore(tmp_path / f"b{size}.db", batch_size=size)
        store.save_marketplace({"name": "m", "title": "M"})
        for items in crawls:
            _crawl(store, items)
        assert_fts_complete(store.db)
        assert_words_complete(store.db)
        states.append(_tables(store.db))
    assert states[0] == states[1] == states[2]
    assert states[0]["crawls"][0][1] == len({i["id"] for i in crawls[0]})


def test_a_listing_twice_in_one_batch_keeps_its_first_sighting_and_last_values(tmp_path):
    store = ListingStore(tmp_path / "w.db", batch_size=100)
    store.save_marketplace({"name": "m", "title": "M"})
    _crawl(store, [_item(1, T1, "Carved ivory bangle"), _item(1, T2, "Ivory netsuke pair")])
    row = store.db["listings"].get("m:1")
    assert (row["first_seen"], row["last_seen"], row["title"]) == (T1, T2, "Ivory netsuke pair")
    assert store.db.execute("select title from observations").fetchall() == [
        ("Ivory netsuke pair",)
    ]
    assert _search(store.db, "netsuke") == {"m:1"} and _search(store.db, "bangle") == set()
    assert store.db["crawls"].get(store.crawl_id)["listings_new"] == 1
    assert_fts_complete(store.db)


def test_a_recrawl_reindexes_changed_titles_and_rewrites_only_changed_matches(tmp_path):
    store = ListingStore(tmp_path / "w.db", batch_size=50)
    store.save_marketplace({"name": "m", "title": "M"})
    _crawl(store, [_item(n, T1) for n in range(100)])
    before = dict(store.db.execute("select listing_id, rowid from matches").fetchall())
    again = [_item(n, T2) for n in range(100)]
    for n in range(0, 100, 10):
        again[n] = _item(n, T2, f"Tiger claw amulet {n}")
        again[n]["matches"][0]["matched_text"] = "claw "
    _crawl(store, again)
    after = dict(store.db.execute("select listing_id, rowid from matches").fetchall())
    rewritten = {k for k in after if after[k] != before[k]}
    assert rewritten == {f"m:{n}" for n in range(0, 100, 10)}
    assert _search(store.db, "tiger claw") == rewritten
    assert store.db.execute("select count(*) from listings where last_seen = ?", [T2]).fetchone()
    assert store.db.execute("select count(*) from observations").fetchone()[0] == 200
    assert_fts_complete(store.db)
    store.db.execute("delete from listings where id = 'm:3'")  # as a purge would
    _crawl(store, [_item(n, T3) for n in range(4, 100)])
    assert_fts_complete(store.db)
    assert_words_complete(store.db)


def test_a_known_seller_keeps_what_a_page_did_not_give(tmp_path):
    store = ListingStore(tmp_path / "w.db")
    store.save_marketplace({"name": "m", "title": "M"})
    _crawl(store, [_item(3, T1, seller_location="Berlin")])
    _crawl(store, [_item(3, T2, seller_name=None)])
    seller = store.db["sellers"].get("m:s0")
    assert (seller["name"], seller["location"]) == ("Seller 0", "Berlin")
    assert (seller["first_seen"], seller["last_seen"]) == (T1, T2)


def test_a_batch_writes_the_full_text_index_out_once(tmp_path):
    """Each execution of a statement that fires the full-text trigger makes FTS5 write out its
    pending terms (a statement savepoint): a batch of 200 listings inserted row by row wrote
    200 one-listing trigram segments and merged them (625 block writes; ~80 µs a listing in
    SQLite), where one statement writes the batch's terms once."""
    store = ListingStore(tmp_path / "w.db", batch_size=200)
    store.save_marketplace({"name": "m", "title": "M"})
    store.start_crawl("m", ["ivory"])
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    for n in range(200):
        store.add(_item(n, T1))
    store.db.conn.set_trace_callback(None)
    blocks = [s for s in statements if "'listings_fts_data'(id, block)" in s]
    assert 0 < len(blocks) < 50
    assert store.db["listings"].count == 200
    assert_fts_complete(store.db)


def test_the_full_text_index_is_complete_after_a_crawl_killed_mid_batch(tmp_path):
    """A batch is one transaction: a process that dies inside it leaves the listings and the
    index as they were before it, and the next crawl indexes everything."""
    path = tmp_path / "w.db"
    store = ListingStore(path, batch_size=10)
    store.save_marketplace({"name": "m", "title": "M"})
    store.start_crawl("m", ["ivory"])
    for n in range(25):
        store.add(_item(n, T1))
    store.db.conn.execute("BEGIN IMMEDIATE")  # a batch under way when the process dies
    store.db.conn.execute("insert into listings (id, title) values ('m:x', 'Ivory half-written')")
    store.db.conn.close()  # the transaction is lost, as in a kill -9
    reopened = sqlite3.connect(path)
    assert reopened.execute("select count(*) from listings").fetchone()[0] == 20
    reopened.close()
    store = ListingStore(path, batch_size=10)
    _crawl(store, [_item(n, T2) for n in range(30)])
    assert store.db["listings"].count == 30
    assert_fts_complete(store.db)


# --- the digest (crawler.store.digest): a re-crawl of an unchanged listing reads no row ---


def _state(db, drop=("digest",)) -> dict:
    """``_tables`` without the digests (bookkeeping, not data) and ``drop``'s other columns."""
    out = _tables(db)
    names = [c[1] for c in db.execute("pragma table_info(listings)")]
    keep = [i for i, c in enumerate(names) if c not in drop]
    out["listings"] = [tuple(r[i] for i in keep) for r in out["listings"]]
    return out


def test_a_recrawl_of_unchanged_listings_writes_only_when_they_were_seen(tmp_path):
    """The fast path is taken: no stored row or match is read, no match written, the only
    listings UPDATE sets last_seen and last_crawl_id."""
    store = ListingStore(tmp_path / "w.db", batch_size=50)
    store.save_marketplace({"name": "m", "title": "M"})
    _crawl(store, [_item(n, T1) for n in range(100)])
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    _crawl(store, [_item(n, T2) for n in range(100)])
    store.db.conn.set_trace_callback(None)
    assert not [s for s in statements if "matches" in s.lower()]
    updates = [s for s in statements if s.lower().startswith("update listings")]
    assert updates and all(s.lower().startswith("update listings set last_seen") for s in updates)
    assert [s for s in statements if s.lower().startswith("select id, digest")]
    assert store.db.execute("select count(*) from listings where last_seen = ?", [T2]).fetchone()
    assert store.db.execute("select count(*) from listings where digest is null").fetchone() == (0,)


def test_a_changed_field_or_match_and_its_return_are_both_written(tmp_path):
    """A digest not rewritten with a change would make the return to the old values look
    unchanged (the stored digest still theirs): the price and the matches would stay."""
    store = ListingStore(tmp_path / "w.db", batch_size=10)
    store.save_marketplace({"name": "m", "title": "M"})
    _crawl(store, [_item(n, T1) for n in range(20)])
    before = _state(store.db, drop=("digest", "last_crawl_id"))
    changed = [_item(n, T2) for n in range(20)]
    changed[3]["price"] = 99.0
    changed[4]["matches"] = changed[4]["matches"] + [
        {**changed[4]["matches"][0], "start": 0, "end": 6, "matched_text": "Carved"}
    ]
    changed[5]["matches"] = []
    _crawl(store, changed)
    assert store.db["listings"].get("m:3")["price"] == 99.0
    four = store.db.execute("select count(*) from matches where listing_id = 'm:4'").fetchone()
    assert four == (2,)
    assert not store.db.execute("select * from matches where listing_id = 'm:5'").fetchall()
    _crawl(store, [_item(n, T1) for n in range(20)])  # the first crawl's values again
    after = _state(store.db, drop=("digest", "last_crawl_id"))
    assert after["listings"] == before["listings"]
    assert after["matches"] == before["matches"]


def test_other_writers_empty_the_digest_and_the_next_crawl_rewrites_the_listing(tmp_path):
    """Code that does not go through the store (the model loop's scores, a hand edit) empties
    the digest by trigger: the next crawl compares and writes the crawl's values back, as a
    comparison of every row would. A sighting alone keeps it."""
    store = ListingStore(tmp_path / "w.db", batch_size=10)
    store.save_marketplace({"name": "m", "title": "M"})
    items = [_item(n, T1, risk=0.9) for n in range(10)]
    _crawl(store, items)
    before = _state(store.db, drop=("digest", "last_crawl_id"))
    with store.db.conn:
        store.db.execute("update listings set risk = 0.1, explanation = 'model' where id = 'm:1'")
        store.db.execute("update listings set status = 'sold' where id = 'm:2'")
        store.db.execute("update listings set last_seen = 'x' where id = 'm:5'")  # a sighting
    emptied = store.db.execute("select id from listings where digest is null order by id")
    assert [r[0] for r in emptied] == ["m:1", "m:2"]
    _crawl(store, [dict(i, seen_at=T1) for i in items])
    after = _state(store.db, drop=("digest", "last_crawl_id"))
    assert after["listings"] == before["listings"]
    assert store.db.execute("select count(*) from listings where digest is null").fetchone() == (0,)


_WRITES_MATCHES = re.compile(
    r"(insert\s+(or\s+\w+\s+)?into|replace\s+into|update|delete\s+from)\s+[\[\"']?matches\b"
    r"|\[[\"']matches[\"']\]\.(insert|upsert|update|delete)",
    re.IGNORECASE,
)


def test_only_the_store_writes_matches():
    """A digest stands for a listing's matches too, and nothing but the store empties it when
    they change (crawler.store.digest): a module outside the store writing match rows would
    leave re-crawls skipping listings whose matches it changed. (The release rewrites its
    own copy of the database.)"""
    writers = []
    for path in sorted((ROOT / "crawler").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("crawler/store/", "crawler/publish/")):
            continue
        if _WRITES_MATCHES.search(path.read_text(encoding="utf-8")):
            writers.append(relative)
    assert writers == []
    assert _WRITES_MATCHES.search('db.execute("delete from matches where listing_id = ?")')
    assert _WRITES_MATCHES.search('db["matches"].upsert(row)')


def test_the_digest_gives_the_store_a_full_comparison_would(tmp_path: Path):
    """Random crawls (changed titles, prices, matches, gone and back, twice in a batch): the
    same end state with the digests as with every digest emptied before each crawl (every
    listing compared with its stored row and matches, as before the digest)."""
    rng = random.Random(2026)
    crawls = []
    for day in (T1, T2, T3, "2026-11-04T10:00:00Z"):
        items = []
        for _ in range(150):
            n = rng.randrange(50)
            extra = {}
            if rng.random() < 0.15:
                extra["title"] = f"{rng.choice(TITLES)} no. {rng.randrange(3)}"
            if rng.random() < 0.15:
                extra["price"] = float(rng.randrange(3))
            if rng.random() < 0.1:
                extra["page_state"] = rng.choice(["removed", "sold"])
            if rng.random() < 0.1:
                extra["matches"] = []
            items.append(_item(n, day, **extra))
        crawls.append(items)
    states = []
    for empty in (False, True):
        store = ListingStore(tmp_path / f"d{empty}.db", batch_size=20)
        store.save_marketplace({"name": "m", "title": "M"})
        for items in crawls:
            if empty:
                with store.db.conn:
                    store.db.execute("update listings set digest = null")
            _crawl(store, items)
        assert_fts_complete(store.db)
        states.append(_state(store.db))
    assert states[0] == states[1]


def test_a_digest_trigger_of_another_version_is_replaced(tmp_path):
    """A database (or a cached new one) holding a digest trigger this version does not define
    gets today's triggers only, and its digests emptied (they may be stale)."""
    store = ListingStore(tmp_path / "w.db")
    store.save_marketplace({"name": "m", "title": "M"})
    _crawl(store, [_item(n, T1) for n in range(3)])
    with store.db.conn:
        store.db.execute(
            'CREATE TRIGGER "matches_digest_delete" AFTER DELETE ON "matches" BEGIN '
            "UPDATE listings SET digest = NULL WHERE id = old.listing_id; END"
        )
        store.db.execute('DROP TRIGGER "listings_digest_stale"')
    store.close()
    store = ListingStore(tmp_path / "w.db")
    triggers = store.db.execute(
        "select name from sqlite_master where type = 'trigger' and sql like '%digest%'"
    )
    assert [r[0] for r in triggers] == ["listings_digest_stale"]
    assert store.db.execute("select count(*) from listings where digest is null").fetchone() == (3,)


def test_a_database_from_before_the_digest_gets_it_and_keeps_its_listings(tmp_path):
    """A file written by a wildcrawl without ``listings.digest``: opening it adds the column
    and its trigger; the first re-crawl compares every listing and writes the digests, the
    second takes the fast path, both ending where a fresh store ends."""
    path = tmp_path / "old.db"
    store = ListingStore(path)
    store.save_marketplace({"name": "m", "title": "M"})
    _crawl(store, [_item(n, T1) for n in range(30)])
    with store.db.conn:
        store.db.execute('DROP TRIGGER "listings_digest_stale"')
        store.db.execute("ALTER TABLE listings DROP COLUMN digest")
    store.close()
    fresh = ListingStore(tmp_path / "fresh.db")
    fresh.save_marketplace({"name": "m", "title": "M"})
    _crawl(fresh, [_item(n, T1) for n in range(30)])
    fresh.close()
    store = ListingStore(path)
    assert store.db.execute("select count(*) from listings where digest is null").fetchone() == (
        30,
    )
    for day in (T2, T3):  # a store per crawl, as a crawl opens it (counts are per store)
        store, fresh = ListingStore(path), ListingStore(tmp_path / "fresh.db")
        _crawl(store, [_item(n, day) for n in range(30)])
        _crawl(fresh, [_item(n, day) for n in range(30)])
    assert store.db.execute("select count(*) from listings where digest is null").fetchone() == (0,)
    assert _tables(store.db) == _tables(fresh.db)


def _triggered(db, sql: str, params: list) -> int:
    """How many trigger programs the statement runs (``Program`` opcodes of its EXPLAIN)."""
    return sum(1 for row in db.execute(f"explain {sql}", params) if row[1] == "Program")


def test_a_sighting_update_runs_no_trigger_and_an_indexed_change_still_reindexes(tmp_path):
    """The full-text update trigger names the columns it indexes (and the rowid): the UPDATE
    of a re-crawl's unchanged listings (last_seen, last_crawl_id) runs no trigger program,
    which halved its cost; a change of title, description or rowid still re-indexes."""
    store = ListingStore(tmp_path / "w.db", batch_size=50)
    store.save_marketplace({"name": "m", "title": "M"})
    _crawl(store, [_item(n, T1) for n in range(20)])
    sighting = "update listings set last_seen = ?, last_crawl_id = ? where rowid in (?, ?)"
    assert _triggered(store.db, sighting, [T2, 2, 1, 2]) == 0
    assert _triggered(store.db, "update listings set title = ? where rowid = ?", ["x", 1]) >= 1
    with store.db.conn:
        store.db.execute("update listings set title = 'Walrus tusk carving' where rowid = 3")
        store.db.execute("update listings set description = 'Hornbill casque' where rowid = 4")
        store.db.execute("update listings set rowid = 1000 where rowid = 5")
    assert_fts_complete(store.db)
    assert _search(store.db, "walrus") == {"m:2"}
    assert _search(store.db, "hornbill") == {"m:3"}


def test_a_file_with_the_earlier_update_trigger_gets_todays(tmp_path):
    """A database written before the trigger named its columns (``AFTER UPDATE ON listings``)
    gets today's trigger when opened, and its index stays complete."""
    path = tmp_path / "w.db"
    store = ListingStore(path, batch_size=50)
    store.save_marketplace({"name": "m", "title": "M"})
    _crawl(store, [_item(n, T1) for n in range(10)])
    earlier = store.db.execute(
        "select sql from sqlite_master where type = 'trigger' and name = 'listings_au'"
    ).fetchone()[0]
    earlier = re.sub(
        r'AFTER UPDATE OF "title", "description", rowid\s+ON', "AFTER UPDATE ON", earlier
    )
    with store.db.conn:
        store.db.execute('DROP TRIGGER "listings_au"')
        store.db.execute(earlier)
    sighting = "update listings set last_seen = ?, last_crawl_id = ? where rowid = ?"
    assert _triggered(store.db, sighting, [T2, 2, 1]) == 1  # the earlier trigger runs
    store.close()
    store = ListingStore(path, batch_size=50)
    assert _triggered(store.db, sighting, [T2, 2, 1]) == 0
    _crawl(store, [_item(n, T2, title=f"Hornbill casque {n}") for n in range(10)])
    assert_fts_complete(store.db)
