"""``python -m crawler.quality.evaluate_model --quick --set NAME=VALUE``: a model variant's
figures (CV, leave one source out, ordinary goods flagged, half a source as verdicts) without
the verdict curve, on a small slice of the shipped real listings (``WILDCRAWL_LABELS``)."""

from __future__ import annotations

import io
import json
import sys

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
    assert "at a verdict model's rule" in out and "risk thresholds from 0" in out
    # the pooled LOSO figure also without the sources the lexicon was written from
    assert "without the sources the lexicon was written from, coleman_bats, morphmarket" in out
    assert " without coleman_bats and morphmarket), unseen ordinary flagged" in out
    # --quick: no verdict curve, no authors' test files
    assert "verdicts -> F1" not in out and "written by the lexicon's authors" not in out


def test_set_refuses_what_is_not_a_constant(monkeypatch):
    from crawler.quality import evaluate_model as E

    for bad in ("NO_SUCH=1", "C", "train=1", "model.NOPE=2"):
        with pytest.raises(SystemExit, match="not NAME=VALUE"):
            E.override([bad])


def test_thresholds_can_be_held_to_a_share_of_negatives_flagged(monkeypatch):
    """``MAX_NEGATIVES``: the best F1 flags 3 of 53 negatives (at 0.6); held to 1 %, the
    thresholds are those flagging none (the highest of them, 0.9)."""
    from crawler.matching import train as T

    rel = [0.97] * 50 + [0.6] * 10 + [0.05] * 50 + [0.6] * 3
    labels = [1] * 60 + [0] * 53
    risk = [0.1] * len(rel)
    assert T.choose_thresholds(rel, risk, labels)[:2] == (0.6, 0.0)
    monkeypatch.setattr(T, "MAX_NEGATIVES", 0.01)
    t_rel, t_risk, score = T.choose_thresholds(rel, risk, labels)
    assert (t_rel, t_risk) == (0.9, 0.0) and score == pytest.approx(100 / 110)
    # No pair flags few enough: those flagging the fewest are kept, not none.
    rel = [0.97] * 50 + [0.97] * 3
    labels = [1] * 50 + [0] * 3
    assert T.choose_thresholds(rel, [0.1] * 53, labels)[0] == 0.9


def test_l1_penalty_and_thresholds_chosen_by_source(small_labels, monkeypatch):
    """``L1_RATIO=1`` (L1) keeps fewer features; ``THRESHOLDS_BY="sources"`` chooses a model's
    thresholds on each source's relevance from a model trained without it."""
    from crawler.matching import train as T
    from crawler.matching.matcher import Matcher

    matcher = Matcher.from_lexicon()
    records = T.read_records(small_labels)
    prep = T.Prepared(records, matcher)
    every = range(len(records))
    dense = T._fit(prep, every)[2]
    monkeypatch.setattr(T, "L1_RATIO", 1)
    sparse = T._fit(prep, every)[2]
    assert dense.l1_ratio == 0 and sparse.l1_ratio == 1
    assert 0 < (sparse.coef_ != 0).sum() < (dense.coef_ != 0).sum() / 2

    monkeypatch.setattr(T, "L1_RATIO", 0.0)
    monkeypatch.setattr(T, "THRESHOLDS_BY", "sources")
    rel = T.out_of_source(prep)
    by_source = T.choose_thresholds(rel, prep.risk, prep.labels)
    model = T.train(records, matcher)
    assert (model.relevance_threshold, model.risk_threshold) == by_source[:2]
    assert model.info["cv_f1"] == round(by_source[2], 4)
    # out_of_source: each source scored by a model that never saw it
    wlt = [i for i, s in enumerate(prep.sources) if s == "wlt_osn"]
    rest = [i for i, s in enumerate(prep.sources) if s != "wlt_osn"]
    alone = T._predict(T._fit(prep, rest), prep, wlt)
    assert [rel[i] for i in wlt] == pytest.approx(list(alone))
    # Records without sources (``model train --labels``): cross-validated folds as before.
    plain = [{k: v for k, v in r.items() if k != "source"} for r in records]
    monkeypatch.setattr(T, "out_of_source", None)  # would fail if called
    T.train(plain, matcher)


def test_titles_only_scores_the_same_models_without_descriptions(small_labels, monkeypatch, capsys):
    """``--titles-only``: the CV and LOSO models also score each test listing with its
    description removed; the figures with descriptions are those of a run without it."""
    from crawler.matching import train as T
    from crawler.matching import training_data as TD
    from crawler.quality import evaluate_model as E

    plain = E.run(sys.stdout, quick=True)
    capsys.readouterr()
    seen = []
    predict = T._predict

    def spy(fitted, prep, index, *args, **kwargs):
        seen.append(all(not r.get("description") for r in (prep.records[i] for i in index)))
        return predict(fitted, prep, index, *args, **kwargs)

    monkeypatch.setattr(T, "_predict", spy)
    figures = E.run(sys.stdout, quick=True, titles_only=True)
    out = capsys.readouterr().out
    assert True in seen  # descriptions removed in the titles-only reading
    for name in ("cv_f1", "loso_f1", "fp_leave-one-source-out", "half_as_verdicts"):
        assert figures[name] == plain[name]
    assert "Titles only: leave one source out" in out
    assert "sources with descriptions: coleman_bats, promap_en" in out
    assert 0 <= figures["titles_loso_f1"] <= 1 and "titles_fp_loso" in figures
    records = [{"title": "a", "description": "b", "label": 1}, {"title": "c", "label": 0}]
    assert TD.without_descriptions(records)[0] == {"title": "a", "label": 1}
    assert TD.described(records) == [0] and records[0]["description"] == "b"


def test_titles_only_option_prints_its_summary(small_labels, capsys):
    from crawler.quality import evaluate_model as E

    assert E.main(["--quick", "--titles-only"]) == 0
    out = capsys.readouterr().out
    assert "Titles only (descriptions removed at test time): CV F1 " in out
    assert "unseen ordinary flagged" in out.splitlines()[-1]


def test_verdict_curve_flags_no_verdicts_at_the_default_models_rule(small_labels, monkeypatch):
    """With no verdict yet a monitor runs the default model: the curve's 0 point is leave one
    source out at its thresholds (``before``), not at the verdict models' rule."""
    from crawler.matching import train as T
    from crawler.matching.matcher import Matcher
    from crawler.matching.model import flag_rule
    from crawler.quality import evaluate_model as E

    monkeypatch.setattr(E, "SIZES", ())  # only the 0 point: no model is trained
    records = [json.loads(line) for line in small_labels.read_text("utf-8").splitlines()]
    prep = T.Prepared(records, Matcher.from_lexicon())
    relevance = [0.95] * len(records)  # near-sure of every listing
    names = {s for s, y in zip(prep.sources, prep.labels, strict=True) if y}
    lenient = dict.fromkeys(names, (0.5, 0.0))  # a verdict model's rule: risk from 0
    strict = dict.fromkeys(names, (0.99, 0.3))  # a rule that flags only the risky
    rows = [i for i, s in enumerate(prep.sources) if s in names]

    def pooled(rule):
        flags = [flag_rule(relevance[i], prep.risk[i], *rule) for i in rows]
        return T.f1(flags, [prep.labels[i] for i in rows])

    assert pooled((0.5, 0.0)) != pooled((0.99, 0.3))  # the two rules differ on this slice
    out = io.StringIO()
    assert E.verdict_curve(prep, lenient, relevance, out)[0] == pooled((0.5, 0.0))
    assert E.verdict_curve(prep, lenient, relevance, out, before=strict)[0] == pooled((0.99, 0.3))
