"""(colour31) A wildlife material named as the colourway of a modern article: "Tom Ford Ivory
cat-eye FT9284/S Sunglasses", "Ray-Ban RB2140 Tortoise Frame", "Gold case, ivory dial",
"Tortoise Shell Hair Claw Clip", "Red/coral Boho Trim Bikini", "Schildpatt Brille",
"occhiali tartaruga", "べっ甲 メガネ" (``colour_terms``, ``colour_goods``). Eyewear, watches,
phone cases, hair clips, guitar picks and pickguards, pens, cosmetics, yarn and swimwear are
made of acetate, lacquer or dye in these colours: the material word is their colour
(docs/labelling.md, the "faux" and colour rows). A claim that the material is genuine
("real tortoiseshell", "echtes Schildpatt", 本べっ甲) or that the piece is old (antique,
19th century, Victorian, a year before 1940) keeps it: antique spectacles and combs were made
of tortoiseshell, ivory and horn. Part of the matcher's cache key."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

from crawler.matching.finder import TermMatch
from crawler.matching.negatives import inside
from crawler.normalise.textnorm import fold_term

# The material words that are colourways too (folded), per language: ivory, tortoiseshell,
# coral and the tortoise; not their objects ("ivory carving", "coral necklace") nor the turtle
# (a Seiko "Turtle" is a model, row "brands").
COLOUR_MATERIALS = frozenset(
    w.strip()
    for w in """
    ivory|ivories|tortoiseshell|tortoise shell|tortoise|turtle shell|coral|red coral|black coral|blue coral
    elfenbein|schildpatt|ivoire|ecaille de tortue|corail|corail rouge
    avorio|avori|tartaruga|corallo|corallo rosso|marfil|marfiles|carey|coral rojo|coral negro
    ivoor|ivoren|koraal|rood koraal|象牙|鼈甲|べっ甲|べっこう|ベッコウ|珊瑚
    """.replace("\n", "|").split("|")
    if w.strip()
)

# The articles, one word each (lowercase): eyewear; watches; phones; hair accessories; guitar
# picks and pickguards, pens; cosmetics; yarn; swimwear; paint (en, de, fr, it, es, nl);
# (lead31) balloons, home appliances and home textiles, make-up, chains and masks
GOODS_WORDS = frozenset(
    """
    sunglasses sunglass eyeglasses eyeglass glasses eyewear readers shades goggles optical
    frame frames lens lenses aviator aviators wayfarer wayfarers clubmaster sunnies
    sonnenbrille sonnenbrillen brille brillen brillengestell brillenfassung lesebrille
    lesebrillen fassung lunettes monture montures solaire solaires occhiali occhiale montatura
    gafas lentes montura anteojos zonnebril zonnebrillen bril montuur
    watch watches wristwatch dial bezel chronograph armbanduhr uhr zifferblatt montre cadran
    orologio quadrante reloj horloge horloges wijzerplaat
    phone iphone smartphone galaxy airpods handyhülle handyhulle coque funda hoesje
    hairclip hairclips clawclip clawclips barrette barrettes scrunchie scrunchies headband
    headbands haarspange haarspangen haarklammer haarklemme haarklemmen haarklem mollettone
    pasador pasadores
    pickguard plectrum plectrums plektrum mediator mediators médiator médiators plettro
    battipenna golpeador pen pens ballpoint rollerball füller fuller kugelschreiber stylo
    stylos penna stilografica pluma bolígrafo boligrafo
    nail nails polish lipstick lipsticks lipgloss eyeshadow blush nagellack lippenstift vernis
    smalto rossetto esmalte labial
    yarn skein skeins knitting crochet garn wolle laine filato hilo garen
    swimsuit swimsuits bikini swim swimwear badeanzug maillot bañador banador
    paint farbe peinture pittura pintura verf
    balloon balloons luftballon luftballons ballon ballons palloncini globos
    makeup foundation concealer highlighter bronzer mascara eyeliner
    chain chains lanyard mask masks
    refrigerator fridge freezer microwave dishwasher kettle toaster inverter
    sofa couch cushion cushions curtain curtains drapes rug duvet bedspread towel towels
    """.split()
)
# ... and two words together ("claw clip", "pick guard", "pince à cheveux", "nail polish")
GOODS_PAIRS = frozenset(
    tuple(p.split())
    for p in """
    sun glasses|eye glasses|cat eye|claw clip|claw clips|hair clip|hair clips|hair claw|hair claws
    banana clip|banana clips|snap clip|snap clips|hair tie|hair ties|bobby pin|bobby pins
    à cheveux|a cheveux|pince crabe|pinces crabe|per capelli|guitar pick|guitar picks|pick guard
    mandolin pick|fountain pen|nail polish|lip gloss|one piece|da bagno
    """.replace("\n", "|").split("|")
    if p.strip()
)
_WORD = re.compile(r"[^\W\d_]+")
# where a model code may be: two capitals and three digits, or a size triple
_CODE_HINT = re.compile(r"[A-Z]{2} ?-?\d{3}|\d\d ?[-/□] ?\d\d")
# Japanese: written without spaces ("べっ甲メガネ", "アイボリーの腕時計")
GOODS_JA = re.compile(
    "メガネ|めがね|眼鏡|サングラス|フレーム|腕時計|時計|文字盤|スマホ|ヘアクリップ|バレッタ|"
    "バンスクリップ|ヘアピン|万年筆|ボールペン|ネイル|マニキュア|口紅|リップ|毛糸|水着"
)
# Eyewear makers' model codes ("FT9284/S", "RB2140", "0PO3019", "VE4409", "TY7194U") and the
# frame size triple ("53/21 140", "55-18-145")
MODEL_CODE = re.compile(
    r"(?<![A-Za-z0-9])(?:0?(?:RB|RX|FT|TF|PO|VE|PR|SPR|HC|MK|TY|BE|DG|GG|CK|EA|AR|OO|OX|SF|GF|"
    r"DB|CH|CA|PH|VO|MU|SK)\s?-?\d{3,4}[A-Z]{0,2}(?:/[A-Z0-9]{1,2})?)(?![a-z0-9])"
    r"|(?<!\d)\d{2}\s?[-/□]\s?\d{2}\s?[- /]\s?\d{3}(?!\d)"
)
# A claim that the material is genuine, right before it ("real tortoiseshell", "echtes
# Schildpatt", "véritable écaille", "vero avorio", "carey auténtico" after it)
GENUINE_BEFORE = re.compile(
    r"(?<![^\W_])(?:real|genuine|echte[snr]?|echt|v[eé]ritable|vraie?|"
    r"vero|vera|naturale|aut[eé]ntic[oa]|genuin[oa]|natural|carved|hand[- ]carved)"
    r"[\s-]+(?:[^\W\d_]+[\s-]+)?$",
    re.IGNORECASE,
)
GENUINE_AFTER = re.compile(r"^\s+(?:aut[eé]ntic[oa]|genuin[oa]|naturale|vero|vera|v[eé]ritable)")
# The piece is old, or carved: the material is what it is made of (anywhere in the listing)
OLD = re.compile(
    r"\b(?:antiques?|antik|antike[snr]?|antic[oaih]|antichi|antigu[oa]s?|ancienne?s?|"
    r"antiek|victorian|georgian|edwardian|regency|napoleon|biedermeier|meiji|taisho|qing|"
    r"pre[- ]?ban|pre[- ]?convention|\d{2}(?:th|st|nd|rd)[- ]c(?:entury|\.)?|century|"
    r"jahrhundert|si[eè]cle|secolo|siglo|eeuw|circa|scrimshaw|netsuke|okimono|carved|carving|"
    r"carvings|figurine|sculpture|geschnitzt|sculpt[eé]e?|scolpit[oa]|tallad[oa])\b"
    r"|(?<!\d)(?:1[5-8]\d\d|19[0-3]\d)(?:s|'s)?(?!\d)|アンティーク|骨董|明治|大正|江戸|本べっ甲|本鼈甲",
)
_SENTENCE_END = re.compile(r"[.!?;\n|•]\s|[\n|•。]")


class ColourRules(NamedTuple):
    """What ``colour_goods`` gives: the cancel of a colour-sense material ("ivory
    colourway"); (jewel33) the ids of the bare coral words (``CORAL_WORDS``) and the coral
    product they become when set in a jewel (``set_corals``), or None."""

    cancel: object
    corals: frozenset[str] = frozenset()
    coral: object = None


def colour_terms(terms) -> tuple[frozenset[str], ColourRules | None]:
    """The ids of the lexicon's colour-sense material terms (``COLOUR_MATERIALS``: their
    first form or a variant) and of its bare coral words (``CORAL_WORDS``), and the rules
    ``colour_goods`` applies (``ColourRules``), or ``(frozenset(), None)`` without the cancel
    ("ivory colourway")."""
    cancel = next(
        (t for t in terms if t.kind == "negative" and t.role == "cancel" and t.term == "ivory colourway"),
        None,
    )  # fmt: skip
    if cancel is None:
        return frozenset(), None
    ids, corals = set(), set()
    for t in terms:
        if t.kind in ("product", "species") and t.taxon_id and t.role is None:
            names = [t.term, *(getattr(t, "variants", None) or ())]
            if any(fold_term(n) in COLOUR_MATERIALS for n in names):
                ids.add(t.id)
            if t.taxon_id == "Anthozoa" and fold_term(t.term) in CORAL_WORDS:
                corals.add(t.id)
    coral = next(
        (t for t in terms if t.term == CORAL_PRODUCT and t.kind == "product" and t.taxon_id),
        None,
    )
    if coral is None:
        corals = set()
    return frozenset(ids | corals), ColourRules(cancel, frozenset(corals), coral)


def colour_goods(
    title: str | None, description: str | None, matches: list[TermMatch], ids, rules
) -> list[TermMatch]:
    """``matches`` with the rules' cancel added over each colour-sense material (``ids``)
    named in the same title, or the same sentence of a description, as a modern article
    (``_goods``): "Ivory cat-eye FT9284/S Sunglasses", "Tortoise Shell Hair Claw Clip". Not
    when the listing says the piece is old or carved (``OLD``) or the material genuine
    (``GENUINE_BEFORE``, ``GENUINE_AFTER``). (jewel33) A bare coral set in a jewel is the
    material first (``set_corals``), no colour."""
    for m in matches:  # most listings name none: a loop that stops, not a list
        if m.term_id in ids:
            break
    else:
        return matches
    if rules.corals:
        matches = set_corals(title, description, matches, rules)
    cancel = rules.cancel
    found = [m for m in matches if m.term_id in ids and _material(m.matched_text)]
    if not found:
        return matches
    old = None  # read once, and only where an article is named
    added, lifted = [], set()
    for m in found:
        text = title if m.field == "title" else description
        if not text:
            continue
        phrases = [id(c) for c in matches if _colour_phrase(c, m)]
        start, end = (0, len(text)) if m.field == "title" else _sentence(text, m)
        scope = text[start:end]
        if not (phrases or _goods(scope)):
            continue
        if old is None:
            old = bool(
                (title and OLD.search(title.lower()))
                or (description and OLD.search(description.lower()))
            )
        if old or _genuine(text, m):
            # a genuine or old piece: a colour phrase holding its material is no colour
            # ("Genuine tortoiseshell eyeglasses frames 1920s": "tortoiseshell eyeglasses")
            lifted.update(phrases)
            continue
        added.append(
            replace(
                m, term_id=cancel.id, term=cancel.term, lang=cancel.lang, kind="negative",
                product=None, role=cancel.role, taxon_id=None,
            )
        )  # fmt: skip
    if lifted:
        matches = [c for c in matches if id(c) not in lifted]
    return matches + added if added else matches


def _material(text: str) -> bool:
    """Whether a match's text is one of ``COLOUR_MATERIALS`` ("Red/coral", "Tortoise Shell")."""
    low = text.lower()
    if low.isascii():
        return low.replace("/", " ").replace("-", " ") in COLOUR_MATERIALS
    return fold_term(text) in COLOUR_MATERIALS


