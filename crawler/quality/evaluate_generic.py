"""Evaluate the generic extractor on Zyte's product-extraction benchmark pages.

``python -m crawler.quality.evaluate_generic [DATA_DIR] [--errors] [--visible-only]``

Price is scored exactly as the benchmark's own ``evaluate.py`` does
(scrapinghub/product-extraction-benchmark): ground-truth strings and our price are compared as
``Decimal`` values with no other normalisation, so a truth of ``"23.450"`` equals 23.45 and not
23450; per page a right price is a true positive, a wrong one is a false positive *and* (when the
page has a price) a false negative, a price on a page without one is a false positive, no price
where one is expected is a false negative. Precision and recall are 1 when there is neither a
false positive nor a false negative, and the ± figures are the standard deviations of 1,000
bootstrap resamples of pages seeded with 42, as the benchmark computes them.

The benchmark does not score currency; we add currency accuracy over pages whose ground truth
names one (right when our ISO code is one meaning of the symbol shown, e.g. ``$`` -> USD or
CAD). ``--visible-only`` ignores structured data and scores the visible-page rules alone.
DATA_DIR defaults to ``$WILDCRAWL_SHARED_DATA/product-pages`` or ``../shared/data/product-pages``.
"""

from __future__ import annotations

import gzip
import json
import random
import statistics
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from crawler.extract.generic import extract_generic
from crawler.normalise.prices import currency_to_iso
from crawler.paths import shared_data

PUBLISHED_F1 = {"extruct": 0.685, "Diffbot": 0.824, "Zyte": 0.918}  # all 134 priced pages
N_BOOTSTRAP = 1000

TpFpFn = tuple[int, int, int]


def default_data_dir() -> Path:
    return shared_data() / "product-pages"


def decimal_matching(true: set[str], pred: str | None) -> TpFpFn:
    """The benchmark's price comparison: ``Decimal`` equality with any ground-truth value."""
    return hard_matching({Decimal(x) for x in true}, Decimal(pred) if pred is not None else None)


def hard_matching(true: set, pred) -> TpFpFn:
    if pred is None:
        return 0, 0, int(bool(true))
    if pred in true:
        return 1, 0, 0
    return 0, 1, int(bool(true))


def precision_score(tp: int, fp: int, fn: int) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def recall_score(tp: int, fp: int, fn: int) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def f1_score(tp: int, fp: int, fn: int) -> float:
    p, r = precision_score(tp, fp, fn), recall_score(tp, fp, fn)
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    per_page: list[TpFpFn] = field(default_factory=list)
    currency_right: int = 0
    currency_total: int = 0
    priced: int = 0

    @property
    def pages(self) -> int:
        return len(self.per_page)

    @property
    def totals(self) -> TpFpFn:
        return tuple(sum(column) for column in zip(*self.per_page)) or (0, 0, 0)

    tp = property(lambda self: self.totals[0])
    fp = property(lambda self: self.totals[1])
    fn = property(lambda self: self.totals[2])
    precision = property(lambda self: precision_score(*self.totals))
    recall = property(lambda self: recall_score(*self.totals))
    f1 = property(lambda self: f1_score(*self.totals))

    @property
    def currency_accuracy(self) -> float:
        return self.currency_right / self.currency_total if self.currency_total else 0.0

    def bootstrap_std(self, n: int = N_BOOTSTRAP) -> dict[str, float]:
        """Standard deviation of precision, recall and F1 over resampled pages (seed 42)."""
        rng = random.Random(42)
        values: dict[str, list[float]] = {"precision": [], "recall": [], "f1": []}
        size = len(self.per_page)
        for _ in range(n):
            sample = [self.per_page[rng.randint(0, size - 1)] for _ in range(size)]
            totals = tuple(map(sum, zip(*sample)))
            values["precision"].append(precision_score(*totals))
            values["recall"].append(recall_score(*totals))
            values["f1"].append(f1_score(*totals))
        return {name: statistics.stdev(v) for name, v in values.items()}


def currency_matches(predicted: str | None, shown: list[str]) -> bool:
    """Our ISO code is one meaning of a currency symbol or code the page shows."""
    forms = [f for s in shown for f in (s.strip(), s.strip().lower(), s.strip().upper())]
    return bool(predicted) and any(currency_to_iso(f, hint=predicted) == predicted for f in forms)


def evaluate(data_dir: Path, show_errors: bool = False, structured: bool = True) -> Scores:
    """Run the extractor on every benchmark page and score it."""
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    scores = Scores()
    for key, expected in sorted(truth.items()):
        html = gzip.decompress((data_dir / "html" / f"{key}.html.gz").read_bytes()).decode(
            "utf-8", "replace"
        )
        found = extract_generic(html, expected.get("url"), structured=structured)
        true_prices = set(expected.get("price", []))
        outcome = decimal_matching(true_prices, found.price)
        scores.per_page.append(outcome)
        scores.priced += bool(true_prices)
        if expected.get("currency"):
            scores.currency_total += 1
            scores.currency_right += currency_matches(found.currency, expected["currency"])
        if show_errors and any(outcome[1:]):
            print(
                f"{key[:10]}  want {sorted(true_prices)} {expected.get('currency')}  "
                f"got {found.price} {found.currency} ({found.source})  "
                f"{expected.get('url', '')[:60]}"
            )
    return scores


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [a for a in args if not a.startswith("--")]
    data_dir = Path(paths[0]) if paths else default_data_dir()
    if not (data_dir / "ground-truth.json").is_file():
        print(
            f"error: benchmark not found at {data_dir} (set WILDCRAWL_SHARED_DATA)", file=sys.stderr
        )
        return 2
    structured = "--visible-only" not in args
    s = evaluate(data_dir, "--errors" in args, structured=structured)
    std = s.bootstrap_std()
    mode = "" if structured else " (visible page only, structured data ignored)"
    print(f"generic extractor{mode} on {data_dir}: {s.pages} pages, {s.priced} with a price")
    print(
        f"price      precision {s.precision:.3f} ± {std['precision']:.3f}  "
        f"recall {s.recall:.3f} ± {std['recall']:.3f}  F1 {s.f1:.3f} ± {std['f1']:.3f}  "
        f"(tp {s.tp}, fp {s.fp}, fn {s.fn})"
    )
    print(
        f"currency   accuracy {s.currency_accuracy:.3f}  ({s.currency_right}/{s.currency_total} "
        "pages showing a currency; not scored by the benchmark)"
    )
    print(
        "published price F1 on the full benchmark: "
        + ", ".join(f"{k} {v:.3f}" for k, v in PUBLISHED_F1.items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
