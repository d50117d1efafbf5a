"""The live state of one demo site: its catalogue plus take-downs, sales and blocking.

Tests change it through ``DemoServer`` (``remove``, ``mark_sold``, ``set_blocked``)
to check that re-crawls notice removed or sold listings and never store a block page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from crawler.demo.catalogue import DemoListing, DemoSeller, search_catalogue

ACTIVE = "active"
REMOVED = "removed"
SOLD = "sold"


@dataclass
class SiteState:
    """Catalogue of one site and what happened to its listings since generation."""

    site: str
    listings: list[DemoListing]
    sellers: dict[str, DemoSeller]
    removed: set[str] = field(default_factory=set)
    sold: set[str] = field(default_factory=set)
    blocked: bool = False
    redesigned: bool = False  # crawler.demo.timeline: result pages renamed their classes
    _by_id: dict[str, DemoListing] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {item.item_id: item for item in self.listings}

    def search(self, query: str) -> list[DemoListing]:
        """What the site's search shows: ``search_catalogue`` minus removed listings."""
        with self._lock:
            removed = set(self.removed)
        return [
            item for item in search_catalogue(self.listings, query) if item.item_id not in removed
        ]

    def get(self, item_id: str) -> DemoListing | None:
        return self._by_id.get(item_id)

    def status(self, item_id: str) -> str:
        with self._lock:
            if item_id in self.removed:
                return REMOVED
            if item_id in self.sold:
                return SOLD
        return ACTIVE

    def set_status(self, item_id: str, status: str) -> None:
        if item_id not in self._by_id:
            raise KeyError(f"{self.site} has no listing {item_id!r}")
        with self._lock:
            self.removed.discard(item_id)
            self.sold.discard(item_id)
            if status == REMOVED:
                self.removed.add(item_id)
            elif status == SOLD:
                self.sold.add(item_id)
            elif status != ACTIVE:
                raise ValueError(f"unknown listing status {status!r}")

    def reset(self, listings: list[DemoListing]) -> None:
        """Back to a fresh catalogue: these listings, all active, not blocked (timeline days)."""
        with self._lock:
            self.listings = list(listings)
            self._by_id = {item.item_id: item for item in self.listings}
            self.removed.clear()
            self.sold.clear()
            self.blocked = False
            self.redesigned = False

    def put(self, item: DemoListing) -> None:
        """Add a listing, or replace the one with its id (a price change, a relisting)."""
        with self._lock:
            if item.item_id in self._by_id:
                self.listings = [item if i.item_id == item.item_id else i for i in self.listings]
            else:
                self.listings = [*self.listings, item]
            self._by_id[item.item_id] = item

    def seller_listings(self, seller_id: str) -> list[DemoListing]:
        """A seller's visible listings, newest first."""
        with self._lock:
            removed = set(self.removed)
        mine = [i for i in self.listings if i.seller_id == seller_id and i.item_id not in removed]
        mine.sort(key=lambda i: i.item_id)
        mine.sort(key=lambda i: i.posted_at, reverse=True)
        return mine
