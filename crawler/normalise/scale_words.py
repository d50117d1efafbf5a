"""Scale words after a number, from CLDR's compact number patterns in every locale:
``1,5 milhões``, ``2 milyon``, ``3 miljoner``, ``12 lakh``, ``4 crore``, ``5 Mio.``,
``3.2万``, ``7억``.

Each locale's ``compact_decimal_formats`` (long and short) says, for 1000, 10000, ...,
a pattern such as ``00 milhões`` at 10,000,000: the word is ``milhões`` and it stands
for 10,000,000 / 10**(zeros - 1) = 1,000,000. Words that mean different powers in
different languages (``billion``: 10**9 in English, 10**12 in French) take the
marketplace language's value, else the value most locales give them.

The CJK myriad system (万 萬 億 亿 兆, Korean 만 억 조) comes with the Chinese, Japanese
and Korean patterns; Korean is also rewritten to the Chinese characters so that
``1억 5000만`` reads as one numeral (:func:`hangul_myriads`).

Built once, kept in the disk cache (``crawler.cache``). Pure.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from functools import cache

from crawler.normalise.currency_names import currency_table, fold

__all__ = ["find_scale", "hangul_myriads", "scale_of_range", "scale_table"]

# A number, an optional space, then a word (letters, maybe a closing dot).
# The word ends the text or is followed by a space, a digit or punctuation, never by a
# symbol ("1 NT$" is no scale).
_SCALED = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)*)[ \u00a0\u202f]?"
    r"(?P<mult>[^\W\d_](?:[^\W\d_]|[\u0300-\u036f\u0900-\u0dff])*\.?)(?=$|[\s\d,;:)/+-])"
)
_PATTERN_WORD = re.compile(r"[^0#\s.,'\u00a0\u202f¤]+(?:\.(?=$|\s))?")
_HANGUL = {"천": "千", "만": "万", "억": "亿", "조": "兆"}
_HANGUL_RE = re.compile(r"(?<=\d)\s?([천만억조])(?:\s(?=\d))?")


def _build() -> dict[str, tuple[int, dict[str, int]]]:
    """Folded word -> (value most locales give it, {language: value} where it differs)."""
    from babel import Locale
    from babel.localedata import locale_identifiers

    votes: dict[str, Counter] = {}
    by_language: dict[str, dict[str, Counter]] = {}
    for ident in locale_identifiers():
        try:
            loc = Locale.parse(ident)
            formats = loc._data["compact_decimal_formats"]
        except Exception:  # noqa: BLE001 - a locale Babel cannot load adds nothing
            continue
        for width in ("long", "short"):
            plural_forms = formats.get(width) or {}
            for patterns in plural_forms.values():
                for magnitude, pattern in patterns.items():
                    text = pattern.pattern if hasattr(pattern, "pattern") else str(pattern)
                    zeros = text.count("0")
                    word = " ".join(_PATTERN_WORD.findall(text.split(";")[0])).strip()
                    if not zeros or not word or " " in word:
                        continue
                    word = word.lower().rstrip(".")
                    if len(word) == 1 and word.isascii():
                        continue  # K, M, B: too short to trust (k is in price_words)
                    value = int(magnitude) // 10 ** (zeros - 1)
                    votes.setdefault(word, Counter())[value] += 1
                    by_language.setdefault(word, {}).setdefault(loc.language, Counter())[value] += 1
    table = {}
    for word, counter in votes.items():
        default = counter.most_common(1)[0][0]
        special = {
            lang: c.most_common(1)[0][0]
            for lang, c in by_language[word].items()
            if c.most_common(1)[0][0] != default
        }
        table[word] = (default, special)
    return table


@cache
def scale_table() -> dict[str, tuple[int, dict[str, int]]]:
    """The scale-word table, from the disk cache when built before."""
    from crawler.cache import cached, code_version

    key = code_version(__name__, packages=("babel",))
    return cached("scale-words", f"cldr {key[:16]}", key, _build)


def _value(word: str, language: str | None) -> int | None:
    entry = scale_table().get(word.lower().rstrip("."))
    if entry is None:
        return None
    default, special = entry
    return special.get(language, default) if language else default


# "75 usd million": a currency code or short name between the number and the scale word.
_SCALED_AFTER_CURRENCY = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)*)[ \u00a0\u202f]?(?P<cur>[^\W\d_]{1,5}\$?)[ \u00a0\u202f]"
    r"(?P<mult>[^\W\d_]+\.?)(?=$|[\s\d,;:)/+-])"
)
# "30 musd", "120 meur", "maud 60": millions in financial shorthand.
_M_CODE = re.compile(r"(?<![^\W\d_])m(?P<code>[a-z]{3})(?![^\W\d_])", re.IGNORECASE)


def find_scale(text: str, language: str | None = None):
    """(match, factor) for the first number followed by a scale word, or None.

    ``match.group("num")`` is the number as written and ``match.start()`` where it
    starts. For a word in a script without spaces (``万元``) its leading characters
    are tried too.
    """
    names = currency_table()[0]
    for m in _SCALED.finditer(text):
        word = m.group("mult")
        if fold(word) in names:
            continue  # "150 kr", "1 KM", "1 DT": a currency, not a scale
        factor = _value(word, language)
        if factor is None and not word[:1].isascii():
            for n in range(min(3, len(word) - 1), 0, -1):
                factor = _value(word[:n], language)
                if factor is not None:
                    break
        if factor is not None and factor > 1:
            return m, Decimal(factor)
    for m in _SCALED_AFTER_CURRENCY.finditer(text):
        if fold(m.group("cur")) in names:
            factor = _value(m.group("mult"), language)
            if factor is not None and factor > 1:
                return m, Decimal(factor)
    code = _M_CODE.search(text)
    if code and f"m{code.group('code').lower()}" in names and code.group("code").lower() in names:
        m = re.search(r"(?P<num>\d+(?:[.,]\d+)*)", text)
        if m:
            return m, Decimal(10**6)
    return None


def scale_of_range(low: Decimal, high: Decimal, high_text: str, language: str | None) -> Decimal:
    """``low`` with the scale word only the high end shows: ``1,5 - 2 milhões`` -> 1,500,000."""
    found = find_scale(high_text, language)
    if found is None or low * found[1] >= high:
        return low
    scaled = low * found[1]
    return scaled.quantize(Decimal(1)) if scaled == scaled.to_integral_value() else scaled


def hangul_myriads(text: str) -> str:
    """Korean myriads after digits as the Chinese characters: ``1억 5000만원`` ->
    ``1亿5000万원`` (so the CJK numeral reader adds them up)."""
    if not any(ch in text for ch in _HANGUL):
        return text
    return _HANGUL_RE.sub(lambda m: _HANGUL[m.group(1)], text)
