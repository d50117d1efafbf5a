"""The public release (``crawler.publish.release``, ``crawler.publish.redact``) over a small internal database.

``build_internal_db`` is shared with the Datasette tests.

The listings are modelled on what monitors find (ivory, rhino horn, pangolin
scales, code words, off-platform contacts in the text); the tests do not depend
on the demo crawl, which has its own tests on the ``crawled`` fixture.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import json
import re
import sqlite3
import struct
import zlib
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from crawler.publish import redact
from crawler.publish import release as publish_module
from crawler.publish.release import RELEASE_DB, publish
from crawler.store.database import ListingStore

SELLERS = {
    "demo-bazaar:old_carver_hk": {
        "seller_key": "old_carver_hk",
        "seller_handle": "old_carver_hk",
        "seller_name": "Lee Wing-kei",
        "seller_url": "http://127.0.0.1:8701/seller/old_carver_hk",
    },
    "demo-bazaar:4471093": {
        "seller_key": "4471093",
        "seller_handle": "antiquesmaria",
        "seller_name": "Maria Vogelsang",
        "seller_url": "http://127.0.0.1:8701/user/4471093",
    },
    "demo-tiaozao:xiangya_laoban": {
        "seller_key": "xiangya_laoban",
        "seller_handle": "xiangya_laoban",
        "seller_name": "王建国",
        "seller_url": "http://127.0.0.1:8703/u/xiangya_laoban",
    },
}

# (item_id, seller, title, description, price_text, price, currency, usd, country, taxa, flagged)
LISTINGS = [
    (
        "1001",
        "demo-bazaar:old_carver_hk",
        "Antique carved ivory bangle, pre-1947",
        "Genuine old ivory, certificate available. WhatsApp +852 9123 4567 for more photos.",
        "HK$ 12.800",
        12800.0,
        "HKD",
        1640.0,
        "HK",
        ["Loxodonta africana"],
        1,
    ),
    (
        "1002",
        "demo-bazaar:old_carver_hk",
        "White plastic netsuke, hand carved",
        "Old 'white plastic' carving. Contact: carver.lee@gmail.com or WeChat: ivory_88",
        "3.500 HK$",
        3500.0,
        "HKD",
        448.0,
        "HK",
        ["Loxodonta africana"],
        1,
    ),
    (
        "1003",
        "demo-bazaar:4471093",
        "Rhino horn libation cup (Nashorn), Qing style",
        "Aus Nachlass. Tel. 0171 2345678, nur Abholung in Hamburg.",
        "1.234,50 €",
        1234.5,
        "EUR",
        1340.0,
        "DE",
        ["Diceros bicornis"],
        1,
    ),
    (
        "1004",
        "demo-bazaar:4471093",
        "Ivory-coloured wedding dress, size 38",
        "Never worn, colour ivory. Call 040 12345678 after 6pm.",
        "150 €",
        150.0,
        "EUR",
        163.0,
        "DE",
        [],
        0,
    ),
    (
        "2001",
        "demo-tiaozao:xiangya_laoban",
        "穿山甲鳞片 正品 500克",
        "纯野生穿山甲片，加微信 pangolin_king8 详聊，电话 138 0013 8000。",
        "¥1.2万",
        12000.0,
        "CNY",
        1660.0,
        "CN",
        ["Manis pentadactyla"],
        1,
    ),
    (
        "2002",
        "demo-tiaozao:xiangya_laoban",
        "老象牙手镯 猛犸象牙",
        "QQ 12345678 联系，支持验货。",
        "800元",
        800.0,
        "CNY",
        111.0,
        "CN",
        ["Loxodonta africana"],
        1,
    ),
    (
        "2003",
        None,
        "Tiger Balm ointment 30g",
        "Pain relief ointment, sealed.",
        "¥25",
        25.0,
        "CNY",
        3.5,
        "CN",
        [],
        0,
    ),
]

TAXA = [
    {
        "id": "Loxodonta africana",
        "scientific_name": "Loxodonta africana",
        "common_name": "African elephant",
        "cites_appendix": "I",
        "taxon_group": "elephants",
    },
    {
        "id": "Diceros bicornis",
        "scientific_name": "Diceros bicornis",
        "common_name": "Black rhinoceros",
        "cites_appendix": "I",
        "taxon_group": "rhinos",
    },
    {
        "id": "Manis pentadactyla",
        "scientific_name": "Manis pentadactyla",
        "common_name": "Chinese pangolin",
        "cites_appendix": "I",
        "taxon_group": "pangolins",
    },
]
TERMS = [
    {
        "id": "en:product:ivory",
        "term": "ivory",
        "lang": "en",
        "kind": "product",
        "taxon_id": "Loxodonta africana",
        "product": "ivory",
        "source": "test",
    },
    {
        "id": "en:product:rhino horn",
        "term": "rhino horn",
        "lang": "en",
        "kind": "product",
        "taxon_id": "Diceros bicornis",
        "product": "horn",
        "source": "test",
    },
    {
        "id": "zh-Hans:product:穿山甲鳞片",
        "term": "穿山甲鳞片",
        "lang": "zh-Hans",
        "kind": "product",
        "taxon_id": "Manis pentadactyla",
        "product": "scales",
        "source": "test",
    },
]
PRODUCT_TERM = {
    "Loxodonta africana": TERMS[0],
    "Diceros bicornis": TERMS[1],
    "Manis pentadactyla": TERMS[2],
}

# Everything that identifies a seller or a contact; none may reach a public release.
SECRETS = [
    "old_carver_hk",
    "antiquesmaria",
    "xiangya_laoban",
    "Lee Wing-kei",
    "Maria Vogelsang",
    "王建国",
    "/seller/old_carver_hk",
    "/user/4471093",
    "/u/xiangya_laoban",
    "9123 4567",
    "+85291234567",
    "carver.lee@gmail.com",
    "ivory_88",
    "0171 2345678",
    "+491712345678",
    "040 12345678",
    "pangolin_king8",
    "138 0013 8000",
    "+8613800138000",
    "12345678",
    "4471093",
]


def tiny_png() -> bytes:
    """A valid 2x2 red PNG (the evidence screenshot of the tests)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def build_internal_db(path: Path, extra_listings: list[dict] | None = None) -> Path:
    """Write the listings above (plus ``extra_listings`` items) into a new database at ``path``."""
    from crawler.normalise.contacts import find_contacts

    store = ListingStore(path, batch_size=3)
    for name, title, country, currency in (
        ("demo-bazaar", "Demo Bazaar", "DE", "EUR"),
        ("demo-tiaozao", "Demo Tiaozao", "CN", "CNY"),
    ):
        store.save_marketplace(
            {
                "name": name,
                "title": title,
                "base_url": "http://127.0.0.1/",
                "country": country,
                "language": "en",
                "currency": currency,
                "render": "http",
            }
        )
    store.save_lexicon(TAXA, TERMS)
    for marketplace in ("demo-bazaar", "demo-tiaozao"):
        store.start_crawl(marketplace, ["ivory", "象牙"])
        for row in LISTINGS:
            item_id, seller, title, desc, ptext, price, cur, usd, country, taxa, flagged = row
            if not (seller or "demo-tiaozao:").startswith(marketplace):
                continue
            item = {
                "id": f"{marketplace}:{item_id}",
                "marketplace": marketplace,
                "item_id": item_id,
                "url": f"http://127.0.0.1:8701/item/{item_id}",
                "title": title,
                "description": desc,
                "price_text": ptext,
                "price": price,
                "currency": cur,
                "price_usd": usd,
                "country": country,
                "location": "Hong Kong" if country == "HK" else None,
                "keyword": "ivory",
                "lang": "en",
                "seen_at": f"2026-11-0{item_id[-1]}T10:00:00Z",
                "last_seen": "2026-11-05T10:00:00Z",
                "flagged": flagged,
                "risk": 0.9 if flagged else 0.1,
                "taxa": str(taxa).replace("'", '"'),
                "seller_id": seller,
                **(SELLERS.get(seller) or {}),
                "contacts": [
                    {
                        "id": f"{c.kind}:{c.normalized}",
                        "kind": c.kind,
                        "normalized": c.normalized,
                        "value": c.value,
                    }
                    for c in find_contacts(desc, country)
                ],
                "matches": [
                    {
                        "term_id": PRODUCT_TERM[t]["id"],
                        "field": "title",
                        "start": 0,
                        "end": 5,
                        "taxon_id": t,
                        "kind": "product",
                        "matched_text": PRODUCT_TERM[t]["term"],
                    }
                    for t in taxa
                ],
            }
            store.add(item)
        for item in extra_listings or ():
            if item["marketplace"] == marketplace:
                store.add(item)
        store.finish_crawl("finished", pages=2, errors=0, error_kinds={})
    evidence = path.parent / "evidence"
    evidence.mkdir(exist_ok=True)
    png = tiny_png()
    (evidence / "demo-bazaar_1001.png").write_bytes(png)
    with store.db.conn:
        store.db["evidence"].insert(
            {
                "listing_id": "demo-bazaar:1001",
                "crawl_id": 1,
                "kind": "screenshot",
                "path": "evidence/demo-bazaar_1001.png",
                "sha256": hashlib.sha256(png).hexdigest(),
                "bytes": len(png),
                "captured_at": "2026-11-01T10:00:05Z",
                "url": "http://127.0.0.1:8701/item/1001",
            }
        )
        store.db["reviews"].insert(
            {
                "listing_id": "demo-bazaar:1003",
                "verdict": "confirmed",
                "note": "checked with Maria Vogelsang's photos",
                "reviewer": "monitor.anna",
                "reviewed_at": "2026-11-06T09:00:00Z",
            }
        )
        store.db["reports"].insert(
            {
                "listing_id": "demo-bazaar:1003",
                "reported_at": "2026-11-06T09:10:00Z",
                "platform": "Demo Bazaar",
                "channel": "form",
                "reference": "TICKET-99812",
                "reported_by": "monitor.anna",
                "outcome": "removed",
                "outcome_at": "2026-11-08T12:00:00Z",
            }
        )
    store.close()
    return path


