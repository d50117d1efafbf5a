"""Evaluate the generic extractor on Zyte's product-extraction benchmark pages.

``python -m crawler.evaluate_generic [DATA_DIR] [--errors]`` prints price
precision, recall and F1 (the benchmark's own rules: a price matches as a
Decimal, a wrong price is both a false positive and a false negative) and
currency accuracy over pages whose ground truth names a currency (correct when
our ISO code is one meaning of the symbol shown, e.g. ``$`` -> USD or CAD).
DATA_DIR defaults to ``$WILDCRAWL_SHARED_DATA/product-pages`` or ``../shared/data/product-pages``.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from crawler.generic import extract_generic
from crawler.prices import currency_to_iso

PUBLISHED_F1 = {"extruct": 0.685, "Diffbot": 0.824, "Zyte": 0.918}


def default_data_dir() -> Path:
    shared = os.environ.get("WILDCRAWL_SHARED_DATA")
    root = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared" / "data"
    return root / "product-pages"


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    currency_right: int = 0
    currency_total: int = 0
    pages: int = 0
    priced: int = 0

    @property
    def precision(self) -> float:
        return (
            1.0
            if self.fp == self.fn == 0
            else (self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0)
        )

    @property
    def recall(self) -> float:
        return (
            1.0
            if self.fp == self.fn == 0
            else (self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0)
        )

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def currency_accuracy(self) -> float:
        return self.currency_right / self.currency_total if self.currency_total else 0.0


def currency_matches(predicted: str | None, shown: list[str]) -> bool:
    """Our ISO code is one meaning of a currency symbol or code the page shows."""
    forms = [f for s in shown for f in (s.strip(), s.strip().lower(), s.strip().upper())]
    return bool(predicted) and any(currency_to_iso(f, hint=predicted) == predicted for f in forms)


def evaluate(data_dir: Path, show_errors: bool = False) -> Scores:
    """Run the extractor on every benchmark page and score it."""
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    scores = Scores()
    for key, expected in sorted(truth.items()):
        html = gzip.decompress((data_dir / "html" / f"{key}.html.gz").read_bytes()).decode(
            "utf-8", "replace"
        )
        found = extract_generic(html, expected.get("url"))
        true_prices = {Decimal(p.strip()) for p in expected.get("price", [])}
        scores.pages += 1
        scores.priced += bool(true_prices)
        predicted = Decimal(found.price) if found.price is not None else None
        ok = None
        if predicted is None:
            scores.fn += bool(true_prices)
        elif predicted in true_prices:
            scores.tp += 1
            ok = True
        else:
            scores.fp += 1
            scores.fn += bool(true_prices)
            ok = False
        if expected.get("currency"):
            scores.currency_total += 1
            scores.currency_right += currency_matches(found.currency, expected["currency"])
        if show_errors and (ok is False or (predicted is None and true_prices)):
            print(
                f"{key[:10]}  want {sorted(map(str, true_prices))} {expected.get('currency')}  "
                f"got {found.price} {found.currency} ({found.source})  {expected.get('url', '')[:60]}"
            )
    return scores


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    show_errors = "--errors" in args
    paths = [a for a in args if not a.startswith("--")]
    data_dir = Path(paths[0]) if paths else default_data_dir()
    if not (data_dir / "ground-truth.json").is_file():
        print(
            f"error: benchmark not found at {data_dir} (set WILDCRAWL_SHARED_DATA)", file=sys.stderr
        )
        return 2
    s = evaluate(data_dir, show_errors)
    print(
        f"generic extractor on {data_dir}: {s.pages} pages, {s.priced} with a price in the ground truth"
    )
    print(
        f"price      precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
        f"(tp {s.tp}, fp {s.fp}, fn {s.fn})"
    )
    print(
        f"currency   accuracy {s.currency_accuracy:.3f}  ({s.currency_right}/{s.currency_total} pages "
        f"showing a currency)"
    )
    print(
        "published price F1 on the full benchmark: "
        + ", ".join(f"{k} {v:.3f}" for k, v in PUBLISHED_F1.items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
