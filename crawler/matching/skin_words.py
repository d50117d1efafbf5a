"""Word lists and patterns of the rules that read what a skin, leather or stone word names
besides the animal's skin (``skins``) and of marketplaces' item-specific fields
(``articles._material_field``, ``skins.pattern_fields``): split from ``words``, which holds
the rest. Part of the matcher's cache key."""

from __future__ import annotations

import re

# -- the matcher: a skin-trade phrase that names a pattern, a finish or a shape (known29) --
# ``skins.pattern_skins``: the generic snakeskin terms (by their ``term``, any language) in a
# field that names a thing no skin article can be: a bicycle tyre (a tyre maker's "Snake
# Skin" sidewall: TPI, PSI, ETRTO and inch sizes), a stencil, a trading card's parallel
# ("Prizm", "Rookie", "/88"), sunglasses, a phone case, nail wraps, fabric, wallpaper, a
# stone ("snakeskin jasper"): there the phrase is the thing's pattern or technology, a cancel
# (the lexicon's ``PATTERN_CANCEL`` entry). Not where the field says the skin is real
# (``REAL_SKIN``: "genuine", "real", a shed, a hide). Folded text (lower case, no diacritics).
PATTERN_SKINS = frozenset(
    {"snakeskin", "schlangenleder", "cuir de serpent", "pelle di serpente", "piel de serpiente"}
)
PATTERN_CANCEL = "snakeskin sidewall"
NOT_SKIN_OBJECTS = re.compile(
    r"(?<![^\W_])(?:"
    # tyres, in the languages of the lexicon's snakeskin terms
    r"tyres?|tires?|tpi|epi|psi|sidewalls?|tubeless|folding bead|e ?bike|ebikes?|bicycles?|"
    r"mtb|bmx|700c|650b|29er|reifen|fahrradreifen|faltreifen|drahtreifen|karkasse|"
    r"pneus?|pneumatico|pneumatici|copertone|copertoncino|neumaticos?|cubierta|"
    r"(?:1[2-9]|2\d|27[.,]5)\"? ?x ?[1-4][.,]\d{1,2}|[67]00 ?x ?\d{2} ?c|"
    r"\d{2}-(?:305|349|355|406|451|507|559|584|590|622|630)|"
    # stencils, trading cards and their print-run numbers
    r"stencils?|schablonen?|pochoirs?|prizm|panini|donruss|topps|refractor|parallel|rookie|"
    r"trading cards?|"
    # glasses, phone cases, nails, fabric, paper, paint
    r"sunglasses|eyeglasses|eyewear|phone case|iphone|samsung|galaxy s\d+|airpods|ipad|"
    r"nail wraps?|nail art|nail stickers?|nail decals?|decals?|stickers?|vinyl|wrap film|"
    r"fabric|by the yard|spandex|lycra|polyester|chiffon|fleece|leggings|tights|swimsuit|"
    r"wallpaper|peel and stick|tapete|paint|spray|"
    # stones
    r"agate|jasper|gemstones?|tumbled|tumble stones?|cabochons?|palm stones?|spheres?"
    r")(?![^\W_])|(?<![\w/])/\d{1,4}(?![\w/])"
)
REAL_SKIN = re.compile(
    r"(?<![^\W_])(?:genuine|real|authentic|echt|echtes|echter|vero|vera|verdadera|veritable|"
    r"sheds?|shedded|exuvia|hides?|pelts?|tanned|taxidermy)(?![^\W_])"
)
# ``skins.pattern_skins`` also: a style word right after a skin, leather or fur product ("crocodile
# leather style", "croc leather look", "python leather-look", "leopard skin design") makes it
# the pattern's name: a cancel spanning both (the lexicon's ``STYLE_CANCEL`` entry). The words
# a shop writes after the material (before it: "croc-effect", "faux", lexicon cancels).
STYLED = frozenset({"skin", "fur", "leather", "fur garment"})
STYLE_CANCEL = "snakeskin style"
STYLE_AFTER = re.compile(
    r"[ \-‐]*(?:style[sd]?|look(?:s|ing)?|effect|print(?:ed)?|pattern(?:ed)?|embossed|"
    r"stamped|textured?|design|inspired|optik|stil)(?![^\W_])",
    re.IGNORECASE,
)
# ``skins.stone_shapes``: an animal, a skull, a tooth or tusks carved in a stone ("hand carved
# crystal snake skull", "Obsidian crocodile skull carving", jadeite elephants "with protruding
# tusks", a pounamu shark tooth) are the stone's shape: a field naming a stone and a carving
# word, or a stone that is always carved (pounamu, a "crystal skull"), adds the lexicon's
# ``STONE_DECOY`` (weight 0) to the listing, unless a wildlife material is named (ivory, horn,
# shell, coral, a casque: "ivory elephant on a jade stand"; "tusks" alone is a shape) or an
# authenticity claim. Not stones that are colours or wildlife ("turquoise", "jade green",
# "coral", "amber", "pearl") without the carving word.
STONE_DECOY = "stone carving"
STONES = (
    r"quartz|rose quartz|smoky quartz|rock crystal|crystal|amethyst|citrine|obsidian|jade|"
    r"jadeite|nephrite|aventurine|labradorite|agate|jasper|fluorite|selenite|tiger ?eye|"
    r"tigers? eye|tiger'?s eye|tigereye|malachite|lapis|lapis lazuli|sodalite|howlite|onyx|"
    r"marble|soapstone|alabaster|calcite|serpentine|bowenite|amazonite|moonstone|sunstone|"
    r"carnelian|rhodonite|rhodochrosite|unakite|chrysocolla|hematite|pyrite|bloodstone|"
    r"kyanite|tourmaline|opalite|turquoise|gemstones?|hardstone|pounamu|greenstone"
)
STONE_CARVED = re.compile(
    rf"(?<![^\W_])(?:(?:{STONES})(?![^\W_])(?=.*(?<![^\W_])(?:hand ?carved|carved|carvings?|"
    r"sculpt(?:ed|ure|ures)?|figurines?|statues?|statuettes?)(?![^\W_]))|"
    r"(?:hand ?carved|carved|carvings?|sculpt(?:ed|ure|ures)?|figurines?|statues?|statuettes?)"
    r"(?![^\W_])(?=.*(?<![^\W_])(?:" + STONES + r")(?![^\W_]))|"
    r"pounamu|greenstone|crystal skulls?)(?![^\W_])",
    re.IGNORECASE | re.DOTALL,
)
# Substrings (lower case) one of which every text ``STONE_CARVED`` finds anything in holds.
STONE_ANCHORS = ("carv", "sculpt", "figurin", "statu", "pounamu", "greenstone", "crystal skull")
# A stone's own word, where the decoy is placed (not on "carved", a craft word that shields).
STONE_WORD = re.compile(rf"(?<![^\W_])(?:{STONES})(?![^\W_])", re.IGNORECASE)
# Products that are a wildlife material whatever shape they are carved in; their words that
# are a carving's shape ("tusks" of a jade elephant) are not.
STONE_SPARED = frozenset({"ivory", "horn", "shell", "coral", "casque", "tortoiseshell"})
SHAPE_WORDS = frozenset({"tusk", "tusks"})


