"""Free-text seller/item locations -> ISO 3166-1 alpha-2 country codes.

Country names come from the Unicode CLDR territory names shipped with Babel,
in the lexicon's languages (``Germany``, ``Deutschland``, ``中国``, ``Maroc``,
``Nigeria``...), plus a few common abbreviations. The last comma-separated
part naming a country wins (``Lagos, Nigeria``); otherwise the marketplace's
``default_country`` stands in (an OLX Poland location ``Warszawa, Mokotów``
is in PL). The raw text is stored beside the code by the pipeline. Pure.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
    return cached("country-names", "cldr", key, _build_country_names)


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
    for part in reversed(parts):
        if part in names:
            return names[part]
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
    return best[1] if best else default


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
