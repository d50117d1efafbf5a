"""Listings embedded in a page as JSON: ``__NEXT_DATA__``, other JSON scripts,
``window.__STATE__ = {...}`` assignments, JSON-LD ``ItemList``/``Product``; the list of
listings in them and the JMESPath of each field. Pure.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from crawler.extract.page_signals import _xq

# --- embedded JSON -----------------------------------------------------------------------

_TITLE_KEYS = ("subject", "title", "name", "headline", "heading", "label", "productName")
_URL_KEYS = ("href", "url", "link", "permalink", "canonicalUrl", "detailUrl", "itemUrl", "uri")
_ID_KEYS = (
    "listId", "listingId", "adId", "ad_id", "itemId", "item_id", "productId", "offerId",
    "auctionId", "id", "sku", "uuid", "@id",
)  # fmt: skip
_PRICE_KEYS = ("price", "priceValue", "amount", "offers", "prices", "priceInfo", "formattedPrice")
_OPTIONAL = {
    "seller_name": (("seller", "name"), ("user", "name"), ("seller",), ("sellerName",)),
    "location": (("location",), ("location", "name"), ("city",), ("address",)),
    "posted_at": (("date",), ("createdAt",), ("created_at",), ("publishedAt",), ("postedAt",)),
    "image_url": (("defaultImage",), ("image",), ("thumbnail",), ("imageUrl",), ("photo",)),
    "description": (("description",),),
}


@dataclass
class JsonBlob:
    source: str  # the config's json.source (CSS or xpath: giving JSON text)
    data: object
    label: str


def embedded_json(html: str, tree) -> list[JsonBlob]:
    """Every JSON blob a ``json.source`` selector can read off the page, best first."""
    blobs: list[JsonBlob] = []
    for script in tree.xpath("//script"):
        text = script.text or ""
        if not text.strip():
            continue
        sid, stype = script.get("id"), (script.get("type") or "").lower()
        if stype in ("application/json", "application/ld+json") or sid == "__NEXT_DATA__":
            try:
                data = json.loads(text)
            except ValueError:
                continue
            if sid:
                source, label = f"script#{sid}::text", sid
            elif stype == "application/ld+json":
                kinds = re.findall(r'"@type"\s*:\s*"(\w+)"', text)
                kind = next((k for k in kinds if k in ("ItemList", "Product", "Offer")), None)
                if not kind:
                    continue
                source = (
                    f"xpath://script[@type='application/ld+json'][contains(., '\"{kind}\"')]/text()"
                )
                label = f"JSON-LD {kind}"
            else:
                continue
            blobs.append(JsonBlob(source, data, label))
            continue
        m = re.search(r"(window\.[\w$]+|var\s+[\w$]+|[\w$]*__[A-Z_]+__)\s*=\s*(?=[{\[])", text)
        if not m:
            continue
        start = m.end()
        try:
            data, end = json.JSONDecoder().raw_decode(text[start:])
        except ValueError:
            continue
        head = text[: m.end()]
        tail = text[start + end :]
        after = tail[:1] if tail[:1] in (";",) else ""
        marker = head[m.start() :]
        # substring-after(assignment) then substring-before(what follows the JSON).
        follow = (after + tail[len(after) :].lstrip()[:20]) if tail.strip() else ""
        expr = (
            f"substring-after(//script[contains(., {_xq(marker.strip())})]/text(), {_xq(marker)})"
        )
        if follow.strip():
            if text[start:].count(follow) != 1 and not (text[start:].find(follow) == end):
                continue
            expr = f"substring-before({expr}, {_xq(follow)})"
        blobs.append(JsonBlob("xpath:" + expr, data, marker.split("=")[0].strip()))
    rank = {"__NEXT_DATA__": 0}
    blobs.sort(key=lambda b: rank.get(b.label, 1))
    return blobs


def _lists(data: object, path: str = "", depth: int = 0):
    """(JMESPath, list) for every list of objects in ``data``."""
    if depth > 12:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(key, str):
                continue
            part = key if re.fullmatch(r"[A-Za-z_][\w]*", key) else json.dumps(key)
            yield from _lists(value, f"{path}.{part}" if path else part, depth + 1)
    elif isinstance(data, list):
        objs = [x for x in data if isinstance(x, dict)]
        if len(objs) >= 3 and len(objs) >= len(data) * 0.8:
            yield path or "@", data
        for i, value in enumerate(data[:3]):
            yield from _lists(value, f"{path}[{i}]", depth + 1)


def _get(obj: object, keys: tuple[str, ...]):
    for key in keys:
        if not isinstance(obj, dict) or key not in obj:
            return None
        obj = obj[key]
    return obj


def _jp(keys: tuple[str, ...]) -> str:
    return ".".join(k if re.fullmatch(r"[A-Za-z_]\w*", k) else json.dumps(k) for k in keys)


def _paths(obj: dict, depth: int = 2, prefix: tuple = ()):
    for key, value in obj.items():
        if not isinstance(key, str):
            continue
        yield prefix + (key,), value
        if isinstance(value, dict) and depth > 1:
            yield from _paths(value, depth - 1, prefix + (key,))


def _is_urlish(value: object) -> bool:
    return isinstance(value, str) and bool(
        re.match(r"^(https?://|/)[^\s]+$", value) and len(value) > 3
    )


def _titleish(value: object) -> bool:
    return (
        isinstance(value, str)
        and 3 <= len(value.strip()) <= 300
        and not _is_urlish(value)
        and bool(re.search(r"[^\W\d_]", value))
    )


@dataclass
class JsonGuess:
    source: str
    items: str
    fields: dict[str, str]
    count: int
    label: str
    notes: list[str]


def _best_key(items: list[dict], test, names: tuple[str, ...], depth: int = 2):
    """The path (within items) whose values pass ``test`` in most items, by name order."""
    counts: Counter = Counter()
    for it in items:
        for keys, value in _paths(it, depth):
            if test(value):
                counts[keys] += 1
    if not counts:
        return None, 0

    def rank(keys):
        last = keys[-1]
        named = names.index(last) if last in names else len(names)
        return (counts[keys] >= len(items) * 0.8, -named, counts[keys], -len(keys))

    best = max(counts, key=rank)
    if best[-1] not in names and counts[best] < len(items) * 0.8:
        return None, 0
    return best, counts[best]


def guess_json(blob: JsonBlob) -> JsonGuess | None:
    """The list of listings in one JSON blob and the JMESPath of each field."""
    best = None
    for path, items in _lists(blob.data):
        objs = [x for x in items if isinstance(x, dict)]
        flat = [_flatten_ld(x) for x in objs]
        titled = sum(1 for x in flat if any(_titleish(_get(x, (k,))) for k in _TITLE_KEYS))
        linked = sum(1 for x in flat if any(_is_urlish(v) for _, v in _paths(x, 2)))
        if titled < len(objs) * 0.6 or linked < len(objs) * 0.5:
            continue
        score = titled + linked
        if best is None or score > best[0]:
            best = (score, path, objs)
    if best is None:
        return None
    _, path, objs = best
    notes: list[str] = []
    ld_item = all(isinstance(x.get("item"), dict) for x in objs) and all(
        x.get("@type") == "ListItem" for x in objs
    )
    base = ("item",) if ld_item else ()
    items = [x["item"] if ld_item else x for x in objs]
    fields: dict[str, str] = {}
    title_key, _ = _best_key(items, _titleish, _TITLE_KEYS, depth=1)
    if title_key is None or title_key[-1] not in _TITLE_KEYS:
        return None
    fields["title"] = _jp(base + title_key)
    url_key, n_url = _best_key(items, _is_urlish, _URL_KEYS, depth=1)
    if url_key is None and ld_item:
        fields["url"] = "url"
    elif url_key is None:
        return None
    else:
        fields["url"] = _jp(base + url_key)
        if n_url < len(items):
            notes.append(f"url: {len(items) - n_url} of {len(items)} items have none")

    # The id: a key whose values are plain (no URL, no query) and unique.
    def plain_id(value):
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and bool(re.fullmatch(r"[\w-]{2,64}", value))
        )

    id_field = None
    for key in _ID_KEYS:
        values = [it.get(key) for it in items]
        present = [v for v in values if v not in (None, "")]
        if len(present) < max(3, len(items) * 0.5):
            continue
        if any(not plain_id(v) for v in present):
            bad = next(v for v in present if not plain_id(v))
            notes.append(f"item_id: not {key!r}: some values are not ids ({str(bad)[:50]!r})")
            continue
        if len({str(v) for v in present}) != len(present):
            continue
        id_field = key
        break
    filter_ = ""
    if id_field:
        fields = {"item_id": _jp(base + (id_field,)), **fields}
        missing = sum(1 for it in items if it.get(id_field) in (None, ""))
        if missing:
            filter_ = f"[?{_jp(base + (id_field,))}]"
            notes.append(
                f"items: {missing} of {len(items)} entries have no {id_field!r} "
                f"(advertising or promotions?): left out with {filter_}"
            )
    price = _json_price(items)
    if price:
        fields["price_text"] = _join_price(base, price)
    else:
        notes.append(
            "price_text: no price found in the items; add it by hand if the page shows one"
        )
    for name, candidates in _OPTIONAL.items():
        for keys in candidates:
            values = [_get(it, keys) for it in items]
            good = [v for v in values if isinstance(v, str) and v.strip()]
            if len(good) >= len(items) * 0.5:
                if name == "image_url" and not all(_is_urlish(v) for v in good):
                    continue
                fields[name] = _jp(base + keys)
                break
    items_path = (path if path != "@" else "@") + filter_
    if path == "@" and filter_:
        items_path = "[]" + filter_
    ordered = {
        k: fields[k]
        for k in (
            "item_id",
            "url",
            "title",
            "price_text",
            "seller_name",
            "location",
            "posted_at",
            "image_url",
            "description",
        )
        if k in fields
    }
    return JsonGuess(blob.source, items_path, ordered, len(items), blob.label, notes)


def _flatten_ld(obj: dict) -> dict:
    return (
        obj["item"] if obj.get("@type") == "ListItem" and isinstance(obj.get("item"), dict) else obj
    )


def _json_price(items: list[dict]):
    """(value path, currency path or None) of the items' price."""
    for key in _PRICE_KEYS:
        values = [it.get(key) for it in items]
        if sum(v is not None for v in values) < len(items) * 0.5:
            continue
        sample = next(v for v in values if v is not None)
        if isinstance(sample, list) and sample and isinstance(sample[0], dict):
            sample, key = sample[0], key + "[0]"
        if isinstance(sample, dict):
            value_key = next(
                (k for k in ("value", "amount", "price", "lowPrice", "current") if k in sample),
                None,
            )
            cur_key = next(
                (k for k in ("currency", "priceCurrency", "currencyCode", "unit") if k in sample),
                None,
            )
            if value_key:
                return (f"{key}.{value_key}", f"{key}.{cur_key}" if cur_key else None)
            continue
        if isinstance(sample, (int, float, str)):
            cur = next(
                (k for k in ("currency", "priceCurrency", "currencyCode") if k in items[0]), None
            )
            return (key, cur)
    return None


def _join_price(base: tuple, price: tuple) -> str:
    value, currency = price
    pre = ".".join(base) + "." if base else ""
    if currency:
        return f"{pre}{value} && join(' ', [to_string({pre}{value}), {pre}{currency}])"
    return f"{pre}{value}"
