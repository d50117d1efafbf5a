"""Names and words the matcher reads in their context: whether a big cat's, an elephant's or a
rhino's name found in a listing is part of another animal's name ("tiger shark",
"Leopardgecko", "requin tigre": ``other_animal``), whether an everyday live word ("Male",
"Wild") says the animal is alive (``inert_live``), whether an animal of the skin or fur trade
names an article's skin ("burgundy python ballet flats": ``skin_articles``), whether a
snakeskin word names a pattern, finish or technology ("Snake Skin" tyres, trading-card
parallels: ``pattern_skins``, ``pattern_terms``) or a stone an animal's shape ("hand carved
crystal snake skull": ``stone_shapes``), and whether a checklist name stands beside the part
word that lifts it (``lifted_names``). Part of the matcher's cache key."""

from __future__ import annotations

import re
from dataclasses import replace

from crawler.matching.finder import TermMatch
from crawler.matching.words import (
    ADJACENT,
    ADJACENT_PARTS,
    ARTICLE_AFTER,
    ARTICLE_BEFORE,
    ARTICLE_BLOCKS,
    ARTICLE_LINKS,
    DISPLAY,
    FUR_ANIMALS,
    FUR_GARMENTS,
    LEATHER_ARTICLES,
    NOT_SKIN_OBJECTS,
    OBJECT_WORDS,
    PATTERN_CANCEL,
    PATTERN_SKINS,
    REAL_SKIN,
    SHAPE_WORDS,
    SKIN_ANIMALS,
    STONE_ANCHORS,
    STONE_CARVED,
    STONE_DECOY,
    STONE_SPARED,
    STONE_WORD,
    STYLE_AFTER,
    STYLE_CANCEL,
    STYLED,
    WEAK_PHRASE,
)
from crawler.normalise.textnorm import fold_term

# (known25) A big cat's, an elephant's or a rhino's name that is part of another animal's name
# is not that animal: "tiger shark", "leopard gecko", "tiger snake", "elephant seal", "rhino
# iguana", the German compounds "Tigerhai", "Leopardgecko" (a German term of five letters
# matches inside compounds, and inside "sandtiger" or "Tigershark" too), and the Romance
# order "requin tigre", "tiburón tigre", "gecko léopard", "pez león", "éléphant de mer". Such
# a name is dropped when the next word (or the rest of its compound) is an animal noun of
# ``ANIMAL_AFTER``, or the word before it one of ``ANIMAL_BEFORE`` (``other_animal``).
LOOKALIKE_GROUPS = frozenset({"big cats", "elephants", "rhinos"})
# The animal nouns, each with the taxon the name then stands for (None: no wild animal of the
# lexicon's: a prawn, a lily), as "tiger snake" names a snake: a live animal or specimen of a
# wild species is wildlife (docs/labelling.md), only not a tiger.
_OTHER_ANIMALS = {
    "Elasmobranchii": "shark sharks hai haie haai haaien ray rays rochen",
    "Serpentes": "snake snakes schlange schlangen slang slangen python pythons cobra",
    "Sauria": "gecko geckos gekko gekkos iguana iguanas leguan lizard lizards echse skink",
    "Testudines": "tortoise tortoises turtle turtles schildkröte",
    "Anura": "frog frogs frosch frösche kikker toad toads",
    "Caudata": "salamander salamanders molch newt newts",
    "Insecta": "moth moths motte falter butterfly butterflies beetle beetles käfer kever bee"
    " bees biene bug bugs mosquito mosquitoes mücke",
    "Arachnida": "spider spiders spinne tarantula tarantulas",
    "Actinopteri": "fish fische fisch vis catfish wels barb barbs barbe pleco loach oscar oscars"
    " danio wrasse grouper eel aal trout forelle bass",
    "Gastropoda": "cowrie cowries cowry conch snail snails schnecke schnecken slak",
    "Bivalvia": "mussel mussels",
    "Mammalia": "seal seals robbe robben zeehond shrew shrews spitzmaus quoll quolls cat katze"
    " marino marina marinho marin",
    "Aves": "finch finches fink heron herons reiher",
    "": "prawn prawns garnele garnelen garnaal shrimp crab crabs krabbe lily lilie orchid"
    " orchids orchidee",
}
ANIMAL_AFTER = {w: t or None for t, words in _OTHER_ANIMALS.items() for w in words.split()}
_BEFORE = {
    "Elasmobranchii": "requin requins tiburón tiburon tiburones squalo squali tubarão tubarao"
    " raie raya razza",
    "Serpentes": "serpent serpents serpiente serpientes serpente serpenti cobra python pitón"
    " piton pitone",
    "Sauria": "gecko geckos geco gechi lagartixa iguane iguana",
    "Testudines": "tortue tortuga tartaruga",
    "Anura": "grenouille grenouilles rana ranas rane sapo",
    "Caudata": "salamandre salamandra",
    "Insecta": "papillon papillons mariposa farfalla borboleta escarabajo scarabée scarabee"
    " coléoptère",
    "Gastropoda": "escargot caracol lumaca",
    "Mammalia": "phoque phoques foca focas foche chat gato gatto",
    "Actinopteri": "pez peces poisson poissons pesce pesci peixe peixes",
    "": "crevette crevettes gamba gambas camarón camaron gambero gamberi camarão camarao",
}
ANIMAL_BEFORE = {w: t or None for t, words in _BEFORE.items() for w in words.split()}
# The first part of a German or Dutch compound naming a sea animal ("Seeelefant", "zeeolifant").
ANIMAL_PREFIX = ("see", "zee")
WORD_AFTER = re.compile(r"[\s\-‐]*([^\W\d_]+)")
WORD_BEFORE = re.compile(r"([^\W\d_]+)[\s\-‐]*$")
DE_MER = re.compile(r"[\s\-]+de[\s\-]+mer\b", re.IGNORECASE)
# The name as one of a list of kinds that ends with the animal noun: "tiger and mako sharks",
# "tiger, bull and lemon sharks", "tiger or bull shark" (a conjunction or comma, one or two
# more kinds, then the noun; not an article: "Tiger & a Crab" is two animals).
LIST_AFTER = re.compile(
    r"\s*(?:,|\s(?:and|or|&|und|oder))\s+(?!(?:a|an|the|ein|eine)\s)"
    r"(?:[^\W\d_]+(?:\s*,\s*|\s+(?:and|or|&|und|oder)\s+))?[^\W\d_]+\s+([^\W\d_]+)",
    re.IGNORECASE,
)


