"""Train a relevance model (``crawler.matching.model``) from labelled listings.

scikit-learn is needed here only: a trained model is saved as plain weights and scored
without it. Everything is deterministic (fixed folds, ``random_state=0``, liblinear), so
the same records give the same model file byte for byte.

Thresholds are chosen by cross-validation: out-of-fold relevance of every record (5
stratified folds), then the (relevance, risk) pair with the best F1 of
``relevance >= t_rel and risk >= t_risk`` over a fixed grid. The chosen pair and its
cross-validated F1 are kept in the model's ``info``.

Run ``python -m crawler.matching.train`` to build the default model (``default_model``) into
the cache."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from crawler.matching import model as _model
from crawler.matching.matcher import CODE_MODULES as MATCHER_CODE_MODULES
from crawler.matching.matcher import Matcher, MatchResult
from crawler.matching.model import (
    RelevanceModel,
    flag_risk,
    flag_rule,
    grams_of,
    lexicon_features,
    words_of,
)
from crawler.matching.training_data import (
    damped,
    described,
    label_of,
    normalised,
    shared_vocabulary,
    term_records,
    without_descriptions,
)
from crawler.matching.training_data import read_records as read_records  # model_cmd's

C = 8.0  # inverse regularisation of the logistic regression (docs/detection-log.md, variants: 4 -> 8)
LEX_SCALE = 3.0  # lexicon features count this much more than one text feature (less shrunk)
MIN_DF = 2
# A text feature is kept only if it occurs in listings of at least this many sources (the
# lexicon's pseudo-listings count as one source; records without a source count as one):
# n-grams that only one marketplace or study uses (shop boilerplate, a scraper's prefix)
# are what a model learns a source by, not a product. Monitors' verdicts (source
# ``reviews``, ``crawler.quality.model_loop``) are exempt: a word they teach is kept.
MIN_SOURCES = 2
KEEP_SOURCES = ("reviews",)
# Sources a feature the lexicon's pseudo-listings hold needs (the lexicon counting as one);
# None: MIN_SOURCES. 2 with MIN_SOURCES 3: in three sources, or in one beside the lexicon.
LEXICON_MIN_SOURCES: int | None = None
# A feature found in label-1 listings must be found in label-1 listings of at least this many
# sources (the lexicon's pseudo-listings one): 1, no rule; 2 drops the n-grams that only one
# source's wildlife listings have (a study's description template, a seller's wording).
POSITIVE_SOURCES = 1
PSEUDO = True  # the lexicon's terms as extra training listings (lexicon_records)
# Lexicon features of new models (model.lexicon_features): 2, a context term alone is none;
# 1, older models; 3 (measured, not kept: docs/detection-log.md), a term a cancel denies too.
LEXICON_FEATURES = 2
# A negative marked ``wild`` (a wild look-alike) as a pseudo-listing: 1, a wildlife example;
# None leaves it out; 0 (models before it) taught "tiger shark" and "leopard gecko" as not
# wildlife. 1 measured best (docs/detection-log.md, variants): LOSO F1 0.226 -> 0.235.
WILD_LABEL: int | None = 1
PSEUDO_WEIGHT = 1.0  # sample weight of one pseudo-listing (a real listing weighs 1)
# Sample weight of a monitor's verdict (source ``reviews``): verdicts are listings of the
# marketplaces being watched, the shipped data is not (half a source as verdicts, tested on
# the other half: F1 0.895 at 1, 0.934 at 3, 0.941 at 5; docs/detection-log.md, variants).
VERDICT_WEIGHT = 5.0
# Sample weight of a title-only copy of each described training listing (search pages carry
# titles only); 0: none. 1 measured, not kept (docs/detection-log.md, titleonly27).
TITLE_COPIES = 0.0
SOURCE_BALANCE = 0.0  # 0: every shipped listing weighs 1; 1: every source weighs the same
CLASS_WEIGHT = "balanced"
L1_RATIO = 0.0  # of the logistic regression: 0 L2, 1 L1 (fewer features), between: saga
_SOLVER = {"solver": "liblinear", "random_state": 0, "max_iter": 1000}
# Thresholds chosen on out-of-fold predictions of: "folds", 5 stratified folds; "sources",
# each source left out (what a marketplace never trained on looks like; 3 sources or more).
THRESHOLDS_BY = "folds"
# At most this share of label-0 out-of-fold predictions flagged (None: no limit).
MAX_NEGATIVES: float | None = None
# A text feature the model does not know counts in a listing's norm with this share of the
# largest idf (``model.word_stats``); 0: unknown features are ignored, as scikit-learn does.
UNKNOWN = 1.0
FOLDS = 5
REL_GRID = tuple(round(0.05 * i, 2) for i in range(2, 19))
# risky = risk >= t_risk (model.flag_rule); at 0.0 a listing with no wildlife term at all still
# needs a near-certain relevance (most shipped positives, the bat specimens, have risk 0).
RISK_GRID = (0.0, 0.1, 0.2, 0.3, 0.45)
# The default model's least risk threshold. It scores marketplaces it was never trained on, and
# there a listing the lexicon barely names (a brand's one animal word, a houseplant genus:
# risk below 0.3) was wildlife far less often than its relevance said: thresholds chosen on
# each source left out pick risk 0.3; unseen ordinary goods flagged 1.15 % -> 0.65 %, eBay US
# category titles 67 -> 26 false flags of 2,375 (docs/detection-log.md, "The default model's
# risk floor"). Models trained with verdicts keep the cross-validated choice: they score the
# marketplaces their verdicts came from, where the model has learnt what the lexicon lacks.
DEFAULT_RISK_FLOOR = 0.3
TIE = 0.005  # F1 differences that choose_thresholds does not tell apart


def _identity(doc):
    return doc


def lexicon_records(matcher: Matcher) -> list[dict]:
    """The lexicon's own terms as short training listings (``training_data.term_records``)."""
    return term_records(matcher.lexicon.terms, WILD_LABEL)


