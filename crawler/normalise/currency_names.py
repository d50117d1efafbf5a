"""Currencies by name and symbol in every CLDR locale (via Babel): ``Swiss francs``,
``캐나다 달러``, ``dólares``, ``NZ$``, ``zł`` -> ISO 4217.

The table is built once from Babel's CLDR data (every locale of
``babel.localedata.locale_identifiers()``: display names, their plural forms, symbols)
and kept in the disk cache (``crawler.cache``), keyed by this module's code and Babel's
version. Keys are *folded*: lower case, NFKC, without spaces and dots, so ``U.S. dollars``,
``us dollars`` and ``USdollars`` meet.

Besides the full names, each locale's *head nouns* are keys too (a second table): a
word that ends or starts two or more currency names of the locale, current or historic
(``dollar`` of ``US dollar`` and ``Canadian dollar``; ``달러``; ``리라``), so a name
written without its country adjective is found when a number comes before it or next
to it; it means every current currency it names there. Which one a text means
is settled by :func:`resolve`: the marketplace's currency when it is one of them, else
the first in :data:`PREFERRED` (the most traded currencies), else the one most locales
give the word to.

Only currencies some territory uses today are indexed (historic ones would turn
``mark`` or ``real`` into noise). Pure: reads Babel's data, nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache

__all__ = ["PREFERRED", "currency_table", "find_currency", "fold", "resolve"]

# The most traded currencies first (BIS triennial survey order): a head noun shared by
# several currencies ("dollar", "pound", "franc", "krona", "peso") means the first of
# these when no marketplace currency decides.
PREFERRED = (
    "USD EUR JPY GBP CNY AUD CAD CHF HKD SGD SEK KRW NOK NZD INR MXN TWD ZAR BRL DKK PLN THB "
    "ILS IDR CZK AED TRY HUF CLP SAR PHP MYR COP RUB RON PEN EGP NGN KES MAD VND"
).split()
_RANK = {code: i for i, code in enumerate(PREFERRED)}

# Symbols written with a country prefix that CLDR spells in a few locales only; every
# locale's symbols are indexed too, these make sure the common forms mean the same thing
# whatever locale CLDR gave them in.
PREFIXED_SYMBOLS = {
    "NZ$": "NZD",
    "CA$": "CAD",
    "C$": "CAD",
    "CAN$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "HK$": "HKD",
    "S$": "SGD",
    "SG$": "SGD",
    "R$": "BRL",
    "US$": "USD",
    "U$S": "USD",
    "MX$": "MXN",
    "MEX$": "MXN",
    "NT$": "TWD",
    "zł": "PLN",
    "₹": "INR",
    "Rs": "INR",
    "₨": "INR",
    "₦": "NGN",
    "₫": "VND",
    "₩": "KRW",
    "₺": "TRY",
    "₽": "RUB",
    "₱": "PHP",
}
# Symbols several currencies share: found, they stay ambiguous (the hint decides).
SHARED_SYMBOLS = {
    "kr": ("SEK", "NOK", "DKK", "ISK"),
    "$": ("USD", "CAD", "AUD", "NZD", "MXN", "HKD", "SGD", "TWD"),
    "£": ("GBP", "EGP"),
    "¥": ("JPY", "CNY"),
}

# Keys some locale's symbol gives that are units or words in price strings.
NOT_CURRENCIES = {"kg", "le", "new"}
# Codes that are also words ("all", "top", "cup"): in lower case only these count.
_LOWER_CODES = {code.lower() for code in PREFERRED}

_DROP = re.compile(r"[\s.\u00a0\u202f]+")
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u0e00-\u0e7f"  # + Thai
_MARKS = r"\u0300-\u036f\u0900-\u0dff"  # combining marks, Indic vowel signs
_TOKEN = re.compile(rf"[{_CJK}]|[^\W\d_{_CJK}](?:[^\W\d_{_CJK}]|[{_MARKS}])*|[^\w\s.,'\-–—~]")
MAX_TOKENS = 6


def fold(text: str) -> str:
    """The key form of a name or symbol: NFKC, lower case, no spaces or dots."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).lower())


def _current_currencies() -> set[str]:
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory))
    return codes


