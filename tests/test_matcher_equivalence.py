"""The matcher's full output is frozen: speed work must not change a single result.

``tests/data/matcher_golden.json`` holds, for every labelled title
(``tests/data/matcher_eval.jsonl`` and ``matcher_heldout.jsonl``), every demo catalogue
listing (title alone, then title with description) and a few obfuscation edge cases, the complete
``MatchResult`` (every ``TermMatch`` field, taxa, negatives, legality, risk, flag,
explanation). The inputs are stored in the golden file too, so later edits to the
demo catalogue do not break the comparison; a fingerprint of the lexicon says
which lexicon the results belong to.

Regenerate (only from a matcher whose results are known good, and review the diff)::

    WILDCRAWL_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_matcher_equivalence.py -q
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import astuple
from pathlib import Path

import pytest

from crawler.matching.matcher import Matcher, MatchResult, TermMatch
from crawler.quality.evaluate_matcher import read_labelled

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "matcher_golden.json"
EVAL = DATA / "matcher_eval.jsonl"
HELDOUT = DATA / "matcher_heldout.jsonl"
REGEN = os.environ.get("WILDCRAWL_REGEN_GOLDEN") == "1"

# Inputs that the evaluation set and the demo catalogues do not reach: spaced, dotted and
# digit-swapped spellings, Traditional Chinese, full-width and zero-width characters,
# irregular folds (ligatures, "ß"), text beyond the per-field match cap, empty fields.
EDGE_CASES: list[tuple[str | None, str | None]] = [
    ("i v o r y  bangle", None),
    ("I.V.O.R.Y netsuke, r h i n o horn", None),
    ("1v0ry b@ngle and t1ger c1aw", None),
    ("象 牙 手 镯, 犀*角 杯", None),
    ("舊象牙雕件 穿山甲鱗片 虎骨酒", None),
    ("ＩＶＯＲＹ　ｂａｎｇｌｅ", None),
    ("iv\u200bory ﬁgurine, Elfenbeinschnitzerei, Stoß\u00adzahn", None),
    (
        "Gro\u00dfe Nashorn-Schnitzerei \u2014 ca. 1900",
        "Echtes Horn, keine Replik. Mit Zertifikat.",
    ),
    ("ngà voi chạm khắc", "Sừng tê giác thật 100%"),
    ("", ""),
    (None, None),
    ("Tiger Balm " * 30 + "ivory tusk " * 200, "rhino horn " * 400),
]


def lexicon_fingerprint(matcher: Matcher) -> str:
    """SHA-256 of everything in the lexicon that can change a match result."""
    digest = hashlib.sha256()
    for t in matcher.lexicon.terms:
        row = (t.id, t.term, t.lang, t.kind, t.taxon_id, t.product, t.role, t.weight, t.variants)
        digest.update(repr(row).encode())
    for taxon in matcher.lexicon.taxa:
        digest.update(repr((taxon.id, taxon.taxon_group)).encode())
    return digest.hexdigest()


def _matches(items: tuple[TermMatch, ...]) -> list[list]:
    return [list(astuple(m)) for m in items]


def serialise(result: MatchResult) -> dict:
    """Every field of a ``MatchResult`` as plain JSON values."""
    return {
        "flagged": result.flagged,
        "risk": result.risk,
        "taxa": list(result.taxa),
        "explanation": result.explanation,
        "matches": _matches(result.matches),
        "negatives": _matches(result.negatives),
        "legality": _matches(result.legality),
    }


def golden_inputs() -> list[tuple[str | None, str | None]]:
    """(title, description) pairs the golden file is generated from."""
    from crawler.demo.catalogue import SITES, generate_catalogue

    labelled = [EVAL, HELDOUT] if HELDOUT.exists() else [EVAL]
    pairs: list[tuple[str | None, str | None]] = [
        (r["title"], None) for path in labelled for r in read_labelled(path)
    ]
    for site in SITES:
        for listing in generate_catalogue(site):
            pairs.append((listing.title, None))
            pairs.append((listing.title, listing.description))
    return pairs + EDGE_CASES


def write_golden(matcher: Matcher) -> None:
    """Record the current matcher's output for every golden input."""
    cases = [
        {
            "title": title,
            "description": description,
            "result": serialise(matcher.match(title, description)),
        }
        for title, description in golden_inputs()
    ]
    payload = {
        "fields": [f for f in TermMatch.__dataclass_fields__],
        "threshold": matcher.threshold,
        "lexicon": lexicon_fingerprint(matcher),
    }
    head = json.dumps(payload, ensure_ascii=False)[:-1]  # one case per line: readable diffs
    lines = ",\n".join(json.dumps(case, ensure_ascii=False) for case in cases)
    GOLDEN.write_text(f'{head}, "cases": [\n{lines}\n]}}\n', encoding="utf-8")


