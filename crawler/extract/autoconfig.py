"""Propose a marketplace config from one saved results page, reading it as a person does.

Pure: lxml, parsel, jmespath and the price parser; no Scrapy, no browser.

Order of preference, as a person reading the page's source would go:

1. embedded data: ``__NEXT_DATA__``, other ``<script type="application/json">`` blobs,
   ``window.__INITIAL_STATE__ = {...}``-style assignments and JSON-LD ``ItemList`` /
   ``Product``; the config gets the ``json:`` form (JMESPath fields);
2. the HTML: the repeated block holding a link and one price, then inside it the
   shortest element that names the item (title), the element whose whole text parses as
   one price, the item link, and an id from a stable attribute or the URL's numeric part.

Selectors prefer what survives a redeploy: ``data-*`` attributes, ``itemprop``, semantic
class names, structure; hashed class names (styled-components ``sc-*``, emotion
``css-*``, CSS-modules ``Foo_bar__a1b2c``) are avoided or matched on their stable prefix.
Every guess it is unsure of is said, field by field, in ``Proposal.notes``.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

import jmespath
from lxml import html as lxml_html

from crawler.normalise.prices import currency_to_iso, normalize_price

# --- class names ------------------------------------------------------------------------

_CLASS_OK = re.compile(r"^[A-Za-z_][\w-]*$")
_HASHED = (
    re.compile(r"^sc-[A-Za-z0-9]{4,}$"),  # styled-components
    re.compile(r"^css-[a-z0-9]{4,}(-[\w]+)?$"),  # emotion
    re.compile(r"^(jss|makeStyles-\w+-)\d+$"),  # JSS / MUI
    re.compile(r"^_?[a-zA-Z0-9]{5,10}$"),  # checked further in is_hashed_class
    # CSS modules Foo_bar__a1b2c / Foo_bar__YIv8B (BEM block__element is all lower case).
    re.compile(r"^[A-Za-z][\w-]*?__?_?(?=[\w-]*[A-Z0-9])[A-Za-z0-9_-]{4,8}$"),
    re.compile(r"^_[a-zA-Z0-9_-]{4,}$"),  # _1a2b3 (webpack css-loader)
)
_CSS_MODULE = re.compile(r"^([A-Za-z][\w-]*?_[\w-]+?)__(?=[\w-]*[A-Z0-9])[A-Za-z0-9_-]{4,8}$")


def is_hashed_class(name: str) -> bool:
    """A class name a build tool generated: it changes on the next redeploy."""
    if _HASHED[0].match(name) or _HASHED[1].match(name) or _HASHED[2].match(name):
        return True
    if _HASHED[4].match(name) or (_HASHED[5].match(name) and re.search(r"\d", name)):
        return True
    if _HASHED[3].match(name):
        upper = sum(c.isupper() for c in name)
        digits = sum(c.isdigit() for c in name)
        letters = sum(c.isalpha() for c in name)
        # "bGpjGY", "kJdfsX", "a1b2c3d": mixed case or digits scattered among letters.
        if upper >= 2 and not name[0].isupper() and letters == len(name):
            return True
        if digits >= 2 and letters >= 2 and not re.search(r"[a-z]{4,}", name):
            return True
    return False


def stable_classes(el) -> list[str]:
    return [
        c
        for c in (el.get("class") or "").split()
        if _CLASS_OK.match(c) and not is_hashed_class(c) and c not in _RARE
    ]


def _css_module_prefixes(el) -> list[str]:
    return [m.group(1) for c in (el.get("class") or "").split() if (m := _CSS_MODULE.match(c))]


_DATA_ATTRS = (
    "data-testid",
    "data-test-id",
    "data-cy",
    "data-qa",
    "data-test",
    "data-role",
    "data-component-type",
)
# Classes seen once on the page that carry digits ("ad_id3GqY8"): per-listing, not a kind.
_RARE: set[str] = set()
_ID_ATTRS = (
    "data-id",
    "data-item-id",
    "data-listing-id",
    "data-ad-id",
    "data-adid",
    "data-pid",
    "data-asin",
    "data-product-id",
    "data-offer-id",
    "data-auction-id",
    "data-sku",
    "data-uuid",
    "id",
)
_TRACKING_PARAM = re.compile(
    r"^(utm_\w+|ref|ref_?src|src|source|gclid|fbclid|trk|tracking\w*|campaign|cid|sr|sid|"
    r"spm|scm|pvid|qid|sprefix|crid|keywords|_trkparms|_trksid|_skw|hash|clickid|click_id|clicksource|epid|itmmeta|itmprp|_sacat|_from|_nkw|_odkw|_osacat)$",
    re.IGNORECASE,
)


def _q(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def signature(el) -> tuple[str, str] | None:
    """(selector, how stable) for one element, or None when it has nothing stable.

    Order: a ``data-*`` attribute naming what the element is, ``itemtype``, semantic
    classes, a CSS-modules prefix; hashed classes only as a last resort.
    """
    tag = el.tag
    for attr in _DATA_ATTRS:
        value = el.get(attr)
        if value and len(value) < 60 and not re.search(r"\d{3,}", value):
            return f"{tag}[{attr}={_q(value)}]", "data-attribute"
    if el.get("itemtype"):
        return f"{tag}[itemtype={_q(el.get('itemtype'))}]", "microdata"
    classes = stable_classes(el)
    if classes:
        return tag + "".join(f".{c}" for c in sorted(classes)[:3]), "class"
    prefixes = _css_module_prefixes(el)
    if prefixes:
        return f'{tag}[class*="{prefixes[0]}__"]', "css-module prefix"
    hashed = [c for c in (el.get("class") or "").split() if _CLASS_OK.match(c)]
    if hashed:
        return tag + "".join(f".{c}" for c in sorted(hashed)[:2]), "hashed class"
    return None


# --- text and prices ---------------------------------------------------------------------


def text_of(el) -> str:
    parts = el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


_NUMBER = re.compile(r"\d[\d\s.,'\u00a0\u202f]*")
_PRICE_WORDS = re.compile(
    r"\b(od|from|ab|à partir de|dès|from|to|bis|do|negocj\w*|neg\w*|obo|vb|"
    r"ttc|ht|net|brutto|netto|/\s*mois|/\s*month|/\s*mies\w*|par mois|per month|mies\.?)\b",
    re.IGNORECASE,
)


def one_price(text: str, currency_hint: str | None = None):
    """The parsed price when ``text`` is one price and little else; None otherwise."""
    if not text or len(text) > 40:
        return None
    parsed = normalize_price(text, currency_hint=currency_hint)
    if parsed.amount is None or parsed.kind not in ("fixed", "range"):
        return None
    if not parsed.currency_text and not parsed.currency:
        return None
    rest = _NUMBER.sub(" ", text)
    if parsed.currency_text:
        rest = rest.replace(parsed.currency_text, " ")
    rest = _PRICE_WORDS.sub(" ", rest)
    rest = re.sub(r"[\s\-–—:.,/*()+~≈]+", " ", rest).strip()
    if len(rest) > 6:  # "查看详情 收藏", "Make offer", a date: not only a price
        return None
    if len(_NUMBER.findall(text)) > (2 if parsed.kind == "range" else 1):
        return None
    return parsed


_PRICEISH = re.compile(
    r"(\d[\d\s.,'\u00a0]*\s*(€|\$|£|¥|￥|円|元|₦|₹|₽|₱|₩|₫|₺|zł|zl|DH|MAD|EUR|USD|GBP|PLN|JPY|"
    r"CNY|Kč|kr|руб|Rs|R\$)|(€|\$|£|¥|￥|₦|₹|₽|₱|₩|EUR|USD|GBP|PLN|MAD|NGN|IDR|Rp|R\$|RM|"
    r"Rs\.?|CHF)\s*\d)",
    re.IGNORECASE,
)
_DATEISH = re.compile(
    r"(\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b(il y a|ago|temu|vor|hace|"
    r"today|yesterday|aujourd'hui|hier|dzisiaj|wczoraj|heute|gestern|oggi|ieri)\b|"
    r"\d+\s*(min|minutes?|heures?|hours?|godz\w*|h)\b|前)",
    re.IGNORECASE,
)


def looks_like_price(text: str) -> bool:
    return bool(_PRICEISH.search(text or ""))


def looks_like_date(text: str) -> bool:
    return bool(_DATEISH.search(text or ""))


# --- the site: language, country, currency, locale ---------------------------------------

_TLD_COUNTRY = {
    "uk": "GB", "ma": "MA", "pl": "PL", "ng": "NG", "fr": "FR", "de": "DE", "it": "IT",
    "es": "ES", "nl": "NL", "be": "BE", "pt": "PT", "br": "BR", "jp": "JP", "cn": "CN",
    "tw": "TW", "hk": "HK", "kr": "KR", "in": "IN", "id": "ID", "my": "MY", "sg": "SG",
    "th": "TH", "vn": "VN", "ph": "PH", "ru": "RU", "ua": "UA", "tr": "TR", "mx": "MX",
    "ar": "AR", "cl": "CL", "co": "CO", "pe": "PE", "za": "ZA", "ke": "KE", "gh": "GH",
    "eg": "EG", "dz": "DZ", "tn": "TN", "ca": "CA", "au": "AU", "nz": "NZ", "at": "AT",
    "ch": "CH", "se": "SE", "no": "NO", "dk": "DK", "fi": "FI", "cz": "CZ", "sk": "SK",
    "hu": "HU", "ro": "RO", "bg": "BG", "gr": "GR", "ie": "IE", "pk": "PK", "bd": "BD",
    "ae": "AE", "sa": "SA", "il": "IL", "ir": "IR", "lk": "LK", "np": "NP", "kz": "KZ",
}  # fmt: skip
_COUNTRY_CURRENCY = {
    "GB": "GBP", "MA": "MAD", "PL": "PLN", "NG": "NGN", "FR": "EUR", "DE": "EUR", "IT": "EUR",
    "ES": "EUR", "NL": "EUR", "BE": "EUR", "PT": "EUR", "AT": "EUR", "IE": "EUR", "FI": "EUR",
    "GR": "EUR", "SK": "EUR", "BR": "BRL", "JP": "JPY", "CN": "CNY", "TW": "TWD", "HK": "HKD",
    "KR": "KRW", "IN": "INR", "ID": "IDR", "MY": "MYR", "SG": "SGD", "TH": "THB", "VN": "VND",
    "PH": "PHP", "RU": "RUB", "UA": "UAH", "TR": "TRY", "MX": "MXN", "AR": "ARS", "CL": "CLP",
    "CO": "COP", "PE": "PEN", "ZA": "ZAR", "KE": "KES", "GH": "GHS", "EG": "EGP", "DZ": "DZD",
    "TN": "TND", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "CH": "CHF", "SE": "SEK", "NO": "NOK",
    "DK": "DKK", "CZ": "CZK", "HU": "HUF", "RO": "RON", "BG": "BGN", "PK": "PKR", "BD": "BDT",
    "AE": "AED", "SA": "SAR", "IL": "ILS", "US": "USD", "KZ": "KZT",
}  # fmt: skip
_COUNTRY_LANGUAGE = {
    "PL": "pl", "FR": "fr", "DE": "de", "AT": "de", "IT": "it", "ES": "es", "NL": "nl",
    "PT": "pt", "BR": "pt", "JP": "ja", "CN": "zh-Hans", "TW": "zh-Hant", "KR": "ko",
    "RU": "ru", "TR": "tr", "ID": "id", "VN": "vi", "TH": "th", "MX": "es", "GB": "en",
    "NG": "en", "US": "en", "MA": "fr",
}  # fmt: skip
_EXTRA_SYMBOLS = {"DH": "MAD", "DHS": "MAD", "DIRHAM": "MAD", "DIRHAMS": "MAD"}
_SCRIPTS = (
    (re.compile(r"[\u0600-\u06ff]"), "ar"),
    (re.compile(r"[\u3040-\u30ff]"), "ja"),
    (re.compile(r"[\uac00-\ud7af]"), "ko"),
    (re.compile(r"[\u0e00-\u0e7f]"), "th"),
    (re.compile(r"[\u0400-\u04ff]"), "ru"),
    (re.compile(r"[\u4e00-\u9fff]"), "zh-Hans"),
)


@dataclass
class Site:
    """What the page says about where it is and how it writes: each with its evidence."""

    languages: list[str]
    country: str | None
    currency: str | None
    locale: str | None
    evidence: dict[str, str] = field(default_factory=dict)


def _norm_lang(code: str) -> str:
    code = code.strip().replace("_", "-")
    low = code.lower()
    if low.startswith("zh"):
        return "zh-Hant" if any(x in low for x in ("hant", "tw", "hk")) else "zh-Hans"
    return low.split("-")[0]


def detect_site(tree, page_url: str, titles: list[str], prices: list) -> Site:
    """Languages, country, currency and locale from ``<html lang>``, hreflang, the URL's
    domain and language folder, the scripts the titles are written in, and the currency
    symbols of the prices."""
    evidence: dict[str, str] = {}
    languages: list[str] = []
    lang_attr = (tree.xpath("string(/html/@lang)") or "").strip()
    region = None
    if lang_attr:
        languages.append(_norm_lang(lang_attr))
        evidence["languages"] = f"<html lang={lang_attr!r}>"
        if (
            "-" in lang_attr.replace("_", "-")
            and len(lang_attr.replace("_", "-").split("-")[1]) == 2
        ):
            region = lang_attr.replace("_", "-").split("-")[1].upper()
    parts = urlsplit(page_url or "")
    host = (parts.hostname or "").lower()
    first_folder = (parts.path.split("/") + ["", ""])[1]
    if re.fullmatch(r"[a-z]{2}", first_folder) and _norm_lang(first_folder) not in languages:
        languages.append(first_folder)
        evidence.setdefault("languages", f"the URL's /{first_folder}/ folder")
    for code in tree.xpath("//link[@rel='alternate'][@hreflang]/@hreflang"):
        code = _norm_lang(code)
        if code != "x" and code not in languages and len(languages) < 4:
            languages.append(code)
            evidence["languages"] = evidence.get("languages", "") + f" hreflang {code}"
    sample = " ".join(titles[:40])
    for pattern, code in _SCRIPTS:
        if len(pattern.findall(sample)) >= 3 and code not in languages:
            if code == "zh-Hans" and "ja" in languages:
                continue
            languages.append(code)
            evidence["languages"] = (
                evidence.get("languages", "") + f"; titles written in {code} script"
            ).lstrip("; ")
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    country = _TLD_COUNTRY.get(tld)
    if country:
        evidence["country"] = f"domain .{tld}"
    elif region:
        country = region
        evidence["country"] = f"<html lang={lang_attr!r}> (the domain .{tld} says nothing)"
    codes = Counter()
    for p in prices:
        code = p.currency or _EXTRA_SYMBOLS.get((p.currency_text or "").upper().strip("."))
        if not code and p.currency_text:
            code = currency_to_iso(p.currency_text)
        if code:
            codes[code] += 1
    currency = None
    if codes:
        currency, n = codes.most_common(1)[0]
        evidence["currency"] = f"{n} of {len(prices)} prices written in {currency}"
    elif country in _COUNTRY_CURRENCY:
        currency = _COUNTRY_CURRENCY[country]
        evidence["currency"] = f"the country's currency ({country}); no price showed one"
    if not languages and country in _COUNTRY_LANGUAGE:
        languages = [_COUNTRY_LANGUAGE[country]]
        evidence["languages"] = f"the country ({country}); the page names no language"
    if not languages:
        languages = ["en"]
        evidence["languages"] = "nothing on the page said: en is a guess"
    locale = None
    if country:
        locale = f"{languages[0].split('-')[0]}_{country}"
    return Site(languages, country, currency, locale, evidence)


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


def _xq(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    return "concat(" + ', "\'", '.join(f"'{p}'" for p in value.split("'")) + ")"


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


# --- the HTML ------------------------------------------------------------------------------


@dataclass
class HtmlGuess:
    item: str
    fields: dict[str, str]
    item_id_regex: str | None
    count: int
    notes: list[str]
    stability: str


def _links(block):
    if block.tag == "a" and block.get("href"):
        return [block]
    return [
        a
        for a in block.xpath(".//a[@href]")
        if not a.get("href").startswith(("#", "javascript", "mailto:", "tel:"))
    ]


def _block_price(block, hint=None):
    for el in block.iter():
        if isinstance(el.tag, str) and el.tag not in ("script", "style"):
            text = text_of(el)
            if len(text) <= 40 and (p := one_price(text, hint)):
                return p
    return None


def _candidate_blocks(tree):
    """Groups of elements sharing a signature, each copy holding a link and a price."""
    groups: dict[str, list] = defaultdict(list)
    how: dict[str, str] = {}
    seen = Counter(
        c for el in tree.iter() if isinstance(el.tag, str) for c in (el.get("class") or "").split()
    )
    _RARE.clear()
    _RARE.update(c for c, n in seen.items() if n == 1 and re.search(r"\d", c))
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "head", "script", "style"):
            continue
        sig = signature(el)
        if sig is None:
            parent = el.getparent()
            psig = signature(parent) if parent is not None and isinstance(parent.tag, str) else None
            if psig is None or el.tag not in ("li", "article", "div", "tr", "section"):
                continue
            sig = (f"{psig[0]} > {el.tag}", psig[1])
        groups[sig[0]].append(el)
        how[sig[0]] = sig[1]
        if sig[1] == "class":
            for c in stable_classes(el):
                key = f"{el.tag}.{c}"
                if key != sig[0]:
                    groups[key].append(el)
                    how[key] = "class"
        parent = el.getparent()
        if (
            el.tag != "a"
            and parent is not None
            and parent.tag == "a"
            and parent.get("href")
            and not el.xpath(".//a[@href]")
            and sig[1] in ("class", "data-attribute")
        ):
            key = "xpath://a[@href][" + _xpath_of(sig[0]) + "]"
            groups[key].append(parent)
            how[key] = sig[1]
    scored = []
    for key, els in groups.items():
        if len(els) < 3:
            continue
        with_link = sum(1 for e in els if _links(e))
        if with_link < len(els) * 0.6:
            continue
        texts = [text_of(e) for e in els]
        with_price = sum(1 for t in texts if looks_like_price(t))
        if with_price < len(els) * 0.5:
            continue
        # Nested duplicates (a block inside a block of the same group) are not blocks.
        ids = {id(e) for e in els}
        if any(id(a) in ids for e in els for a in e.iterancestors()):
            continue
        size = sum(min(len(t), 400) for t in texts) / len(els)
        hrefs = {(_links(e) or [None])[0].get("href") for e in els if _links(e)}
        distinct = len(hrefs) / len(els)
        penalty = {"hashed class": 0.8, "css-module prefix": 0.95, "data-attribute": 1.2}.get(
            how[key], 1.0
        )
        score = len(els) * (with_price / len(els)) * min(size, 400) * distinct * penalty
        scored.append((score, key, els))
    scored.sort(key=lambda s: -s[0])
    return scored, how


def _xpath_of(css: str) -> str:
    """An XPath step for a simple ``tag.c1.c2`` or ``tag[attr="v"]`` selector."""
    m = re.fullmatch(r'(\w+)\[([\w-]+)="([^"]*)"\]', css)
    if m:
        return f"{m.group(1)}[@{m.group(2)}={_xq(m.group(3))}]"
    tag, *classes = css.split(".")
    conds = "".join(
        f"[contains(concat(' ', normalize-space(@class), ' '), ' {c} ')]" for c in classes
    )
    return tag + conds


def _relative_selector(el, block) -> str | None:
    """A selector for ``el`` relative to ``block``: its own signature, else structure."""
    if el is block:
        return ""
    sig = signature(el)
    if sig and sig[1] != "hashed class":
        return sig[0]
    if el.get("itemprop"):
        return f"{el.tag}[itemprop={_q(el.get('itemprop'))}]"
    parent = el.getparent()
    if parent is not None and parent is not block:
        psel = _relative_selector(parent, block)
        if psel:
            return f"{psel} > {el.tag}"
    if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "a", "strong", "b"):
        return el.tag
    return sig[0] if sig else None


def _per_block(blocks, selector):
    from parsel import Selector

    out = []
    for b in blocks:
        sel = Selector(root=b)
        found = sel.css(selector) if selector else [sel]
        out.append(found)
    return out


def _texts_for(blocks, selector) -> list[str]:
    out = []
    for found in _per_block(blocks, selector):
        out.append(
            re.sub(
                r"\s+",
                " ",
                " ".join(
                    found[0]
                    .xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
                    .getall()
                )
                if found
                else "",
            ).strip()
        )
    return out


def _title(blocks, prices: list[str], url_sel: str | None, notes: list[str]) -> str | None:
    """The shortest element in most blocks that names the item: a heading, a ``*title*`` or
    ``*name*`` element, ``itemprop=name``, the main link's text, never the whole card."""
    candidates: dict[str, int] = Counter()
    kinds: dict[str, int] = {}
    for block in blocks:
        seen = set()
        for el in block.iter():
            if not isinstance(el.tag, str) or el.tag in ("script", "style"):
                continue
            cls = " ".join(
                [el.get("class") or "", el.get("itemprop") or "", el.get("data-testid") or ""]
            ).lower()
            if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                kind = 0
            elif re.search(r"title|name|subject|heading|headline", cls):
                kind = 1
            elif el.tag == "a":
                kind = 2
            else:
                continue
            sel = _relative_selector(el, block)
            if sel is None or sel in seen:
                continue
            seen.add(sel)
            candidates[sel] += 1
            kinds[sel] = min(kinds.get(sel, 9), kind)
    best = None
    passing: list = []
    for sel, n in candidates.items():
        if n < len(blocks) * 0.8:
            continue
        texts = _texts_for(blocks, sel)
        whole = _texts_for(blocks, "")
        present = [t for t in texts if t]
        if len(present) < len(blocks) * 0.8:
            continue
        bad = 0
        for t, w, p in zip(texts, whole, prices, strict=False):
            if not t:
                continue
            if (p and p in t) or one_price(t) or (len(w) > 60 and len(t) > 0.7 * len(w)):
                bad += 1
            elif looks_like_price(t) and not looks_like_price(w.replace(t, "")):
                bad += 1
        if bad > len(present) * 0.2:
            continue
        if len(set(present)) < len(present) * 0.6:
            continue
        avg = sum(len(t) for t in present) / len(present)
        if avg < 4:
            continue
        key = (kinds[sel], -n, avg)
        passing.append((key, sel, texts, avg))
        if best is None or key < best[0]:
            best = (key, sel, texts)
    if best is None:
        return None
    _, sel, texts = best
    # A shorter element inside the chosen one that still names the item ("24 m² Flat"
    # heading holding a "Flat" title span): the shortest that names it wins.
    for key, other, other_texts, avg in sorted(passing, key=lambda p: p[3]):
        if other == sel or key[0] > 1 or avg < 8:
            continue
        inside = sum(1 for a, b in zip(other_texts, texts, strict=False) if a and a in b)
        if inside >= len(blocks) * 0.8 and avg < sum(len(t) for t in texts) / len(texts):
            sel, texts = other, other_texts
            break
    dated = sum(1 for t in texts if looks_like_date(t))
    if dated:
        notes.append(f"title: {dated} of {len(blocks)} titles look like they hold a date")
    return sel


