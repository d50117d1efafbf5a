"""Price-parsing speed: ``wildcrawl price --input``'s loop on one core (issue 23: >= 50,000
strings/s). Run ``python bench/bench_prices.py`` (``make bench`` runs it).

Workloads, each parsed once, cold (no string seen before):

- ``marketplace``: 100,000 distinct prices in the shapes the shipped marketplaces show
  (``1 200 zł``, ``€12.50``, ``₦ 2,500,000``, ``1 200 000 DH``, ``$1,250.00``), with
  their configs' currency and locale;
- ``price-parser corpus``: price-parser's 1,185 real strings, every one a different
  shape (most go to the full parser), repeated 3 times (after the first pass remembered).
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.normalise.fast_prices import parse_price  # noqa: E402
from crawler.paths import shared_data  # noqa: E402

SHAPES = [
    ("{s} zł", "PLN", "pl_PL"),
    ("{s} €", "EUR", "fr_FR"),
    ("€{d}", "EUR", "de_DE"),
    ("₦ {c}", "NGN", "en_NG"),
    ("{s} DH", "MAD", "fr_MA"),
    ("${c}.{cents:02d}", "USD", "en_US"),
    ("¥{n}", "CNY", "zh_CN"),
]


def marketplace_strings(n: int = 100_000, seed: int = 23) -> list[tuple[str, str, str]]:
    """``n`` distinct price strings in the shipped marketplaces' shapes."""
    rng = random.Random(seed)
    seen: set[tuple[str, str, str]] = set()
    while len(seen) < n:
        value = int(rng.lognormvariate(8, 2.5)) + 1
        shape, currency, locale = rng.choice(SHAPES)
        text = shape.format(
            s=f"{value:,}".replace(",", " "),
            c=f"{value:,}",
            d=f"{value}.{rng.randrange(100):02d}",
            n=value,
            cents=rng.randrange(100),
        )
        seen.add((text, currency, locale))
    return sorted(seen)


def rate(rows: list[tuple[str, str | None, str | None]]) -> float:
    """Strings per second of CPU time parsing ``rows`` once (CPU time: the machine is
    shared, and one process uses one core)."""
    start = time.process_time()
    for text, currency, locale in rows:
        parse_price(text, currency, locale)
    return len(rows) / (time.process_time() - start)


def main() -> int:
    """Print strings/s of each workload."""
    parse_price("1 €", "EUR", "de_DE")  # tables loaded (disk cache) before the clock
    print(f"marketplace shapes, 100,000 distinct: {rate(marketplace_strings()):,.0f} strings/s")
    corpus = shared_data() / "prices" / "price_parser_examples.jsonl"
    if corpus.exists():
        rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
        strings = [(r["price_raw"], r["currency_hint"], None) for r in rows]
        print(f"price-parser corpus, first pass: {rate(strings):,.0f} strings/s")
        print(f"price-parser corpus, seen before: {rate(strings * 3):,.0f} strings/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