NO_ANIMAL = ""  # other_animal: not part of another animal's name


def other_animal(text: str, m: TermMatch) -> str | None:
    """Whether the name ``m`` found in ``text`` is part of another animal's name, and then the
    taxon that name stands for (None: an animal of no taxon of the lexicon's), else
    ``NO_ANIMAL``: the next word (or the rest of a German compound, its linking "en", "n" or
    "s" aside) is an animal noun (``ANIMAL_AFTER``: "tiger shark", "Tigerhai",
    "Elefantenrobbe", "elefante marino"), "de mer" follows ("éléphant de mer"), the name is
    one of a list of kinds ending with one ("tiger and mako sharks": ``LIST_AFTER``), or the word
    before is one (``ANIMAL_BEFORE``: "requin tigre", "gecko léopard", "pez león";
    ``ANIMAL_PREFIX`` in a compound: "Seeelefant")."""
    end = m.end
    after = WORD_AFTER.match(text, end, min(len(text), end + 40))
    if after:
        word = after.group(1).lower()
        if word in ANIMAL_AFTER:
            return ANIMAL_AFTER[word]
        if after.start(1) == end:  # the rest of a compound, or of a longer word
            if word[2:] in ANIMAL_AFTER and word[:2] == "en":  # "Elefantenrobbe"
                return ANIMAL_AFTER[word[2:]]
            if word[1:] in ANIMAL_AFTER and word[:1] in "ns":
                return ANIMAL_AFTER[word[1:]]
            after = WORD_AFTER.match(text, after.end(), min(len(text), end + 40))
            if after and after.group(1).lower() in ANIMAL_AFTER:  # "Elefante marino"
                return ANIMAL_AFTER[after.group(1).lower()]
    if DE_MER.match(text, end):
        return "Mammalia"
    listed = LIST_AFTER.match(text, end, min(len(text), end + 60))
    if listed and listed.group(1).lower() in ANIMAL_AFTER:
        return ANIMAL_AFTER[listed.group(1).lower()]
    start = m.start
    before = WORD_BEFORE.search(text, max(0, start - 40), start)
    if not before:
        return NO_ANIMAL
    word = before.group(1).lower()
    if before.end(1) == start:  # inside a compound: "Seeelefant"
        return "Mammalia" if word.endswith(ANIMAL_PREFIX) else NO_ANIMAL
    return ANIMAL_BEFORE.get(word, NO_ANIMAL)


