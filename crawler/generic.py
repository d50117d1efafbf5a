"""Generic extraction of one item page of a site that has no marketplace config.

Structured data first (JSON-LD, microdata, RDFa, OpenGraph, all parsed by
``extruct``), then the visible page where structured data is missing or
unusable: the price element nearest after the title, meta tags, currency
symbols. Pure: no Scrapy, no network.
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

from crawler.prices import currency_to_iso

SYNTAXES = ["json-ld", "microdata", "opengraph"]
SLOW_SYNTAXES = ["rdfa"]  # pyRdfa is ~20x slower: parsed only when the others give no price

# Class/id words (whole words, camelCase split) of price elements that are not the current price,
# or of page regions that hold other products' prices.
_NOT_CURRENT = frozenset(
    [
        "old",
        "was",
        "strike",
        "strikethrough",
        "crossed",
        "regular",
        "before",
        "original",
        "rrp",
        "msrp",
        "save",
        "saving",
        "savings",
        "discount",
        "shipping",
        "delivery",
        "unit",
        "installment",
        "installments",
        "monthly",
        "klarna",
        "tax",
        "vat",
        "compare",
        "comparison",
        "filter",
        "facet",
        "review",
        "reviews",
        "rating",
        "points",
        "voucher",
        "coupon",
        "related",
        "recommend",
        "recommended",
        "recommendations",
        "carousel",
        "similar",
        "accessories",
        "footer",
        "nav",
        "menu",
        "upsell",
        "crosssell",
        "bundle",
    ]
)
_PRICEISH = re.compile(
    r"price|preis|prix|prezzo|precio|preco|cena|pret|pris|amount|money", re.IGNORECASE
)
_NUMBER = re.compile(r"\d+(?:[.,\u00a0 ']\d+)*")
_AMOUNT = re.compile(r"\d[\d.,]*\d")  # two or more characters: not a lone "7" (as in "7 折")
_DISCOUNTED_PRICE = re.compile(r"(?i)discount(?:ed)?[_-]?(?=price)")
_WORD_SPLIT = re.compile(r"[^A-Za-z]+|(?<=[a-z])(?=[A-Z])")


def _marks(el) -> str:
    return f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')} {el.get('data-testid', '')}"


def _not_current(marks: str) -> bool:
    # "discountPrice" / "discounted-price" name the price paid; "discount" alone, the saving.
    marks = _DISCOUNTED_PRICE.sub(" price", marks)
    return any(word.lower() in _NOT_CURRENT for word in _WORD_SPLIT.split(marks) if word)


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


def _node_text(el) -> str:
    return re.sub(
        r"\s+", " ", " ".join(el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]"))
    ).strip()


# Words that label an amount as the current price, and words that label it as something else
# (list or starting price, instalment, shipping, discount). Checked on the text between the
# previous number and the amount, plus the element's own words. Latin words match whole.
_PRICE_LABEL = re.compile(
    r"(?i)\b(?:price|our price|now|sale|prix|preis|jetzt|precio|pre[cç]o|prezzo|cena|cijena"
    r"|hinta|pris|prijs|fiyat|цена|ціна)\b|價|价|価格|가격|سعر|מחיר"
)
_NOT_CURRENT_LABEL = re.compile(
    r"(?i)\b(?:was|rrp|msrp|uvp|list price|regular|original|starting|start(?:ing)? bid|opening"
    r"|estimate|statt|avant|antes|prima|save|you save|sparen|shipping|delivery|postage|per month"
    r"|monthly|a month|/\s*mo|installments?|instalments?|deposit)\b"
    r"|原價|原价|建議售價|建议售价|市價|市价|定價|定价|參考價|参考价|每期|分期|折扣|運費|运费|免運"
)
# Class/id words of a buy or bid control; the current price sits next to it.
_BUY_WORDS = frozenset(["buy", "cart", "basket", "checkout", "purchase", "bid", "addtocart"])
_BUY_TEXT = re.compile(
    r"(?i)^\s*(?:add to (?:cart|basket|bag)|buy(?: it)? now|buy|place bid|bid now|in den warenkorb"
    r"|ajouter au panier|aggiungi al carrello|añadir al carrito|comprar|kaufen|購買|购买|立即購買"
    r"|加入購物車|加入购物车)\s*$"
)
_FONT_SIZE = re.compile(
    r"font(?:-size)?\s*:[^;]*?(\d+(?:\.\d+)?)\s*(px|pt|em|rem)\b", re.IGNORECASE
)
_UNIT_PX = {"px": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0}
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "option", "select", "a", "head"])
_BEM_MODIFIER = re.compile(r"--\S+")
_STRUCK = frozenset(["s", "strike", "del"])


@dataclass(frozen=True)
class PriceCandidate:
    """One amount shown on the page, with the evidence that it is the item's current price."""

    amount: Decimal
    currency: str | None  # as shown next to the amount: symbol, word or code
    text: str
    score: int
    distance: int  # elements after the title (before it: negative)


