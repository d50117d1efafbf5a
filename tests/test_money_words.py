"""Currencies by CLDR name, scale words, minor units, on-request phrases (issue 23)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crawler.normalise.prices import normalize_price

D = Decimal

# (text, hint, locale) -> (amount, currency)
CASES = [
    ("100 Swiss francs", None, None, D(100), "CHF"),
    ("100 캐나다 달러", None, None, D(100), "CAD"),
    ("50 dollars", "CAD", "en_CA", D(50), "CAD"),
    ("50 dollars", None, None, D(50), "USD"),
    ("NZ$ 100", "USD", None, D(100), "NZD"),
    ("CA$ 5", None, None, D(5), "CAD"),
    ("A$ 12", None, None, D(12), "AUD"),
    ("MX$ 30", None, None, D(30), "MXN"),
    ("125 million australian dollars", None, None, D(125000000), "AUD"),
    ("1,5 milhões de reais", None, None, D(1500000), "BRL"),
    ("R$ 1,5 milhão", None, "pt_BR", D(1500000), "BRL"),
    ("2 milyon lira", None, "tr_TR", D(2000000), "TRY"),
    ("3 miljoner kronor", None, None, D(3000000), "SEK"),
    ("12 lakh rupees", None, "en_IN", D(1200000), "INR"),
    ("3.2万元", None, None, D(32000), "CNY"),
    ("1억 5000만원", None, "ko_KR", D(150000000), "KRW"),
    ("30万円", None, "ja_JP", D(300000), "JPY"),
    ("5 Mio. €", None, "de_DE", D(5000000), "EUR"),
    ("5 euros and 50 cents", None, None, D("5.50"), "EUR"),
    ("2 元 5 角", None, "zh_CN", D("2.5"), "CNY"),
    ("12 zł 50 gr", "PLN", "pl_PL", D("12.50"), "PLN"),
    ("5 000 złotych", None, None, D(5000), "PLN"),
    ("Swiss watch 500 €", None, None, D(500), "EUR"),
    ("5 लाख रुपये", None, "hi_IN", D(500000), "INR"),
    ("2 करोड़ रुपये", None, None, D(20000000), "INR"),
    ("1 млн руб.", None, "ru_RU", D(1000000), "RUB"),
    ("2,5 Mrd. €", None, "de_DE", D(2500000000), "EUR"),
    ("5 bin TL", None, "tr_TR", D(5000), "TRY"),
    ("3 miljoen euro", None, "nl_NL", D(3000000), "EUR"),
    ("10 mila euro", None, "it_IT", D(10000), "EUR"),
    ("200 francs CFA", None, None, D(200), "XOF"),
    ("15 dollars and 50", None, None, D("15.50"), "USD"),
    ("17 usd 25", None, None, D("17.25"), "USD"),
    ("75 usd million", None, None, D(75000000), "USD"),
    ("30 musd", None, None, D(30000000), "USD"),
    ("cad$ 15", None, None, D(15), "CAD"),
    ("mex$ 10 million", None, None, D(10000000), "MXN"),
    ("all 50 €", None, None, D(50), "EUR"),  # "all" is Albania's code in capitals only
]


def test_a_scale_word_after_a_range_scales_both_ends():
    parsed = normalize_price("1,5 - 2 milhões de reais", locale="pt_BR")
    assert (parsed.kind, parsed.amount, parsed.high, parsed.currency) == (
        "range",
        D(1500000),
        D(2000000),
        "BRL",
    )


@pytest.mark.parametrize("text, hint, locale, amount, currency", CASES)
def test_money_in_words(text, hint, locale, amount, currency):
    parsed = normalize_price(text, currency_hint=hint, locale=locale)
    assert (parsed.amount, parsed.currency) == (amount, currency)


@pytest.mark.parametrize(
    "text",
    ["Proszę o kontakt", "Zapytaj o cenę", "Prijs op aanvraag", "Fiyat sorunuz", "가격 문의"],
)
def test_on_request_in_lexicon_languages(text):
    assert normalize_price(text).kind == "on_request"


def test_a_bare_shared_symbol_still_needs_the_marketplace():
    assert normalize_price("1 299 kr").currency is None
    assert normalize_price("1 299 kr", currency_hint="NOK").currency == "NOK"