# --- tests ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    root = tmp_path_factory.mktemp("publish")
    db_path = build_internal_db(root / "internal.db")
    key = bytes(range(32))
    # keep_urls: these tests follow listings by their ids (the default release pseudonymises
    # them; tests/test_publish_leaks.py covers that).
    return db_path, publish(db_path, root / "public", key=key, keep_urls=True), key


SCRUB_CASES = [
    ("WhatsApp +852 9123 4567 for more photos", "WhatsApp [contact removed] for more photos"),
    ("Contact: carver.lee@gmail.com today", "Contact: [contact removed] today"),
    ("加微信 pangolin_king8 详聊", "加微信 [contact removed] 详聊"),
    ("Tel. 0171 2345678, nur Abholung", "Tel. [contact removed], nur Abholung"),
    ("email me: seller (at) mail (dot) com", "email me: [contact removed]"),
    ("line id: ivorydealer", "line id: [contact removed]"),
    ("Price 1.234.567 IDR, posted 2024-11-05", "Price 1.234.567 IDR, posted 2024-11-05"),
    ("Antique carved ivory bangle, pre-1947", "Antique carved ivory bangle, pre-1947"),
    ("¥1.2万 老象牙手镯", "¥1.2万 老象牙手镯"),
]


@pytest.mark.parametrize(("text", "expected"), SCRUB_CASES)
def test_scrub_contacts(text, expected):
    assert redact.scrub_contacts(text, "DE") == expected


