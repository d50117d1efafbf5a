"""``wildcrawl price``: parse price strings and print the result as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crawler.cli.app import cli, user_errors
from crawler.errors import ConfigError
from crawler.normalise.fast_prices import parse_price
from crawler.normalise.prices import normalize_price


def parse_jsonl(path: Path, currency: str | None, locale: str | None):
    """Yield (input row, ParsedPrice) for each line of a JSON Lines file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read ({exc.strerror})", str(path)) from exc
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"not JSON: {exc.msg}", str(path), line_no) from exc
        if not isinstance(row, dict) or "price_raw" not in row:
            raise ConfigError("each line needs a 'price_raw' key", str(path), line_no)
        parsed = parse_price(  # normalize_price's answer, fast for the common shapes
            row["price_raw"], row.get("currency_hint") or currency, row.get("locale") or locale
        )
        yield row, parsed


@cli.command("price")
@click.argument("text", required=False)
@click.option("--currency", "-c", help="Marketplace currency (ISO 4217), for bare $, ¥, kr.")
@click.option("--locale", "-l", help="Marketplace locale, e.g. de_DE, en_US, zh_CN.")
@click.option(
    "--input",
    "input_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON Lines file: price_raw, optional currency_hint, locale.",
)
@user_errors
def price_command(text, currency, locale, input_path):
    """Parse a price string (or a JSON Lines file of them) and print JSON.

    \b
    Examples:
      wildcrawl price "1.234,50 €" --locale de_DE
      wildcrawl price "¥1.2万" --currency CNY --locale zh_CN
      wildcrawl price --input prices.jsonl
    """
    if (text is None) == (input_path is None):
        raise click.UsageError("give either TEXT or --input FILE")
    if input_path is None:
        parsed = normalize_price(text, currency_hint=currency, locale=locale)
        click.echo(json.dumps(parsed.as_json(), ensure_ascii=False))
        return
    for row, parsed in parse_jsonl(input_path, currency, locale):
        click.echo(json.dumps({**row, "parsed": parsed.as_json()}, ensure_ascii=False))
