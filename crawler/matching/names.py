"""Names and words the matcher reads in their context: whether a big cat's, an elephant's or a
rhino's name found in a listing is part of another animal's name ("tiger shark",
"Leopardgecko", "requin tigre": ``other_animal``), whether an everyday live word ("Male",
"Wild") says the animal is alive (``inert_live``), whether an animal of the skin or fur trade
names an article's skin ("burgundy python ballet flats": ``skin_articles``), and whether a
checklist name stands beside the part word that lifts it (``lifted_names``). What a skin or a
stone word names otherwise (a pattern, a shape, a material) is ``skins``. Part of the
matcher's cache key."""

from __future__ import annotations

import re
from dataclasses import replace

from crawler.matching.finder import TermMatch
from crawler.matching.skin_words import (
    MATERIAL_FIELD,
)
from crawler.matching.words import (
    ADJACENT,
    ADJACENT_PARTS,
    AFTER_BLOCKS,
    ARTICLE_AFTER,
    ARTICLE_BEFORE,
    ARTICLE_BLOCKS,
    ARTICLE_FILLERS,
    ARTICLE_LINKS,
    BOOTS,
    BRACELETS,
    COLOUR_WORDS,
    COMPOUND_TAILS,
    DISPLAY,
    FOOTWEAR_QUALIFIERS,
    FUR_ACCESSORIES,
    FUR_ACCESSORY_ANIMALS,
    FUR_ANIMALS,
    FUR_GARMENTS,
    JEWEL_WORDS,
    LEATHER_ARTICLES,
    LEATHER_FIRST,
    MATERIAL_WORDS,
    OBJECT_WORDS,
    SKIN_ANIMALS,
    SKIN_FIRST,
    WEAK_PHRASE,
    WITH_LINKS,
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
_FIRST = {"leather": LEATHER_FIRST, "fur garment": FUR_GARMENTS}  # named before the animal
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
        span = _article(text, m, _STOPS[product], matches, _FIRST[product], product == "leather")
        if span is None and product == "fur garment":
            span = _fur_accessory(text, m, matches)
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


def _folded(w: re.Match) -> str:
    word = w.group().lower()
    return word if word.isascii() else fold_term(word)


def _is_article(word: str, articles: frozenset[str]) -> bool:
    """Whether a folded word is one of ``articles``, or a German compound ending in one
    ("Wintermantel", "Daunenjacke": ``COMPOUND_TAILS``)."""
    if word in articles:
        return True
    return len(word) > 6 and any(word.endswith(t) and t in articles for t in COMPOUND_TAILS)


def _material_after(text: str, m: TermMatch, limit: int) -> bool:
    """(leather29) Whether a fur or skin word follows the animal ``m`` within two words of its
    clause, or ends its compound ("fox ... fur", "Fuchs|pelz", "python skin trim")."""
    end = m.end
    if end < len(text) and text[end].isalpha():  # the rest of a compound: "Fuchspelz"
        rest = _WORD.match(text, end)
        if rest and any(_folded(rest).endswith(w) for w in ("pelz", "fell")):
            return True
    for i, w in enumerate(_WORD.finditer(text, end, limit)):
        if i >= 3:
            break
        if _folded(w) in MATERIAL_WORDS:
            return True
    return False


def _fur_accessory(text: str, m: TermMatch, matches: list[TermMatch]) -> tuple[int, int] | None:
    """(furacc29) The span from a fur animal ``m`` of ``FUR_ACCESSORY_ANIMALS`` to a shoe or a
    pompom of ``FUR_ACCESSORIES`` named after it, where the animal is the material: the article
    right after it (a word of ``FOOTWEAR_QUALIFIERS`` between: "Mink ankle boots"), or within
    ``ARTICLE_AFTER`` words of its clause when a colour word stands right before the animal
    ("pink mink fendi sandals"); None otherwise, or across a word of ``ARTICLE_BLOCKS`` or a
    negative other than a colour ("mink grey", "faux fur")."""
    if fold_term(m.matched_text) not in FUR_ACCESSORY_ANIMALS:
        return None
    words = _WORD.findall(text, max(0, m.start - 40), m.start)
    coloured = bool(words) and fold_term(words[-1]) in COLOUR_WORDS
    stop = min(len(text), m.end + 120)
    limit = _CLAUSE_END.search(text, m.end, stop)
    limit = limit.start() if limit else stop
    span = None
    for i, w in enumerate(_WORD.finditer(text, m.end, limit)):
        word = _folded(w)
        if word in FUR_ACCESSORIES:
            span = (m.start, w.end())
            break
        if word in ARTICLE_BLOCKS or i >= ARTICLE_AFTER:
            break
        if not coloured and word not in FOOTWEAR_QUALIFIERS:
            break
    if span is None or _blocked(span, matches):
        return None
    return span


def _blocked(span: tuple[int, int], matches: list[TermMatch]) -> bool:
    """Whether a negative other than a colour lies in ``span``."""
    start, end = span
    return any(
        n.kind == "negative" and n.role in _BLOCKING_ROLES and n.start < end and start < n.end
        for n in matches
    )


def _article(
    text: str,
    m: TermMatch,
    articles: frozenset[str],
    matches: list[TermMatch],
    first: frozenset[str] | None = None,
    reverse: bool = False,
) -> tuple[int, int] | None:
    """The span from the animal ``m`` to an article of ``articles`` in its clause: the rest of
    its compound ("Fuchs|mantel") or one of the next ``ARTICLE_AFTER`` words with no word of
    ``ARTICLE_BLOCKS`` before it ("fox print scarf"), or the article named before the animal
    across linking words ("borsa in pelle di pitone"), what the skin is ("with natural fox":
    ``ARTICLE_FILLERS``) and, beside a fur or skin word, "with" ("Parka with natural fox or
    bluefrost fur", "Jacke mit Echtpelz Waschbär": ``WITH_LINKS``; ``first``: the articles
    read there, "Collar Pump in Python"); None if there is none, if a word of
    ``ARTICLE_BLOCKS`` follows an animal named after its article ("coat with fox print
    lining"), or if a negative context other than a colour lies in the span ("python print
    flats", "croc-embossed"). (furacc29) Colour words count as fillers ("jacket in dyed
    black cross mink"); with ``reverse`` (a skin's articles) an article of ``first`` or
    ``SKIN_FIRST`` named first needs no link, colour words at most between ("Apple Watch band
    lizard", "Driving loafers brown alligator"); a bracelet is no leather article in a field of
    ``JEWEL_WORDS`` or of an animal of role ``article`` ("Snake Chain Bracelet", "Charm
    bracelet crocodile motif"). (specifics29) A material field's label right before the
    animal ("Upper Material: Python": ``_material_field``) is taken as its article too."""
    span = None
    stop = min(len(text), m.end + 120)
    limit = _CLAUSE_END.search(text, m.end, stop)
    limit = limit.start() if limit else stop
    for i, w in enumerate(_WORD.finditer(text, m.end, limit)):
        word = _folded(w)
        if word in articles:
            if i <= 1 or word not in BRACELETS:  # "Stingray Medical Alert Bracelet"
                span = (m.start, w.end())
            break
        if i >= ARTICLE_AFTER or word in ARTICLE_BLOCKS:
            break
    if span is None:
        low = max(0, m.start - 80)
        words = _WORD.findall(text, low, m.start)
        last = fold_term(words[-1]) if words else ""
        named = first or articles
        if last in ARTICLE_LINKS or last in ARTICLE_FILLERS or last in WITH_LINKS:
            span = _article_before(text, m, named, low, limit)
        elif reverse and (last in COLOUR_WORDS or _is_article(last, named | SKIN_FIRST)):
            span = _article_before(text, m, named | SKIN_FIRST, low, limit, bare=True)
        if span is None:
            before = text[low : m.start]
            if ":" in before or "：" in before:  # (specifics29) "Upper Material: Python"
                span = _material_field(text, m, low, limit)
        if span is None and reverse and m.role != "article":
            span = _boot_span(text, m, low, limit)
    if span is None or _blocked(span, matches):
        return None
    start, end = span
    if any(_folded(w) in BRACELETS for w in _WORD.finditer(text, start, end)):
        if m.role == "article" or any(_folded(w) in JEWEL_WORDS for w in _WORD.finditer(text)):
            return None
    return span


def _boot_span(text: str, m: TermMatch, low: int, limit: int) -> tuple[int, int] | None:
    """(boots29) The span from the animal ``m`` to a boot of ``BOOTS`` named anywhere in its
    clause, before or after it, any words but those of ``ARTICLE_BLOCKS`` between ("Corral
    Western Boots Men's Ostrich Black", "Ostrich Tony Lama Mens 10.5 D Western Cowboy Boots");
    None if there is none, or if a word of ``ARTICLE_BLOCKS`` or ``AFTER_BLOCKS`` follows the
    animal within two words ("Boots Ostrich Print", "Cowboy Boots Lizard Look")."""
    after = list(_WORD.finditer(text, m.end, limit))
    for w in after[:2]:
        if _folded(w) in ARTICLE_BLOCKS or _folded(w) in AFTER_BLOCKS:
            return None
    cuts = list(_CLAUSE_END.finditer(text, low, m.start))
    for w in reversed(_WORD.findall(text, cuts[-1].end() if cuts else low, m.start)):
        word = fold_term(w)
        if _is_article(word, BOOTS):
            return text.rfind(w, low, m.start), m.end
        if word in ARTICLE_BLOCKS:
            break
    for w in after:
        word = _folded(w)
        if _is_article(word, BOOTS):
            return m.start, w.end()
        if word in ARTICLE_BLOCKS:
            break
    return None


def _material_field(text: str, m: TermMatch, low: int, limit: int) -> tuple[int, int] | None:
    """(specifics29) The span from a material field's label to the animal ``m`` named right
    after it ("Upper Material: Python", "Exotic Leather Type: Ostrich", "Materiale: pelle di
    pitone": ``skin_words.MATERIAL_FIELD``), None if there is none or a word of ``ARTICLE_BLOCKS``
    follows the animal within two words ("Material: Python Print")."""
    found = MATERIAL_FIELD.search(text, low, m.start)
    if found is None:
        return None
    for i, w in enumerate(_WORD.finditer(text, m.end, limit)):
        if i >= 2:
            break
        if _folded(w) in ARTICLE_BLOCKS:
            return None
    return found.start(), m.end


def _article_before(
    text: str, m: TermMatch, articles: frozenset[str], low: int, limit: int, bare: bool = False
) -> tuple[int, int] | None:
    """The span from an article named before the animal ``m`` to it (``_article``); ``bare``:
    colour words at most between, no link."""
    cuts = list(_CLAUSE_END.finditer(text, low, m.start))
    before = list(_WORD.finditer(text, cuts[-1].end() if cuts else low, m.start))
    material = None  # whether a fur or skin word stands beside the animal (read once)
    links = fillers = colours = 0
    for j, w in enumerate(reversed(before)):
        word = _folded(w)
        if (j or bare) and _is_article(word, articles):
            if bare and word in BRACELETS:  # "Medical alert bracelet stingray"
                return None
            for i, after in enumerate(_WORD.finditer(text, m.end, limit)):
                if i >= 2:
                    break
                if _folded(after) in ARTICLE_BLOCKS or _folded(after) in AFTER_BLOCKS:
                    return None  # "coat with fox print lining", "band crocodile grain"
            return w.start(), m.end
        if bare and word not in COLOUR_WORDS:
            return None
        if word in ARTICLE_LINKS:
            links += 1
        elif word in WITH_LINKS:
            if material is None:
                material = _material_after(text, m, limit) or any(
                    _folded(x) in MATERIAL_WORDS for x in before[len(before) - j :]
                )
            if not material:
                return None
            links += 1
        elif word in ARTICLE_FILLERS or word in MATERIAL_WORDS:
            fillers += 1
        elif word in COLOUR_WORDS:
            colours += 1
        else:
            return None
        if links > ARTICLE_BEFORE or fillers > 2 or colours > 2:
            return None
    return None


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
