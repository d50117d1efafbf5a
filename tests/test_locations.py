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
        ("Wrocław", None, "PL"),  # a city names its country (GeoNames)
        ("Wrocław", "DE", "PL"),
        ("Springfield", None, "US"),
        ("Paris", "US", "US"),  # Paris, Texas on a US marketplace
        ("Somewhere unknown", "DE", "DE"),
        ("", "DE", "DE"),
        (None, None, None),
    ],
)
def test_country_from_location(text, default, expected):
    assert country_from_location(text, default) == expected


# Issue 20 item 10: demo-bazaar (country DE) shows sellers all over Europe; each is in its city's
# country, not the config's.
@pytest.mark.parametrize(
    "text,expected",
    [
        ("10115 Berlin", "DE"),
        ("1010 Wien", "AT"),
        ("8001 Zürich", "CH"),
        ("75011 Paris", "FR"),
        ("1000 Bruxelles", "BE"),
        ("1204 Genève", "CH"),
        ("London E1", "GB"),
        ("1012 Amsterdam", "NL"),
        ("Dublin 2", "IE"),
        ("00-001 Warszawa", "PL"),
        ("Houston, TX", "US"),
    ],
)
def test_city_names_give_their_country_over_the_marketplace_default(text, expected):
    assert country_from_location(text, "DE") == expected


def test_every_demo_location_resolves_to_its_own_country():
    from crawler.demo.phrases import LOCATIONS

    unresolved = [
        text
        for site in LOCATIONS.values()
        for text, _ in site
        if country_from_location(text, None) is None
    ]
    assert unresolved == []


# Real location strings from the saved pages (shared real-pages): "City, District" on one
# country's marketplace stays in that country even when a district names a foreign town or
# country (Racine US, Praga CZ, Włochy = Italy in Polish).
@pytest.mark.parametrize(
    "text,default,expected",
    [
        ("Casablanca, Racine", "MA", "MA"),
        ("Casablanca, Sidi Maarouf", "MA", "MA"),
        ("Tanger, Tanja Balia", "MA", "MA"),
        ("Fquih Ben Saleh, Toute la ville", "MA", "MA"),
        ("Warszawa, Praga-Południe", "PL", "PL"),
        ("Warszawa, Włochy", "PL", "PL"),
        ("Castres / Tarn", "FR", "FR"),
        ("Katowice", None, "PL"),
        ("Casablanca, Racine", None, "MA"),
    ],
)
def test_real_locations(text, default, expected):
    assert country_from_location(text, default) == expected
