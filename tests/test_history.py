"""crawler.store.history: status transitions, the broken-crawl guard, re-check candidates; the demo timeline."""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlite_utils

from crawler.config import load_marketplace
from crawler.demo.catalogue import generate_catalogue
from crawler.demo.server import DemoServer
from crawler.demo.timeline import REMOVE, SOLD_EVENT, changed_price, timeline_events
from crawler.extract.listings import extract_listings
from crawler.store import history
from crawler.store.database import ListingStore, ensure_schema

T1, T2, T3 = "2026-11-01T10:00:00Z", "2026-11-02T10:00:00Z", "2026-11-03T10:00:00Z"


@pytest.mark.parametrize(
    "previous, page_state, expected",
    [
        # (status, removed_at, last_seen) before -> (status, removed_at, last_seen, went_away)
        ((None, None, None), None, ("active", None, T2, False)),
        ((None, None, None), "ok", ("active", None, T2, False)),
        (("active", None, T1), "ok", ("active", None, T2, False)),
        (("active", None, T1), "removed", ("removed", T2, T1, True)),
        (("active", None, T1), "sold", ("sold", T2, T1, True)),
        (("removed", T2, T1), "removed", ("removed", T2, T1, False)),  # stays put
        (("sold", T2, T1), "removed", ("removed", T2, T1, False)),  # left at the first
        (("removed", T2, T1), "ok", ("active", None, T2, False)),  # back online
        ((None, None, None), "sold", ("sold", T2, T2, True)),  # first seen already sold
    ],
)
def test_transition(previous, page_state, expected):
    step = history.transition(*previous, page_state, T2)
    assert (step.status, step.removed_at, step.last_seen, step.went_away) == expected


@pytest.mark.parametrize(
    "extracted, previous, blocked, broken",
    [
        (100, [], 0, False),  # first crawl: nothing to compare with
        (0, [], 0, False),
        (100, [100, 90, 110], 0, False),
        (40, [100, 90, 110], 0, False),  # 40 % of the median: a quiet day, not broken
        (29, [100, 90, 110], 0, True),
        (0, [18], 0, True),  # a redesign: selectors match nothing
        (0, [0, 0], 0, False),  # nothing ever found: nothing to lose
        (100, [100], 2, True),  # block/captcha pages
        (5, [100, 100, 100, 1, 1], 0, True),  # only the last three count
    ],
)
def test_broken_reason(extracted, previous, blocked, broken):
    reason = history.broken_reason(extracted, previous, blocked)
    assert (reason is not None) == broken
    if broken:
        assert ("block" in reason) if blocked else ("median" in reason)


def _crawls_db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    db = sqlite_utils.Database(conn)
    db["crawls"].insert_all(
        [
            {
                "id": 1,
                "marketplace": "m",
                "status": "finished",
                "keywords": '["ivory"]',
                "listings_seen": 50,
                "listings_extracted": 40,
            },
            {
                "id": 2,
                "marketplace": "m",
                "status": "finished",
                "keywords": '["象牙", "ivory"]',
                "listings_seen": 70,
                "listings_extracted": 60,
            },
            {
                "id": 3,
                "marketplace": "m",
                "status": "broken",
                "keywords": '["ivory", "象牙"]',
                "listings_seen": 0,
                "listings_extracted": 0,
            },
            {
                "id": 4,
                "marketplace": "other",
                "status": "finished",
                "keywords": '["ivory", "象牙"]',
                "listings_seen": 9,
                "listings_extracted": 9,
            },
            {
                "id": 5,
                "marketplace": "m",
                "status": "finished",
                "keywords": '["ivory", "象牙"]',
                "listings_seen": 80,
                "listings_extracted": None,
            },
        ],
        pk="id",
    )
    return conn


def test_previous_counts_same_marketplace_and_keywords_finished_only():
    conn = _crawls_db()
    # keyword order does not matter; broken crawls and other marketplaces are no baseline
    assert history.previous_counts(conn, "m", ["ivory", "象牙"], before_id=6) == [80, 60]
    assert history.previous_counts(conn, "m", ["ivory"], before_id=6) == [40]
    assert history.previous_counts(conn, "m", ["ivory", "象牙"], before_id=5) == [60]


def test_recheck_candidates_only_active_unseen_listings_of_these_keywords():
    conn = sqlite3.connect(":memory:")
    db = sqlite_utils.Database(conn)
    ensure_schema(db)
    db["sellers"].insert(
        {"id": "m:s1", "name": "Ana", "profile_url": "http://x/u/1", "handle": None}
    )
    rows = [
        ("1", "active", "ivory"),
        ("2", "active", "ivory"),
        ("3", "removed", "ivory"),
        ("4", "active", "pangolin"),
        ("5", "sold", "ivory"),
    ]
    db["listings"].insert_all(
        [
            {
                "id": f"m:{i}",
                "marketplace": "m",
                "item_id": i,
                "url": f"http://x/{i}",
                "title": "t",
                "status": s,
                "keyword": k,
                "seller_id": "m:s1",
            }
            for i, s, k in rows
        ],
        pk="id",
    )
    found = history.recheck_candidates(conn, "m", ["ivory"], seen_item_ids={"1"})
    assert [r["item_id"] for r in found] == ["2"]
    assert found[0]["seller_name"] == "Ana" and found[0]["url"] == "http://x/2"
    assert history.recheck_candidates(sqlite3.connect(":memory:"), "m", ["ivory"], set()) == []


