"""Word lists and patterns of the rules that read what a skin, leather or stone word names
besides the animal's skin (``skins``) and of marketplaces' item-specific fields
(``articles._material_field``, ``skins.pattern_fields``), and the luxury houses and models
whose name beside a skin-trade animal reads as its leather (``articles._house_span``; brand31):
split from ``words``, which holds the rest. Part of the matcher's cache key."""

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
    # (article33) glasses and frames in the snakeskin terms' languages, not their cases
    # ("Snake Skin Oversized Square Glasses"; not "snakeskin glasses case", "etui a lunettes")
    r"(?:glasses|spectacles|brillen?|sonnenbrillen?|lunettes|occhiali|gafas|anteojos)"
    r"(?! ?(?:cases?|pouch(?:es)?|holders?|sleeves?|box|etui|chains?|straps?|cords?)(?![^\W_]))"
    r"(?<!etui a lunettes)(?<!etui lunettes)(?<!custodia occhiali)(?<!custodia per occhiali)"
    r"(?<!estuche para gafas)(?<!estuche de gafas)(?<!funda para gafas)(?<!funda de gafas)|"
    r"nail wraps?|nail art|nail stickers?|nail decals?|decals?|stickers?|vinyl|wrap film|"
    r"fabric|by the yard|spandex|lycra|polyester|chiffon|fleece|leggings|tights|swimsuit|"
    r"wallpaper|peel and stick|tapete|paint|spray|"
    # stones
    r"agate|jasper|gemstones?|tumbled|tumble stones?|cabochons?|palm stones?|spheres?|"
    # (lead31) metal rings and face masks ("Snakeskin Ring ... Textured Ring Stacking Ring")
    r"stacking rings?|textured|sterling|925|face masks?|mask chains?"
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


# -- the matcher: luxury houses and their model names (brand31) --
# A resale title names the house, the model and the skin and often no article word ("Louis
# Vuitton Alligator Speedy 30", "Hermes Kelly 28 Niloticus", "Jimmy Choo Python"), so the house
# or model beside an animal of the skin trade is read as a leather article is
# (``articles._house_span``); and a model name before "style" is the bag's shape ("Lizard Kelly
# Style Bag": ``shaped``; ``skins.pattern_skins``), not a fake skin. Folded words.
# Houses whose skin goods the resale trade titles by house and skin alone. Not Bulgari
# ("Serpenti" is its snake jewellery), not Lacoste (its crocodile is a logo), not the
# mass brands whose "python" and "croc" are embossed cow leather.
HOUSES = (
    "hermes",
    "chanel",
    "louis vuitton",
    "vuitton",
    "christian dior",
    "dior",
    "fendi",
    "gucci",
    "bottega veneta",
    "chloe",
    "jimmy choo",
    "louboutin",
    "christian louboutin",
    "judith leiber",
    "nancy gonzalez",
    "lana marks",
    "lucchese",
    "prada",
    "celine",
    "saint laurent",
    "yves saint laurent",
    "ysl",
    "valentino",
    "givenchy",
    "balenciaga",
    "ferragamo",
    "manolo blahnik",
    "roger vivier",
    "tom ford",
    "santiago gonzalez",
    "kwanpen",
    "ralph lauren collection",
    "cartier",
    "miu miu",
    "loewe",
)
# Models of those houses named without the house ("Birkin 30 Porosus"); a name that is also a
# first name or a word ("Kelly", "Jackie", "Boy", "Alma", "Saddle", "Gotham") counts only with
# its house in the field (``HOUSE_MODELS``).
MODELS = (
    "birkin",
    "constance",
    "evelyne",
    "bolide",
    "picotin",
    "capucines",
    "neverfull",
    "peekaboo",
    "dionysus",
    "lady dior",
    "silverado",
    "paddington",
)
HOUSE_MODELS = frozenset(
    """
    kelly lindy jige jackie gotham baguette saddle alma speedy boy flap classic
    twist bamboo horsebit marcie drew faye muse downtown mombasa luggage
    """.split()
)
_HOUSES = tuple(tuple(h.split()) for h in HOUSES)
_MODELS = tuple(tuple(m.split()) for m in MODELS)
# The models a shop names a bag's shape by ("Kelly style", "Birkin style": ``shaped``); not
# the words that are a style of their own ("classic style", "boy style").
SHAPES = frozenset("kelly jackie speedy alma saddle baguette lindy jige".split())

# The houses' goods that are no skin article: a field naming one is read as that good
# ("Hermes Carre Crocodiles silk scarf", "Gucci crocodile T-shirt", "Dior porcelain plate").
HOUSE_GOODS = frozenset(
    """
    scarf scarves carre twilly foulard shawl tie ties cravate silk tshirt tee shirt shirts
    hoodie sweater jumper sweatshirt polo dress skirt plate plates porcelain ashtray tray
    figurine figure enamel perfume fragrance parfum book books catalogue catalog poster
    puzzle blanket plaid cushion pillow pin brooch ring necklace earrings earring pendant
    charm keychain keyring toy plush sticker stickers wallpaper mug cup game
    sunglasses glasses eyewear
    """.split()
)

# The skin trade's species epithets (lexicon role ``article``): read with a house or model
# as with a leather article ("Hermes Kelly 28 Niloticus"), although a house alone does not
# make the other ``article`` animals a skin ("Gucci snake" is its embroidered motif).
EPITHETS = frozenset("niloticus porosus mississippiensis johnstoni novaeguineae salvator".split())


def houses_in(words: list[str]) -> list[tuple[int, int]]:
    """The ranges (first, last + 1) of ``words`` (a clause's folded words) that name a house or
    a model: models of ``HOUSE_MODELS`` only if a house is named in them too."""
    spans = []
    for names in (_HOUSES, _MODELS):
        for i in range(len(words)):
            for name in names:
                if tuple(words[i : i + len(name)]) == name:
                    spans.append((i, i + len(name)))
    if any(tuple(words[i:j]) in _HOUSES for i, j in spans):
        spans += [(i, i + 1) for i, w in enumerate(words) if w in HOUSE_MODELS]
    return sorted(set(spans))


def model_style(word: str, words: list[str]) -> bool:
    """Whether ``word`` (folded) is "style" after a model name that ends ``words``: "Lizard
    Kelly Style Bag" is a Kelly-shaped bag of lizard, not a lizard look (``shaped``)."""
    return word in ("style", "styled") and shaped(words)


def shaped(words: list[str]) -> bool:
    """Whether the last of ``words`` (folded) is a model name: "Kelly style" names the bag's
    shape ("Vintage Lizard Kelly Style Bag")."""
    if not words:
        return False
    return words[-1] in SHAPES or any(tuple(words[-len(m) :]) == m for m in _MODELS)
