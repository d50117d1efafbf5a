"""Golden tests: every real marketplace config against the saved real pages it was proven on.

Each saved page is served by a local server at its original path and crawled with
the real spider in a subprocess (``wildcrawl crawl``); other assertions call
``crawler.extract.listings`` directly on the same bytes. Counts are what a person sees on
the page; the listings checked by name were read off the HTML by hand.

For the crawl, a copy of the config is written with two changes only: the search
URL points at the saved page's path (the saved pages are category listings, not
keyword searches), and the ``detail`` section is dropped (listing links point at
the live sites; detail selectors are proven on saved item pages below).
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from w3lib.encoding import html_to_unicode

from crawler.config import MARKETPLACES_DIR, MarketplaceConfig, load_marketplace
from crawler.extract.listings import extract_detail, extract_listings, next_page_url
from crawler.extract.saved_pages import SavedPages
from crawler.normalise.prices import normalize_price
from tests.conftest import run_cli

# config name -> pages it crawls: {original path and query: saved page under real-pages/},
# pages it may fetch (search.max_pages of the crawl copy), listings a person sees on them.
CRAWL = {
    # Page 1 is the 2025 s-card layout; page 2 (counted with {page}) the 2022 s-item layout.
    "ebay": (
        {
            "/sch/i.html?_nkw=nike+shoes&_sop=12": "ebay/ebay_com_search_nike_shoes_2025.html",
            "/sch/i.html?_nkw=ivory&_pgn=2": "ebay/ebay_de_search_apple.html",
        },
        2,
        120,
    ),
    "olx-pl": (
        {
            "/nieruchomosci/mieszkania/sprzedaz/warszawa/": "olx_pl/olx_pl_search_mieszkania_warszawa_1.html"
        },
        1,
        44,
    ),
    # Page 1's next-page link leads to the saved empty results page: zero listings, no error.
    "gumtree-pl": (
        {
            "/s-mieszkania-i-domy-do-wynajecia/katowice/v1c9008l3200285p1": "gumtree_pl/gumtree_pl_search_wynajem_katowice_1.html",
            "/s-mieszkania-i-domy-do-wynajecia/katowice/page-2/v1c9008l3200285p2": "gumtree_pl/gumtree_pl_search_empty.html",
        },
        3,
        13,
    ),
    "avito-ma": (
        {"/fr/maroc/appartements-à_vendre": "avito_ma/avito_ma_search_appartements_p1.html"},
        1,
        35,
    ),
    "jiji-ng": ({"/cars": "jiji_ng/jiji_ng_search_used_cars_nigeria.html"}, 1, 20),
    "leboncoin": (
        {
            "/voitures/offres/midi_pyrenees/?q=renault%20laguna%203": "leboncoin/leboncoin_search_voitures_laguna_p1.html"
        },
        1,
        9,
    ),
}


def read_page(path: Path, config: MarketplaceConfig) -> str:
    """Decode a saved page as the spider does: the config's encoding, else what the page declares."""
    body = path.read_bytes()
    if config.encoding:
        return body.decode(config.encoding, errors="replace")
    return html_to_unicode(None, body)[1]


