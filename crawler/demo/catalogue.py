"""Deterministic catalogues of the three demo marketplaces, with ground truth.

``generate_catalogue(site, seed, size)`` returns the same listings for the same
arguments on every machine: a mix of wildlife products (about 20 %), the same
goods behind code words (10 %), legal look-alikes (30 %) and ordinary goods.
``search_catalogue`` is the sites' search semantics, shared by the demo server
and the tests as the answer to "what does a search for q return".
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from crawler.demo import phrases, pricing
from crawler.demo.products import (
    CODE_WORD,
    DECOY,
    ORDINARY,
    WILDLIFE,
    ProductKind,
    kinds_for,
)

DEFAULT_SEED = 20261031
DEFAULT_SIZE = 360
# The demo world is frozen at this date so a seed gives the same dates forever.
REFERENCE_DATE = date(2026, 10, 31)
MAX_AGE_DAYS = 180

SITES: dict[str, dict] = {
    "demo-bazaar": {
        "title": "Demo Bazaar",
        "port": 8701,
        "currency": "EUR",
        "languages": ("en", "de", "fr"),
        "country": "DE",
        "description": "Server-rendered European classifieds (German UI, EUR).",
    },
    "demo-jsmarket": {
        "title": "Demo JS Market",
        "port": 8702,
        "currency": "USD",
        "languages": ("en",),
        "country": "US",
        "description": "JavaScript-only marketplace: listings come from a JSON API.",
    },
    "demo-tiaozao": {
        "title": "旧货集 Demo Tiaozao",
        "port": 8703,
        "currency": "CNY",
        "languages": ("zh-Hans", "zh-Hant"),
        "country": "CN",
        "description": "Chinese second-hand market (Simplified, some Traditional).",
    },
}

_SHARES = ((WILDLIFE, 0.20), (CODE_WORD, 0.10), (DECOY, 0.30))


@dataclass(frozen=True)
class DemoSeller:
    """A seller account on a demo site."""

    site: str
    seller_id: str
    name: str
    location: str
    lang: str
    member_since: str
    dealer: bool  # sells many of the wildlife items


@dataclass(frozen=True)
class DemoListing:
    """One generated listing and the ground truth about it."""

    site: str
    item_id: str
    title: str
    description: str
    price_text: str
    price: Decimal | None
    currency: str | None
    price_kind: str
    seller_id: str
    seller_name: str
    location: str
    posted_at: str
    image_url: str
    category: str
    taxon: str | None
    product: str | None
    lang: str
    price_max: Decimal | None = None
    search_text: str = field(default="", repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "search_text", normalize_query(f"{self.title}\n{self.description}")
        )


def normalize_query(text: str) -> str:
    """NFKC + casefold: the comparison form of both queries and listing text."""
    return unicodedata.normalize("NFKC", text).casefold()


def search_catalogue(listings: list[DemoListing], query: str) -> list[DemoListing]:
    """Listings whose title or description contains ``query``, newest first, then by item_id.

    Case-insensitive (NFKC + casefold) substring match; surrounding whitespace of
    the query is ignored and an empty query matches everything.
    """
    needle = normalize_query(query.strip())
    found = [item for item in listings if needle in item.search_text]
    found.sort(key=lambda item: item.item_id)
    found.sort(key=lambda item: item.posted_at, reverse=True)
    return found


def generate_catalogue(
    site: str, seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE
) -> list[DemoListing]:
    """The listings of one demo site, in the order they were created."""
    return generate_site(site, seed, size)[1]


@lru_cache(maxsize=8)
def _site_cached(
    site: str, seed: int, size: int
) -> tuple[tuple[DemoSeller, ...], tuple[DemoListing, ...]]:
    return _generate(site, seed, size)


def generate_site(
    site: str, seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE
) -> tuple[list[DemoSeller], list[DemoListing]]:
    """Sellers and listings of one demo site (cached: generation is pure)."""
    if site not in SITES:
        raise ValueError(f"unknown demo site {site!r}; sites are: {', '.join(SITES)}")
    if size < 1:
        raise ValueError(f"catalogue size must be at least 1, got {size}")
    sellers, listings = _site_cached(site, seed, size)
    return list(sellers), list(listings)


# --- generation ------------------------------------------------------------------------------


def _generate(
    site: str, seed: int, size: int
) -> tuple[tuple[DemoSeller, ...], tuple[DemoListing, ...]]:
    rng = random.Random(f"{site}/{seed}/{size}")
    sellers = _make_sellers(site, rng, max(60, size // 6))
    categories = []
    for category, share in _SHARES:
        categories += [category] * round(size * share)
    categories += [ORDINARY] * (size - len(categories))
    rng.shuffle(categories)
    ids = _make_ids(site, rng, size)
    listings = tuple(
        _make_listing(site, rng, ids[i], cat, sellers) for i, cat in enumerate(categories)
    )
    return tuple(sellers), listings


def _make_ids(site: str, rng: random.Random, size: int) -> list[str]:
    if site == "demo-jsmarket":
        alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
        ids: list[str] = []
        seen: set[str] = set()
        while len(ids) < size:
            candidate = "".join(rng.choices(alphabet, k=8))
            if candidate not in seen:
                seen.add(candidate)
                ids.append(candidate)
        return ids
    start = 2_401_000_000 if site == "demo-bazaar" else 700_000_000_000
    ids, current = [], start
    for _ in range(size):
        current += rng.randint(1, 997)
        ids.append(str(current))
    return ids


def _make_sellers(site: str, rng: random.Random, count: int) -> list[DemoSeller]:
    sellers = []
    used: set[str] = set()
    for n in range(count):
        places = phrases.LOCATIONS[site]
        if site == "demo-tiaozao":
            # One seller in five is from Taiwan or Hong Kong and writes Traditional Chinese.
            hant = n % 5 == 0
            places = tuple(p for p in places if p[1].startswith("zh-Hant") == hant)
        location, lang = rng.choice(places)
        base_lang = "zh" if lang.startswith("zh") else lang
        name = rng.choice(phrases.SELLER_NAMES[base_lang])
        if name in used:
            name = (
                f"{name}{rng.randint(2, 99)}"
                if base_lang == "zh"
                else f"{name} {rng.randint(2, 99)}"
            )
        used.add(name)
        if lang == "zh-Hant-TW":
            name = _to_traditional(name, "s2tw")
        elif lang == "zh-Hant-HK":
            name = _to_traditional(name, "s2hk")
        if site == "demo-jsmarket":
            seller_id = (
                f"{rng.choice(phrases.HANDLE_WORDS)}_{rng.choice(phrases.HANDLE_WORDS)}{n:02d}"
            )
        elif site == "demo-bazaar":
            seller_id = str(100_000 + n * 37 + rng.randint(0, 36))
        else:
            seller_id = str(3_000_000 + n * 1009 + rng.randint(0, 1000))
        since = REFERENCE_DATE - timedelta(days=rng.randint(200, 4000))
        sellers.append(
            DemoSeller(site, seller_id, name, location, lang, since.isoformat(), n % 8 == 3)
        )
    return sellers


def _pick_lang(site: str, rng: random.Random, seller: DemoSeller) -> str:
    if site == "demo-bazaar" and rng.random() < 0.25:
        return "en"  # many European sellers post in English
    return seller.lang


def _pick_seller(rng: random.Random, category: str, sellers: list[DemoSeller]) -> DemoSeller:
    if category in (WILDLIFE, CODE_WORD) and rng.random() < 0.6:
        return rng.choice([s for s in sellers if s.dealer])
    return rng.choice(sellers)


def _kinds(site: str, category: str) -> list[ProductKind]:
    lang = "zh" if site == "demo-tiaozao" else "en"
    return [k for k in kinds_for(category) if lang in k.titles]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        cm=rng.choice((6, 8, 10, 12, 15, 18, 20, 25, 30, 42)),
        mm=rng.choice((54, 56, 57, 58, 60, 62)),
        g=rng.choice((10, 20, 50, 100, 250, 500)),
        kg=rng.choice((3, 5, 8, 12)),
        n=rng.randint(2, 6),
        size=rng.choice(phrases.SIZES),
        shoe=rng.randint(36, 44),
        year=rng.choice((1925, 1938, 1962, 2019, 2021, 2023)),
        gb=rng.choice((64, 128, 256)),
    )


def _contact(lang: str, rng: random.Random) -> str:
    template = rng.choice(phrases.CONTACTS[lang])
    return template.format(
        cc=rng.choice((44, 49, 84, 27, 66)),
        num=f"{rng.randint(7000, 7999)} {rng.randint(100000, 999999)}",
        handle=f"{rng.choice(phrases.HANDLE_WORDS)}{rng.randint(10, 9999)}",
        d1=rng.randint(0, 9),
        d2=f"{rng.randint(0, 99):02d}",
        d4=f"{rng.randint(0, 9999):04d}",
    )


def _text(kind: ProductKind, lang: str, rng: random.Random) -> tuple[str, str]:
    """Title and description in one of the base languages (en, de, fr, zh)."""
    titles = kind.titles.get(lang) or kind.titles["en"]
    lang = lang if lang in kind.titles else "en"
    base_title = _fill(rng.choice(titles), rng)
    title = base_title + rng.choice(phrases.TITLE_SUFFIXES[lang])
    if rng.random() < 0.12:
        title = f"{rng.choice(phrases.EMOJI)} {title}"
    parts = []
    intro = rng.choice(phrases.INTROS[lang])
    if intro:
        sep = "" if lang == "zh" else " "
        parts.append(f"{intro}{sep}{base_title}{'。' if lang == 'zh' else '.'}")
    notes = kind.notes.get(lang) or kind.notes.get("en") if lang != "zh" else kind.notes.get("zh")
    if notes:
        parts.append(rng.choice(notes))
    if kind.product != "live":  # "like new" is for goods, not animals
        parts.append(rng.choice(phrases.CONDITIONS[lang]))
    parts.append(rng.choice(phrases.SHIPPING[lang]))
    rare = kind.category in (WILDLIFE, CODE_WORD)
    if rng.random() < (0.45 if rare else 0.1):
        parts.append(_contact(lang, rng))
    if rng.random() < 0.2:
        parts.append(rng.choice(phrases.EMOJI) * rng.randint(1, 3))
    joiner = "" if lang == "zh" else rng.choice((" ", "\n", " "))
    return title, joiner.join(parts)


@lru_cache(maxsize=4)
def _converter(config: str):
    import opencc  # opencc-python-reimplemented: Simplified -> Traditional (Taiwan, Hong Kong)

    return opencc.OpenCC(config)


def _to_traditional(text: str, config: str) -> str:
    return _converter(config).convert(text)


def _make_listing(
    site: str, rng: random.Random, item_id: str, category: str, sellers: list[DemoSeller]
) -> DemoListing:
    kind = rng.choice(_kinds(site, category))
    seller = _pick_seller(rng, category, sellers)
    lang = _pick_lang(site, rng, seller)
    base = "zh" if lang.startswith("zh") else lang
    title, description = _text(kind, base, rng)
    if base == "en" or base in kind.titles:
        shown_lang = lang
    else:
        shown_lang = "en"
    traditional = lang.startswith("zh-Hant")
    if traditional:
        config = "s2tw" if lang == "zh-Hant-TW" else "s2hk"
        title, description = _to_traditional(title, config), _to_traditional(description, config)
        shown_lang = "zh-Hant"
    elif base == "zh":
        shown_lang = "zh-Hans"
    if site == "demo-bazaar":
        shown = pricing.bazaar_price(rng, kind.usd, category)
    elif site == "demo-jsmarket":
        shown = pricing.jsmarket_price(rng, kind.usd, category)
    else:
        shown = pricing.tiaozao_price(rng, kind.usd, category, traditional)
    posted = REFERENCE_DATE - timedelta(days=rng.randint(0, MAX_AGE_DAYS))
    image = {
        "demo-bazaar": "/img/{}.png",
        "demo-jsmarket": "/media/{}.png",
        "demo-tiaozao": "/pic/{}.png",
    }
    return DemoListing(
        site=site,
        item_id=item_id,
        title=title,
        description=description,
        price_text=shown.text,
        price=shown.price,
        currency=shown.currency,
        price_kind=shown.kind,
        seller_id=seller.seller_id,
        seller_name=seller.name,
        location=seller.location,
        posted_at=posted.isoformat(),
        image_url=image[site].format(item_id),
        category=category,
        taxon=kind.taxon,
        product=kind.product,
        lang=shown_lang,
        price_max=shown.price_max,
    )