@pytest.mark.parametrize(
    "previous, title, price, changed",
    [
        (None, "a", 1.0, True),
        ({"title": "a", "price": 1.0}, "a", 1.0, False),
        ({"title": "a", "price": 1.0}, "a", 0.8, True),
        ({"title": "a", "price": 1.0}, "b", 1.0, True),
        ({"title": "a", "price": None}, "a", None, False),
        ({"title": "a", "price": None}, "a", 5.0, True),
    ],
)
def test_price_or_title_changed(previous, title, price, changed):
    assert history.price_or_title_changed(previous, title, price) is changed


def _item(item_id: str, seen_at: str, page_state: str | None = None, **extra) -> dict:
    return {
        "id": f"demo-bazaar:{item_id}",
        "marketplace": "demo-bazaar",
        "item_id": item_id,
        "url": f"http://x/listing/{item_id}",
        "title": f"Ivory {item_id}",
        "seen_at": seen_at,
        "price": 10.0,
        "currency": "EUR",
        "page_state": page_state,
        **extra,
    }


def test_store_records_transitions_observations_and_removed_count(tmp_path):
    store = ListingStore(tmp_path / "h.db")
    store.start_crawl("demo-bazaar", ["ivory"])
    for i in ("1", "2", "3"):
        store.add(_item(i, T1))
    store.finish_crawl("finished", 1, 0, {})
    first = store.crawl_id
    store = ListingStore(store.db)  # one store per crawl, as in the store pipeline
    store.start_crawl("demo-bazaar", ["ivory"])
    store.add(_item("1", T2, price=8.0))
    store.add(_item("2", T2, "sold"))
    store.add(_item("3", T2, "removed", rechecked=True))
    store.finish_crawl("finished", 1, 0, {})
    db = store.db
    listings = {r["item_id"]: r for r in db.query("select * from listings")}
    assert (listings["1"]["status"], listings["1"]["removed_at"], listings["1"]["last_seen"]) == (
        "active",
        None,
        T2,
    )
    assert (listings["2"]["status"], listings["2"]["removed_at"]) == ("sold", T2)
    assert (listings["3"]["status"], listings["3"]["removed_at"], listings["3"]["last_seen"]) == (
        "removed",
        T2,
        T1,
    )
    assert all(r["first_seen"] == T1 for r in listings.values())
    crawl = db["crawls"].get(store.crawl_id)
    assert (
        crawl["listings_removed"] == 2 and crawl["listings_seen"] == 2
    )  # the re-check is not "seen"
    hist = list(
        db.query(
            "select * from listing_history where listing_id = 'demo-bazaar:1' order by crawl_id"
        )
    )
    assert [(h["crawl_id"], h["change"], h["previous_price"]) for h in hist] == [
        (first, "first seen", None),
        (store.crawl_id, "price", 10.0),
    ]


# --- the demo timeline ---------------------------------------------------------------------


def test_timeline_is_deterministic_and_picks_headline_listings():
    listings = generate_catalogue("demo-bazaar")
    events = timeline_events("demo-bazaar", listings)
    assert events == timeline_events("demo-bazaar", generate_catalogue("demo-bazaar"))
    kinds = {(e.day, e.kind) for e in events}
    assert {
        (2, "appear"),
        (2, "price"),
        (2, SOLD_EVENT),
        (2, REMOVE),
        (3, REMOVE),
        (3, "relist"),
    } <= kinds
    ids = [e.item_id for e in events if e.kind != "relist"]
    assert len(ids) == len(set(ids))  # one event per listing
    by_id = {i.item_id: i for i in listings}
    assert all("ivory" in by_id[i].search_text for i in ids)


@pytest.mark.parametrize("price_text", ["1.234 €", "VB 450 €", "$1,250.00"])
def test_changed_price_keeps_the_sites_format(price_text):
    from dataclasses import replace
    from decimal import Decimal

    item = generate_catalogue("demo-bazaar")[0]
    amount = Decimal(
        price_text.replace("VB", "")
        .replace("€", "")
        .replace("$", "")
        .replace(".", "" if "€" in price_text else ".")
        .replace(",", "")
        .strip()
    )
    new = changed_price(replace(item, price=amount, price_text=price_text))
    assert new.price == (amount * Decimal("0.8")).quantize(Decimal(1))
    assert str(new.price) in new.price_text and new.price_text != price_text


def test_server_days_and_redesign_break_the_configured_selectors():
    config = load_marketplace("demo-bazaar")
    server = DemoServer(ports={"demo-bazaar": 0}, sites=["demo-bazaar"]).start()
    try:
        import urllib.request

        def search() -> list[str]:
            url = server.base_url("demo-bazaar") + "/search?q=ivory&page=1"
            body = urllib.request.urlopen(url).read().decode()
            return [r["item_id"] for r in extract_listings(config, body, url).listings]

        events = timeline_events("demo-bazaar", server.catalogue("demo-bazaar"))
        appear = {e.item_id for e in events if e.kind == "appear"}
        removed2 = {e.item_id for e in events if e.kind == REMOVE and e.day == 2}
        server.set_day(1)
        day1 = set(search())
        assert day1 and not (appear & day1) and removed2 <= day1
        server.set_day(2)
        day2 = set(search())
        assert appear & day2 and not (removed2 & day2)
        server.set_day(3)
        assert search() == []  # redesigned: same listings, new class names
        server.set_day(1)
        assert set(search()) == day1
    finally:
        server.stop()


def test_keywords_key_is_order_free():
    assert history.keywords_key(["b", "a", "a"]) == json.dumps(["a", "b"])


def test_broken_reason_names_a_redirect_loop_not_the_selectors():
    reason = history.broken_reason(0, [100, 100], 0, redirect_loops=2)
    assert "redirect loop" in reason and "selectors" not in reason
    assert history.broken_reason(100, [100], 0, redirect_loops=0) is None