class Prepared:
    """Records with their text features, lexicon results and labels, computed once.

    ``pseudo`` (the lexicon's terms, ``lexicon_records``) is added to every training set.
    """

    def __init__(self, records: Sequence[dict], matcher: Matcher, pseudo: bool = PSEUDO):
        self.records = list(records)
        n = len(self.records)
        rows = self.records + (lexicon_records(matcher) if pseudo else [])
        chars = _model.DESCRIPTION_CHARS  # read at call time (evaluate_model --set)
        words = [words_of(r.get("title"), r.get("description"), chars) for r in rows]
        docs = [[g for w in ws for g in grams_of(w)] for ws in words]
        results: list[MatchResult] = [
            matcher.match(r.get("title"), r.get("description")) for r in rows
        ]
        groups, wild = matcher._groups, (matcher.wild if LEXICON_FEATURES >= 3 else None)
        only = _model.SPECIES_ONLY  # read at call time (evaluate_model --set)
        lex = [lexicon_features(res, groups, LEXICON_FEATURES < 2, wild, only) for res in results]
        labels = [label_of(r) for r in rows]
        self.words, self.docs, self.results = words[:n], docs[:n], results[:n]
        self.lex, self.labels = lex[:n], labels[:n]
        self.risk = [flag_risk(res) for res in self.results]  # as the flag rule reads it
        self.extra = (words[n:], docs[n:], lex[n:], labels[n:])
        self.sources = [str(r.get("source") or "") for r in self.records]
        self._matcher, self._titles = matcher, None

    def titles(self) -> dict[int, tuple[list[str], list[str], dict]]:
        """(words, text features, lexicon features) of each described record read by its
        title alone (``TITLE_COPIES``), by index; computed once, when first asked."""
        if self._titles is None:
            idx = described(self.records)
            rows = without_descriptions([self.records[i] for i in idx])
            bare = Prepared(rows, self._matcher, pseudo=False)
            self._titles = {
                i: (bare.words[k], bare.docs[k], bare.lex[k]) for k, i in enumerate(idx)
            }
        return self._titles


def _unknown_idf(text) -> float:
    """The idf a feature unknown to the fitted vectoriser ``text`` counts with (``UNKNOWN``)."""
    return UNKNOWN * float(text.idf_.max()) if len(text.idf_) else 0.0


