"""What ``wildcrawl try`` shows beyond the raw fields: what will be stored, and warnings.

Per listing: the parsed price and currency (the config's currency and locale as hints),
the price in USD at today's rate, and the lexicon terms the matcher finds with its flag.
Across listings: titles holding a price or a date (the title selector took too much),
duplicate ids, URLs that did not resolve to absolute ones, ids that are tracking
parameters.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from crawler.extract.autoconfig import looks_like_date, looks_like_price, tracking_params


def stored_rows(config, listings: list[dict], matcher=None) -> list[dict]:
    """Each listing as it will be stored: price, currency, usd, terms, flagged."""
    from crawler.normalise.prices import UnknownLocaleError, normalize_price
    from crawler.normalise.rates import RatesError, to_usd

    rows = []
    today = date.today()
    for raw in listings:
        try:
            parsed = normalize_price(
                raw.get("price_text"), currency_hint=config.currency, locale=config.locale
            )
        except UnknownLocaleError:
            parsed = normalize_price(raw.get("price_text"), currency_hint=config.currency)
        currency = parsed.currency or (config.currency if parsed.amount is not None else None)
        usd = None
        if parsed.amount is not None and currency:
            try:
                conv = to_usd(parsed.amount, currency, today)
            except (RatesError, OSError, ValueError):
                conv = None
            usd = str(conv.usd) if conv else None
        terms, flagged = [], None
        if matcher is not None:
            result = matcher.match(raw.get("title"), raw.get("description"))
            terms = sorted({m.term for m in result.matches})
            flagged = result.flagged
        rows.append(
            {
                "item_id": raw.get("item_id"),
                "title": raw.get("title"),
                "price": str(parsed.amount) if parsed.amount is not None else None,
                "price_kind": parsed.kind,
                "currency": currency,
                "usd": usd,
                "terms": terms,
                "flagged": flagged,
            }
        )
    return rows


def load_matcher():
    """The matcher over the default lexicon, or None when there is none here."""
    try:
        from crawler.matching.lexicon import load_lexicon
        from crawler.matching.matcher import Matcher

        return Matcher(load_lexicon())
    except Exception:  # noqa: BLE001 - try still shows the listings without the lexicon
        return None


def warnings(listings: list[dict]) -> list[str]:
    """Problems a person fixing the config should see, one line each."""
    out = []
    n = len(listings)
    priced = [r for r in listings if looks_like_price(r.get("title") or "")]
    if priced:
        out.append(
            f"{len(priced)} of {n} titles hold a price (e.g. {priced[0]['title'][:60]!r}): "
            "the title selector may take the whole card"
        )
    dated = [r for r in listings if looks_like_date(r.get("title") or "")]
    if dated:
        out.append(
            f"{len(dated)} of {n} titles hold a date or age (e.g. {dated[0]['title'][:60]!r})"
        )
    ids = Counter(r.get("item_id") for r in listings if r.get("item_id"))
    dupes = {k: v for k, v in ids.items() if v > 1}
    if dupes:
        first = next(iter(dupes))
        out.append(f"{sum(dupes.values())} listings share {len(dupes)} ids (e.g. {first!r})")
    relative = [
        r for r in listings if r.get("url") and not r["url"].startswith(("http:", "https:"))
    ]
    if relative:
        out.append(
            f"{len(relative)} of {n} URLs did not resolve to http(s) (e.g. {relative[0]['url']!r}); "
            "give --url with the page's original address"
        )
    tracked = [
        r
        for r in listings
        if r.get("item_id")
        and ("=" in r["item_id"] or r["item_id"].lower().startswith(("utm_", "ref")))
    ]
    if tracked:
        out.append(
            f"{len(tracked)} ids look like tracking parameters (e.g. {tracked[0]['item_id']!r})"
        )
    with_params = [r for r in listings if tracking_params(r.get("url") or "")]
    if with_params and len(with_params) == n:
        names = sorted({p for r in with_params for p in tracking_params(r["url"])})
        out.append(f"every URL carries tracking parameters ({', '.join(names[:4])})")
    return out