def _colour_phrase(c: TermMatch, m: TermMatch) -> bool:
    """Whether ``c`` is a cancel holding the material ``m`` and naming an article
    ("tortoiseshell frames", "tortoise sunglasses", "occhiali tartaruga")."""
    if c.role != "cancel" or c is m:
        return False
    return inside(m, c) and _goods(c.matched_text)


def _goods(text: str) -> bool:
    """Whether ``text`` names an article (``GOODS_WORDS``, ``GOODS_PAIRS``, ``GOODS_JA``) or
    an eyewear model code (``MODEL_CODE``)."""
    words = _WORD.findall(text.lower())
    if not GOODS_WORDS.isdisjoint(words) or not GOODS_PAIRS.isdisjoint(zip(words, words[1:])):
        return True
    if _CODE_HINT.search(text) and MODEL_CODE.search(text):
        return True
    return not text.isascii() and bool(GOODS_JA.search(text))


def _genuine(text: str, m: TermMatch) -> bool:
    return bool(
        GENUINE_BEFORE.search(text, max(0, m.start - 30), m.start)
        or GENUINE_AFTER.match(text[m.end : m.end + 20])
    )


def _sentence(text: str, m: TermMatch) -> tuple[int, int]:
    """The sentence of a description holding ``m`` (300 characters either side at most)."""
    low = max(0, m.start - 300)
    cuts = list(_SENTENCE_END.finditer(text, low, m.start))
    start = cuts[-1].end() if cuts else low
    stop = min(len(text), m.end + 300)
    found = _SENTENCE_END.search(text, m.end, stop)
    return start, found.start() if found else stop


