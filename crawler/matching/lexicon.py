"""The keyword lexicon: taxa, terms per language, seeds; loaded and validated.

Layout of a lexicon folder (see ``keywords/``)::

    lexicon.yaml      version and the sources that entries cite by key
    taxa.csv          CITES-listed animal taxa and the monitored plant groups
                      (built by ``wildcrawl taxa import``)
    terms/<lang>.yaml species names, product terms, code words, negatives, legality claims
    checklists/<lang>.yaml  names generated from published checklists
                      (``crawler.matching.checklists``)
    seeds.yaml        search keywords per language

Scientific names and synonyms in ``taxa.csv`` become ``la`` species terms, and
multi-word English, French and Spanish common names become species terms of
their language, all citing the CITES index (``crawler.matching.taxa``; the entries' types
are in ``crawler.matching.entries``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from crawler.cache import cached, code_version, files_digest, key_of
from crawler.errors import LexiconError
from crawler.matching.entries import Taxon, Term
from crawler.matching.taxa import read_taxa, taxon_terms
from crawler.paths import KEYWORDS_DIR

KINDS = ("species", "product", "code_word", "negative", "legality")
ROLES = {
    "species": {None, "adjacent", "article"},
    "product": {None, "part", "craft", "live"},
    "code_word": {None, "cover", "authenticity"},
    "negative": {
        "cancel",
        "negation",
        "colour",
        "decoy",
        "replica",
        "setting",
        "depiction",
        "motif",
    },
    "legality": {None},
}
LANGS = (
    "en", "zh-Hans", "zh-Hant", "vi", "th", "id", "ms", "fr", "es", "pt", "de",
    "ja", "ko", "ru", "pl", "ar", "tr", "hi", "it", "nl",
    "la",
)  # fmt: skip
TERM_FIELDS = {"term", "kind", "taxon", "product", "role", "weight", "variants", "source", "wild"}
CHECKLISTS = "checklists"  # the folder of names generated from checklists (matcher: named)
# The code a parsed lexicon depends on (part of its cache key).
CODE_MODULES = (
    "crawler.matching.lexicon",
    "crawler.matching.entries",
    "crawler.matching.taxa",
    "crawler.normalise.textnorm",
)
CODE_PACKAGES = ("opencc-python-reimplemented", "PyYAML")


@dataclass(frozen=True)
class Lexicon:
    """Everything the matcher and the search requests need."""

    version: str
    taxa: tuple[Taxon, ...]
    terms: tuple[Term, ...]
    seeds: dict[str, tuple[str, ...]]
    sources: dict[str, str] = field(default_factory=dict)
    # SHA-256 of the lexicon folder's files (``lexicon_digest``) when loaded from one; not
    # an argument, so a ``dataclasses.replace`` copy (other terms) has none and is never
    # taken for the cached matcher of the folder.
    digest: str = field(default="", compare=False, init=False)

    def taxon(self, taxon_id: str | None) -> Taxon | None:
        """The taxon with this id, or ``None``."""
        if taxon_id is None:
            return None
        return _taxon_index(self).get(taxon_id)


_INDEXES: dict[int, dict[str, Taxon]] = {}


def _taxon_index(lexicon: Lexicon) -> dict[str, Taxon]:
    key = id(lexicon.taxa)
    if key not in _INDEXES:
        _INDEXES[key] = {t.id: t for t in lexicon.taxa}
    return _INDEXES[key]


def default_lexicon_path() -> Path:
    """The repository's ``keywords/`` folder."""
    return KEYWORDS_DIR


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A YAML loader that records the 1-based line of every mapping as ``__line__``."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def _read_yaml(path: Path, problems: list[LexiconError]):
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(LexiconError(f"cannot read: {exc}", path=str(path)))
        return None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        problems.append(LexiconError(f"invalid YAML: {problem}", path=str(path), line=line))
        return None


def _read_terms(
    path: Path, taxa_ids: set[str], sources: dict[str, str], problems: list[LexiconError]
) -> list[Term]:
    data = _read_yaml(path, problems)
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        problems.append(
            LexiconError("expected a mapping with 'lang' and a 'terms' list", path=str(path))
        )
        return []
    lang = data.get("lang")
    if lang not in LANGS or lang != path.stem:
        problems.append(
            LexiconError(
                f"lang {lang!r} must be one of {', '.join(LANGS)} and match the file name",
                path=str(path),
                line=data["__line__"],
            )
        )
        return []
    default_source = data.get("source")
    terms: list[Term] = []
    for entry in data["terms"]:
        if not isinstance(entry, dict):
            problems.append(LexiconError("entry is not a mapping", path=str(path)))
            continue
        term = _read_entry(entry, lang, default_source, taxa_ids, sources, path, problems)
        if term:
            terms.append(term)
    return terms


