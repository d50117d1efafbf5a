"""Reading the answers of the exchange-rate sources ``wildcrawl rates update`` asks.

- the ECB's euro reference rates: the daily XML (``eurofxref-daily.xml``, one day)
  and the full history (``eurofxref-hist.zip``: one CSV, ``Date,USD,JPY,...``);
- for currencies the ECB does not publish (MAD, NGN, VND, KES, TWD, ...), a free
  keyless daily source: open.er-api.com's ``/v6/latest/USD`` (ExchangeRate-API's open
  endpoint; JSON with ``base_code`` and ``rates`` per 1 USD).

Each function turns bytes into ``[(day, {code: units per 1 EUR}, source)]``; the
download itself is in ``crawler.cli.rates_cmd`` (this package is pure). URLs are
defaults only: ``WILDCRAWL_ECB_DAILY_URL``, ``WILDCRAWL_ECB_HIST_URL`` and
``WILDCRAWL_SECOND_RATES_URL`` override them (tests point them at a local server).
"""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
import zipfile
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

from crawler.errors import WildcrawlError

ECB_DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
ECB_HIST_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
SECOND_URL = "https://open.er-api.com/v6/latest/USD"
ECB = "ECB"
SECOND = "open.er-api.com"

Day = tuple[date, dict[str, Decimal], str]


class RateSourceError(WildcrawlError):
    """A source answered something that is not rates."""


def source_urls() -> dict[str, str]:
    """The URL of each source, environment first."""
    return {
        "ecb-daily": os.environ.get("WILDCRAWL_ECB_DAILY_URL", ECB_DAILY_URL),
        "ecb-hist": os.environ.get("WILDCRAWL_ECB_HIST_URL", ECB_HIST_URL),
        "second": os.environ.get("WILDCRAWL_SECOND_RATES_URL", SECOND_URL),
    }


def _decimal(value, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise RateSourceError(f"{what}: not a number {value!r}") from exc
    if not number.is_finite() or number <= 0:
        raise RateSourceError(f"{what}: rate must be positive, got {value!r}")
    return number


def parse_ecb_xml(content: bytes) -> list[Day]:
    """The days of an ECB ``eurofxref-*.xml`` (daily or 90-day)."""
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise RateSourceError(f"ECB XML: {exc}") from exc
    days = []
    for cube in root.iter():
        if cube.tag.endswith("Cube") and "time" in cube.attrib:
            day = date.fromisoformat(cube.attrib["time"])
            rates = {
                child.attrib["currency"]: _decimal(child.attrib["rate"], child.attrib["currency"])
                for child in cube
                if "currency" in child.attrib
            }
            days.append((day, rates, ECB))
    if not days:
        raise RateSourceError("ECB XML: no <Cube time=...> in the answer")
    return days


def parse_ecb_hist_zip(content: bytes) -> list[Day]:
    """The days of ``eurofxref-hist.zip`` (a CSV in the ECB layout)."""
    from crawler.normalise.rates import read_ecb_text

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            name = next(n for n in archive.namelist() if n.lower().endswith(".csv"))
            text = archive.read(name).decode("utf-8-sig")
    except (zipfile.BadZipFile, StopIteration, UnicodeDecodeError) as exc:
        raise RateSourceError(f"ECB history: not a zip with a CSV ({exc})") from exc
    table = read_ecb_text(text, "eurofxref-hist.csv")
    return [(day, table.per_eur[day], ECB) for day in table.days]


def parse_usd_json(content: bytes, source: str = SECOND) -> list[Day]:
    """One day of an open.er-api.com answer (per 1 USD), as units per 1 EUR."""
    try:
        data = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RateSourceError(f"{source}: not JSON ({exc})") from exc
    rates = data.get("rates") or data.get("conversion_rates")
    if data.get("result", "success") != "success" or not isinstance(rates, dict):
        raise RateSourceError(f"{source}: no rates in the answer ({data.get('result')!r})")
    if (data.get("base_code") or data.get("base") or "USD") != "USD":
        raise RateSourceError(f"{source}: expected rates per USD")
    if "time_last_update_unix" in data:
        day = datetime.fromtimestamp(int(data["time_last_update_unix"]), tz=timezone.utc).date()
    else:
        day = date.fromisoformat(str(data.get("date"))[:10])
    per_usd = {code: _decimal(value, code) for code, value in rates.items()}
    eur = per_usd.get("EUR")
    if eur is None:
        raise RateSourceError(f"{source}: no EUR rate to convert through")
    per_eur = {code: value / eur for code, value in per_usd.items() if code != "EUR"}
    return [(day, per_eur, source)]
