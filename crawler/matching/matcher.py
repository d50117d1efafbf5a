"""Find lexicon terms in listing text and score how likely it offers a wildlife product.

One Aho-Corasick pass per text over every term (all languages at once), on
normalised text (``crawler.normalise.textnorm``). Space-delimited scripts need word
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
  are ignored next to authenticity claims, a known cover); a negative's own
  ``weight`` replaces its role's factor ("toupee", "MNH", "Jellycat": 0, the
  listing is never a wildlife product), the lowest factor of each role applies.

Speed matters (a crawl scores every listing; ``bench/bench_matcher.py``): per-term
data is precomputed into the automaton's values, matches are collected as tuples and
become ``TermMatch`` objects once, sorted and cut, and scoring sorts matches into the
groups its rules read in one pass. ``tests/test_matcher_equivalence.py`` holds the
results fixed.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from crawler.cache import cached, code_version, key_of
from crawler.matching.lexicon import Lexicon, Term, default_lexicon_path, load_lexicon
from crawler.normalise.textnorm import fold, fold_term, variants

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
    # Inflected languages: endings after a term's last word, on folded text (diacritics
    # gone: Polish "ów" -> "ow", Turkish "ı" -> "i"). Other case forms are spelled out
    # as variants in terms/<lang>.yaml; Japanese, Korean and Hindi match as substrings
    # (kana, Hangul and Devanagari vowel signs are not word characters here).
    "ru": ("а", "у", "е", "ы", "и", "ом", "ой", "ов", "ей", "ам", "ами", "ах", "ю", "я"),
    "pl": ("a", "y", "i", "e", "u", "ow", "om", "em", "ami", "ach"),
    "tr": ("ler", "lar", "leri", "lari", "i", "u", "in", "un", "den", "dan", "li", "lu"),
    "it": (),
    "nl": ("en", "s", "'s", "n"),
    "ar": (),
}
# The code a compiled automaton depends on (part of its cache key).
CODE_MODULES = ("crawler.matching.matcher", "crawler.normalise.textnorm")
CODE_PACKAGES = ("opencc-python-reimplemented", "pyahocorasick")
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


# Per automaton key, the terms it stands for:
# (key length, left check, right check, plural suffixes, index of the term in lexicon.terms).
# left/right: 0 no check, 1 word boundary, 2 no digit (German compounds).
_Candidate = tuple[int, int, int, tuple[str, ...], int]
# A found occurrence before it becomes a TermMatch: (start, -end, order found, term index),
# so that plain tuple order is text order (start, longest first), ties in order found; one
# per (term id, start), the longest of the term's keys found there (a variant "os x mountain
# lion" of "os x": Aho-Corasick reports the shorter first, the longer replaces it).
_Row = tuple[int, int, int, int]
_MAX_FOUND = 4 * MAX_MATCHES  # occurrences collected per field before sorting and cutting


def _is_word_char(ch: str) -> bool:
    """A letter or digit of a space-delimited script (not CJK, not Thai)."""
    return ch.isalnum() and ch < "\u2e80" and not "\u0e00" <= ch <= "\u0e7f"


class _WordChars(dict):
    """``_is_word_char`` per character, computed on first sight (a lookup beats a call)."""

    def __missing__(self, ch: str) -> bool:
        self[ch] = value = _is_word_char(ch)
        return value


_WORD_CHAR = _WordChars()


def _candidate(term: Term, index: int, key: str) -> _Candidate:
    left = int(_is_word_char(key[0]))
    right = int(_is_word_char(key[-1]))
    if term.lang == "de" and len(key) >= 5 and term.kind != "legality":
        left = right = 2  # German compounds: Elfenbeinschnitzerei, Mammutelfenbein
    return len(key), left, right, PLURAL_SUFFIXES.get(term.lang, ()), index


def _template(term: Term) -> dict:
    """The ``TermMatch`` fields of ``term``; ``find`` fills in the occurrence's."""
    return {
        "term_id": term.id,
        "term": term.term,
        "kind": term.kind,
        "field": None,
        "start": 0,
        "end": 0,
        "matched_text": "",
        "taxon_id": term.taxon_id,
        "product": term.product,
        "lang": term.lang,
        "role": term.role,
    }


