"""The SQLite store: schema of the contract, idempotent upserts, crawl rows, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.errors import StoreError
from crawler.store.database import TABLES, ListingStore, open_database

CONTRACT = {
    "marketplaces": "name title base_url country language currency render",
    "crawls": "id marketplace started_at finished_at status pages listings_seen listings_new "
    "listings_removed errors",
    "taxa": "id scientific_name common_name cites_appendix taxon_group",
    "terms": "id term lang kind taxon_id product source",
    "listings": "id marketplace item_id url title description price_text price currency price_usd "
    "seller_id location country posted_at image_url keyword lang first_seen last_seen "
    "status removed_at risk flagged",
    "observations": "listing_id crawl_id seen_at price currency price_usd title status",
    "sellers": "id marketplace handle name profile_url location first_seen last_seen",
    "matches": "listing_id term_id field start taxon_id kind matched_text end",
    "evidence": "id listing_id crawl_id kind path sha256 bytes captured_at url",
    "reports": "id listing_id reported_at channel reference reported_by outcome outcome_at",
}


def _item(item_id: str, seen_at: str, price: float = 10.0, title: str = "Carved ivory bangle"):
    return {
        "id": f"m:{item_id}",
        "marketplace": "m",
        "item_id": item_id,
        "url": f"http://m/{item_id}",
        "title": title,
        "price": price,
        "currency": "EUR",
        "seen_at": seen_at,
        "last_seen": seen_at,
        "seller_id": "m:anna",
        "seller_key": "anna",
        "seller_name": "Anna",
        "matches": [
            {
                "term_id": "en:product:ivory",
                "field": "title",
                "start": 7,
                "end": 12,
                "taxon_id": None,
                "kind": "product",
                "matched_text": "ivory",
            }
        ],
        "contacts": [
            {
                "id": "wechat:ivory88",
                "kind": "wechat",
                "normalized": "ivory88",
                "value": "VX: ivory88",
            }
        ],
        "flagged": 1,
    }


def test_schema_has_every_contract_table_and_column(tmp_path: Path):
    store = ListingStore(tmp_path / "w.db")
    for table, columns in CONTRACT.items():
        have = set(store.db[table].columns_dict)
        assert set(columns.split()) <= have, (table, set(columns.split()) - have)
    assert store.db["listings_fts"].exists()
    assert store.db.journal_mode == "wal"
    assert set(CONTRACT) <= set(TABLES)


def test_recrawl_is_idempotent_and_keeps_history(tmp_path: Path):
    path = tmp_path / "w.db"
    for day, price in (("2026-11-01T10:00:00Z", 10.0), ("2026-11-02T10:00:00Z", 12.5)):
        store = ListingStore(path, batch_size=1)
        store.save_marketplace({"name": "m", "title": "M"})
        store.start_crawl("m", ["ivory"])
        store.add(_item("1", day, price))
        store.add(_item("2", day))
        store.finish_crawl("finished", pages=3, errors=0, error_kinds={})
        store.close()
    db = open_database(path)
    assert db["listings"].count == 2
    assert db["crawls"].count == 2
    assert db["observations"].count == 4
    assert db["matches"].count == 2  # replaced, not duplicated
    assert db["contacts"].count == 1 and db["listing_contacts"].count == 2
    one = db["listings"].get("m:1")
    assert one["first_seen"] == "2026-11-01T10:00:00Z"
    assert one["last_seen"] == "2026-11-02T10:00:00Z"
    assert one["price"] == 12.5
    history = [
        r["price"]
        for r in db.query(
            "select price from observations where listing_id = 'm:1' order by seen_at"
        )
    ]
    assert history == [10.0, 12.5]
    crawls = list(db.query("select * from crawls order by id"))
    assert [c["listings_new"] for c in crawls] == [2, 0]
    assert all(c["status"] == "finished" and c["listings_seen"] == 2 for c in crawls)
    seller = db["sellers"].get("m:anna")
    assert seller["first_seen"] == "2026-11-01T10:00:00Z"
    assert seller["last_seen"] == "2026-11-02T10:00:00Z"
    hits = list(
        db.query(
            "select l.id from listings_fts f join listings l on l.rowid = f.rowid "
            "where listings_fts match ?",
            ["ivory"],
        )
    )
    assert len(hits) == 2


def test_a_dead_running_crawl_becomes_interrupted(tmp_path: Path):
    store = ListingStore(tmp_path / "w.db")
    store.db["crawls"].insert({"marketplace": "m", "status": "running", "pid": 2**22 + 12345})
    store.start_crawl("m", [])
    statuses = [r["status"] for r in store.db.query("select status from crawls order by id")]
    assert statuses == ["interrupted", "running"]


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path):
    path = tmp_path / "notes.db"
    path.write_text("my field notes, not a database\n")
    with pytest.raises(StoreError, match="not an SQLite database"):
        ListingStore(path)
    assert path.read_text() == "my field notes, not a database\n"
