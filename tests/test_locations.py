"""crawler.normalise.locations: location text -> ISO 3166-1 alpha-2."""

from __future__ import annotations

import pytest

from crawler.normalise.locations import country_from_location


@pytest.mark.parametrize(
    "text,default,expected",
    [
        ("Lagos, Nigeria", None, "NG"),
        ("Shanghai, China", "US", "CN"),
        ("Located in: Guangzhou, China", "US", "CN"),
        ("Jakarta Barat, Indonesia 11530", None, "ID"),
        ("United Kingdom", None, "GB"),
        ("Brooklyn, NY, USA", None, "US"),
        ("Deutschland", None, "DE"),
        ("Maroc", None, "MA"),
        ("Hanoi, Việt Nam", None, "VN"),
        ("Côte d’Ivoire", None, "CI"),
        ("香港", None, "HK"),
        ("九龙, 香港", "CN", "HK"),
        ("中国 广东", None, "CN"),
        ("广东省深圳市", "CN", "CN"),
        ("台灣 台北", None, "TW"),
        ("Mokotów, Warszawa", "PL", "PL"),  # no country named: the marketplace's
        ("Casablanca", "ma", "MA"),
        ("Wrocław", None, None),
        ("", "DE", "DE"),
        (None, None, None),
    ],
)
def test_country_from_location(text, default, expected):
    assert country_from_location(text, default) == expected
