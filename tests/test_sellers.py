"""crawler.normalise.sellers: stable seller keys and normalised display names."""

from __future__ import annotations

import html
import re

import pytest

from crawler.normalise.sellers import name_match_key, normalize_display_name, seller_key


@pytest.mark.parametrize(
    "url,handle,key",
    [
        ("https://www.ebay.com/usr/ivory_king?_trksid=p2047675", None, "ivory_king"),
        ("https://www.ebay.com/usr/ivory_king/", "Ivory King", "ivory_king"),
        (
            "http://feedback.ebay.com/ws/eBayISAPI.dll?ViewFeedback&userid=ivory_king&iid=1",
            None,
            "ivory_king",
        ),
        ("https://shop.example.cn/shop/view_shop.htm?user_number_id=1&uid=998877", None, "998877"),
        ("https://www.olx.pl/oferty/uzytkownik/1a2B3/", None, "1a2b3"),
        ("https://www.avito.ma/fr/boutique/horn-shop.htm", None, "horn-shop"),
        ("https://example.com/#/user/4242", None, "4242"),
        ("https://example.com/profile/55/listings", None, "55"),
        (None, "@Rhino_Horn", "rhino_horn"),
        ("", " Rhino  Horn ", "rhinohorn"),
        (None, None, None),
    ],
)
def test_seller_key(url, handle, key):
    assert seller_key(url, handle) == key


def test_key_stable_across_crawls():
    # The same seller seen on two crawls with different tracking parameters and case.
    first = seller_key("https://www.ebay.co.uk/usr/IvoryKing?_trksid=p1.l2559", "IvoryKing")
    second = seller_key("https://www.ebay.co.uk/usr/ivoryking?_trksid=p9.l2568&hash=x", None)
    assert first == second == "ivoryking"


def test_real_ebay_item_page_links_give_one_seller(shared_data):
    page = shared_data / "real-pages" / "ebay" / "zyte_ebay_co_uk_item1.html"
    hrefs = {html.unescape(h) for h in re.findall(r'href="([^"]+)"', page.read_text("utf-8"))}
    profile_links = [h for h in hrefs if re.search(r"/usr/|[?&]userid=|/sch/[^/]+/m\.html", h)]
    assert len(profile_links) >= 3
    keys = {seller_key(h, None) for h in profile_links}
    assert len(keys) == 1 and None not in keys


@pytest.mark.parametrize(
    "raw,shown,match",
    [
        ("  Ivory\u00a0 King ", "Ivory King", "ivory king"),
        ("ＩｖｏｒｙＫｉｎｇ", "IvoryKing", "ivoryking"),  # full-width
        ("象牙\u200b工艺", "象牙工艺", "象牙工艺"),  # zero-width space
        ("STRASSE", "STRASSE", "strasse"),
        ("Straße", "Straße", "strasse"),  # casefold, not lower
        ("", None, None),
        (None, None, None),
    ],
)
def test_display_names(raw, shown, match):
    assert normalize_display_name(raw) == shown
    assert name_match_key(raw) == match
