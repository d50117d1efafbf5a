"""Issue 21: the relevance model — training, matching with a model, re-scoring, the verdict loop.

Real SQLite files and the CLI in subprocesses (tests/conftest.py ``run_cli``). Training
uses a small slice of the shipped real listings (``WILDCRAWL_LABELS``) so that each model
takes seconds, not the minute the full default model takes.
"""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_cli

REAL = ROOT / "keywords" / "labelled" / "real_listings.jsonl"


@pytest.fixture(scope="module")
def labels(tmp_path_factory) -> Path:
    """60 real listings: 30 ivory offers and bats, 30 ordinary goods (some animal-named)."""
    rows = [json.loads(line) for line in REAL.read_text("utf-8").splitlines()]
    pos = [r for r in rows if r["label"] == 1 and r["source"] == "wlt_osn"][:20]
    pos += [r for r in rows if r["label"] == 1 and r["source"] == "coleman_bats"][:10]
    neg = [r for r in rows if r["label"] == 0 and r["source"] == "promap_en"][:20]
    neg += [r for r in rows if r["label"] == 0 and r["source"] == "wlt_osn"][:10]
    path = tmp_path_factory.mktemp("labels") / "labels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in pos + neg), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def model_dir(labels, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("models") / "small"
    result = run_cli("model", "train", "--labels", str(labels), "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "small@" in result.stdout and "cross-validated F1" in result.stdout
    return out


def test_train_writes_a_small_deterministic_model(model_dir, labels, tmp_path):
    from crawler.matching.matcher import Matcher
    from crawler.matching.model import load_model
    from crawler.matching.train import read_records, train

    model = load_model(model_dir)
    assert model.name == "small" and len(model.digest) == 64
    assert 0.0 < model.relevance_threshold < 1.0
    assert model.info["records"] == 60 and model.info["positives"] == 30
    # The same records give the same file, byte for byte.
    again = train(read_records(labels), Matcher.from_lexicon(), name="small", info={"labels": 60})
    again.save(tmp_path / "again")
    assert again.digest == model.digest
    assert (tmp_path / "again" / "model.json.gz").read_bytes() == (
        model_dir / "model.json.gz"
    ).read_bytes()


def test_scoring_matches_scikit_learn(labels):
    """The plain-weights scorer gives scikit-learn's probabilities."""
    from crawler.matching import train as T
    from crawler.matching.matcher import Matcher

    matcher = Matcher.from_lexicon()
    records = T.read_records(labels)
    prep = T.Prepared(records, matcher)
    fitted = T._fit(prep, range(len(records)))
    expected = T._predict(fitted, prep, range(len(records)))
    model = T.train(records, matcher, thresholds=(0.5, 0.0))
    for record, p in zip(records, expected, strict=True):
        got = model.score(matcher, record["title"], record.get("description")).relevance
        assert got == pytest.approx(p, abs=2e-3)


def test_lexicon_features_of_long_listings_can_be_damped(labels, monkeypatch, tmp_path):
    """``model.LEX_WORDS``: above that many words a listing's lexicon features count
    sqrt(LEX_WORDS / words); the scorer and scikit-learn agree, the model file keeps it."""
    from crawler.matching import model as M
    from crawler.matching import train as T
    from crawler.matching.matcher import Matcher

    assert M.lexicon_share(3, 8) == 1.0 and M.lexicon_share(32, 8) == pytest.approx(0.5)
    assert M.lexicon_share(32, 0) == 1.0
    matcher = Matcher.from_lexicon()
    records = T.read_records(labels)
    prep = T.Prepared(records, matcher)
    plain = T._predict(T._fit(prep, range(len(records))), prep, range(len(records)))
    monkeypatch.setattr(M, "LEX_WORDS", 8)
    fitted = T._fit(prep, range(len(records)))
    expected = T._predict(fitted, prep, range(len(records)))
    model = T.train(records, matcher, thresholds=(0.5, 0.0))
    assert model.lex_words == 8
    model.save(tmp_path)
    model = M.load_model(tmp_path)
    assert model.lex_words == 8
    long = [i for i, w in enumerate(prep.words) if len(w) > 8 and prep.lex[i]]
    assert long and any(abs(plain[i] - expected[i]) > 0.01 for i in long)
    for record, p in zip(records, expected, strict=True):
        got = model.score(matcher, record["title"], record.get("description")).relevance
        assert got == pytest.approx(p, abs=2e-3)
    # Off (the default): the file has no such field, and old files load as off.
    monkeypatch.setattr(M, "LEX_WORDS", 0)
    data = T.train(records, matcher, thresholds=(0.5, 0.0)).to_json()
    assert "lex_words" not in data and M.RelevanceModel.from_json(data).lex_words == 0


def test_explanation_names_words_and_flag_needs_relevance_and_risk(model_dir):
    from crawler.matching.matcher import Matcher
    from crawler.matching.model import load_model

    model = load_model(model_dir)
    matcher = Matcher.from_lexicon()
    scored = model.score(matcher, "Carved elephant ivory bangle, real ivory, antique")
    assert scored.risk > 0.5
    assert scored.explanation.split("relevance ")[1][:4] == f"{scored.relevance:.2f}"
    assert " up: " in scored.explanation and "risk " in scored.explanation
    plain = model.score(matcher, "USB-C charging cable 2 m")
    assert not plain.flagged and plain.risk == 0.0
    assert plain.flagged == (plain.relevance >= model.relevance_threshold and plain.risk >= 0.0)


def test_match_with_a_model_adds_relevance(model_dir, labels, tmp_path):
    rows = [json.loads(line) for line in labels.read_text("utf-8").splitlines()]
    wildlife = next(r for r in rows if r["label"] == 1 and r["source"] == "wlt_osn")
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "title": wildlife["title"]})
        + "\n"
        + json.dumps({"id": "b", "title": "Samsung 55 inch LED TV"})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = run_cli("match", "--model", str(model_dir), "--input", str(src), "--output", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    for line in lines:
        assert {"flagged", "risk", "explanation", "relevance", "model"} <= set(line)
        assert line["model"].startswith("small@")
    assert lines[0]["relevance"] > lines[1]["relevance"]
    assert lines[0]["flagged"]
    # --model none: the lexicon alone, as before.
    result = run_cli("match", "--model", "none", "--input", str(src), "--output", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    assert all("relevance" not in json.loads(x) for x in out.read_text("utf-8").splitlines())


def test_pipeline_uses_the_model_it_is_given(model_dir):
    from crawler.crawl.pipelines.match import MatchPipeline
    from crawler.matching.matcher import Matcher
    from crawler.matching.model import load_model

    class Stats:
        def __init__(self):
            self.values = {}

        def inc_value(self, key):
            self.values[key] = self.values.get(key, 0) + 1

    model = load_model(model_dir)
    pipeline = MatchPipeline(Matcher.from_lexicon(), Stats(), model)
    item = pipeline.process_item({"title": "Real ivory carving, elephant ivory", "description": ""})
    assert item["model"] == model.model_id and 0.0 <= item["relevance"] <= 1.0
    assert item["explanation"].startswith(("FLAGGED relevance", "relevance"))
    bare = MatchPipeline(Matcher.from_lexicon(), Stats(), None).process_item({"title": "ivory"})
    assert "relevance" not in bare


LISTINGS = [
    ("m:1", "Zorbex carved pendant, old piece"),
    ("m:2", "Zorbex bead bracelet from grandmother"),
    ("m:3", "Zorbex statue on wooden stand"),
    ("m:4", "Zorbex comb, hand carved"),
    ("m:5", "Zorbex netsuke, signed"),
    ("m:6", "Zorbex brooch, small"),
    ("m:7", "Zorbex pendant on silver chain"),
    ("m:8", "Wireless mouse with USB receiver"),
    ("m:9", "Garden hose 20 m"),
    ("m:10", "Carved elephant ivory tusk, antique, real ivory"),
]


def _database(path: Path) -> None:
    from crawler.store.database import ensure_schema, open_database

    db = open_database(path)
    ensure_schema(db)
    db.close()
    with sqlite3.connect(path) as conn:
        conn.execute("insert or ignore into marketplaces (name) values ('demo-bazaar')")
        conn.executemany(
            "insert into listings (id, marketplace, title, description) "
            "values (?, 'demo-bazaar', ?, '')",
            LISTINGS,
        )


def _rows(path: Path) -> dict[str, tuple]:
    with sqlite3.connect(path) as conn:
        return {
            r[0]: r[1:]
            for r in conn.execute("select id, relevance, model, flagged, explanation from listings")
        }


def test_verdict_loop_end_to_end(model_dir, labels, tmp_path):
    """Listings scored, verdicts recorded, retrain from the database, scores change."""
    db = tmp_path / "loop.db"
    _database(db)
    env = {"WILDCRAWL_LABELS": str(labels)}
    result = run_cli("model", "apply", "--db", str(db), "--model", str(model_dir), env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "10 listings re-scored by small@" in result.stdout
    before = _rows(db)
    assert all(r[1].startswith("small@") and r[0] is not None for r in before.values())

    # Monitors confirm five 'Zorbex' listings (an ivory substitute's trade name, say) and
    # reject two ordinary ones; an earlier 'not_wildlife' on m:1 is superseded.
    with sqlite3.connect(db) as conn:
        verdicts = [("m:1", "not_wildlife")] + [(f"m:{i}", "confirmed") for i in range(1, 6)]
        verdicts += [("m:8", "not_wildlife"), ("m:9", "not_wildlife"), ("m:6", "needs_expert")]
        conn.executemany(
            "insert into reviews (listing_id, verdict, reviewer, reviewed_at) "
            "values (?, ?, 'tester', '2026-01-01T00:00:00Z')",
            verdicts,
        )
    from crawler.quality.model_loop import verdict_records

    got = {r["id"]: r["label"] for r in verdict_records(db)}
    assert got == {
        "review:m:1": 1,
        "review:m:2": 1,
        "review:m:3": 1,
        "review:m:4": 1,
        "review:m:5": 1,
        "review:m:8": 0,
        "review:m:9": 0,
    }

    retrained = tmp_path / "retrained"
    result = run_cli("model", "train", "--db", str(db), "--out", str(retrained), env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "verdicts 7" in result.stdout
    result = run_cli("model", "apply", "--db", str(db), "--model", str(retrained), env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    after = _rows(db)
    assert all(r[1].startswith("retrained@") for r in after.values())
    # An unreviewed listing with the confirmed word rises; the model says why.
    assert after["m:7"][0] > before["m:7"][0]
    assert "zorbex" in after["m:7"][3].split("; ")[0].split(" down:")[0]
    # Listings judged not wildlife fall: the mouse (0.06). The garden hose starts at the floor
    # (0.03), where retraining on a grown lexicon moves it by a few thousandths either way: it
    # must stay there, far below any threshold.
    assert after["m:8"][0] < before["m:8"][0]
    assert after["m:9"][0] <= max(before["m:9"][0], 0.05)
    # Going back: apply the earlier model and its scores return.
    run_cli("model", "apply", "--db", str(db), "--model", str(model_dir), env=env)
    assert _rows(db) == before


def test_review_queue_puts_least_certain_first(tmp_path):
    meta = yaml.safe_load(
        (ROOT / "crawler" / "publish" / "datasette" / "metadata.yaml").read_text("utf-8")
    )
    queries = [
        db.get("queries", {}) for db in meta.get("databases", {}).values() if db.get("queries")
    ]
    sql = queries[0]["review_queue"]["sql"]
    db = tmp_path / "queue.db"
    _database(db)
    with sqlite3.connect(db) as conn:
        scores = {"m:1": (0.9, 0.3), "m:2": (0.55, 0.1), "m:3": (0.45, 0.8), "m:4": (0.55, 0.9)}
        for listing_id, (rel, risk) in scores.items():
            conn.execute(
                "update listings set relevance = ?, risk = ?, flagged = 1 where id = ?",
                (rel, risk, listing_id),
            )
        conn.execute("update listings set relevance = 0.01, risk = 0 where id in ('m:8', 'm:9')")
        conn.execute(
            "insert into reviews (listing_id, verdict, reviewer, reviewed_at) "
            "values ('m:3', 'confirmed', 't', '2026-01-01T00:00:00Z')"
        )
        ids = [r[0] for r in conn.execute(sql, {"verdict": ""})]
    # Unreviewed first; among them |relevance - 0.5| ascending, risk descending on ties.
    assert ids[:3] == ["m:4", "m:2", "m:1"]
    assert ids[-1] == "m:3"
    assert "m:8" not in ids


def test_text_features_must_be_shared_by_two_sources(monkeypatch):
    """An n-gram seen in one source only (a shop's boilerplate) is not a feature."""
    from crawler.matching import train as T

    docs = [["w:ivory", "w:shopx"], ["w:ivory", "w:shopx"], ["w:ivory", "w:lamp"]]
    docs += [["w:lamp"]]
    sources = ["a", "a", "b", "b"]
    assert T._shared_vocabulary(docs, sources) == ["w:ivory"]
    monkeypatch.setattr(T, "MIN_SOURCES", 1)
    assert T._shared_vocabulary(docs, sources) == ["w:ivory", "w:lamp", "w:shopx"]
    # Monitors' verdicts teach words no other source has.
    monkeypatch.setattr(T, "MIN_SOURCES", 2)
    assert T._shared_vocabulary(docs, ["reviews", "reviews", "b", "b"]) == ["w:ivory", "w:shopx"]
    # One source only: the rule cannot apply, min_df alone decides.
    monkeypatch.setattr(T, "MIN_SOURCES", 2)
    assert T._shared_vocabulary(docs, ["a"] * 4) == ["w:ivory", "w:lamp", "w:shopx"]


def test_lexicon_terms_and_wildlife_listings_of_one_source(monkeypatch):
    """``LEXICON_MIN_SOURCES``: a feature the lexicon holds needs fewer sources than
    ``MIN_SOURCES``; ``POSITIVE_SOURCES``: a feature of wildlife listings must be in wildlife
    listings of that many sources (features of label-0 listings only are not held to it)."""
    from crawler.matching import train as T

    docs = [["w:ivory", "w:kerivoula"], ["w:ivory", "w:kerivoula", "w:mount"]]
    docs += [["w:ivory", "w:mount"], ["w:ivory", "w:lamp"], ["w:lamp"], ["w:ivory", "w:lamp"]]
    docs += [["w:ivory", "w:mount"]]
    sources = ["bats", "bats", "posts", "posts", "shop", "shop", "lexicon"]
    labels = [1, 1, 1, 0, 0, 0, 1]
    every = ["w:ivory", "w:kerivoula", "w:lamp", "w:mount"]
    assert T._shared_vocabulary(docs, sources, labels) == ["w:ivory", "w:lamp", "w:mount"]
    monkeypatch.setattr(T, "MIN_SOURCES", 3)
    assert T._shared_vocabulary(docs, sources, labels) == ["w:ivory", "w:mount"]
    monkeypatch.setattr(T, "LEXICON_MIN_SOURCES", 2)
    assert T._shared_vocabulary(docs, sources, labels) == ["w:ivory", "w:mount"]
    monkeypatch.setattr(T, "MIN_SOURCES", 2)
    monkeypatch.setattr(T, "LEXICON_MIN_SOURCES", 1)
    assert T._shared_vocabulary(docs + [["w:mount"]], sources + ["lexicon"], labels + [1]) == [
        "w:ivory",
        "w:lamp",
        "w:mount",
    ]
    monkeypatch.setattr(T, "LEXICON_MIN_SOURCES", None)
    monkeypatch.setattr(T, "MIN_SOURCES", 1)
    assert T._shared_vocabulary(docs, sources, labels) == every
    # "kerivoula" is in the bat study's wildlife listings only; "lamp" in no wildlife listing.
    monkeypatch.setattr(T, "POSITIVE_SOURCES", 2)
    assert T._shared_vocabulary(docs, sources, labels) == ["w:ivory", "w:lamp", "w:mount"]
    # One source with wildlife listings only: the rule cannot apply.
    assert T._shared_vocabulary(docs, sources, [1, 1, 0, 0, 0, 0, 0]) == every
    assert T._shared_vocabulary(docs, sources) == every  # no labels: no such rule
    # A monitor's verdict keeps its words.
    keys = ["reviews", "reviews"] + sources[2:]
    assert T._shared_vocabulary(docs, keys, labels) == every


def test_crossfit_thresholds_are_not_chosen_on_the_flagged_group():
    """Group 'b' is flagged with group 'a''s best threshold, not with its own."""
    from crawler.matching import train as T

    rel = [0.9, 0.9, 0.2, 0.2, 0.6, 0.6, 0.2, 0.2]
    labels = [1, 1, 0, 0, 1, 1, 0, 0]
    groups = ["a"] * 4 + ["b"] * 4
    flags = T.crossfit_flags(rel, [0.4] * 8, labels, groups)
    # On 'a' alone every threshold above 0.2 up to 0.9 is best, and the highest is taken
    # (0.9): the 0.6 of 'b' do not pass; on 'b' alone, 0.6: 'a' is flagged right.
    assert flags == [True, True, False, False, False, False, False, False]
    # A group whose positives score below what the others need is missed, as an unseen
    # source would be.
    rel_b_low = rel[:4] + [0.22, 0.22, 0.1, 0.1]
    flags = T.crossfit_flags(rel_b_low, [0.4] * 8, labels, groups)
    assert flags[4:] == [False, False, False, False]


def test_thresholds_that_cross_validation_cannot_tell_apart_take_the_highest():
    """Out-of-fold relevance is bimodal on sources a model knows, so F1 hardly moves between
    thresholds 0.5 and 0.9; the highest one within ``TIE`` flags fewer ordinary listings of a
    source never trained on."""
    from crawler.matching import train as T

    rel = [0.97] * 50 + [0.6] + [0.05] * 50 + [0.7]
    labels = [1] * 51 + [0] * 51
    # Up to 0.6: F1 102/103 (one false positive); from 0.75: 100/101 (one positive missed).
    t_rel, t_risk, score = T.choose_thresholds(rel, [0.1] * len(rel), labels)
    assert (t_rel, t_risk) == (0.9, 0.0) and score == pytest.approx(100 / 101)
    # A gap larger than TIE is not a tie: 20 positives at 0.6 keep the threshold at 0.6.
    rel = [0.97] * 30 + [0.6] * 20 + [0.05] * 50
    labels = [1] * 50 + [0] * 50
    assert T.choose_thresholds(rel, [0.1] * 100, labels)[0] == 0.6


def test_the_default_model_chooses_its_risk_threshold_from_a_floor():
    """The default model scores marketplaces it was never trained on, where a listing the
    lexicon barely names (a brand's one animal word, a houseplant genus) was wildlife far
    less often than its relevance said: its risk threshold is chosen from
    ``DEFAULT_RISK_FLOOR``. A model trained with verdicts chooses from 0."""
    from crawler.matching import train as T

    # Half the positives are known to the model only (risk 0): without a floor, risk 0 wins.
    rel = [0.97] * 60 + [0.05] * 60
    risk = [0.0] * 30 + [0.5] * 30 + [0.0] * 60
    labels = [1] * 60 + [0] * 60
    assert T.choose_thresholds(rel, risk, labels)[1] == 0.0
    assert T.choose_thresholds(rel, risk, labels, T.DEFAULT_RISK_FLOOR)[1] >= 0.3
    assert T.choose_thresholds(rel, risk, labels, 0.9)[1] == 0.9  # above the grid: the floor


def test_model_train_can_choose_its_risk_threshold_from_a_floor(labels, tmp_path):
    """A monitor crawling marketplaces their verdicts did not come from can ask for the
    default model's rule; a value outside [0, 1] is one clear line and exit 2."""
    out = tmp_path / "floored"
    result = run_cli(
        "model", "train", "--labels", str(labels), "--out", str(out), "--risk-floor", "0.3"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    from crawler.matching.model import load_model

    model = load_model(out)
    assert model.risk_threshold >= 0.3 and model.info["risk_floor"] == 0.3
    assert f"risk >= {model.risk_threshold}" in result.stdout
    bad = run_cli("model", "train", "--labels", str(labels), "--out", str(out), "--risk-floor", "2")
    assert bad.returncode == 2 and "--risk-floor" in bad.stderr


def test_the_default_model_flags_no_listing_the_lexicon_barely_names():
    """A brand's one animal word and a nursery cactus (risk below 0.3) are not flagged by the
    default model however sure its relevance, while a species with a part still is."""
    from crawler.matching.matcher import Matcher
    from crawler.matching.train import DEFAULT_RISK_FLOOR, default_model

    matcher = Matcher.from_lexicon()
    model = default_model(matcher)
    assert model.risk_threshold >= DEFAULT_RISK_FLOOR
    for title in ("Brass ashtray with two squirrels", "Astrophytum seedling, 4 cm"):
        scored = model.score(matcher, title)
        assert scored.risk < DEFAULT_RISK_FLOOR and not scored.flagged, scored.explanation
    assert model.score(matcher, "Real bull shark jaw, 12 inch").flagged


def test_a_listing_the_lexicon_finds_risky_needs_only_some_relevance():
    from crawler.matching.model import RISKY, RISKY_RELEVANCE, flag_rule

    assert flag_rule(0.1, 0.6, 0.9, 0.0)
    assert flag_rule(RISKY_RELEVANCE, RISKY, 0.9, 0.45)
    assert not flag_rule(RISKY_RELEVANCE - 0.01, 0.95, 0.9, 0.0)
    assert not flag_rule(0.35, 0.45, 0.9, 0.0)


def test_words_the_model_does_not_know_dilute_relevance():
    """A listing written mostly in words the training data never had gets little relevance
    from the few it has (on a Taobao title unseen in training: 0.9 from two known n-grams)."""
    from crawler.matching.matcher import Matcher
    from crawler.matching.model import RelevanceModel

    weights = {"w:ivory": (2.0, 6.0), "c: iv": (2.0, 2.0)}
    matcher = Matcher.from_lexicon()
    plain = RelevanceModel(weights=weights, lexicon={}, intercept=-2.0)
    diluting = RelevanceModel(weights=weights, lexicon={}, intercept=-2.0, unknown_idf=2.0)
    alone = "ivory"
    crowded = "ivory qwzx vbnmk plokij hjuytr"
    assert plain.score(matcher, alone).relevance == plain.score(matcher, crowded).relevance
    assert diluting.score(matcher, crowded).relevance < diluting.score(matcher, alone).relevance
    # The file keeps it, so a saved model scores the same after loading.
    again = RelevanceModel.from_json(diluting.to_json())
    assert again.score(matcher, crowded).relevance == diluting.score(matcher, crowded).relevance
    # A file from before these fields scores as it was trained: no dilution, 300 characters
    # of description.
    older = diluting.to_json()
    del older["unknown_idf"], older["description_chars"]
    older = RelevanceModel.from_json(older)
    assert (older.unknown_idf, older.description_chars) == (0.0, 300)


def test_a_listing_without_any_wildlife_term_needs_near_certain_relevance():
    """Relevant and risky (issue 21): with risk 0 (no term of the lexicon at all) a relevance
    of 0.6-0.7 does not flag (on a real Gumtree.pl page: apartments), 0.9 does (an ostrich
    skull the lexicon does not name)."""
    from crawler.matching.model import flag_rule

    assert not flag_rule(0.69, 0.0, 0.6, 0.0)
    assert flag_rule(0.97, 0.0, 0.6, 0.0)
    assert flag_rule(0.69, 0.3, 0.6, 0.0)
    assert not flag_rule(0.99, 0.2, 0.6, 0.3)


def test_a_taxon_the_lexicon_named_and_cancelled_is_not_flagged_by_relevance_alone():
    """A cast or replica of a skull the model has seen real ones of got relevance 0.91-0.97
    on real shop titles ("Black Hornbill Skull Reproduction") and was flagged by the rule for
    listings the lexicon finds nothing in; the lexicon named the hornbill and lowered it to 0
    (replica), the more specific reading. A listing naming no taxon still flags at 0.9."""
    from crawler.matching.matcher import Matcher
    from crawler.matching.model import CANCELLED, RelevanceModel, flag_risk

    matcher = Matcher.from_lexicon()
    model = RelevanceModel(weights={"w:skull": (2.0, 20.0)}, lexicon={}, intercept=0.0)
    cast = "Black Hornbill Skull Reproduction"
    result = matcher.match(cast)
    assert result.taxa and result.risk == 0 and flag_risk(result) == CANCELLED
    scored = model.score(matcher, cast)
    assert scored.relevance >= 0.9 and not scored.flagged, scored.explanation
    unnamed = model.score(matcher, "Antique skull on a wooden stand")
    assert not unnamed.result.taxa and unnamed.flagged, unnamed.explanation


def test_verdicts_keep_their_own_words():
    """A word only one source uses is dropped, unless monitors' verdicts teach it: the
    learning curve of ``make eval`` trains on a source's first verdicts this way."""
    from crawler.matching import train as T
    from crawler.matching.matcher import Matcher

    records = [
        {"title": f"Zorbex carved pendant {i}", "label": 1, "source": "market"} for i in range(3)
    ]
    records += [
        {"title": f"Wireless mouse model {i}", "label": 0, "source": "shop"} for i in range(3)
    ]
    prep = T.Prepared(records, Matcher.from_lexicon(), pseudo=False)
    text, _, _ = T._fit(prep, range(6))
    assert "w:zorbex" not in text.vocabulary_
    text, _, clf = T._fit(prep, range(6), verdicts=frozenset({0, 1, 2}))
    assert "w:zorbex" in text.vocabulary_
    assert clf.coef_[0][text.vocabulary_["w:zorbex"]] > 0


def test_wild_look_alikes_are_not_taught_as_not_wildlife(monkeypatch):
    """A cancel that names another wild species ("tiger shark", "tiger moth", "mammoth
    ivory": marked ``wild`` in the lexicon) is a wildlife pseudo-listing, not a label-0 one;
    a brand or a pattern ("tiger balm", "leopard print") is still 0."""
    from crawler.matching import train as T
    from crawler.matching.matcher import Matcher

    matcher = Matcher.from_lexicon()
    wild = {t.term for t in matcher.lexicon.terms if t.wild}
    # (known25: the pet trade's leopard and crested geckos are species terms, no cancels)
    assert {"tiger shark", "tiger moth", "mammoth ivory", "虎鲨", "tijgerhaai"} <= wild
    assert not {"tiger balm", "leopard print", "deer antler", "tiger prawn"} & wild
    labels = {r["title"]: r["label"] for r in T.lexicon_records(matcher)}
    assert labels["tiger balm"] == 0 and labels["leopard print"] == 0
    assert labels["rhino horn"] == 1
    for term in ("tiger shark", "tiger moth", "tiger barb", "mammoth ivory", "虎鲨"):
        assert labels[term] == 1
    # ... or, with WILD_LABEL None, not taught at all.
    monkeypatch.setattr(T, "WILD_LABEL", None)
    labels = {r["title"]: r["label"] for r in T.lexicon_records(matcher)}
    assert "tiger shark" not in labels and labels["tiger balm"] == 0


def test_a_part_word_alone_is_no_lexicon_evidence():
    """One-character Chinese part terms match inside any compound (蓝牙 Bluetooth, 匈牙利
    Hungary): with no taxon in the listing a context term is no lexicon evidence (as the
    lexicon's own explanation says), not the evidence of a specimen word learned on English
    listings: on Taobao left out of training, 24 ordinary listings sat at relevance 0.901
    from lex:product + lex:part alone."""
    from crawler.matching.matcher import Matcher
    from crawler.matching.model import RelevanceModel, lexicon_features

    matcher = Matcher.from_lexicon()
    groups = matcher._groups
    bluetooth = matcher.match("关键词家用电子琴套装游戏无声键盘耳机蓝牙安卓有线")
    assert lexicon_features(bluetooth, groups) == {
        "lex:risk": 0.0,
        "lex:product": 1.0,
        "lex:part": 1.0,
    }
    assert lexicon_features(bluetooth, groups, context_alone=False) == {}
    # Not "no lexicon term" either: the lexicon's specimen words ("skull", "taxidermy") are
    # wildlife pseudo-listings, which would teach lex:none as wildlife.
    skull = matcher.match("skull")
    assert lexicon_features(skull, groups, context_alone=False) == {}
    assert lexicon_features(matcher.match("Samsung TV"), groups, False) == {"lex:none": 1.0}
    # A part beside a taxon keeps its features.
    bangle = lexicon_features(matcher.match("清代象牙手镯"), groups, context_alone=False)
    assert bangle["lex:part"] == 1.0 and bangle["lex:group:elephants"] == 1.0
    # decoy23's variant (measured, not kept): a legality claim bound to no taxon dropped too
    # (a jade pendant "with certificate", 证书, sat at relevance 0.901 on Taobao left out).
    from crawler.matching import model as M

    jade = matcher.match("新疆和田玉青白玉弥勒佛吊坠女款白玉保平安如意笑佛挂件带证书")
    assert jade.legality and not jade.taxa
    assert lexicon_features(jade, groups, context_alone=False) == {
        "lex:risk": 0.0,
        "lex:legality": 1.0,
    }
    variant = (*M._CONTEXT_KINDS, "legality")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(M, "_CONTEXT_KINDS", variant)
        assert lexicon_features(jade, groups, context_alone=False) == {}
        # ... but beside a taxon it still counts.
        antique = lexicon_features(matcher.match("清代象牙手镯 带证书"), groups, False)
        assert antique["lex:legality"] == 1.0

    lexicon = {"lex:product": 2.3, "lex:part": 1.9}
    new = RelevanceModel(weights={}, lexicon=lexicon, intercept=-2.0, lexicon_features=2)
    title = "欧洲旅游感受意大利德国匈牙利6天5晚自助游"
    assert new.score(matcher, title).relevance < 0.2
    # A model file from before keeps scoring as it was trained.
    old = new.to_json()
    del old["lexicon_features"]
    old = RelevanceModel.from_json(old)
    assert old.lexicon_features == 1 and old.score(matcher, title).relevance >= 0.9


def test_a_cancelled_term_gives_no_group_and_a_wild_cancel_its_own_feature(monkeypatch):
    """A cancel ("Tiger Balm", "baseball bat") tells the lexicon "not this animal", but every
    match gave its kind and taxon group to the model: a cancelled decoy scored as its animal
    (a wooden baseball bat at relevance 0.93, flagged with risk 0). ``LEXICON_FEATURES`` 3:
    terms inside a cancel give no feature, and a ``wild`` cancel ("tiger shark", label 1 as
    a pseudo-listing) is ``lex:cancel:wild``, not the decoys' ``lex:cancel`` (label 0)."""
    from crawler.matching import train as T
    from crawler.matching.matcher import Matcher
    from crawler.matching.model import RelevanceModel, lexicon_features

    matcher = Matcher.from_lexicon()
    groups, wild = matcher._groups, matcher.wild
    balm = matcher.match("Tiger Balm red ointment 19.4g")
    assert lexicon_features(balm, groups, False, wild) == {
        "lex:risk": 0.0,
        "lex:negative": 1.0,
        "lex:cancel": 1.0,
    }
    shark = lexicon_features(matcher.match("tiger shark tooth necklace"), groups, False, wild)
    assert "lex:group:big cats" not in shark and "lex:cancel" not in shark
    assert shark["lex:cancel:wild"] == 1.0 and shark["lex:group:sharks"] == 1.0
    # The animal named outside the cancel keeps its features.
    both = lexicon_features(matcher.match("Tiger Balm and a tiger tooth"), groups, False, wild)
    assert both["lex:group:big cats"] == 1.0 and both["lex:cancel"] == 1.0
    # Training at LEXICON_FEATURES 3 (a variant, not the default: docs/detection-log.md) uses them.
    records = [{"title": "Tiger Balm", "label": 0}]
    assert "lex:group:big cats" in T.Prepared(records, matcher, pseudo=False).lex[0]
    monkeypatch.setattr(T, "LEXICON_FEATURES", 3)
    assert "lex:group:big cats" not in T.Prepared(records, matcher, pseudo=False).lex[0]

    # A model file of version 2 scores as it was trained: the cancelled tiger still counts.
    lexicon = {"lex:group:big cats": 4.0, "lex:cancel": -1.0}
    new = RelevanceModel(weights={}, lexicon=lexicon, intercept=-1.0, lexicon_features=3)
    old = RelevanceModel.from_json({**new.to_json(), "lexicon_features": 2})
    assert old.lexicon_features == 2 and new.lexicon_features == 3
    assert RelevanceModel.from_json(new.to_json()).lexicon_features == 3
    title = "Tiger Balm red ointment 19.4g"
    assert old.score(matcher, title).relevance == round(1 / (1 + math.exp(-2.0)), 3)
    assert new.score(matcher, title).relevance == round(1 / (1 + math.exp(2.0)), 3)


def test_lexicon_features_deny_what_the_matcher_denies():
    """The model's lexicon features ask the matcher which terms a cancel denies
    (``negatives.denied``), not a rule of their own: a look-alike also denies the material
    term its last word starts ("Black Mock Croc Belt": "croc belt" gives the lexicon no
    risk, and gave the model a product of the reptiles' group), and a negative inside a
    cancel still counts, as it still lowers the lexicon's risk ("faux" in "faux fur")."""
    from crawler.matching.matcher import Matcher
    from crawler.matching.model import lexicon_features

    matcher = Matcher.from_lexicon()
    groups, wild = matcher._groups, matcher.wild
    belt = matcher.match("Black Mock Croc Belt")
    assert belt.risk == 0.0 and any(m.matched_text == "Croc Belt" for m in belt.matches)
    assert lexicon_features(belt, groups, False, wild) == {
        "lex:risk": 0.0,
        "lex:negative": 1.0,
        "lex:cancel": 1.0,
    }
    # The real thing keeps its product and group; a wild look-alike denies no material.
    croc = lexicon_features(matcher.match("Crocodile leather belt"), groups, False, wild)
    assert croc["lex:product"] == 1.0 and croc["lex:group:reptiles"] == 1.0
    shark = lexicon_features(matcher.match("tiger shark tooth necklace"), groups, False, wild)
    assert shark["lex:group:sharks"] == 1.0
    jacket = matcher.match("Leopard faux fur Jacket")
    assert any(m.role == "replica" for m in jacket.negatives)
    found = lexicon_features(jacket, groups, False, wild)
    assert found["lex:replica"] == 1.0 and "lex:part" not in found


def test_species_only_listings_can_be_marked_for_the_model(monkeypatch):
    """``model.SPECIES_ONLY`` (a measured variant, off by default): a listing whose lexicon
    evidence is a bare species name (a puppet, a figurine named by its animal) is
    ``lex:species_only``; at 2 its taxon group is withheld as well. A product, part or live
    word the matcher keeps is more than a name; one a cancel denies is not."""
    from crawler.matching import train as T
    from crawler.matching.matcher import Matcher
    from crawler.matching.model import RelevanceModel, lexicon_features

    matcher = Matcher.from_lexicon()
    groups = matcher._groups
    puppet = matcher.match("Puppet- American Alligator")
    assert "lex:species_only" not in lexicon_features(puppet, groups, False)
    one = lexicon_features(puppet, groups, False, None, 1)
    assert one["lex:species_only"] == 1.0 and one["lex:group:reptiles"] == 1.0
    two = lexicon_features(puppet, groups, False, None, 2)
    assert two["lex:species_only"] == 1.0 and not any(k.startswith("lex:group:") for k in two)
    for title in ("American alligator skull", "Baby ball python for sale", "Tiger Balm"):
        assert "lex:species_only" not in lexicon_features(
            matcher.match(title), groups, False, None, 2
        )
    jacket = lexicon_features(matcher.match("Leopard faux fur Jacket"), groups, False, None, 1)
    assert jacket["lex:species_only"] == 1.0  # "fur jacket" is denied by "faux fur"
    # Training reads the knob; the model file keeps it (and leaves it out when off).
    records = [{"title": "Puppet- American Alligator", "label": 0}]
    assert "lex:species_only" not in T.Prepared(records, matcher, pseudo=False).lex[0]
    monkeypatch.setattr("crawler.matching.model.SPECIES_ONLY", 2)
    assert "lex:species_only" in T.Prepared(records, matcher, pseudo=False).lex[0]
    model = RelevanceModel(weights={}, lexicon={"lex:species_only": -3.0}, intercept=0.0)
    assert "species_only" not in model.to_json()
    model.species_only = 2
    again = RelevanceModel.from_json(model.to_json())
    assert again.species_only == 2
    assert again.score(matcher, "Puppet- American Alligator").relevance < 0.1
    assert model.score(matcher, "American alligator skull").relevance == 0.5


def test_verdicts_and_small_sources_weigh_as_configured(monkeypatch):
    from crawler.matching import train as T

    keys = ["big"] * 3 + ["small"] + ["reviews"] * 2
    monkeypatch.setattr(T, "VERDICT_WEIGHT", 1.0)
    monkeypatch.setattr(T, "SOURCE_BALANCE", 0.0)
    assert T._weights(keys) == [1.0] * 6
    monkeypatch.setattr(T, "VERDICT_WEIGHT", 3.0)
    monkeypatch.setattr(T, "SOURCE_BALANCE", 1.0)
    # mean shipped source size 2: a row of the 3-row source weighs 2/3, the lone row 2.
    assert T._weights(keys) == pytest.approx([2 / 3] * 3 + [2.0, 3.0, 3.0])


def test_title_copies_train_described_listings_again_by_their_title(monkeypatch):
    """``TITLE_COPIES``: each described training listing is trained on again without its
    description (at that sample weight); a listing left out of training has no copy."""
    from crawler.matching import train as T
    from crawler.matching.matcher import Matcher

    records = [
        {"title": f"Pendant {i}", "description": "carved zorbex tusk", "label": 1, "source": "a"}
        for i in range(3)
    ]
    records += [{"title": f"Wireless mouse {i}", "label": 0, "source": "b"} for i in range(3)]
    records += [{"title": "Pendant 9", "description": "zorbex", "label": 1, "source": "b"}]
    prep = T.Prepared(records, Matcher.from_lexicon(), pseudo=False)
    assert sorted(prep.titles()) == [0, 1, 2, 6]
    assert "zorbex" not in prep.titles()[0][0] and "zorbex" in prep.words[0]
    rows = []
    from sklearn.linear_model import LogisticRegression

    real_fit = LogisticRegression.fit

    def spy(self, x, y, sample_weight=None):
        rows.append((x.shape[0], list(sample_weight)))
        return real_fit(self, x, y, sample_weight=sample_weight)

    monkeypatch.setattr(LogisticRegression, "fit", spy)
    T._fit(prep, range(6))
    monkeypatch.setattr(T, "TITLE_COPIES", 0.5)
    T._fit(prep, range(6))
    assert rows[0] == (6, [1.0] * 6)
    assert rows[1] == (9, [1.0] * 6 + [0.5] * 3)  # listing 6 is not trained on: no copy
