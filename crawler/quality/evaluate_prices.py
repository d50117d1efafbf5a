"""Accuracy of :func:`crawler.normalise.prices.normalize_price` on the real price corpora.

Run ``python -m crawler.quality.evaluate_prices [DATA_DIR]`` (default: the env var
``WILDCRAWL_SHARED_DATA`` or ``shared/data`` beside the repository). Corpora,
all in ``DATA_DIR/prices/``:

- ``price_parser_examples.jsonl``: price-parser's own test tables. A case
  passes when the amount and the currency text equal the expected ones (the
  criterion of price-parser's tests, minus its internal ``amount_text``). We
  report our pass count next to price-parser's alone, any case price-parser
  passes that we fail (must be none), and the xfail cases we now fix.
- ``CurrencyModel_Chinese.json`` / ``CurrencyModel_English.json``
  (Recognizers-Text): each currency mention's text is parsed alone; it passes
  when the amount equals the resolved value and, where the corpus gives an
  ISO code, the currency equals it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from price_parser import Price

from crawler.normalise.prices import normalize_price
from crawler.paths import shared_data

PP_FILE = "price_parser_examples.jsonl"
RT_FILES = ("CurrencyModel_Chinese.json", "CurrencyModel_English.json")


def default_data_dir() -> Path:
    """``$WILDCRAWL_SHARED_DATA`` or ``<repo>/../shared/data``."""
    return shared_data()


def load_price_parser_cases(path: Path) -> list[dict]:
    """Rows of ``price_parser_examples.jsonl``."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _expected_amount(row: dict) -> Decimal | None:
    value = row["expected_amount"]
    return None if value is None else Decimal(str(value))


def price_parser_alone_passes(row: dict) -> bool:
    """Whether price-parser by itself gets this case right (same criterion as ours)."""
    price = Price.fromstring(
        row["price_raw"],
        currency_hint=row["currency_hint"],
        decimal_separator=row["decimal_separator"],
    )
    return price.currency == row["expected_currency"] and price.amount == _expected_amount(row)


def wildcrawl_passes(row: dict) -> bool:
    """Whether our wrapper gets this case right: amount and currency text."""
    parsed = normalize_price(
        row["price_raw"],
        currency_hint=row["currency_hint"],
        decimal_separator=row["decimal_separator"],
    )
    return parsed.currency_text == row["expected_currency"] and parsed.amount == _expected_amount(
        row
    )


def load_recognizers_cases(path: Path) -> list[dict]:
    """Currency mentions of one Recognizers-Text file: text, value, ISO code."""
    cases = []
    for sentence in json.loads(path.read_text(encoding="utf-8")):
        for result in sentence["Results"]:
            resolution = result.get("Resolution") or {}
            cases.append(
                {
                    "text": result["Text"],
                    "value": resolution.get("value"),
                    "iso": resolution.get("isoCurrency"),
                    "unit": resolution.get("unit"),
                }
            )
    return cases


def recognizers_scores(case: dict, locale: str | None) -> tuple[bool, bool, bool]:
    """(amount right, currency right, both) for one Recognizers-Text mention.

    The currency counts as right when the corpus gives no ISO code (a historic unit
    such as the Finnish markka).
    """
    parsed = normalize_price(case["text"], locale=locale)
    expected = None if case["value"] is None else Decimal(case["value"])
    amount_ok = parsed.amount == expected
    currency_ok = case["iso"] is None or parsed.currency == case["iso"]
    return amount_ok, currency_ok, amount_ok and currency_ok


def recognizers_passes(case: dict, locale: str | None) -> bool:
    """Whether one Recognizers-Text mention parses to its value (and ISO code)."""
    return recognizers_scores(case, locale)[2]


@dataclass
class Report:
    """One corpus's result."""

    name: str
    total: int
    passed: int
    baseline: int | None = None
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable lines for the terminal."""
        pct = 100 * self.passed / self.total if self.total else 0.0
        head = f"{self.name}: {self.passed}/{self.total} pass ({pct:.1f}%)"
        if self.baseline is not None:
            head += f"; price-parser alone {self.baseline}/{self.total}"
        return [head, *("  " + note for note in self.notes)]


def evaluate_price_parser(path: Path) -> Report:
    """Our wrapper vs price-parser alone on price-parser's own cases."""
    rows = load_price_parser_cases(path)
    ours = [wildcrawl_passes(r) for r in rows]
    theirs = [price_parser_alone_passes(r) for r in rows]
    regressions = [r["price_raw"] for r, o, t in zip(rows, ours, theirs) if t and not o]
    fixed = [r for r, o, t in zip(rows, ours, theirs) if o and not t]
    fixed_xfail = [r for r in fixed if r["xfail"]]
    xfail_total = sum(r["xfail"] for r in rows)
    regressed = f"cases price-parser passes that we fail: {len(regressions)}"
    if regressions:
        regressed += f" {regressions[:10]}"
    fixes = (
        f"cases price-parser fails that we fix: {len(fixed)}"
        f" ({len(fixed_xfail)} of its {xfail_total} xfail cases)"
    )
    notes = [regressed, fixes]
    notes += [
        f"  fixed: {r['price_raw']!r} -> {r['expected_currency']} {r['expected_amount']}"
        for r in fixed
    ]
    return Report(PP_FILE, len(rows), sum(ours), sum(theirs), notes)


def evaluate_recognizers(path: Path) -> Report:
    """Currency mentions of a Recognizers-Text corpus parsed one by one."""
    locale = "zh_CN" if "Chinese" in path.name else None
    cases = load_recognizers_cases(path)
    scores = [recognizers_scores(c, locale) for c in cases]
    results = [s[2] for s in scores]
    misses = [c["text"] for c, ok in zip(cases, results) if not ok]
    n = len(cases) or 1
    amount, currency = sum(s[0] for s in scores), sum(s[1] for s in scores)
    notes = [f"amount {100 * amount / n:.1f}%, currency {100 * currency / n:.1f}%"]
    notes += [f"missed: {misses[:15]}{' ...' if len(misses) > 15 else ''}"] if misses else []
    return Report(path.name, len(cases), sum(results), notes=notes)


def main(argv: list[str] | None = None) -> int:
    """Print accuracy on every corpus found; exit 1 when none is there."""
    args = sys.argv[1:] if argv is None else argv
    prices_dir = (Path(args[0]) if args else default_data_dir()) / "prices"
    reports = []
    if (prices_dir / PP_FILE).exists():
        reports.append(evaluate_price_parser(prices_dir / PP_FILE))
    for name in RT_FILES:
        if (prices_dir / name).exists():
            reports.append(evaluate_recognizers(prices_dir / name))
    if not reports:
        print(f"no price corpora found in {prices_dir}", file=sys.stderr)
        return 1
    for report in reports:
        print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
