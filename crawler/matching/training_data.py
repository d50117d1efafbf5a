"""What a relevance model is trained on (``crawler.matching.train``): labelled records read
from JSON Lines, and which text features of them are kept (``shared_vocabulary``)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path


def damped(x, words: Sequence[Sequence[str]]):
    """Lexicon feature rows ``x``, each damped by its listing's length (``LEX_WORDS`` of
    ``crawler.matching.model``, read at call time); ``x`` itself when that is 0."""
    from scipy.sparse import diags

    from crawler.matching import model as M

    if not M.LEX_WORDS:
        return x
    return diags([M.lexicon_share(len(w), M.LEX_WORDS) for w in words]) @ x


def normalised(text, raw, words: Sequence[Sequence[str]], unknown: float):
    """Rows of ``raw`` (tf of the fitted vectoriser ``text``) divided by ``listing_norm`` (the
    norm scoring uses; a feature ``text`` does not know counts with idf ``unknown``)."""
    from scipy.sparse import diags

    from crawler.matching.model import listing_norm

    idf = {f: (float(text.idf_[j]), 0.0) for f, j in text.vocabulary_.items()}
    memo: dict = {}
    return diags([1.0 / listing_norm(w, idf, memo, unknown) for w in words]) @ raw


def label_of(record: dict) -> int | None:
    value = str(record.get("label", "")).strip().lower()
    if value in ("1", "true"):
        return 1
    if value in ("0", "false"):
        return 0
    return None


def read_records(path: str | Path) -> list[dict]:
    """Labelled records of a JSON Lines file: ``title``, optional ``description``, ``label``."""
    from crawler.errors import ConfigError

    out = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read labels: {exc.strerror or exc}", path=str(path)) from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise ConfigError("not a JSON line", path=str(path), line=number) from None
        if not isinstance(record, dict) or not (record.get("title") or record.get("text")):
            raise ConfigError("a record needs a 'title'", path=str(path), line=number)
        if label_of(record) is None:
            raise ConfigError("a record needs a 0/1 'label'", path=str(path), line=number)
        if record.get("title") is None:
            record["title"] = record["text"]
        out.append(record)
    return out


def shared_vocabulary(
    docs: Sequence[Sequence[str]],
    sources: Sequence[str],
    labels: Sequence[int | None] | None = None,
    *,
    min_df: int,
    min_sources: int,
    keep: Collection[str] = (),
    lexicon_min_sources: int | None = None,
    positive_sources: int = 1,
) -> list[str]:
    """The text features kept for training, sorted (the column order and the model file do
    not depend on set order).

    A feature must be in at least ``min_df`` listings, and in listings of ``min_sources``
    sources (``lexicon_min_sources`` if the lexicon's pseudo-listings, source ``lexicon``,
    hold it); with ``labels``, a feature of label-1 listings must be in label-1 listings of
    ``positive_sources`` sources. Neither rule asks more sources than the data has. A
    feature a listing of a source in ``keep`` (monitors' verdicts) holds is kept whatever
    its sources: n-grams that only one marketplace or study uses are what a model learns a
    source by, but a monitor's own marketplace is the one to learn."""
    df: dict[str, int] = {}
    seen: dict[str, set[str]] = {}
    positive: dict[str, set[str]] = {}
    labels = labels if labels is not None else [None] * len(docs)
    for doc, source, label in zip(docs, sources, labels, strict=True):
        for gram in set(doc):
            df[gram] = df.get(gram, 0) + 1
            seen.setdefault(gram, set()).add(source)
            if label == 1:
                positive.setdefault(gram, set()).add(source)
    n_sources = len(set(sources))
    need = min(min_sources, n_sources)
    lex_need = need if lexicon_min_sources is None else min(lexicon_min_sources, n_sources)
    wildlife = {s for s, y in zip(sources, labels, strict=True) if y == 1}
    need_pos = min(positive_sources, len(wildlife))

    def kept(gram: str) -> bool:
        where = seen[gram]
        if not where.isdisjoint(keep):
            return True
        if len(where) < (lex_need if "lexicon" in where else need):
            return False
        pos = positive.get(gram)
        return pos is None or len(pos) >= need_pos

    vocabulary = sorted(g for g, n in df.items() if n >= min_df and kept(g))
    return vocabulary or sorted(df)


def described(records: Sequence[dict]) -> list[int]:
    """Indices of the records that have a description (those a titles-only reading changes)."""
    return [i for i, r in enumerate(records) if r.get("description")]


def without_descriptions(records: Sequence[dict]) -> list[dict]:
    """Copies of ``records`` without their ``description`` (as search pages show listings)."""
    return [{k: v for k, v in r.items() if k != "description"} for r in records]


def term_records(terms: Iterable, wild_label: int | None) -> list[dict]:
    """The lexicon's own terms as short training listings (weak supervision).

    Taxon-bound product terms and code words ("rhino horn", "象牙", "Elfenbein") and
    specimen words ("taxidermy", "skull") are 1; negative contexts ("faux", "Tiger Balm",
    "shark fin antenna", "ivory colour") are 0, except those marked ``wild`` in the lexicon:
    "tiger shark", "leopard gecko", "mammoth ivory" cancel a species word but name another
    wild species or its product, a wildlife listing (label ``wild_label``,
    ``train.WILD_LABEL``). They teach the
    text model the lexicon's words in every language it covers, where the real labelled
    data has few or no positives; they are always in the training side of every split,
    never tested on.
    """
    out = []
    for term in terms:
        if term.kind in ("product", "code_word") and (term.taxon_id or term.role == "part"):
            label = 1
        elif term.kind == "negative":
            if term.role == "setting":
                continue  # the scenery of a taxidermy case: no example of either label
            label = wild_label if term.wild else 0
            if label is None:
                continue
        else:
            continue
        out.append({"title": term.term, "label": label, "source": "lexicon"})
    return out