def test_pseudonyms_are_keyed_and_stable():
    a, b = bytes(32), bytes([1] * 32)
    assert redact.seller_pseudonym(a, "m:anna") == redact.seller_pseudonym(a, "m:anna")
    assert redact.seller_pseudonym(a, "m:anna") != redact.seller_pseudonym(b, "m:anna")
    assert redact.seller_pseudonym(a, "m:anna").startswith("m:seller-")
    assert redact.seller_pseudonym(a, None) is None
    with pytest.raises(ValueError, match="hexadecimal"):
        redact.parse_key("not a key")


def test_no_seller_identity_or_contact_anywhere_in_the_release(release):
    db_path, rel, key = release
    internal = sqlite_utils.Database(db_path)
    found = {r["value"] for r in internal.query("select value from listing_contacts")}
    found |= {r["id"] for r in internal.query("select id from contacts")}
    found |= {r["normalized"] for r in internal.query("select normalized from contacts")}
    for row in internal.query("select id, seller_key, handle, name, profile_url from sellers"):
        found |= {v for v in row.values() if v}
    found |= {r["path"] for r in internal.query("select path from evidence")}
    found |= {r["reviewer"] for r in internal.query("select reviewer from reviews")}
    found |= {"TICKET-99812", key.hex()}
    secrets_ = found | set(SECRETS)
    files = [p for p in rel.out_dir.rglob("*") if p.is_file()]
    assert len(files) >= 8
    for path in files:
        data = path.read_bytes()
        leaks = [s for s in secrets_ if s.encode("utf-8") in data]
        assert not leaks, (path.name, leaks)
    assert sorted(p.name for p in rel.out_dir.iterdir() if not p.name.startswith(".")) == [
        "README.md",
        "csv",
        "inspect-data.json",
        "metadata.json",
        "plugins",
        "settings.json",
        "templates",
        RELEASE_DB,
    ]
    # nothing names the publisher's folders either
    assert not [p for p in files if str(rel.out_dir.parent).encode() in p.read_bytes()]