def _read_entry(
    entry: dict,
    lang: str,
    default_source,
    taxa_ids: set[str],
    sources: dict[str, str],
    path: Path,
    problems: list[LexiconError],
) -> Term | None:
    from crawler.normalise.textnorm import fold_term  # OpenCC's tables: not for seeds

    line = entry.pop("__line__", None)

    def bad(message: str) -> None:
        problems.append(LexiconError(message, path=str(path), line=line))

    unknown = set(entry) - TERM_FIELDS
    text, kind, role = entry.get("term"), entry.get("kind"), entry.get("role")
    taxon, weight = entry.get("taxon"), entry.get("weight")
    source = entry.get("source") or default_source
    variants = entry.get("variants") or []
    if unknown:
        return bad(f"unknown field(s): {', '.join(sorted(unknown))}")
    if not isinstance(text, str) or not fold_term(text):
        return bad("missing or empty 'term'")
    if kind not in KINDS:
        return bad(f"{text!r}: kind {kind!r} must be one of {', '.join(KINDS)}")
    if role not in ROLES[kind]:
        allowed = ", ".join(sorted(r for r in ROLES[kind] if r)) or "none"
        return bad(f"{text!r}: role {role!r} not allowed for kind {kind} (allowed: {allowed})")
    if taxon is not None and taxon not in taxa_ids:
        return bad(f"{text!r}: taxon {taxon!r} is not in taxa.csv")
    if kind in ("species",) and taxon is None:
        return bad(f"{text!r}: a species term needs a 'taxon'")
    if weight is not None and not (isinstance(weight, int | float) and 0 <= weight <= 1):
        return bad(f"{text!r}: weight {weight!r} must be a number in [0, 1]")
    wild = entry.get("wild", False)
    if not isinstance(wild, bool) or (wild and kind != "negative"):
        return bad(f"{text!r}: 'wild' is true or false, and only on a negative")
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        return bad(f"{text!r}: 'variants' must be a list of strings")
    if not isinstance(source, str) or not source:
        return bad(f"{text!r}: no source (give 'source' on the entry or the file)")
    if " " not in source and source not in sources:
        return bad(f"{text!r}: source {source!r} is not a key of lexicon.yaml sources")
    return Term(
        id=f"{lang}:{kind}:{fold_term(text)}",
        term=text,
        lang=lang,
        kind=kind,
        taxon_id=taxon,
        product=entry.get("product"),
        source=source,
        role=role,
        weight=float(weight) if weight is not None else None,
        variants=tuple(variants),
        path=str(path),
        line=line,
        wild=wild,
    )


def read_seeds(lexicon_path=None) -> dict[str, tuple[str, ...]]:
    """The lexicon's seed keywords (``seeds.yaml``), read alone: the whole lexicon (~0.09 CPU s
    from the cache) is for the matcher, which a crawl builds after its first request
    (``crawler.crawl.warmup``). A seeds file with a problem is left to ``load_lexicon``, which
    names it."""
    root = Path(lexicon_path or default_lexicon_path())
    if root.is_dir():
        problems: list[LexiconError] = []
        seeds = _read_seeds(root / "seeds.yaml", problems)
        if not problems:
            return seeds
    return load_lexicon(root).seeds


