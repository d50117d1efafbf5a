"""USD conversion at the reference rate of the day a listing was seen.

The table is the European Central Bank's euro foreign exchange reference
rates, kept verbatim in the ECB's own CSV layout (``Date,USD,JPY,...``: units
of each currency per 1 EUR) in ``crawler/data/rates_ecb.csv``; see
``crawler/data/README.md`` for source and date range. A USD value is
``amount * USD_per_EUR / CUR_per_EUR`` on one ECB date. Currencies the ECB
does not publish (TWD, VND, NGN, MAD, KES, ...) have no rate in it: ``to_usd``
returns None and the listing's ``rate_status`` says ``missing``. ``wildcrawl rates
update`` (``crawler.normalise.rate_sources``) adds the ECB's newest days and a second
source's rates for those currencies, each rate with its source, in a
``Date,Currency,PerEUR,Source`` file (docs/rates.md).

Reads ``WILDCRAWL_RATES`` (path of the table), else the user table written by ``rates
update`` when there is one, else the shipped file.
"""

from __future__ import annotations

import bisect
import csv
import io
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Context, Decimal, InvalidOperation
from functools import lru_cache
from itertools import chain
from pathlib import Path

from crawler.errors import WildcrawlError
from crawler.paths import PACKAGE_DATA

SHIPPED_RATES = PACKAGE_DATA / "rates_ecb.csv"
# Where ``wildcrawl rates update`` keeps the table it downloads (the shipped one + news).
USER_RATES = (
    Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    / "wildcrawl"
    / "rates.csv"
)
_CENT = Decimal("0.01")
_RATE_DIGITS = Context(prec=10)  # ECB publishes 5-6 significant digits; more is noise


class RatesError(WildcrawlError):
    """A rates file is missing or not in the ECB CSV layout."""


@dataclass(frozen=True)
class Conversion:
    """An amount in USD and the rate behind it.

    ``rate`` is USD per one unit of the currency; ``exact`` is False when the
    nearest earlier published rate stood in for the day asked (weekend,
    holiday, or a day after the table ends), or the earliest one for a day
    before it starts.
    """

    usd: Decimal
    rate: Decimal
    rate_date: date
    exact: bool
    source: str = "ECB"  # who published the rate of the currency (ECB, open.er-api.com)


@dataclass
class RateTable:
    """ECB reference rates: for each date, units of each currency per 1 EUR."""

    days: list[date] = field(default_factory=list)
    per_eur: dict[date, dict[str, Decimal]] = field(default_factory=dict)
    # (day, currency) -> source, for rates not from the ECB (the ECB is the default)
    sources: dict[tuple[date, str], str] = field(default_factory=dict)

    def source(self, day: date, currency: str) -> str:
        """Who published ``currency``'s rate of ``day``."""
        return self.sources.get((day, currency), "ECB")

    def add(self, day: date, rates: dict[str, Decimal], source: str = "ECB") -> int:
        """Merge one day's rates; return how many values were new or changed.

        A rate the ECB published is never replaced by another source's.
        """
        if source != "ECB":
            current = self.per_eur.get(day, {})
            rates = {
                code: value
                for code, value in rates.items()
                if code not in current or (day, code) in self.sources
            }
            for code in rates:
                self.sources[(day, code)] = source
        else:
            for code in rates:
                self.sources.pop((day, code), None)
        current = self.per_eur.get(day)
        if current is None:  # a new day: every value is new (no comparisons to None)
            bisect.insort(self.days, day)
            self.per_eur[day] = dict(rates)
            return len(rates)
        changed = sum(1 for code, value in rates.items() if current.get(code) != value)
        current.update(rates)
        return changed

    @property
    def currencies(self) -> list[str]:
        """Every currency with a rate on some day, EUR included."""
        codes = {"EUR"}
        for rates in self.per_eur.values():
            codes.update(rates)
        return sorted(codes)

    def last_days(self) -> dict[str, tuple[date, str]]:
        """Per currency, the last day with a rate and who published it."""
        last: dict[str, tuple[date, str]] = {}
        for day in reversed(self.days):
            for code in self.per_eur[day]:
                if code not in last:
                    last[code] = (day, self.source(day, code))
        return dict(sorted(last.items()))

    def usd_rate(self, currency: str, day: date) -> tuple[Decimal, date] | None:
        """(USD per unit of ``currency``, ECB date used), or None without any rate.

        Uses ``day`` when published, else the nearest earlier date publishing
        both the currency and USD, else the earliest such date.
        """
        currency = currency.upper()
        i = bisect.bisect_right(self.days, day)
        days = self.days
        # Nearest earlier day first, then later ones: almost always the first is the one.
        for k in chain(range(i - 1, -1, -1), range(i, len(days))):
            d = days[k]
            rates = self.per_eur[d]
            usd = rates.get("USD")
            own = Decimal(1) if currency == "EUR" else rates.get(currency)
            if usd and own:
                return usd / own, d
        return None