# -- the matcher: a marketplace's item-specific fields (specifics29) ----------------------
# eBay's "item specifics" and the fields of other marketplaces and shops (Etsy "Materials:",
# Vestiaire "Material:", Zalando "Obermaterial:", "Matière :", "Materiale:", "Material:")
# say which word of a listing is the article's material and which its pattern or theme.
# ``articles.skin_articles`` reads ``MATERIAL_FIELD``: an animal of the skin or fur trade
# right after a material field's label ("Upper Material: Python", "Exotic Leather Type:
# Ostrich", "Obermaterial: Python", "Materiale: pelle di pitone"; a claim or a link between:
# ``MATERIAL_FILLERS``) is the article's skin, as "python bag" is; not where a word of
# ``ARTICLE_BLOCKS`` follows it ("Material: Python Print") or a negative lies between
# ("Material: Faux Python"). Labels in en, de, fr, it, es and nl, lower case; the regex
# is searched in the text right before the animal (``$``: the animal follows).
MATERIAL_LABELS = (
    r"(?:(?:main|upper|outer|outside|exterior|lining|inner|strap|band|bracelet|shell|body|"
    r"vamp|shaft|foot|primary|major)[ \-])?materials?|(?:exotic )?leather type|exotic leather|"
    r"skin(?: type)?|upper|vamp|exterior|outside|composition|"
    r"obermaterial|au(?:ss|ß)enmaterial|innenmaterial|futter|lederart|leder|armbandmaterial|"
    r"mati[eè]res?(?: ext[eé]rieure| principale)?|mat[eé]riaux?|type de cuir|cuir|dessus|tige|"
    r"materia(?:le|li)(?: esterno| principale)?|tomaia|pellame|tipo di pelle|fodera|composizione|"
    r"material(?:es)?(?: exterior| principal| superior)?|tipo de piel|piel|forro|"
    r"composici[oó]n|(?:boven|buiten)?materiaal"
)
MATERIAL_FILLERS = (
    r"100 ?%|genuine|real|natural|exotic|authentic|echt(?:e[mnrs]?)?|naturale|vera|vero|"
    r"v[eé]ritable|naturel(?:le)?|genuin[ao]|aut[eé]ntic[ao]|exotique|esotic[ao]|ex[oó]tic[ao]|"
    r"in|en|de|di|da|del|della|aus|of|cuir|pelle|piel|leder|leather"
)
MATERIAL_FIELD = re.compile(
    rf"(?<![^\W_])(?:{MATERIAL_LABELS})\s*[:：]\s*(?:(?:{MATERIAL_FILLERS})[\s\-]+){{0,3}}$",
    re.IGNORECASE,
)
# ``skins.pattern_fields`` reads ``PATTERN_FIELD``: the wildlife terms in the value of a
# pattern, print, theme or character field ("Pattern: Snakeskin", "Theme: Sharks",
# "Character: Shark", "Muster: Leopard", "Motif : Python", "Fantasia: Pitone", "Estampado:
# Leopardo") name what the article shows, not what it is made of: a cancel (the lexicon's
# ``PATTERN_CANCEL`` entry of known29, the cancel of a skin-trade phrase that names a thing's
# pattern; no entry of its own, which would be one more not-wildlife
# training listing, "pattern: ...", for the relevance model) from the label to the last of
# them denies them, as "leopard print" does. A term is in a field's value where the last colon
# before it, 60 characters at most, ends a label of ``PATTERN_FIELD`` (the regex is searched in
# the text right before the colon, ``$``) and no line end, "|", ";", "•" or ". " lies between
# (``FIELD_END``): eBay's flattened specifics, "Theme: Sharks Character: Shark Material:
# Cotton", are read field by field. The listing's other terms stay ("Pattern: Snakeskin
# Upper Material: Python").
PATTERN_LABELS = (
    r"pattern(?: type)?|print(?: type)?|theme|character(?: family)?|featured character|"
    r"motif|design|graphic(?: print)?|"
    r"muster|motiv|thema|druck|figur|"
    r"motifs|imprim[eé]|th[eè]me|personnage|dessin|"
    r"fantasia|motivo|stampa|tema|personaggio|disegno|"
    r"estampado|dise[ñn]o|personaje|"
    r"patroon|motief"
)
PATTERN_FIELD = re.compile(rf"(?<![^\W_])(?:{PATTERN_LABELS})\s*[:：]$", re.IGNORECASE)
FIELD_END = re.compile(r"[\n|;•]|\.\s")
FIELD_VALUE = 60