def crawl_copy(name: str, route: str, max_pages: int, out_dir: Path) -> Path:
    """The config with its search URL on the saved page's path and no detail section."""
    data = yaml.safe_load((MARKETPLACES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    config_path = data["search"]["url"].split("?")[0]
    saved_path = route.split("?")[0]
    if config_path != saved_path:
        data["search"]["url"] = saved_path + "?q={keyword}"
    data["search"]["max_pages"] = max_pages
    data.pop("detail", None)
    data["politeness"]["download_delay"] = 0
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def real_pages(shared_data) -> Path:
    path = shared_data / "real-pages"
    if not path.is_dir():
        pytest.skip(f"saved real pages not found at {path}")
    return path


@pytest.fixture(scope="module")
def crawl(real_pages, tmp_path_factory):
    """One ``wildcrawl crawl`` of all configs, each against its own saved-page server."""
    work = tmp_path_factory.mktemp("real")
    servers = {
        name: SavedPages({route: real_pages / file for route, file in pages.items()}).start()
        for name, (pages, _, _) in CRAWL.items()
    }
    try:
        args = ["crawl"]
        for name, (pages, max_pages, _) in CRAWL.items():
            args.append(str(crawl_copy(name, next(iter(pages)), max_pages, work / "configs")))
        args += ["--db", str(work / "crawl.db"), "-k", "ivory"]
        for name, server in servers.items():
            args += ["--base-url", f"{name}={server.base_url}"]
        result = run_cli(*args, timeout=240)
    finally:
        for server in servers.values():
            server.stop()
    db = sqlite3.connect(work / "crawl.db")
    db.row_factory = sqlite3.Row
    return result, db, servers


def listing(db, marketplace: str, item_id: str) -> sqlite3.Row:
    row = db.execute(
        "select * from listings where id = ?", (f"{marketplace}:{item_id}",)
    ).fetchone()
    assert row is not None, f"{marketplace}:{item_id} not stored"
    return row


def count(db, marketplace: str) -> int:
    return db.execute(
        "select count(*) from listings where marketplace = ?", (marketplace,)
    ).fetchone()[0]


# --- crawls through the real spider ---------------------------------------------


def test_crawl_finishes_and_fetches_the_saved_pages(crawl):
    result, db, servers = crawl
    assert result.returncode == 0, result.stderr[-3000:]
    statuses = {r["marketplace"]: r["status"] for r in db.execute("select * from crawls")}
    assert statuses == dict.fromkeys(CRAWL, "finished")
    for name, server in servers.items():
        served = [r for r in server.requests if r != "/robots.txt"]
        assert all(server.lookup(r) is not None for r in served), served
        assert len(served) == len(CRAWL[name][0]), (name, served)  # every saved page, nothing else


@pytest.mark.parametrize("name", list(CRAWL))
def test_crawl_stores_every_listing_a_person_sees(crawl, name):
    _, db, _ = crawl
    assert count(db, name) == CRAWL[name][2]


def test_ebay_2025_s_card_listing(crawl):
    _, db, _ = crawl
    row = listing(db, "ebay", "226694986552")
    assert (
        row["title"]
        == "Nike Shox TL 'Wolf Grey/ Lime' Men's Size US 8-14 Casual Sneakers Rare New✅"
    )
    assert row["url"] == "https://www.ebay.com/itm/226694986552"
    assert row["currency"] == "IDR"
    assert Decimal(str(row["price"])) == Decimal(
        "1794996.00"
    )  # low end of "IDR1,794,996.00 to ..."
    assert row["location"] == "Australia"
    # The hidden "Shop on eBay" template card (item 123456) is not a listing.
    assert db.execute("select count(*) from listings where item_id = '123456'").fetchone()[0] == 0


def test_olx_promoted_and_regular_offers(crawl):
    _, db, _ = crawl
    row = listing(db, "olx-pl", "615882224")  # first promoted offer
    assert row["title"] == "Muranów, blisko Muzeum POLIN/metro/tramwaj/ścisłe centrum"
    assert row["url"] == (
        "https://www.olx.pl/oferta/"
        "muranow-blisko-muzeum-polin-metro-tramwaj-scisle-centrum-CID3-IDFGb6g.html"
    )
    assert (Decimal(str(row["price"])), row["currency"]) == (Decimal(549000), "PLN")
    assert row["location"].startswith("Warszawa")
    last = listing(db, "olx-pl", "618020917")
    assert last["title"] == "Sprzedam bezpośrednio 2 pokoje wysoki standard – Koszykowa 1"
    assert Decimal(str(last["price"])) == Decimal(620000)


def test_gumtree_tile_without_price(crawl):
    _, db, _ = crawl
    row = listing(db, "gumtree-pl", "1007246940240911148463809")
    assert row["title"] == "Apartament trzypokojowy na przedmieściach Katowic"
    assert row["url"].endswith(
        "/a-mieszkania-i-domy-do-wynajecia/katowice/"
        "apartament-trzypokojowy-na-przedmiesciach-katowic/1007246940240911148463809"
    )
    assert (Decimal(str(row["price"])), row["currency"]) == (Decimal(2490), "PLN")
    unpriced = listing(db, "gumtree-pl", "1007244462800910806727109")
    assert unpriced["title"] == "Mieszkanie wynajem Katowice Załęże 31,94m2"
    assert unpriced["price"] is None


def test_avito_listing_from_next_data(crawl):
    _, db, _ = crawl
    row = listing(db, "avito-ma", "48156341")
    assert row["title"] == "Appartement 210 m² Belvédère TRAM"
    assert row["url"].startswith("https://www.avito.ma/fr/") and row["url"].endswith(
        "_48156341.htm"
    )
    assert (Decimal(str(row["price"])), row["currency"]) == (Decimal(1550000), "MAD")
    assert row["location"] == "Casablanca, Belvédère"


def test_jiji_naira_prices(crawl):
    _, db, _ = crawl
    row = listing(db, "jiji-ng", "zjFKZsOn5DVMARMw2O5io1Qu")
    assert row["title"] == "Toyota Venza 2015 Black"
    # Jiji links are relative: joined to the address the page was fetched from.
    assert row["url"].endswith("/apapa/cars/toyota-venza-2015-black-zjFKZsOn5DVMARMw2O5io1Qu.html")
    assert (Decimal(str(row["price"])), row["currency"]) == (Decimal(22000000), "NGN")


def test_leboncoin_windows_1252_euro(crawl):
    _, db, _ = crawl
    row = listing(db, "leboncoin", "839739086")
    assert row["title"] == "Renault Laguna coupé GP 2 MONACO 150CV"
    assert row["url"] == "http://www.leboncoin.fr/voitures/839739086.htm?ca=16_s"
    assert (Decimal(str(row["price"])), row["currency"]) == (Decimal(14000), "EUR")
    assert row["location"] == "Maulichères / Gers"


def test_ebay_2022_s_item_listing(crawl):
    _, db, _ = crawl
    row = listing(db, "ebay", "125633387556")  # carries a "Neues Angebot" badge before the title
    assert (
        row["title"]
        == 'Apple MacBook Pro 15" A1398, 16GB/256GB - MJLQ2D/A - OVP - Juni 2015 - Silber'
    )
    assert row["url"] == "https://www.ebay.de/itm/125633387556"
    assert (Decimal(str(row["price"])), row["currency"]) == (Decimal("152.00"), "EUR")
    thousands = listing(db, "ebay", "402990526723")
    assert Decimal(str(thousands["price"])) == Decimal("1049.00")  # "EUR 1.049,00"


# --- extraction on the same bytes (no spider) -------------------------------------

EXTRACT_CASES = [
    # config, saved page, listings, listings without a price
    ("ebay", "ebay/ebay_de_search_apple.html", 60, 0),
    ("ebay", "ebay/ebay_com_search_nike_shoes_2025.html", 60, 0),
    ("olx-pl", "olx_pl/olx_pl_search_mieszkania_warszawa_1.html", 44, 0),
    ("olx-pl", "olx_pl/olx_pl_search_mieszkania_warszawa_2.html", 44, 0),
    ("gumtree-pl", "gumtree_pl/gumtree_pl_search_wynajem_katowice_1.html", 13, 1),
    ("gumtree-pl", "gumtree_pl/gumtree_pl_search_wynajem_katowice_3.html", 13, 1),
    ("gumtree-pl", "gumtree_pl/gumtree_pl_search_single_ad.html", 1, 0),
    ("gumtree-pl", "gumtree_pl/gumtree_pl_search_empty.html", 0, 0),
    ("avito-ma", "avito_ma/avito_ma_search_appartements_p1.html", 35, 3),
    ("avito-ma", "avito_ma/avito_ma_search_appartements_p2.html", 35, 8),
    ("avito-ma", "avito_ma/avito_ma_search_appartements_p500.html", 35, 10),
    ("jiji-ng", "jiji_ng/jiji_ng_search_used_cars_nigeria.html", 20, 0),
    ("leboncoin", "leboncoin/leboncoin_search_voitures_laguna_p1.html", 9, 0),
]


@pytest.mark.parametrize("name, page, n, unpriced", EXTRACT_CASES)
def test_extract_counts_and_complete_fields(real_pages, name, page, n, unpriced):
    config = load_marketplace(name)
    found = extract_listings(config, read_page(real_pages / page, config), config.base_url + "/")
    assert found.error is None
    assert len(found.listings) == n
    assert len({row["item_id"] for row in found.listings}) == n
    assert sum(1 for row in found.listings if not row.get("price_text")) == unpriced
    for row in found.listings:
        assert row["title"] and row["url"].startswith("http")
        if row.get("price_text"):
            price = normalize_price(
                row["price_text"], currency_hint=config.currency, locale=config.locale
            )
            assert price.amount is not None and price.currency, row["price_text"]


def test_leboncoin_needs_its_forced_encoding(real_pages):
    config = load_marketplace("leboncoin")
    body = (real_pages / "leboncoin/leboncoin_search_voitures_laguna_p1.html").read_bytes()
    good = extract_listings(config, body.decode("windows-1252"), config.base_url + "/")
    wrong = extract_listings(config, body.decode("iso-8859-15"), config.base_url + "/")
    assert {r["price_text"] for r in good.listings} >= {"14 000 €", "12 500 €"}
    assert not any("€" in (r["price_text"] or "") for r in wrong.listings)


@pytest.mark.parametrize(
    "name, page, expected",
    [
        (
            "olx-pl",
            "olx_pl/olx_pl_search_mieszkania_warszawa_1.html",
            "https://www.olx.pl/nieruchomosci/mieszkania/sprzedaz/warszawa/?page=2",
        ),
        (
            "gumtree-pl",
            "gumtree_pl/gumtree_pl_search_wynajem_katowice_1.html",
            "https://www.gumtree.pl/s-mieszkania-i-domy-do-wynajecia/katowice/page-2/v1c9008l3200285p2",
        ),
        (
            "leboncoin",
            "leboncoin/leboncoin_search_voitures_laguna_p1.html",
            "http://www.leboncoin.fr/voitures/offres/midi_pyrenees/?o=2&q=renault%20laguna%203",
        ),
    ],
)
def test_next_page_links(real_pages, name, page, expected):
    config = load_marketplace(name)
    assert (
        next_page_url(config, read_page(real_pages / page, config), config.base_url + "/")
        == expected
    )


@pytest.mark.parametrize(
    "name, page, expected",
    [
        (
            "ebay",
            "ebay/zyte_ebay_com_item1.html",
            {
                "price_text": "GBP 1.99",
                "seller_name": "phoenixemporium",
                "seller_url": "https://www.ebay.com/usr/phoenixemporium",
                "location": "dudley, United Kingdom",
            },
        ),
        (
            "ebay",
            "ebay/zyte_ebay_co_uk_item1.html",
            {
                "price_text": "£115.00",
                "seller_name": "clipclopthriftshop",
                "location": "Ballycastle, United Kingdom",
            },
        ),
        (
            "olx-pl",
            "olx_pl/olx_pl_item_mokotow.html",
            {
                "price_text": "517 000 zł",
                "seller_name": "Janek",
                "location": "Warszawa, Mazowieckie, Mokotów",
                "posted_at": "19:06, 20 października 2020",
            },
        ),
        (
            "olx-pl",
            "olx_pl/olx_pl_item_apartament_goclaw.html",
            {
                "price_text": "777 950 zł",
                "seller_name": "Ewa",
                "location": "Warszawa, Mazowieckie, Praga-Południe",
            },
        ),
        (
            "gumtree-pl",
            "gumtree_pl/gumtree_pl_item_kawalerka_wroclaw.html",
            {"price_text": "2 200 zł", "posted_at": "10/11/2019"},
        ),
    ],
)
def test_detail_pages(real_pages, name, page, expected):
    config = load_marketplace(name)
    found = extract_detail(config, read_page(real_pages / page, config), config.base_url + "/")
    assert {k: found.get(k) for k in expected} == expected
    if name != "ebay":  # eBay's description lives in an iframe
        assert found["description"] and len(found["description"]) > 100