def _price(blocks, notes: list[str]) -> tuple[str | None, list[str]]:
    """The element whose whole text parses as one price, in most blocks."""
    counts: Counter = Counter()
    for block in blocks:
        seen = set()
        for el in block.iter():
            if not isinstance(el.tag, str) or el.tag in ("script", "style"):
                continue
            text = text_of(el)
            if not text or len(text) > 40 or not one_price(text):
                continue
            sel = _relative_selector(el, block)
            if sel is None or sel in seen:
                continue
            seen.add(sel)
            counts[sel] += 1
    if not counts:
        notes.append("price_text: no element holds one price alone; set it by hand")
        return None, ["" for _ in blocks]

    def rank(sel):
        texts = _texts_for(blocks, sel)
        ok = sum(1 for t in texts if t and one_price(t))
        return (ok, "price" in sel.lower(), -len(sel))

    best = max(counts, key=rank)
    texts = _texts_for(blocks, best)
    ok = sum(1 for t in texts if t and one_price(t))
    if ok < len(blocks):
        notes.append(
            f"price_text: {len(blocks) - ok} of {len(blocks)} blocks show no single price "
            "there (no price, 'on request', or another layout)"
        )
    return best, texts


def _url(blocks, title_sel: str | None, notes: list[str]) -> tuple[str, list[str]]:
    """The item link: the link around or inside the title, else the link in most blocks."""
    from parsel import Selector

    if blocks[0].tag == "a":
        return "::attr(href)", [b.get("href") for b in blocks]
    if title_sel:
        # The title is a link, or sits in one, or holds one.
        for cand in (f"{title_sel}::attr(href)", f"{title_sel} a::attr(href)"):
            vals = [Selector(root=b).css(cand).get() for b in blocks]
            if sum(1 for v in vals if v) >= len(blocks) * 0.8:
                return cand, vals
        anc = []
        for b in blocks:
            found = Selector(root=b).css(title_sel)
            el = found[0].root if found else None
            while el is not None and el is not b and el.tag != "a":
                el = el.getparent()
            anc.append(el if el is not None and el.tag == "a" else None)
        if sum(1 for a in anc if a is not None) >= len(blocks) * 0.8:
            sel = _relative_selector(anc[0] if anc[0] is not None else blocks[0], blocks[0])
            if sel:
                vals = [Selector(root=b).css(f"{sel}::attr(href)").get() for b in blocks]
                if sum(1 for v in vals if v) >= len(blocks) * 0.8:
                    return f"{sel}::attr(href)", vals
    counts: Counter = Counter()
    lens: Counter = Counter()
    for block in blocks:
        seen = set()
        for a in _links(block):
            sel = _relative_selector(a, block) or "a"
            if sel in seen:
                continue
            seen.add(sel)
            counts[sel] += 1
            lens[sel] += len(text_of(a))
    best = max(counts, key=lambda s: (counts[s], lens[s]))
    vals = [Selector(root=b).css(f"{best}::attr(href)").get() for b in blocks]
    notes.append(f"url: the link in most blocks ({best}); check it is the listing, not the seller")
    return f"{best}::attr(href)", vals