def font_size_px(style: str | None) -> float | None:
    """Font size in CSS pixels from an inline ``style`` (``font-size:24px``, ``font:bold 2em x``)."""
    match = _FONT_SIZE.search(style or "")
    return float(match.group(1)) * _UNIT_PX[match.group(2).lower()] if match else None


def _is_bold(el) -> bool:
    style = (el.get("style") or "").lower().replace(" ", "")
    return (
        "bold" in style
        or re.search(r"font-weight:(?:[6-9]00)", style) is not None
        or el.tag in ("b", "strong")
        or el.getparent() is not None
        and el.getparent().tag in ("b", "strong")
    )


def _text_before(el, limit: int = 24) -> str:
    """The text just before ``el`` (climbing out of wrappers such as ``$<span>98</span>``), cut
    after the previous amount so that ``RRP £55 Price £49`` labels each amount apart."""
    text = ""
    for _ in range(3):
        parent = el.getparent()
        if parent is None:
            break
        parts = [parent.text or ""]
        for sibling in parent:
            if sibling is el:
                break
            if isinstance(sibling.tag, str) and sibling.tag not in ("script", "style"):
                parts.append(sibling.text_content())
            parts.append(sibling.tail or "")
        text = re.sub(r"\s+", " ", "".join(parts)) + text
        if re.search(r"[^\W\d_]{2}", text) or _AMOUNT.search(text):
            break  # a word or an amount: enough context
        el = parent
    return _AMOUNT.split(text)[-1][-limit:]


def shown_amount_text(el) -> str:
    """The element's text as a reader sees it: two digits in an element of their own right after
    the whole part are cents (``173<sup>34</sup>``, ``$229<span>99</span>``) and are joined to it
    with a decimal separator."""
    out = ""
    for piece in el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]"):
        holder = piece.getparent()
        cents = (
            piece.is_text
            and holder is not el
            and re.fullmatch(r"\s*\d{2}\s*", piece)
            and re.search(r"\d\s*$", out)
        )
        if cents:
            whole = re.search(r"[\d.,\s]*$", out).group()
            out = out.rstrip() + ("," if "." in whole else ".") + piece.strip()
        else:
            out += " " + piece
    return re.sub(r"\s+", " ", out).strip()


def _standalone(currency: str | None, text: str) -> str | None:
    """``currency`` when ``text`` shows it as a word of its own (not the "Br" of "Breite")."""
    if currency and not re.search(r"[^\W\d_]", currency):
        return currency  # a sign such as $ or € stands alone even in "最低價$99"
    if currency and re.search(rf"(?<![^\W\d_]){re.escape(currency)}(?![^\W\d_])", text):
        return currency
    return None


