"""The matcher against a held-out labelled set written apart from the lexicon.

``tests/data/matcher_heldout.jsonl`` was written without reading ``keywords/``,
the matcher or its in-sample set (``matcher_eval.jsonl``): wildlife listings
(code words, misspellings, obfuscated spellings, mixed scripts), look-alikes
(colours, brands, toys, replicas, legal horn/bone) and ordinary goods in eleven
languages. Its labels are fixed; the matcher is what this file measures. The records
with an ``origin`` field (issue 22: two per new language, ja ko ru pl ar tr hi it nl)
were written with the lexicon in view: unit examples, not held-out evaluation.

The floor catches regressions; the measured figures (first contact: precision
0.949, recall 0.815, F1 0.877 at threshold 0.5) are in the report, not here.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from crawler.matching.matcher import Matcher
from crawler.quality.evaluate_matcher import Evaluation, evaluate, read_labelled

HELDOUT = Path(__file__).resolve().parent / "data" / "matcher_heldout.jsonl"
F1_FLOOR = 0.80
GROUPS = ("wildlife", "lookalike", "ordinary")


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return read_labelled(HELDOUT)


@pytest.fixture(scope="module")
def evaluation(matcher: Matcher, records: list[dict]) -> Evaluation:
    return evaluate(matcher, records)


def _misses(result: Evaluation) -> str:
    return "\n".join(
        f"  [{r['lang']}] label={r['label']} {r['title']!r}: {why}" for r, why in result.errors
    )


def test_every_record_is_well_formed(records: list[dict]) -> None:
    bad = [
        r
        for r in records
        if not isinstance(r.get("title"), str)
        or not r["title"].strip()
        or r.get("label") not in (0, 1)
        or r.get("group") not in GROUPS
        or (r["group"] == "wildlife") != (r["label"] == 1)
        or not isinstance(r.get("description", ""), str)
    ]
    assert not bad, f"malformed records: {bad[:5]}"
    titles = Counter(r["title"] for r in records)
    assert not [t for t, n in titles.items() if n > 1], "duplicate titles"


def test_the_set_is_large_multilingual_and_balanced(records: list[dict]) -> None:
    assert len(records) >= 400
    assert len({r["lang"] for r in records}) >= 8
    share = Counter(r["group"] for r in records)
    for group in GROUPS:
        # "about a third" each: none may shrink below a quarter or grow past half
        assert 0.25 <= share[group] / len(records) <= 0.5, (group, share)


def test_overall_f1_stays_above_the_floor(evaluation: Evaluation) -> None:
    overall = evaluation.overall
    assert overall.f1 >= F1_FLOOR, (
        f"held-out F1 {overall.f1:.3f} < {F1_FLOOR} "
        f"(precision {overall.precision:.3f}, recall {overall.recall:.3f})\n"
        + evaluation.table()
        + "\nmisclassified:\n"
        + _misses(evaluation)
    )


def test_ordinary_goods_are_almost_never_flagged(matcher: Matcher, records: list[dict]) -> None:
    # a plain phone or sofa flagged means the matcher broke, not that a code word is hard
    ordinary = [r for r in records if r["group"] == "ordinary"]
    result = evaluate(matcher, ordinary)
    assert result.overall.fp <= 0.02 * len(ordinary), "ordinary goods flagged:\n" + _misses(result)
