"""End to end: the three demo marketplaces (one only a browser can see) -> crawl -> SQLite.

Checked against the demo generator's ground truth: every listing a search for
the keywords returns is stored exactly once, with the right title, price,
currency and seller.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils

from crawler.demo.catalogue import generate_catalogue, search_catalogue
from tests.conftest import DEMO_KEYWORDS as KEYWORDS
from tests.conftest import DEMO_SITES as SITES
from tests.conftest import run_cli


def expected(site: str, server) -> dict[str, object]:
    listings = generate_catalogue(site, seed=server.seed, size=server.size)
    found = {}
    for kw in KEYWORDS:
        for item in search_catalogue(listings, kw):
            found[item.item_id] = item
    return found


@pytest.mark.parametrize("site", SITES)
def test_every_matching_listing_stored_once_and_right(crawled, site):
    db_path, _, server = crawled
    db = sqlite_utils.Database(db_path)
    truth = expected(site, server)
    assert truth, f"the keywords find nothing on {site}: the test would prove nothing"
    rows = {
        r["item_id"]: r for r in db.query("select * from listings where marketplace = ?", [site])
    }
    assert set(rows) == set(truth), (
        f"missing {sorted(set(truth) - set(rows))[:5]}, extra {sorted(set(rows) - set(truth))[:5]}"
    )
    ids = [r["id"] for r in db.query("select id from listings where marketplace = ?", [site])]
    assert len(ids) == len(set(ids))
    for item_id, t in truth.items():
        row = rows[item_id]
        assert row["title"] == t.title, item_id
        assert row["price_text"] == t.price_text, item_id
        assert row["price_kind"] == t.price_kind, (item_id, t.price_text)
        if t.price is None:
            assert row["price"] is None, (item_id, t.price_text)
        else:
            assert Decimal(str(row["price"])) == t.price, (item_id, t.price_text)
            assert row["currency"] == t.currency, (item_id, t.price_text)
            assert row["price_usd"] is not None, (item_id, t.price_text)
            assert row["price_usd"] > 0 or t.price_kind == "free", (item_id, t.price_text)
        seller = db["sellers"].get(row["seller_id"])
        assert seller["name"] == t.seller_name, item_id
        assert t.seller_id in (seller["profile_url"] or "") or seller["seller_key"] == t.seller_id


def test_javascript_site_listings_were_found_in_the_browser(crawled):
    db_path, _, _ = crawled
    db = sqlite_utils.Database(db_path)
    count = db.execute(
        "select count(*) from listings where marketplace = 'demo-jsmarket'"
    ).fetchone()[0]
    assert count > 24  # more than the first batch: "Load more" was clicked


def test_crawl_rows_matches_and_flags(crawled):
    db_path, result, _ = crawled
    db = sqlite_utils.Database(db_path)
    crawls = list(db.query("select * from crawls"))
    assert sorted(c["marketplace"] for c in crawls) == sorted(SITES)
    for c in crawls:
        assert c["status"] == "finished", c
        assert c["pages"] > 0 and c["listings_seen"] > 0 and c["finished_at"]
        assert json.loads(c["keywords"]) == KEYWORDS
    assert db["matches"].count > 0
    flagged = db.execute("select count(*) from listings where flagged = 1").fetchone()[0]
    assert flagged > 0
    assert db["observations"].count == db["listings"].count
    for site in SITES:
        assert site in result.stdout  # the summary names every marketplace


def test_recrawl_is_idempotent(crawled, tmp_path):
    db_path, _, server = crawled
    copy = tmp_path / "again.db"
    src = sqlite_utils.Database(db_path)
    src.execute(f"vacuum into '{copy}'")
    before = sqlite_utils.Database(copy)
    n_listings, n_obs = before["listings"].count, before["observations"].count
    n_crawls = before["crawls"].count
    before.close()
    result = run_cli(
        "crawl",
        "demo-tiaozao",
        "--db",
        str(copy),
        "-k",
        ",".join(KEYWORDS),
        "--max-pages",
        "50",
        "--base-url",
        f"demo-tiaozao={server.base_url('demo-tiaozao')}",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    after = sqlite_utils.Database(copy)
    n_tiaozao = after.execute(
        "select count(*) from listings where marketplace = 'demo-tiaozao'"
    ).fetchone()[0]
    assert after["listings"].count == n_listings
    assert after["crawls"].count == n_crawls + 1
    assert after["observations"].count == n_obs + n_tiaozao
    last = next(iter(after.query("select * from crawls order by id desc limit 1")))
    assert last["listings_new"] == 0 and last["listings_seen"] == n_tiaozao


def test_malformed_config_exits_with_one_line_and_leaves_the_database_alone(crawled, tmp_path):
    db_path, _, _ = crawled
    bad = tmp_path / "broken-market.yaml"
    bad.write_text(
        "name: broken-market\ntitle: Broken\nbase_url: http://127.0.0.1:1\n"
        "search:\n  url: /s?q={keyword}\n  max_pages: lots\nlistings:\n  item: li\n",
        encoding="utf-8",
    )
    before = db_path.read_bytes()
    result = run_cli("crawl", str(bad), "--db", str(db_path))
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert str(bad) in lines[0] and ":6:" in lines[0] and "max_pages" in lines[0]
    assert db_path.read_bytes() == before


def test_the_crawl_log_is_a_file_named_in_the_summary(crawled):
    db_path, result, _ = crawled
    line = next(li for li in result.stdout.splitlines() if li.startswith("log: "))
    log = Path(line.removeprefix("log: "))
    assert log.parent == db_path.parent.resolve() / "logs" and log.name.startswith("crawl-")
    assert "Dumping Scrapy stats" in log.read_text(encoding="utf-8")
    assert "Dumping Scrapy stats" in result.stderr  # off a terminal, stderr keeps all of it
