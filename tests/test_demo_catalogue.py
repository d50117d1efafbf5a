"""Tests of crawler.demo.catalogue: the demo marketplaces' deterministic ground truth."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import opencc
import pytest

from crawler.demo import catalogue
from crawler.demo.catalogue import (
    DEFAULT_SEED,
    DEFAULT_SIZE,
    MAX_AGE_DAYS,
    REFERENCE_DATE,
    SITES,
    DemoListing,
    generate_catalogue,
    generate_site,
    search_catalogue,
)

REPO = Path(__file__).resolve().parents[1]
ALL_SITES = sorted(SITES)


def _digest(listings: list[DemoListing]) -> str:
    text = "\n".join(repr(item) for item in listings)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture(scope="module", params=ALL_SITES)
def site_listings(request) -> tuple[str, list[DemoListing]]:
    return request.param, generate_catalogue(request.param)


# --- determinism and size ----------------------------------------------------------------------


@pytest.mark.parametrize("site", ALL_SITES)
def test_same_seed_same_catalogue_after_cache_clear(site):
    first = _digest(generate_catalogue(site, seed=7, size=320))
    catalogue._site_cached.cache_clear()
    assert _digest(generate_catalogue(site, seed=7, size=320)) == first


def test_catalogue_is_identical_in_another_process_with_other_hash_seed():
    code = (
        "from crawler.demo.catalogue import generate_catalogue, SITES\n"
        "import hashlib\n"
        "for s in sorted(SITES):\n"
        "    t = '\\n'.join(repr(i) for i in generate_catalogue(s))\n"
        "    print(hashlib.sha256(t.encode('utf-8')).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    assert out == [_digest(generate_catalogue(s)) for s in ALL_SITES]


@pytest.mark.parametrize("site", ALL_SITES)
def test_other_seed_gives_other_catalogue(site):
    a = generate_catalogue(site, seed=DEFAULT_SEED)
    b = generate_catalogue(site, seed=DEFAULT_SEED + 1)
    assert [i.title for i in a] != [i.title for i in b]


def test_default_size_and_unique_ids(site_listings):
    site, listings = site_listings
    assert len(listings) == DEFAULT_SIZE
    assert DEFAULT_SIZE >= 300
    assert len({i.item_id for i in listings}) == len(listings)
    assert all(i.site == site for i in listings)


def test_size_scales_cheaply_to_ten_thousand():
    big = generate_catalogue("demo-bazaar", size=10_000)
    assert len(big) == 10_000
    assert len({i.item_id for i in big}) == 10_000
    shares = Counter(i.category for i in big)
    assert shares == {"wildlife": 2000, "code_word": 1000, "decoy": 3000, "ordinary": 4000}


def test_unknown_site_and_bad_size_are_refused():
    with pytest.raises(ValueError, match="unknown demo site 'demo-nowhere'"):
        generate_catalogue("demo-nowhere")
    with pytest.raises(ValueError, match="at least 1"):
        generate_catalogue("demo-bazaar", size=0)


# --- the mix and the ground truth -------------------------------------------------------------


def test_category_mix(site_listings):
    _, listings = site_listings
    counts = Counter(i.category for i in listings)
    assert counts == {"wildlife": 72, "code_word": 36, "decoy": 108, "ordinary": 144}


def test_ground_truth_fields_are_consistent(site_listings):
    _, listings = site_listings
    for item in listings:
        if item.category in ("wildlife", "code_word"):
            assert item.taxon and item.product, item
        if item.category == "ordinary":
            assert item.taxon is None and item.product is None, item
        assert item.price_kind in ("fixed", "on_request", "free", "range")
        if item.price_kind == "on_request":
            assert item.price is None and item.currency is None
        else:
            assert isinstance(item.price, Decimal) and item.currency == SITES[item.site]["currency"]
        assert (item.price_max is not None) == (item.price_kind == "range")
        posted = date.fromisoformat(item.posted_at)
        assert 0 <= (REFERENCE_DATE - posted).days <= MAX_AGE_DAYS
        assert item.image_url.endswith(f"/{item.item_id}.png") and item.image_url.startswith("/")


def test_taxa_cover_the_traded_groups(site_listings):
    _, listings = site_listings
    taxa = {i.taxon for i in listings if i.category == "wildlife"}
    assert {"Loxodonta africana", "Rhinocerotidae", "Manis", "Panthera tigris"} <= taxa
    assert len(taxa) >= 12


def test_sellers_some_dealers_sell_several_wildlife_items(site_listings):
    site, listings = site_listings
    sellers, _ = generate_site(site)
    assert 55 <= len(sellers) <= 65
    assert len({s.seller_id for s in sellers}) == len(sellers)
    per_seller = Counter(i.seller_id for i in listings if i.category in ("wildlife", "code_word"))
    top = per_seller.most_common(3)
    assert all(n >= 4 for _, n in top), top
    by_id = {s.seller_id: s for s in sellers}
    assert all(by_id[i.seller_id].name == i.seller_name for i in listings)
    assert all(by_id[i.seller_id].location == i.location for i in listings)


def test_titles_read_like_listings(site_listings):
    _, listings = site_listings
    titles = [i.title for i in listings]
    assert len(set(titles)) >= 0.6 * len(titles)
    assert not any(re.fullmatch(r"(item|listing)\s*\d+", t, re.IGNORECASE) for t in titles)
    assert (
        sum(
            any(
                ord(c) > 0x2600
                and not 0x3000 <= ord(c) <= 0x9FFF
                and not 0xFF00 <= ord(c) <= 0xFFEF
                for c in i.title + i.description
            )
            for i in listings
        )
        >= 10
    )  # some emoji
    contacts = re.compile(r"WhatsApp|WeChat|微信|VX|Telegram|电话|電話|Tel\.|\(555\)")
    with_contact = [i for i in listings if contacts.search(i.description)]
    assert len(with_contact) >= 15
    rare = sum(i.category in ("wildlife", "code_word") for i in with_contact)
    assert rare / len(with_contact) > 0.3  # off-platform contact is commoner on wildlife ads


def test_code_words_hide_the_product_name():
    for site in ("demo-bazaar", "demo-jsmarket"):
        for item in generate_catalogue(site):
            if item.category == "code_word" and item.product == "ivory":
                text = (item.title + " " + item.description).casefold()
                assert not re.search(r"ivory|elfenbein|ivoire", text), item


def test_decoys_include_the_classic_false_positives():
    text = " ".join(
        i.title for i in generate_catalogue("demo-jsmarket", size=2000) if i.category == "decoy"
    )
    for decoy in (
        "Tiger Balm",
        "Shark",
        "Plush pangolin",
        "Faux ivory",
        "Tiger eye",
        "Tortoiseshell acetate",
        "Mammoth ivory",
        "Pre-ban",
        "Ivory",
    ):
        assert decoy in text, decoy


def test_bazaar_mixes_english_german_french():
    langs = Counter(i.lang for i in generate_catalogue("demo-bazaar"))
    assert set(langs) == {"en", "de", "fr"} and min(langs.values()) >= 30


def test_tiaozao_has_simplified_and_traditional_text():
    listings = generate_catalogue("demo-tiaozao")
    langs = Counter(i.lang for i in listings)
    assert set(langs) == {"zh-Hans", "zh-Hant"}
    assert 0.12 <= langs["zh-Hant"] / len(listings) <= 0.32
    t2s, s2t = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    for item in listings:
        text = item.title + item.description
        if item.lang == "zh-Hant":
            assert t2s.convert(text) != text, item  # has Traditional characters
        else:
            assert t2s.convert(text) == text, item  # nothing Traditional in it
            assert s2t.convert(text) != text, item  # and some Simplified characters
    assert any(i.location.startswith(("台湾", "香港")) for i in listings if i.lang == "zh-Hant")


# --- prices as shown against their meaning ----------------------------------------------------


def _bazaar_value(text: str) -> Decimal:
    m = re.fullmatch(r"(?:VB )?([\d.]+(?:,\d\d)?) €", text)
    assert m, text
    return Decimal(m.group(1).replace(".", "").replace(",", "."))


def _jsmarket_value(text: str) -> Decimal:
    m = re.fullmatch(r"(?:US )?\$([\d,]+(?:\.\d\d)?)(?: - \$[\d,]+)?", text)
    assert m, text
    return Decimal(m.group(1).replace(",", ""))


def _tiaozao_value(text: str) -> Decimal:
    if m := re.fullmatch(r"¥(\d+(?:\.\d+)?)万", text):
        return Decimal(m.group(1)) * 10000
    if m := re.fullmatch(r"(\d+)千元", text):
        return Decimal(m.group(1)) * 1000
    m = re.fullmatch(r"[¥￥]?(\d+)元?", text)
    assert m, text
    return Decimal(m.group(1))


PRICE_WORDS = {
    "demo-bazaar": {"on_request": {"Preis auf Anfrage"}, "free": {"Zu verschenken"}},
    "demo-jsmarket": {"on_request": {"Make an offer"}, "free": {"Free"}},
    "demo-tiaozao": {"on_request": {"面议", "議價"}, "free": {"免费送", "免費送"}},
}
PARSERS = {
    "demo-bazaar": _bazaar_value,
    "demo-jsmarket": _jsmarket_value,
    "demo-tiaozao": _tiaozao_value,
}


def test_price_text_matches_price(site_listings):
    site, listings = site_listings
    kinds = Counter(i.price_kind for i in listings)
    assert kinds["fixed"] > 250 and kinds["on_request"] >= 5 and kinds["free"] >= 3
    for item in listings:
        if item.price_kind in ("on_request", "free"):
            assert item.price_text in PRICE_WORDS[site][item.price_kind], item
        else:
            assert PARSERS[site](item.price_text) == item.price, item


@pytest.mark.parametrize(
    "site, pattern",
    [
        ("demo-bazaar", r"\d{1,3}(\.\d{3})+(,\d\d)? €"),  # 1.234,50 € / 1.290 €
        ("demo-bazaar", r"VB \d+ €"),
        ("demo-bazaar", r"\d+,\d\d €"),
        ("demo-jsmarket", r"\$\d{1,3}(,\d{3})+(\.\d\d)?"),
        ("demo-jsmarket", r"US \$\d+\.\d\d"),
        ("demo-jsmarket", r"\$[\d,]+ - \$[\d,]+"),
        ("demo-tiaozao", r"¥\d+(\.\d)?万"),
        ("demo-tiaozao", r"\d千元"),
        ("demo-tiaozao", r"￥\d+"),
        ("demo-tiaozao", r"\d+元"),
    ],
)
def test_each_price_style_occurs(site, pattern):
    texts = {i.price_text for i in generate_catalogue(site, size=1000)}
    assert any(re.fullmatch(pattern, t) for t in texts), pattern


def test_ranges_carry_both_bounds():
    ranges = [i for i in generate_catalogue("demo-jsmarket") if i.price_kind == "range"]
    assert ranges
    for item in ranges:
        low, high = (
            Decimal(v.replace(",", "")) for v in re.findall(r"\$([\d,]+)", item.price_text)
        )
        assert (low, high) == (item.price, item.price_max) and low < high


# --- search semantics -------------------------------------------------------------------------


def _make(
    item_id: str, title: str, description: str = "", posted: str = "2026-10-01"
) -> DemoListing:
    return DemoListing(
        "demo-bazaar",
        item_id,
        title,
        description,
        "5 €",
        Decimal(5),
        "EUR",
        "fixed",
        "1",
        "Anna",
        "Berlin",
        posted,
        f"/img/{item_id}.png",
        "ordinary",
        None,
        None,
        "en",
    )


SAMPLE = [
    _make("10", "Carved IVORY bangle", posted="2026-09-01"),
    _make("11", "Wedding dress", "colour: ivory white", posted="2026-10-02"),
    _make("12", "Ointment", "Ｔｉｇｅｒ　ｂａｌｍ, 19 g", posted="2026-10-02"),
    _make("09", "Straßenrad", "Fahrrad, 28 Zoll", posted="2026-10-02"),
    _make("13", "象牙手镯", "老料", posted="2026-08-01"),
    _make("14", "象牙手鐲", "議價", posted="2026-10-30"),
]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("ivory", ["11", "10"]),  # title or description, newest first
        ("IVORY", ["11", "10"]),  # case-insensitive
        ("  ivory ", ["11", "10"]),  # surrounding spaces ignored
        ("ｉｖｏｒｙ", ["11", "10"]),  # NFKC: full-width query
        ("tiger balm", ["12"]),  # NFKC on the text: full-width letters and space
        ("strasse", ["09"]),  # casefold: ß matches ss
        ("象牙", ["14", "13"]),  # substring in CJK, both scripts
        ("手镯", ["13"]),  # Simplified does not match Traditional
        ("", ["14", "09", "11", "12", "10", "13"]),  # empty: all, newest first, then item_id
        ("rhino", []),
    ],
)
def test_search_catalogue(query, expected):
    assert [i.item_id for i in search_catalogue(SAMPLE, query)] == expected


def test_search_catalogue_on_a_real_catalogue_is_ordered_and_complete():
    listings = generate_catalogue("demo-bazaar")
    found = search_catalogue(listings, "Elfenbein")
    assert found and all("elfenbein" in (i.title + i.description).casefold() for i in found)
    keys = [(-date.fromisoformat(i.posted_at).toordinal(), i.item_id) for i in found]
    assert keys == sorted(keys)
    missed = [
        i for i in listings if i not in found and "elfenbein" in (i.title + i.description).lower()
    ]
    assert missed == []