# -- (jewel33) coral set in a jewel -----------------------------------------------------

# The bare coral words (folded) of the lexicon's languages: alone a colour as often as the
# material ("Neon Coral", "coral lipstick"), weight 0.15
CORAL_WORDS = frozenset(
    "coral corales corais corail coraux koralle korallen corallo coralli koraal koral "
    "коралл mercan 珊瑚 サンゴ 산호 ปะการัง".split()
)
# The product a coral set in a jewel becomes: the lexicon's "coral necklace" (weight 0.5)
CORAL_PRODUCT = "coral necklace"
# A cut, a setting or the trade's name of a precious coral right before the coral word
# ("hand-engraved coral disc", "cabochon de corail", "Momo coral", "inlaid coral")...
CORAL_BEFORE = re.compile(
    r"(?<![^\W_])(?:(?:hand[- ]?)?(?:carved|engraved|cut)|inlaid|inlay|set with|studded with|"
    r"momo|sardinian|mediterranean|angel[- ]?skin|oxblood|sciacca|cabochons?|perles?|camée?s?|"
    r"branche|disques?|cammeo|perline?|ramo|cuentas|cabuj[oó]n(?:es)?|geschnitzte[rsn]?|"
    r"gravierte[rsn]?)(?:\s+(?:de|di|en|in|of|du|aus))?\s+$",
    re.IGNORECASE,
)
# ... or right after it ("coral disc", "Coral and handmade Silver", "corail en or rose")
CORAL_AFTER = re.compile(
    r"^[\s,-]*(?:discs?|disks?|cabochons?|cabs?|beads?|branch(?:es)?|cameos?|inlay|carving|"
    r"intaglio|stones?|sterling|vermeil|925|750|585|18k|14k|9k|18ct|14ct|9ct|en or|in oro|"
    r"en plata de ley|perles?|perline|cabuj[oó]n(?:es)?)(?![^\W_])",
    re.IGNORECASE,
)
# A precious metal's hallmark or grade: the jewel's
METALS = re.compile(
    r"(?<![^\W_])(?:sterling|vermeil|925|\.925|750|585|375|800|835|18\s?k|14\s?k|10\s?k|9\s?k|"
    r"18\s?kt|14\s?kt|18\s?ct|14\s?ct|9\s?ct|22\s?k|karats?|carats?|plata de ley|silberring|"
    r"goldring|gelbgold|weißgold|weissgold|rotgold|en or|oro giallo|or jaune|or rose|or blanc|"
    r"argento 925)(?![^\W_])|純銀|K18|K24|SV925",
    re.IGNORECASE,
)
# Silver and gold are colours too: a jewel's metals only beside a jewel's name
SOFT_METALS = re.compile(
    r"(?<![^\W_])(?:silver|gold|golden|silber|argent|argento|oro|plata)(?![^\W_])|银|銀|金",
    re.IGNORECASE,
)
JEWELS = re.compile(
    r"(?<![^\W_])(?:rings?|necklaces?|pendants?|earrings?|ear ?studs?|brooch(?:es)?|bracelets?|"
    r"bangles?|cuff ?links|chokers?|amulets?|lockets?|tiaras?|parure|bague|collier|pendentif|"
    r"boucles d'oreilles?|broche|anneau|kette|halskette|anhänger|anhanger|ohrringe|"
    r"ohrstecker|brosche|armband|anello|collana|ciondolo|pendente|orecchini|spilla|"
    r"bracciale|anillo|colgante|pendientes|aretes|pulsera)(?![^\W_])"
    r"|戒指|项链|項鍊|吊坠|吊墜|手镯|手鐲|手链|手鍊|耳环|耳環|胸针|胸針|指輪|リング|ネックレス|"
    r"ペンダント|ブローチ|帯留",
    re.IGNORECASE,
)
# A jewel's chain is no modern article (``GOODS_WORDS`` holds it for "ivory chain" lanyards)
_JEWEL_BLOCKS = GOODS_WORDS - frozenset({"chain", "chains"})
# The coral is no material: a look-alike or a colour word of the same jewel
IMITATIONS = re.compile(
    r"(?<![^\W_])(?:enamel|resin|glass|acrylic|plastic|rhinestones?|crystals?|zircon|cz|"
    r"bakelite|lucite|celluloid|faux|imitation|simulated|synthetic|artificial|artificiale?|"
    r"artificielles?|k[üu]nstliche?[rsn]?|fake|man[- ]made|howlite|"
    r"gold[- ]tone|silver[- ]tone|polymer clay|seed beads?)(?![^\W_])",
    re.IGNORECASE,
)


