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
    "motif": 0.25,
}
CANCELLING = ("cancel", "negation")
# (leather29) Decoys that name what a skin is used for, not what it is: beside a skin or fur
# claimed genuine ("Genuine snake skin hide ... Costume Crafts") they lower nothing.
USE_WORDS = frozenset(
    {"costume", "costumes", "cosplay", "craft", "crafts", "crafting", "diy"}
    # (lead31) what a real fur pompom is sold as ("REAL FUR ... Fox Pom Pom Keychain")
    | {"keychain", "keychains", "key chain", "key chains", "keyring", "keyrings", "key ring"}
)
# (fossil31) The decoys that date or place a fossil, or name an extinct shark or ray, and
# "fossilized" in each language (term ids, folded as lexicon.py folds them): beside walrus or
# mammoth ivory they lower nothing, fossil ivory being sold as ivory (``negatives.fossil_ivory``;
# docs/labelling.md); beside walrus ivory neither does the replica word "fossil" ("Fossil
# walrus ... pendant", the description: "fossilized walrus tusk").
FOSSIL_WORDS = frozenset(
    {
        "en:negative:megalodon",
        "en:negative:pleistocene",
        "en:negative:geological age",
        "en:negative:sharktooth hill",
        "en:negative:cretoxyrhina",
        "fr:negative:fossile",
        "fr:negative:cretace",
        "de:negative:versteinert",
        "de:negative:kreidezeit",
        "es:negative:fosil",
        "es:negative:cretacico",
        "it:negative:fossile",
        "it:negative:cretaceo",
        "nl:negative:fossiel",
        "pt:negative:fosseis",
        "ru:negative:окаменелость",
        "ja:negative:白亜纪",
        "zh-Hans:negative:化石",
    }
)
WALRUS_FOSSIL_WORDS = frozenset({"en:negative:fossil"})
WALRUS = "Odobenus rosmarus"
# ... and the words that make an ivory mammoth ivory (a bare "ivory" beside a period's name is
# as often a colour: "Jurassic World ivory bedding set").
MAMMOTH_WORDS = frozenset(
    {
        "en:negative:mammoth",
        "en:negative:mammoth ivory",
        "en:negative:mammoth tusk",
        "de:negative:mammut",
        "es:negative:mamut",
        "es:negative:marfil de mamut",
        "fr:negative:mammouth",
        "fr:negative:ivoire de mammouth",
        "it:negative:avorio di mammut",
        "ja:negative:マンモス",
        "zh-Hans:negative:猛犸",
        "zh-Hans:negative:猛犸象牙",
        "zh-Hans:negative:猛犸牙",
    }
)
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
# (lead31) The groups whose animal is the material of a jewel named by it alone ("Coral
# pendant", "Butterfly wing earrings"): a jewel word (role motif) does not lower them.
MOTIF_MATERIALS = DISPLAYED | {"corals"}


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


# -- the matcher: materials, furs and live words (``Matcher.match``, ``negatives.denied``) -