def _build() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(names and symbols, head nouns): folded key -> ISO codes, most likely first."""
    from babel import Locale
    from babel.localedata import locale_identifiers

    current = _current_currencies()
    counts: dict[str, Counter] = {}
    head_counts: dict[str, Counter] = {}
    symbols_seen: dict[str, set[str]] = {}

    def add(into: dict[str, Counter], key: str, code: str) -> None:
        key = fold(key)
        if not key or key.isdigit() or (len(key) == 1 and key.isascii() and key.isalpha()):
            return  # a lone Latin letter ("a", "K") names nothing for sure
        into.setdefault(key, Counter())[code] += 1

    for ident in locale_identifiers():
        try:
            data = Locale.parse(ident)._data
            names = data["currency_names"]
            plurals = data["currency_names_plural"]
            symbols = data["currency_symbols"]
        except Exception:  # noqa: BLE001 - a locale Babel cannot load adds nothing
            continue
        heads: dict[str, set[str]] = {}
        for code, name in names.items():
            plural = plurals.get(code)
            forms = [name, *(plural.values() if plural else ())]
            for form in filter(None, forms):
                if code in current:
                    add(counts, form, code)
                words = form.lower().split()
                if len(words) > 1:
                    for word in (words[0], words[-1]):
                        heads.setdefault(word, set()).add(code)
            symbol = symbols.get(code)
            if code in current and symbol and symbol != code:
                add(counts, symbol, code)
                symbols_seen.setdefault(code, set()).add(symbol)
        for word, codes in heads.items():
            # a noun several currencies (current or historic) share ("dollar", "리라"),
            # or the first or last word of one name ("reais" of "Reais brasileiros")
            if len(codes) > 1 or len(word) >= 3:
                for code in codes & current:
                    add(head_counts, word, code)
    table = {key: _order(counter) for key, counter in counts.items()}
    for symbol, codes in SHARED_SYMBOLS.items():
        table[fold(symbol)] = codes
    for symbol, code in PREFIXED_SYMBOLS.items():
        table[fold(symbol)] = (code,)
    for code in current:  # the code itself, in any case; "cad$", "mxn$" for dollar signs
        table[code.lower()] = (code,)
        if "$" in "".join(symbols_seen.get(code, ())):
            table.setdefault(fold(code + "$"), (code,))
    for code in set(PREFERRED) - {"ILS"}:  # "30 MUSD", "120 mEUR" (scale_words); not "mils"
        table.setdefault(f"m{code.lower()}", (code,))
    for word in NOT_CURRENCIES:
        table.pop(word, None)
    heads_table = {}
    for key, counter in head_counts.items():
        if key in table:  # a full name somewhere, a shared noun elsewhere: both meanings
            table[key] += tuple(c for c in _order(counter) if c not in table[key])
        else:
            heads_table[key] = _order(counter)
    return table, heads_table


def _order(counter: Counter) -> tuple[str, ...]:
    return tuple(
        code
        for code, _ in sorted(
            counter.items(), key=lambda kv: (_RANK.get(kv[0], len(_RANK)), -kv[1], kv[0])
        )
    )


@cache
def currency_table() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(names and symbols, head nouns), from the disk cache when built before."""
    from crawler.cache import cached, code_version

    key = code_version(__name__, packages=("babel",))
    return cached("currency-names", f"cldr {key[:16]}", key, _build)


def resolve(codes: tuple[str, ...], hint: str | None) -> str | None:
    """The ISO code a name means: the hint when it is one of ``codes``, else the first."""
    if not codes:
        return None
    if hint and hint in codes:
        return hint
    return codes[0]


def find_currency(text: str) -> tuple[tuple[str, ...], str, int, int] | None:
    """The currency name or symbol ``text`` shows: (codes, text as written, start, end).

    The longest name wins, one next to a number before one that is not; a bare
    letters-only key of one or two letters (``kr``, ``zł``, ``Rs``) only counts next to
    a number, so a stray ``to`` or ``de`` never names a currency.
    """
    table, heads = currency_table()
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(lowered)]
    best = None
    best_score = None
    for i in range(len(tokens)):
        start = tokens[i][0]
        for j in range(min(len(tokens), i + MAX_TOKENS), i, -1):
            end = tokens[j - 1][1]
            key = _DROP.sub("", lowered[start:end])
            codes = table.get(key)
            near = _next_to_number(text, start, end)
            if codes is None:
                codes = heads.get(key)
                if codes is None or not (near or _number_before(text, start)):
                    continue
            elif len(key) <= 3 and key.isalpha() and key.isascii():
                if not near:
                    continue  # "kr", "zł", "Rs", "usd" only next to a number
                written = text[start:end]
                if len(key) == 3 and written.islower() and key not in _LOWER_CODES:
                    if codes == (key.upper(),):
                        continue  # "all", "top", "cup": words unless written ALL, TOP, CUP
            score = (near, len(key))
            if best_score is None or score > best_score:
                best, best_score = (codes, text[start:end], start, end), score
            break
    return best


def name_in(
    text: str, seen_text: str | None, seen_iso: str | None, hint: str | None
) -> tuple[str | None, str] | None:
    """(ISO code, text as written) of a currency name in ``text`` that says more than
    ``seen_text`` (what price-parser and the symbol table found, meaning ``seen_iso``), or
    None to keep theirs.

    It says more when it is longer (``Swiss francs`` over ``francs``, ``NZ$`` over ``$``),
    when theirs means nothing, or when it names the marketplace's currency and theirs
    another (``dollars`` on a Canadian site). A shared symbol alone (``kr``) stays
    undecided without a hint.
    """
    if seen_text is None and not any(c.isdigit() for c in text):
        return None  # "Ph. Eur. USP": a name without an amount is no price
    found = find_currency(text)
    if found is None:
        return None
    codes, written = found[0], found[1]
    key = fold(written)
    if key in _SHARED_KEYS and (not hint or hint not in codes):
        return None
    iso = resolve(codes, hint)
    if seen_iso is not None and iso == seen_iso:
        return None  # the same currency: keep the text as they found it ("руб")
    seen_key = fold(seen_text) if seen_text else ""
    if not seen_key:
        return iso, written
    if seen_key == key:  # the same word: it decides only for the marketplace's currency
        if seen_iso is None or (hint in codes and seen_iso != hint):
            return iso, seen_text
        return None
    if seen_key in key and (seen_iso is None or key.startswith(seen_key)):
        return iso, seen_text  # "рублей" settles what "руб" means; keep their text
    if seen_key in key and (len(key) > len(seen_key) or hint in codes):
        return iso, written
    return None


_SHARED_KEYS = {fold(symbol) for symbol in SHARED_SYMBOLS}


def _number_before(text: str, start: int) -> bool:
    """A digit shortly before: "125 million dollars", "5 millions de dollars"."""
    return any(c.isdigit() for c in text[max(0, start - 24) : start])


def _next_to_number(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 3) : start]
    after = text[end : end + 3]
    return bool(
        re.search(r"\d[\s\u00a0\u202f]?$", before) or re.match(r"[\s\u00a0\u202f]?\d", after)
    )