def set_corals(
    title: str | None, description: str | None, matches: list[TermMatch], rules: ColourRules
) -> list[TermMatch]:
    """(jewel33) ``matches`` with each bare coral word (``rules.corals``) set in a jewel
    made the coral product ``rules.coral`` ("coral necklace", weight 0.5; docs/labelling.md:
    a piece set with coral is 1): a cut, a setting or a precious coral's name beside it
    ("hand-engraved coral disc", "Oval Coral and handmade Silver ring", "Momo coral"), or
    in the same title (a description's sentence) a hallmark or precious metal with a jewel's
    name ("Bedouin Coral and Silver Yemeni Ring, 925"). Not beside a look-alike's word
    ("coral enamel earrings, gold tone": ``IMITATIONS``)."""
    coral = rules.coral
    out = None
    for i, m in enumerate(matches):
        if m.term_id not in rules.corals:
            continue
        text = title if m.field == "title" else description
        if not text or not _set_in_jewel(text, m):
            continue
        if any(_holds(n, m) for n in matches):
            continue  # "Coral pink and gold bracelet watch", "Coral Bay ... pendant"
        if out is None:
            out = list(matches)
        out[i] = replace(
            m, term_id=coral.id, term=coral.term, lang=coral.lang, kind=coral.kind,
            product=coral.product, taxon_id=m.taxon_id, role=None,
        )  # fmt: skip
    return matches if out is None else out


def _holds(n: TermMatch, m: TermMatch) -> bool:
    """Whether ``n`` is a negative (a colour phrase, a place, a look-alike) holding ``m``."""
    return n.kind == "negative" and n is not m and inside(m, n)


def _set_in_jewel(text: str, m: TermMatch) -> bool:
    start, end = (0, len(text)) if m.field == "title" else _sentence(text, m)
    scope = text[start:end]
    if IMITATIONS.search(scope):
        return False
    words = _WORD.findall(scope.lower())
    if not _JEWEL_BLOCKS.isdisjoint(words) or MODEL_CODE.search(scope):
        return False  # a modern article's colourway: "coral and gold bracelet watch"
    if CORAL_BEFORE.search(text, max(start, m.start - 30), m.start) or CORAL_AFTER.match(
        text[m.end : min(end, m.end + 30)]
    ):
        return True
    if not JEWELS.search(scope):
        return False
    return bool(METALS.search(scope) or SOFT_METALS.search(scope))