@pytest.fixture(scope="module")
def golden(matcher: Matcher) -> dict:
    if REGEN:
        write_golden(matcher)
    if not GOLDEN.exists():
        pytest.fail(f"{GOLDEN} is missing; create it with WILDCRAWL_REGEN_GOLDEN=1")
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_golden_is_for_this_lexicon_and_matcher_settings(golden, matcher):
    assert golden["fields"] == list(TermMatch.__dataclass_fields__)
    assert golden["threshold"] == matcher.threshold
    assert golden["lexicon"] == lexicon_fingerprint(matcher), (
        "the lexicon changed since the golden file was written: check the matcher's results "
        "on the new lexicon, then regenerate with WILDCRAWL_REGEN_GOLDEN=1"
    )


def test_golden_covers_flagged_unflagged_and_obfuscated_inputs(golden):
    results = [case["result"] for case in golden["cases"]]
    assert len(results) >= 2500
    assert sum(r["flagged"] for r in results) >= 300
    assert sum(not r["flagged"] and bool(r["matches"]) for r in results) >= 300
    assert sum(bool(r["negatives"]) for r in results) >= 50
    assert sum(bool(r["legality"]) for r in results) >= 50
    assert any(len(r["matches"]) >= 300 for r in results)  # the per-field cap is reached


def test_match_results_are_identical_to_golden(golden, matcher):
    different = []
    for case in golden["cases"]:
        got = serialise(matcher.match(case["title"], case["description"]))
        if got != case["result"]:
            different.append((case["title"], case["description"], got, case["result"]))
    assert not different, (
        f"{len(different)} of {len(golden['cases'])} results changed; first: {different[0]}"
    )


# -- the real listings -------------------------------------------------------------------
# The 7,484 real listings of keywords/labelled/real_listings.jsonl (title, then title with
# description), one digest of the complete result per listing: the stored file stays small
# (the listings are not copied), and a listing whose text changed there since is skipped.
REAL = Path(__file__).resolve().parents[1] / "keywords" / "labelled" / "real_listings.jsonl"
GOLDEN_REAL = DATA / "matcher_golden_real.json"


def _digest(value) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def real_cases(matcher: Matcher) -> dict[str, list[str]]:
    """Per real listing id: the digests of its input and of its two results (the title's
    alone, the title and description's)."""
    cases = {}
    for record in read_labelled(REAL):
        title, description = record.get("title"), record.get("description")
        results = [serialise(matcher.match(title)), serialise(matcher.match(title, description))]
        cases[record["id"]] = [_digest([title, description]), _digest(results)]
    return cases


@pytest.fixture(scope="module")
def golden_real(matcher: Matcher) -> dict:
    if REGEN:
        cases = real_cases(matcher)
        lines = ",\n".join(f"{json.dumps(i)}: {json.dumps(d)}" for i, d in cases.items())
        head = json.dumps({"lexicon": lexicon_fingerprint(matcher)})[:-1]
        GOLDEN_REAL.write_text(f'{head}, "cases": {{\n{lines}\n}}}}\n', encoding="utf-8")
    if not GOLDEN_REAL.exists():
        pytest.fail(f"{GOLDEN_REAL} is missing; create it with WILDCRAWL_REGEN_GOLDEN=1")
    return json.loads(GOLDEN_REAL.read_text(encoding="utf-8"))


def test_real_listings_results_are_identical_to_golden(golden_real, matcher):
    assert golden_real["lexicon"] == lexicon_fingerprint(matcher), (
        "the lexicon changed since the golden file was written: regenerate with "
        "WILDCRAWL_REGEN_GOLDEN=1 (from a matcher whose results are known good)"
    )
    stored = golden_real["cases"]
    got = real_cases(matcher)
    compared = [i for i in got if i in stored and stored[i][0] == got[i][0]]
    assert len(compared) >= 5000, f"only {len(compared)} real listings left to compare"
    different = [i for i in compared if got[i] != stored[i]]
    assert not different, (
        f"{len(different)} of {len(compared)} real listings' results changed: {different[:5]}"
    )
