"""``wildcrawl rates``: the USD reference-rate table (show, import, convert)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

import click

from crawler.cli.app import cli, user_errors
from crawler.normalise.rates import RatesError, default_rates_path, import_rates, load_rates, to_usd


@cli.group("rates")
def rates_group():
    """The exchange-rate table used for price_usd (ECB reference rates).

    \b
    Examples:
      wildcrawl rates info
      wildcrawl rates import eurofxref-hist.csv
      wildcrawl rates convert 1200 PLN 2024-06-03
    """


@rates_group.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False))
@click.option(
    "--into",
    type=click.Path(dir_okay=False),
    help="Table file to update (default: $WILDCRAWL_RATES or the shipped table).",
)
@user_errors
def import_command(csv_file, into):
    """Merge an ECB-layout CSV (Date,USD,JPY,...; per 1 EUR) into the table.

    \b
    Example:
      wildcrawl rates import eurofxref-hist.csv
    """
    added = import_rates(csv_file, into=into)
    click.echo(f"{added} rates added or changed in {into or default_rates_path()}")


@rates_group.command("info")
@user_errors
def info_command():
    """Show the table in use: file, date range and currencies.

    \b
    Example:
      wildcrawl rates info
    """
    table = load_rates()
    click.echo(f"file: {default_rates_path()}")
    if table.days:
        click.echo(f"days: {len(table.days)} ({table.days[0]} to {table.days[-1]})")
    click.echo(f"currencies: {' '.join(table.currencies)}")


@rates_group.command("convert")
@click.argument("amount")
@click.argument("currency")
@click.argument("day")
@user_errors
def convert_command(amount, currency, day):
    """Convert AMOUNT of CURRENCY to USD at the rate of DAY (YYYY-MM-DD), as JSON.

    \b
    Example:
      wildcrawl rates convert 1200 PLN 2024-06-03
    """
    try:
        value = Decimal(amount)
    except InvalidOperation as exc:
        raise RatesError(f"not a number: {amount!r}") from exc
    conversion = to_usd(value, currency, day)
    if conversion is None:
        raise RatesError(f"no rate for {currency.upper()} in {default_rates_path()}")
    click.echo(
        json.dumps(
            {
                "usd": str(conversion.usd),
                "rate": str(conversion.rate),
                "rate_date": conversion.rate_date.isoformat(),
                "exact": conversion.exact,
            }
        )
    )