def inert_live(
    title: str | None, description: str | None, matches: list[TermMatch], weak: frozenset[str]
) -> frozenset[int]:
    """(weak27) The ``id`` of each everyday live word ("Male", "Baby", "Wild", "Live": the term
    ids in ``weak``, made from ``words.WEAK_LIVE``) that raises no species name: every one
    where the title names a made thing (a figurine, an ornament, a book, a CD, a print, a
    pewter or crystal figure: ``OBJECT_WORDS``), or each one inside a phrase that is no
    animal's state ("Life in the Wild", "Live at the Apollo": ``WEAK_PHRASE``)."""
    if title and OBJECT_WORDS.search(fold_term(title)):
        return frozenset(id(m) for m in matches if m.term_id in weak)
    inert = []
    texts = {"title": title or "", "description": description or ""}
    for m in matches:
        if m.term_id in weak:
            text = texts[m.field]
            around = fold_term(text[max(0, m.start - 6) : m.end + 6])
            if WEAK_PHRASE.search(around):
                inert.append(id(m))
    return frozenset(inert)


# (article27) The words of a field, and where a clause ends: an article is looked for in the
# animal's clause only ("Python book | leather bag" is two things).
_WORD = re.compile(r"[^\W\d_]+")
_CLAUSE_END = re.compile(r"[|,;/()\[\]]| - ")
_STOPS = {"leather": LEATHER_ARTICLES, "fur garment": FUR_GARMENTS}
_BLOCKING_ROLES = frozenset({"cancel", "negation", "decoy", "replica", "depiction"})


def article_animals(terms) -> dict[str, tuple[str, object]]:
    """(article27) The id of each species term naming an animal of the skin trade (the product
    it names with an article: "leather") or of the fur trade ("fur garment"), with the
    lexicon's phrase entry (a skin or fur product of weight 0.5) of its taxon, in its language
    or English, whose id and so weight the found product carries ("python leather")."""
    phrases = {}  # per taxon and language, per taxon, per first word: the first such entry
    for t in terms:
        if t.kind == "product" and t.taxon_id and t.product in ("skin", "fur") and t.weight == 0.5:
            phrases.setdefault((t.taxon_id, t.lang), t)
            phrases.setdefault(t.taxon_id, t)
            phrases.setdefault(fold_term(t.term).split()[0], t)
    out = {}
    for t in terms:
        if t.kind == "species":
            name = fold_term(t.term)
            if name in SKIN_ANIMALS or name in FUR_ANIMALS:
                product = "leather" if name in SKIN_ANIMALS else "fur garment"
                taxon = t.taxon_id
                phrase = phrases.get((taxon, t.lang)) or phrases.get((taxon, "en"))
                phrase = phrase or phrases.get(taxon) or phrases.get(name)  # "wolf": "wolf pelt"
                if phrase is not None:
                    out[t.id] = (product, phrase)
    return out


def skin_articles(
    text: str, matches: list[TermMatch], animals: dict[str, tuple[str, object]]
) -> list[TermMatch]:
    """(article27) ``matches`` of one field with each animal of the skin or fur trade
    (``animals``: ``article_animals``, from ``words.SKIN_ANIMALS``, ``FUR_ANIMALS``) named
    with a leather article or a fur garment within a few words also found as that product,
    its match spanning animal and article ("python ... ballet flats", "sac en python",
    "Fuchsmantel": ``_article``) and carrying the id (and weight) of the taxon's phrase entry; the
    species name stays, as it was found. An animal of role ``article`` (a name that is a
    skin-trade word only so: "snake", "croco") is no species name: alone it is dropped."""
    out = []
    for m in matches:
        found = animals.get(m.term_id)
        if found is None:
            out.append(m)
            continue
        if any(n.kind == "product" and n.taxon_id and n.start <= m.start < n.end for n in matches):
            if m.role != "article":  # a phrase of the lexicon's names it ("lizard strap")
                out.append(m)
            continue
        product, phrase = found
        span = _article(text, m, _STOPS[product], matches)
        if span is not None:
            start, end = span
            out.append(
                replace(
                    m, term_id=phrase.id, term=phrase.term, lang=phrase.lang, kind="product",
                    product=product, role=None, start=start, end=end, matched_text=text[start:end],
                )
            )  # fmt: skip
        if m.role != "article":
            out.append(m)
    return out


