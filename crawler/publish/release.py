"""The public release: a redacted, immutable copy of a database for journalists and researchers.

``publish(db_path, out_dir)`` writes into ``out_dir``:

- ``wildcrawl-public.db``: made with ``VACUUM INTO`` from a read-only
  connection (a consistent snapshot even while a crawl writes), then redacted
  in place and vacuumed again so no freed page keeps a removed value;
- ``metadata.json`` (title, licence, source, methodology, every table and
  column described, journalists' canned queries, facets),
  ``settings.json``, ``inspect-data.json`` and ``plugins/wildcrawl_public.py``
  (``datasette -i``; the folder also works as a Datasette configuration directory),
  ``plugins/wildcrawl_front.py`` and ``templates/`` (the front page with key figures and
  charts, the listings page, a listing's page);
- ``csv/<table>.csv`` for the main tables.

Redaction keeps only the columns listed in ``PUBLIC_COLUMNS`` (a table or
column added to the internal schema later is left out until listed here):
seller ids and handles become HMAC-SHA256 pseudonyms (``crawler.publish.redact``) under a
key that never enters the release; contacts are cut from free text.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from crawler.errors import WildcrawlError
from crawler.publish import redact
from crawler.publish.release_order import (  # noqa: F401  (re-exported)
    FACET_COLUMNS,
    FACET_COUNT,
    FACET_ROWS,
    FACET_TABLE,
    PUBLIC_INDEXES,
    facet_tables,
    index_listings,
    store_in_risk_order,
)
from crawler.publish.release_text import (  # noqa: F401  (re-exported)
    HERE,
    PUBLIC_QUERIES,
    PUBLIC_SETTINGS,
    RELEASE_DB,
    SUBSTRING_FTS,
    WORD_FTS,
    deploy_arguments,
    deploy_commands,
    front_page_figures,
    inspect_release,
    public_metadata,
    release_facts,
    serve_command,
    setting_options,
    write_readme,
)
from crawler.publish.search_index import (  # noqa: F401  (re-exported)
    CJK_LONGEST,
    CJK_RUN,
    cjk_ngrams,
    search_indexes,
)
from crawler.store.locking import MAX_PLAUSIBLE_PRICE
from crawler.store.schema import PUBLIC_LISTING_COLUMNS
from crawler.store.word_index import drop_word_index

CSV_TABLES = (
    "listings",
    "sellers",
    "taxa",
    "terms",
    "marketplaces",
    "crawls",
    "reports",
    "reviews",
)

# The release keeps these columns and nothing else.
PUBLIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "marketplaces": (
        "name",
        "title",
        "base_url",
        "country",
        "language",
        "languages",
        "currency",
        "locale",
        "render",
    ),
    "crawls": (
        "id",
        "marketplace",
        "started_at",
        "finished_at",
        "status",
        "pages",
        "listings_seen",
        "listings_new",
        "listings_removed",
        "flagged",
        "errors",
        "error_kinds",
        "keywords",
        "listings_extracted",
    ),
    "taxa": (
        "id",
        "scientific_name",
        "common_name",
        "cites_appendix",
        "taxon_group",
        "synonyms",
        "source",
    ),
    "terms": ("id", "term", "lang", "kind", "taxon_id", "product", "source"),
    "listings": PUBLIC_LISTING_COLUMNS,  # from the listing schema (crawler.store.schema)
    "observations": (
        "listing_id",
        "crawl_id",
        "seen_at",
        "price",
        "currency",
        "price_usd",
        "title",
        "status",
    ),
    "sellers": ("id", "marketplace", "handle", "first_seen", "last_seen"),
    "matches": (
        "listing_id",
        "term_id",
        "field",
        "start",
        "end",
        "taxon_id",
        "kind",
        "matched_text",
    ),
    "evidence": ("id", "listing_id", "crawl_id", "kind", "sha256", "bytes", "captured_at"),
    "reports": ("id", "listing_id", "reported_at", "platform", "channel", "outcome", "outcome_at"),
    "reviews": ("id", "listing_id", "verdict", "reviewed_at"),
}
# Free-text columns that may carry contacts: scrubbed, and swept for seller identities.
TEXT_COLUMNS = {
    "listings": ("title", "description", "price_text", "explanation", "location"),
    "observations": ("title",),
    "matches": ("matched_text",),
}
# Address columns: emptied when they contain a seller's identity.
URL_COLUMNS = {"listings": ("url", "image_url")}
# Columns the release adds to listings, for facets and for readers.
DERIVED = {
    "month": "substr(first_seen, 1, 7)",
    # Only for flagged listings: an ivory-coloured shoe or a plush pangolin names a taxon
    # too, and must not be counted among the elephants or pangolins offered.
    "taxon_group": "(select t.taxon_group from matches m join taxa t on t.id = m.taxon_id "
    "where m.listing_id = listings.id and listings.flagged = 1 "
    "order by m.kind = 'product' desc, t.id limit 1)",
    "review_verdict": "(select verdict from reviews r where r.listing_id = listings.id "
    "order by r.id desc limit 1)",
}
# Copied into the release's plugins/ folder, which Datasette reads: memory-mapped reads, a
# larger page cache and fast facets from ``FACET_TABLE`` (see the plugin's docstring).
PUBLIC_PLUGIN = HERE / "wildcrawl_public.py"
# The Content-Security-Policy plugin, shared with the internal instance.
CSP_PLUGIN = HERE / "plugins" / "wildcrawl_csp.py"
# The front page's figures and charts, and the listing page's matched terms.
FRONT_PLUGIN = HERE / "wildcrawl_front.py"
# The release's own templates (front page, listings, a listing), copied to ``templates/``.
PUBLIC_TEMPLATES = HERE / "public_templates"
# Columns that lead a reader to the listing, and so to its seller: the listing's address,
# its item number on the marketplace, its picture's address. Left out unless ``keep_urls``;
# listing ids ("marketplace:item_id") then become pseudonyms too.
LISTING_ADDRESS_COLUMNS = ("url", "item_id", "image_url")
LISTING_ID_COLUMNS = {
    "listings": "id",
    "observations": "listing_id",
    "matches": "listing_id",
    "evidence": "listing_id",
    "reports": "listing_id",
    "reviews": "listing_id",
}
PAGE_SIZE = 65536


@dataclass
class Release:
    """What ``publish`` wrote."""

    out_dir: Path
    db_path: Path
    metadata_path: Path
    inspect_path: Path
    counts: dict[str, int]
    key_generated: bool


def publish(
    db_path: str | Path,
    out_dir: str | Path,
    key: bytes | None = None,
    lexicon_dir: str | Path = "keywords",
    keep_urls: bool = False,
) -> Release:
    """Write a redacted public release of ``db_path`` into ``out_dir`` (see the module docstring)."""
    source, out = Path(db_path), Path(out_dir)
    if not source.is_file():
        raise WildcrawlError(f"{source}: no such database")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".wildcrawl-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise WildcrawlError(
            f"{out}: cannot write the release there ({exc.strerror or exc})"
        ) from None
    final = out / RELEASE_DB
    if final.resolve() == source.resolve():
        raise WildcrawlError(f"{out}: choose another --out; it holds the database being published")
    key_generated = key is None
    key = key or redact.new_key()
    work = out / f".{RELEASE_DB}.tmp"
    work.unlink(missing_ok=True)
    _snapshot(source, work)
    conn = sqlite3.connect(str(work), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA secure_delete = ON")
        db = sqlite_utils.Database(conn)
        facts = release_facts(db, lexicon_dir)
        _redact(db, key, keep_urls)
        _finish(db, facts)
        # Larger pages: fewer b-tree levels for the rowid look-ups of a search (at 1M
        # listings about 20% less CPU for its count, page and facet queries than 4 KiB).
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("VACUUM")
    finally:
        conn.close()
    os.replace(work, final)
    db = sqlite_utils.Database(final)
    counts = {
        t: db[t].count for t in db.table_names() if not t.startswith((WORD_FTS, SUBSTRING_FTS))
    }
    metadata_path = out / "metadata.json"
    metadata_path.write_text(
        json.dumps(public_metadata(final, facts), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (out / "settings.json").write_text(json.dumps(PUBLIC_SETTINGS, indent=2), encoding="utf-8")
    (out / "plugins").mkdir(exist_ok=True)
    for plugin in (PUBLIC_PLUGIN, CSP_PLUGIN, FRONT_PLUGIN):
        (out / "plugins" / plugin.name).write_text(
            plugin.read_text(encoding="utf-8"), encoding="utf-8"
        )
    (out / "templates").mkdir(exist_ok=True)
    for template in PUBLIC_TEMPLATES.glob("*.html"):
        (out / "templates" / template.name).write_text(
            template.read_text(encoding="utf-8"), encoding="utf-8"
        )
    _write_csv(db, out / "csv")
    db.close()
    inspect_path = out / "inspect-data.json"
    inspect_release(final, inspect_path)
    write_readme(out, keep_urls)
    return Release(out, final, metadata_path, inspect_path, counts, key_generated)


def _snapshot(source: Path, target: Path) -> None:
    """``VACUUM INTO`` from a read-only connection: committed data only, WAL included."""
    try:
        conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("VACUUM INTO ?", [str(target)])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise WildcrawlError(f"{source}: cannot read the database ({exc})") from None


def _identities(db: sqlite_utils.Database) -> tuple[dict, dict]:
    """Per seller and per listing, the strings that identify a seller or a contact."""
    by_seller: dict[str, list[str]] = defaultdict(list)
    if db["sellers"].exists():
        cols = set(db["sellers"].columns_dict)
        wanted = [c for c in ("handle", "name", "seller_key", "profile_url") if c in cols]
        for row in db.execute(f"select id, {', '.join(wanted)} from sellers"):
            by_seller[row[0]] = [v for v in row[1:] if isinstance(v, str) and len(v) >= 4]
    by_listing: dict[str, list[str]] = defaultdict(list)
    if db["listing_contacts"].exists() and db["contacts"].exists():
        for listing_id, value, normalized in db.execute(
            "select lc.listing_id, lc.value, c.normalized from listing_contacts lc "
            "left join contacts c on c.id = lc.contact_id"
        ):
            by_listing[listing_id] += [v for v in (value, normalized) if v and len(v) >= 4]
    return by_seller, by_listing


def _redact(db: sqlite_utils.Database, key: bytes, keep_urls: bool = False) -> None:
    """Drop what is not public, pseudonymise sellers, scrub free text (in one transaction)."""
    by_seller, by_listing = _identities(db)
    if db["listings_fts"].exists():
        db["listings"].disable_fts()
    drop_word_index(db)  # the internal word index: the release builds its own (search_index)
    for view in db.view_names():
        db[view].drop()

    def handle_of(h):
        return redact.pseudonym(key, h.strip().lstrip("@").casefold(), "handle-") if h else None

    def seller_of(s):
        return redact.seller_pseudonym(key, s)

    conn = db.conn
    conn.create_function("seller_pseudonym", 1, seller_of, deterministic=True)
    conn.create_function("handle_pseudonym", 1, handle_of, deterministic=True)

    def scrub(text, country, listing_id, seller_id):
        found = by_listing.get(listing_id, []) + by_seller.get(seller_id, [])
        return redact.scrub_contacts(text, country, found)

    def hides_identity(url, listing_id, seller_id):
        found = by_listing.get(listing_id, []) + by_seller.get(seller_id, [])
        return int(bool(url) and any(s.casefold() in url.casefold() for s in found))

    conn.create_function("scrub", 4, scrub)
    conn.create_function("hides_identity", 3, hides_identity)
    for table in db.table_names():
        if table not in PUBLIC_COLUMNS:
            db[table].drop()
    for table, keep in PUBLIC_COLUMNS.items():
        if not db[table].exists():
            continue
        drop = [c for c in db[table].columns_dict if c not in keep]
        if drop:
            db[table].transform(drop=drop)
    for table, columns in URL_COLUMNS.items():
        for col in columns:
            conn.execute(
                f"update {table} set [{col}] = null where hides_identity([{col}], id, seller_id)"
            )
    for table, columns in TEXT_COLUMNS.items():
        if not db[table].exists():
            continue
        if table == "listings":
            ids = "id, seller_id"
            country = "country"
        else:
            ids = f"listing_id, (select seller_id from listings l where l.id = {table}.listing_id)"
            country = f"(select country from listings l where l.id = {table}.listing_id)"
        sets = ", ".join(f"[{c}] = scrub([{c}], {country}, {ids})" for c in columns)
        conn.execute(f"update {table} set {sets}")
    conn.execute("update listings set seller_id = seller_pseudonym(seller_id)")
    conn.execute("update sellers set id = seller_pseudonym(id), handle = handle_pseudonym(handle)")
    if not keep_urls:
        _drop_listing_addresses(db, key)


def _drop_listing_addresses(db: sqlite_utils.Database, key: bytes) -> None:
    """Leave out listing addresses and item numbers; listing ids become keyed pseudonyms."""

    def listing_of(listing_id):
        if not listing_id:
            return listing_id
        marketplace, _, _ = listing_id.partition(":")
        return redact.pseudonym(key, listing_id, f"{marketplace}:listing-")

    db.conn.create_function("listing_pseudonym", 1, listing_of, deterministic=True)
    drop = [c for c in LISTING_ADDRESS_COLUMNS if c in db["listings"].columns_dict]
    if drop:
        db["listings"].transform(drop=drop)
    for table, column in LISTING_ID_COLUMNS.items():
        if db[table].exists() and column in db[table].columns_dict:
            db.execute(f"update [{table}] set [{column}] = listing_pseudonym([{column}])")


def _drop_implausible_prices(db: sqlite_utils.Database) -> None:
    """Amounts no listing can ask (negative, 1e308, NaN) gone from the release, whatever wildcrawl
    version stored them: today's store refuses them (``guard_price``), older databases may hold
    them, and one such row would make every sum and chart of the release meaningless."""
    bad = f"not ({{c}} >= 0 and {{c}} < {MAX_PLAUSIBLE_PRICE!r})"
    for table in ("listings", "observations"):
        cols = [c for c in ("price", "price_usd") if c in db[table].columns_dict]
        if not cols:
            continue
        where = " or ".join(bad.format(c=f"[{c}]") for c in cols)
        sets = ", ".join(f"[{c}] = null" for c in cols)
        db.execute(f"update [{table}] set {sets} where {where}")


def _finish(db: sqlite_utils.Database, facts: dict) -> None:
    """Derived columns, indexes, release facts and full-text search of the redacted data."""
    with db.conn:
        _drop_implausible_prices(db)
        for col, expr in DERIVED.items():
            db["listings"].add_column(col, str)
            db.execute(f"update listings set [{col}] = {expr}")
        # Per-seller totals, so seller rankings stay fast on millions of listings.
        for col, typ in (("listings", int), ("flagged_listings", int), ("total_asking_usd", float)):
            db["sellers"].add_column(col, typ)
        db.execute("""update sellers set (listings, flagged_listings, total_asking_usd) = (
                        select count(*), coalesce(sum(flagged), 0), round(sum(price_usd), 0)
                        from listings where seller_id = sellers.id)""")
        db["sellers"].create_index(["flagged_listings"], if_not_exists=True)
        store_in_risk_order(db)  # rowid = risk_rank, the page order (see release_order)
        index_listings(db)
        facet_tables(db)
        db["matches"].create_index(["taxon_id"], if_not_exists=True)
        facts = {**facts, "front_page": front_page_figures(db)}
        db["wildcrawl_release"].insert_all(
            [
                {"key": k, "value": v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}
                for k, v in facts.items()
            ],
            pk="key",
            replace=True,
        )
    search_indexes(db)
    db.execute("ANALYZE")


def _write_csv(db: sqlite_utils.Database, folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for table in CSV_TABLES:
        if not db[table].exists():
            continue
        with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            cursor = db.execute(f"select * from [{table}]")
            writer.writerow([d[0] for d in cursor.description])
            writer.writerows(cursor)
