"""``wildcrawl rates``: the USD reference-rate table (show, import, convert)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

import click

from crawler.cli.app import cli, user_errors
from crawler.normalise import rate_sources
from crawler.normalise.rates import (
    RatesError,
    default_rates_path,
    import_rates,
    load_rates,
    to_usd,
    update_table,
)


@cli.group("rates")
def rates_group():
    """The exchange-rate table used for price_usd (ECB reference rates).

    \b
    Examples:
      wildcrawl rates update
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
    """Show the table in use: file, date range, and per currency the last day and source.

    \b
    Example:
      wildcrawl rates info
    """
    table = load_rates()
    click.echo(f"file: {default_rates_path()}")
    if table.days:
        click.echo(f"days: {len(table.days)} ({table.days[0]} to {table.days[-1]})")
    click.echo(f"currencies: {' '.join(table.currencies)}")
    for code, (day, source) in table.last_days().items():
        click.echo(f"{code}\t{day}\t{source}")


def _parse_answer(name: str, content: bytes):
    """Days of one source's answer, by what it looks like (XML, zip, JSON, CSV)."""
    head = content[:64].lstrip()
    if content[:2] == b"PK":
        return rate_sources.parse_ecb_hist_zip(content)
    if head.startswith(b"<"):
        return rate_sources.parse_ecb_xml(content)
    if head.startswith(b"{"):
        return rate_sources.parse_usd_json(content)
    from crawler.normalise.rates import read_ecb_text

    table = read_ecb_text(content.decode("utf-8-sig"), name)
    return [(day, table.per_eur[day], "ECB") for day in table.days]


def _download(url: str) -> bytes:
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "wildcrawl rates update"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - http(s)
            return answer.read()
    except OSError as exc:
        raise RatesError(f"cannot download {url} ({exc})") from exc


@rates_group.command("update")
@click.option(
    "--from",
    "from_files",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="Import a saved answer instead of downloading (ECB XML or zip, er-api JSON, CSV).",
)
@click.option("--into", type=click.Path(dir_okay=False), help="Table file to update.")
@click.option("--no-history", is_flag=True, help="Skip the ECB's full-history zip.")
@user_errors
def update_command(from_files, into, no_history):
    """Download today's rates: the ECB's (daily XML and full history) and, for the
    currencies the ECB does not publish (MAD, NGN, VND, ...), open.er-api.com's.

    URLs: $WILDCRAWL_ECB_DAILY_URL, $WILDCRAWL_ECB_HIST_URL, $WILDCRAWL_SECOND_RATES_URL.
    The table goes to --into, else $WILDCRAWL_RATES, else ~/.local/share/wildcrawl/rates.csv
    (read from then on instead of the shipped table).

    \b
    Examples:
      wildcrawl rates update
      wildcrawl rates update --from eurofxref-daily.xml --from latest-usd.json
    """
    days = []
    if from_files:
        for name in from_files:
            with open(name, "rb") as fh:
                days += _parse_answer(name, fh.read())
    else:
        urls = rate_sources.source_urls()
        wanted = ["ecb-daily", "second"] + ([] if no_history else ["ecb-hist"])
        for key in wanted:
            days += _parse_answer(urls[key], _download(urls[key]))
    target, added = update_table(days, into=into)
    last = max((d[0] for d in days), default=None)
    click.echo(f"{added} rates added or changed in {target} (latest day {last})")


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