def _text_after(el, limit: int = 12) -> str:
    """The text just after ``el``: its tail, then its next siblings' text."""
    parts = [el.tail or ""]
    for sibling in el.itersiblings():
        if sum(map(len, parts)) >= limit:
            break
        if isinstance(sibling.tag, str) and sibling.tag not in ("script", "style"):
            parts.append(sibling.text_content())
        parts.append(sibling.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()[:limit]


def _adjacent_currency(before: str, after: str, own: str) -> str | None:
    """A currency shown in the amount's own text or right beside it (``$<b>99</b>``, ``294 元``)."""
    near = f"{before[-8:]}{own}{after[:8]}"
    shown = _standalone(Price.fromstring(near).currency, near)
    if shown:
        return shown
    for token in (before.split() or [""])[-1:] + (after.split() or [""])[:1]:
        token = token.strip(":：()（）/")
        if token and currency_to_iso(token):
            return token
    return None


def _title_element(tree, elements: list) -> Any:
    """The element showing the item's name: the first non-empty h1, else the element whose whole
    text is the ``<title>`` before its site-name suffix."""
    for el in elements:
        if el.tag == "h1" and _node_text(el):
            return el
    title = tree.findtext(".//title") or ""
    name = re.split(r"\s+[-|–—:]\s+|｜|\|", title.strip())[0].strip()
    if len(name) < 3:
        return None
    for el in elements:
        own = (el.text or "").strip() == name
        if own and el.tag not in ("title", "meta", "option", "a") and _node_text(el) == name:
            return el
    return None


def _is_buy_control(el) -> bool:
    words = {w.lower() for w in _WORD_SPLIT.split(_marks(el)) if w}
    if words & _BUY_WORDS:
        return True
    if el.tag in ("button", "input"):
        return bool(_BUY_TEXT.match(el.get("value") or _node_text(el)))
    return False


def _hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return (
        el.get("hidden") is not None
        or "display:none" in style
        or "visibility:hidden" in style
        or "hidden" in (el.get("class") or "").split()
    )


def _excluded(el) -> bool:
    """Struck through, or inside a region of other products, old prices or fees."""
    for node in (el, *el.iterancestors()):
        if node.tag in ("html", "body"):
            break
        # An ancestor's BEM modifiers (``section--withoutSidebar``) describe layout, not a region.
        marks = _marks(node) if node is el else _BEM_MODIFIER.sub(" ", _marks(node))
        if node.tag in _STRUCK or node.tag in _SKIP_TAGS or _not_current(marks) or _hidden(node):
            return True
    return False


def _candidate(el, index: int, title_at: int | None, buy_at: list[int]) -> PriceCandidate | None:
    if len(el) > 4:  # a container: its parts are the candidates
        return None
    raw = el.text_content()
    if len(raw) > 400 or not any(ch.isdigit() for ch in raw):
        return None  # cheap filter before the exact text
    if el.xpath(".//s|.//strike|.//del"):
        return None  # holds a struck-through amount: its other parts are candidates of their own
    own = shown_amount_text(el)
    if not own or len(own) > 40 or len(_NUMBER.findall(own)) != 1:
        return None  # several amounts (was/now/save): each part is a candidate of its own
    parsed = Price.fromstring(own)
    if parsed.amount is None or parsed.amount <= 0:
        return None
    before, after = _text_before(el), _text_after(el)
    words = _NUMBER.sub(" ", own)
    if re.match(r"\s*\+", own) or before.rstrip().endswith("+"):
        return None  # "+20.00€": the surcharge of an option, not the item's price
    if _NOT_CURRENT_LABEL.search(f"{before} {words}") or _excluded(el):
        return None
    shown = _standalone(parsed.currency, own)
    currency = shown or _adjacent_currency(before, after, own)
    priceish = bool(_PRICEISH.search(f"{_marks(el)} {_marks(el.getparent())}"))
    if not (currency or priceish):
        return None
    score = 3 * priceish + (2 if shown else 1 if currency else 0)
    score += 2 * bool(_PRICE_LABEL.search(f"{before} {words}"))
    size = max(
        filter(None, (font_size_px(n.get("style")) for n in (el, el.getparent()))), default=0
    )
    score += 2 * (size >= 18) + _is_bold(el)
    distance = index - title_at if title_at is not None else index
    if title_at is not None:
        score += 2 if 0 < distance <= 150 else 0
    score += any(abs(index - b) <= 40 for b in buy_at)
    return PriceCandidate(parsed.amount, currency, own, score, distance)


def visible_price_candidates(tree) -> list[PriceCandidate]:
    """Amounts on the page that may be the item's price, best first.

    Evidence, each worth points: a class/id/itemprop naming a price, a currency in or beside the
    amount, a price label before it (``Price``, ``特價``...), a large or bold inline font, being
    after the title and near a buy button. Struck-through amounts, amounts labelled as list,
    starting, instalment or shipping prices, and amounts inside related-product, review or
    navigation regions are not candidates. Ties go to the amount nearest after the title.
    """
    body = tree.find("body") if tree.find("body") is not None else tree
    elements = [el for el in body.iter() if isinstance(el.tag, str)]
    title = _title_element(tree, elements)
    index = {el: i for i, el in enumerate(elements)}
    title_at = index.get(title)
    buy_at = [i for i, el in enumerate(elements) if _is_buy_control(el)]
    found = []
    for i, el in enumerate(elements):
        if el.tag in _SKIP_TAGS:
            continue
        candidate = _candidate(el, i, title_at, buy_at)
        if candidate is not None:
            found.append(candidate)
    found.sort(key=lambda c: (-c.score, c.distance if c.distance >= 0 else 100_000 - c.distance))
    return found


MIN_VISIBLE_SCORE = 5  # e.g. a price class and a currency, or a label, a currency and the title


def _visible_price(tree) -> PriceCandidate | None:
    """The best visible candidate when its evidence is strong enough to stand alone."""
    candidates = visible_price_candidates(tree)
    return candidates[0] if candidates and candidates[0].score >= MIN_VISIBLE_SCORE else None


def _title(tree, data: dict) -> str | None:
    h1 = tree.xpath("//h1")
    if h1 and _node_text(h1[0]):
        return _node_text(h1[0])
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
        visible = _visible_price(tree)
        found = GenericListing(source="visible" if visible else None)
        if visible:
            found.price, found.price_text = str(visible.amount), visible.text
            found.currency = visible.currency
    code = _LEGACY_CODES.get((found.currency or "").upper(), (found.currency or "").upper())
    if currency_to_iso(code) != code:  # a symbol or word ("NT$", "Lei"), not an ISO code
        if not found.price_text:
            visible = visible or _visible_price(tree)
            text = visible.text if visible else None
        else:
            text = found.price_text
        symbol = (
            (Price.fromstring(text).currency or _NUMBER.sub(" ", text).strip(" :.-"))
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
