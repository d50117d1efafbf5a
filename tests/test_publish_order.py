"""Issue 26: a release's listings stored in page order, its search keyed by that order.

A small synthetic release (``bench.bench_public.build``, the million-listing benchmark's
data) is published once; the tests read it with SQLite: every listing's rowid is its
``risk_rank``, the search indexes find the listings that hold the word, and the SQL Datasette
runs for a search page (built here as Datasette 0.65 builds it from the release's metadata)
walks the listings found in page order, with no sort, and counts them in an index.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from crawler.publish.datasette.wildcrawl_front import cells_in_order
from crawler.publish.release import FACET_COLUMNS, FACET_ROWS, publish

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ under plain `pytest` too
from bench.bench_public import build

LISTINGS = 3000


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    root = tmp_path_factory.mktemp("order")
    internal = root / "internal.db"
    build(internal, LISTINGS)
    conn = sqlite3.connect(internal)
    with conn:  # listings without a risk score sort last
        conn.execute("update listings set risk = null where cast(item_id as int) % 11 = 0")
    conn.close()
    out = publish(internal, root / "public", key=bytes(32))
    conn = sqlite3.connect(f"file:{out.db_path}?immutable=1", uri=True)
    yield out, conn
    conn.close()


def _listings_table(release) -> dict:
    out, _ = release
    meta = json.loads(out.metadata_path.read_text(encoding="utf-8"))
    return meta["databases"]["wildcrawl-public"]["tables"]["listings"]


def _search_sql(table: dict, where: str = "", count: bool = False) -> str:
    """The page (or count) query of Datasette 0.65's table view for ``?_search=`` + filters."""
    clause = (
        f"{table['fts_pk']} in (select rowid from {table['fts_table']} "
        f"where {table['fts_table']} match :search)"
    )
    where_sql = f"where {where + ' and ' if where else ''}{clause}"
    if count:
        return f"select count(*) from listings {where_sql}"
    return f"select * from listings {where_sql} order by {table['sort']} limit 51"


def _plan(conn, sql: str, params: dict) -> str:
    return " | ".join(row[3] for row in conn.execute(f"explain query plan {sql}", params))


def test_listings_are_stored_in_page_order(release):
    _, conn = release
    rows = conn.execute("select rowid, risk_rank from listings order by rowid").fetchall()
    assert len(rows) == LISTINGS
    assert all(rowid == rank for rowid, rank in rows)
    expected = [
        r[0] for r in conn.execute("select id from listings order by risk is null, risk desc, id")
    ]
    assert [r[0] for r in conn.execute("select id from listings order by rowid")] == expected
    assert conn.execute("select count(*) from listings where risk is null").fetchone()[0] > 0
    # Every other table's rows still point at the right listing.
    assert conn.execute(
        f"select count(*) from {FACET_ROWS} r join listings l on l.rowid = r.listing_rowid"
    ).fetchone()[0] == (LISTINGS)


@pytest.mark.parametrize(
    ("fts", "search", "word"),
    [("listings_fts", '"pangolin"', "pangolin"), ("listings_substring", '"lfenbei"', "lfenbei")],
)
def test_search_indexes_are_keyed_by_the_rank(release, fts, search, word):
    _, conn = release
    found = {r[0] for r in conn.execute(f"select rowid from {fts} where {fts} match ?", [search])}
    holding = {
        r[0]
        for r in conn.execute(
            "select risk_rank from listings where title like ? or description like ?",
            [f"%{word}%"] * 2,
        )
    }
    assert found and found == holding


def test_datasette_finds_the_same_listings_by_rank_and_by_rowid(release):
    """``?_search=`` (fts_pk, the rank) and ``?_search_title=`` (always rowid) agree."""
    _, conn = release
    by_rank = conn.execute(
        "select id from listings where risk_rank in "
        "(select rowid from listings_fts where listings_fts match :s) order by id",
        {"s": '"ivory"'},
    ).fetchall()
    by_rowid = conn.execute(
        "select id from listings where rowid in "
        "(select rowid from listings_fts where listings_fts match :s) order by id",
        {"s": '"ivory"'},
    ).fetchall()
    assert by_rank and by_rank == by_rowid


def test_a_search_page_reads_its_listings_in_page_order(release):
    _, conn = release
    table = _listings_table(release)
    assert table["fts_pk"] == "risk_rank" and table["sort"] == "risk_rank"
    params = {"search": '"ivory"'}
    plan = _plan(conn, _search_sql(table), params)
    assert "USING INDEX idx_listings_risk_rank" in plan
    assert "TEMP B-TREE" not in plan  # no sort of every listing found
    assert "COVERING INDEX idx_listings_risk_rank" in _plan(
        conn, _search_sql(table, count=True), params
    )
    rows = conn.execute(_search_sql(table), params).fetchall()
    ranks = [r[0] for r in conn.execute(f"select risk_rank from ({_search_sql(table)})", params)]
    assert len(rows) == 51 and ranks == sorted(ranks)


def test_a_filtered_search_reads_and_counts_in_the_filter_index(release):
    _, conn = release
    table = _listings_table(release)
    params = {"search": '"ivory"', "p0": "CN"}
    country = '"country" = :p0'
    page = _plan(conn, _search_sql(table, country), params)
    count = _plan(conn, _search_sql(table, country, count=True), params)
    assert "idx_listings_country_risk_rank" in page and "TEMP B-TREE" not in page
    assert "COVERING INDEX idx_listings_country_risk_rank" in count
    ranks = [
        r[0] for r in conn.execute(f"select risk_rank from ({_search_sql(table, country)})", params)
    ]
    expected = [
        r[0]
        for r in conn.execute(
            "select l.risk_rank from listings l join listings_fts f on f.rowid = l.rowid "
            "where listings_fts match :search and l.country = :p0 order by l.risk_rank limit 51",
            params,
        )
    ]
    assert ranks and ranks == expected


def test_release_indexes_filters_by_rank_and_keeps_the_internal_indexes(release):
    _, conn = release
    indexes = {
        name: (unique, [c[2] for c in conn.execute(f"pragma index_info('{name}')")])
        for _, name, unique, *_ in conn.execute("pragma index_list('listings')")
    }
    for column in FACET_COLUMNS:
        assert indexes[f"idx_listings_{column}_risk_rank"] == (1, [column, "risk_rank"])
    assert indexes["idx_listings_risk_rank"] == (1, ["risk_rank"])
    # The internal schema's own indexes on listings are rebuilt with the table.
    assert indexes["idx_listings_marketplace_status"][1] == ["marketplace", "status"]
    assert conn.execute("select count(*) from sqlite_stat1 where tbl = 'listings'").fetchone()[0]


def test_cells_in_order_picks_a_rows_cells_by_column():
    row = [{"column": c, "raw": i} for i, c in enumerate(["id", "marketplace", "title", "country"])]
    assert [c["raw"] for c in cells_in_order(row, ["title", "country", "missing", "id"])] == [
        2,
        3,
        0,
    ]
    assert cells_in_order(row, []) == []
