"""Price strings -> amount, ISO 4217 currency and kind.

A thin wrapper around ``price-parser`` (which finds the number and the currency symbol)
adding what marketplace monitoring needs and price-parser lacks: the marketplace locale
settles ambiguous separators (``1.234`` in Germany vs the US), Chinese/Japanese numerals and
multipliers (``1.2万``, ``八百元``), ``k``/``mil``/``million``-style multipliers, "price on
request" and "free" phrases, ranges, shipping clauses, and currency symbols resolved to ISO
codes with the marketplace currency as fallback for ambiguous ones (``$``, ``¥``, ``kr``).
The phrases, words and symbols it reads are data, in ``crawler.normalise.price_words``.

Pure: never imports Scrapy. Amounts are ``Decimal``; nothing here raises on
odd input, it returns ``kind="missing"`` instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from decimal import Decimal
from functools import cache, lru_cache

from price_parser import parser as pp
from price_parser._currencies import CURRENCIES

from crawler.errors import WildcrawlError
from crawler.normalise.currency_names import name_in
from crawler.normalise.minor_units import compound_amount
from crawler.normalise.price_guard import impossible as _impossible
from crawler.normalise.price_guard import too_big as _too_big
from crawler.normalise.price_words import (
    CJK_BIG,
    CJK_CURRENCY_AFTER,
    CJK_DIGITS,
    CJK_SMALL,
    EXTRA_CURRENCY_WORDS,
    FREE_PHRASES,
    MULTIPLIERS,
    ON_REQUEST_PHRASES,
    SHIPPING_WORDS,
    SYMBOL_DEFAULTS,
    ZH_ONLY_MULTIPLIERS,
)
from crawler.normalise.scale_words import find_scale, hangul_myriads, scale_of_range

__all__ = [
    "ParsedPrice",
    "UnknownLocaleError",
    "currency_to_iso",
    "normalize_price",
]


class UnknownLocaleError(WildcrawlError, ValueError):
    """A locale name Babel does not know (e.g. ``xx_YY``)."""


@dataclass(frozen=True)
class ParsedPrice:
    """What a price string says. ``amount`` is the low end for a range."""

    raw: str | None
    amount: Decimal | None
    currency: str | None  # ISO 4217
    kind: str  # fixed | on_request | free | range | missing | impossible
    high: Decimal | None = None  # upper end of a range
    currency_text: str | None = None  # the currency symbol or word as written

    def as_json(self) -> dict:
        """A JSON-ready dict (Decimals as strings, so no precision is lost)."""
        out = asdict(self)
        for key in ("amount", "high"):
            if out[key] is not None:
                out[key] = str(out[key])
        return out


# --- patterns (the words they are made of: crawler/normalise/price_words.py) -----------

# Yuan written with its minor units: 5元3毛 = 5.3, 50元6角3分 = 50.63.
_YUAN_JIAO_FEN = re.compile(
    r"(?P<yuan>\d+)\s*(?P<unit>元|块|塊)\s*(?P<jiao>\d)\s*(?:角|毛)(?:\s*(?P<fen>\d)\s*分)?"
)
# "c $ 16.4", "hk $ 10": a dollar prefix written apart from its sign.
_SPACED_DOLLAR = re.compile(r"\b(us|c|ca|can|hk|au|a|nz|nt|s)\s+\$", re.IGNORECASE)


# --- small helpers -----------------------------------------------------------


def _phrase_regex(phrases: list[str]) -> re.Pattern[str]:
    # \b does not work next to CJK or Thai; require non-letters around Latin words only.
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        escaped = re.escape(phrase)
        if phrase[:1].isascii() and phrase[:1].isalpha():
            escaped = rf"(?<![^\W\d_]){escaped}(?![^\W\d_])"
        parts.append(escaped)
    return re.compile("|".join(parts), re.IGNORECASE)


_ON_REQUEST = _phrase_regex(ON_REQUEST_PHRASES)
_FREE = _phrase_regex(FREE_PHRASES)
_FREE_SHIPPING = re.compile(
    rf"(?:free|kostenlose?r?|gratis|gratuite?|free uk|免费|免費)\s*(?:{SHIPPING_WORDS})"
    rf"|(?:{SHIPPING_WORDS})\s*(?:free|gratis|kostenlos|offert|inklusive|included)"
    r"|包邮|包郵|送料無料",
    re.IGNORECASE,
)
_NUM = r"\d[\d\s.,']*\d|\d"
_SHIPPING_CLAUSE = re.compile(
    rf"\+?\s*[^\d\s]{{0,4}}\s*(?:{_NUM})\s*[^\d\s]{{0,4}}\s*(?:{SHIPPING_WORDS})"
    rf"|(?:{SHIPPING_WORDS})\s*:?\s*[^\d\s]{{0,4}}\s*(?:{_NUM})",
    re.IGNORECASE,
)
_RANGE_SEP = r"(?:-|–|—|~|～|〜|\bto\b|\bbis\b|\bà\b|\ba\b|至|到)"
_MULTIPLIER_RE = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)*)\s?(?P<mult>"
    + "|".join(re.escape(m) for m in sorted(MULTIPLIERS, key=len, reverse=True))
    + r")(?![^\W\d_])\.?",
)
_CJK_RUN = re.compile("[0-9.零〇一二两兩三四五六七八九十拾百佰千仟万萬亿億兆]+")
_EXTRA_CURRENCY_RE = re.compile(
    "|".join(
        (re.escape(w) if not w[:1].isascii() else rf"(?<![^\W\d_]){re.escape(w)}(?![^\W\d_])")
        for w in sorted(EXTRA_CURRENCY_WORDS, key=len, reverse=True)
    )
)


@cache
def _symbol_index() -> dict[str, frozenset[str]]:
    """Currency text -> ISO codes it may stand for, from price-parser's table.

    Building it reads 23 locales of Babel's CLDR data (a tenth of a second and ~25 MiB
    that Babel keeps): the result is kept in the disk cache (``crawler.cache``), keyed by
    this module's code and the Babel and price-parser versions.
    """
    from crawler.cache import cached, code_version

    key = code_version(__name__, packages=("babel", "price-parser"))
    return cached("currency-symbols", f"cldr {key[:16]}", key, _build_symbol_index)


def _build_symbol_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for code, info in CURRENCIES.items():
        for symbol in [code, info["s"], info["sn"], *info.get("sn2", [])]:
            index.setdefault(symbol.strip(), set()).add(code)
    # CLDR symbols (via Babel) price-parser's table lacks, e.g. ₽ for RUB.
    from babel.numbers import get_currency_symbol

    cldr: dict[str, set[str]] = {}
    for locale in _SYMBOL_LOCALES:
        for code in CURRENCIES:
            symbol = get_currency_symbol(code, locale)
            if symbol != code and symbol not in index:
                cldr.setdefault(symbol, set()).add(code)
    index.update(cldr)
    for word, code in EXTRA_CURRENCY_WORDS.items():  # ours decide where both know a word
        index[word] = {code}
    index["kr"] = index["Kr"] = {"SEK", "NOK", "DKK", "ISK"}
    index["Dh"] = index["DH"] = index["Dhs"] = index["dh"] = index["dhs"] = {"MAD", "AED"}
    for yen in ("¥", "￥"):  # the yuan's sign too: a Chinese site means CNY
        index[yen] = {"CNY", "JPY"}
    for word in ("元", "圆", "圓", "yuan"):  # also the New Taiwan and Hong Kong dollar's unit
        index[word] = {"CNY", "TWD", "HKD", "MOP"}
    return {symbol: frozenset(codes) for symbol, codes in index.items()}


_SYMBOL_LOCALES = (
    "en",
    "ru",
    "uk",
    "zh",
    "ja",
    "ko",
    "th",
    "vi",
    "id",
    "tr",
    "pl",
    "pt_BR",
    "es",
    "fr",
    "de",
    "hi",
    "sw",
    "ms",
    "ar",
    "he",
    "fa",
    "ka",
    "kk",
)
_GENERIC_SIGNS = {"$", "¥", "￥", "kr", "Kr", "£", "R", "Rs"}


def _hint_uses_sign(hint: str, sign: str) -> bool:
    """Whether the hint currency writes itself with ``sign`` (TWD: ``NT$`` has ``$``)."""
    info = CURRENCIES.get(hint)
    if not info:
        return False
    symbols = [info["s"], info["sn"], *info.get("sn2", [])]
    return any(sign.casefold() in symbol.casefold() for symbol in symbols)


def _currency_decimals(code: str | None) -> int | None:
    info = CURRENCIES.get(code or "")
    return info["d"] if info else None


@lru_cache(maxsize=64)
def _locale_info(locale: str) -> tuple[str, str | None, str]:
    """(decimal symbol, default currency, language) of a locale like ``de_DE``, from the disk
    cache (``crawler.cache``; Babel's locale files took 0.015 CPU s of a crawl's first price)."""
    from crawler.cache import cached_entry, code_version

    key = code_version(__name__, packages=("babel",))
    return cached_entry("locale-info", key, locale, lambda: _babel_locale_info(locale))


def _babel_locale_info(locale: str) -> tuple[str, str | None, str]:
    import babel.numbers  # and babel

    try:
        loc = babel.Locale.parse(locale.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError) as exc:
        raise UnknownLocaleError(f"unknown locale {locale!r} (expected e.g. de_DE)") from exc
    currencies = babel.numbers.get_territory_currencies(loc.territory) if loc.territory else []
    return babel.numbers.get_decimal_symbol(loc), (currencies or [None])[0], loc.language


def currency_to_iso(
    text: str | None, *, hint: str | None = None, locale: str | None = None
) -> str | None:
    """ISO 4217 code for a currency symbol, code or word (``US$``, ``zł``, ``元``).

    An ambiguous symbol (``$``, ``¥``, ``kr``) takes the hint (the marketplace's
    currency) when it is one of its meanings, then the locale's currency, then
    its commonest meaning; ``None`` when nothing decides.
    """
    if not text:
        return None
    text = text.strip()
    hint = hint.upper() if hint else None
    codes = _symbol_index().get(text) or _symbol_index().get(text.rstrip("."))
    if not codes:
        if len(text) == 3 and text.isalpha() and text.upper() in CURRENCIES:
            return text.upper()
        return SYMBOL_DEFAULTS.get(text)
    if hint in codes or (hint and text in _GENERIC_SIGNS and _hint_uses_sign(hint, text)):
        return hint
    if locale:
        local_currency = _locale_info(locale)[1]
        if local_currency in codes:
            return local_currency
    if len(codes) == 1:
        return next(iter(codes))
    return SYMBOL_DEFAULTS.get(text)


def _cjk_number(run: str) -> Decimal | None:
    """Value of a Chinese/Japanese numeral run mixing digits: ``1.2万``, ``八百``."""
    total = Decimal(0)
    section = Decimal(0)
    number: Decimal | None = None
    biggest = 0
    i = 0
    while i < len(run):
        ch = run[i]
        if ch.isdigit() or ch == ".":
            m = re.match(r"\d+(?:\.\d+)?", run[i:])
            if not m:
                return None
            number = Decimal(m.group(0))
            i += len(m.group(0))
            continue
        if ch in CJK_DIGITS:
            number = Decimal(CJK_DIGITS[ch])
        elif ch in CJK_SMALL:
            section += (number if number is not None else Decimal(1)) * CJK_SMALL[ch]
            number = None
        elif ch in CJK_BIG:
            unit = CJK_BIG[ch]
            section += number or 0
            number = None
            if unit > biggest:
                total = (total + section) * unit
                biggest = unit
            else:
                total += section * unit
            section = Decimal(0)
        else:
            return None
        i += 1
    return total + section + (number or 0)


def _replace_cjk_numerals(text: str) -> str:
    """Rewrite Chinese numeral amounts as plain digits so the rest can parse them."""

    def repl(m: re.Match[str]) -> str:
        run = m.group(0)
        after = text[m.end() :]
        has_cjk = any(not (c.isdigit() or c == ".") for c in run)
        if not has_cjk:
            return run
        has_digit = any(c.isdigit() for c in run)
        has_unit = any(c in CJK_SMALL or c in CJK_BIG for c in run)
        if not ((has_digit and has_unit) or re.match(rf"\s*(?:{CJK_CURRENCY_AFTER})", after)):
            return run
        value = _cjk_number(run.strip("."))
        return run if value is None else _plain(value)

    text = _CJK_RUN.sub(repl, text)
    return _YUAN_JIAO_FEN.sub(lambda m: f"{m['yuan']}.{m['jiao']}{m['fen'] or ''}{m['unit']}", text)


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _decimal_separator(number: str, locale: str | None, currency: str | None) -> str | None:
    """Decimal separator to impose on price-parser, or None to let it guess.

    With both separators the last one is decimal. Otherwise only a lone ``.``
    or ``,`` followed by exactly three digits is ambiguous;
    the currency's minor units (yen: none, dinar: three) decide, then the locale.
    """
    digits = number.replace(" ", "")
    both = re.fullmatch(r"\d+(?:([.,])\d{2,3})+([.,])\d+", digits)  # lakh groups: 2
    if both and both.group(1) != both.group(2):
        return both.group(2)  # "123,456.789": the last, different separator is decimal
    m = re.fullmatch(r"\d+([.,])\d{3}", digits)
    if not m:
        return None
    sep = m.group(1)
    if digits.startswith("0"):
        return sep  # "0,011": a group never starts with 0
    decimals = _currency_decimals(currency)
    if decimals == 0:
        return "." if sep == "," else ","
    if decimals == 3:
        return sep
    if locale:
        local_decimal = _locale_info(locale)[0]
        if local_decimal in ".,":
            return sep if sep == local_decimal else ("." if sep == "," else ",")
    return None


def _amount(
    text: str, locale: str | None, currency: str | None, forced: str | None = None
) -> Decimal | None:
    """The first amount in ``text`` (after CJK rewriting), multipliers applied."""
    number_text = pp.extract_price_text(text)
    if number_text is None:
        return None
    m = _MULTIPLIER_RE.search(text)
    if m and m.group("mult") in ZH_ONLY_MULTIPLIERS and not _is_chinese(locale, currency):
        m = None
    factor = MULTIPLIERS[m.group("mult")] if m else None
    if m is None:  # CLDR's scale words in every locale: "1,5 milhões", "2 milyon"
        m, factor = find_scale(text, _locale_info(locale)[2] if locale else None) or (None, None)
    if m and _starts_same_number(text, m.start(), number_text):
        number = m.group("num")
        sep = forced or _decimal_separator(number, locale, currency)
        if sep is None and re.fullmatch(r"\d+[.,]\d{1,2}", number):
            sep = number[-2] if number[-2] in ".," else number[-3]
        value = pp.parse_number(number, sep)
        if value is None:
            return None
        value *= factor
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    return pp.parse_number(number_text, forced or _decimal_separator(number_text, locale, currency))


def _starts_same_number(text: str, start: int, number_text: str) -> bool:
    first = re.search(r"\d", text)
    return first is not None and first.start() == start and bool(number_text)


def _is_chinese(locale: str | None, currency: str | None) -> bool:
    return (locale or "").lower().startswith("zh") or currency in {"CNY", "TWD", "HKD"}


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("\u200b", "")
    return re.sub(r"\s+", " ", text).strip()


def _currency(
    raw: str, cleaned: str, hint_text: str | None, hint: str | None, locale: str | None
) -> tuple[str | None, str | None, bool]:
    """(ISO code, currency text, whether the text itself shows it).

    The raw text is searched before its NFKC form, which rewrites some
    symbols (``₨`` -> ``Rs``) but also makes full-width ones (``￡``) findable.
    """
    for text in (raw, cleaned):
        seen = pp.extract_currency_symbol(text, None) or _extra_currency(text)
        if seen:
            seen = seen.strip()
            iso = currency_to_iso(seen, hint=hint, locale=locale)
            named = name_in(cleaned, seen, iso, hint)  # CLDR names: "Swiss francs", "NZ$"
            return (*named, True) if named else (iso, seen, True)
    named = name_in(cleaned, None, None, hint)
    if named:
        return (*named, True)
    seen = None
    if hint_text:
        seen = pp.extract_currency_symbol(None, hint_text) or _extra_currency(hint_text)
    seen = seen.strip() if seen else None
    iso = currency_to_iso(seen, hint=hint, locale=locale)
    if iso is None and seen is None:
        iso = hint or (_locale_info(locale)[1] if locale else None)
    return iso, seen, False


def _extra_currency(text: str) -> str | None:
    m = _EXTRA_CURRENCY_RE.search(text)
    return m.group(0) if m else None


def _range(text: str, locale: str | None, currency: str | None, forced: str | None):
    """(low, high) when ``text`` is a price range such as ``$100 - $200``."""
    m = re.search(
        rf"(?P<low>(?:{_NUM})(?:\s?[^\W\d_]{{1,8}}\.?)?)\s*[^\d\s-]{{0,4}}\s*{_RANGE_SEP}"
        rf"\s*[^\d\s]{{0,4}}\s*(?P<high>{_NUM})",
        text,
    )
    if not m or re.search(r"\d\s*[.:/]\s*$", text[: m.start()]):
        return None
    low = _amount(m.group("low"), locale, currency, forced)
    high = _amount(text[m.start("high") :], locale, currency, forced)
    if low is not None and high is not None and not find_scale(m.group("low")):
        low = scale_of_range(low, high, text[m.start("high") :], None)  # "1,5 - 2 milhões"
    if low is None or high is None or not (0 < low < high):
        return None
    if re.search(r"\d", text[: m.start()]):
        return None
    return low, high


def normalize_price(
    text: str | None,
    *,
    currency_hint: str | None = None,
    locale: str | None = None,
    decimal_separator: str | None = None,
) -> ParsedPrice:
    """Parse a marketplace price string.

    ``currency_hint`` is the marketplace's currency (ISO code), used when the
    string shows none or an ambiguous symbol; ``locale`` (``de_DE``, ``zh_CN``...)
    decides ambiguous decimal separators; ``decimal_separator`` (``.``, ``,``)
    overrides both when a site is known to use one. Never raises on odd text; an unknown
    locale raises :class:`UnknownLocaleError`.
    """
    if locale:
        _locale_info(locale)  # fail early and clearly on a bad locale
    hint = currency_hint.upper() if currency_hint and len(currency_hint) == 3 else None
    if text is None or not text.strip():
        _, seen, _ = _currency("", "", currency_hint, hint, locale)
        return ParsedPrice(text, None, None, "missing", currency_text=seen)
    raw = _SPACED_DOLLAR.sub(lambda m: m.group(1).upper() + "$", re.sub(r"\s+", " ", text))
    cleaned = _FREE_SHIPPING.sub(" ", _clean(raw))
    priced = _SHIPPING_CLAUSE.sub(" ", cleaned) if _has_other_amount(cleaned) else cleaned
    priced = _replace_cjk_numerals(hangul_myriads(priced))
    iso, seen, shown = _currency(raw, priced, currency_hint, hint, locale)
    if _impossible(priced):
        return ParsedPrice(text, None, iso, "impossible", currency_text=seen)
    span = _range(priced, locale, iso, decimal_separator)
    if span and (_too_big(span[0]) or _too_big(span[1])):
        return ParsedPrice(text, None, iso, "impossible", currency_text=seen)
    if span:
        return ParsedPrice(text, span[0], iso, "range", high=span[1], currency_text=seen)
    amount = compound_amount(priced) or _amount(priced, locale, iso, decimal_separator)
    if _too_big(amount):
        return ParsedPrice(text, None, iso, "impossible", currency_text=seen)
    if amount is None:
        # No amount: keep a currency only when the text itself names one.
        named = iso if shown else None
        if _ON_REQUEST.search(priced):
            return ParsedPrice(text, None, named, "on_request", currency_text=seen)
        if _FREE.search(priced):
            return ParsedPrice(text, Decimal(0), iso, "free", currency_text=seen)
        return ParsedPrice(text, None, named, "missing", currency_text=seen)
    if amount == 0:
        return ParsedPrice(text, Decimal(0), iso, "free", currency_text=seen)
    return ParsedPrice(text, amount, iso, "fixed", currency_text=seen)


def _has_other_amount(text: str) -> bool:
    stripped = _SHIPPING_CLAUSE.sub(" ", text)
    return bool(re.search(r"\d", stripped)) and stripped != text