def _id(blocks, urls: list[str], page_url: str, notes: list[str]):
    """(item_id field selector or None, item_id_regex or None)."""
    for attr in _ID_ATTRS:
        values = [b.get(attr) for b in blocks]
        present = [v for v in values if v]
        if len(present) < len(blocks) * 0.9 or len(set(present)) != len(present):
            continue
        if not all(re.fullmatch(r"[\w-]{3,64}", v) for v in present):
            continue
        if attr == "id" and not all(re.search(r"\d{3,}", v) for v in present):
            continue  # ids like "card-wrapper" are layout, not listing ids
        m = [re.search(r"(\d{4,})", v) for v in present]
        if attr == "id" and all(m):
            return f"::attr({attr})", r"(\d{4,})", None
        return f"::attr({attr})", None, None
    full = [urljoin(page_url, u) for u in urls if u]
    paths = [urlsplit(u).path for u in full]
    numbered = [p for p in paths if re.search(r"\d{5,}", p)]
    if paths and len(numbered) >= len(paths) * 0.8:
        last = [re.findall(r"\d{5,}", p)[-1] for p in numbered]
        if len(numbered) < len(paths):
            notes.append(
                f"item_id: {len(paths) - len(numbered)} of {len(paths)} URLs have no number; "
                "those listings are dropped"
            )
        if len(set(last)) == len(last):
            return None, None, r"(\d{5,})[^\d/?#]*/?(?:[?#].*)?$"
    tokens = [re.search(r"-([A-Za-z0-9]{5,})(?:\.html?)?/?$", p) for p in paths]
    if paths and all(tokens) and all(re.search(r"\d", t.group(1)) for t in tokens):
        if len({t.group(1) for t in tokens}) == len(tokens):
            return None, None, r"-([A-Za-z0-9]{5,})(?:\.html?)?/?(?:[?#].*)?$"
    if paths and all(re.search(r"[-_/]ID[A-Za-z0-9]{4,}", p) for p in paths):
        return None, None, r"[-_/](ID[A-Za-z0-9]{4,})"
    if paths and all(re.search(r"\d{3,}", p) for p in paths):
        last = [re.findall(r"\d{3,}", p)[-1] for p in paths]
        if len(set(last)) == len(last):
            notes.append("item_id: the URLs' last number, only 3-4 digits long: check it is an id")
            return None, None, r"(\d{3,})[^\d/?#]*/?(?:[?#].*)?$"
    notes.append(
        "item_id: no stable id attribute and no number in the URLs: the URL's last path "
        "segment (a slug) is the id; a renamed listing will look new"
    )
    return None, None, r"/([^/?#]+?)/?(?:\.html?)?(?:[?#].*)?$"