def test_release_keeps_the_facts_and_links_pseudonyms(release):
    _, rel, key = release
    db = sqlite_utils.Database(rel.db_path)
    assert db["listings"].count == len(LISTINGS)
    one = db["listings"].get("demo-bazaar:1003")
    assert one["seller_id"] == redact.seller_pseudonym(key, "demo-bazaar:4471093")
    assert one["review_verdict"] == "confirmed" and one["taxon_group"] == "rhinos"
    assert one["month"] == "2026-11"
    assert "Hamburg" in one["description"] and redact.CONTACT_MARK in one["description"]
    assert {r["id"] for r in db.query("select id from sellers")} == {
        r["seller_id"]
        for r in db.query("select distinct seller_id from listings where seller_id is not null")
    }
    assert not {"contacts", "listing_contacts", "wildcrawl_meta"} & set(db.table_names())
    assert "path" not in db["evidence"].columns_dict
    assert "reviewer" not in db["reviews"].columns_dict
    assert "reported_by" not in db["reports"].columns_dict
    hits = list(db.query("select rowid from listings_fts where listings_fts match ?", ['"象牙手"']))
    assert len(hits) == 1
    assert db.journal_mode == "delete"


def test_a_new_key_per_release_changes_every_pseudonym(release, tmp_path):
    db_path, rel, _ = release
    other = publish(db_path, tmp_path / "again")
    assert other.key_generated
    first = {r["id"] for r in sqlite_utils.Database(rel.db_path).query("select id from sellers")}
    second = {r["id"] for r in sqlite_utils.Database(other.db_path).query("select id from sellers")}
    assert first and not first & second


def test_snapshot_includes_committed_wal_data_of_a_live_database(tmp_path):
    db_path = build_internal_db(tmp_path / "live.db")
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute(
        "update listings set title = 'Pangolin scale medicine jar' where id = 'demo-tiaozao:2003'"
    )
    writer.execute("BEGIN")
    writer.execute("update listings set title = 'uncommitted' where id = 'demo-bazaar:1001'")
    rel = publish(db_path, tmp_path / "out", key=bytes(32), keep_urls=True)
    writer.execute("ROLLBACK")
    writer.close()
    db = sqlite_utils.Database(rel.db_path)
    assert db["listings"].get("demo-tiaozao:2003")["title"] == "Pangolin scale medicine jar"
    assert db["listings"].get("demo-bazaar:1001")["title"].startswith("Antique")


