"""The order, indexes and facet tables of a release's ``listings`` (what makes its pages fast).

A release's listings are stored highest risk first: each listing's rowid is its ``risk_rank``
(1 = the highest risk, ties broken by id), the listings page's default order. The full-text
indexes are keyed by the same number (``search_index``), so a search's ``risk_rank in (select
rowid from listings_fts where ... match ...)`` (``fts_pk: risk_rank`` in the metadata) walks the
listings found in page order and stops after one page, instead of reading and sorting every
listing found; its ``count(*)`` reads the ``risk_rank`` index, not the rows. Datasette's
``?_search_<column>=`` searches with ``rowid in (...)`` whatever ``fts_pk`` says: right too,
because the rowid is the rank.
"""

from __future__ import annotations

import re

import sqlite_utils

# Columns a reader filters on (the listings page's facets). Each has an index on
# (column, risk_rank): a filtered page (country=CN) reads its first rows in page order, and a
# filtered search (ivory, country=CN) finds and counts its listings in that index alone. It is
# unique (risk_rank is), so SQLite knows a next page's "order by risk_rank, id" needs no sort.
FACET_COLUMNS = ("marketplace", "country", "month", "taxon_group", "flagged", "status")
PUBLIC_INDEXES = (
    *([c, "risk_rank"] for c in FACET_COLUMNS),
    ["seller_id"],
    ["review_verdict"],
)
# The default order of the listings page: highest risk first. Datasette pages through a sort
# on a column with ties wrongly (its first page has no tie-break), so the page sorts on
# risk_rank, unique: 1 for the highest risk, ties broken by id.
RISK_ORDER = "risk is null, risk desc, id"
# Listings counted per combination of FACET_COLUMNS values: the facet counts of every page that
# is not a search and filters only on those columns come from here (a few hundred rows, not a
# million listings); researchers can query it too. FACET_ROWS gives each listing's rowid (its
# risk_rank) its FACET_TABLE row, so a search counts its facets reading one integer per listing
# found.
FACET_TABLE, FACET_COUNT = "listing_facets", "listing_count"
FACET_ROWS = "listing_facet_rows"


def store_in_risk_order(db: sqlite_utils.Database) -> None:
    """Rewrite ``listings`` with rowid = ``risk_rank`` (a new column), highest risk first.

    The table keeps its schema (its ``id`` primary key: row pages keep their addresses) and its
    indexes; only the rowids, which no page shows, change.
    """
    create = db.execute(
        "select sql from sqlite_master where type = 'table' and name = 'listings'"
    ).fetchone()[0]
    indexes = [
        sql
        for (sql,) in db.execute(
            "select sql from sqlite_master where type = 'index' and tbl_name = 'listings' "
            "and sql is not null order by name"
        )
    ]
    columns = [c.name for c in db["listings"].columns if c.name != "risk_rank"]
    ranked = "_listings_ranked"
    head = re.match(
        r'\s*CREATE\s+TABLE\s+(\[listings\]|"listings"|`listings`|listings)(?=[\s(])', create
    )
    if head is None:
        raise ValueError(f"unexpected schema of listings: {create[:80]}")
    db.execute(f'CREATE TABLE "{ranked}"' + create[head.end() :])
    if "risk_rank" not in db["listings"].columns_dict:
        db.execute(f'alter table "{ranked}" add column risk_rank INTEGER')
    cols = ", ".join(f"[{c}]" for c in columns)
    db.execute(
        f'insert into "{ranked}" (rowid, {cols}, risk_rank) select n, {cols}, n from '
        f"(select {cols}, row_number() over (order by {RISK_ORDER}) as n from listings) "
        f"order by n"
    )
    db.execute("drop table listings")
    db.execute(f'alter table "{ranked}" rename to listings')
    for sql in indexes:
        db.execute(sql)


def index_listings(db: sqlite_utils.Database) -> None:
    """The indexes of ``PUBLIC_INDEXES`` and the unique index on ``risk_rank``."""
    for cols in PUBLIC_INDEXES:
        db["listings"].create_index(cols, unique="risk_rank" in cols, if_not_exists=True)
    db["listings"].create_index(["risk_rank"], unique=True, if_not_exists=True)


def facet_tables(db: sqlite_utils.Database) -> None:
    """``FACET_TABLE`` (listings per combination of facet values) and ``FACET_ROWS``."""
    types = {c.name: c.type for c in db["listings"].columns}
    cols = ", ".join(f"[{c}]" for c in FACET_COLUMNS)
    db.execute(
        f"create table [{FACET_TABLE}] ("
        + "".join(f"[{c}] {types[c]}, " for c in FACET_COLUMNS)
        + f"[{FACET_COUNT}] INTEGER)"
    )
    db.execute(
        f"insert into [{FACET_TABLE}] select {cols}, count(*) from listings "
        f"group by {cols} order by {cols}"
    )
    db.execute(f"create unique index _facet_combo on [{FACET_TABLE}] ({cols})")
    db.execute(
        f"create table [{FACET_ROWS}] (listing_rowid INTEGER PRIMARY KEY, "
        "facet_combo INTEGER NOT NULL)"
    )
    same = " and ".join(f"c.[{c}] is l.[{c}]" for c in FACET_COLUMNS)
    db.execute(
        f"insert into [{FACET_ROWS}] select l.rowid, c.rowid from listings l "
        f"join [{FACET_TABLE}] c indexed by _facet_combo on {same} order by l.rowid"
    )
    db.execute("drop index _facet_combo")