def guess_html(tree, page_url: str) -> HtmlGuess | None:
    scored, how = _candidate_blocks(tree)
    for _, key, blocks in scored[:6]:
        notes: list[str] = []
        price_sel, price_texts = _price(blocks, notes)
        title_sel = _title(blocks, price_texts, None, notes)
        if title_sel is None:
            continue
        url_sel, urls = _url(blocks, title_sel, notes)
        id_sel, id_attr_regex, url_regex = _id(blocks, urls, page_url, notes)
        fields = {}
        if id_sel:
            fields["item_id"] = id_sel
        fields["url"] = url_sel
        full = [urljoin(page_url, u) for u in urls if u]
        with_query = [u for u in full if urlsplit(u).query]
        bare = {u.split("?")[0].split("#")[0] for u in full}
        only_tracking = all(
            len(tracking_params(u)) == len(parse_qsl(urlsplit(u).query, keep_blank_values=True))
            for u in with_query
        )
        if full and with_query and only_tracking and len(bare) == len(full):
            fields["url"] = {"css": url_sel, "regex": r"^([^?#]+)"}
            names = sorted({k for u in with_query for k in tracking_params(u)})
            notes.append(
                "url: the query string is cut (the path alone names each listing"
                + (f"; tracking parameters {', '.join(names[:4])}" if names else "")
                + ")"
            )
        fields["title"] = title_sel
        if price_sel:
            fields["price_text"] = price_sel
        stability = how[key]
        item = key
        if stability == "hashed class":
            notes.insert(
                0,
                f"item: only hashed class names mark the listing block ({key}); "
                "they change on the next redeploy",
            )
        guess = HtmlGuess(item, fields, url_regex, len(blocks), notes, stability)
        guess.id_attr_regex = id_attr_regex  # type: ignore[attr-defined]
        return guess
    return None


