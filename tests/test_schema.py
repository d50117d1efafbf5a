"""The listing schema (crawler.store.schema) is the one list of a listing's fields: every
list derived from it names every field it should, and a re-check keeps every column."""

from __future__ import annotations

import pytest

from crawler.store import history, schema
from crawler.store.database import ListingStore
from crawler.store.schema import LISTING_FIELDS, LISTINGS_FIELDS

NAMES = [f.name for f in LISTING_FIELDS]


def test_every_field_is_described_and_has_a_source():
    assert len(NAMES) == len(set(NAMES))
    for f in LISTING_FIELDS:
        assert f.description.strip(), f.name
        assert f.source in schema.SOURCES, f.name
        assert f.type in (str, int, float), f.name
        assert (f.export is None) == (f.export_at is None), f.name
        assert f.table in ("listings", "sellers"), f.name


def test_the_store_creates_every_listings_column_of_the_schema():
    from crawler.store.database import TABLES

    assert TABLES["listings"]["columns"] == {f.name: f.type for f in LISTINGS_FIELDS}


def test_config_field_names_are_the_schema_config_fields():
    from crawler.config import FIELD_NAMES

    assert FIELD_NAMES == tuple(f.name for f in LISTING_FIELDS if f.source == schema.CONFIG)


def test_clean_step_lists_come_from_the_schema():
    from crawler.crawl.pipelines import clean

    assert clean.TEXT_FIELDS == tuple(f.name for f in LISTING_FIELDS if f.text)
    assert clean.OPTIONAL_FIELDS == tuple(f.name for f in LISTING_FIELDS if f.optional)
    assert set(clean.REQUIRED_FIELDS) == {"item_id", "url", "title"}


def test_release_keeps_the_public_listings_columns():
    from crawler.publish.release import PUBLIC_COLUMNS

    assert PUBLIC_COLUMNS["listings"] == tuple(f.name for f in LISTINGS_FIELDS if f.public)
    assert "last_crawl_id" not in PUBLIC_COLUMNS["listings"]


def test_takedown_export_has_every_export_field_in_order():
    from crawler.casework.takedown import EXPORT_COLUMNS

    assert {f.export for f in LISTING_FIELDS if f.export} <= set(EXPORT_COLUMNS)
    assert EXPORT_COLUMNS == (
        "listing_id",
        "marketplace",
        "item_id",
        "url",
        "title",
        "price_text",
        "seller_name",
        "seller_id",
        "seller_profile_url",
        "first_seen",
        "last_seen",
        "status",
        "removed_at",
        "matched_terms",
        "taxa",
        "cites_appendix",
        "risk",
        "reports",
        "review_verdict",
        "reviewer",
        "reviewed_at",
        "evidence_files",
    )


def test_datasette_metadata_describes_listings_from_the_schema(tmp_path):
    from crawler.publish.datasette import metadata_for

    meta = metadata_for(tmp_path / "wildcrawl.db")
    columns = meta["databases"]["wildcrawl"]["tables"]["listings"]["columns"]
    assert columns == {f.name: f.description for f in LISTINGS_FIELDS}


def _selected(sql: str) -> set[str]:
    """The names of the columns ``sql`` selects, run against a fresh store."""
    import sqlite_utils

    from crawler.store.database import ensure_schema

    db = sqlite_utils.Database(memory=True)
    ensure_schema(db)
    return {d[0] for d in db.execute(sql, ("x",)).description}


def test_recheck_reads_every_field_the_crawl_does_not_derive():
    """A field a config or the spider gives, missing from RECHECK_SQL, would be written as
    NULL by every re-check (the store writes every column of a listing)."""
    must = {f.name for f in LISTING_FIELDS if f.source in (schema.CONFIG, schema.SPIDER)}
    must -= {"marketplace"}  # the spider sets it on every item, re-checked or not
    assert must <= _selected(history.RECHECK_SQL)
    assert {f.name for f in LISTING_FIELDS if f.recheck} == _selected(history.RECHECK_SQL)


@pytest.fixture
def store(tmp_path):
    s = ListingStore(tmp_path / "w.db")
    s.start_crawl("m", ["k"])
    yield s
    s.db.close()


def _item(**kw):
    item = {
        "id": "m:1",
        "marketplace": "m",
        "item_id": "1",
        "url": "https://m.example/1",
        "title": "Ivory bangle",
        "description": "old carved",
        "price_text": "$10",
        "price": 10.0,
        "currency": "USD",
        "price_kind": "fixed",
        "price_usd": 10.0,
        "rate_date": "2026-01-01",
        "seller_id": "m:anna",
        "seller_key": "anna",
        "seller_name": "Anna",
        "seller_url": "https://m.example/user/anna",
        "seller_handle": "anna",
        "location": "Berlin",
        "country": "DE",
        "posted_at": "yesterday",
        "image_url": "https://m.example/1.jpg",
        "keyword": "ivory",
        "lang": "en",
        "seen_at": "2026-01-01T00:00:00Z",
        "risk": 0.9,
        "flagged": 1,
        "explanation": "ivory",
        "taxa": '["Loxodonta africana"]',
    }
    return {**item, **kw}


def test_a_recheck_keeps_every_listings_column(store):
    """A listing stored by a search, then re-checked from RECHECK_SQL's row (as the spider
    does: the row, minus its id, plus what the pipelines derive again) keeps every column."""
    store.add(_item())
    store.flush()
    before = dict(next(store.db.query("select * from listings")))
    conn = store.db.conn
    (row,) = history.recheck_candidates(conn, "m", ["ivory"], set())
    derived = {
        f.name: before[f.name]
        for f in LISTINGS_FIELDS
        if f.source == schema.PIPELINE and f.name != "id"
    }
    recheck = {k: v for k, v in row.items() if k != "id" and v is not None}
    store.add(
        {
            **recheck,
            **derived,
            "id": row["id"],
            "marketplace": "m",
            "seller_key": "anna",
            "seen_at": "2026-01-02T00:00:00Z",
            "rechecked": True,
        }
    )
    store.flush()
    after = dict(next(store.db.query("select * from listings")))
    changed = {k for k in before if before[k] != after[k]}
    assert changed <= {"last_seen"}, {k: (before[k], after[k]) for k in changed}


def test_sellers_handle_and_location_are_filled(store):
    from crawler.crawl.pipelines.seller import SellerPipeline

    item = SellerPipeline().process_item(
        {
            "marketplace": "m",
            "seller_name": "Anna K",
            "seller_url": "https://m.example/user/Anna_K?tab=items",
            "location": "Berlin",
            "title": "x",
        }
    )
    assert item["seller_handle"] == "Anna_K"
    assert item["seller_id"] == "m:anna_k"
    store.add(_item(**{k: item[k] for k in ("seller_handle", "seller_location", "seller_id")}))
    store.flush()
    row = dict(next(store.db.query("select handle, location from sellers")))
    assert row == {"handle": "Anna_K", "location": "Berlin"}


def test_a_numeric_profile_id_is_no_handle():
    from crawler.normalise.sellers import handle_from_profile_url

    assert handle_from_profile_url("https://shop.example.cn/shop.htm?uid=123") is None
    assert handle_from_profile_url("https://www.ebay.com/usr/ivory_king?_trksid=x") == "ivory_king"
    assert handle_from_profile_url(None) is None
