"""The price a page shows, read from its visible elements (``crawler.extract.generic``'s fallback).

For pages whose structured data (JSON-LD, microdata, RDFa, OpenGraph) gives no usable price:
every element whose own text is an amount becomes a candidate, scored by what surrounds it
(a price class or label, a currency next to it, its font size and weight, its distance from
the title) and ruled out when it is hidden, struck through, in a region of other products,
or labelled as a list price, instalment, shipping or saving. Pure: no Scrapy, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from price_parser import Price

from crawler.normalise.prices import currency_to_iso

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
NUMBER = re.compile(r"\d+(?:[.,\u00a0 ']\d+)*")
_AMOUNT = re.compile(r"\d[\d.,]*\d")  # two or more characters: not a lone "7" (as in "7 折")
_DISCOUNTED_PRICE = re.compile(r"(?i)discount(?:ed)?[_-]?(?=price)")
_WORD_SPLIT = re.compile(r"[^A-Za-z]+|(?<=[a-z])(?=[A-Z])")


def _marks(el) -> str:
    return f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')} {el.get('data-testid', '')}"


def _not_current(marks: str) -> bool:
    # "discountPrice" / "discounted-price" name the price paid; "discount" alone, the saving.
    marks = _DISCOUNTED_PRICE.sub(" price", marks)
    return any(word.lower() in _NOT_CURRENT for word in _WORD_SPLIT.split(marks) if word)


def node_text(el) -> str:
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
        if el.tag == "h1" and node_text(el):
            return el
    title = tree.findtext(".//title") or ""
    name = re.split(r"\s+[-|–—:]\s+|｜|\|", title.strip())[0].strip()
    if len(name) < 3:
        return None
    for el in elements:
        own = (el.text or "").strip() == name
        if own and el.tag not in ("title", "meta", "option", "a") and node_text(el) == name:
            return el
    return None


def _is_buy_control(el) -> bool:
    words = {w.lower() for w in _WORD_SPLIT.split(_marks(el)) if w}
    if words & _BUY_WORDS:
        return True
    if el.tag in ("button", "input"):
        return bool(_BUY_TEXT.match(el.get("value") or node_text(el)))
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
    if not own or len(own) > 40 or len(NUMBER.findall(own)) != 1:
        return None  # several amounts (was/now/save): each part is a candidate of its own
    parsed = Price.fromstring(own)
    if parsed.amount is None or parsed.amount <= 0:
        return None
    before, after = _text_before(el), _text_after(el)
    words = NUMBER.sub(" ", own)
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


def best_visible_price(tree) -> PriceCandidate | None:
    """The best visible candidate when its evidence is strong enough to stand alone."""
    candidates = visible_price_candidates(tree)
    return candidates[0] if candidates and candidates[0].score >= MIN_VISIBLE_SCORE else None
