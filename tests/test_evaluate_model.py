"""``python -m crawler.quality.evaluate_model --quick --set NAME=VALUE``: a model variant's
figures (CV, leave one source out, ordinary goods flagged, half a source as verdicts) without
the verdict curve, on a small slice of the shipped real listings (``WILDCRAWL_LABELS``)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT

REAL = ROOT / "keywords" / "labelled" / "real_listings.jsonl"


@pytest.fixture
def small_labels(tmp_path, monkeypatch):
    rows = [json.loads(line) for line in REAL.read_text("utf-8").splitlines()]
    pick = [r for r in rows if r["source"] == "wlt_osn" and r["label"] == 1][:16]
    pick += [r for r in rows if r["source"] == "wlt_osn" and r["label"] == 0][:16]
    pick += [r for r in rows if r["source"] == "coleman_bats"][:12]
    pick += [r for r in rows if r["source"] == "promap_en"][:24]
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in pick), encoding="utf-8")
    monkeypatch.setenv("WILDCRAWL_LABELS", str(path))
    return path


def test_quick_run_of_a_variant(small_labels, monkeypatch, capsys):
    from crawler.matching import model as M
    from crawler.matching import train as T
    from crawler.quality import evaluate_model as E

    monkeypatch.setattr(T, "C", T.C)  # restored after the test
    monkeypatch.setattr(T, "CLASS_WEIGHT", T.CLASS_WEIGHT)
    monkeypatch.setattr(M, "MAX_GRAM", M.MAX_GRAM)
    seen = []
    fit = T._fit

    def spy(*args, **kwargs):
        fitted = fit(*args, **kwargs)
        seen.append((fitted[2].C, fitted[2].class_weight))
        return fitted

    monkeypatch.setattr(T, "_fit", spy)
    argv = ["--quick", "--set", "C=2", "--set", "CLASS_WEIGHT=null", "--set", "model.MAX_GRAM=4"]
    assert E.main(argv) == 0
    out = capsys.readouterr().out
    assert T.C == 2 and T.CLASS_WEIGHT is None and M.MAX_GRAM == 4
    assert seen and set(seen) == {(2, None)}  # every model of the run was the variant
    assert out.startswith("Variant: C=2, CLASS_WEIGHT=None, model.MAX_GRAM=4")
    assert "Leave one source out" in out and "Half of a source as verdicts" in out
    assert "Ordinary goods flagged (leave-one-source-out)" in out
    assert "Summary: CV F1 " in out and "unseen ordinary flagged" in out
    # --quick: no verdict curve, no authors' test files
    assert "verdicts -> F1" not in out and "written by the lexicon's authors" not in out


def test_set_refuses_what_is_not_a_constant(monkeypatch):
    from crawler.quality import evaluate_model as E

    for bad in ("NO_SUCH=1", "C", "train=1", "model.NOPE=2"):
        with pytest.raises(SystemExit, match="not NAME=VALUE"):
            E.override([bad])
