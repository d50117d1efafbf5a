"""Word lists the finder and the matcher read: data, no logic.

Kept apart from the code that reads them so that each module stays readable; every list
says which function reads it. Part of the lexicon's and the matcher's cache keys
(``matcher.CODE_MODULES``), as the code is.
"""

from __future__ import annotations

import re

# -- the matcher: weights, factors and roles (``Matcher.match``) -------------------------

DEFAULT_WEIGHT = {"product": 0.85, "species": 0.3, "code_word": 0.5}
# A genus written as a binomial ("Papilio ulysses": ``finder.GENUS``) weighs as a CITES
# species' scientific name does (taxa.taxon_terms): only the trade and science write them.
BINOMIAL_WEIGHT = 0.5
NEGATIVE_FACTOR = {
    "colour": 0.2,
    "decoy": 0.25,
    "replica": 0.25,
    "negation": 0.1,
    "depiction": 0.25,
}
CANCELLING = ("cancel", "negation")
# At most this many characters between a checklist name of role ``adjacent`` and the part word
# that lifts it ("Taxidermy Jay", "Taxidermy: Jay", "jay wings"; _lifted_names).
ADJACENT = 2
# The part words that lift such a name: specimen words, not "skin", "scale", "shell", "dried"
# ("kite skin" is a kite's fabric, "swift dried" quick-dried).
ADJACENT_PARTS = frozenset({"taxidermy", "skull", "skeleton", "feather", "specimen"})
# (specimen27) Display words ("framed", "shadow box", "pinned", "under glass": parts of product
# ``display``) say a specimen only of the small animals sold dry under glass: beside the name
# of an insect, an arachnid or a shell they lift it as a part word does ("Butterfly wings real
# framed"); beside any other animal's, or a checklist name, they lift nothing ("Framed Owl Art").
DISPLAY = "display"
DISPLAYED = frozenset({"insects", "spiders and scorpions", "molluscs"})


# -- the finder: German compounds (``Finder._compound``) ----------------------------------

# German compounds (dedupe25). A German term of five letters or more found inside a word
# ("Elfenbein" in "Elfenbeinfigur", "Schädel" in "Fuchsschädel") counts where the text reads
# German (one of these words; not "für", "das", "des", "von", "aus", "die", words of other
# languages once folded, nor "ist", which the digit swap makes of "1st") or where the rest of
# the word is German (``Finder._compound``):
# "figur" is not found in English "figures", "figurine", "configuration" (left24).
GERMAN_WORDS = re.compile(
    r"(?<![^\W_])(?:und|mit|der|dem|zum|zur|vom|oder|nicht|sehr|auf|bei|ein|eine|einer|"
    r"eines|einem|einen|echt|echte|echter|echtes|neu|neue|neuer|neues|antik|antike|versand|"
    r"zustand|sammlung|fuer|stueck|nach|jahrhundert|jhdt|kleiner|kleine|kleines|grosser|grosse|"
    r"grosses|selten|seltene|seltener|geschnitzt|handgeschnitzt|signiert|hohe|breite)(?![^\W_])"
)
# Words that end German compounds of the shops besides the lexicon's German terms (folded): a
# German term followed by one in the same word is a compound's part ("Krokodilledergürtel").
GERMAN_PARTS = frozenset(
    """
    gurtel tasche taschen handtasche brieftasche armband armbander armbanduhr uhrarmband
    brosche dose dosen griff messer stiefel jacke mantel teppich kopf kopfe schmuck perlen
    kugel kugeln platte decke pulver salbe kapseln leder haut horner knopf knopfe schale
    becher kamm geldborse geldbeutel etui schatulle rahmen bild bilder wein tinktur extrakt haar
    haare
    """.split()
)
# A German term this long followed in its word by four letters or more is a compound's part
# whatever they are ("Elfenbein|prunkpokal", "Schildpatt|kästchen"); shorter tails are other
# languages' endings ("Taxidermie|d").
GERMAN_LONG = 8
# Plural endings after a German part, in text that does not read German: not "e", "s", "es", "er"
# ("figure", "figures" are English, "figurer" French).
GERMAN_ENDINGS = frozenset({"en", "n"})


# -- the matcher: materials, furs and live words (``Matcher.match``, ``_denied``) ---------

