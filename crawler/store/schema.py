"""The store's schema: every table, and the one description of a listing's fields.

``LISTING_FIELDS`` says, for every field of a listing item, once: its column and SQLite
type, its description, where its value comes from, whether the release publishes it,
whether a re-check carries it over from the store, what the clean step does with it and
whether the take-down export includes it. Everything else derives from it:
``TABLES["listings"]``, the config field names (``crawler.config.FIELD_NAMES``), the clean
step's lists, ``crawler.store.history.RECHECK_SQL``, the release's public columns, the
Datasette column descriptions and the take-down export columns; ``tests/test_schema.py``
checks them.

Pure data, no import from wildcrawl: the config models (a lower layer) read it too.
"""

from __future__ import annotations

from dataclasses import dataclass

# Where a field's value comes from.
CONFIG = "config"  # a marketplace config selects it from the page (FIELD_NAMES)
SPIDER = "spider"  # the spider sets it (marketplace, keyword, lang)
PIPELINE = "pipeline"  # an item pipeline derives it from the other fields
STORE = "store"  # the store writes it (status and times, from the listing's history)
SOURCES = (CONFIG, SPIDER, PIPELINE, STORE)


@dataclass(frozen=True)
class Field:
    """One field of a listing item (a column of ``listings``, or of ``sellers``)."""

    name: str
    type: type
    description: str
    source: str
    public: bool = True  # the release keeps the column (crawler.publish.release)
    public_description: str | None = None  # the release's description, where it differs
    recheck: bool = False  # a re-check starts from the stored value (RECHECK_SQL)
    text: bool = False  # the clean step normalises its whitespace and Unicode
    required: bool = False  # the clean step drops a listing without it
    optional: bool = False  # the clean step counts listings without it
    export: str | None = None  # its column in the take-down export
    export_at: int | None = None  # that column's place in the export
    table: str = "listings"  # "sellers": stored in the seller's row, as ``column``
    column: str | None = None  # the column, where it is not ``name``

    @property
    def sql(self) -> str:
        """The field read from ``listings l left join sellers s``."""
        if self.table == "sellers":
            return f"s.{self.column} as {self.name}"
        return f"l.{self.name}"


