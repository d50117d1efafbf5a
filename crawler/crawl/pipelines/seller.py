"""Step 300: stable seller id and handle, off-platform contacts, country of the location.

The seller's handle is the one the page gives, else the one its profile URL shows; the
seller's location is the listing's (``sellers.handle`` and ``sellers.location``)."""

from __future__ import annotations

from crawler.crawl import warmup


def _ready() -> None:
    """The seller step's modules (phonenumbers, the contact patterns) and place names
    (GeoNames' cities and CLDR's countries, ~0.2 CPU s from the cache): needed by the first
    item, not by the first request, so made ready in the background once the crawl's first
    request has left (crawler.crawl.warmup). Best effort: a failure here is met again, and
    reported, where the first item needs the same thing."""
    from crawler.normalise.contacts import find_contacts
    from crawler.normalise.locations import country_from_location
    from crawler.normalise.sellers import seller_key

    country_from_location("Lagos")  # no country named: every index is read
    find_contacts("WhatsApp +234 803 123 4567", default_country="NG")
    seller_key(None, "x")


READY = warmup.Preload(_ready, name="seller step")


class SellerPipeline:
    def __init__(self, crawler=None):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        warmup.after_first_request(crawler, READY)
        return cls(crawler)

    def process_item(self, item):
        return warmup.ready_then(READY, self.crawler, self._process, item)

    def _process(self, item):
        from crawler.normalise.contacts import find_contacts
        from crawler.normalise.locations import country_from_location
        from crawler.normalise.sellers import (
            handle_from_profile_url,
            normalize_display_name,
            seller_key,
        )

        name = normalize_display_name(item.get("seller_name"))
        item["seller_name"] = name
        key = seller_key(item.get("seller_url"), item.get("seller_handle") or name)
        item["seller_key"] = key
        item["seller_handle"] = normalize_display_name(
            item.get("seller_handle")
        ) or handle_from_profile_url(item.get("seller_url"))
        item["seller_location"] = item.get("location")
        item["seller_id"] = f"{item['marketplace']}:{key}" if key else None
        item["country"] = country_from_location(item.get("location"), item.get("country_hint"))
        contacts = {}
        for field in ("title", "description"):
            for c in find_contacts(item.get(field), default_country=item.get("country_hint")):
                cid = f"{c.kind}:{c.normalized}"
                contacts.setdefault(
                    cid, {"id": cid, "kind": c.kind, "normalized": c.normalized, "value": c.value}
                )
        item["contacts"] = list(contacts.values())
        return item