# Materials a look-alike imitates: a cancel holding the first words of a term of one denies it.
# "leather", "fur garment": a skin or fur named by the animal and the article (article27).
MATERIALS = frozenset({"skin", "fur", "ivory", "horn", "shell", "coral", "leather", "fur garment"})
# (jewel33) The product of the shark fin and its part word: a cancel of this product ("antenna",
# "Antenne", 天线: a car part's words) denies them anywhere in its field, not only inside it
# ("Auto Shark Fin Signal Receiver Antenna Compatible with ...": ``negatives.denied``)
FIN = "fin"
# Products that are a garment's fur or an article's skin: a colour word beside them is the
# garment's ("mink trim", "black python ... handbag", "brown fox balmain coat").
FURS = frozenset({"fur", "leather", "fur garment"})
# (leather29) A skin named by its trade name at this weight or more ("bison leather", "ostrich
# leather", "python bag", "karung": product ``skin``) is an article's material as well: a
# colour word ("wool" lined, "sneakers", "jacket", a description's "colour palettes") is the
# article's, not "ivory" as a colour. "snake skin" (0.35), which shops write of prints as
# often, stays lowered.
SKIN_MATERIAL_WEIGHT = 0.5
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
        "anery",
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
# not part of a phrase that is no animal's state (``WEAK_PHRASE``): ``names.inert_live``. A
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
        "albino",
        "abzugeben",
        "à adopter",
        "en adopción",
        "in adozione",
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
# keepsake of an animal, and the materials figures are cast and cut in; clothes and leather
# goods (lead31).
OBJECT_WORDS = re.compile(
    r"(?<![^\W_])(?:"
    # en
    r"figurines?|figures?|statues?|statuettes?|sculptures?|ornaments?|trinkets?|books?|novels?|"
    r"paperback|hardcover|hardback|cds?|dvds?|blu ray|bluray|vhs|albums?|lp|vinyl|soundtrack|"
    r"concert|prints?|posters?|postcards?|cards?|puzzles?|toys?|plush|mugs?|tee|"
    r"t shirts?|shirts?|stickers?|decals?|magnets?|keychains?|key ?rings?|pins?|badges?|patch|coins?|"
    r"stamps?|pewter|porcelain|ceramic|crystal|resin|plaster|bisque|stoneware|earthenware|"
    r"bronze|brass|enamel|cloisonne|glass|"
    # (lead31) clothes, costumes and leather goods, whose "adult", "female" and "male" are sizes
    # and genders ("Shark slippers adult female", "Tiger mask adult", "Male Crocodile Leather
    # Wallet Men")
    r"costumes?|onesies?|pajamas|pyjamas|hoodies?|sweatshirts?|slippers|socks|hats?|beanies?|"
    r"masks?|goggles|leggings|swimsuits?|wallets?|purses?|handbags?|bags?|shoes|boots|sandals|"
    r"slides|belts?|jackets?|coats?|scarf|scarves|gloves|"
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


# -- the matcher: an exotic skin or fur named by the animal and the article (article27) --
# ``articles.skin_articles``: an animal of the skin trade named in the same field as a leather
# article, or one of the fur trade with a garment, within a few words ("burgundy python vara
# salvatore ferragamo ballet flats", "brown fox balmain coat", "sac en python", "borsa in
# pitone", "Fuchsmantel") is also that skin or fur: a product carrying the id and weight (0.5)
# of the lexicon's phrase entry of its taxon ("python leather", "fox stole"). Folded words (lower case, no
# diacritics). Not animals whose name is a brand or a thing on such articles: "croc" (Crocs
# clogs), "gator" (Gator cases, the Gators), "emu" (EMU Australia boots), "boa" (the BOA lacing
# of boots), "cobra" (golf bags), "shark" (Shark vacuum bags, "Baby Shark" backpacks), "frog"
# (a frog fastening is a garment's), "serpent" (English too: "Serpent of the Seas belt buckle"),
# "sable" and "mink" beside footwear (colours).
SKIN_ANIMALS = frozenset(
    """
    python pythons pitone pitoni piton pythonleder snake snakes schlange
    schlangen serpente serpenti serpiente serpientes anaconda anacondas lizard lizards lezard
    lezards eidechse eidechsen echse lucertola lucertole lagarto lagartos varan varans varano
    varanos waran teju tegu crocodile crocodiles croco krokodil kroko coccodrillo coccodrilli
    cocodrilo cocodrilos alligator alligators alligatore caiman caimans caimano kaiman
    ostrich autruche struzzo avestruz stingray stingrays eel eels anguille aal karung galuchat
    copperhead cottonmouth varanus
    niloticus porosus johnstoni novaeguineae mississippiensis salvator
    """.split()
) | frozenset({"whip snake"})  # (leather29) the skin trade's snakes, by the main term's name
# (article33) the cane toad (en, de, fr, es, it main terms): its small leather goods ("Cane Toad
# Coin Purse"); not "toad" (Nintendo's Toad wallets) nor "frog" (above).
SKIN_ANIMALS |= frozenset({"cane toad", "agakrote", "crapaud buffle", "sapo de cana"})
SKIN_ANIMALS |= frozenset({"rospo delle canne"})
FUR_ANIMALS = frozenset(
    """
    fox foxes renard volpe zorro fuchs mink vison visone nerz chinchilla cincilla lynx lince
    luchs coyote kojote raccoon racoon procione mapache waschbar marten martre martora marder
    ermine hermine ermellino armino hermelin beaver castor castoro biber wolf loup lupo lobo
    otter fischotter
    """.split()
)
# The products the rule gives (``MATERIALS``, ``FURS``): "leather", "fur garment".
# Leather articles (en, fr, de, it, es; folded, singular and plural).
LEATHER_ARTICLES = frozenset(
    """
    bag bags handbag handbags clutch clutches pouch pouches tote totes wallet wallets purse
    purses belt belts boots boot booties shoes shoe flats pumps heels loafers sandals mules
    sneakers trainers espadrilles slippers jacket jackets strap straps backpack satchel
    crossbody briefcase holder cardholder minaudiere hobo mule loafer sandal sneaker
    slingback slingbacks bootie ballerina ballerinas hatband hatbands wristlet
    sac sacs pochette portefeuille ceinture ceintures bottes bottines chaussures escarpins
    ballerines mocassins sandales baskets veste blouson porte
    tasche taschen handtasche brieftasche geldborse portemonnaie gurtel stiefel stiefeletten
    schuhe sandalen jacke armband
    borsa borse borsetta portafoglio cintura stivali stivaletti scarpe decollete ballerine
    mocassini sandali giacca giubbotto cinturino
    bolso bolsos cartera billetera cinturon botas botines zapatos sandalias chaqueta correa
    bracelet bracelets watchband watchbands pulsera bracciale
    portamonete monedero monederos
    """.split()
)  # (article33) coin purses (it, es)
# (article33) Key rings of a cane toad's skin ("Cane Toad Key Ring"), read for the cane toad
# only (``TOAD_ANIMALS``): beside another animal a keyring is its shape (``ARTICLE_BLOCKS``).
TOAD_ANIMALS = frozenset({"cane toad", "cane toads", "agakrote", "crapaud buffle"})
TOAD_ANIMALS |= frozenset({"sapo de cana", "rospo delle canne"})
TOAD_GOODS = frozenset(
    "keyring keyrings keychain keychains fob fobs schlusselanhanger portachiavi llavero".split()
)
# (leather29) Articles only when named first, across a link ("Collar Pump in Python"): named
# after the animal they are its other goods ("Python aquarium pump", "Python trainer" courses,
# "Cottonmouth Water Moccasin").
LEATHER_FIRST = LEATHER_ARTICLES | frozenset("pump trainer moccasin moccasins".split())
# Fur garments (en, fr, de, it, es).
FUR_GARMENTS = frozenset(
    """
    coat coats jacket jackets stole stoles collar collars hat hats scarf scarves vest vests
    gilet gilets cape capes capelet trim trimmed hood hoods parka parkas wrap shawl muff
    manteau manteaux veste blouson etole col chapeau echarpe capuche toque
    mantel mantelchen jacke stola kragen mutze hut schal weste kapuze
    cappotto giacca giubbotto pelliccia stola collo cappello sciarpa mantella cappuccio colbacco
    abrigo chaqueta estola cuello gorro sombrero bufanda chaleco capa capucha
    """.split()
)
# Words that join an article named first to the animal ("sac en python", "borsa in pelle di
# pitone", "bolso de piel de piton", "Tasche aus Python", "jacket in fox").
ARTICLE_LINKS = frozenset(
    "in en de di da del della aus of a main à cuir pelle piel leder leather fur pelliccia".split()
)
# Words between the animal and the article that make the animal the article's picture,
# colour or shape, or its material another's ("fox print scarf", "mink cashmere scarf",
# "fox head hat", "Zorro costume hat").
ARTICLE_BLOCKS = frozenset(
    """
    print prints printed pattern patterned motif embroidered embroidery graphic applique
    shaped shape face head ears design logo monogram cartoon charm charms keychain toy plush kids
    costume disfraz kostum deguisement wool cashmere cotton silk linen knit knitted velvet
    satin nylon polyester fleece canvas denim acrylic mohair alpaca angora felt tweed suede
    faux fake vegan synthetic imitation mock embossed embossing stamped effect look imprime stampa
    stampato estampado druck style styled inspired optik
    """.split()
)
# (leather29) A garment named first and joined to its fur by "with" ("Parka with natural fox or
# bluefrost fur", "Wintermantel mit echtem Fuchspelz", "parka con pelo de mapache"): these
# links join a fur garment to the animal only where a fur word stands beside the animal (after
# it, the rest of its compound, or between the link and it), so that "fleece jacket with fox"
# (a picture) stays no fur. A skin's article takes them too where a skin word follows
# ("clutch with python skin trim").
WITH_LINKS = frozenset("with w mit avec con".split())
MATERIAL_WORDS = frozenset(
    "fur furs pelz pelzen fell echtpelz echtfell fourrure pelliccia pelo piel pele skin leather"
    " hide trim".split()
)
# Words that may stand between the link and the animal ("with natural fox", "mit echtem
# Fuchspelz", "con vera volpe"): what the fur is, not what it shows.
ARTICLE_FILLERS = frozenset(
    """
    natural real genuine detachable removable large big oversized dyed finn finnish saga
    echt echte echtem echter echtes naturlich naturlichem naturale naturali vera vero veri
    naturel naturelle veritable veritables naturales autentica autentico genuina
    cross blackglama pastel sapphire
    """.split()
)
# German garments and leather goods that end compounds ("Wintermantel", "Daunenjacke"): a
# word ending in one of these that the product's articles hold is that article.
COMPOUND_TAILS = ("mantel", "jacke", "weste", "kragen", "kapuze", "stola", "tasche", "stiefel")
ARTICLE_AFTER = 6  # words at most between the animal and an article named after it
ARTICLE_BEFORE = 3  # linking words at most between an article named first and the animal

# (furacc29) Colour words (folded; en, fr, de, it, es). Between an article named first and the
# animal they say what colour the skin is ("Driving loafers brown alligator", "jacket in dyed
# black cross mink"); right before a fur animal they say the animal is the material, not the
# colour ("pink mink fendi sandals": ``FUR_ACCESSORIES``).
COLOUR_WORDS = frozenset(
    """
    black white grey gray brown beige camel pink red blue navy green khaki cream ecru tan
    cognac burgundy bordeaux orange yellow purple multicolour multicolor silver gold golden
    dark light natural anthracite chocolate taupe nude
    noir noire blanc blanche gris marron rouge bleu vert rose jaune
    schwarz weiss weis grau braun blau rot grun
    nero nera bianco bianca grigio marrone rosso blu verde
    negro negra blanco blanca gris marron rojo azul verde
    """.split()
)
# (furacc29) Furs named with a shoe or a small accessory ("mink sandals", "grey mink gucci
# ankle boots", "mink pompom earrings"): ``FUR_ACCESSORIES`` count for the animals of
# ``FUR_ACCESSORY_ANIMALS`` only when the animal is the material, not a colour or a brand:
# right before the article (a footwear word of ``FOOTWEAR_QUALIFIERS`` may stand between:
# "Mink ankle boots") or right after a colour word ("camel mink lock it louis vuitton
# sandals"). Not coyote, sable, lynx, wolf, otter, zorro: colours and brands of boots ("Danner
# Coyote boots", "Rocky Lynx", Zorro costumes); not bags, wallets, gloves or earrings alone (Fox
# Rage tackle bags, fox-shaped earrings); not slippers or sneakers (animal-face slippers); a
# pompom is the fur ("fox pom pom beanie").
FUR_ACCESSORY_ANIMALS = frozenset(
    """
    mink vison visone nerz fox foxes renard volpe fuchs raccoon racoon procione mapache
    waschbar chinchilla cincilla marten martre martora marder ermine hermine ermellino armino
    hermelin
    """.split()
)
FUR_ACCESSORIES = frozenset(
    """
    sandals sandal slides mules mule boots booties bootie loafers loafer pumps heels
    espadrilles pompom pompoms pompon pompons pom
    sandales bottes bottines escarpins mocassins sandalen stiefel stiefeletten pantoletten
    sandali stivali stivaletti sandalias botas botines
    """.split()
)
FOOTWEAR_QUALIFIERS = frozenset("ankle knee thigh high platform flat heeled pool slide".split())
# (furacc29) Named first, a watch strap or bracelet of a skin may be followed by the animal with
# no link, colour words at most between ("Apple Watch band lizard", "Driving loafers brown
# alligator"); a fur may not (colours follow shoes: "Slippers Mink"). Bracelets are leather
# articles except of a jewel ("Charm bracelet crocodile motif", "Snake Chain Bracelet", sterling
# silver snake bracelets: ``JEWEL_WORDS`` in the field, or an animal of role ``article``).
BRACELETS = frozenset("bracelet bracelets watchband watchbands pulsera bracciale".split())
SKIN_FIRST = frozenset("band bands".split())
JEWEL_WORDS = frozenset(
    """
    chain charm charms silver sterling plated enamel bead beads beaded crystal crystals
    rhinestone rhinestones diamond diamonds pearl pearls bangle motif shaped figure
    argent argento plata
    """.split()
)
# (boots29) Boots, the largest exotic-leather article of the marketplaces, are titled with the skin
# anywhere: after the brand, the size and "Men's" ("Corral Western Boots Men's Ostrich Black",
# "Cowboy Boots Mens Size 9 Python Brown"). An animal of the skin trade (not one of role
# ``article``: "Snake Boots" are snake-proof) and one of these in its clause, with no word of
# ``ARTICLE_BLOCKS`` between them or right after the animal ("Boots Ostrich Print", "Exotic-Look
# Ostrich"), is that leather (``articles._boot_span``). Folded; en, fr, de, it, es ("santiags",
# "Cowboystiefel" by ``COMPOUND_TAILS``, "stivali texani", "botas vaqueras").
BOOTS = frozenset(
    """
    boot boots bootie booties roper ropers bottes bottines santiag santiags stiefel stiefeletten
    stivali stivaletti botas botines
    """.split()
)
# The animals of role ``article`` that are a boot's skin too, folded ("Santiags autruche",
# "stivali struzzo"): not the snakes ("Snake Boots" are snake-proof), eels or wolves.
BOOT_ARTICLE_ANIMALS = frozenset("autruche struzzo croco kroko piton".split())
# Words right after an animal named after its article that make it a finish, not the skin
# ("Watch band crocodile grain", "strap in alligator texture", "Leather Belt Crocodile Buckle"),
# besides ``ARTICLE_BLOCKS``.
AFTER_BLOCKS = frozenset("grain texture textured clip clips buckle buckles clasp".split())

# (lead) Requests and lost or found pets (live33, live33b: "WTB", "ISO", "looking to adopt",
# "lost parrot"): an ad asking for an animal offers none, but only its title says so; in a
# description the same words are a standard ("ISO 9001"), a camera setting or a shop's
# patter ("in search of the perfect gift?"). ``negatives.counted`` reads them in titles only.
REQUESTS = frozenset({"en:negative:in search of", "en:negative:lost parrot"})
