"""Step 300: stable seller id and handle, off-platform contacts, country of the location.

The seller's handle is the one the page gives, else the one its profile URL shows; the
seller's location is the listing's (``sellers.handle`` and ``sellers.location``)."""

from __future__ import annotations

from crawler.crawl import warmup

# Needed by the first item, not by the first request: imported in the background once the
# crawl's first request is on its way (crawler.crawl.warmup); phonenumbers and the contact
# patterns took ~0.04 CPU s of the crawl's start.
MODULES = ("crawler.normalise.contacts", "crawler.normalise.locations", "crawler.normalise.sellers")


class SellerPipeline:
    @classmethod
    def from_crawler(cls, crawler):
        warmup.after_first_request(crawler, warmup.imports(*MODULES))
        return cls()

    def process_item(self, item):
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
