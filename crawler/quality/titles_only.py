"""The relevance model on listings read by their title alone (``evaluate_model --titles-only``).

Many marketplace exports and search-result pages carry a title and nothing else. The model is
trained as always (title and description); every test listing is then scored a second time
with its description removed: the text features, the lexicon's match and so the risk the
flag rule reads all come from the title alone. Each fitted model scores both readings, so the
figures with descriptions are those of a run without ``--titles-only``, and the thresholds are
the same (chosen on the other folds' or sources' predictions with descriptions, as the
default model's are).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from crawler.matching import train as T
from crawler.matching.matcher import Matcher
from crawler.matching.model import flag_rule


def without_descriptions(records: Sequence[dict]) -> list[dict]:
    """Copies of ``records`` without their ``description``."""
    return [{k: v for k, v in r.items() if k != "description"} for r in records]


def titles_view(records: Sequence[dict], matcher: Matcher) -> T.Prepared:
    """``records`` prepared as their titles alone (for scoring only: no pseudo-listings);
    ``originals`` keeps the records as they were."""
    view = T.Prepared(without_descriptions(records), matcher, pseudo=False)
    view.originals = list(records)
    return view


def described(records: Sequence[dict]) -> list[int]:
    """Indices of the records that have a description (those the titles-only reading changes)."""
    return [i for i, r in enumerate(records) if r.get("description")]


def out_of_groups(
    prep: T.Prepared, groups: Sequence, views: Sequence[T.Prepared] = ()
) -> list[list[float]]:
    """Relevance of every record from a model trained on the other groups (a CV fold, a
    source), as read in ``prep`` and then in each of ``views`` (the same records read
    otherwise). With the folds of ``train.fold_of`` the first list is ``train.out_of_fold``'s,
    with the sources ``train.out_of_source``'s: the same models, fitted once."""
    n = len(prep.records)
    outs = [[0.0] * n for _ in range(1 + len(views))]
    for group in sorted(set(groups), key=str):
        test = [i for i, g in enumerate(groups) if g == group]
        train = [i for i, g in enumerate(groups) if g != group]
        fitted = T._fit(prep, train)
        for out, view in zip(outs, (prep, *views), strict=True):
            for i, p in zip(test, T._predict(fitted, view, test), strict=True):
                out[i] = float(p)
    return outs


def report(
    view: T.Prepared,
    cv_rel: Sequence[float],
    loso_rel: Sequence[float],
    loso_thresholds: dict[str, tuple[float, float]],
    figures: dict,
    ordinary: Sequence[str],
    lexicon_read: Sequence[str],
    out=sys.stdout,
) -> None:
    """Print and add to ``figures`` the titles-only CV and leave-one-source-out scores and
    the unseen ordinary goods flagged; ``cv_rel`` and ``loso_rel`` are relevances of
    ``view`` (``out_of_groups``), flagged with ``view``'s own risk."""
    from crawler.quality.evaluate_model import _fp_rate, _scores, _table

    labels, sources = view.labels, view.sources
    floor = T.DEFAULT_RISK_FLOOR
    cv = T.crossfit_flags(cv_rel, view.risk, labels, T.fold_of(labels), floor)
    loso = [
        flag_rule(p, r, *loso_thresholds[s])
        for p, r, s in zip(loso_rel, view.risk, sources, strict=True)
    ]
    lexicon = [r > 0.5 for r in view.risk]
    with_desc = sorted({sources[i] for i in described(getattr(view, "originals", ()))})
    print(
        _table(
            "\nTitles only: leave one source out, every test listing's description removed "
            "(the same models and thresholds; sources with descriptions: "
            f"{', '.join(with_desc) or 'none'}):",
            _scores(loso, labels, sources),
            _scores(lexicon, labels, sources),
        ),
        file=out,
    )
    unread = [i for i, s in enumerate(sources) if s not in lexicon_read]
    figures["titles_cv_f1"] = _scores(cv, labels)["overall"].f1
    figures["titles_loso_f1"] = _scores(loso, labels)["overall"].f1
    figures["titles_loso_f1_unread"] = _scores(
        [loso[i] for i in unread], [labels[i] for i in unread]
    )["overall"].f1
    fp, n = _fp_rate(loso, view, ordinary)
    figures["titles_fp_loso"] = fp / n if n else 0.0
    figures["titles_fp_loso_n"] = fp
    per = ", ".join(f"{s} {f}/{k}" for s in ordinary for f, k in [_fp_rate(loso, view, (s,))] if k)
    print(
        f"  (titles only: CV F1 {figures['titles_cv_f1']:.3f}; LOSO F1 "
        f"{figures['titles_loso_f1']:.3f}, {figures['titles_loso_f1_unread']:.3f} without "
        f"{', '.join(lexicon_read)}; ordinary goods flagged leaving their source out: {fp} of "
        f"{n} = {figures['titles_fp_loso']:.2%} ({per}))",
        file=out,
    )
