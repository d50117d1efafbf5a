"""Impossible prices are refused by the parser, never stored as numbers nor summed (issue 20 item 11)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from crawler.normalise.prices import normalize_price
from crawler.store.database import ListingStore, open_database
from tests.conftest import ROOT


@pytest.mark.parametrize(
    "text",
    [
        "1e308 €",
        "1E+10 EUR",
        "2.5e3 $",
        "-5 €",
        "€ -5",
        "−12,50 €",
        "123456789012345678901234567 €",
        "9999999999999 USD",
        "1 - 99999999999999999 €",
    ],
)
def test_impossible_prices_are_refused(text):
    parsed = normalize_price(text, currency_hint="EUR", locale="de_DE")
    assert parsed.kind == "impossible", parsed
    assert parsed.amount is None and parsed.high is None


@pytest.mark.parametrize(
    "text,amount,kind",
    [
        ("5 €", Decimal(5), "fixed"),
        ("100 - 200 €", Decimal(100), "range"),
        ("999.999.999.999 €", Decimal("999999999999"), "fixed"),
        ("1.2万", Decimal(12000), "fixed"),
        ("Preis: 12,50 EUR", Decimal("12.50"), "fixed"),
    ],
)
def test_plausible_prices_still_parse(text, amount, kind):
    parsed = normalize_price(text, currency_hint="EUR", locale="de_DE")
    assert (parsed.amount, parsed.kind) == (amount, kind)


def test_the_store_never_stores_an_implausible_price(tmp_path):
    store = ListingStore(open_database(tmp_path / "p.db"))
    store.start_crawl("demo", ["x"])
    prices = {"a": 1e308, "b": -5.0, "c": 1.2345678901234568e26, "d": 12.5, "e": float("nan")}
    for key, price in prices.items():
        store.add(
            {
                "id": f"demo:{key}",
                "marketplace": "demo",
                "item_id": key,
                "url": f"http://x/{key}",
                "title": key,
                "seen_at": "2026-01-01T00:00:00Z",
                "price": price,
                "price_usd": price,
                "currency": "EUR",
                "price_kind": "fixed",
            }
        )
    store.flush()
    db = store.db
    listed = {
        r[0]: r[1:] for r in db.execute("select id, price, price_usd, price_kind from listings")
    }
    assert listed["demo:d"] == (12.5, 12.5, "fixed")
    for key in "abce":
        assert listed[f"demo:{key}"] == (None, None, "impossible"), key
    total = db.execute("select sum(price), sum(price_usd) from observations").fetchone()
    assert total == (12.5, 12.5)


def test_dashboard_price_queries_skip_implausible_amounts(tmp_path):
    """A database written before the guard holds a 27-digit price: the dashboards leave it out."""
    charts = yaml.safe_load((ROOT / "crawler/publish/datasette/dashboards.yaml").read_text())
    store = ListingStore(open_database(tmp_path / "d.db"))
    db = store.db
    db.execute(
        "insert into listings (id, marketplace, item_id, flagged, price_usd) values "
        "('m:1', 'm', '1', 1, 1.2e26), ('m:2', 'm', '2', 1, 30.0), ('m:3', 'm', '3', 1, -4.0)"
    )
    db.execute(
        "insert into terms (id, term, lang, kind, product) values ('t', 'ivory', 'en', 'x', 'carving')"
    )
    db.execute("insert into matches (listing_id, term_id) select id, 't' from listings")
    used = 0
    for chart in charts["monitor"]["charts"].values():
        if "price" not in chart["query"]:
            continue
        used += 1
        rows = db.execute(chart["query"]).fetchall()
        values = [v for r in rows for v in r if isinstance(v, float)]
        assert values and all(0 < v < 1e12 for v in values), (chart["title"], rows)
    assert used


@pytest.mark.parametrize("text", ["123456789012345678901234567 €", "1e308 €", "-5 €"])
def test_the_fast_path_refuses_what_the_full_parser_refuses(text):
    """The crawl's price step reads one-number strings on a fast path; a 27-digit price went
    through it as a number and then broke the USD conversion, losing the listing."""
    from crawler.normalise.fast_prices import parse_price

    parsed = parse_price(text, "EUR", "de_DE")
    assert parsed.amount is None and parsed.kind == "impossible"


def test_a_listing_lost_in_a_pipeline_fails_the_crawl(tmp_path):
    from crawler.crawl.pipelines.store import end_crawl

    store = ListingStore(open_database(tmp_path / "wc.db"))
    store.save_marketplace({"name": "m", "title": "M", "base_url": "http://m"})
    store.start_crawl("m", ["ivory"])
    stats = {"wildcrawl/pages/results": 1, "wildcrawl/errors/item_failed": 1}
    assert end_crawl(store, stats, "finished", "http://m") == "failed"
    row = next(store.db.query("select status, message from crawls"))
    assert row["status"] == "failed" and "lost to an error in a pipeline" in row["message"]


def test_a_release_of_an_old_database_drops_implausible_amounts(tmp_path):
    """A database written before the guard holds 1.2e26 and -4 USD: the public release keeps
    the listings but not those amounts, so seller totals and charts stay meaningful."""
    import sqlite3

    from test_publish import build_internal_db

    from crawler.publish.release import publish

    path = build_internal_db(tmp_path / "old.db")
    conn = sqlite3.connect(path)
    ids = [r[0] for r in conn.execute("select id from listings order by id limit 2")]
    conn.execute("update listings set price_usd = 1.2e26, price = 1e27 where id = ?", [ids[0]])
    conn.execute("update listings set price_usd = -4.0 where id = ?", [ids[1]])
    conn.execute("update observations set price_usd = 1.2e26 where listing_id = ?", [ids[0]])
    conn.commit()
    conn.close()
    release = publish(path, tmp_path / "public", key=bytes(32))
    public = sqlite3.connect(release.out_dir / "wildcrawl-public.db")
    for table in ("listings", "observations"):
        worst = public.execute(
            f"select max(abs(coalesce(price_usd, 0))), min(coalesce(price_usd, 0)) from {table}"
        ).fetchone()
        assert worst[0] < 1e12 and worst[1] >= 0, (table, worst)
    assert public.execute("select max(total_asking_usd) from sellers").fetchone()[0] < 1e12
    n = public.execute("select count(*) from listings").fetchone()[0]
    assert n == sqlite3.connect(path).execute("select count(*) from listings").fetchone()[0]
