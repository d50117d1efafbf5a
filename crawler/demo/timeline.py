"""The demo marketplaces' notion of time: what happens on day 1, 2, 3 ...

``timeline_events(site, listings)`` is a pure, seeded schedule over the listings a
site's headline search shows (``ivory`` / ``象牙``), so a crawl with that keyword sees
every event:

- day 1: the catalogue minus the listings that appear later;
- day 2: new listings appear, some change price, some are sold, some removed;
- day 3: more removals, one listing removed on day 2 is relisted by its seller under a
  new id with the same title, and demo-bazaar is *redesigned*: its result cards change class
  names, so the configured selectors stop matching (the broken-crawl guard's case).

``DemoServer.set_day(n)`` (or ``python -m crawler.demo.server --day N``) puts the sites
in the state of day ``n``; ``apply_day`` is the same for one ``SiteState``. Until then a
``DemoServer`` serves the whole generated catalogue (no timeline).
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from decimal import Decimal

from crawler.demo.catalogue import DemoListing, search_catalogue
from crawler.demo.state import ACTIVE, REMOVED, SOLD, SiteState

HEADLINE_QUERY = {
    "demo-bazaar": "ivory",
    "demo-jsmarket": "ivory",
    "demo-tiaozao": "象牙",
    "demo-channels": "ivory",
}
REDESIGN_DAY = {"demo-bazaar": 3}
# Class renames of a redesign: the page looks the same, the configured selectors miss.
REDESIGN_RENAMES = {
    "demo-bazaar": (
        ('<article class="listing"', '<article class="offer-card"'),
        ('class="title"', 'class="offer-title"'),
    ),
}

APPEAR, PRICE, SOLD_EVENT, REMOVE, RELIST = "appear", "price", "sold", "remove", "relist"


@dataclass(frozen=True)
class Event:
    """One change to one listing on one day (``relist``: ``new_id`` is the new listing)."""

    day: int
    kind: str
    item_id: str
    new_id: str | None = None


def timeline_events(site: str, listings: list[DemoListing], seed: int = 0) -> list[Event]:
    """The schedule of a site: deterministic for the same catalogue and seed."""
    pool = search_catalogue(listings, HEADLINE_QUERY[site])
    pool = sorted(pool, key=lambda i: i.item_id)
    random.Random(f"timeline/{site}/{seed}").shuffle(pool)
    ids = [i.item_id for i in pool]
    plan = [(2, APPEAR, 3), (2, PRICE, 3), (2, SOLD_EVENT, 2), (2, REMOVE, 4), (3, REMOVE, 3)]
    events, at = [], 0
    for day, kind, count in plan:
        for item_id in ids[at : at + count]:
            events.append(Event(day, kind, item_id))
        at += count
    relisted = next((e.item_id for e in events if e.kind == REMOVE and e.day == 2), None)
    if relisted:
        events.append(Event(3, RELIST, relisted, new_id=f"{relisted}9"))
    return events


def changed_price(item: DemoListing) -> DemoListing:
    """The same listing, 20 % cheaper (the text keeps the site's format: digits replaced)."""
    if item.price is None:
        return item
    new = (item.price * Decimal("0.8")).quantize(Decimal(1))
    old_digits = format(item.price.quantize(Decimal(1)), "f")
    text = item.price_text
    for candidate in (old_digits, f"{int(old_digits):,}".replace(",", "."), f"{int(old_digits):,}"):
        if candidate in text:
            text = text.replace(candidate, str(new), 1)
            break
    else:
        text = f"{new} {item.currency or ''}".strip()
    return dataclasses.replace(item, price=new, price_text=text)


def apply_day(state: SiteState, original: list[DemoListing], day: int, seed: int = 0) -> None:
    """Put one site's live state in the state of ``day`` (1 = before any event)."""
    events = timeline_events(state.site, original, seed)
    by_id = {i.item_id: i for i in original}
    state.reset(original)
    for event in events:
        if event.kind == APPEAR and event.day > day:
            state.set_status(event.item_id, REMOVED)
        if event.day > day:
            continue
        if event.kind == PRICE:
            state.put(changed_price(by_id[event.item_id]))
        elif event.kind == SOLD_EVENT:
            state.set_status(event.item_id, SOLD)
        elif event.kind == REMOVE:
            state.set_status(event.item_id, REMOVED)
        elif event.kind == RELIST and event.new_id:
            state.put(dataclasses.replace(by_id[event.item_id], item_id=event.new_id))
            state.set_status(event.new_id, ACTIVE)
    state.redesigned = day >= REDESIGN_DAY.get(state.site, 10**9)


def redesign_html(site: str, body: bytes) -> bytes:
    """A page of a redesigned site: the same page with renamed classes."""
    for old, new in REDESIGN_RENAMES.get(site, ()):
        body = body.replace(old.encode(), new.encode())
    return body