def test_metadata_describes_every_table_and_column(release):
    _, rel, _ = release
    meta = json.loads(rel.metadata_path.read_text(encoding="utf-8"))
    for field in ("title", "description_html", "license", "source"):
        assert meta[field]
    assert (
        "Lexicon version" in meta["description_html"] and "Demo Bazaar" in meta["description_html"]
    )
    tables = meta["databases"]["wildcrawl-public"]["tables"]
    db = sqlite_utils.Database(rel.db_path)
    for table in db.table_names():
        if table.startswith(("listings_fts", "listings_substring", "sqlite_")):
            continue
        assert tables[table]["description"], table
        empty = [c for c, text in tables[table]["columns"].items() if not text]
        assert set(tables[table]["columns"]) == set(db[table].columns_dict), table
        assert not empty, (table, empty)
    assert tables["listings"]["facets"] == [
        "flagged",
        "taxon_group",
        "marketplace",
        "country",
        "month",
    ]


def test_immutable_datasette_serves_facets_search_and_queries(release):
    from datasette.app import Datasette

    _, rel, _ = release
    meta = json.loads(rel.metadata_path.read_text(encoding="utf-8"))
    inspect = json.loads(rel.inspect_path.read_text(encoding="utf-8"))
    ds = Datasette(immutables=[str(rel.db_path)], metadata=meta, inspect_data=inspect)

    async def run():
        facets = (await ds.client.get("/wildcrawl-public/listings.json?_facet=taxon_group")).json()
        groups = {r["value"]: r["count"] for r in facets["facet_results"]["taxon_group"]["results"]}
        assert groups == {"elephants": 3, "rhinos": 1, "pangolins": 1}
        found = (
            await ds.client.get("/wildcrawl-public/listings.json?_search=netsuke&_shape=array")
        ).json()
        assert [r["id"] for r in found] == ["demo-bazaar:1002"]
        for query in meta["databases"]["wildcrawl-public"]["queries"]:
            response = await ds.client.get(f"/wildcrawl-public/{query}.json?_shape=array")
            assert response.status_code == 200, (query, response.text[:300])
            assert response.json(), query
        write = await ds.client.get("/wildcrawl-public.json?sql=delete+from+listings")
        assert write.status_code == 400

    asyncio.run(run())


def test_csv_exports_match_the_release(release):
    _, rel, _ = release
    with open(rel.out_dir / "csv" / "listings.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(LISTINGS)
    assert {"seller_id", "taxon_group", "month"} <= set(rows[0])


def test_publish_command_one_line_errors(tmp_path):
    import crawler.cli.publish_cmd  # noqa: F401  (registers the command)
    from crawler.cli.app import cli

    runner = CliRunner()
    missing = runner.invoke(
        cli, ["publish", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "o")]
    )
    assert missing.exit_code == 1 and "no such database" in missing.output
    db_path = build_internal_db(tmp_path / "w.db")

    def publish_with(key: str):
        (tmp_path / "release.key").write_text(key)
        args = ["publish", "--db", str(db_path), "--out", str(tmp_path / "o"), "--keep-urls"]
        return runner.invoke(cli, [*args, "--key-file", str(tmp_path / "release.key")])

    bad = publish_with("zz")
    assert bad.exit_code == 1 and "hexadecimal" in bad.output and "Traceback" not in bad.output
    ok = publish_with(bytes(range(32)).hex())
    assert ok.exit_code == 0, ok.output
    db = sqlite_utils.Database(tmp_path / "o" / RELEASE_DB)
    assert db["listings"].get("demo-bazaar:1001")["seller_id"] == redact.seller_pseudonym(
        bytes(range(32)), "demo-bazaar:old_carver_hk"
    )


