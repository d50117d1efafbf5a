"""Relevance: how likely a listing offers a real wildlife product, from a small linear model.

The lexicon (``crawler.matching.matcher``) says *what* a listing names and how risky that is;
it cannot tell a bat specimen from a "Batman" mug, or a shark-fin car antenna from shark fin.
A logistic regression over the listing's words and character n-grams plus the lexicon's own
match features (kinds, roles, taxon groups, negative contexts, risk) learns that from
labelled listings and from monitors' verdicts (``crawler.matching.train``).

Scoring needs no scikit-learn: a trained model is a table ``feature -> (idf, idf * coef)``
plus the lexicon features' coefficients, saved as JSON (``model.json`` in a model folder).
``RelevanceModel.score`` rebuilds the TF-IDF vector of one listing (l2-normalised, as
scikit-learn's ``TfidfVectorizer`` does) and takes its dot product with the coefficients,
summing each word's contribution on the way: those sums are the words named in the
explanation ("relevance 0.91 up: taxidermy, kerivoula; down: print").

Features (``features``, shared by training and scoring so they cannot drift apart):

- ``w:<word>``: each word (``\\w+`` on lower-cased text);
- ``c:<gram>``: character 2- to 5-grams inside each word padded with spaces (as
  ``char_wb``): spelling variants, inflections, and Chinese, which has no spaces;
- ``lex:*``: from the lexicon's ``MatchResult`` (``lexicon_features``), weighted so that
  they can carry what words cannot (a species never seen in training still has a taxon).

Text: the title and the first ``DESCRIPTION_CHARS`` characters of the description.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from crawler.matching.matcher import Matcher, MatchResult
from crawler.matching.negatives import denied

FORMAT = 1
MODEL_FILE = "model.json.gz"
DESCRIPTION_CHARS = 100  # what a model file without "description_chars" used: 300
WORD_CACHE = 200_000  # words whose score share is kept (then the table starts again)
MIN_GRAM, MAX_GRAM = 2, 5
_WORD = re.compile(r"\w+")
# Lexicon features: kinds and roles of matched terms, the taxon group of the best match.
LEX_KINDS = ("product", "species", "code_word", "legality", "negative")
LEX_ROLES = ("part", "craft", "live", "authenticity", "colour", "decoy", "replica", "negation")
# Lexicon features of a listing longer than this many words count sqrt(LEX_WORDS / words)
# of their weight (a "horn" in a long description says less than in a three-word title);
# 0: every listing's count fully (models without "lex_words").
LEX_WORDS = 0
# Listings whose lexicon evidence is species names alone (lexicon_features): 0, nothing
# apart; 1, the feature lex:species_only; 2, that and no taxon group. Kept in the model file
# as "species_only"; measured, not kept (docs/detection-log.md, model variants).
SPECIES_ONLY = 0
LEX_LABEL = {
    "lex:risk": "lexicon risk",
    "lex:none": "no lexicon term",
    "lex:cancel": "cancelled term",
    "lex:cancel:wild": "cancelled wild look-alike",
    "lex:species_only": "species name alone",
}


def words_of(
    title: str | None, description: str | None = None, chars: int = DESCRIPTION_CHARS
) -> list[str]:
    """The lower-cased words of a listing (title, then the first ``chars`` characters of its
    description: further on, descriptions are a shop's or a site's own wording)."""
    text = title or ""
    if description:
        text = f"{text} {description[:chars]}"
    return _WORD.findall(text.lower())


def grams_of(word: str) -> list[str]:
    """``w:`` feature and ``c:`` character n-grams of one word (padded with spaces)."""
    padded = f" {word} "
    n = len(padded)
    out = [f"w:{word}"]
    for size in range(MIN_GRAM, MAX_GRAM + 1):
        if size > n:
            break
        out += ["c:" + padded[i : i + size] for i in range(n - size + 1)]
    return out


def word_stats(
    word: str, weights: dict[str, tuple[float, float]], unknown: float = 0.0
) -> tuple[float, float]:
    """(sum of weights, sum of squared idf * count) over the known features of one word.

    A listing's vector is the sum of its words' tf-idf vectors divided by
    ``sqrt(sum of each word's squared norm)``: the l2 norm but for features that two
    words share, which makes a word's share of the score computable once per word
    (training uses the same norm: ``listing_norm``). A feature the model does not know
    counts in the norm with idf ``unknown``: a listing in words the training data never had
    gets little relevance from the few it has, instead of all of it.
    """
    counts: dict[str, int] = {}
    total = squares = 0.0
    for gram in grams_of(word):
        if gram in weights:
            counts[gram] = counts.get(gram, 0) + 1
        elif unknown:
            squares += unknown * unknown
    for gram, count in counts.items():
        idf, weight = weights[gram]
        total += count * weight
        squares += (count * idf) ** 2
    return total, squares


def listing_norm(
    words: list[str],
    weights: dict[str, tuple[float, float]],
    memo: dict | None = None,
    unknown: float = 0.0,
) -> float:
    """The norm a listing's text vector is divided by (see ``word_stats``)."""
    memo = {} if memo is None else memo
    squares = 0.0
    for w in words:
        if w not in memo:
            memo[w] = word_stats(w, weights, unknown)[1]
        squares += memo[w]
    return math.sqrt(squares) if squares else 1.0


def features(title: str | None, description: str | None = None) -> list[str]:
    """Every text feature of a listing (the analyzer given to ``TfidfVectorizer``)."""
    out: list[str] = []
    for word in words_of(title, description):
        out += grams_of(word)
    return out


# Kinds of term that, bound to no taxon in a listing that names none, give no lexicon feature.
# Adding "legality" (a claim such as 证书, "certificate", bound to no taxon) was measured and not
# kept (decoy23, docs/detection-log.md): with the round's lexicon LOSO 0.800 -> 0.798, unseen
# ordinary goods 0.78 % -> 0.84 %, half as verdicts 0.945 -> 0.944
# (evaluate_model --set 'model._CONTEXT_KINDS=["product","code_word","legality"]').
_CONTEXT_KINDS = ("product", "code_word")


def lexicon_features(
    result: MatchResult,
    groups: dict[str, str],
    context_alone: bool = True,
    wild: frozenset[str] | None = None,
    species_only: int = 0,
) -> dict[str, float]:
    """Dense features of the lexicon's verdict on a listing, each in [0, 1].

    ``context_alone=False`` (models of ``LEXICON_FEATURES`` 2): a context term (a part,
    craft or live word bound to no taxon: "skull", "皮", "牙") in a listing that names no
    taxon is what the lexicon itself calls "no wildlife terms": no lexicon feature at all
    (neither its kind and role nor ``lex:none``, which the lexicon's specimen words as
    label-1 pseudo-listings would teach as wildlife). Inside Chinese text a one-character
    part matches in any compound (蓝牙 Bluetooth, 匈牙利 Hungary, 转角 corner); as a feature
    learned on English specimens it gave every such listing of a source never trained on
    relevance 0.90. The words themselves still count as text features. (``_CONTEXT_KINDS``
    with "legality": a legality claim bound to no taxon the same; measured, not kept.)

    ``wild`` given (models of ``LEXICON_FEATURES`` 3: the ids of the lexicon's ``wild``
    negatives, ``Matcher.wild``): a term a cancel denies ("bat" in "baseball bat",
    "tiger" in "tiger shark") gives no feature, as it gives the lexicon no risk: its group
    taught the model the animal the cancel denies (a wooden baseball bat at relevance 0.93,
    flagged without a wildlife term). A cancel naming another wild species or its product
    is ``lex:cancel:wild``, apart from ``lex:cancel``: the two taught opposite labels.
    Which terms a cancel denies is the matcher's own rule (``negatives.denied``): those it
    holds, and a material term starting inside it ("croc belt" in "Black Mock Croc Belt");
    as in the matcher, no negative context (the replica "faux" in "faux fur" still counts).

    ``species_only`` (``SPECIES_ONLY``; measured, not kept: docs/detection-log.md) marks a
    listing whose lexicon evidence is species names alone, no product, part, craft, live or
    code word the matcher keeps ("American Alligator 16\"", a figurine): 1, the feature
    ``lex:species_only``; 2, that feature and no taxon group (the group learned on real
    skins and specimens gave figurines and puppets relevance 0.95-1.0).
    """
    out: dict[str, float] = {}
    matches = result.matches
    if not context_alone and not result.taxa and matches:
        matches = tuple(m for m in matches if m.taxon_id or m.kind not in _CONTEXT_KINDS)
        if not matches:
            return out
    if not matches:
        out["lex:none"] = 1.0
        return out
    out["lex:risk"] = result.risk
    negatives = {id(m) for m in result.negatives}
    cancels = [m for m in matches if m.role == "cancel"] if wild is not None else []
    for m in matches:
        kind = m.kind
        if kind == "negative" and id(m) not in negatives:
            continue  # a negative context shielded by a product term or authenticity claim
        role = m.role
        if cancels and kind != "negative" and any(denied(m, c, wild) for c in cancels):
            continue  # a term the cancel denies ("bat" in "baseball bat", "croc belt")
        out[f"lex:{kind}"] = 1.0
        if role == "cancel" and wild and m.term_id in wild:
            out["lex:cancel:wild"] = 1.0
        elif role:
            out[f"lex:{role}"] = 1.0
        if m.taxon_id:
            group = groups.get(m.taxon_id)
            if group:
                out[f"lex:group:{group}"] = 1.0
    if len(result.taxa) > 1:
        out["lex:taxa>1"] = 1.0
    if species_only and _species_only(result, wild or frozenset()):
        out["lex:species_only"] = 1.0
        if species_only >= 2:
            for name in [k for k in out if k.startswith("lex:group:")]:
                del out[name]
    return out


def _species_only(result: MatchResult, wild: frozenset[str]) -> bool:
    """Whether the lexicon named a taxon and nothing else: no product, part, craft, live or
    code word that a cancel does not deny (``negatives.denied``)."""
    if not result.taxa:
        return False
    cancels = [m for m in result.matches if m.role == "cancel"]
    for m in result.matches:
        if m.kind in ("product", "code_word") and not any(denied(m, c, wild) for c in cancels):
            return False
    return True


def lexicon_share(words: int, lex_words: int) -> float:
    """What a listing of ``words`` words gives its lexicon features (``LEX_WORDS``)."""
    return math.sqrt(lex_words / words) if lex_words and words > lex_words else 1.0


def _label(name: str) -> str:
    if name.startswith("lex:group:"):
        return f"lexicon {name[10:]}"
    if name.startswith("lex:"):
        return LEX_LABEL.get(name, f"lexicon {name[4:].replace('_', ' ')}")
    return name


@dataclass(frozen=True)
class Relevance:
    """One listing's relevance and the features that pushed it most."""

    relevance: float
    up: tuple[str, ...]
    down: tuple[str, ...]

    def text(self) -> str:
        out = f"relevance {self.relevance:.2f}"
        if self.up:
            out += " up: " + ", ".join(self.up)
        if self.down:
            out += ("; down: " if self.up else " down: ") + ", ".join(self.down)
        return out


@dataclass(frozen=True)
class ScoredListing:
    """The lexicon's ``MatchResult`` with the model's relevance; ``flagged`` is both."""

    result: MatchResult
    relevance: float
    flagged: bool
    explanation: str
    model: str

    @property
    def risk(self) -> float:
        return self.result.risk


# Relevance that flags a listing in which the lexicon finds no wildlife term at all.
STRONG_RELEVANCE = 0.9
# A listing the lexicon alone would flag (risk above RISKY) needs only RISKY_RELEVANCE.
RISKY, RISKY_RELEVANCE = 0.5, 0.05
# The risk ``flag_rule`` reads for a listing whose wild taxon the lexicon named and then
# lowered to 0 (a replica, a cast, a decoy, a negation): never flagged, whatever relevance.
CANCELLED = -1.0
CANCEL_STOPS_STRONG = True  # False: such a listing flags at STRONG_RELEVANCE (before)


def flag_risk(result: MatchResult) -> float:
    """The risk ``flag_rule`` reads: the lexicon's, or ``CANCELLED`` when the lexicon named a
    wild taxon and a decoy, replica or negation took its risk to 0. On real shop titles the
    model gave casts of skulls it had seen real ones of ("Hornbill Skull Cast Replica",
    "Badger Skull Replica") relevance 0.91-0.97, and the rule for listings the lexicon finds
    nothing in flagged them: the lexicon's reading is the more specific there."""
    if CANCEL_STOPS_STRONG and result.taxa and not result.risk > 0:
        return CANCELLED
    return result.risk


def flag_rule(relevance: float, risk: float, t_rel: float, t_risk: float) -> bool:
    """Relevant and risky: relevance and risk at their thresholds and the lexicon naming
    something (risk above 0); without any wildlife term only a near-certain relevance flags
    (an ostrich skull, a fox mount: products the lexicon does not name). On real listings a
    relevance of 0.6-0.7 with no wildlife term at all was an apartment or a fossil.

    A listing the lexicon finds risky on its own (risk >= ``RISKY``: a species of concern
    with a part, a code word) is flagged unless the model is near-sure it is not wildlife
    (relevance below ``RISKY_RELEVANCE``): on a source the model was not trained on,
    relevance is unsure exactly there (exotic leather left out of training: F1 0.18 at 0.3,
    0.60 at 0.05; docs/detection-log.md, model variants). A negative risk (``CANCELLED``: the
    lexicon named a wild taxon and lowered it to 0, ``flag_risk``) is never flagged."""
    if risk >= RISKY and relevance >= RISKY_RELEVANCE:
        return True
    if risk < 0:  # CANCELLED
        return False
    if relevance < t_rel or risk < t_risk:
        return False
    return risk > 0 or relevance >= STRONG_RELEVANCE


@dataclass
class RelevanceModel:
    """A trained relevance model: weights, thresholds, and where they came from."""

    weights: dict[str, tuple[float, float]]  # text feature -> (idf, idf * coef)
    lexicon: dict[str, float]  # lexicon feature -> coef (already multiplied by its scale)
    intercept: float
    relevance_threshold: float = 0.5
    risk_threshold: float = 0.0
    unknown_idf: float = 0.0  # idf of a text feature the model does not know (word_stats)
    description_chars: int = DESCRIPTION_CHARS  # of the description read (words_of)
    # 2: a context term alone is "no lexicon term"; 3: and terms a cancel denies give no
    # feature, a wild cancel is lex:cancel:wild (lexicon_features)
    lexicon_features: int = 1
    lex_words: int = 0  # lexicon features damped above this many words (lexicon_share)
    species_only: int = 0  # SPECIES_ONLY of the model's training (lexicon_features)
    name: str = "model"
    info: dict = field(default_factory=dict)
    digest: str = ""
    _stats: dict = field(default_factory=dict, repr=False, compare=False)

    # -- scoring ---------------------------------------------------------------------

    def _word_stats(self, word: str) -> tuple[float, float]:
        """(sum of idf * coef, squared norm) of one word's features, kept per word."""
        found = word_stats(word, self.weights, self.unknown_idf)
        if len(self._stats) >= WORD_CACHE:
            self._stats.clear()
        self._stats[word] = found
        return found

    def relevance(
        self,
        title: str | None,
        description: str | None,
        result: MatchResult,
        groups: dict,
        wild: frozenset[str] = frozenset(),
    ) -> Relevance:
        """Relevance of one listing, with the words and lexicon features that moved it."""
        stats = self._stats
        squares = 0.0
        per_word: dict[str, float] = {}
        words = words_of(title, description, self.description_chars)
        for word in words:
            found = stats.get(word)
            if found is None:
                found = self._word_stats(word)
            squares += found[1]
            if found[0]:
                per_word[word] = per_word.get(word, 0.0) + found[0]
        norm = math.sqrt(squares) if squares else 1.0
        scored = [(value / norm, word) for word, value in per_word.items()]
        total = sum(v for v, _ in scored)
        version = self.lexicon_features
        found = lexicon_features(
            result, groups, version < 2, wild if version >= 3 else None, self.species_only
        )
        share = lexicon_share(len(words), self.lex_words) if self.lex_words else 1.0
        for name, value in found.items():
            value *= share
            coef = self.lexicon.get(name)
            if coef:
                total += coef * value
                scored.append((coef * value, _label(name)))
        z = total + self.intercept
        relevance = 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0
        scored.sort()
        up = tuple(w for v, w in reversed(scored[-3:]) if v > 0.05)
        down = tuple(w for v, w in scored[:2] if v < -0.05)
        return Relevance(round(relevance, 3), up, down)

    def score(
        self, matcher: Matcher, title: str | None, description: str | None = None
    ) -> ScoredListing:
        """Lexicon match and relevance of one listing; flagged when relevant and risky."""
        result = matcher.match(title, description)
        return self.combine(matcher, title, description, result)

    def combine(
        self, matcher: Matcher, title: str | None, description: str | None, result: MatchResult
    ) -> ScoredListing:
        rel = self.relevance(title, description, result, matcher._groups, matcher.wild)
        flagged = self.flags(rel.relevance, flag_risk(result))
        lexicon_why = result.explanation.replace(" FLAGGED", "", 1)
        explanation = f"{rel.text()}; {lexicon_why}"
        if flagged:
            explanation = "FLAGGED " + explanation
        return ScoredListing(result, rel.relevance, flagged, explanation, self.model_id)

    def flags(self, relevance: float, risk: float) -> bool:
        """``flag_rule`` at this model's thresholds."""
        return flag_rule(relevance, risk, self.relevance_threshold, self.risk_threshold)

    @property
    def model_id(self) -> str:
        """What the ``model`` column records: the model's name and a digest of its file."""
        return f"{self.name}@{self.digest[:12]}" if self.digest else self.name

    # -- files -----------------------------------------------------------------------

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "name": self.name,
            "intercept": self.intercept,
            "relevance_threshold": self.relevance_threshold,
            "risk_threshold": self.risk_threshold,
            "unknown_idf": self.unknown_idf,
            "description_chars": self.description_chars,
            "lexicon_features": self.lexicon_features,
            "lexicon": self.lexicon,
            **({"lex_words": self.lex_words} if self.lex_words else {}),
            **({"species_only": self.species_only} if self.species_only else {}),
            "weights": {
                k: [round(a, 6), round(b, 6)] for k, (a, b) in sorted(self.weights.items())
            },
            "info": self.info,
        }

    def save(self, folder: str | Path) -> Path:
        """Write ``model.json.gz`` into ``folder`` (deterministic bytes: no timestamps)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True).encode()
        path = folder / MODEL_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(gzip.compress(data, mtime=0))
        os.replace(tmp, path)
        self.digest = hashlib.sha256(data).hexdigest()
        return path

    @classmethod
    def from_json(cls, data: dict, digest: str = "") -> RelevanceModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"model format {data.get('format')!r}, expected {FORMAT}")
        return cls(
            weights={k: (v[0], v[1]) for k, v in data["weights"].items()},
            lexicon=dict(data["lexicon"]),
            intercept=float(data["intercept"]),
            relevance_threshold=float(data["relevance_threshold"]),
            risk_threshold=float(data["risk_threshold"]),
            unknown_idf=float(data.get("unknown_idf", 0.0)),
            description_chars=int(data.get("description_chars", 300)),
            lexicon_features=int(data.get("lexicon_features", 1)),
            lex_words=int(data.get("lex_words", 0)),
            species_only=int(data.get("species_only", 0)),
            name=data.get("name") or "model",
            info=data.get("info") or {},
            digest=digest,
        )


def load_model(folder: str | Path) -> RelevanceModel:
    """The model saved in ``folder`` (``model.json.gz``); its digest names it."""
    from crawler.errors import ConfigError

    path = Path(folder) / MODEL_FILE
    try:
        data = gzip.decompress(path.read_bytes())
    except FileNotFoundError:
        raise ConfigError(
            f"no {MODEL_FILE} here: train one with `wildcrawl model train`", path=str(folder)
        ) from None
    except (OSError, EOFError) as exc:
        raise ConfigError(f"cannot read the model: {exc}", path=str(path)) from exc
    try:
        model = RelevanceModel.from_json(json.loads(data), hashlib.sha256(data).hexdigest())
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"not a wildcrawl model: {exc}", path=str(path)) from exc
    return model
