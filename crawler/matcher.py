"""Find lexicon terms in listing text and score how likely it offers a wildlife product.

One Aho-Corasick pass per text over every term (all languages at once), on
normalised text (``crawler.textnorm``). Space-delimited scripts need word
boundaries (with simple plural suffixes); Chinese and Thai match as
substrings; German terms of five letters or more also match inside compounds.

Scoring, per listing (title and description together), is a short rule list so
that every score can be explained in one line:

- a product term bound to a taxon ("ivory", "犀角") is strong evidence;
- a species name alone is weak, strong with a body-part word ("tiger" + "claw")
  or, for live trade, a live-animal word ("baby", "hand-reared");
- a code word is weak alone, stronger next to a craft or part word;
- legality claims ("antique", "pre-ban") and authenticity claims ("Schreger
  lines") add a little;
- negative contexts cancel the terms they contain ("Tiger Balm", "mammoth
  ivory") or scale the score down (colour, toys/stamps, replicas; replica words
  are ignored next to authenticity claims, a known cover).
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from crawler.lexicon import Lexicon, Term, default_lexicon_path, load_lexicon
from crawler.textnorm import Folded, fold, fold_term, variants

DEFAULT_WEIGHT = {"product": 0.85, "species": 0.3, "code_word": 0.5}
NEGATIVE_FACTOR = {"colour": 0.2, "decoy": 0.25, "replica": 0.25, "negation": 0.1}
CANCELLING = ("cancel", "negation")
PLURAL_SUFFIXES = {
    "en": ("s", "es", "'s"),
    "fr": ("s", "x"),
    "es": ("s", "es"),
    "pt": ("s", "es"),
    "de": ("e", "en", "n", "s", "er", "es"),
    "la": (),
    "id": ("nya",),
    "ms": ("nya",),
}
MAX_TEXT = 100_000  # characters per field; longer text is cut
MAX_MATCHES = 300  # matches kept per field: enough to score, bounded work on huge texts


@dataclass(frozen=True)
class TermMatch:
    """One occurrence of a term; ``start``/``end`` index the original field text."""

    term_id: str
    term: str
    kind: str
    field: str
    start: int
    end: int
    matched_text: str
    taxon_id: str | None
    product: str | None
    lang: str
    role: str | None = None


@dataclass(frozen=True)
class MatchResult:
    """Everything found in one listing, the risk score and why."""

    matches: tuple[TermMatch, ...]
    taxa: tuple[str, ...]
    negatives: tuple[TermMatch, ...]
    legality: tuple[TermMatch, ...]
    risk: float
    flagged: bool
    explanation: str


@dataclass(frozen=True)
class _Compiled:
    term: Term
    key: str
    left: int  # 0: no check, 1: word boundary, 2: no digit (German compounds)
    right: int
    suffixes: tuple[str, ...]


def _is_word_char(ch: str) -> bool:
    """A letter or digit of a space-delimited script (not CJK, not Thai)."""
    return ch.isalnum() and ch < "\u2e80" and not "\u0e00" <= ch <= "\u0e7f"


def _compile(term: Term, key: str) -> _Compiled:
    left = int(_is_word_char(key[0]))
    right = int(_is_word_char(key[-1]))
    if term.lang == "de" and len(key) >= 5 and term.kind != "legality":
        left = right = 2  # German compounds: Elfenbeinschnitzerei, Mammutelfenbein
    return _Compiled(term, key, left, right, PLURAL_SUFFIXES.get(term.lang, ()))


def _plural_variants(key: str, lang: str) -> list[str]:
    if lang == "en" and len(key) > 3 and key[-1] == "y" and key[-2] not in "aeiou":
        return [key[:-1] + "ies"]
    return []


class Matcher:
    """A compiled lexicon; build once per crawl, call ``match`` per listing."""

    def __init__(self, lexicon: Lexicon, threshold: float = 0.5):
        self.lexicon = lexicon
        self.threshold = threshold
        self._groups = {t.id: t.taxon_group for t in lexicon.taxa}
        buckets: dict[str, list[_Compiled]] = {}
        for term in lexicon.terms:
            for text in (term.term, *term.variants):
                key = fold_term(text)
                for k in (key, *_plural_variants(key, term.lang)):
                    buckets.setdefault(k, []).append(_compile(term, k))
        self._automaton = ahocorasick.Automaton()
        for key, compiled in buckets.items():
            self._automaton.add_word(key, tuple(compiled))
        self._automaton.make_automaton()
        self.size = len(buckets)
        self._weights = {t.id: t.weight for t in lexicon.terms if t.weight is not None}

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon | None = None, threshold: float = 0.5) -> Matcher:
        """A matcher over ``lexicon`` (default: the repository's ``keywords/``)."""
        return cls(
            lexicon if lexicon is not None else load_lexicon(default_lexicon_path()), threshold
        )

    # -- finding terms ---------------------------------------------------------------

    def find(self, text: str | None, field: str = "title") -> list[TermMatch]:
        """Every term occurrence in ``text`` (normalised, de-obfuscated), in text order."""
        if not text:
            return []
        text = text[:MAX_TEXT]
        folded = fold(text)
        found: dict[tuple[str, int], TermMatch] = {}
        for form in (folded, *variants(folded)):
            self._scan(form, text, field, found)
        return sorted(found.values(), key=lambda m: (m.start, -m.end))[:MAX_MATCHES]

    def _scan(
        self, form: Folded, original: str, field: str, found: dict[tuple[str, int], TermMatch]
    ) -> None:
        s = form.text
        n = len(s)
        identity = form.origin is None
        is_word = _is_word_char
        for last, compiled in self._automaton.iter(s):
            for c in compiled:
                start = last - len(c.key) + 1
                end = last + 1
                if (
                    c.left
                    and start > 0
                    and (s[start - 1].isdigit() if c.left == 2 else is_word(s[start - 1]))
                ):
                    continue
                if c.right == 2 and end < n and s[end].isdigit():
                    continue
                if c.right == 1 and end < n and is_word(s[end]):
                    for suffix in c.suffixes:
                        e = end + len(suffix)
                        if s.startswith(suffix, end) and (e >= n or not is_word(s[e])):
                            end = e
                            break
                    else:
                        continue
                o_start, o_end = (start, end) if identity else form.span(start, end)
                key = (c.term.id, o_start)
                if key in found or len(found) >= 4 * MAX_MATCHES:
                    continue
                t = c.term
                found[key] = TermMatch(
                    term_id=t.id,
                    term=t.term,
                    kind=t.kind,
                    field=field,
                    start=o_start,
                    end=o_end,
                    matched_text=original[o_start:o_end],
                    taxon_id=t.taxon_id,
                    product=t.product,
                    lang=t.lang,
                    role=t.role,
                )

    # -- scoring ----------------------------------------------------------------------

    def match(self, title: str | None, description: str | None = None) -> MatchResult:
        """Terms, taxa, negative contexts, legality claims and risk of one listing."""
        matches = self.find(title, "title") + self.find(description, "description")
        return self.score(matches)

    def score(self, matches: list[TermMatch]) -> MatchResult:
        """Score a list of matches (see the module docstring for the rules)."""
        if not matches:
            return MatchResult((), (), (), (), 0.0, False, "risk 0.00: no lexicon terms found")
        cancels = [m for m in matches if m.role in CANCELLING]
        live = [
            m
            for m in matches
            if m.kind != "negative" and not (cancels and any(_inside(m, c) for c in cancels))
        ]
        authenticity = [m for m in live if m.role == "authenticity"]
        positives = [m for m in live if m.kind in ("product", "code_word") and m.taxon_id]
        shields = authenticity + positives
        negatives = cancels + [
            m
            for m in matches
            if m.kind == "negative"
            and m.role not in CANCELLING
            and not any(_inside(m, x) for x in shields)
        ]
        legality = [m for m in live if m.kind == "legality"]
        parts = [m for m in live if m.role == "part"]
        crafts = [m for m in live if m.role == "craft"]
        alive = [m for m in live if m.role == "live"]
        evidence: list[tuple[float, str, TermMatch]] = []
        scored: set[str] = set()
        for m in live:
            if m.taxon_id is None or m.kind not in DEFAULT_WEIGHT or m.term_id in scored:
                continue
            scored.add(m.term_id)  # first occurrence of each term is enough to score it
            weight = self._weight(m)
            why = f"{m.kind.replace('_', ' ')} '{m.matched_text}'"
            context = next((c for c in parts + crafts if not _overlaps(c, m)), None)
            if m.kind == "species":
                part = next((c for c in parts if not _overlaps(c, m)), None)
                if part:
                    weight, why = min(0.85, weight + 0.5), f"{why} + part '{part.matched_text}'"
                elif alive:
                    weight = min(0.85, weight + 0.45)
                    why = f"{why} + live animal '{alive[0].matched_text}'"
            elif m.kind == "product" and context:
                weight, why = min(0.95, weight + 0.1), f"{why} + '{context.matched_text}'"
            elif m.kind == "code_word" and context:
                weight, why = min(0.9, weight + 0.35), f"{why} + '{context.matched_text}'"
            group = self._groups.get(m.taxon_id or "", "")
            evidence.append((weight, f"{why} [{group}]" if group else why, m))
        taxa = tuple(dict.fromkeys(m.taxon_id for _, _, m in evidence if m.taxon_id))
        if not evidence:
            risk, why = 0.0, "no wildlife terms"
        else:
            risk, why, _ = max(evidence, key=lambda e: e[0])
            if legality and risk >= 0.3:
                risk, why = risk + 0.1, f"{why}; legality claim '{legality[0].matched_text}'"
            if authenticity and risk >= 0.3:
                risk = risk + 0.1
                why = f"{why}; authenticity claim '{authenticity[0].matched_text}'"
            risk = self._apply_negatives(risk, negatives, authenticity, parts + crafts)
            lowered = [m for m in negatives if m.role != "cancel"]
            factors = _factors(lowered, authenticity, parts + crafts)
            if factors:
                why += "; lowered by " + ", ".join(
                    f"{role} '{text}' (x{f})" for role, text, f in factors
                )
        risk = round(min(1.0, max(0.0, risk)), 3)
        cancelled = (
            [m for m in cancels if any(_inside(x, m) for x in matches if x is not m)]
            if cancels
            else []
        )
        if cancelled:
            why += "; ignored: " + ", ".join(f"'{m.matched_text}'" for m in cancelled[:3])
        flagged = risk > self.threshold
        explanation = f"risk {risk:.2f}{' FLAGGED' if flagged else ''}: {why}"
        return MatchResult(
            matches=tuple(matches),
            taxa=taxa,
            negatives=tuple(negatives),
            legality=tuple(legality),
            risk=risk,
            flagged=flagged,
            explanation=explanation,
        )

    def _weight(self, m: TermMatch) -> float:
        weight = self._weights.get(m.term_id)
        return DEFAULT_WEIGHT[m.kind] if weight is None else weight

    @staticmethod
    def _apply_negatives(
        risk: float,
        negatives: list[TermMatch],
        authenticity: list[TermMatch],
        context: list[TermMatch],
    ) -> float:
        for _, _, factor in _factors(negatives, authenticity, context):
            risk *= factor
        return risk


def _factors(
    negatives: list[TermMatch], authenticity: list[TermMatch], context: list[TermMatch]
) -> list[tuple[str, str, float]]:
    """One (role, text, factor) per role of negative context that applies."""
    out: dict[str, tuple[str, str, float]] = {}
    for m in negatives:
        role = m.role or "decoy"
        if role == "cancel" or role in out:
            continue
        if role in ("replica", "negation") and authenticity:
            continue  # "faux ivory ... Schreger lines visible": cover, not a replica
        if role == "colour" and context:
            continue  # "ivory bangle, cream colour": a crafted object, not a colour
        out[role] = (role, m.matched_text, NEGATIVE_FACTOR[role])
    return list(out.values())


def _inside(m: TermMatch, outer: TermMatch) -> bool:
    return m.field == outer.field and outer.start <= m.start and m.end <= outer.end


def _overlaps(a: TermMatch, b: TermMatch) -> bool:
    return a.field == b.field and a.start < b.end and b.start < a.end