def test_release_of_a_real_demo_crawl_hides_every_seller(crawled, tmp_path):
    db_path = crawled[0]
    rel = publish(db_path, tmp_path / "public")
    internal = sqlite_utils.Database(db_path)
    identities = set()
    for row in internal.query("select handle, name, profile_url from sellers"):
        identities |= {v for v in row.values() if v and len(v) >= 4}
    for row in internal.query("select value from listing_contacts"):
        identities.add(row["value"])
    for row in internal.query("select normalized from contacts"):
        identities.add(row["normalized"])
    assert len(identities) > 20, "the demo crawl should have sellers with handles and profiles"
    data = rel.db_path.read_bytes() + b"".join(
        p.read_bytes() for p in (rel.out_dir / "csv").glob("*")
    )
    leaks = sorted(s for s in identities if s.encode("utf-8") in data)
    assert not leaks, leaks[:10]
    assert sqlite_utils.Database(rel.db_path)["listings"].count == internal["listings"].count
    # Issue 20: "私聊发视频，微信{handle}" (no separator) is a contact, found and cut.
    unfound = internal.execute(
        "select count(*) from listings where (description glob '*微信[A-Za-z]*' "
        "or title glob '*微信[A-Za-z]*') "
        "and id not in (select listing_id from listing_contacts)"
    ).fetchone()[0]
    assert unfound == 0
    text = data.decode("utf-8", "replace")
    assert not re.search(r"微信[A-Za-z0-9_]{3,}", text), re.search(
        r".{20}微信[A-Za-z0-9_]{3,}", text
    )


@pytest.mark.parametrize(
    ("text", "grams"),
    [
        ("Old ivory bangle", ""),
        (None, ""),
        ("象牙", "象牙"),
        (
            "老象牙手镯 猛犸象牙",
            (
                "老象牙手镯 老象 老象牙 老象牙手 象牙 象牙手 象牙手镯 牙手 牙手镯 手镯 "
                "猛犸象牙 猛犸 猛犸象 犸象 犸象牙"
            ),
        ),
        ("Elfenbein象", "象"),
        (
            "ワシントン条約 상아",
            (
                "ワシントン条約 ワシ ワシン ワシント ワシントン ワシントン条 シン シント "
                "シントン シントン条 シントン条約 ント ントン ントン条 ントン条約 トン "
                "トン条 トン条約 ン条 ン条約 条約 상아"
            ),
        ),
    ],
)
def test_cjk_ngrams_index_every_substring_of_two_to_eight_characters(text, grams):
    assert publish_module.cjk_ngrams(text) == grams


def test_cjk_ngrams_stop_at_eight_characters():
    grams = publish_module.cjk_ngrams("一二三四五六七八九十").split()
    assert "一二三四五六七八" in grams and "一二三四五六七八九" not in grams
    assert "一二三四五六七八九十" in grams  # the whole run is always indexed


@pytest.mark.parametrize(
    ("search", "extra", "ids"),
    [
        ("netsuke", "", ["demo-bazaar:1002"]),
        ("象牙", "", ["demo-tiaozao:2002"]),  # two characters: the trigram index cannot find it
        ("象牙手", "", ["demo-tiaozao:2002"]),
        ("猛犸", "", ["demo-tiaozao:2002"]),
        ("bangles", "", ["demo-bazaar:1001"]),  # porter stemming
        ("ashor", "", []),  # part of a word: only the substring index finds it
        ("ashor", "&_fts_table=listings_substring", ["demo-bazaar:1003"]),
    ],
)
def test_release_search_finds_words_and_cjk_substrings(release, search, extra, ids):
    from datasette.app import Datasette

    _, rel, _ = release
    meta = json.loads(rel.metadata_path.read_text(encoding="utf-8"))
    ds = Datasette(immutables=[str(rel.db_path)], metadata=meta)

    async def run():
        response = await ds.client.get(
            f"/wildcrawl-public/listings.json?_search={search}{extra}&_shape=array"
        )
        assert response.status_code == 200, response.text[:300]
        return sorted(r["id"] for r in response.json())

    assert asyncio.run(run()) == ids


def test_release_plugin_maps_the_database_and_serve_loads_it(release):
    import importlib.util

    _, rel, _ = release
    plugin = rel.out_dir / "plugins" / "wildcrawl_public.py"
    spec = importlib.util.spec_from_file_location("wildcrawl_public_plugin", plugin)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    conn = sqlite3.connect(f"{rel.db_path.as_uri()}?immutable=1", uri=True)
    module.prepare_connection(conn)
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == -65536
    assert conn.execute("PRAGMA mmap_size").fetchone()[0] > 0
    conn.close()
    cmd = publish_module.serve_command(rel.out_dir, "127.0.0.1", 8001)
    assert cmd[cmd.index("--plugins-dir") + 1] == str(rel.out_dir / "plugins")
