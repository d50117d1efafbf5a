"""Find lexicon terms in listing text and score how likely it offers a wildlife product.

Finding is ``crawler.matching.finder``'s (one Aho-Corasick pass over normalised text; word
boundaries for space-delimited scripts, substrings for Chinese and Thai, German compounds).

Scoring, per listing (title and description together), is a short rule list so
that every score can be explained in one line:

- a product term bound to a taxon ("ivory", "犀角") is strong evidence;
- a species name alone is weak, strong with a body-part word ("tiger" + "claw")
  or, for live trade, a live-animal word ("baby", "hand-reared"); a genus of the specimen
  trade written as a binomial ("Papilio ulysses": ``finder.GENUS``) weighs as a species'
  scientific name;
- a code word is weak alone, stronger next to a craft or part word;
- legality claims ("antique", "pre-ban") and authenticity claims ("Schreger
  lines") add a little;
- negative contexts cancel the terms they contain ("Tiger Balm", "mammoth
  ivory") and the material terms whose first words they hold ("Mock Croc" of
  "Croc Belt"; not a wild look-alike's: "tiger shark tooth") or scale the
  score down (colour, toys/stamps, replicas; replica words are ignored next
  to authenticity claims, a known cover); a negative's own
  ``weight`` replaces its role's factor ("toupee", "MNH", "Jellycat": 0, the
  listing is never a wildlife product), the lowest factor of each role applies;
- a ``setting`` (the scenery of a taxidermy case: "faux rocks", "artificial grass", "resin
  water") is no negative itself and shields the negatives inside it, as an authenticity claim
  does: the animal is real, the scenery is not; so does an object's name (role ``craft``)
  holding a decoy's word ("coin purse", not a coin);
- a checklist name of role ``adjacent`` ("jay", "robin": ordinary words too) counts only
  right beside a part word ("Taxidermy Jay", "jay skull"; ``names.lifted_names``).

Where the rules live: this module holds ``Matcher`` (building it, ``find``, ``match`` and
``score``, the weights and what raises them); ``negatives`` what cancels deny, which
negatives the shields leave and their factors; ``results`` ``MatchResult`` and the pieces
of its explanation; ``names``, ``articles`` and ``skins`` what a name, a skin or a stone word
names in its context; ``specimens`` what taxidermy, depiction and specimen dealers' words say
(taxid33); ``words`` and ``skin_words`` every word list and weight they read.

Speed matters (a crawl scores every listing; ``bench/bench_matcher.py``): scoring sorts
matches into the groups its rules read in one pass. ``tests/test_matcher_equivalence.py`` holds the
results fixed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from crawler.cache import cached, code_version, key_of
from crawler.matching.articles import article_animals, skin_articles
from crawler.matching.colours import colour_goods, colour_terms
from crawler.matching.finder import GENUS, Finder, TermMatch
from crawler.matching.finder import build_automaton as _build_automaton
from crawler.matching.lexicon import CHECKLISTS, Lexicon, default_lexicon_path, load_lexicon
from crawler.matching.names import (
    LOOKALIKE_GROUPS,
    NO_ANIMAL,
    inert_live,
    lifted_names,
    other_animal,
)
from crawler.matching.negatives import counted, denied, ignored, lowered
from crawler.matching.results import (
    KIND_LABEL,
    NOTHING,
    RAISED,
    ROUNDED,
    MatchResult,
    make_result,
    round_risk,
)
from crawler.matching.skins import (
    material_skins,
    pattern_fields,
    pattern_skins,
    pattern_terms,
    stone_shapes,
)
from crawler.matching.specimens import (
    BARE_RISK,
    bare_taxidermy,
    depicted_parts,
    notation_parts,
    supply_title,
)
from crawler.matching.words import (
    BINOMIAL_WEIGHT,
    BRED_WORDS,
    CANCELLING,
    DEFAULT_WEIGHT,
    DISPLAY,
    DISPLAYED,
    FURS,
    WEAK_LIVE,
)

# The code a compiled automaton depends on (part of its cache key, and of the default
# model's: ``train.CODE_MODULES``).
CODE_MODULES = (
    "crawler.matching.matcher",
    "crawler.matching.finder",
    "crawler.matching.words",
    "crawler.matching.names",
    "crawler.matching.articles",
    "crawler.matching.skins",
    "crawler.matching.skin_words",
    "crawler.matching.colours",
    "crawler.matching.negatives",
    "crawler.matching.results",
    "crawler.matching.specimens",
    "crawler.normalise.textnorm",
)
CODE_PACKAGES = ("opencc-python-reimplemented", "pyahocorasick")


class Matcher(Finder):
    """A compiled lexicon; build once per crawl, call ``match`` per listing."""

    def __init__(self, lexicon: Lexicon, threshold: float = 0.5):
        self.lexicon = lexicon
        self.threshold = threshold
        self._groups = {t.id: t.taxon_group for t in lexicon.taxa}
        # Ids of the negatives naming another wild species ("tiger shark"; model features).
        self.wild = frozenset(t.id for t in lexicon.terms if t.wild)
        # Ids of the names generated from checklists (keywords/checklists/, names.lifted_names).
        folders: dict[str | None, bool] = {None: False}  # per file (~25), not per term
        for t in lexicon.terms:
            if t.path not in folders:
                folders[t.path] = Path(t.path).parent.name == CHECKLISTS
        self.named = frozenset(t.id for t in lexicon.terms if folders[t.path])
        terms = lexicon.terms
        if lexicon.digest:
            # Compiling ~27,000 terms costs a crawl's start-up more than loading the result:
            # kept in the disk cache (crawler.cache) per lexicon content and matcher code.
            version = key_of(
                lexicon.digest, len(terms), code_version(*CODE_MODULES, packages=CODE_PACKAGES)
            )
            # One file per lexicon and code version: checkouts of different versions sharing
            # the cache folder keep theirs instead of compiling it again after one another.
            self._automaton, self.size = cached(
                "matcher",
                f"{lexicon.digest} {version[:16]}",
                version,
                lambda: _build_automaton(terms),
            )
        else:
            self._automaton, self.size = _build_automaton(terms)
        self._terms = terms
        self._ids = tuple(t.id for t in terms)
        # TermMatch field templates, made on a term's first match (most terms never match).
        self._templates: dict[int, dict] = {}
        self._weights = {t.id: t.weight for t in terms if t.weight is not None}
        # Ids of the live words saying an animal is alive or bred (``BRED_WORDS``, ``match``).
        self._bred = frozenset(
            t.id for t in terms if t.role == "live" and t.term.lower() in BRED_WORDS
        )
        # Ids of the live words that are everyday words too (``WEAK_LIVE``, ``names.inert_live``).
        self._weak = frozenset(
            t.id for t in terms if t.role == "live" and t.term.lower() in WEAK_LIVE
        )
        # Ids of the big cats', elephants' and rhinos' names (``LOOKALIKE_GROUPS``, ``find``).
        self._heads = frozenset(
            t.id
            for t in terms
            if t.kind == "species" and self._groups.get(t.taxon_id or "") in LOOKALIKE_GROUPS
        )
        # Animals of the skin and fur trades: with an article, that product (``skin_articles``).
        self._animals = article_animals(terms)
        # (known29) The generic snakeskin terms that name a pattern, the products a style word
        # may follow, and the cancels and decoy the rules give (``skins.pattern_terms``).
        self._patterns, self._styled, self._cancel, self._style, self._stone = pattern_terms(terms)
        self._skins = self._patterns | self._styled
        # (leather29) Skins named by their trade name: an article's material (``FURS``).
        self._materials = material_skins(terms, DEFAULT_WEIGHT["product"])
        self._looked = self._heads | frozenset(self._animals)
        # (colour31) Ivory, tortoiseshell and coral as an article's colourway (``colours``).
        self._colours, self._colour_cancel = colour_terms(terms)

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon | None = None, threshold: float = 0.5) -> Matcher:
        """A matcher over ``lexicon`` (default: the repository's ``keywords/``)."""
        return cls(
            lexicon if lexicon is not None else load_lexicon(default_lexicon_path()), threshold
        )

    # -- scoring ----------------------------------------------------------------------

    def find(self, text: str | None, field: str = "title") -> list[TermMatch]:
        """``Finder.find``; a big cat's, elephant's or rhino's name that is part of another
        animal's name ("tiger snake", "Leopardgecko", "requin tigre": ``other_animal``)
        stands for that animal's taxon, or is dropped when the lexicon has none (a prawn)."""
        matches = Finder.find(self, text, field)
        if matches and self._cancel is not None and (":" in text or "：" in text):
            # (specifics29) the animal of a "Pattern:" or "Theme:" field: the pattern cancel
            matches = pattern_fields(text, matches, self._cancel)
        skins = self._skins
        for m in matches:
            if m.term_id in skins:
                matches = pattern_skins(
                    text, matches, self._patterns, self._cancel, self._styled, self._style
                )
                break
        looked = self._looked
        for m in matches:
            if m.term_id in looked:
                break
        else:
            return matches
        if self._animals:
            matches = skin_articles(text, matches, self._animals)
        heads = self._heads
        if not any(m.term_id in heads for m in matches):
            return matches
        out = []
        for m in matches:
            if m.term_id in heads:
                taxon = other_animal(text, m)
                if taxon != NO_ANIMAL:
                    if taxon is None:
                        continue
                    m = replace(m, taxon_id=taxon)
            out.append(m)
        return out

    def match(self, title: str | None, description: str | None = None) -> MatchResult:
        """Terms, taxa, negative contexts, legality claims and risk of one listing."""
        matches = self.find(title, "title")
        if description:
            matches += self.find(description, "description")
        if not matches:
            return NOTHING  # half the titles: no call
        # (taxid33) a dealer's grade or size beside a Latin genus; a depiction's parts
        matches = notation_parts(title, "title", matches, self._groups)
        if description:
            matches = depicted_parts(
                title, notation_parts(description, "description", matches, self._groups)
            )
        supply = supply_title(title, matches)
        if self._stone is not None:
            matches = stone_shapes(title, description, matches, self._stone)
        if self._colour_cancel is not None:
            matches = colour_goods(title, description, matches, self._colours, self._colour_cancel)
        weak = self._weak
        bare = supply is False
        for m in matches:
            if m.term_id in weak:
                return self.score(matches, inert_live(title, description, matches, weak), bare)
        return self.score(matches, bare=bare)

    def score(
        self, matches: list[TermMatch], inert: frozenset[int] = frozenset(), bare: bool = False
    ) -> MatchResult:
        """Score a list of matches (see the module docstring for the rules); ``inert``: the
        ``id`` of live words that raise nothing (``names.inert_live``); ``bare``: a taxidermy
        word with no taxon is a risk (``specimens.bare_taxidermy``; the title names no supply)."""
        if not matches:
            return NOTHING
        # One pass sorts every match into the groups the rules read, in text order.
        cancels: list[TermMatch] = []
        for m in matches:  # not a list comprehension: a frame of its own, for ~3 matches
            if m.role in CANCELLING:
                cancels.append(m)
        wild = self.wild
        maybe_negative: list[TermMatch] = []
        settings: list[TermMatch] = []
        authenticity: list[TermMatch] = []
        legality: list[TermMatch] = []
        parts: list[TermMatch] = []
        crafts: list[TermMatch] = []
        alive: list[TermMatch] = []
        scorable: list[TermMatch] = []
        for m in matches:
            kind, role = m.kind, m.role
            if kind == "negative":
                if role == "setting":
                    settings.append(m)
                elif role not in CANCELLING:
                    maybe_negative.append(m)
                continue
            if cancels and any(denied(m, c, wild) for c in cancels):
                continue
            if role is not None:
                if role == "authenticity":
                    authenticity.append(m)
                elif role == "part":
                    parts.append(m)
                elif role == "craft":
                    crafts.append(m)
                elif role == "live":
                    if not inert or id(m) not in inert:
                        alive.append(m)
            if kind == "legality":
                legality.append(m)
            elif m.taxon_id is not None and kind in DEFAULT_WEIGHT:
                scorable.append(m)
        if not maybe_negative:
            negatives = cancels
        else:
            negatives = counted(
                cancels, maybe_negative, settings, authenticity, crafts, parts, scorable,
                self._groups,
            )  # fmt: skip
        if scorable and self.named:
            scorable, matches = lifted_names(scorable, parts, matches, self.named)
            if not matches:
                return NOTHING
        if not scorable and bare and (word := bare_taxidermy(parts, negatives)):
            # (taxid33) "Taxidermy – Robin & Wren in wall dome", "古い仮剥製": no taxon named
            shown = f"risk {BARE_RISK:.2f}"
            why = f"taxidermy word '{word.matched_text}' (no taxon named)"
            return self._scored(matches, (), negatives, legality, BARE_RISK, shown, why)
        if not scorable:  # risk 0, and none of the rules below applies (most listings scored)
            why = (
                "no wildlife terms" + ignored(cancels, matches, wild)
                if cancels
                else "no wildlife terms"
            )
            if 0.0 > self.threshold:
                return self._scored(matches, (), negatives, legality, 0.0, "risk 0.00", why)
            return make_result(
                {
                    "matches": tuple(matches),
                    "taxa": (),
                    "negatives": tuple(negatives),
                    "legality": tuple(legality),
                    "risk": 0.0,
                    "flagged": False,
                    "explanation": "risk 0.00: " + why,
                }
            )
        context = parts + crafts if crafts else parts
        # The best so far: (weight, match, what raised it: a RAISED pattern or "", its text);
        # the explanation's part for it is made once, for the best.
        best: tuple[float, TermMatch, str, str] | None = None
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
            if m.product == GENUS and " " in m.matched_text and weight < BINOMIAL_WEIGHT:
                weight = BINOMIAL_WEIGHT
            raised = by = ""
            if context or alive:
                field, start, end = m.field, m.start, m.end
                # (specimen27) display words lift insects, arachnids and shells only
                shut = DISPLAY if self._groups.get(m.taxon_id) not in DISPLAYED else None
                if m.kind == "species":
                    part = None
                    for c in parts:
                        if c.product != shut and not (
                            c.field == field and c.start < end and start < c.end
                        ):
                            part = c
                            break
                    if part:
                        weight, raised, by = min(0.85, weight + 0.5), "part", part.matched_text
                    elif alive:
                        weight = min(0.85, weight + 0.45)
                        raised, by = "live", alive[0].matched_text
                else:
                    for c in context:
                        if c.product != shut and not (
                            c.field == field and c.start < end and start < c.end
                        ):
                            if c.role == "part" and c.taxon_id and c.taxon_id == m.taxon_id:
                                continue  # (leather29) the same skin named again: "exotic leather"
                            bonus, cap = (0.1, 0.95) if m.kind == "product" else (0.35, 0.9)
                            weight, raised, by = min(cap, weight + bonus), "context", c.matched_text
                            break
            taxa[m.taxon_id] = None
            if best is None or weight > best[0]:  # the first of equal weights wins
                best = (weight, m, raised, by)
        if best is None:
            risk, why = 0.0, "no wildlife terms"
        else:
            risk, m, raised, by = best
            extra = RAISED[raised].format(by) if raised else ""
            why = f"{KIND_LABEL.get(m.kind) or m.kind.replace('_', ' ')} '{m.matched_text}'{extra}"
            group = self._groups.get(m.taxon_id or "", "")
            if group:
                why = f"{why} [{group}]"
            if legality and risk >= 0.3:
                risk, why = risk + 0.1, f"{why}; legality claim '{legality[0].matched_text}'"
            if authenticity and risk >= 0.3:
                risk = risk + 0.1
                why = f"{why}; authenticity claim '{authenticity[0].matched_text}'"
            if negatives:
                # (known25) a fur product ("mink trimmed coat, black") is a garment's fur: a
                # colour word beside it is the garment's colour, as beside a part word; and a
                # live animal bred in colours ("leopard gecko, assorted morphs, several
                # colours") is no coloured object (``BRED_WORDS``)
                furred = (
                    [c for c in context if c.product != DISPLAY]  # a frame has no colour
                    or [x for x in scorable if x.product in FURS or x.term_id in self._materials]
                    or [x for x in alive if x.term_id in self._bred]
                )
                risk, why = lowered(risk, why, negatives, authenticity, furred, weights)
        if risk > 1.0:
            risk = 1.0
        elif not risk > 0.0:  # as max(0.0, risk): also turns -0.0 into 0.0
            risk = 0.0
        rounded = ROUNDED.get(risk)
        if rounded is None:
            rounded = round_risk(risk)
        risk, shown = rounded
        if cancels:
            why += ignored(cancels, matches, wild)
        return self._scored(matches, tuple(taxa), negatives, legality, risk, shown, why)

    def _scored(self, matches, taxa, negatives, legality, risk, shown, why) -> MatchResult:
        """The result of ``score``: ``shown`` is the rounded risk as the explanation writes it."""
        flagged = risk > self.threshold
        return make_result(
            {
                "matches": tuple(matches),
                "taxa": taxa,
                "negatives": tuple(negatives),
                "legality": tuple(legality),
                "risk": risk,
                "flagged": flagged,
                "explanation": f"{shown} FLAGGED: {why}" if flagged else f"{shown}: {why}",
            }
        )
