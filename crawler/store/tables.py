"""The store's tables, indexes and schema version (``crawler.store.database`` creates them).

The ``listings`` columns come from the listing schema, ``crawler.store.schema``.
"""

from __future__ import annotations

from crawler.store.schema import LISTING_FIELDS

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
        "columns": {f.name: f.type for f in LISTING_FIELDS if f.table == "listings"},
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