# --- the whole proposal --------------------------------------------------------------------


@dataclass
class Proposal:
    """A starting config for one marketplace, with what it is unsure of."""

    kind: str  # "json" or "html"
    count: int
    site: Site
    notes: list[str]
    json: JsonGuess | None = None
    html: HtmlGuess | None = None
    also: list[str] = field(default_factory=list)  # other sources seen on the page

    def listings_section(self) -> dict:
        """The ``listings:`` mapping of the config."""
        if self.json is not None:
            return {
                "json": {
                    "source": self.json.source,
                    "items": self.json.items,
                    "fields": dict(self.json.fields),
                }
            }
        g = self.html
        fields: dict = {}
        for k, v in g.fields.items():
            if isinstance(v, dict):
                fields[k] = v
            elif k == "item_id" and getattr(g, "id_attr_regex", None):
                fields[k] = {"css": v, "regex": g.id_attr_regex}
            else:
                fields[k] = v
        out = {"item": g.item}
        if g.item_id_regex:
            out["item_id_regex"] = g.item_id_regex
        out["fields"] = fields
        return out


def propose(html: str, page_url: str) -> Proposal | None:
    """The config a person would write after reading this results page; None if nothing
    repeats."""
    tree = lxml_html.fromstring(html)
    notes: list[str] = []
    json_guess = None
    also = []
    for blob in embedded_json(html, tree):
        g = guess_json(blob)
        if g is not None and g.count >= 3:
            if json_guess is None or (
                g.count > json_guess.count * 1.5 and json_guess.label != "__NEXT_DATA__"
            ):
                if json_guess is not None:
                    also.append(json_guess.label)
                json_guess = g
            else:
                also.append(g.label)
    html_guess = None
    if json_guess is None:
        html_guess = guess_html(tree, page_url)
    if json_guess is None and html_guess is None:
        return None
    rows = _preview(tree, html, page_url, json_guess, html_guess)
    titles = [r.get("title") or "" for r in rows]
    prices = [p for r in rows if (p := normalize_price(r.get("price_text")))]
    prices = [p for p in prices if p.amount is not None]
    site = detect_site(tree, page_url, titles, prices)
    kind = "json" if json_guess else "html"
    guess = json_guess or html_guess
    notes.extend(guess.notes)
    notes.extend(_row_notes(rows, guess.count))
    for key in ("languages", "country", "currency"):
        if key not in site.evidence or "guess" in site.evidence[key]:
            notes.append(f"{key}: nothing on the page says; set it by hand")
    return Proposal(kind, guess.count, site, notes, json_guess, html_guess, also)


