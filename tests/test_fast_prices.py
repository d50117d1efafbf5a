"""The fast path of bulk price parsing says exactly what the full parser says."""

from __future__ import annotations

import json

from crawler.normalise.fast_prices import parse_price
from crawler.normalise.prices import normalize_price
from tests.test_prices import CASES, PRICES

NUMBERS = ["1 200", "45", "12,50", "12.50", "1,250.00", "1.250,00", "2,500,000", "100 000", "7"]
SIGNS = ["€", "zł", "$", "£", "DH", "₦", "PLN", "EUR", "元", "kr", "R$", "US$", "¥"]
MARKETS = [(None, None), ("PLN", "pl_PL"), ("USD", "en_US"), ("EUR", "de_DE"), ("MAD", "fr_MA")]
MARKETS += [("NGN", "en_NG"), ("CNY", "zh_CN"), ("SEK", "sv_SE"), ("JPY", "ja_JP")]


def _rows():
    rows = [(c[0], c[1], c[2]) for c in CASES]
    corpus = PRICES / "price_parser_examples.jsonl"
    if corpus.exists():
        for line in corpus.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            rows.append((row["price_raw"], row["currency_hint"], None))
    for number in NUMBERS:
        rows.append((number, "EUR", "de_DE"))
        for sign in SIGNS:
            for hint, locale in MARKETS:
                for shape in ("{n} {s}", "{s}{n}", "{s} {n}", "{n}{s}"):
                    rows.append((shape.format(n=number, s=sign), hint, locale))
    return rows


def test_fast_path_equals_full_parser():
    mismatches = [
        (text, hint, locale)
        for text, hint, locale in _rows()
        if parse_price(text, hint, locale)
        != normalize_price(text, currency_hint=hint, locale=locale)
    ]
    assert mismatches == []
