"""The demo channel source: generated posts of a few public channels, with ground truth.

``generate_channels(seed, size)`` gives the same posts for the same arguments on every
machine, as ``DemoListing``s (``item_id`` is ``<channel>/<post number>``, like Telegram's
``data-post``): wildlife offers, the same goods behind code words, legal look-alikes,
ordinary goods and plain chatter (news of the channel, no offer), in English, German,
French and Chinese. ``post_extras`` says what else a post shows (views, photos, the channel
it was forwarded from), derived from its id so the site and the tests agree.
Served by ``crawler.demo.sites.channels``; crawled with ``spiders/marketplaces/demo-channels.yaml``.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from crawler.demo import pricing
from crawler.demo.catalogue import (
    MAX_AGE_DAYS,
    REFERENCE_DATE,
    DemoListing,
    DemoSeller,
    _text,
)
from crawler.demo.products import CODE_WORD, DECOY, ORDINARY, WILDLIFE, kinds_for

NAME = "demo-channels"
SITES: dict[str, dict] = {
    NAME: {
        "title": "Demo Channels",
        "port": 8704,
        "currency": None,
        "languages": ("en", "de", "fr", "zh-Hans"),
        "country": None,
        "description": "Public channels in the shape of Telegram's web preview (t.me/s/...).",
    },
}


@dataclass(frozen=True)
class DemoChannel:
    name: str  # as in its address: /s/<name>
    title: str
    lang: str  # the lexicon's seed language
    country: str
    currency: str


CHANNELS = (
    DemoChannel("curio_traders", "Curio Traders", "en", "US", "USD"),
    DemoChannel("sammlerboerse", "Sammlerbörse", "de", "DE", "EUR"),
    DemoChannel("brocante_rare", "Brocante Rare", "fr", "FR", "EUR"),
    DemoChannel("wenwan_tang", "文玩堂", "zh-Hans", "CN", "CNY"),
)
# Channels some posts are forwarded from (not followed themselves).
SOURCES = (("wholesale_curios", "Wholesale Curios"), ("old_shop_archive", "Old Shop Archive"))
FIRST_POST = 1200
PRICE_LABEL = {"en": "Price:", "de": "Preis:", "fr": "Prix :", "zh": "价格："}
CHATTER = {
    "en": (
        "Good morning everyone! New stock arrives on Friday.",
        "Channel rules: be polite, no spam. Shipping worldwide.",
        "Thank you for 5000 subscribers!",
    ),
    "de": (
        "Guten Morgen! Neue Ware kommt am Freitag.",
        "Versand diese Woche nur Dienstag und Donnerstag.",
        "Danke für 3000 Abonnenten!",
    ),
    "fr": (
        "Bonjour à tous ! Nouveaux arrivages vendredi.",
        "Envois uniquement mardi et jeudi cette semaine.",
        "Merci pour les 2000 abonnés !",
    ),
    "zh": ("大家早上好！周五上新。", "本周只在周二和周四发货。", "感谢大家关注本频道！"),
}
_SHARES = ((WILDLIFE, 0.20), (CODE_WORD, 0.10), (DECOY, 0.25), ("chatter", 0.10))


@dataclass(frozen=True)
class PostExtras:
    views: str  # as shown: 812, 4.3K
    photos: int
    forwarded_from: tuple[str, str] | None  # (channel, title)


def channel_of(item: DemoListing) -> DemoChannel:
    name = item.item_id.split("/", 1)[0]
    return next(c for c in CHANNELS if c.name == name)


def post_number(item: DemoListing) -> int:
    return int(item.item_id.split("/", 1)[1])


def post_extras(item: DemoListing) -> PostExtras:
    digest = hashlib.sha256(item.item_id.encode()).digest()
    count = 150 + int.from_bytes(digest[:3], "big") % 9000
    views = f"{count / 1000:.1f}K" if count >= 1000 else str(count)
    offer = item.category != "chatter"
    photos = (1 + digest[3] % 3) if (offer and digest[4] % 10 < 8) else 0
    forwarded = SOURCES[digest[5] % 2] if offer and digest[6] % 10 < 2 else None
    return PostExtras(views, photos, forwarded)


def post_text(item: DemoListing) -> str:
    """The post as shown: its first line (the title), then the rest."""
    return f"{item.title}\n{item.description}".strip()


def generate_channels(seed: int, size: int) -> tuple[list[DemoSeller], list[DemoListing]]:
    """The channels (as sellers) and their posts, oldest first."""
    rng = random.Random(f"{NAME}/{seed}/{size}")
    since = (REFERENCE_DATE - timedelta(days=900)).isoformat()
    sellers = [
        DemoSeller(NAME, c.name, c.title, c.country, c.lang, since, dealer=True) for c in CHANNELS
    ]
    categories = []
    for category, share in _SHARES:
        categories += [category] * round(size * share)
    categories += [ORDINARY] * (size - len(categories))
    rng.shuffle(categories)
    drafts = []
    for category in categories:
        channel = rng.choice(CHANNELS)
        day = REFERENCE_DATE - timedelta(days=rng.randint(0, MAX_AGE_DAYS))
        at = datetime.combine(day, time(rng.randint(7, 22), rng.randint(0, 59)), timezone.utc)
        drafts.append((at, channel, category))
    drafts.sort(key=lambda d: (d[0], d[1].name))
    numbers = {c.name: FIRST_POST for c in CHANNELS}
    posts = []
    for at, channel, category in drafts:
        numbers[channel.name] += rng.randint(1, 4)  # other posts between (deleted, albums)
        item_id = f"{channel.name}/{numbers[channel.name]}"
        posts.append(_post(rng, item_id, channel, category, at.isoformat()))
    return sellers, posts


def _post(rng, item_id: str, channel: DemoChannel, category: str, at: str) -> DemoListing:
    base = "zh" if channel.lang.startswith("zh") else channel.lang
    common = {
        "site": NAME,
        "item_id": item_id,
        "seller_id": channel.name,
        "seller_name": channel.title,
        "location": "",
        "posted_at": at,
        "image_url": f"/img/{item_id}_1.png",
        "lang": channel.lang,
    }
    if category == "chatter":
        text = rng.choice(CHATTER[base])
        return DemoListing(
            **common,
            title=text,
            description="",
            price_text="",
            price=None,
            currency=None,
            price_kind="missing",
            category=ORDINARY,
            taxon=None,
            product=None,
        )
    everyone = kinds_for(category)
    kind = rng.choice(
        [k for k in everyone if base in k.titles] or [k for k in everyone if "en" in k.titles]
    )
    title, description = _text(kind, base, rng)
    if base == "zh":
        shown = pricing.tiaozao_price(rng, kind.usd, category, False)
    elif channel.currency == "USD":
        shown = pricing.jsmarket_price(rng, kind.usd, category)
    else:
        shown = pricing.bazaar_price(rng, kind.usd, category)
    return DemoListing(
        **common,
        title=title,
        description=f"{description}\n{PRICE_LABEL[base]} {shown.text}",
        price_text=shown.text,
        price=shown.price,
        currency=shown.currency,
        price_kind=shown.kind,
        category=category,
        taxon=kind.taxon,
        product=kind.product,
        price_max=shown.price_max,
    )
