"""Generic extraction of one item page of a site that has no marketplace config.

Structured data first (JSON-LD, microdata, RDFa, OpenGraph, all parsed by
``extruct``), then the visible page where structured data is missing or
unusable: the price element nearest after the title (``crawler.extract.visible_price``),
meta tags, currency symbols. Pure: no Scrapy, no network.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

import extruct
from lxml import html as lxml_html
from price_parser import Price

from crawler.extract.visible_price import (
    NUMBER,
    best_visible_price,
    node_text,
    visible_price_candidates,
)
from crawler.normalise.prices import currency_to_iso

SYNTAXES = ["json-ld", "microdata", "opengraph"]
SLOW_SYNTAXES = ["rdfa"]  # pyRdfa is ~20x slower: parsed only when the others give no price

_TLD_CURRENCY = {
    "uk": "GBP",
    "de": "EUR",
    "fr": "EUR",
    "it": "EUR",
    "es": "EUR",
    "pt": "EUR",
    "ie": "EUR",
    "at": "EUR",
    "nl": "EUR",
    "be": "EUR",
    "sk": "EUR",
    "si": "EUR",
    "ee": "EUR",
    "lv": "EUR",
    "lt": "EUR",
    "fi": "EUR",
    "gr": "EUR",
    "ca": "CAD",
    "au": "AUD",
    "ch": "CHF",
    "pl": "PLN",
    "ro": "RON",
    "ru": "RUB",
    "in": "INR",
    "pk": "PKR",
    "br": "BRL",
    "cl": "CLP",
    "tw": "TWD",
    "il": "ILS",
    "sa": "SAR",
    "jp": "JPY",
    "cn": "CNY",
    "mx": "MXN",
    "za": "ZAR",
    "ng": "NGN",
    "ma": "MAD",
    "com": "USD",
}


@dataclass
class GenericListing:
    """What the generic extractor found on one page; ``source`` says where the price came from."""

    title: str | None = None
    price: str | None = None  # Decimal as text, so no precision is lost in JSON
    currency: str | None = None  # ISO 4217
    price_text: str | None = None
    seller_name: str | None = None
    location: str | None = None
    url: str | None = None
    source: str | None = None  # json-ld | microdata | rdfa | opengraph | meta | visible

    def as_json(self) -> dict:
        return asdict(self)


def _first(value: Any) -> Any:
    while isinstance(value, list):
        value = value[0] if value else None
    return value


def _text(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("@id")
    if value is None:
        return None
    value = re.sub(r"\s+", " ", str(value)).strip()
    return value or None


def _types(node: dict) -> set[str]:
    raw = node.get("@type") or node.get("type") or []
    raw = raw if isinstance(raw, list) else [raw]
    return {str(t).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for t in raw}


def _walk(node: Any):
    """Every dict inside a parsed structured-data tree (``@graph`` included)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _decimal(value: Any) -> Decimal | None:
    value = _first(value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    parsed = Price.fromstring(str(value))
    if parsed.amount is not None:
        return parsed.amount
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def _offer_price(offers: Any) -> tuple[Decimal | None, str | None, dict | None]:
    for offer in offers if isinstance(offers, list) else [offers]:
        if not isinstance(offer, dict):
            continue
        for key in ("price", "lowPrice", "highPrice"):
            amount = _decimal(offer.get(key))
            if amount is not None and amount > 0:
                return amount, _text(offer.get("priceCurrency")), offer
        spec = offer.get("priceSpecification")
        for sp in spec if isinstance(spec, list) else [spec]:
            if isinstance(sp, dict):
                amount = _decimal(sp.get("price"))
                if amount is not None and amount > 0:
                    return amount, _text(sp.get("priceCurrency")), offer
        nested = offer.get("offers")
        if nested:
            found = _offer_price(nested)
            if found[0] is not None:
                return found
    return None, None, None


def _location(offer: dict | None, product: dict) -> str | None:
    for holder in (offer or {}, product):
        for key in ("availableAtOrFrom", "areaServed", "itemLocation", "location"):
            place = _first(holder.get(key))
            if isinstance(place, dict):
                address = _first(place.get("address"))
                if isinstance(address, dict):
                    parts = [
                        _text(address.get(k))
                        for k in ("addressLocality", "addressRegion", "addressCountry")
                    ]
                    joined = ", ".join(p for p in parts if p)
                    if joined:
                        return joined
                name = _text(place.get("name")) or _text(address)
                if name:
                    return name
            elif place:
                return _text(place)
    return None


def _seller(offer: dict | None, product: dict) -> str | None:
    for holder in (offer or {}, product):
        for key in ("seller", "offeredBy", "vendor"):
            if holder.get(key):
                return _text(holder.get(key))
    return None


def _from_structured(
    data: dict, syntaxes=("json-ld", "microdata", "rdfa")
) -> GenericListing | None:
    """The first Product (or Offer) with a positive price, in syntax order."""
    for syntax in syntaxes:
        for node in _walk(data.get(syntax) or []):
            types = _types(node)
            if not types & {
                "Product",
                "IndividualProduct",
                "ProductModel",
                "Vehicle",
                "Car",
                "Book",
                "Offer",
                "AggregateOffer",
            }:
                continue
            offers = node.get("offers") if "offers" in node else node
            amount, currency, offer = _offer_price(offers)
            if amount is None:
                continue
            return GenericListing(
                title=_text(node.get("name")),
                price=str(amount),
                currency=currency,
                seller_name=_seller(offer, node),
                location=_location(offer, node),
                url=_text(node.get("url")),
                source=syntax,
            )
    return None


def _from_opengraph(data: dict) -> GenericListing | None:
    for block in data.get("opengraph") or []:
        props = dict(block.get("properties") or []) if "properties" in block else block
        amount = None
        for key in ("product:price:amount", "og:price:amount", "product:sale_price:amount"):
            amount = _decimal(props.get(key))
            if amount:
                break
        if amount:
            currency = (
                props.get("product:price:currency")
                or props.get("og:price:currency")
                or props.get("product:sale_price:currency")
            )
            return GenericListing(
                title=_text(props.get("og:title")),
                price=str(amount),
                currency=_text(currency),
                source="opengraph",
            )
    return None


def _og_title(data: dict) -> str | None:
    for block in data.get("opengraph") or []:
        props = dict(block.get("properties") or []) if "properties" in block else block
        if props.get("og:title"):
            return _text(props["og:title"])
    return None


def _from_meta(tree) -> GenericListing | None:
    """``itemprop=price`` or price meta tags outside any parsed item scope."""
    for query in (
        "//meta[@itemprop='price']/@content",
        "//*[@itemprop='price']/@content",
        "//meta[@property='product:price:amount' or @name='product:price:amount']/@content",
    ):
        for value in tree.xpath(query):
            amount = _decimal(value)
            if amount and amount > 0:
                cur = tree.xpath("//*[@itemprop='priceCurrency']/@content") or tree.xpath(
                    "//meta[@property='product:price:currency']/@content"
                )
                return GenericListing(
                    price=str(amount),
                    currency=_text(cur[:1] or None),
                    price_text=value,
                    source="meta",
                )
    return None


def _title(tree, data: dict) -> str | None:
    h1 = tree.xpath("//h1")
    if h1 and node_text(h1[0]):
        return node_text(h1[0])
    return _og_title(data) or (
        _text(tree.findtext(".//title")) if tree.find(".//title") is not None else None
    )


_LEGACY_CODES = {"RUR": "RUB"}  # still written in some shops' structured data


def _iso(currency: str | None, page_url: str | None, text: str | None = None) -> str | None:
    """ISO code of a currency as written (symbol, word or code), else the site's by its domain."""
    hint = _tld_currency(page_url)
    for candidate in (currency, text):
        if candidate:
            candidate = candidate.strip()
            for form in (candidate, candidate.lower(), candidate.upper()):
                code = currency_to_iso(form, hint=hint)
                if code:
                    return code
    return hint if currency or text else None


def _tld_currency(page_url: str | None) -> str | None:
    if not page_url:
        return None
    host = urlsplit(page_url).hostname or ""
    return _TLD_CURRENCY.get(host.rsplit(".", 1)[-1])


def _structured_data(html: str, page_url: str | None, syntaxes: list[str]) -> dict:
    try:
        return extruct.extract(
            html, base_url=page_url, syntaxes=syntaxes, uniform=True, errors="ignore"
        )
    except Exception:  # noqa: BLE001 (extruct raises many types on broken markup; the page remains)
        return {}


def _agreed(found: list[GenericListing], tree) -> GenericListing | None:
    """The structured price, or where syntaxes disagree, the one the page shows as its price.

    Sites often leave a list, starting or stale price in one syntax (an auction's JSON-LD keeps
    the opening bid while OpenGraph has the current bid); the visible page decides.
    """
    if len({Decimal(f.price) for f in found}) > 1:
        shown = {c.amount for c in visible_price_candidates(tree)[:3]}
        for listing in found:
            if Decimal(listing.price) in shown:
                return listing
    return found[0] if found else None


def extract_generic(
    html: str, page_url: str | None = None, *, structured: bool = True
) -> GenericListing:
    """Title, price, currency, seller and location of one product or listing page.

    ``structured=False`` ignores structured data and meta tags and reads only the visible page
    (used to measure the visible-page rules on their own).
    """
    data = _structured_data(html, page_url, SYNTAXES) if structured else {}
    tree = lxml_html.fromstring(html or "<html></html>")
    found = None
    if structured:
        candidates = [
            _from_structured(data, ("json-ld",)),
            _from_structured(data, ("microdata",)),
            _from_opengraph(data),
        ]
        found = _agreed([f for f in candidates if f is not None], tree)
        if found is None:
            data.update(_structured_data(html, page_url, SLOW_SYNTAXES))
            found = _from_structured(data, ("rdfa",)) or _from_meta(tree)
    visible = None
    if found is None:
        visible = best_visible_price(tree)
        found = GenericListing(source="visible" if visible else None)
        if visible:
            found.price, found.price_text = str(visible.amount), visible.text
            found.currency = visible.currency
    code = _LEGACY_CODES.get((found.currency or "").upper(), (found.currency or "").upper())
    if currency_to_iso(code) != code:  # a symbol or word ("NT$", "Lei"), not an ISO code
        if not found.price_text:
            visible = visible or best_visible_price(tree)
            text = visible.text if visible else None
        else:
            text = found.price_text
        symbol = (
            (Price.fromstring(text).currency or NUMBER.sub(" ", text).strip(" :.-"))
            if text
            else None
        )
        if visible is not None and visible.currency:
            symbol = visible.currency
        found.currency = _iso(found.currency, page_url, symbol)
    else:
        found.currency = code
    found.title = found.title or _title(tree, data)
    found.url = found.url or page_url
    return found