def _fit(
    prep: Prepared,
    index: Sequence[int],
    c: float | None = None,
    lex_scale: float | None = None,
    verdicts: frozenset[int] = frozenset(),
):
    """(text vectoriser, lexicon vectoriser, classifier) fitted on ``index``; the records in
    ``verdicts`` count as monitors' verdicts (source ``reviews``: their words are kept)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    c = C if c is None else c  # read at call time: evaluate_model --set C=2 changes it
    lex_scale = LEX_SCALE if lex_scale is None else lex_scale
    words, docs, lexf, labels = prep.extra
    copies = [i for i in index if i in prep.titles()] if TITLE_COPIES else []
    bare = [prep.titles()[i] for i in copies]
    train_docs = [prep.docs[i] for i in index] + [b[1] for b in bare] + docs
    keys = [KEEP_SOURCES[0] if i in verdicts else prep.sources[i] for i in (*index, *copies)]
    y = [prep.labels[i] for i in (*index, *copies)] + labels
    vocabulary = _shared_vocabulary(train_docs, keys + ["lexicon"] * len(docs), y)
    text = TfidfVectorizer(analyzer=_identity, vocabulary=vocabulary, norm=None)
    lex = DictVectorizer()
    words = [prep.words[i] for i in index] + [b[0] for b in bare] + words
    raw = text.fit_transform(train_docs)
    lex_rows = lex.fit_transform([prep.lex[i] for i in index] + [b[2] for b in bare] + lexf)
    unknown = _unknown_idf(text)
    x = hstack([normalised(text, raw, words, unknown), damped(lex_rows, words) * lex_scale]).tocsr()
    solver = dict(_SOLVER, solver="saga") if 0 < L1_RATIO < 1 else _SOLVER
    clf = LogisticRegression(C=c, class_weight=CLASS_WEIGHT, l1_ratio=L1_RATIO, **solver)
    weight = _weights(keys)  # the copies' after the listings'
    weight[len(index) :] = [w * TITLE_COPIES for w in weight[len(index) :]]
    clf.fit(x, y, sample_weight=weight + [PSEUDO_WEIGHT] * len(labels))
    return text, lex, clf


def _weights(keys: Sequence[str]) -> list[float]:
    """Sample weight of each real listing: a monitor's verdict weighs ``VERDICT_WEIGHT``; a
    shipped listing ``(mean source size / its source's size) ** SOURCE_BALANCE``."""
    sizes: dict[str, int] = {}
    for k in keys:
        sizes[k] = sizes.get(k, 0) + 1
    shipped = [n for k, n in sizes.items() if k not in KEEP_SOURCES]
    mean = sum(shipped) / len(shipped) if shipped else 1.0
    return [
        VERDICT_WEIGHT if k in KEEP_SOURCES else (mean / sizes[k]) ** SOURCE_BALANCE for k in keys
    ]


def _shared_vocabulary(
    docs: Sequence[Sequence[str]],
    sources: Sequence[str],
    labels: Sequence[int | None] | None = None,
) -> list[str]:
    """``vocabulary.shared_vocabulary`` at this module's constants (read at call time)."""
    return shared_vocabulary(
        docs,
        sources,
        labels,
        min_df=MIN_DF,
        min_sources=MIN_SOURCES,
        keep=KEEP_SOURCES,
        lexicon_min_sources=LEXICON_MIN_SOURCES,
        positive_sources=POSITIVE_SOURCES,
    )


def _lex_words() -> int:
    from crawler.matching import model as M

    return M.LEX_WORDS


def _predict(fitted, prep: Prepared, index: Sequence[int], lex_scale: float | None = None):
    from scipy.sparse import hstack

    lex_scale = LEX_SCALE if lex_scale is None else lex_scale
    text, lex, clf = fitted
    raw = text.transform([prep.docs[i] for i in index])
    words = [prep.words[i] for i in index]
    lex_rows = damped(lex.transform([prep.lex[i] for i in index]), words) * lex_scale
    x = hstack([normalised(text, raw, words, _unknown_idf(text)), lex_rows]).tocsr()
    return clf.predict_proba(x)[:, 1]


def out_of_fold(prep: Prepared, folds: int = FOLDS) -> list[float]:
    """Relevance of every record from a model that did not see it (stratified folds)."""
    return out_of_groups(prep, fold_of(prep.labels, folds))[0]


def out_of_source(prep: Prepared) -> list[float]:
    """Relevance of every record from a model trained on the other sources only."""
    return out_of_groups(prep, prep.sources)[0]


def out_of_groups(
    prep: Prepared, groups: Sequence, views: Sequence[Prepared] = ()
) -> list[list[float]]:
    """Relevance of every record from a model trained on the other groups (a fold of
    ``fold_of``, a source), as read in ``prep`` and then in each of ``views`` (the same records
    read otherwise: ``crawler.quality.titles_only``): one model per group scores them all."""
    outs = [[0.0] * len(prep.records) for _ in range(1 + len(views))]
    for group in sorted(set(groups), key=str):
        test = [i for i, g in enumerate(groups) if g == group]
        fitted = _fit(prep, [i for i, g in enumerate(groups) if g != group])
        for out, view in zip(outs, (prep, *views), strict=True):
            for i, p in zip(test, _predict(fitted, view, test), strict=True):
                out[i] = float(p)
    return outs


def f1(predicted: Sequence[bool], labels: Sequence[int]) -> float:
    tp = sum(1 for p, y in zip(predicted, labels, strict=True) if p and y)
    fp = sum(1 for p, y in zip(predicted, labels, strict=True) if p and not y)
    fn = sum(1 for p, y in zip(predicted, labels, strict=True) if not p and y)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def choose_thresholds(
    relevance: Sequence[float],
    risk: Sequence[float],
    labels: Sequence[int],
    risk_floor: float = 0.0,
) -> tuple[float, float, float]:
    """(relevance threshold, risk threshold, F1): the highest relevance threshold whose F1 is
    within ``TIE`` of the best on the grid. Cross-validated F1 hardly moves between 0.5 and
    0.9 (a model is sure of the sources it was trained on), but on a source it was not
    trained on the higher threshold flags far fewer ordinary listings (``make eval``).
    With ``MAX_NEGATIVES``, pairs flagging more of the label-0 records are left out (unless
    every pair does: then those flagging the fewest are kept). Risk thresholds below
    ``risk_floor`` are not tried (``DEFAULT_RISK_FLOOR``)."""
    scored, negatives = [], []
    for t_risk in [t for t in RISK_GRID if t >= risk_floor] or [risk_floor]:
        for t_rel in REL_GRID:
            flags = [flag_rule(p, r, t_rel, t_risk) for p, r in zip(relevance, risk)]
            scored.append((f1(flags, labels), t_rel, t_risk))
            negatives.append(sum(1 for f, y in zip(flags, labels) if f and not y))
    if MAX_NEGATIVES is not None:
        limit = max(MAX_NEGATIVES * (len(labels) - sum(labels)), min(negatives))
        scored = [x for x, n in zip(scored, negatives, strict=True) if n <= limit]
    top = max(score for score, _, _ in scored)
    score, t_rel, t_risk = max(
        (x for x in scored if x[0] >= top - TIE), key=lambda x: (x[1], x[0], -x[2])
    )
    return t_rel, t_risk, score


def crossfit_flags(
    relevance: Sequence[float],
    risk: Sequence[float],
    labels: Sequence[int],
    groups: Sequence,
    risk_floor: float = 0.0,
) -> list[bool]:
    """Flags with thresholds never chosen on the predictions they flag: the records of each
    group (a CV fold, a source) are flagged with the thresholds that are best on the others."""
    out = [False] * len(labels)
    for g in sorted(set(groups), key=str):
        rest = [i for i, h in enumerate(groups) if h != g]
        t_rel, t_risk, _ = choose_thresholds(
            [relevance[i] for i in rest],
            [risk[i] for i in rest],
            [labels[i] for i in rest],
            risk_floor,
        )
        for i, h in enumerate(groups):
            if h == g:
                out[i] = flag_rule(relevance[i], risk[i], t_rel, t_risk)
    return out


def fold_of(labels: Sequence[int], folds: int = FOLDS) -> list[int]:
    """The fold (0..folds-1) of each record in ``out_of_fold``'s split."""
    from sklearn.model_selection import StratifiedKFold

    n = len(labels)
    positives = sum(labels)
    folds = max(2, min(folds, positives, n - positives))
    out = [0] * n
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for k, (_, test) in enumerate(split.split(list(range(n)), labels)):
        for i in test:
            out[i] = k
    return out


def train(
    records: Sequence[dict],
    matcher: Matcher,
    name: str = "model",
    thresholds: tuple[float, float] | None = None,
    info: dict | None = None,
    risk_floor: float = 0.0,
) -> RelevanceModel:
    """A relevance model fitted on every record, thresholds chosen by cross-validation (risk
    thresholds from ``risk_floor``)."""
    prep = Prepared(records, matcher)
    if len(set(prep.labels)) < 2:
        from crawler.errors import ConfigError

        raise ConfigError("training needs listings labelled 1 and listings labelled 0")
    meta = dict(info or {})
    if thresholds is None:
        by_source = THRESHOLDS_BY == "sources" and len(set(prep.sources)) >= 3
        oof = out_of_source(prep) if by_source else out_of_fold(prep)
        t_rel, t_risk, cv_f1 = choose_thresholds(oof, prep.risk, prep.labels, risk_floor)
        meta["cv_f1"] = round(cv_f1, 4)
    else:
        t_rel, t_risk = thresholds
    text, lex, clf = _fit(prep, range(len(prep.records)))
    coef = clf.coef_[0]
    n_text = len(text.vocabulary_)
    weights = {
        feature: (float(text.idf_[j]), float(text.idf_[j] * coef[j]))
        for feature, j in text.vocabulary_.items()
    }
    lexicon = {
        feature: float(coef[n_text + j] * LEX_SCALE)
        for feature, j in lex.vocabulary_.items()
        if coef[n_text + j]
    }
    meta.update(
        {
            "records": len(prep.records),
            "positives": sum(prep.labels),
            "features": n_text,
            "C": C,
            "lex_scale": LEX_SCALE,
            "lexicon_pseudo_listings": len(prep.extra[3]),
            "pseudo_weight": PSEUDO_WEIGHT,
            "min_sources": MIN_SOURCES,
            "risk_floor": risk_floor,
            "unknown": UNKNOWN,
        }
    )
    return RelevanceModel(
        weights=weights,
        lexicon=lexicon,
        intercept=float(clf.intercept_[0]),
        relevance_threshold=t_rel,
        risk_threshold=t_risk,
        unknown_idf=_unknown_idf(text),
        lexicon_features=LEXICON_FEATURES,
        lex_words=_lex_words(),
        description_chars=_model.DESCRIPTION_CHARS,
        species_only=_model.SPECIES_ONLY,
        name=name,
        info=meta,
    )


# -- the default model ---------------------------------------------------------------

DEFAULT_NAME = "default"
NONE = ("none", "off", "lexicon")  # model settings that mean: the lexicon alone
# The code the default model depends on (part of its cache key): its own modules and the
# matcher's, whose matches are its features (one list: the matcher's rules move between modules).
CODE_MODULES = (
    tuple(f"crawler.matching.{name}" for name in ("model", "train", "training_data"))
    + MATCHER_CODE_MODULES
)


def default_labels() -> Path:
    """The labelled listings the default model (and ``model train --db``) starts from:
    ``$WILDCRAWL_LABELS`` when set (e.g. the shipped file without a source whose licence
    does not suit you), else the shipped ``keywords/labelled/real_listings.jsonl``."""
    import os

    from crawler.paths import REPO

    value = os.environ.get("WILDCRAWL_LABELS", "").strip()
    return Path(value) if value else REPO / "keywords" / "labelled" / "real_listings.jsonl"


def default_model(matcher: Matcher, labels: Path | None = None) -> RelevanceModel:
    """The model trained on the shipped labelled listings, built once and cached.

    Not committed as a file: it is a pure function of the labelled data, the lexicon and
    this code, so it is kept in the start-up cache (``crawler.cache``) under a key of all
    three and scikit-learn's version, and rebuilt (about 20 s, no download) when any changes.
    """
    from crawler.cache import cached, code_version, key_of

    path = labels or default_labels()
    data = path.read_bytes()
    key = key_of(
        hashlib.sha256(data).hexdigest(),
        matcher.lexicon.digest,
        code_version(*CODE_MODULES, packages=("scikit-learn", "scipy")),
    )

    def build() -> tuple[dict, str]:
        records = [json.loads(line) for line in data.decode("utf-8").splitlines() if line]
        model = train(records, matcher, name=DEFAULT_NAME, risk_floor=DEFAULT_RISK_FLOOR)
        stored = model.to_json()
        return stored, digest_of(stored)  # kept with it: 0.03 CPU s of every crawl's JSON

    stored, digest = cached("relevance-model", str(path), key, build)
    return RelevanceModel.from_json(stored, digest)


def digest_of(data: dict) -> str:
    """The digest ``RelevanceModel.save`` gives the file of this model."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(raw).hexdigest()


def resolve_model(spec: str | None, matcher: Matcher) -> RelevanceModel | None:
    """A model setting: empty -> the default model; ``none`` -> no model; else a folder."""
    from crawler.matching.model import load_model

    if not spec:
        return default_model(matcher)
    if spec.strip().lower() in NONE:
        return None
    return load_model(spec)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Build the default relevance model (cached).")
    parser.add_argument("command", choices=["build"], nargs="?", default="build")
    parser.add_argument("--out", help="also save it into this folder")
    args = parser.parse_args(argv)
    matcher = Matcher.from_lexicon()
    model = default_model(matcher)
    print(f"{model.model_id}: {json.dumps(model.info, sort_keys=True)}")
    if args.out:
        data = model.to_json()
        model.save(args.out)
        assert model.digest == digest_of(data)
        print(f"saved to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