# Characters of folded listing text, most frequent first (counted in the titles and
# descriptions of keywords/labelled/real_listings.jsonl; seen 30 times or more), then the rest
# of printable ASCII. pyahocorasick finds a node's next character by a linear search of its
# children, in the order they were added, and a character that starts no term (the space,
# digits, punctuation, most Chinese characters) searched the root's ~500 children in full:
# ~145 ns a character, half of a title's scan. Keys are added in this order, so that every
# node's children are searched most frequent first, and these characters get a root child
# each through a key that cannot occur (folded text has no NUL). The matches found, and their
# order, are the same.
_FREQUENT = (
    " eaitonrslcdhumpbygfvw,k.01x2z53j46q)(:8!7\"#9×*'&+;装][%?=$@<>\\^`{|}~"
    "书包儿机¢童小版电大‚水宝具手品花卡新”用¬女玩子生正€家通男套游中款学▬车邮人°戏防“色加£物器毛式国★礼动全猫保衣金"
    "美木白工高仿饰带图长鞋可头面皮件服一单孩天料冬桌绒秋线真公外球体光型古婚画棉气片香双台架日发三口垫护年无店挂韩元纯鱼上„"
    "盘婴季士籍销厚笔原脑特暖安号本纸点能印法幼出耳音袋黑布超山室石海内专热胶背英茶代配意定爱文制自盒风油拉精力管板智时床合成"
    "形行墙老红主多柜字影艺创牛草表充节乐视】黄克马"
)
_RANK = {ch: rank for rank, ch in enumerate(_FREQUENT)}
_UNREACHABLE = "\x00"  # fold() turns control characters into spaces


def _insertion_order(key: str) -> list[int]:
    size = len(_FREQUENT)
    return [_RANK.get(ch, size + ord(ch)) for ch in key]


def _build_automaton(terms: tuple[Term, ...]) -> tuple[ahocorasick.Automaton, int]:
    """One automaton over every folded term and variant; its values are candidate tuples."""
    buckets: dict[str, list[_Candidate]] = {}
    for index, term in enumerate(terms):
        for text in (term.term, *term.variants):
            key = fold_term(text)
            for k in (key, *_plural_variants(key, term.lang)):
                buckets.setdefault(k, []).append(_candidate(term, index, k))
    words = [(key, tuple(candidates)) for key, candidates in buckets.items()]
    starts = {key[0] for key in buckets}
    words += [(ch + _UNREACHABLE, ()) for ch in _FREQUENT if ch not in starts]
    words.sort(key=lambda word: _insertion_order(word[0]))
    automaton = ahocorasick.Automaton()
    for key, candidates in words:
        automaton.add_word(key, candidates)
    automaton.make_automaton()
    return automaton, len(buckets)


def _plural_variants(key: str, lang: str) -> list[str]:
    if lang == "en" and len(key) > 3 and key[-1] == "y" and key[-2] not in "aeiou":
        return [key[:-1] + "ies"]
    return []


# Frozen dataclasses set each field through object.__setattr__ in __init__, the largest
# cost per match; setting the instance __dict__ at once gives an equal object.
_new_object = object.__new__
_set_attribute = object.__setattr__


def _result(fields: dict) -> MatchResult:
    result = _new_object(MatchResult)
    _set_attribute(result, "__dict__", fields)
    return result


_KIND_LABEL = {kind: kind.replace("_", " ") for kind in DEFAULT_WEIGHT}
# Risks take few distinct values (weights, bonuses, factors): round and format each once.
_ROUNDED: dict[float, tuple[float, str]] = {}


def _round_risk(risk: float) -> tuple[float, str]:
    rounded = round(risk, 3)
    if len(_ROUNDED) < 10_000:
        _ROUNDED[risk] = (rounded, f"risk {rounded:.2f}")
    return rounded, f"risk {rounded:.2f}"


_NOTHING = MatchResult((), (), (), (), 0.0, False, "risk 0.00: no lexicon terms found")


