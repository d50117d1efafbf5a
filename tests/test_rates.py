"""crawler.normalise.rates: ECB reference rates, nearest earlier day, offline import."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from crawler.normalise.rates import (
    SHIPPED_RATES,
    RatesError,
    import_rates,
    load_rates,
    read_ecb_csv,
    to_usd,
)

D = Decimal


def test_shipped_table_is_the_ecb_file():
    table = load_rates(SHIPPED_RATES)
    assert table.days[0] == date(2020, 1, 2)
    # ECB published these on 2024-06-03 (USD 1.0842, PLN 4.2809 per EUR).
    rates = table.per_eur[date(2024, 6, 3)]
    assert rates["USD"] == D("1.0842")
    for code in ("USD", "GBP", "CNY", "JPY", "PLN", "IDR", "HKD", "THB", "INR", "ZAR"):
        assert code in table.currencies


@pytest.mark.parametrize(
    "amount,currency,day,usd,rate_day,exact",
    [
        ("100", "EUR", "2024-06-03", "108.42", date(2024, 6, 3), True),
        ("100", "EUR", "2024-06-01", "108.52", date(2024, 5, 31), False),  # Saturday
        ("1000", "USD", "2024-06-01", "1000.00", date(2024, 6, 1), True),
        ("100", "EUR", "2019-06-03", None, date(2020, 1, 2), False),  # before the table
    ],
)
def test_to_usd(amount, currency, day, usd, rate_day, exact):
    conv = to_usd(D(amount), currency, day, table=load_rates(SHIPPED_RATES))
    if usd is not None:
        assert conv.usd == D(usd)
    assert (conv.rate_date, conv.exact) == (rate_day, exact)


def test_cross_rate_through_euro():
    table = load_rates(SHIPPED_RATES)
    conv = to_usd(D("1200"), "PLN", date(2024, 6, 3), table=table)
    rates = table.per_eur[date(2024, 6, 3)]
    assert conv.usd == (D(1200) * rates["USD"] / rates["PLN"]).quantize(D("0.01"))
    assert conv.exact


def test_currency_without_rate_gives_none():
    assert to_usd(D("100"), "TWD", "2024-06-03", table=load_rates(SHIPPED_RATES)) is None
    assert to_usd(D("100"), "NGN", "2024-06-03", table=load_rates(SHIPPED_RATES)) is None


def test_discontinued_currency_uses_last_rate_and_says_so():
    conv = to_usd(D("100"), "RUB", "2024-06-03", table=load_rates(SHIPPED_RATES))
    assert conv.rate_date == date(2022, 3, 1) and not conv.exact


ECB_SNIPPET = (
    "Date,USD,JPY,TWD,CYP,\n2030-01-03,1.2000,150.00,36.5,N/A,\n2030-01-02,1.1000,N/A,36.0,N/A,\n"
)


def test_import_merges_ecb_csv(tmp_path):
    table_path = tmp_path / "rates.csv"
    table_path.write_text(SHIPPED_RATES.read_text())
    src = tmp_path / "eurofxref-hist.csv"
    src.write_text(ECB_SNIPPET)
    assert import_rates(src, into=table_path) == 5
    assert import_rates(src, into=table_path) == 0  # idempotent
    table = load_rates(table_path)
    conv = to_usd(D("365"), "TWD", "2030-01-05", table=table)
    assert (conv.usd, conv.rate_date, conv.exact) == (D("12.00"), date(2030, 1, 3), False)
    assert table.per_eur[date(2024, 6, 3)]["USD"] == D("1.0842")  # old rows kept


def test_days_in_any_file_order_make_one_sorted_table(tmp_path):
    # ECB files list the newest day first, the shipped one the oldest first: same table.
    newest_first = tmp_path / "newest.csv"
    newest_first.write_text(ECB_SNIPPET)
    lines = ECB_SNIPPET.splitlines()
    oldest_first = tmp_path / "oldest.csv"
    oldest_first.write_text("\n".join([lines[0], lines[2], lines[1]]) + "\n")
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("Date,USD\n2030-01-05,1.3\n2030-01-02,1.1\n2030-01-04,1.25\n2030-01-02,1.1\n")
    a, added_a = read_ecb_csv(newest_first)
    b, added_b = read_ecb_csv(oldest_first)
    assert a.days == b.days == [date(2030, 1, 2), date(2030, 1, 3)]
    assert a.per_eur == b.per_eur and added_a == added_b == 5
    c, added_c = read_ecb_csv(mixed)
    assert c.days == [date(2030, 1, 2), date(2030, 1, 4), date(2030, 1, 5)]
    assert added_c == 3  # the repeated day adds nothing
    # The nearest earlier day stands in; before the table starts, the earliest day.
    assert to_usd(D("1"), "EUR", "2030-01-03", table=c).rate_date == date(2030, 1, 2)
    assert to_usd(D("1"), "EUR", "2029-12-31", table=c).rate_date == date(2030, 1, 2)
    assert to_usd(D("1"), "EUR", "2031-01-01", table=c).rate_date == date(2030, 1, 5)


@pytest.mark.parametrize(
    "content,message",
    [
        ("Datum;USD\n2024-01-01;1.1\n", "not an ECB reference-rate CSV"),
        ("Date,USD\n2024-13-01,1.1\n", ":2: bad date"),
        ("Date,USD\n2024-01-01,abc\n", ":2: bad USD rate"),
    ],
)
def test_bad_rates_file_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(RatesError, match=message):
        read_ecb_csv(path)


def test_cli_rates_import_and_convert(tmp_path, monkeypatch):
    import crawler.cli.rates_cmd  # noqa: F401
    from crawler.cli.app import cli

    table_path = tmp_path / "rates.csv"
    monkeypatch.setenv("WILDCRAWL_RATES", str(table_path))
    src = tmp_path / "eurofxref.csv"
    src.write_text(ECB_SNIPPET)
    runner = CliRunner()
    result = runner.invoke(cli, ["rates", "import", str(src)])
    assert result.exit_code == 0, result.output
    assert "5 rates added" in result.output
    result = runner.invoke(cli, ["rates", "convert", "365", "TWD", "2030-01-03"])
    assert result.exit_code == 0 and '"usd": "12.00"' in result.output
    result = runner.invoke(cli, ["rates", "import", str(tmp_path / "missing.csv")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "cannot read rates file" in result.output
