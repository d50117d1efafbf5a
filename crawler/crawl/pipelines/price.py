"""Step 200: price text -> amount, ISO currency, kind, and USD at the rate of the day seen."""

from __future__ import annotations

from crawler.crawl import warmup


def _ready() -> None:
    """The price step's modules, currency indexes (CLDR, from the cache) and exchange rates:
    needed by the first item, not by the first request, so made ready in the background once
    the crawl's first request has left (crawler.crawl.warmup). Best effort: a failure here
    is met again, and reported, where the first item needs the same thing."""
    from crawler.normalise.fast_prices import parse_price
    from crawler.normalise.rates import load_rates

    parse_price("VB 510 €", "EUR", "de_DE")
    load_rates()


READY = warmup.Preload(_ready, name="price step")


class PricePipeline:
    def __init__(self, stats, crawler=None):
        self.stats = stats
        self.crawler = crawler
        self._rates = None  # the crawl's rate table, read at its first price

    @classmethod
    def from_crawler(cls, crawler):
        warmup.after_first_request(crawler, READY)
        return cls(crawler.stats, crawler)

    def process_item(self, item):
        return warmup.ready_then(READY, self.crawler, self._process, item)

    def _process(self, item):
        from crawler.normalise.fast_prices import parse_price
        from crawler.normalise.rates import is_stale, load_rates, to_usd

        # normalize_price's answer; fast for one-number strings, remembered for repeats
        parsed = parse_price(item.get("price_text"), item.get("currency_hint"), item.get("locale"))
        item["price"] = float(parsed.amount) if parsed.amount is not None else None
        item["currency"] = parsed.currency
        item["price_kind"] = parsed.kind
        item["price_usd"] = None
        item["rate_date"] = None
        item["rate_status"] = None
        if parsed.amount is not None and parsed.currency:
            if self._rates is None:
                # Once per crawl, not per item: finding the table (its path, a missing user
                # table's stat, its time) cost ~30 us an item; a crawl converts at one table.
                self._rates = load_rates()
            conversion = to_usd(parsed.amount, parsed.currency, item["seen_at"][:10], self._rates)
            if conversion is None:
                self.stats.inc_value(f"wildcrawl/price/no_rate/{parsed.currency}")
                item["rate_status"] = "missing"
            else:
                item["price_usd"] = float(round(conversion.usd, 2))
                item["rate_date"] = conversion.rate_date.isoformat()
                stale = is_stale(conversion, item["seen_at"][:10])
                item["rate_status"] = "stale" if stale else "ok"
                if stale:
                    self.stats.inc_value("wildcrawl/price/stale_rate")
        elif item.get("price_text") and parsed.kind == "missing":
            self.stats.inc_value("wildcrawl/price/unparsed")
        return item
