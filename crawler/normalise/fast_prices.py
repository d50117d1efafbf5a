"""A fast path for the commonest price strings (``1 200 zł``, ``€12.50``, ``$1,250.00``):
tens of thousands a second, for ``wildcrawl price --input`` and bulk re-normalising.

:func:`parse_price` gives exactly what :func:`crawler.normalise.prices.normalize_price`
gives (``tests/test_fast_prices.py`` checks it on every real corpus): a string that is
one unambiguous number and at most a currency sign before and after it is read here;
its currency is what the full parser says of the same string with the number replaced
by ``1`` (remembered per shape), its amount the number itself. Anything else (words,
ranges, ``1.234``, scale words) goes to the full parser, whose answers are remembered
too (a crawl sees the same price strings again and again). Pure.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from crawler.normalise.price_guard import too_big
from crawler.normalise.prices import ParsedPrice, normalize_price

__all__ = ["parse_price"]

_SIGN = r"(?:[€£$¥₩₹₦₫₺₽₱]|zł|zl|kr|Kč|DH|Dh|Rs|R\$|US\$|EUR|USD|PLN|GBP|MAD|NGN|CNY|元)"
_NUMBER = (
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d{2})?"  # 1 200, 1 200,50
    r"|\d{1,3}(?:,\d{3}){2,}|\d{1,3}(?:\.\d{3}){2,}"  # 2,500,000 2.500.000
    r"|\d{1,3}(?:,\d{3})+\.\d{2}"  # 1,250.00
    r"|\d{1,3}(?:\.\d{3})+,\d{2}"  # 1.250,00
    r"|[1-9]\d*(?:[.,]\d{2})?"  # 45, 12.50, 12,50
)
_SIMPLE = re.compile(rf"(?P<pre>{_SIGN}[ \u00a0]?)?(?P<num>{_NUMBER})(?P<post>[ \u00a0]?{_SIGN})?")


@lru_cache(maxsize=4096)
def _shape(shape: str, hint: str | None, locale: str | None) -> ParsedPrice:
    return normalize_price(shape, currency_hint=hint, locale=locale)


@lru_cache(maxsize=65536)
def _full(text: str, hint: str | None, locale: str | None) -> ParsedPrice:
    return normalize_price(text, currency_hint=hint, locale=locale)


def parse_price(
    text: str | None, currency_hint: str | None = None, locale: str | None = None
) -> ParsedPrice:
    """``normalize_price(text, currency_hint=..., locale=...)``, faster."""
    m = _SIMPLE.fullmatch(text) if text else None
    if m is None:
        return _full(text, currency_hint, locale)
    number = m.group("num")
    shape = _shape(f"{m.group('pre') or ''}1{m.group('post') or ''}", currency_hint, locale)
    if shape.kind != "fixed" or shape.amount != 1:
        return _full(text, currency_hint, locale)
    digits = number.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if len(digits) > 3 and digits[-3] in ".,":  # a decimal part: the other sign groups
        digits = digits[:-3].replace(",", "").replace(".", "") + "." + digits[-2:]
    else:  # no decimals: every sign groups
        digits = digits.replace(",", "").replace(".", "")
    amount = Decimal(digits)
    if too_big(amount):  # the full parser refuses it (kind "impossible")
        return _full(text, currency_hint, locale)
    return ParsedPrice(text, amount, shape.currency, "fixed", None, shape.currency_text)
