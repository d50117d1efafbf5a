"""What a results page says, read the way a person reads it: which class names are stable,
which text is one price or a date, which URL parameters are tracking, and where the site
is (languages, country, currency, locale). Pure: lxml only, and the price parser.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

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
    r"spm|scm|pvid|qid|sprefix|crid|keywords|_trkparms|_trksid|_skw|hash|clickid|click_id|clicksource|epid|itmmeta|itmprp|amdata|_sacat|_from|_nkw|_odkw|_osacat)$",
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


_UNIT_PRICE = re.compile(
    r"/\s*(m²|m2|m\^2|kg|g|100\s*g|l|100\s*ml|ml|szt\.?|st\.?|stück|unit|pc|piece|sq\.?\s*ft)\b"
    r"|/\s*m²|\bper\s+(kg|m²|m2|unit)\b|^\(.*\)$",
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
    if _UNIT_PRICE.search(text):  # "10 400 zł/m²", "(€8.24/kg)": a price per unit
        return None
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
        local = _COUNTRY_CURRENCY.get(country or "")
        code = (currency_to_iso(p.currency_text, hint=local) if p.currency_text else None) or (
            p.currency or _EXTRA_SYMBOLS.get((p.currency_text or "").upper().strip("."))
        )
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


def _xq(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    return "concat(" + ', "\'", '.join(f"'{p}'" for p in value.split("'")) + ")"


def tracking_params(url: str) -> list[str]:
    """Names of the tracking parameters in a URL's query (utm_*, ref, ...)."""
    return [k for k, _ in parse_qsl(urlsplit(url or "").query) if _TRACKING_PARAM.match(k)]


def is_tracking_param(name: str) -> bool:
    """``utm_source``, ``ref``, eBay's ``_trkparms``...: parameters that name no listing."""
    return bool(_TRACKING_PARAM.match(name))


def id_rule(blocks, urls: list[str], page_url: str, notes: list[str]):
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
    segments = [p.rstrip("/").rsplit("/", 1)[-1] for p in paths]
    if segments and all(re.fullmatch(r"[A-Za-z]{1,3}\d{5,}", g) for g in segments):
        if len(set(segments)) == len(segments):  # Yahoo! Auctions "s1039793076"
            return None, None, r"/([A-Za-z]{1,3}\d{5,})/?(?:[?#].*)?$"
    numbered = [p for p in paths if re.search(r"\d{5,}", p)]
    if paths and len(numbered) >= len(paths) * 0.8:
        last = [re.findall(r"\d{5,}", p)[-1] for p in numbered]
        if len(numbered) < len(paths):
            notes.append(
                f"item_id: {len(paths) - len(numbered)} of {len(paths)} URLs have no number; "
                "those listings are dropped"
            )
        dupes = len(last) - len(set(last))
        if dupes <= len(last) * 0.1:
            if dupes:
                notes.append(f"item_id: {dupes} listings repeat an id already on the page")
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