def _preview(tree, html, page_url, json_guess, html_guess) -> list[dict]:
    """The rows the proposal extracts (without going through a config file)."""
    from parsel import Selector

    rows: list[dict] = []
    if json_guess is not None:
        sel = Selector(text=html)
        src = json_guess.source
        found = sel.xpath(src[6:]) if src.startswith("xpath:") else sel.css(src)
        try:
            data = json.loads(" ".join(found.getall()))
        except ValueError:
            return rows
        for it in jmespath.search(json_guess.items, data) or []:
            row = {}
            for k, path in json_guess.fields.items():
                v = jmespath.search(path, it)
                row[k] = None if v is None else str(v)
            rows.append(row)
        return rows
    sel = Selector(root=tree)
    item = html_guess.item
    for node in sel.xpath(item[6:]) if item.startswith("xpath:") else sel.css(item):
        row = {}
        for k, spec in html_guess.fields.items():
            regex = None
            if isinstance(spec, dict):
                spec, regex = spec["css"], spec.get("regex")
            if "::" in spec:
                v = (
                    " ".join(node.css(spec).getall())
                    if spec != "::attr(href)"
                    else node.attrib.get("href")
                )
            else:
                found = node.css(spec)
                v = (
                    " ".join(found[0].xpath(".//text()[not(ancestor::script)]").getall())
                    if found
                    else None
                )
            v = re.sub(r"\s+", " ", v).strip() if v else None
            if v and regex and (m := re.search(regex, v)):
                v = m.group(1)
            row[k] = v
        rows.append(row)
    return rows