class Matcher:
    """A compiled lexicon; build once per crawl, call ``match`` per listing."""

    def __init__(self, lexicon: Lexicon, threshold: float = 0.5):
        self.lexicon = lexicon
        self.threshold = threshold
        self._groups = {t.id: t.taxon_group for t in lexicon.taxa}
        terms = lexicon.terms
        if lexicon.digest:
            # Compiling ~27,000 terms costs a crawl's start-up more than loading the result:
            # kept in the disk cache (crawler.cache) per lexicon content and matcher code.
            version = key_of(
                lexicon.digest, len(terms), code_version(*CODE_MODULES, packages=CODE_PACKAGES)
            )
            self._automaton, self.size = cached(
                "matcher", lexicon.digest, version, lambda: _build_automaton(terms)
            )
        else:
            self._automaton, self.size = _build_automaton(terms)
        self._terms = terms
        self._ids = tuple(t.id for t in terms)
        # TermMatch field templates, made on a term's first match (most terms never match).
        self._templates: dict[int, dict] = {}
        self._weights = {t.id: t.weight for t in terms if t.weight is not None}

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
        if len(text) > MAX_TEXT:
            text = text[:MAX_TEXT]
        folded = fold(text)
        found: dict[tuple[str, int], _Row] = {}
        scan = self._scan
        for form in (folded, *variants(folded)):
            scan(form.text, None if form.origin is None else form.span, found)
        if not found:
            return []
        rows = sorted(found.values()) if len(found) > 1 else found.values()
        if len(rows) > MAX_MATCHES:
            del rows[MAX_MATCHES:]
        matches = []
        append = matches.append
        templates = self._templates
        for start, end, _, index in rows:
            end = -end
            template = templates.get(index)
            if template is None:
                template = templates[index] = _template(self._terms[index])
            fields = template.copy()
            fields["field"] = field
            fields["start"] = start
            fields["end"] = end
            fields["matched_text"] = text[start:end]
            match = _new_object(TermMatch)
            _set_attribute(match, "__dict__", fields)
            append(match)
        return matches

    def _scan(self, s: str, span, found: dict[tuple[str, int], _Row]) -> None:
        """Add the occurrences in the form ``s`` (``span``: its offsets' map, None: identity)."""
        n = len(s)
        word = _WORD_CHAR
        ids = self._ids
        for last, candidates in self._automaton.iter(s):
            end0 = last + 1
            for length, left, right, suffixes, index in candidates:
                end = end0
                start = end - length
                if left and start > 0:
                    before = s[start - 1]
                    if before.isdigit() if left == 2 else word[before]:
                        continue
                if right and end < n:
                    after = s[end]
                    if right == 2:
                        if after.isdigit():
                            continue
                    elif word[after]:
                        for suffix in suffixes:
                            e = end + len(suffix)
                            if s.startswith(suffix, end) and (e >= n or not word[s[e]]):
                                end = e
                                break
                        else:
                            continue
                if span is not None:
                    start, end = span(start, end)
                key = (ids[index], start)
                if key not in found:
                    count = len(found)
                    if count < _MAX_FOUND:
                        found[key] = (start, -end, count, index)
                elif -end < found[key][1]:  # a longer key of the same term: it ends later
                    found[key] = (start, -end, found[key][2], index)

    # -- scoring ----------------------------------------------------------------------

    def match(self, title: str | None, description: str | None = None) -> MatchResult:
        """Terms, taxa, negative contexts, legality claims and risk of one listing."""
        matches = self.find(title, "title")
        if description:
            matches += self.find(description, "description")
        return self.score(matches)

    def score(self, matches: list[TermMatch]) -> MatchResult:
        """Score a list of matches (see the module docstring for the rules)."""
        if not matches:
            return _NOTHING
        # One pass sorts every match into the groups the rules read, in text order.
        cancels = [m for m in matches if m.role in CANCELLING]
        maybe_negative: list[TermMatch] = []
        authenticity: list[TermMatch] = []
        shields: list[TermMatch] = []  # authenticity claims and taxon-bound products/code words
        legality: list[TermMatch] = []
        parts: list[TermMatch] = []
        crafts: list[TermMatch] = []
        alive: list[TermMatch] = []
        scorable: list[TermMatch] = []
        for m in matches:
            kind, role = m.kind, m.role
            if kind == "negative":
                if role not in CANCELLING:
                    maybe_negative.append(m)
                continue
            if cancels and any(_inside(m, c) for c in cancels):
                continue
            if role is not None:
                if role == "authenticity":
                    authenticity.append(m)
                    shields.append(m)
                elif role == "part":
                    parts.append(m)
                elif role == "craft":
                    crafts.append(m)
                elif role == "live":
                    alive.append(m)
            if kind == "legality":
                legality.append(m)
            elif m.taxon_id is not None:
                if m.taxon_id and (kind == "product" or kind == "code_word"):
                    shields.append(m)
                if kind in DEFAULT_WEIGHT:
                    scorable.append(m)
        if maybe_negative:
            negatives = cancels + [
                m for m in maybe_negative if not (shields and any(_inside(m, x) for x in shields))
            ]
        else:
            negatives = cancels
        context = parts + crafts if crafts else parts
        best: tuple[float, TermMatch, str] | None = None
        taxa: dict[str, None] = {}
        scored: set[str] = set()
        weights = self._weights
        for m in scorable:
            term_id = m.term_id
            if term_id in scored:
                continue
            scored.add(term_id)  # first occurrence of each term is enough to score it
            weight = weights.get(term_id)
            if weight is None:
                weight = DEFAULT_WEIGHT[m.kind]
            extra = ""
            if context or alive:
                field, start, end = m.field, m.start, m.end
                if m.kind == "species":
                    part = None
                    for c in parts:
                        if not (c.field == field and c.start < end and start < c.end):
                            part = c
                            break
                    if part:
                        weight, extra = min(0.85, weight + 0.5), f" + part '{part.matched_text}'"
                    elif alive:
                        weight = min(0.85, weight + 0.45)
                        extra = f" + live animal '{alive[0].matched_text}'"
                else:
                    for c in context:
                        if not (c.field == field and c.start < end and start < c.end):
                            bonus, cap = (0.1, 0.95) if m.kind == "product" else (0.35, 0.9)
                            weight, extra = min(cap, weight + bonus), f" + '{c.matched_text}'"
                            break
            taxa[m.taxon_id] = None
            if best is None or weight > best[0]:  # the first of equal weights wins
                best = (weight, m, extra)
        if best is None:
            risk, why = 0.0, "no wildlife terms"
        else:
            risk, m, extra = best
            why = f"{_KIND_LABEL.get(m.kind) or m.kind.replace('_', ' ')} '{m.matched_text}'{extra}"
            group = self._groups.get(m.taxon_id or "", "")
            if group:
                why = f"{why} [{group}]"
            if legality and risk >= 0.3:
                risk, why = risk + 0.1, f"{why}; legality claim '{legality[0].matched_text}'"
            if authenticity and risk >= 0.3:
                risk = risk + 0.1
                why = f"{why}; authenticity claim '{authenticity[0].matched_text}'"
            if negatives:
                factors = _factors(negatives, authenticity, context, weights)
                for _, _, factor in factors:
                    risk *= factor
                if factors:
                    why += "; lowered by " + ", ".join(
                        f"{role} '{text}' (x{factor:g})" for role, text, factor in factors
                    )
        if risk > 1.0:
            risk = 1.0
        elif not risk > 0.0:  # as max(0.0, risk): also turns -0.0 into 0.0
            risk = 0.0
        rounded = _ROUNDED.get(risk)
        if rounded is None:
            rounded = _round_risk(risk)
        risk, shown = rounded
        if cancels:
            cancelled = [m for m in cancels if any(_inside(x, m) for x in matches if x is not m)]
            if cancelled:
                why += "; ignored: " + ", ".join(f"'{m.matched_text}'" for m in cancelled[:3])
        flagged = risk > self.threshold
        return _result(
            {
                "matches": tuple(matches),
                "taxa": tuple(taxa),
                "negatives": tuple(negatives),
                "legality": tuple(legality),
                "risk": risk,
                "flagged": flagged,
                "explanation": f"{shown} FLAGGED: {why}" if flagged else f"{shown}: {why}",
            }
        )


def _factors(
    negatives: list[TermMatch],
    authenticity: list[TermMatch],
    context: list[TermMatch],
    weights: dict[str, float],
) -> list[tuple[str, str, float]]:
    """One (role, text, factor) per role of negative context that applies: the role's
    factor, or a term's own ``weight`` ("toupee", "MNH": 0, the listing is never a wildlife
    product); per role the lowest factor found, the first of equal ones."""
    out: dict[str, tuple[str, str, float]] = {}
    for m in negatives:
        role = m.role or "decoy"
        if role == "cancel":
            continue
        if role in ("replica", "negation") and authenticity:
            continue  # "faux ivory ... Schreger lines visible": cover, not a replica
        if role == "colour" and context:
            continue  # "ivory bangle, cream colour": a crafted object, not a colour
        factor = weights.get(m.term_id)
        if factor is None:
            factor = NEGATIVE_FACTOR[role]
        if role not in out or factor < out[role][2]:
            out[role] = (role, m.matched_text, factor)
    return list(out.values())


def _inside(m: TermMatch, outer: TermMatch) -> bool:
    return m.field == outer.field and outer.start <= m.start and m.end <= outer.end