LISTING_FIELDS: tuple[Field, ...] = (
    Field(
        "id",
        str,
        'Listing key, "marketplace:item_id".',
        PIPELINE,
        public_description='Listing pseudonym, "marketplace:listing-" + 16 hex digits '
        "(HMAC-SHA256 of the listing's id under the unpublished key); marketplace:item_id only "
        "in releases made with --keep-urls.",
        recheck=True,
        export="listing_id",
        export_at=0,
    ),
    Field(
        "marketplace",
        str,
        "Marketplace the listing is on.",
        SPIDER,
        export="marketplace",
        export_at=1,
    ),
    Field(
        "item_id",
        str,
        "The marketplace's own id of the listing.",
        CONFIG,
        public_description="The listing's number on the marketplace (only in releases made "
        "with --keep-urls).",
        recheck=True,
        required=True,
        export="item_id",
        export_at=2,
    ),
    Field(
        "url",
        str,
        "Address of the listing.",
        CONFIG,
        recheck=True,
        required=True,
        export="url",
        export_at=3,
        public_description="Address of the listing (only in releases made with --keep-urls; empty where it would identify the seller).",
    ),
    Field(
        "title",
        str,
        "Title as shown.",
        CONFIG,
        recheck=True,
        text=True,
        required=True,
        export="title",
        export_at=4,
        public_description="Title as shown, with phone numbers, e-mails and messaging handles replaced by [contact removed].",
    ),
    Field(
        "description",
        str,
        "Description as shown (from the listing's page where the config follows it).",
        CONFIG,
        recheck=True,
        text=True,
        optional=True,
        public_description="Description as shown, with contacts replaced by [contact removed].",
    ),
    Field(
        "price_text",
        str,
        "Price exactly as shown.",
        CONFIG,
        recheck=True,
        text=True,
        optional=True,
        export="price_text",
        export_at=5,
        public_description="Price as shown (contacts removed).",
    ),
    # In the seller's row (sellers.name, .profile_url, .handle), not in listings.
    Field(
        "seller_name",
        str,
        "Display name as shown.",
        CONFIG,
        recheck=True,
        text=True,
        optional=True,
        export="seller_name",
        export_at=6,
        table="sellers",
        column="name",
    ),
    Field(
        "seller_url",
        str,
        "Address of the seller's profile.",
        CONFIG,
        recheck=True,
        optional=True,
        export="seller_profile_url",
        export_at=8,
        table="sellers",
        column="profile_url",
    ),
    Field(
        "seller_handle",
        str,
        "Account handle where the page shows one.",
        PIPELINE,
        recheck=True,
        table="sellers",
        column="handle",
    ),
    Field(
        "seller_location",
        str,
        "Seller location as shown (the listing's).",
        PIPELINE,
        table="sellers",
        column="location",
    ),
    Field("price", float, "Parsed amount in the listing's currency.", PIPELINE),
    Field("currency", str, "ISO 4217 currency code.", PIPELINE),
    Field(
        "price_kind",
        str,
        "fixed, range (price is the low end), on_request, free or missing.",
        PIPELINE,
    ),
    Field(
        "price_usd", float, "Price in US dollars at the reference rate of the day seen.", PIPELINE
    ),
    Field("rate_date", str, "Date of the exchange rate used for price_usd.", PIPELINE),
    Field(
        "rate_status",
        str,
        "ok, stale (the rate used is more than 7 days older than the day seen: run wildcrawl "
        "rates update) or missing (no rate for the currency: price_usd is empty).",
        PIPELINE,
    ),
    Field(
        "seller_id",
        str,
        'Seller key, "marketplace:seller_key".',
        PIPELINE,
        export="seller_id",
        export_at=7,
        public_description='Seller pseudonym, "marketplace:seller-" + 16 hex digits (HMAC-SHA256 of the seller\'s id under an unpublished key). The same seller keeps the same pseudonym within this release.',
    ),
    Field("location", str, "Location as shown.", CONFIG, recheck=True, text=True, optional=True),
    Field(
        "country",
        str,
        "ISO 3166-1 alpha-2 country derived from the location (or the marketplace's market).",
        PIPELINE,
    ),
    Field(
        "posted_at",
        str,
        "Posting date as shown by the marketplace.",
        CONFIG,
        recheck=True,
        text=True,
        optional=True,
    ),
    Field(
        "image_url",
        str,
        "Address of the main picture.",
        CONFIG,
        recheck=True,
        public_description="Address of the main picture on the marketplace (only in releases made with --keep-urls; empty where it would identify the seller); pictures are not part of the release.",
    ),
    Field(
        "views",
        str,
        "Views as shown (a channel post's counter, e.g. 37.2K).",
        CONFIG,
        recheck=True,
    ),
    Field(
        "keyword",
        str,
        "Search keyword that first found the listing in the latest crawl.",
        SPIDER,
        recheck=True,
    ),
    Field("lang", str, "Language of that keyword.", SPIDER, recheck=True),
    Field(
        "first_seen",
        str,
        "First time any crawl saw the listing, ISO 8601 UTC.",
        STORE,
        export="first_seen",
        export_at=9,
    ),
    Field(
        "last_seen",
        str,
        "Latest time a crawl saw the listing, ISO 8601 UTC.",
        STORE,
        export="last_seen",
        export_at=10,
    ),
    Field("status", str, "active, removed or sold.", STORE, export="status", export_at=11),
    Field(
        "removed_at",
        str,
        "When the listing was found removed or sold.",
        STORE,
        export="removed_at",
        export_at=12,
    ),
    Field(
        "risk",
        float,
        "Risk score between 0 and 1 from the lexicon matcher.",
        PIPELINE,
        export="risk",
        export_at=16,
    ),
    Field("flagged", int, "1 when risk is above the flag threshold.", PIPELINE),
    Field("explanation", str, "One-line explanation of the risk score.", PIPELINE),
    Field(
        "taxa",
        str,
        "Taxa matched, as a JSON list of scientific names.",
        PIPELINE,
        export="taxa",
        export_at=14,
    ),
    Field("last_crawl_id", int, "Latest crawl that saw the listing.", STORE, public=False),
    Field(
        "relevance",
        float,
        "How likely the listing offers a real wildlife product, 0 to 1, from the relevance "
        "model (flagged = relevant and risky).",
        PIPELINE,
    ),
    Field(
        "model",
        str,
        "The relevance model that scored the listing, as name@digest (wildcrawl model show).",
        PIPELINE,
    ),
    Field(
        "digest",
        int,
        "The store's fingerprint of the row and matches it last wrote (crawler.store.digest); "
        "empty once anything else changed the listing.",
        STORE,
        public=False,
    ),
)
FIELDS = {f.name: f for f in LISTING_FIELDS}
LISTINGS_FIELDS = tuple(f for f in LISTING_FIELDS if f.table == "listings")

# --- derived lists ----------------------------------------------------------------------------

# Fields a marketplace config may select (crawler.config).
FIELD_NAMES = tuple(f.name for f in LISTING_FIELDS if f.source == CONFIG)
# The clean step (crawler.crawl.pipelines.clean).
TEXT_FIELDS = tuple(f.name for f in LISTING_FIELDS if f.text)
REQUIRED_FIELDS = tuple(f.name for f in LISTING_FIELDS if f.required)
OPTIONAL_FIELDS = tuple(f.name for f in LISTING_FIELDS if f.optional)
# The listings columns a release publishes (crawler.publish.release).
PUBLIC_LISTING_COLUMNS = tuple(f.name for f in LISTINGS_FIELDS if f.public)
# Active listings of a marketplace, as a re-check starts from them (crawler.store.history).
RECHECK_SQL = (
    "select "
    + ", ".join(f.sql for f in LISTING_FIELDS if f.recheck)
    + "\nfrom listings l left join sellers s on s.id = l.seller_id"
    + "\nwhere l.marketplace = ? and l.status = 'active'\n"
)


def column_descriptions(public: bool = False) -> dict[str, str]:
    """The ``listings`` columns' descriptions, as Datasette shows them (internal or release)."""
    return {
        f.name: (f.public_description or f.description) if public else f.description
        for f in LISTINGS_FIELDS
        if f.public or not public
    }


def export_columns(computed: dict[str, int]) -> tuple[str, ...]:
    """The take-down export's columns in order: the schema's, and ``computed`` (name: place)."""
    places = {f.export: f.export_at for f in LISTING_FIELDS if f.export}
    places.update(computed)
    order = sorted(places, key=places.__getitem__)
    assert [places[c] for c in order] == list(range(len(order))), places
    return tuple(order)