def _link_before(text: str, low: int, start: int) -> bool:
    """Whether the word right before ``start`` links an article named first ("sac en")."""
    words = _WORD.findall(text, low, start)
    return bool(words) and fold_term(words[-1]) in ARTICLE_LINKS


def _article(
    text: str, m: TermMatch, articles: frozenset[str], matches: list[TermMatch]
) -> tuple[int, int] | None:
    """The span from the animal ``m`` to an article of ``articles`` in its clause: the rest of
    its compound ("Fuchs|mantel") or one of the next ``ARTICLE_AFTER`` words with no word of
    ``ARTICLE_BLOCKS`` before it ("fox print scarf"), or the word before the animal across
    linking words only ("borsa in pelle di pitone"); None if there is none, or if a negative
    context other than a colour lies in the span ("python print flats", "croc-embossed")."""
    span = None
    stop = min(len(text), m.end + 120)
    limit = _CLAUSE_END.search(text, m.end, stop)
    for i, w in enumerate(_WORD.finditer(text, m.end, limit.start() if limit else stop)):
        word = w.group().lower()
        if not word.isascii():
            word = fold_term(word)
        if word in articles:
            span = (m.start, w.end())
            break
        if i >= ARTICLE_AFTER or word in ARTICLE_BLOCKS:
            break
    low = max(0, m.start - 60)
    if span is None and _link_before(text, low, m.start):
        cuts = list(_CLAUSE_END.finditer(text, low, m.start))
        before = list(_WORD.finditer(text, cuts[-1].end() if cuts else low, m.start))
        for j, w in enumerate(reversed(before)):
            word = w.group().lower()
            if not word.isascii():
                word = fold_term(word)
            if j and word in articles:
                span = (w.start(), m.end)
                break
            if j >= ARTICLE_BEFORE or word not in ARTICLE_LINKS:
                break
    if span is None:
        return None
    start, end = span
    for n in matches:
        if n.kind == "negative" and n.role in _BLOCKING_ROLES and n.start < end and start < n.end:
            return None
    return span


def lifted_names(
    scorable: list[TermMatch],
    parts: list[TermMatch],
    matches: list[TermMatch],
    named: frozenset[str],
) -> tuple[list[TermMatch], list[TermMatch]]:
    """A checklist name (``named``) counts only beside a part word it does not overlap, the
    word that lifts it ("puffin" + "skull"); alone ("Viking wolf amulet", "Osprey
    backpack") it is no term at all, so the result, the relevance model's features and
    the flag rule are what they were without the checklists. A name of role ``adjacent``
    (an ordinary word too: "jay", "robin", "swift") counts only with the part word right
    beside it (``ADJACENT``, ``ADJACENT_PARTS``): "Taxidermy Jay", not "Robin Hood skull ring"."""
    bare = None
    for m in scorable:
        if m.term_id not in named:
            continue
        if m.role == "adjacent":  # "jay", "robin": only right beside the part word
            lifted = any(
                c.field == m.field
                and c.product in ADJACENT_PARTS
                and (0 <= c.start - m.end <= ADJACENT or 0 <= m.start - c.end <= ADJACENT)
                for c in parts
            )
        else:
            lifted = any(
                not (c.field == m.field and c.start < m.end and m.start < c.end)
                and c.product != DISPLAY
                for c in parts
            )
        if not lifted:
            bare = [m] if bare is None else bare + [m]
    if bare is None:
        return scorable, matches
    gone = {id(m) for m in bare}
    return (
        [m for m in scorable if id(m) not in gone],
        [m for m in matches if id(m) not in gone],
    )


def _negative(m: TermMatch, term, start: int, end: int, text: str) -> TermMatch:
    """A match of the lexicon's negative ``term`` over ``text[start:end]`` of ``m``'s field."""
    return replace(
        m, term_id=term.id, term=term.term, lang=term.lang, kind="negative", product=None,
        role=term.role, taxon_id=None, start=start, end=end, matched_text=text[start:end],
    )  # fmt: skip