def _read_seeds(path: Path, problems: list[LexiconError]) -> dict[str, tuple[str, ...]]:
    data = _read_yaml(path, problems) if path.exists() else {}
    seeds: dict[str, tuple[str, ...]] = {}
    if not isinstance(data, dict):
        problems.append(LexiconError("expected a mapping lang -> list of keywords", path=str(path)))
        return seeds
    line = data.pop("__line__", None)
    for lang, words in data.items():
        if (
            lang not in LANGS
            or not isinstance(words, list)
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            problems.append(
                LexiconError(
                    f"seeds for {lang!r}: need a known language and a list of non-empty strings",
                    path=str(path),
                    line=line,
                )
            )
            continue
        seeds[lang] = tuple(words)
    return seeds


def check_lexicon(
    path: str | Path | None = None, checklists: bool = True
) -> tuple[Lexicon | None, list[LexiconError]]:
    """Load the lexicon at ``path`` and return it with every problem found.

    ``checklists/<lang>.yaml`` (common names generated from published checklists by
    ``crawler.matching.checklists``) are read after ``terms/``; a curated term of the same id
    wins. ``checklists=False`` reads the curated lexicon alone (what the generator reads)."""
    from crawler.normalise.textnorm import fold_term  # OpenCC's tables: not for seeds

    root = Path(path) if path is not None else default_lexicon_path()
    problems: list[LexiconError] = []
    if not root.is_dir():
        return None, [LexiconError("lexicon folder not found", path=str(root))]
    meta = _read_yaml(root / "lexicon.yaml", problems) or {}
    sources = {k: v for k, v in (meta.get("sources") or {}).items() if k != "__line__"}
    version = str(meta.get("version") or "")
    if not version and not problems:
        problems.append(LexiconError("missing 'version'", path=str(root / "lexicon.yaml")))
    taxa = read_taxa(root / "taxa.csv", problems)
    taxa_ids = {t.id for t in taxa}
    curated: list[Term] = []
    term_files = sorted((root / "terms").glob("*.yaml"))
    if not term_files:
        problems.append(LexiconError("no terms/<lang>.yaml files", path=str(root / "terms")))
    ids: dict[str, Term] = {}
    for term_file in term_files:
        for term in _read_terms(term_file, taxa_ids, sources, problems):
            if term.id in ids:
                first = ids[term.id]
                problems.append(
                    LexiconError(
                        f"duplicate term {term.id!r} (first at line {first.line})",
                        path=term.path,
                        line=term.line,
                    )
                )
                continue
            ids[term.id] = term
            curated.append(term)
    if checklists:
        for term_file in sorted((root / CHECKLISTS).glob("*.yaml")):
            for term in _read_terms(term_file, taxa_ids, sources, problems):
                if term.id not in ids:
                    ids[term.id] = term
                    curated.append(term)
    seeds = _read_seeds(root / "seeds.yaml", problems)
    curated_keys = {fold_term(t.term) for t in curated if t.kind == "species"}
    terms = curated + taxon_terms(taxa, curated_keys)
    lexicon = Lexicon(
        version=version, taxa=tuple(taxa), terms=tuple(terms), seeds=seeds, sources=sources
    )
    return lexicon, problems


def shared_strings(terms) -> dict[tuple[str, str], list[Term]]:
    """Per (file, folded string), the entries of that file that hold the string as their term
    or a variant, where two or more do (dedupe25): "croc-pattern" and "croc pattern" are one
    key of the finder, so two entries holding it match it twice, and a string held by a
    negative and a product term is both. ``tests/test_lexicon.py`` lists the deliberate ones."""
    from crawler.normalise.textnorm import fold_term

    holders: dict[tuple[str, str], list[Term]] = {}
    for term in terms:
        if term.path is None:
            continue
        for key in dict.fromkeys(fold_term(text) for text in (term.term, *term.variants)):
            holders.setdefault((term.path, key), []).append(term)
    return {key: held for key, held in holders.items() if len(held) > 1}


_LOADED: dict[tuple, Lexicon] = {}


def _fingerprint(root: Path) -> tuple:
    """Path plus every file's size and mtime: a changed lexicon file is reloaded."""
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    return (str(root.resolve()),) + tuple(
        (str(p), st.st_size, st.st_mtime_ns) for p in files if (st := p.stat())
    )


_DIGESTS: dict[tuple, str] = {}  # fingerprint -> digest, the latest few folders'


def lexicon_digest(root: str | Path, fingerprint: tuple | None = None) -> str:
    """SHA-256 of every file of a lexicon folder (relative path and bytes, in path order).

    Stored in a database as ``wildcrawl_meta.lexicon_sha256`` and part of the cache keys.
    Computed once per process while the files' sizes and times stay the same, as the
    lexicon is loaded (``fingerprint``: the folder's ``_fingerprint``, when known): a
    crawl's store and its matcher both ask (~0.015 CPU s each).
    """
    root = Path(root)
    key = fingerprint if fingerprint is not None else _fingerprint(root)
    if key not in _DIGESTS:
        if len(_DIGESTS) >= 8:
            _DIGESTS.clear()
        _DIGESTS[key] = files_digest(root)
    return _DIGESTS[key]


def load_lexicon(path: str | Path = "keywords") -> Lexicon:
    """Load and validate a lexicon folder; raise ``LexiconError`` on the first problem.

    A crawl asks for the lexicon in several places (spider seeds, matcher, store); it is
    parsed once per process and reused while its files are unchanged. Across processes,
    the parsed lexicon is kept in the disk cache (``crawler.cache``) keyed by the folder's
    contents and this code: only a changed lexicon is parsed again.
    """
    root = Path(path)
    if not root.is_dir() and str(path) == "keywords":
        root = default_lexicon_path()
    key = _fingerprint(root)
    if key in _LOADED:
        return _LOADED[key]
    if not root.is_dir():
        raise LexiconError("lexicon folder not found", path=str(root))
    try:
        digest = lexicon_digest(root, key)
    except OSError:  # an unreadable file: check_lexicon names it
        digest = ""

    def build() -> Lexicon:
        lexicon, problems = check_lexicon(root)
        if problems:
            raise problems[0]
        assert lexicon is not None
        object.__setattr__(lexicon, "digest", digest)  # frozen: set once, here
        return lexicon

    if digest:
        version = key_of(digest, code_version(*CODE_MODULES, packages=CODE_PACKAGES))
        lexicon = cached("lexicon", str(root.resolve()), version, build)
    else:
        lexicon = build()
    _LOADED[key] = lexicon
    return lexicon