# Materials a look-alike imitates: a cancel holding the first words of a term of one denies it.
MATERIALS = frozenset({"skin", "fur", "ivory", "horn", "shell", "coral"})
# Products that are a garment's fur: a colour word beside them is the garment's ("mink trim").
FURS = frozenset({"fur"})
# Live words that say an animal is alive or bred (the ``live`` terms' names): beside one a
# colour word is the animal's ("leopard gecko, assorted morphs, several colours"). Not "pet",
# "baby", "wild", "male", "adult", "tame": pet beds, "baby blue", "Wild Things Leopard" prints.
BRED_WORDS = frozenset(
    {
        "live",
        "alive",
        "lebend",
        "hatchling",
        "juvenile",
        "morph",
        "breeder",
        "captive bred",
        "breeding pair",
        "hand reared",
        "hand fed",
        "wild caught",
        "cbb",
        "nachzucht",
        "jungtier",
        "wildfang",
        "schlüpfling",
        "handaufzucht",
        "vivo",
        "vivant",
        "cría",
        "criado en cautividad",
        "né en captivité",
        "nato in cattività",
        "nascido em cativeiro",
        "hidup",
        "anakan",
        "filhote",
        "cucciolo",
        "nakweek",
        "żywy",
        "живой",
        "canlı",
        "còn sống",
        "生体",
        "活体",
        "人工繁殖",
        "幼崽",
        "幼鸟",
        "생체",
        "분양",
    }
)


# (weak27) Live words that are everyday words too ("Male" plugs, "Baby" blue, "Wild" in a
# book's title, "Live" albums): the ``live`` terms' names (lower case) whose word raises a
# species name only where the title names no made thing (``OBJECT_WORDS``) and the word is
# not part of a phrase that is no animal's state (``WEAK_PHRASE``): ``Matcher.match``. A
# breeder's listing names an animal, never a figurine, a book or a CD; MorphMarket's titles
# lean on these words ("Adult Proven Female", "Wild Type") with the species in the
# description, so they still raise there.
WEAK_LIVE = frozenset(
    {
        "live",
        "alive",
        "baby",
        "cub",
        "tame",
        "talking",
        "pet",
        "adult",
        "male",
        "wild",
        "imported",
        "lebend",
        "männchen",
        "vivo",
        "bebé",
        "manso",
        "vivant",
        "bébé",
        "apprivoisé",
        "adulte",
        "hidup",
        "jinak",
        "bayi",
        "canlı",
        "żywy",
        "живой",
        "ベビー",
        "宠物",
        "野生",
    }
)
# Made things a title names (folded text: lower case, no diacritics), in the languages of the
# lexicon's live words: a figure, ornament, book, record, film, picture, card, toy or
# keepsake of an animal, and the materials figures are cast and cut in.
OBJECT_WORDS = re.compile(
    r"(?<![^\W_])(?:"
    # en
    r"figurines?|figures?|statues?|statuettes?|sculptures?|ornaments?|trinkets?|books?|novels?|"
    r"paperback|hardcover|hardback|cds?|dvds?|blu ray|bluray|vhs|albums?|lp|vinyl|soundtrack|"
    r"concert|prints?|posters?|postcards?|cards?|puzzles?|toys?|plush|mugs?|tee|"
    r"t shirts?|shirts?|stickers?|decals?|magnets?|keychains?|key ?rings?|pins?|badges?|patch|coins?|"
    r"stamps?|pewter|porcelain|ceramic|crystal|resin|plaster|bisque|stoneware|earthenware|"
    r"bronze|brass|enamel|cloisonne|glass|"
    # de
    r"figur|figuren|buch|bucher|skulptur|statuette|druck|drucke|postkarte|spielzeug|plusch|"
    r"pluschtier|porzellan|keramik|kristall|zinn|"
    # fr
    r"livre|affiche|carte postale|jouet|peluche|porcelaine|ceramique|cristal|etain|"
    # es, pt, it
    r"figura|figuras|estatua|escultura|libro|libros|adorno|lamina|juguete|porcelana|"
    r"estatueta|livro|brinquedo|pelucia|statuina|statua|scultura|giocattolo|porcellana|peltro|"
    # nl, pl, tr, ru, id
    r"beeldje|boek|speelgoed|knuffel|figurka|ksiazka|zabawka|porselen|biblo|oyuncak|kitap|"
    r"фигурка|статуэтка|книга|игрушка|фарфор|patung|buku|mainan"
    r")(?![^\W_])"
)
# A live word in these phrases names no animal's state: a title's "the wild" ("Life in the
# Wild", "Call of the Wild"), a recording's "live at", "live in", "live from" (folded text).
WEAK_PHRASE = re.compile(
    r"(?<![^\W_])(?:the|of|into) (?:wild|live)(?![^\W_])|(?<![^\W_])live (?:at|in|from|on)(?![^\W_])"
)