def pattern_terms(terms) -> tuple[frozenset[str], frozenset[str], object, object, object]:
    """(known29) The ids of the generic snakeskin terms (``words.PATTERN_SKINS``) and of the
    skin, leather and fur products a style word may follow (``STYLED``), and the lexicon's
    pattern cancel, style cancel and stone decoy: the terms ``pattern_skins`` and
    ``stone_shapes`` read and give. Without either cancel in the lexicon, no pattern rule."""
    negatives = {(t.term, t.lang): t for t in terms if t.kind == "negative"}
    cancel = negatives.get((PATTERN_CANCEL, "en"))
    style = negatives.get((STYLE_CANCEL, "en"))
    patterns = styled = frozenset()
    if cancel is not None and style is not None:
        patterns = frozenset(
            t.id for t in terms if t.kind == "product" and fold_term(t.term) in PATTERN_SKINS
        )
        styled = frozenset(
            t.id for t in terms if t.kind == "product" and t.taxon_id and t.product in STYLED
        )
    return patterns, styled, cancel, style, negatives.get((STONE_DECOY, "en"))


def pattern_skins(
    text: str, matches: list[TermMatch], patterns: frozenset[str], cancel, styled, style
) -> list[TermMatch]:
    """(known29) ``matches`` of one field with a cancel over each skin-trade phrase that names
    a pattern, a finish or a technology, not a skin: a generic snakeskin term (``patterns``:
    ``words.PATTERN_SKINS``) where the field names a thing no skin article can be (a tyre, a
    stencil, a trading card, sunglasses, a phone case, nail wraps, fabric, wallpaper, a stone:
    ``words.NOT_SKIN_OBJECTS``) and does not say the skin is real (``REAL_SKIN``); and a skin,
    leather or fur product (``styled``) followed by a style word ("crocodile leather style",
    "croc leather look": ``STYLE_AFTER``), the cancel ``style`` spanning both. The cancels deny
    the terms they hold (``matcher._denied``), as "snakeskin print" does."""
    out = None
    folded = None
    for m in matches:
        if m.term_id in patterns:
            if folded is None:
                folded = fold_term(text)
                objects = NOT_SKIN_OBJECTS.search(folded) and not REAL_SKIN.search(folded)
            if objects:
                out = (out or []) + [_negative(m, cancel, m.start, m.end, text)]
                continue
        if m.term_id in styled:
            after = STYLE_AFTER.match(text, m.end, m.end + 20)
            if after:
                out = (out or []) + [_negative(m, style, m.start, after.end(), text)]
    return matches if out is None else matches + out


def stone_shapes(
    title: str | None, description: str | None, matches: list[TermMatch], decoy
) -> list[TermMatch]:
    """(known29) ``matches`` with the lexicon's stone ``decoy`` (weight 0) added where a field
    names a stone carving (``words.STONE_CARVED``: a stone and a carving word, "hand carved
    crystal snake skull", jadeite elephants "with protruding tusks", or a stone always carved:
    pounamu, a "crystal skull"): the animal, its skull or tooth is the stone's shape. Only
    when the lexicon named a wild taxon; not when a wildlife material is named (ivory, horn,
    shell, coral: ``STONE_SPARED``; "tusks" alone is a shape), an authenticity claim or a
    code word of a wildlife material ("golden jade", a hornbill casque's cover name)."""
    taxa = False
    for m in matches:
        if m.role == "authenticity" or (m.kind == "code_word" and m.taxon_id is not None):
            return matches  # "Real ...", or a trade's own name for a material ("golden jade")
        if m.kind == "product" and m.product in STONE_SPARED:
            if fold_term(m.matched_text) not in SHAPE_WORDS:
                return matches
        if m.taxon_id is not None:
            taxa = True
    if not taxa:
        return matches
    for field, text in (("title", title), ("description", description)):
        if not text:
            continue
        low = text.lower()  # the regex only where one of its anchor words is written
        if not any(word in low for word in STONE_ANCHORS):
            continue
        found = STONE_CARVED.search(text)
        if found:
            found = STONE_WORD.search(text) or found
            m = matches[0]
            return matches + [
                replace(_negative(m, decoy, found.start(), found.end(), text), field=field)
            ]
    return matches