def _row_notes(rows: list[dict], count: int) -> list[str]:
    notes = []
    n = len(rows)
    if not n:
        return ["listings: the proposal extracts nothing; check the item selector"]
    for key in ("title", "url", "price_text"):
        empty = sum(1 for r in rows if not r.get(key))
        if empty:
            notes.append(f"{key}: empty in {empty} of {n} listings")
    ids = [r.get("item_id") for r in rows if r.get("item_id")]
    if len(set(ids)) != len(ids):
        notes.append(f"item_id: {len(ids) - len(set(ids))} duplicate ids")
    titles = [r.get("title") or "" for r in rows]
    if sum(1 for t in titles if looks_like_price(t)) > n * 0.2:
        notes.append("title: many titles hold a price: the selector may take the whole card")
    return notes


def tracking_params(url: str) -> list[str]:
    """Names of the tracking parameters in a URL's query (utm_*, ref, ...)."""
    return [k for k, _ in parse_qsl(urlsplit(url or "").query) if _TRACKING_PARAM.match(k)]


# --- the config text -----------------------------------------------------------------------

PLACEHOLDER_SEARCH_URL = "/TODO-search-path?q={keyword}&page={page}"


def _yaml_scalar(value: str) -> str:
    return _q(value)


def render_config(
    name: str,
    proposal: Proposal,
    source: str,
    base_url: str,
    *,
    search_url: str | None = None,
    today: str = "",
    golden: str | None = None,
) -> str:
    """YAML text of the proposed config; comments say what was read from where and what
    is unsure."""
    site = proposal.site
    lines = [
        f"# {name}: starting config written by `wildcrawl new-marketplace` {today}".rstrip(),
        f"# from {golden or source}: {proposal.count} listings, read from "
        + (f"the page's embedded {proposal.json.label} JSON." if proposal.json else "the HTML."),
    ]
    if golden:
        lines.append(f"# Golden page: {golden}")
    for key in ("languages", "country", "currency"):
        if key in site.evidence:
            lines.append(f"# {key}: from {site.evidence[key]}")
    if proposal.notes:
        lines.append("# Unsure (check with `wildcrawl try`):")
        lines += [f"#   - {n}" for n in proposal.notes]
    if not search_url:
        lines.append("# TODO: set search.url to the site's real search URL ({keyword}, {page}).")
    lines += [
        f"name: {name}",
        f"title: {_yaml_scalar(name)}",
        f"base_url: {base_url}",
    ]
    if site.country:
        lines.append(f"country: {site.country}")
    lines.append(f"languages: [{', '.join(site.languages)}]")
    if site.currency:
        lines.append(f"currency: {site.currency}")
    if site.locale:
        lines.append(f"locale: {site.locale}")
    lines += [
        "render: http",
        "search:",
        f"  url: {_yaml_scalar(search_url or PLACEHOLDER_SEARCH_URL)}",
        "  max_pages: 5",
        "listings:",
    ]
    section = proposal.listings_section()
    if "json" in section:
        j = section["json"]
        lines += [
            "  json:",
            f"    source: {_yaml_scalar(j['source'])}",
            f"    items: {_yaml_scalar(j['items'])}",
            "    fields:",
        ]
        lines += [f"      {k}: {_yaml_scalar(v)}" for k, v in j["fields"].items()]
    else:
        lines.append(f"  item: {_yaml_scalar(section['item'])}")
        if section.get("item_id_regex"):
            lines.append(f"  item_id_regex: {_yaml_scalar(section['item_id_regex'])}")
        lines.append("  fields:")
        for k, v in section["fields"].items():
            if isinstance(v, dict):
                lines.append(f"    {k}:")
                lines += [f"      {kk}: {_yaml_scalar(vv)}" for kk, vv in v.items()]
            else:
                lines.append(f"    {k}: {_yaml_scalar(v)}")
    lines += [
        "politeness:",
        "  download_delay: 1.0",
        "  concurrency: 2",
        "  obey_robots: true",
        "",
    ]
    return "\n".join(lines)


def is_tracking_param(name: str) -> bool:
    """``utm_source``, ``ref``, eBay's ``_trkparms``...: parameters that name no listing."""
    return bool(_TRACKING_PARAM.match(name))