def _parse_day(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise RatesError(f"not an ISO date: {value!r}") from exc


def read_ecb_csv(path: str | os.PathLike, into: RateTable | None = None) -> tuple[RateTable, int]:
    """Read an ECB-layout CSV into ``into`` (or a new table); return it and values added.

    Accepts eurofxref-hist.csv as published (trailing empty column, ``N/A``).
    """
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise RatesError(f"{path}: cannot read rates file ({reason})") from exc
    if content.startswith(LONG_HEADER):
        return read_long_text(content, str(path), into)
    table = into if into is not None else RateTable()
    return table, _read_ecb_rows(content, str(path), table)


def read_ecb_text(content: str, path: str = "<text>") -> RateTable:
    """An ECB-layout CSV given as text (``eurofxref-hist.csv`` out of its zip)."""
    table = RateTable()
    _read_ecb_rows(content, path, table)
    return table


# The layout ``rates update`` writes: one rate a line, with who published it.
LONG_HEADER = "Date,Currency,PerEUR,Source"


def read_long_text(content: str, path: str, into: RateTable | None = None) -> tuple[RateTable, int]:
    """Read the ``Date,Currency,PerEUR,Source`` layout; return the table and values added."""
    table = into if into is not None else RateTable()
    by_day: dict[tuple[date, str], dict[str, Decimal]] = {}
    for line_no, row in enumerate(csv.reader(io.StringIO(content, newline="")), start=1):
        if line_no == 1 or not row or not row[0].strip():
            continue
        try:
            day, code, value, source = date.fromisoformat(row[0]), row[1], Decimal(row[2]), row[3]
        except (ValueError, IndexError, InvalidOperation) as exc:
            raise RatesError(f"{path}:{line_no}: bad line {','.join(row)!r}") from exc
        by_day.setdefault((day, source), {})[code] = value
    added = 0
    for (day, source), rates in sorted(by_day.items(), key=lambda kv: kv[0][1] != "ECB"):
        added += table.add(day, rates, source)
    return table, added


def write_long_csv(table: RateTable, path: str | os.PathLike) -> None:
    """Write ``table`` one rate a line with its source, oldest day first (atomically)."""
    tmp = Path(f"{path}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(LONG_HEADER.split(","))
        for day in table.days:
            for code, value in sorted(table.per_eur[day].items()):
                writer.writerow([day.isoformat(), code, str(value), table.source(day, code)])
    os.replace(tmp, path)


def _read_ecb_rows(content: str, path: str, table: RateTable) -> int:
    added = 0
    values: dict[str, Decimal] = {}  # one Decimal per distinct cell (a third of them repeat)
    reader = csv.reader(io.StringIO(content, newline=""))
    header = [h.strip() for h in next(reader, [])]
    if not header or header[0] != "Date" or "USD" not in header:
        raise RatesError(
            f"{path}:1: not an ECB reference-rate CSV (expected a header 'Date,USD,...')"
        )
    for line_no, row in enumerate(reader, start=2):
        if not row or not row[0].strip():
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError as exc:
            raise RatesError(f"{path}:{line_no}: bad date {row[0]!r}") from exc
        rates = {}
        for code, cell in zip(header[1:], row[1:]):
            cell = cell.strip()
            if not code or cell in ("", "N/A"):
                continue
            value = values.get(cell)
            if value is None:
                try:
                    value = Decimal(cell)
                except InvalidOperation as exc:
                    raise RatesError(f"{path}:{line_no}: bad {code} rate {cell!r}") from exc
                if value <= 0:
                    raise RatesError(f"{path}:{line_no}: {code} rate must be positive")
                values[cell] = value
            rates[code] = value
        added += table.add(day, rates)
    return added


def write_ecb_csv(table: RateTable, path: str | os.PathLike) -> None:
    """Write ``table`` in the ECB layout, oldest day first, ``N/A`` where absent."""
    codes = [c for c in table.currencies if c != "EUR"]
    codes = ["USD", *[c for c in codes if c != "USD"]]
    tmp = Path(f"{path}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["Date", *codes])
        for day in table.days:
            rates = table.per_eur[day]
            writer.writerow(
                [day.isoformat(), *(str(rates[c]) if c in rates else "N/A" for c in codes)]
            )
    os.replace(tmp, path)


def default_rates_path() -> Path:
    """``$WILDCRAWL_RATES`` or the table shipped in the package."""
    env = os.environ.get("WILDCRAWL_RATES")
    if env:
        return Path(env)
    return USER_RATES if USER_RATES.exists() else SHIPPED_RATES


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> RateTable:
    """The table of ``path``, parsed (0.04 CPU s for the shipped file's 1,751 days) or
    unpickled from the disk cache (``crawler.cache``; 0.02) keyed by the file's bytes and
    this module's code: a crawl's first price used to parse it."""
    import hashlib

    from crawler.cache import cached, code_version, key_of

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RatesError(f"{path}: cannot read rates file ({exc.strerror})") from exc
    key = key_of(hashlib.sha256(data).hexdigest(), code_version(__name__))
    return cached("rates", path, key, lambda: read_ecb_csv(path)[0])


def load_rates(path: str | os.PathLike | None = None) -> RateTable:
    """The rate table at ``path`` (default :func:`default_rates_path`), cached."""
    path = Path(path) if path else default_rates_path()
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise RatesError(f"{path}: cannot read rates file ({exc.strerror})") from exc
    return _cached(str(path), mtime)


def import_rates(csv_path: str | os.PathLike, into: str | os.PathLike | None = None) -> int:
    """Merge an ECB-layout CSV into the table file ``into`` (default: the one in use).

    Returns how many (day, currency) values were new or changed. The target is
    created when it does not exist yet.
    """
    target = Path(into) if into else default_rates_path()
    table = read_ecb_csv(target)[0] if target.exists() else RateTable()
    _, added = read_ecb_csv(csv_path, into=table)
    if added:
        target.parent.mkdir(parents=True, exist_ok=True)
        (write_long_csv if table.sources else write_ecb_csv)(table, target)
        _cached.cache_clear()
    return added


def to_usd(
    amount: Decimal, currency: str, day: date | str, table: RateTable | None = None
) -> Conversion | None:
    """``amount`` of ``currency`` in USD at the ECB rate of ``day`` (cents, half-even).

    None when the table has no rate for that currency at all.
    """
    if not currency:
        return None
    day = _parse_day(day)
    if currency.upper() == "USD":
        return Conversion(
            usd=Decimal(amount).quantize(_CENT), rate=Decimal(1), rate_date=day, exact=True
        )
    table = table if table is not None else load_rates()
    found = table.usd_rate(currency, day)
    if found is None:
        return None
    rate, rate_date = found
    rate = _RATE_DIGITS.plus(rate)
    usd = (Decimal(amount) * rate).quantize(_CENT)
    source = table.source(rate_date, currency.upper())
    return Conversion(
        usd=usd, rate=rate, rate_date=rate_date, exact=rate_date == day, source=source
    )


STALE_DAYS = 7  # a conversion with an older rate is reported as stale


def is_stale(conversion: Conversion, day: date | str) -> bool:
    """Whether the rate behind ``conversion`` is more than a week older than ``day``."""
    return (_parse_day(day) - conversion.rate_date).days > STALE_DAYS


def update_table(days, into: str | os.PathLike | None = None) -> tuple[Path, int]:
    """Merge downloaded days (``[(day, {code: per EUR}, source)]``, ECB first) into the
    table file ``into`` (default: $WILDCRAWL_RATES, else the user table, which starts as
    a copy of the shipped one); return the file and how many values were new or changed."""
    target = Path(into) if into else Path(os.environ.get("WILDCRAWL_RATES") or USER_RATES)
    table = read_ecb_csv(target if target.exists() else SHIPPED_RATES)[0]
    added = 0
    for day, rates, source in sorted(days, key=lambda d: d[2] != "ECB"):
        added += table.add(day, rates, source)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_long_csv(table, target)
    _cached.cache_clear()
    return target, added
