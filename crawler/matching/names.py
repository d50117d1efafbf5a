"""Names and words the matcher reads in their context: whether a big cat's, an elephant's or a
rhino's name found in a listing is part of another animal's name ("tiger shark",
"Leopardgecko", "requin tigre": ``other_animal``), whether an everyday live word ("Male",
"Wild") says the animal is alive (``inert_live``), whether an animal of the skin or fur trade
names an article's skin (``articles``), and whether a checklist name stands beside the part
word that lifts it (``lifted_names``). What a skin or a stone word names otherwise (a
pattern, a shape, a material) is ``skins``. Part of the matcher's cache key."""

from __future__ import annotations

import re

from crawler.matching.finder import TermMatch
from crawler.matching.specimens import lifts_adjacent
from crawler.matching.words import (
    ADJACENT,
    ADJACENT_PARTS,
    DISPLAY,
    OBJECT_WORDS,
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
    beside it (``ADJACENT``, ``ADJACENT_PARTS``): "Taxidermy Jay", not "Robin Hood skull ring";
    or with a word that can only mean taxidermy or a specimen anywhere in its field
    (``specimens.lifts_adjacent``: "Taxidermy – Robin & Wren in wall dome")."""
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
            ) or lifts_adjacent(m, parts)  # (taxid33) "Taxidermy – Robin & Wren in wall dome"
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
