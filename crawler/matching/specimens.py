"""(taxid33) What taxidermy, specimen and depiction words say in their context.

- A depiction named in the title ("Alligator Figure", "Elephant bronze", "Rhino plush") names
  what is sold: a part word found only in the description ("moveable lower jaw", "two
  horns", "the details of the skin") is the depiction's, not the animal's
  (``depicted_parts``). A part word in the title is kept ("Alligator Head" and "real
  alligator head, jaw open" are untouched: no depiction word in the title).
- A checklist name that is an ordinary word too ("robin", "wren", "jay": role ``adjacent``)
  counts beside the part word right next to it (``names.lifted_names``) and, in the same
  field, beside a word that can only mean taxidermy or a specimen ("Taxidermy – Robin & Wren
  in wall dome": ``lifts_adjacent``); "stuffed", "mount" and "skull" stay adjacent-only
  ("Robin Hood skull ring", "Batman and Robin stuffed toy").
- A taxidermy word with no taxon the lexicon knows ("Taxidermy – Robin & Wren", "1930年
  雄ミミズクの古い仮剥製") is a modest risk of its own (``BARE_RISK``), unless the title says
  the listing is a supply, a course, a book or a depiction of taxidermy ("taxidermy forms",
  "glass eyes", "faux taxidermy", "taxidermy style print": ``bare_taxidermy``) or names a
  domestic animal ("steer skull ... cow bull taxidermy").
- Shell and insect dealers' notation: a grade (F+, F++, GEM, A1), a size in millimetres or
  a specimen word beside a Latin genus of the display groups ("cypraea pantherina F++ 82 mm
  GEM") says a specimen, as a display word does (``notation_parts``).

Part of the matcher's cache key (``matcher.CODE_MODULES``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from crawler.matching.finder import BINOMIAL, GENUS, TermMatch
from crawler.matching.words import DISPLAY, DISPLAYED
from crawler.normalise.textnorm import fold_term

# Words a title names a depiction by (on folded text: lower case, no accents, punctuation as
# spaces). Narrower than ``words.OBJECT_WORDS``: no clothes, bags or "glass" ("bat in glass
# dome" is a real bat), no "carving" (a carving may be of ivory or horn).
DEPICTION_TITLE = re.compile(
    r"(?<![^\W_])(?:"
    # en
    r"figurines?|figures?|statues?|statuettes?|sculptures?|sculpted|ornaments?|toys?|plush|"
    r"plushie|plushies|soft toy|cuddly|stuffed animal|stuffed toy|puppets?|scale model|"
    r"bronze|bronzes|pewter|porcelain|ceramic|bisque|figural|"
    # de, fr, it, es, nl
    r"figur|figuren|skulptur|statuette|spielzeug|plusch|pluschtier|kuscheltier|porzellan|"
    r"jouet|peluche|porcelaine|statuina|statua|scultura|giocattolo|figura|figuras|estatua|"
    r"escultura|juguete|beeldje|speelgoed|knuffel|"
    # ru, bg, ja, zh
    r"фигурка|фигура|статуэтка|статуетка|игрушка|играчка"
    r")(?![^\W_])"
    r"|フィギュア|置物|ぬいぐるみ|摆件|公仔|玩具|毛绒"
)

# The words that can only mean taxidermy (folded): a taxidermy word no taxon goes with is a
# risk of its own, and a checklist name of role ``adjacent`` counts beside one anywhere in
# its field. Not "stuffed" (plush), "mount" (TV mounts), "präparat" (a drug), "标本"/"표본"
# (any specimen: plants, rocks), "impagliato" (straw-seated chairs), "чучело" (a scarecrow).
TAXIDERMY_WORDS = frozenset(
    """
    taxidermy taxidermied taxidermie tassidermia taxidermia naturalise naturalisee
    naturalises naturalisees disecado disecada disecados disecadas opgezette
    剥制 박제
    """.split()
)
# Besides those, these lift an adjacent name in the same field (a specimen case or word).
LIFTING_WORDS = TAXIDERMY_WORDS | frozenset(
    ("cased", "diorama", "dioramas", "specimen", "specimens", "taxidermy mount", "taxidermy mounts")
)

# The risk of a taxidermy word no taxon goes with: the flag rule's ``model.RISKY`` (flagged
# unless the model is near-sure it is no wildlife). At 0.3 (the default model's risk
# threshold) it flags nothing more: the model's relevance threshold is 0.9, where a listing
# with no lexicon term flags already (docs/detection-log.md, taxid33).
BARE_RISK = 0.5
# Titles that sell taxidermy's supplies, teaching or pictures, or say it is not real
# (folded text). A negative of the lexicon (a replica, a decoy, a depiction) also keeps the
# risk at 0.
SUPPLY_TITLE = re.compile(
    r"(?<![^\W_])(?:"
    r"for taxidermy|forms?|mannequins?|manikins?|eyes|glass eyes|supplies|supply|tools?|kits?|"
    r"knife|knives|plaques?|panels?|bases?|pedestals?|hangers?|habitat|putty|clay|epoxy|paints?|"
    r"cds?|vinyl|album|lp|songs?|magazine|fonts?|"
    r"scalpels?|tanning|tan|borax|wire|excelsior|faux|fake|vegan|cruelty free|ethical|felted|"
    r"felt|needle felted|style|styled|inspired|books?|course|courses|class|classes|workshops?|"
    r"lessons?|tutorials?|guide|manual|handbook|dvd|how to|prints?|posters?|art print|"
    r"illustrations?|drawings?|paintings?|photos?|photographs?|postcards?|stickers?|t shirt|"
    r"tee|shirts?|mugs?|patterns?|svg|png|clipart|digital|cards?|game|games|plush|toys?|"
    r"figurines?|sculptures?|replica|replicas|reproduction|"
    # (lead) a domestic animal's taxidermy is not wildlife (docs/labelling.md, domestic row):
    # "Steer skull long horns mounted cow bull taxidermy"
    r"cows?|cattle|steers?|bulls?|longhorns?|oxen|calf|calves|horses?|pony|ponies|donkeys?|"
    r"mules?|goats?|sheep|lambs?|pigs?|piglets?|dogs?|puppy|puppies|cats?|kittens?|"
    r"chickens?|roosters?|hens?|"
    # de, fr, it, es, nl
    r"augen|glasaugen|zubehor|werkzeug|buch|kurs|formen|yeux|oeil|fournitures|livre|cours|"
    r"occhi|libro|corso|ojos|curso|ogen|boek|cursus|"
    r"kuh|rind|stier|pferd|ziege|schaf|hund|katze|huhn|hahn|vache|taureau|boeuf|cheval|"
    r"chevre|mouton|chien|chat|poule|coq|mucca|toro|cavallo|capra|pecora|cane|gatto|gallo|"
    r"vaca|caballo|cabra|oveja|perro|gato|koe|paard|geit|schaap|hond|kat|kip"
    r")(?![^\W_])"
    r"|義眼|本|教室|講座|風"
)


def depicted_parts(title: str | None, matches: list[TermMatch]) -> list[TermMatch]:
    """``matches`` without the description's part words when the title names a depiction
    (``DEPICTION_TITLE``): "Alligator Figure" with "Features moveable lower jaw!" is a figure
    whose jaw moves. Product, species and live words of the description are kept."""
    if not title:
        return matches
    for m in matches:
        if m.field == "description" and m.role == "part":
            break
    else:
        return matches
    if not DEPICTION_TITLE.search(fold_term(title)):
        return matches
    return [m for m in matches if not (m.field == "description" and m.role == "part")]


def lifts_adjacent(m: TermMatch, parts: list[TermMatch]) -> bool:
    """Whether a word that can only mean taxidermy or a specimen (``LIFTING_WORDS``) stands in
    the field of the adjacent name ``m``: "Taxidermy – Robin & Wren in wall dome"."""
    return any(c.field == m.field and fold_term(c.matched_text) in LIFTING_WORDS for c in parts)


def bare_taxidermy(parts: list[TermMatch], negatives: list[TermMatch]) -> TermMatch | None:
    """The taxidermy word (``TAXIDERMY_WORDS``) that makes a listing naming no taxon a risk
    of ``BARE_RISK``, or None: none stands in it, or a negative of the lexicon does. The
    matcher asks only where the title names no supply (``supply_title``)."""
    return None if negatives else _taxidermy_word(parts)


def supply_title(title: str | None, matches: list[TermMatch]) -> bool | None:
    """None when no taxidermy word (``TAXIDERMY_WORDS``) is found; else whether the title
    names a supply, a course, a book, a picture or a domestic animal (``SUPPLY_TITLE``:
    "Taxidermy glass eyes 10 mm", "Faux taxidermy deer head", "Taxidermy style print",
    "Steer skull ... cow bull taxidermy")."""
    if _taxidermy_word(matches) is None:
        return None
    return bool(title and SUPPLY_TITLE.search(fold_term(title)))


def _taxidermy_word(matches: list[TermMatch]) -> TermMatch | None:
    """The first part word of ``matches`` that can only mean taxidermy (``TAXIDERMY_WORDS``)."""
    for m in matches:
        if m.role == "part" and fold_term(m.matched_text) in TAXIDERMY_WORDS:
            return m
    return None


# A dealer's grade or size (raw text): F+, F++, F+++, F+/F++, F++/GEM, GEM, GEM-, A1, A-1, A2,
# "82 mm", "82mm", "8.2 mm"; and the specimen words of the trade.
NOTATION = re.compile(
    r"(?<![\w+])(?:F\+{1,3}(?:/(?:F\+{1,3}|GEM))?|GEM-?|A-?1-?|A2)(?![\w+])"
    r"|(?<![\w.,])\d+(?:[.,]\d+)?\s?mm(?![^\W_])"
    r"|(?<![^\W_])(?:specimens?|spécimens?|sammlung|sammlerstück|esemplare|ejemplar)(?![^\W_])",
    re.IGNORECASE,
)


def notation_parts(
    text: str | None, field: str, matches: list[TermMatch], groups: dict[str, str]
) -> list[TermMatch]:
    """``matches`` and, when ``text`` (the field ``field``) names a Latin genus of an insect, an
    arachnid or a shell (a match of product ``GENUS``; ``words.DISPLAYED`` groups) and a
    dealer's grade, size or specimen word (``NOTATION``), that word as a display part:
    "cypraea pantherina F++ 82 mm GEM" is a specimen shell."""
    if not text:
        return matches
    genus = None
    for m in matches:
        if (
            m.field == field
            and m.product in (GENUS, BINOMIAL)
            and groups.get(m.taxon_id or "") in DISPLAYED
        ):
            genus = m
            break
    if genus is None:
        return matches
    found = NOTATION.search(text, genus.end)
    if not found:
        found = NOTATION.search(text, 0, genus.start)
    if not found:
        return matches
    part = replace(
        genus,
        term_id="taxid33:notation",
        term=found.group(0),
        kind="product",
        start=found.start(),
        end=found.end(),
        matched_text=found.group(0),
        taxon_id=None,
        product=DISPLAY,
        role="part",
    )
    return [*matches, part]
