"""The lexicon as a gate (issue 21): decoys score no risk, real products some.

A listing is flagged when the relevance model finds it relevant *and* the lexicon finds it
risky (``crawler.matching.model.flag_rule``), so the lexicon's risk decides two things: a
decoy it scores high relies on the model alone, a real product it scores 0 is missed unless
the model is near-certain. The titles below are hand-written after the failure classes
researchers reported on real eBay listings (shark and leather/exotic-animal searches); they
test the lexicon's entries, they are not evidence of accuracy (``make eval`` is).
"""

import pytest

from crawler.matching.model import CANCELLED, flag_risk

# Decoys: the lexicon must give no risk (each is flagged today only by a near-certain model).
DECOYS = [
    # car parts named after animals
    "Shark fin roof antenna for Toyota Camry",
    "Universal shark fin antenna car roof aerial black",
    "Haifischflossen Dachantenne für VW Golf",
    "Antenne de toit aileron de requin pour Peugeot 208",
    "Antena aleta de tiburón para Seat León",
    "Antenna pinna di squalo per Fiat 500",
    "鲨鱼鳍车顶天线 汽车用品",
    "シャークアンテナ ルーフアンテナ カー用品",
    # appliance brands
    "Shark Navigator pet power brush replacement",
    "Shark Rocket stick vacuum attachments",
    "Ninja Foodi air fryer shark",
    "Aspirateur balai Shark sans fil",
    # plush and figurine brands
    "Jellycat Bashful shark plush 31cm",
    "Schleich 14735 tiger figure",
    "Safari Ltd great white shark figure",
    "Steiff crocodile vintage mohair",
    "Squishmallow 8 inch alligator",
    "Funko Pop Jaws great white shark",
    "Papo rhino figurine 2015",
    "CollectA hawksbill turtle model",
    "Breyer cheetah figure",
    # books
    "The Ball Python Manual paperback book",
    "Keeping Chameleons guide hardcover ISBN 9780764",
    "Pythons Taschenbuch Terrarienbuch",
    # hairpieces: "mono" is Spanish for monkey, "skin" a hair-system base
    "Mono lace front hair piece poly skin men toupee",
    "Men's toupee French lace poly skin hairpiece",
    "Perruque homme postiche complément capillaire",
    # stamps and coins
    "Fiji 1990 WWF crested iguana stamps MNH",
    "Australia 2019 saltwater crocodile 1 dollar coin proof",
    "Briefmarken Elefanten postfrisch",
    "老虎 纪念币 银币",
    # fossil shark teeth (0 in docs/labelling.md)
    "Megalodon fossil shark tooth 4 inch",
    "Otodus obliquus fossil shark tooth Morocco",
    "Dent de requin fossile mégalodon Maroc",
    "Dente di squalo fossile Otodus",
    # fake taxidermy and wall decor
    "Faux taxidermy deer head wall mount resin white",
    "Rhino head paper mache wall decor",
    # names of other animals and things
    "Tiger lily bulbs x10",
    "Lionhead rabbit hutch",
    "Corvette Stingray C8 floor mats",
    "Music Man StingRay bass guitar",
    "Lion's mane mushroom extract",
    # (data21) names the WDC web-shop offers showed: macOS releases named after big cats (the
    # French part word "os" read "OS X" as bone), the ASICS Tiger shoe line, white-gold jewellery
    # (a code word for ivory)
    "Apple MacBook Air 13.3 Core i5 OS X 10.8 Mountain Lion 4GB RAM",
    "Apple Mac OS X 10.5 Leopard upgrade DVD",
    "Mac OS X 10.6 Snow Leopard retail box",
    "ASICS Tiger GEL-Kayano Trainer Evo - Noir",
    "Asics Tiger Gel-Lyte III sneakers black",
    "14K White Gold Diamond Solitaire Earrings",
    "18ct white gold sapphire ring",
]


# Real products the lexicon missed or misread: (title, taxon among the taxa, least risk).
PRODUCTS = [
    ("Genuine caiman leather wallet men", "Caiman", 0.3),
    ("Crocodile belt hornback 35mm", "Crocodylia", 0.3),
    ("Alligator watch strap 20mm brown", "Alligator", 0.3),
    ("Ostrich skull real bone specimen", "Struthio camelus", 0.3),
    ("Ostrich leather cowboy boots", "Struthio camelus", 0.2),
    ("Real alligator skull 10 inch", "Alligator", 0.5),
    ("Stingray barb 5 inch natural", "Myliobatiformes", 0.3),
    ("Stingray skin bracelet", "Myliobatiformes", 0.2),
    ("Great white shark jaw 14 inch", "Carcharodon carcharias", 0.5),
    ("Tiger shark tooth necklace", "Elasmobranchii", 0.2),
    ("Tiger shark jaw 16 inch", "Elasmobranchii", 0.5),
    ("Baby shark preserved in jar wet specimen", "Elasmobranchii", 0.3),
    ("Snake wet specimen in formalin jar", "Serpentes", 0.3),
    ("Cerambycidae Batocera wallacei A1 pair Indonesia", "Coleoptera", 0.1),
    ("Lucanidae Prosopocoilus giraffa male A1 unmounted", "Coleoptera", 0.1),
    ("Papilionidae Papilio blumei A1 unmounted", "Papilionidae", 0.2),
    ("Theraphosidae sling, captive bred", "Theraphosidae", 0.2),
    ("Straußenleder Geldbörse", "Struthio camelus", 0.2),
    ("Cuir d'autruche sac à main", "Struthio camelus", 0.2),
    ("Mandíbula de tiburón real", "Elasmobranchii", 0.5),
    ("鸵鸟皮 钱包 真皮", "Struthio camelus", 0.2),
    ("オーストリッチ 財布", "Struthio camelus", 0.2),
    ("エイの毒針 標本", "Myliobatiformes", 0.3),
    # wild look-alikes are not cancelled: a live animal of a wild species is wildlife
    ("Leopard tortoise hatchling", "Testudinidae", 0.3),
    # (data21) the macOS and ASICS contexts cancel the names, not the animals
    ("Mountain lion skull real", "Puma concolor", 0.5),
    ("Snow leopard pelt antique", "Uncia uncia", 0.5),
    ("Real tiger claw pendant", "Panthera tigris", 0.5),
]


def test_a_plain_insect_family_is_below_flagging_a_specimen_word_flags_it(matcher):
    """(shark21) Only specimen dealers write insect families in titles: a family alone stays
    below the lexicon's flagging risk (0.5), a listed family weighs more, and a specimen
    grade beside a family reaches it (before: 0.1-0.2, never flagged on an unseen source).
    (latin23) The binomial after the family weighs 0.5 by itself ("Cerambycidae Batocera
    wallacei"): the families are measured here with a locality."""
    plain = matcher.match("Cerambycidae from Sulawesi")
    listed = matcher.match("Papilionidae from Sulawesi")
    graded = matcher.match("Cerambycidae from Sulawesi A1 pair")
    assert 0 < plain.risk < listed.risk < 0.5 <= graded.risk, (
        plain.explanation,
        listed.explanation,
        graded.explanation,
    )
    assert matcher.match("Coleoptera of the world poster").risk < 0.05


def test_tiger_shark_is_not_a_tiger(matcher):
    for title in ("Tiger shark tooth necklace", "Tiger shark jaw 16 inch", "Requin tigre dent"):
        assert "Panthera tigris" not in matcher.match(title).taxa, title


def test_spanish_mono_is_still_a_monkey(matcher):
    """The hairpiece contexts cancel "mono lace", "mono base"..., not the Spanish word."""
    assert "Primates" in matcher.match("Mono capuchino bebé en venta").taxa


def test_negative_weight_is_its_factor_and_the_lowest_per_role_wins(matcher):
    """ "coin" lowers by the decoy role's 0.25; "silver coin" (weight 0) by 0, whichever
    comes first in the title."""
    coin = matcher.match("Tiger coin")
    assert coin.risk == pytest.approx(0.3 * 0.25, abs=0.001), coin.explanation
    assert "decoy 'coin' (x0.25)" in coin.explanation
    for title in ("Tiger coin, silver coin", "Silver coin, tiger coin"):
        result = matcher.match(title)
        assert result.risk == 0.0, result.explanation
        assert "decoy 'silver coin' (x0)" in result.explanation.lower()


@pytest.mark.parametrize(
    ("title", "word"),
    [("补水保湿皮肤护理面霜", "皮肤"), ("游戏角色扮演服装", "角色"), ("三角支架", "三角")],
)
def test_chinese_part_words_inside_everyday_words_are_cancelled(matcher, title, word):
    """皮 (skin) and 角 (horn) are part words; inside 皮肤 (human skin), 角色 (a role), 三角
    (a triangle) they name nothing: the lexicon says so, so the model does not read a product."""
    result = matcher.match(title)
    assert result.risk == 0 and [n.term for n in result.negatives] == [word], result.explanation


def test_chinese_part_words_still_count_beside_a_species(matcher):
    def products(title):
        return {m.product for m in matcher.match(title).matches if m.kind == "product"}

    assert "skin" in products("鳄鱼皮钱包")
    assert matcher.match("犀牛角杯 皮肤护理").risk >= 0.5


# (exotic21) The exotic-leather and shark trade as eBay sellers write it: a standalone animal
# name with a goods or part word elsewhere in the title, the trade's other animals, and the
# imitations, clips, teams, grips and fabrics named after them. Hand-written titles: unit tests
# of the lexicon's entries, not evidence of accuracy (make eval is). Decisions: docs/labelling.md.
EXOTIC_DECOYS = [
    "Tortoiseshell hair claw clip acetate",  # acetate: a pattern, never the animal
    "Lizard Skins DSP bat grip 1.1mm",  # a grip-tape brand
    "Lizard Skin ceramic insulation 1 gallon",  # a sound-deadening coating
    "Vegan snakeskin ankle boots",
    "Faux shagreen tray",
    "Vintage 60s shark skin suit",  # sharkskin: a worsted weave
    "SharkBite 1/2 in push-to-connect fitting",
    "San Jose Sharks jersey",
    "Detroit Tigers hat",
    "Jacksonville Jaguars jersey",
    "Elephant hide paper 10 sheets",
    "Pince crocodile lot de 10",
    "Pinzas cocodrilo para multímetro",
    "Pinze a coccodrillo 10 pezzi",
    "Krokodilklemmen Set 10 Stück",
    "Uhrenarmband Eidechsenprägung",
    "Bolso polipiel estampado serpiente",
]


EXOTIC_PRODUCTS = [
    ("Exotic skin cowboy boots lizard", "Sauria", 0.5),
    ("Lizard belt vintage", "Varanus", 0.3),
    ("Teju lizard cowboy boots", "Teiidae", 0.3),
    ("Python boots womens", "Pythonidae", 0.3),  # was cancelled as a "python book" variant
    ("Karung snake skin wallet", "Serpentes", 0.3),  # Acrochordus, a snake: not Varanus
    ("Rattlesnake skin hatband", "Serpentes", 0.5),
    ("Eel skin wallet genuine", "Anguilla", 0.1),
    ("Hippo leather boots", "Hippopotamus amphibius", 0.3),
    ("Kangaroo leather belt", "Macropodidae", 0.1),
    ("Cane toad coin purse", "Anura", 0.1),
    ("Arapaima leather boots", "Arapaima gigas", 0.3),
    ("Sea turtle leather boots", "Cheloniidae", 0.5),
    ("Shark leather wallet", "Elasmobranchii", 0.3),
    ("Shark cartilage powder 500g", "Elasmobranchii", 0.3),
    ("Eidechsenleder Gürtel Herren", "Sauria", 0.3),
    ("Haifischleder Geldbörse", "Elasmobranchii", 0.3),
    ("Sac en lézard vintage", "Sauria", 0.3),
    ("Bracelet de montre alligator 20mm", "Alligator", 0.3),
    ("Borsa in coccodrillo vintage", "Crocodylia", 0.3),
    ("Botas de piel de lagarto", "Sauria", 0.5),
    ("Botas exóticas de avestruz", "Struthio camelus", 0.5),
    ("Piel de pirarucú botas vaqueras", "Arapaima gigas", 0.5),
]


@pytest.mark.parametrize("title", DECOYS + EXOTIC_DECOYS)
def test_decoys_have_no_risk(matcher, title):
    result = matcher.match(title)
    assert result.risk < 0.05, result.explanation
    assert not result.flagged


@pytest.mark.parametrize(("title", "taxon", "least"), PRODUCTS + EXOTIC_PRODUCTS)
def test_real_products_have_risk(matcher, title, taxon, least):
    result = matcher.match(title)
    assert taxon in result.taxa, result.explanation
    assert result.risk >= least, result.explanation


def test_a_lone_lizard_is_a_small_risk_a_part_word_lifts_it(matcher):
    """The generic name weighs little alone (a motif, a toy), as "shark" does; "snake" alone
    is no term at all: a motif of ~80 eBay antiquities in the labelled data."""
    alone = matcher.match("Vintage lizard brooch")
    skin = matcher.match("Vintage lizard skin")
    assert 0 < alone.risk <= 0.1 < 0.5 <= skin.risk, (alone.explanation, skin.explanation)
    assert matcher.match("Viking bronze snake ring").risk == 0


@pytest.mark.parametrize(
    "title",
    [
        "Taxidermy Painted Bat Frame (Kerivoula picta)",
        "Real bat in glass dome, Halloween oddity",
        "Framed fruit bat skeleton",
    ],
)
def test_bat_specimens_have_risk(matcher, title):
    result = matcher.match(title)
    assert "Chiroptera" in result.taxa and result.risk >= 0.3, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Louisville Slugger wooden baseball bat 33 inch",
        "Halloween bat decorations 12 pcs black",
        "Bat house for garden, cedar",
        "Bat wing sleeve blouse",
    ],
)
def test_bat_shaped_and_sports_bats_have_no_term(matcher, title):
    """'bat' alone is no term: the lexicon names bats as animals and their specimens only."""
    result = matcher.match(title)
    assert result.risk == 0 and "Chiroptera" not in result.taxa, result.explanation


# (shark21) What real shop and marketplace titles from shark and exotic-leather searches still
# read wrong (docs/detection-log.md, "Shark and exotic-leather titles measured"): short titles
# written after them, each read wrong by the lexicon before these entries.
SHARK21_DECOYS = [
    "Antique painted document box, faux tortoise shell decoration",
    "Lizard skin pattern phone case",  # "lizard pattern" was cancelled, "lizard skin pattern" not
    "Snake skin print midi dress",
    "Black hornbill skull reproduction",  # museum casts sold beside real skulls
    "Hornbill skull cast replica Aceros undulatus",
    "Alligator grain leather watch strap 20mm",  # embossed calf sold under the animal's name
    "Givenchy Shark Lock ankle boots",  # a model name, not a shark leather
    "Fossil tiger shark tooth Galeocerdo",
    "Ostrich leg embossed cowhide wallet",  # "ostrich leg" is a real skin, embossed it is calf
    "Ostrich Leg Print Western Boots",
    "Great White Shark Jaws 1975 VHS",  # the film: "jaws" is otherwise a part word
    "Mouse Rodent Glue Traps Board Super Sticky Rat Snake Bugs",  # pest control
    "Live Rock In Rio by Scorpions (2xcd Bootleg) New",  # a band's live album
    "Dept 56 Krinkles Alligator Candle Holder Patience Brewster",  # an ornament maker's
]


SHARK21_PRODUCTS = [
    # teeth of a named modern shark: "tiger shark" (not a tiger) took the shark with it
    ("Tiger shark tooth necklace real", "Elasmobranchii", 0.5),
    ("Dent de requin tigre véritable", "Elasmobranchii", 0.5),
    ("Diente de tiburón tigre collar", "Elasmobranchii", 0.5),
    ("Dente di squalo tigre naturale", "Elasmobranchii", 0.5),
    ("Tigerhaizahn natur", "Elasmobranchii", 0.5),
    # exotic leather goods: risky enough to flag on the lexicon alone (before: 0.15-0.45)
    ("Lizard watch strap brown", "Varanus", 0.5),
    ("Strap in alligator 20mm blue", "Alligator", 0.5),
    ("Stingray wallet", "Myliobatiformes", 0.5),
    ("Ostrich leather cowboy boots", "Struthio camelus", 0.5),
    ("Vintage eelskin wallet", "Anguilla", 0.5),
    ("Caiman crocodile belt western", "Caiman", 0.5),
    ("Cuir d'autruche sac à main", "Struthio camelus", 0.5),
    ("Cinturón de cuero de lagarto", "Sauria", 0.5),
    ("Pelle di razza portafoglio", "Myliobatiformes", 0.5),
    ("Straußenleder Geldbörse", "Struthio camelus", 0.5),
    # insect specimens named by family with a grade, and specimens named as such
    ("Lucanidae Prosopocoilus giraffa male A1 unmounted", "Coleoptera", 0.5),
    ("Butterfly specimen Morpho menelaus", "Insecta", 0.5),
]


@pytest.mark.parametrize("title", SHARK21_DECOYS)
def test_shark21_decoys_have_no_risk(matcher, title):
    result = matcher.match(title)
    assert result.risk < 0.05, result.explanation


@pytest.mark.parametrize(("title", "taxon", "least"), SHARK21_PRODUCTS)
def test_shark21_products_are_risky(matcher, title, taxon, least):
    result = matcher.match(title)
    assert taxon in result.taxa and result.risk >= least, result.explanation


@pytest.mark.parametrize("title", ["Leopard OS 10.5 install disc", "Android OS tablet tiger case"])
def test_os_is_no_part_word_but_french_bone_is(matcher, title):
    """The French part word "os" (bone) read "OS" (operating systems) and the Spanish pronoun
    "os" as a part of the animal beside it (risk 0.8): the animal's name alone stays small,
    and the French ways of saying "made of bone" still lift an animal."""
    result = matcher.match(title)
    assert result.risk < 0.5 and "part" not in result.explanation, result.explanation
    assert matcher.match("Pendentif tigre en os sculpté").risk >= 0.5


# (shark21b) Sharks, rays and the sea on real shop, auction and marketplace titles (docs/detection-log.md,
# "Shark and marine titles measured (shark21b)"): short titles written after them, each read
# wrong by the lexicon before these entries.
SHARK21B_PRODUCTS = [
    ("Antique sawfish rostrum 38 inches", "Pristidae"),  # the saw of a CITES I ray: no term before
    ("Rostre de poisson-scie ancien", "Pristidae"),
    ("Sägefischschwert antik", "Pristidae"),
    ("Engraved whale's tooth, 19th century", "Cetacea"),
    ("Baleen plate engraved Barrow Alaska", "Cetacea"),
    ("Fossil walrus ivory carved seal", "Odobenus rosmarus"),  # "fossil" was a replica word here
    ("Polished pearl nautilus shell 5 inch", "Nautilidae"),
    ("Tridacna clamshell specimen 14 inch", "Tridacnidae"),
    ("Antique coral necklace", "Anthozoa"),  # coral named as the material, not the colour
    ("Collana antica a sfere in corallo naturale", "Anthozoa"),
    ("Collier en corail ancien", "Anthozoa"),
    ("Squalene 1000mg 200 capsules", "Elasmobranchii"),  # shark liver oil's squalene
    ("Shark liver oil 500 softgels", "Elasmobranchii"),  # single ingredient: 0.3 before
    ("Shark cartilage 750 mg 100 capsules", "Elasmobranchii"),
    ("Albino short tail stingray barb", "Myliobatiformes"),
    # a specimen from a food fishery: "food" is no pet food here (0.16 before)
    ("Shark in a jar, found inside a shark caught for food", "Elasmobranchii"),
]


@pytest.mark.parametrize(("title", "taxon"), SHARK21B_PRODUCTS)
def test_shark21b_marine_products_flag_on_the_lexicon_alone(matcher, title, taxon):
    result = matcher.match(title)
    assert taxon in result.taxa and result.risk >= 0.5, result.explanation


# (exotic21b) Fur, skulls, taxidermy and insect specimens as shops, auction houses and
# vintage-fur sellers write them (docs/detection-log.md, "Fur, skull and taxidermy titles
# measured"): short titles written after real ones, each below 0.5 (or with no taxon) on the
# lexicon before these entries.
EXOTIC21B_PRODUCTS = [
    ("Vintage grey fox fur stole, 1940s", "Vulpes"),
    ("Bobcat skull, real bone", "Lynx"),
    ("Raccoon skull 5 inch", "Procyonidae"),
    ("Vintage 1920s mens raccoon fur coat", "Procyonidae"),
    ("Mink stole by Berksons, 1950s", "Mustelidae"),
    ("Vintage sheared beaver fur cape", "Rodentia"),
    ("Ermine hand warmer, antique", "Mustela"),
    ("Canadian lynx taxidermy mount", "Lynx"),
    ("Coyote pelt, tanned", "Canis"),
    ("Mountain Stag Beetle - LARGE", "Coleoptera"),
    ("Rhinoceros beetle specimen, Dynastes hercules", "Coleoptera"),
    ("Violet crocodile Birkin bag", "Crocodylia"),
    ("Brighton blue lizard Kelly", "Varanus"),
    ("Rotfuchs-Schädel, Museumsqualität", "Vulpes"),
    ("Manteau de vison vintage", "Mustelidae"),
    ("Crâne de rat musqué", "Rodentia"),
    ("Abrigo de visón talla 42", "Mustelidae"),
    ("Pelliccia di volpe argentata", "Vulpes"),
]


@pytest.mark.parametrize(("title", "taxon"), EXOTIC21B_PRODUCTS)
def test_fur_skull_and_specimen_titles_are_risky(matcher, title, taxon):
    result = matcher.match(title)
    assert taxon in result.taxa and result.risk >= 0.5, result.explanation


@pytest.mark.parametrize(
    ("decoy", "product"),
    [
        ("Patek Philippe Nautilus 5711 steel", "Polished pearl nautilus shell 5 inch"),
        ("Neon coral running shoes", "Antique coral necklace"),
        ("Coral colored glass bead necklace", "Natural coral beads strand"),
        ("Olive squalene face oil", "Squalene 1000mg 200 capsules"),
    ],
)
def test_shark21b_marine_words_are_products_only_in_a_products_wording(matcher, decoy, product):
    result = matcher.match(decoy)
    assert result.risk < 0.05, result.explanation
    assert matcher.match(product).risk >= 0.5, matcher.match(product).explanation


def test_a_beach_sea_shell_is_no_part_of_the_animal_beside_it(matcher):
    """A silver seahorse set on a beach shell read as a seahorse's shell (0.8); generic shells
    are 0 by the guide, so their "shell" lifts no animal. The seahorse's name alone stays."""
    result = matcher.match("Seahorse necklace silver and pearls, sea shell")
    assert result.risk < 0.5 and "part" not in result.explanation, result.explanation
    assert matcher.match("Dried seahorse with its shell").risk >= 0.5


def test_white_gold_as_the_metal_of_a_pendant_is_no_ivory_code_word(matcher):
    result = matcher.match("Hawaiian petroglyph turtle pendant in 14k yellow or white gold")
    assert "code word" not in result.explanation and result.risk < 0.3, result.explanation


@pytest.mark.parametrize(
    ("decoy", "product"),
    [
        ("Tiger vinyl skin for MacBook Air 13", "Real tiger skin rug"),
        ("Python PS5 skin, full console cover", "Genuine python skin for bags"),
        ("Laptop skins raccoon cartoon", "Raccoon skins lot of 5 tanned"),
    ],
)
def test_device_skins_are_no_animal_skin(matcher, decoy, product):
    """A vinyl cover for a phone, laptop or console is a "skin" sold with an animal's
    picture: "skin" beside the animal read as its part (0.54-0.8 before)."""
    result = matcher.match(decoy)
    assert result.risk < 0.5, result.explanation
    assert matcher.match(product).risk >= 0.5


def test_a_fur_animal_alone_is_no_risk_a_part_word_lifts_it(matcher):
    """The animal names are motifs, brands and colours as often as furs: alone they stay
    below what a live-animal word can lift to 0.5 ("wild", "male"); a fur, pelt, skull or
    mount word lifts them above it (before: no term at all, risk 0)."""
    for alone, with_part in [
        ("Fox head pendant, wild spirit", "Fox skull, real"),
        ("Mink grey boots female", "Mink fur collar"),
        ("Vintage raccoon figurine male", "Raccoon pelt"),
    ]:
        low, high = matcher.match(alone), matcher.match(with_part)
        assert low.risk < 0.5 <= high.risk, (low.explanation, high.explanation)


@pytest.mark.parametrize(
    ("decoy", "real"),
    [
        ("Fox Racing 360 skull jersey", "Red fox skull"),
        ("Bobcat skid steer bucket teeth", "Bobcat teeth, real"),
        ("Mink lashes 3D fur strip", "Mink fur strip, vintage"),
        ("Faux fox fur collar", "Silver fox fur collar"),
        ("Sable German Shepherd puppy, male", "Russian sable collar"),
        ("Lynx Africa body spray", "Lynx pelt, tanned"),
        ("Dr. Martens 1460 boots, fur lined", "Pine marten fur collar"),
    ],
)
def test_fur_animal_brands_and_imitations_have_no_risk(matcher, decoy, real):
    """Brands, colours, dog coats and man-made furs named after the animals are cancelled, so
    a part word beside them lifts nothing; the animal's own fur or skull is risky (before:
    both risk 0)."""
    low, high = matcher.match(decoy), matcher.match(real)
    assert low.risk < 0.05 <= 0.5 <= high.risk, (low.explanation, high.explanation)


@pytest.mark.parametrize(
    ("title", "wrong"),
    [
        ("Rhinoceros beetle larva, Dynastes hercules", "Rhinocerotidae"),
        ("Woolly rhinoceros skull, late Pleistocene", "Rhinocerotidae"),
        ("Elephant beetle specimen Megasoma", "Elephantidae"),
        ("Tiger beetle specimen Cicindela", "Panthera tigris"),
    ],
)
def test_beetles_and_ice_age_animals_are_not_the_big_animals(matcher, title, wrong):
    """A rhinoceros beetle is no rhino, and a woolly rhino is a fossil (before: rhino 0.3-0.8)."""
    result = matcher.match(title)
    assert wrong not in result.taxa, result.explanation
    if "Pleistocene" in title:
        assert result.risk < 0.05, result.explanation


def test_metal_castings_of_claws_are_lowered(matcher):
    """A bear claw cast in silver is a replica (before: 0.95, flagged)."""
    assert matcher.match("Bear claw pendant, silver casting").risk < 0.5
    assert matcher.match("Real black bear claw pendant").risk >= 0.5


# leather21c: exotic-leather goods named by the skin they are made "en"/"in" (French,
# Italian), python goods by the good's noun, ostrich feathers; each below scored under 0.5
# on main's lexicon (0.04-0.3: the species name alone).
LEATHER21C_PRODUCTS = [
    ("Manteau en alligator, taille 38", "Crocodylia"),
    ("Tracolla in pitone naturale", "Pythonidae"),
    ("Python tote bag, natural", "Pythonidae"),
    ("Bolso de pitón vintage", "Pythonidae"),
    ("Ostrich feather boa, 2 yards, white", "Struthio camelus"),
]


@pytest.mark.parametrize(("title", "taxon"), LEATHER21C_PRODUCTS)
def test_leather_goods_in_the_skin_flag_on_the_lexicon_alone(matcher, title, taxon):
    """A good "en"/"in" the skin is made of it, as a "python bag" is (before: 0.04-0.3)."""
    result = matcher.match(title)
    assert result.risk >= 0.5, result.explanation
    assert taxon in result.taxa, result.explanation


@pytest.mark.parametrize(
    ("decoy", "real"),
    [
        ("Python effect pumps, faux leather", "Python pumps, natural"),
        ("Manteau en croco imprimé", "Manteau en croco, vintage"),
        ("Borsa in coccodrillo stampato", "Borsa in coccodrillo"),
    ],
)
def test_a_good_in_a_printed_skin_is_no_skin(matcher, decoy, real):
    """The "en"/"in" wording is cancelled as a whole when a print follows the animal: a cancel
    drops only the terms inside it ("imprimé croco" does not hold "en croco")."""
    low, high = matcher.match(decoy), matcher.match(real)
    assert low.risk < 0.2 and high.risk >= 0.5, (low.explanation, high.explanation)


def test_a_possessive_son_is_no_colour_word(matcher):
    """Vietnamese "sơn" (paint) folds to "son", the French possessive: "Prada et son manteau en
    alligator" was lowered to 0.1 as a colour (x0.2); only "sơn màu" and its kin are colours."""
    assert matcher.match("Prada et son manteau en alligator").risk >= 0.5
    assert matcher.match("Hermès et son sac en crocodile").risk >= 0.5


# shark21c: ray skin under a sword's handle wrap, a leather good whose material line names the
# ray, Dutch shark and ray goods; each scored under 0.5 on main's lexicon (0-0.15).
SHARK21C_PRODUCTS = [
    ("Wakizashi, tsuka wrapped in silk ito over genuine ray skin", "Myliobatiformes"),
    ("Tanto with full rayskin handle", "Myliobatiformes"),
    ("Long zip wallet. Material: Stingray, lining cowhide", "Myliobatiformes"),
    ("Riem van roggenleer, zwart", "Myliobatiformes"),
    ("Echte haaienkaak, 30 cm", "Elasmobranchii"),
]


@pytest.mark.parametrize(("title", "taxon"), SHARK21C_PRODUCTS)
def test_ray_skin_and_a_material_line_flag_on_the_lexicon_alone(matcher, title, taxon):
    """Ray skin is the stingray skin of a sword's grip; "Material: Stingray" names the skin
    a good is made of (before: 0-0.15, the ray a species name alone or no term)."""


# live21: live animals as breeders and reef shops list them. A pet-trade name alone stays
# under 0.5 (it is also a plush, a print, a game); a captive-breeding or frag word beside it
# flags it on the lexicon alone. Each below scored under 0.5 on main's lexicon (0-0.3).
LIVE21_ANIMALS = [
    ("Sunset pacman frog, CBB, eating well", "Anura"),
    ("Azureus dart frog froglets (3)", "Dendrobatidae"),
    ("Leucistic axolotl, captive-bred, 4 inch", "Ambystoma mexicanum"),
    ("Solomon Island boa, holdback female", "Boidae"),
    ("Red acan frag, 3 heads", "Acanthastrea"),
    ("Green blasto frag, mother colony", "Blastomussa"),
    ("Gold torch coral, aquacultured, 2 heads", "Euphyllia"),
    ("Rainbow zoas, 12 polyps, price per polyp", "Anthozoa"),
    ("Dendrobates tinctorius nakweek, 2 stuks", "Dendrobatidae"),
    ("Axolotl né en captivité", "Ambystoma mexicanum"),
]


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Tiger wall clock", "From a well established UK shop"),
        ("Leopard silk scarf", "Well-established seller since 1998"),
        ("Tiger figurine, hand painted", "WYSIWYG, you get the one in the photos"),
    ],
)
def test_shop_words_are_no_breeding_words(matcher, title, description):
    """ "Well established" and "WYSIWYG" are any shop's words, not a breeder's: read as live
    words they flagged an animal's picture at 0.75."""
    result = matcher.match(title, description)
    assert result.risk < 0.5 and not result.flagged, result.explanation


@pytest.mark.parametrize(("title", "taxon"), LIVE21_ANIMALS)
def test_live_trade_names_with_a_breeding_word_flag_on_the_lexicon_alone(matcher, title, taxon):
    """A herp or coral trade name beside a breeding or frag word (before: 0-0.3)."""
    result = matcher.match(title)
    assert result.risk >= 0.5, result.explanation
    assert taxon in result.taxa, result.explanation


@pytest.mark.parametrize(
    ("decoy", "real"),
    [
        (
            "Katana, white faux same wrapped in black ito",
            "Katana, white ray skin wrapped in black ito",
        ),
        ("X-Ray skin for PS5 controller", "Ray skin panel for a tsuka, natural white"),
        (
            "Blacktip shark reproduction taxidermy mount, authentic coloring",
            "Blacktip shark taxidermy mount, original skin",
        ),
    ],
)
def test_faux_same_x_ray_skins_and_reproduction_mounts_are_no_animal(matcher, decoy, real):
    """Imitation ray skin ("faux same"), device skins named "X-Ray" and fibreglass fish mounts
    sold as reproductions "with authentic coloring" (a paint, no authenticity claim) are
    cancelled; the real wording beside each stays risky (the mount was 0.75 before)."""
    low, high = matcher.match(decoy), matcher.match(real)
    assert low.risk < 0.2 and high.risk >= 0.5, (low.explanation, high.explanation)


def test_a_live_trade_name_alone_stays_under_the_lexicon_flag(matcher):
    """A pacman frog alone is also a plush or a print: some risk, not the lexicon's flag."""
    result = matcher.match("Pacman frog")
    assert 0 < result.risk < 0.5, result.explanation
    assert matcher.match("Pacman arcade game cabinet").risk == 0


@pytest.mark.parametrize(
    "decoy",
    [
        "Ball python heat mat 28W with thermostat",
        "Coconut fiber substrate for ball python, 8 qt",
        "UVB bulb for bearded dragon and tortoise, 10.0",
        "Frozen mice for ball python, pinkies 25 pack",
        "Phalaenopsis orchid in ceramic pot, white",
        "Potted orchid gift, two stems",
        "Parrot Anafi drone with 4K camera",
        "Tortoise keeping guide, publisher Reptile Press",
        "Orchidée phalaenopsis blanche en pot",
        "Schmetterlingsorchidee im Topf, weiß",
    ],
)
def test_reptile_supplies_houseplant_orchids_and_parrot_drones_have_no_risk(matcher, decoy):
    """Supplies, feeders, cultivated orchids, a drone brand and a book (before: 0.1-0.45).
    Supplies and feeders are lowered as any decoy (x0.25), not to 0: an animal is sold with
    its setup as often (the next test)."""
    result = matcher.match(decoy)
    assert result.risk < 0.15 and not result.flagged, result.explanation


def test_an_animal_sold_with_its_setup_keeps_its_risk(matcher):
    """Classifieds sell a pet with its heat mat, lamp and food: the supplies lower it as a decoy
    does, they do not cancel it (with weight 0 they did: risk 0, never flaggable)."""
    for title in (
        "Baby ball python with heat mat and tub",
        "Leopard tortoise hatchling, comes with basking lamp",
    ):
        result = matcher.match(title)
        assert result.risk > 0.1 and result.taxa, result.explanation


# antique21: antiques of wildlife materials and their imitations. Each decoy below scored
# 0.5-0.95 on main's lexicon and each product 0.15; the wording is ours, not the listings'.
@pytest.mark.parametrize(
    ("decoy", "real"),
    [
        ("Ivory Pyralin vanity mirror and brush, 1920s", "Ivory vanity mirror and brush, 1890s"),
        ("Bakelite tortoiseshell bangle, butterscotch", "Tortoiseshell bangle, 19th century"),
        ("Ivoroid dresser box with ivory grain, 1920s", "Ivory dresser box, 1890s"),
    ],
)
def test_early_plastics_are_replicas_of_ivory_and_tortoiseshell(matcher, decoy, real):
    """Celluloid's trade names and Bakelite imitate ivory and tortoiseshell (before: 0.85-0.95)."""
    low, high = matcher.match(decoy), matcher.match(real)
    assert low.risk < 0.5 <= high.risk, (low.explanation, high.explanation)


def test_a_bone_said_to_be_ox_bone_is_no_ivory_code_word(matcher):
    """Saying "made from ox bone" states the material, as "real ox bone" does (before: 0.5); the bare
    code word beside a carving stays risky."""
    said = matcher.match("Old netsuke style toggle", "probably made from ox bone, 2 inches")
    assert said.risk < 0.5, said.explanation
    assert matcher.match("Old ox bone carving of a sage").risk >= 0.5


def test_a_bear_claw_motif_is_no_bear_claw(matcher):
    """A silver "bear claw symbol" is a depiction (before: 0.95); a real claw stays risky."""
    motif = matcher.match("Silver bear claw earrings", "the bear claw symbol set with turquoise")
    assert motif.risk < 0.5, motif.explanation
    assert matcher.match("Antique grizzly bear claw necklace").risk >= 0.5


def test_german_red_coral_in_its_inflected_forms(matcher):
    """German "mit einer roten Koralle" is the red coral of "rote Koralle" (before: 0.15)."""
    result = matcher.match("Collier, um 1900", "Silberkette mit einer roten Koralle")
    assert result.risk >= 0.5 and "Corallium" in result.taxa, result.explanation


def test_ivory_as_the_colour_of_a_plastic_is_cancelled(matcher):
    """In "Original ... Ivory Bakelite Telephone" a replica word is ignored beside an
    authenticity word (a known cover), so the plastic's colour is cancelled as a whole
    (before: 0.95)."""
    result = matcher.match("Original 1950s ivory bakelite wall phone, working")
    assert result.risk < 0.05, result.explanation
    assert matcher.match("Original 1850s carved ivory wall plaque").risk >= 0.5


# --- wild21: skulls, tusks, quills and shells of common wild animals no CITES list names
@pytest.mark.parametrize(
    ("title", "taxon"),
    [
        ("Natural porcupine quills, bundle of 20, 3 inches", "Rodentia"),
        ("Real opossum skull with jaw, cleaned", "Mammalia"),
        ("Large warthog tusks, pair, 6 inch", "Suidae"),
        ("Feral hog tusks for crafts, set of 4", "Suidae"),
        ("Javelina skull, real bone, Arizona", "Tayassuidae"),
        ("Dried pufferfish, 5 inch, hanging", "Actinopteri"),
        ("Alligator gar scales for jewelry making, 50 pcs", "Actinopteri"),
        ("Moose skull, European mount", "Cervidae"),
        ("Paire de défenses de sanglier montées sur écusson", "Suidae"),
        ("Keilerwaffen auf Holzschild, starker Keiler", "Suidae"),
        ("Púas de puercoespín naturales para artesanía", "Rodentia"),
    ],
)
def test_unlisted_wild_animal_parts_flag_on_the_lexicon_alone(matcher, title, taxon):
    """A part of a wild animal no CITES list names is wildlife all the same (before: 0)."""
    result = matcher.match(title)
    assert result.risk >= 0.5 and taxon in result.taxa, result.explanation


@pytest.mark.parametrize(
    ("decoy", "real", "taxon"),
    [
        (
            "Porcupine Tree - In Absentia, 2LP vinyl",
            "Porcupine quill earrings, natural",
            "Rodentia",
        ),
        (
            "Alligator gar skull replica, 15 inch",
            "Alligator gar scales, 50 pcs",
            "Actinopteri",
        ),
        ("Armadillo pewter figurine", "Armadillo shell, taxidermy, 1900s", "Dasypodidae"),
        ("Boar bristle hair brush, wild boar, oval", "Wild boar tusks, pair, 5 inch", "Suidae"),
    ],
)
def test_unlisted_wild_animal_names_alone_have_no_risk(matcher, decoy, real, taxon):
    """The name alone weighs 0.04 and a cast is no animal; the part word lifts the real one,
    as the animal it names (an alligator gar is no alligator)."""
    low, high = matcher.match(decoy), matcher.match(real)
    assert low.risk < 0.5 <= high.risk, (low.explanation, high.explanation)
    assert taxon in high.taxa and "Alligator" not in high.taxa, high.explanation


@pytest.mark.parametrize(
    "decoy",
    [
        "Houten schedel decoratie, elk stuk handgemaakt",
        "Hoorn kam, elk uniek",
        "Knochen Kauartikel für Hunde, gar nicht teuer",
    ],
)
def test_dutch_each_and_german_at_all_are_no_elk_or_gar(matcher, decoy):
    """Dutch "elk" (each) and German "gar" (at all) beside a part word read as the deer and
    the fish of the English terms (risk 0.54, flagged); their phrases cancel them."""
    result = matcher.match(decoy)
    assert result.risk < 0.5 and not result.flagged, result.explanation
    assert matcher.match("Bull elk shoulder mount").risk >= 0.5


# replica22: depictions of animals. A figure, puppet, ornament, print or cast of an animal is
# no part of one (docs/labelling.md, "Depictions"); the lexicon lowers such a listing to 0, so
# the wild taxon it names is cancelled and the model's near-certain relevance for the animal's
# name does not flag it (crawler/matching/model.py flag_risk). Each scored 0.04-0.8 on main's
# lexicon; the wording is ours, not the listings'.
DEPICTIONS = [
    "Crocodile hand puppet with moving mouth",
    "Great white shark cookie cutter, stainless steel",
    "Hammerhead shark Christmas tree ornament",
    "Alligator figure with movable jaw, ages 3 and up",
    "Tiger on a rock, Beswick, gloss finish",
    "Leopard bronze sculpture on a marble base, signed",
    "Elephant porcelain figurine with gilt trim",
    "Ball python giclee print, signed by the artist",
    "Rhinoceros skull, museum cast in polyurethane",
    "Crocodile skull cast from a real specimen, 30 cm",
    "Crâne de crocodile moulé, ancien modèle de muséum",
    "Marionnette à main requin, dès 3 ans",
    "Krokodil Handpuppe aus Stoff",
    "Disfraz de tiburón infantil, talla 4",
    "Statuetta in porcellana tigre con base dorata",
    "Handpop krokodil van stof",
    "Pacynka tygrys dla dzieci",
    "ウミガメ ハンドパペット",
    "鲨鱼 手偶 儿童",
]


@pytest.mark.parametrize("title", DEPICTIONS)
def test_depictions_of_animals_are_cancelled(matcher, title):
    """Named by a toy or gift word, an age for children, a maker of figurines, a material no
    animal is made of, or as a cast: risk 0 with the taxon named, which flag_risk turns into
    never flagged."""
    result = matcher.match(title)
    assert result.taxa and result.risk == 0, result.explanation
    assert flag_risk(result) == CANCELLED


@pytest.mark.parametrize(
    ("depiction", "real"),
    [
        (
            "Elephant porcelain figurine with gilt trim",
            "Carved ivory figurine of a sage on a wood stand, 19th century",
        ),
        (
            "Crâne de crocodile moulé, ancien modèle de muséum",
            "Boîte en écaille de tortue moulée, XIXe siècle",
        ),
        (
            "Leopard bronze sculpture on a marble base",
            "Red coral carving of a phoenix, bronze stand",
        ),
    ],
)
def test_real_materials_beside_depiction_words_keep_their_risk(matcher, depiction, real):
    """A figurine or a stand is no depiction word alone (ivory figurines and okimono are sold
    under them), a material only with the figure it makes is; moulded tortoiseshell is
    tortoiseshell, though "moulé" is a cast."""
    low, high = matcher.match(depiction), matcher.match(real)
    assert low.risk == 0 and high.risk >= 0.5, (low.explanation, high.explanation)


# --- collide21: lexicon words that are frequent words of another language (wordfreq, Zipf >=
# 3.5; docs/detection-log.md "Terms that are words of other languages")
@pytest.mark.parametrize(
    ("title", "taxon"),
    [
        ("Borsa in pelle, ho comprato due anni fa", "Panthera tigris"),  # it "I have": vi hổ
        ("Digestoř CATA, bílé sklo, prodám ho levně", "Panthera tigris"),  # cs "him", "white"
        ("Borsa in vera pelle per voi, spedizione gratuita", "Elephantidae"),  # it "you": vi voi
        ("Borsa in pelle, spedizione da voi in 24 ore", "Elephantidae"),  # vi "da voi" (skin)
        ("Kids cop costume with fur trim hat", "Panthera tigris"),  # en: vi cọp
        ("Vet bed for puppies, soft pet bedding", "Psittaciformes"),  # en: vi vẹt
        ("Portafoglio in pelle, i loro colori sono originali", "Psittaciformes"),  # it: es loro
        ("Cüzdan deri, ara bölme", "Psittaciformes"),  # tr "between": fr ara
        ("Roupa bebé rapaz 6 meses", "Falconiformes"),  # pt "boy": es rapaz
        ("Tas kulit asli, tawaran terbaik", "Varanus"),  # id "offer": de waran inside it
        ("Dompet kulit sapi, penawaran terbatas", "Varanus"),
        ("Torebka ze skóry, gwarancja 24 miesiące", "Varanus"),  # pl "guarantee"
        ("Nog krachtiger: leren hoes met vacht", "Panthera tigris"),  # nl: de tiger inside it
        ("Günstiger Versand: Hausschuhe mit Fell", "Panthera tigris"),  # de "cheaper"
        ("Hochwertiger Ledergürtel mit Horn-Schnalle", "Panthera tigris"),
        ("Gelang kulit, keadaan bagai baru", "Eretmochelys imbricata"),  # ms/id "like": tr baga
        ("Karung beras bekas, tali kulit", "Serpentes"),  # id "sack": en karung
        ("Lampu tidur nyala, kap kulit", "Bovidae"),  # id "lit": en nyala
        ("Jenang Kudus asli, kulit", "Bovidae"),  # id town, "holy": en kudus
        ("Ours has a bone handle and a leather sheath", "Ursidae"),  # en: fr ours
        ("Castor oil for skin and hair, 100 ml", "Rodentia"),  # en: es/fr castor
        ("Self defense keychain, tactical", "Elephantidae"),  # en: fr défense
        ("Mariah Carey Music Box CD 1993", "Eretmochelys imbricata"),  # en name: es carey
        ("Biberon en verre pour bébé", "Rodentia"),  # fr "feeding bottle": de Biber inside it
        ("Kırmızı pul biber, deri", "Rodentia"),  # tr "pepper": de Biber
        ("Esstisch Buche massiv, geschnitzt", "Totoaba macdonaldi"),  # de "beech": es buche
        ("Tábua de carne em madeira", "Cetacea"),  # pt "board": en tabua (whale tooth)
    ],
)
def test_words_of_other_languages_name_no_animal(matcher, title, taxon):
    """A term folded is an everyday word of another language: the animal is not read."""
    result = matcher.match(title)
    assert taxon not in result.taxa and result.risk < 0.5, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Obraz tygrys pod szkłem",  # pl "under": en part word pod (musk pod)
        "Tête de tigre en or fin, pendentif",  # fr "fine gold": en part word fin
        "Figura de tigre con fines decorativos",  # es "purposes": fin + es
        "Casque moto Shark Spartan taille M",  # fr "helmet": en part word casque
        "Old lion door knocker, small dent on the ring",  # en: fr part word dent
        "Boné masculino tigre bordado",  # pt "cap": en part word bone
        "骨董 ゾウ 置物",  # ja "antiques": zh part word 骨 (bone)
        "Ice cubes tray, lion shape",  # en, fr: "cub" + es, a live-animal word
    ],
)
def test_words_of_other_languages_are_no_part_words(matcher, title):
    """A motif animal beside an everyday word that is a part word of another language
    ("fin", "pod", "casque", "dent") stays a motif: the word is no part."""
    result = matcher.match(title)
    assert result.risk < 0.5 and not result.flagged, result.explanation


def test_english_co_is_no_vietnamese_antique_claim(matcher):
    """Vietnamese "cổ" (old) folds to "co": "& Co." was a legality claim (+0.1 to the risk)."""
    assert not matcher.match("Maple & Co. leather wallet").legality
    assert matcher.match("Vòng tay ngà voi cổ vật").legality


@pytest.mark.parametrize(
    "title",
    [
        "Răng hổ thật bọc bạc",
        "Da cọp nguyên tấm",
        "Da voi thật nguyên tấm",
        "Bán con vẹt xám châu phi biết nói",
        "Perroquet ara bleu et jaune, bébé",
        "Bindenwaran Nachzucht 2024",
        "Waran skóra pasek",
        "Tigerfell antik",
        "Bear bile powder capsules",
        "Musk deer pod natural",
        "Nyala horns pair on plaque",
        "Kulit ular karung asli",
        "Concha de carey antigua",
        "Antique Fijian tabua whale tooth on cord",
        "Buche de totoaba seco",
    ],
)
def test_the_animals_of_the_colliding_words_still_score(matcher, title):
    """The fixes keep the trade's own phrases: each of these scores as before or higher."""
    assert matcher.match(title).risk >= 0.5, matcher.match(title).explanation


# latin23: the specimen trade names genera, not families ("Papilio ulysses A1 male",
# "Cypraea aurantium"). A genus written as a binomial (capitalised, a lower-case epithet)
# weighs as a CITES species' name (0.5); a grade or part word beside a genus lifts it; a
# genus alone is a small risk. Genera that are everyday words elsewhere ("Conus" is Dutch for
# a cone) match only as binomials with a Latin ending. Each scored risk 0 on main's lexicon.
GENUS_SPECIMENS = [
    ("Papilio ulysses A1 male", "insects"),
    ("Archaeoprepona demophon male A1-", "insects"),
    ("Goliathus orientalis 78mm", "insects"),
    ("Chrysina resplendens", "insects"),
    ("Dynastes hercules ecuatorianus", "insects"),
    ("Heteropteryx dilatata adult female", "insects"),
    ("Poecilotheria metallica dried", "spiders and scorpions"),
    ("Conus gloriamaris 98 mm F+++", "molluscs"),
    ("Cypraea aurantium", "molluscs"),
    ("Lambis truncata sebae 260mm with operculum", "molluscs"),
    ("Heterocentrotus mamillatus slate pencil urchin", "other animals"),
    ("Lot of 12 Cypraeidae shells with data", "molluscs"),
    ("Goliathus A1 pair unmounted", "insects"),
    ("Phrictus sp. from Peru, wings spread", "insects"),
    ("Conus sp. 45 mm, Philippines", "molluscs"),
]


@pytest.mark.parametrize("title,group", GENUS_SPECIMENS)
def test_genera_of_the_specimen_trade_are_risky(matcher, title, group):
    result = matcher.match(title)
    assert result.risk >= 0.5, result.explanation
    assert group in result.explanation, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Morpho sneakers black size 42",
        "Atlas of world history, hardcover",
        "Cowrie shell beads 100 pcs natural",
        "Butterfly print Papilio ulysses, A4 giclee",
        "Conus lampenkap wit 30 cm",
        "Voluta lamp with brass base",
        "Memphis blues vinyl record",
        "Hippocampus brain model, anatomy",
        "Papilio lot of 10",
        "dynastes hercules resin replica model",
    ],
)
def test_genus_look_alikes_are_not_risky(matcher, title):
    """Brands, words and depictions: no genus, a genus alone (0.1), or a binomial a print,
    replica or lower-case writing lowers or does not make."""
    result = matcher.match(title)
    assert result.risk < 0.5 and not result.flagged, result.explanation


# --- decoy23: materials, look-alike wording, collisions, casts
@pytest.mark.parametrize(
    "title",
    [
        "Vintage genuine crocodile handbag with brass hardware",
        "Real shark jaw on a brass stand",
        "Real bat skull pendant, brass bezel",
    ],
)
def test_brass_hardware_does_not_lower_the_real_thing(matcher, title):
    """A material named anywhere in a listing says nothing of the whole: the bare "brass"
    decoy lowered real bags and jaws (x0.25); brass depictions are phrases ("brass figurine")."""
    assert matcher.match(title).risk >= 0.5, matcher.match(title).explanation


@pytest.mark.parametrize(
    "title",
    ["Brass figurine of a crocodile", "Messingfigur Krokodil", "Bronze sculpture of a tiger"],
)
def test_brass_and_bronze_depictions_still_cancel(matcher, title):
    res = matcher.match(title)
    assert res.risk == 0 and flag_risk(res) == CANCELLED, res.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Mock crocodile leather handbag",
        "Crocodile leather pattern wallet",
        "Crocodile pattern leather belt",
        "Croco pattern shoulder bag",
        "Snake pattern leather boots",
        "Python pattern leather clutch",
        "Mock snakeskin ankle boots",
        "Lizard-print leather watch strap",
        "Ostrich effect leather bag",
        "Borsa in pelle stampata coccodrillo",
        "Stiefel in Schlangenoptik",
        "Sac motif crocodile en cuir",
        "Bolso de piel con textura serpiente",
        "Bolsa de couro efeito cobra",
        "Сумка под кожу питона",
        "クロコ調 ショルダーバッグ",
        "小牛皮鳄鱼面表带",
        "蟒蛇纹女包",
    ],
)
def test_look_alike_wording_of_every_skin_scores_nothing(matcher, title):
    """decoy23: "mock croc" and "crocodile pattern" were cancelled, "mock crocodile",
    "crocodile leather pattern" and the other skins' patterns were not. Some of these scored
    0 before only because no other term of the skin matched; they guard the new cancels."""
    assert matcher.match(title).risk == 0, matcher.match(title).explanation


@pytest.mark.parametrize(
    "title, taxa",
    [
        ("Boné tigre aba reta", set()),  # pt cap + tiger: en part word "bone" (0.80 before)
        ("Obraz tygrys, małe płótno", {"Panthera tigris"}),  # pl "small": en live word "male"
        ("人参ジュース 100% 国産", set()),  # ja carrot: zh ginseng
        ("上海马桶疏通管道维修", set()),  # zh Shanghai + 马: 海马 (seahorse)
        ("Hàng Nga xách tay chính hãng", set()),  # vi Russia: ngà (ivory)
        ("Trần Văn Nam bán túi da", set()),  # vi family name: trăn (python)
        ("Khi nào giao hàng túi da", set()),  # vi "when": khỉ (monkey)
    ],
)
def test_colliding_words_left_by_collide21_name_no_risk(matcher, title, taxa):
    """decoy23: the colliding word adds nothing (a tiger named in Polish keeps its 0.25)."""
    res = matcher.match(title)
    assert res.risk < 0.3 and set(res.taxa) == taxa, res.explanation


@pytest.mark.parametrize(
    "title",
    [
        "高麗人参の粉末 6年根",
        "Male Dumerils Boa",
        "Cao khỉ nguyên chất",
        "Mỡ trăn nguyên chất",
        "Vòng ngà voi thật",
    ],
)
def test_the_trade_phrases_beside_the_collisions_still_score(matcher, title):
    assert matcher.match(title).taxa, matcher.match(title).explanation


@pytest.mark.parametrize(
    "title, description",
    [
        (
            "Mountain Wolf Skull Replica",
            "Museum quality polyurethane cast. Cast from original specimen.",
        ),
        ("Pigeon skeleton model", "for the biology classroom"),
        ("Bird skeleton models, set of 3", ""),
    ],
)
def test_casts_and_models_named_without_a_depiction_word_are_decoys(matcher, title, description):
    """A cast "from original specimen" (the authenticity claim "original" undid the replica
    word) and a skeleton model carry the weight-0 cast decoy."""
    res = matcher.match(title, description)
    assert res.risk == 0 and any(n.role == "decoy" for n in res.negatives), res.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Taxidermy Bat Shadowbox, real bat",
        "Alaskan timber wolf skull, real bone",
        "Real Pigeon Skeleton mounted on a wood base",
    ],
)
def test_real_skulls_and_skeletons_are_no_models(matcher, title):
    res = matcher.match(title)
    assert not any(n.role == "decoy" for n in res.negatives), res.explanation


def test_a_look_alike_described_by_what_it_imitates_is_no_claim(matcher):
    """decoy23: "designed to look like real alligator" made "real" an authenticity claim
    that undid the look-alike words (risk 0.80); "scale pattern" gave the part word. The
    alligator the description names stays, lowered by "faux"."""
    res = matcher.match(
        "Embossed faux alligator pumps, late 1990s",
        "Cowhide embossed with a repetitive scale pattern designed to look like real alligator",
    )
    assert res.risk < 0.1 and not res.flagged, res.explanation
    assert matcher.match("Genuine python skin bag, natural scale pattern").risk >= 0.5


@pytest.mark.parametrize("title", ["Gucci Crocodile Tote", "Vintage alligator pumps, 1950s"])
def test_more_goods_of_exotic_skin_are_products(matcher, title):
    assert matcher.match(title).risk >= 0.5, matcher.match(title).explanation


@pytest.mark.parametrize("title", ["Replica Wolf Skull", "Replica fox skull, 15 cm"])
def test_a_replica_with_no_claim_of_the_real_thing_is_never_flagged(matcher, title):
    """decoy23: "replica" lowered the taxon to x0.25 and the model (relevance 0.95-0.98 from
    the lexicon's own mammal, product and part features) flagged it; now weight 0."""
    assert flag_risk(matcher.match(title)) == CANCELLED, matcher.match(title).explanation


@pytest.mark.parametrize(
    "title", ["Real wolf skull, not a replica", "Authentic antique ivory carving, not a replica"]
)
def test_a_claim_of_the_real_thing_still_undoes_replica(matcher, title):
    assert matcher.match(title).risk >= 0.5, matcher.match(title).explanation


@pytest.mark.parametrize(
    "title, most",
    [
        ("雪豹卡通气模 吉祥物定制", 0.0),  # an inflatable snow-leopard mascot
        ("国企红木搬家公司 长途搬家", 0.0),  # movers of rosewood furniture
        ("蜥蜴守宫角蛙爬虫专用加热垫 带温控", 0.2),  # a reptile heat pad (x0.25, as "heat mat")
        ("Solid wood jewelry box, brass knobs, ivory lining", 0.0),  # ivory as a colour
    ],
)
def test_taobao_ordinary_goods_flagged_left_out_score_low(matcher, title, most):
    """decoy23: ordinary goods the model flagged on Taobao left out of training."""
    assert matcher.match(title).risk <= most, matcher.match(title).explanation


# left24: the scenery of a taxidermy case is not a replica of the animal.
@pytest.mark.parametrize(
    "title",
    [
        "Taxidermy warblers and a thrush upon branches and painted faux rocks",
        "Victorian dome of taxidermy hummingbirds with faux foliage and moss",
        "Cased taxidermy kingfisher over resin water",
        "Taxidermy red fox on a habitat base with artificial grass",
        "Taxidermy tufted duck drake, cast rock groundwork",
    ],
)
def test_the_setting_of_a_taxidermy_case_lowers_nothing(matcher, title):
    result = matcher.match(title)
    assert result.flagged and not result.negatives, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Faux taxidermy owl on faux rocks",
        "Resin fox figure on artificial grass base",
        "Faux fox skull on faux moss",
    ],
)
def test_a_replica_on_a_setting_is_still_a_replica(matcher, title):
    assert not matcher.match(title).flagged, matcher.match(title).explanation


# left24: a skull cast in metal or carved in wood is a depiction; "real" still wins.
@pytest.mark.parametrize(
    "title",
    [
        "Owl skull pendant, cast in sterling silver",
        "Heron skull necklace cast in jewelers bronze",
        "Raven skull ring, bronze skull on oxidised band",
        "Fox skull pendant cast in pewter",
        "Wood carved skull pendant of a raven",
    ],
)
def test_a_skull_cast_in_metal_is_a_depiction(matcher, title):
    assert not matcher.match(title).flagged, matcher.match(title).explanation


@pytest.mark.parametrize(
    "title",
    ["Real raven skull pendant, sterling silver bail", "Real bat skull necklace, silver chain"],
)
def test_a_real_skull_set_in_silver_is_still_flagged(matcher, title):
    assert matcher.match(title).flagged, matcher.match(title).explanation


# left24: a real insect set in resin is one (docs/labelling.md, replica22 row).
@pytest.mark.parametrize(
    ("title", "flagged"),
    [
        ("Chalcosoma atlas beetle specimen set in resin", True),
        ("Real Dynastes hercules specimen embedded in resin block", True),
        ("Pandinus imperator specimen encased in resin", True),
        ("Resin Dynastes beetle figure", False),
    ],
)
def test_an_insect_set_in_resin_is_not_a_replica(matcher, title, flagged):
    assert matcher.match(title).flagged is flagged, matcher.match(title).explanation


# left24: a genus read as a binomial in shop Title Case; English words after it are not.
@pytest.mark.parametrize(
    ("title", "risk"),
    [
        ("Goliathus Orientalis", 0.5),
        ("Papilio Ulysses", 0.5),
        ("Dynastes Hercules", 0.5),
        ("Goliathus Beetle", 0.1),
        ("Papilio Species", 0.1),
        ("Papilio Camera", 0.1),
        ("GOLIATHUS ORIENTALIS", 0.1),
    ],
)
def test_title_case_binomials(matcher, title, risk):
    assert matcher.match(title).risk == risk, matcher.match(title).explanation


# left24: domestic animals under a CITES common or scientific name.
@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Real four-horned Jacob sheep skull", "A British breed of domestic sheep."),
        ("Goat skull", "Capra aegagrus hircus, the domestic goat."),
        ("Dog skull, cleaned", "Canis lupus familiaris, a mixed breed."),
    ],
)
def test_domestic_animals_under_a_wild_name_are_not_flagged(matcher, title, description):
    assert not matcher.match(title, description).flagged, matcher.match(
        title, description
    ).explanation


def test_a_wild_name_beside_the_domestic_one_still_counts(matcher):
    assert matcher.match("Wolf skull, Canis lupus").flagged


# left24: cartoon and anime goods (Taobao 卡通 in 81 ordinary listings, no wildlife one).
@pytest.mark.parametrize(
    "title",
    ["卡通猴子耳罩儿童保暖", "动漫老虎抱枕", "卡通老虎钥匙扣", "アニメ 虎 キーホルダー"],
)
def test_cartoon_words_lower_a_listing(matcher, title):
    result = matcher.match(title)
    assert result.negatives and result.risk < 0.1, result.explanation


# horn24: horns, hides and trophies of wild hoofed game (docs/labelling.md, rows "Furs, skulls
# and mounts of the fur and game trade" and "Products of domestic animals"). Each real title
# below scored under 0.5 on main's lexicon (a name hidden behind the domestic "buffalo horn" and
# "ox horn" cancels, a name no term held, a German or Afrikaans compound, a binomial); the
# wording is ours, not the listings'.
HORN24_GAME = [
    ("Cape buffalo horns on skull plate", "Bovidae"),
    ("Musk ox horns, pair", "Bovidae"),
    ("Alpine ibex horns on oak shield, 19th century", "Capra"),
    ("Ibex horn box with silver mounts", "Capra"),
    ("Chamois horns trophy on carved board", "Rupicapra"),
    ("Gazelle horns pair, mounted", "Gazella"),
    ("Kudu shofar, natural finish, 38 inch", "Bovidae"),
    ("Yemenite shofar, polished", "Bovidae"),
    ("Gemsbok (2): excellent shouldermount of a male", "Bovidae"),
    ("Springbuck skin, natural", "Bovidae"),
    ("Kudugehörn auf Trophäenbrett", "Bovidae"),
    ("Springbockfell, echt", "Bovidae"),
    ("Steinbockgehörn, alt", "Capra"),
    ("Gamskrucken auf Brett", "Rupicapra"),
    ("Zebrafell aus Namibia", "Equus"),
    ("Cornes de koudou sur plaque", "Bovidae"),
    ("Trophée de bouquetin", "Capra"),
    ("Cornes de buffle du Cap, massacre", "Bovidae"),
    ("Peau de zèbre véritable", "Equus"),
    ("Trofeo de íbice", "Capra"),
    ("Cuernos de búfalo cafre", "Bovidae"),
    ("Piel de cebra auténtica", "Equus"),
    ("Koedoehorings te koop", "Bovidae"),
    ("Springbokvel, gelooi", "Bovidae"),
    ("Koedoe trofee", "Bovidae"),
    ("Wildebeest tail fly whisk", "Bovidae"),
    ("Hippopotamus tusk, 24 inch", "Hippopotamus amphibius"),
    ("Nilpferdzahn, geschnitzt", "Hippopotamus amphibius"),
]


@pytest.mark.parametrize(("title", "taxon"), HORN24_GAME)
def test_horns_hides_and_trophies_of_hoofed_game_flag_on_the_lexicon_alone(matcher, title, taxon):
    result = matcher.match(title)
    assert result.risk > 0.5 and result.flagged, result.explanation
    assert taxon in result.taxa, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Tragelaphus strepsiceros",  # a binomial alone: 0.5, as latin23's
        "Oryx gazella",
        "Syncerus caffer, East Africa",
    ],
)
def test_binomials_of_hoofed_game_are_risky(matcher, title):
    assert matcher.match(title).risk >= 0.5, matcher.match(title).explanation


@pytest.mark.parametrize(
    ("decoy", "real"),
    [
        # a powder or drinking horn is cow horn: a bird or animal engraved on it is no horn of it
        ("Engraved powder horn with an owl and a stag", "Owl skull, real bone"),
        ("Viking drinking horn carved with Odin's ravens", "Raven skull, real"),
        ("Trinkhorn mit Wolf und Rabe", "Wolfsfell, echt"),
        # cowhide stencilled as zebra; a faux zebra rug
        ("Zebra print cowhide rug, large", "Zebra hide rug, grade A"),
        ("Faux zebra rug, 5x7", "Zebra skin rug"),
        ("Kuhfell Zebra-Optik", "Zebrafell echt"),
        ("Peau de vache imprimé zèbre", "Peau de zèbre"),
        # steer horns; the ox and water-buffalo cancels stay
        ("Texas longhorn steer horns, 6 ft mounted", "Musk ox horns"),
        ("Water buffalo horn comb", "Cape buffalo horns"),
        # a 2D (cardboard) trophy of an antelope
        ("Blackbuck 2D taxidermy, cardboard trophy head", "Blackbuck horns"),
        # chamois leather is sheepskin; ibex and chamois alone are no terms (Ibex wool, IBEX 35)
        ("Peau de chamois pour voiture", "Cornes de chamois"),
        ("Ibex merino wool hoodie", "Ibex horns"),
        # GNU's "tail" is a command; a wildebeest's is a fly whisk
        ("GNU tail command, Linux coreutils", "Wildebeest tail fly whisk"),
    ],
)
def test_horn_and_hide_look_alikes_are_not_the_game(matcher, decoy, real):
    low, high = matcher.match(decoy), matcher.match(real)
    assert low.risk < 0.5 and not low.flagged, low.explanation
    assert high.risk >= 0.5, high.explanation


# --- plant24: agarwood, rosewoods, CITES plants and tonic products in English and other
# languages, and their look-alikes (docs/labelling.md "Plants and timber" and "TCM" rows)
PLANT_AND_TONIC_PRODUCTS = [
    "Dried sea cucumber 500g, wild caught",
    "Edible bird's nest, white cup grade AAA, 50g",
    "Swiftlet nest strips 100g",
    "Deer musk grain 1g",
    "Ariocarpus fissuratus seeds x20",
    "Encephalartos horridus 30 cm caudex",
    "Paphiopedilum rothschildianum in bloom",
    "Honduran rosewood guitar back and sides set",
    "Wild Korean ginseng root, 30 years",
    "印尼进口干燕窝 金丝燕燕盏 50g",
    "Yến sào Khánh Hòa tinh chế 100g",
    "Pepino de mar seco 500 g",
    "getrocknete Seegurken 250 g",
    "Concombre de mer séché 250 g",
]


@pytest.mark.parametrize("title", PLANT_AND_TONIC_PRODUCTS)
def test_plant_and_tonic_products_are_flagged_by_the_lexicon(matcher, title):
    result = matcher.match(title)
    assert result.flagged, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Dried fish maw 250g",
        "Indian rosewood fingerboard blank",
        "獐子岛淡干海参 100克",
        "Burmese rosewood armchair, pair",
    ],
)
def test_plant_and_tonic_products_named_more_loosely_are_risky(matcher, title):
    """Risk 0.45-0.5: flagged where the model finds them relevant."""
    result = matcher.match(title)
    assert result.risk >= 0.45, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Tom Ford Oud Wood Eau de Parfum 50ml",
        "Turkish oud instrument with hard case, walnut body",
        "Oud strings set for Arabic oud",
        "Fender Player Stratocaster, Rosewood Fretboard, 3-Color Sunburst",
        "Rosewood effect laminate worktop 3m",
        "Squishable sea cucumber plush",
        "鱼胶粉 烘焙用 吉利丁粉 100g",
        "海参崴旅游纪念品 冰箱贴",
        "燕窝果 新鲜水果 5斤",
    ],
)
def test_plant_and_tonic_look_alikes_score_nothing(matcher, title):
    result = matcher.match(title)
    assert result.risk == 0.0, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Korean red ginseng extract capsules",
        "Red ginseng slices, 6 years",
        "正官庄 高丽红参 人参切片",
    ],
)
def test_cultivated_ginseng_is_never_flagged(matcher, title):
    """The guide's cultivated ginseng (0): a decoy of weight 0, the wild root its shield."""
    assert flag_risk(matcher.match(title)) == CANCELLED


@pytest.mark.parametrize(
    "title", ["Astrophytum myriostigma in 10cm pot", "Sago palm (Cycas revoluta) 3 gal"]
)
def test_nursery_cacti_and_cycads_of_appendix_ii_stay_low(matcher, title):
    result = matcher.match(title)
    assert result.risk < 0.3, result.explanation


def test_brazilian_rosewood_on_a_guitar_is_still_the_wood(matcher):
    """The fingerboard cancel denies the bare "rosewood" only: Appendix I wood stays risky."""
    result = matcher.match("Brazilian rosewood fingerboard, 1964 Stratocaster")
    assert result.flagged and "Brazilian rosewood" in result.explanation, result.explanation


# --- ordinary25: ordinary goods of large product catalogues named after an animal, a shade or
# an idiom (own short examples in the spirit of the eBay and Amazon titles read; each is never a
# wildlife product, so the lexicon cancels it whatever the model's relevance)
ORDINARY_CATALOGUE_GOODS = [
    # cosmetics and their shades, in six languages
    "Liquid foundation SPF 15, shade Warm Ivory 2",
    "Concealer stick - Deep Ivory",
    "Matte lipstick, colour Rosewood",
    "Fond de teint fluide teinte ivoire",
    "Lippenstift Farbton Elfenbein",
    "Base de maquillaje tono marfil",
    "Fondotinta avorio chiaro",
    "口红 象牙 色号",
    # records and their labels, bands named after an animal
    "Blue Mink - Melting Pot - vinyl LP",
    "Arctic Monkeys - AM (12 vinyl)",
    "Greatest Hits - Rhino reissue, remastered",
    "Schallplatte Fuchs im Wald 1972",
    # brands, studios, theatres, phone cases, grills
    "iPhone X, Otter Box Defender case",
    "20th Century Fox logo mug",
    "Blue Rhino propane tank cover",
    "Colt Python .357 grips, used",
    # Christmas decor and household goods
    "Christmas elk ornament, wooden, set of 6",
    "Velvet tree skirt with ivory trim",
    "Squirrel and chipmunk bird feeder, wooden",
    "Bear claw back scratcher, extendable",
    # tactical gear, traps, fishing, scale models
    "Combat helmet cover, coyote",
    "No. 1.5 coil spring fox traps, lot of 6",
    "Carp rod 12ft - Fox",
    "Bachmann HO scale tiger circus car",
    # houseplants and supplements, hair tools, shades of leather
    "Christmas cactus cutting, pink",
    "Hoodia cactus extract capsules",
    "Chameleon curling kit, 5 barrels",
    "Leather tote in ivory leather",
    "Summer leggings, fuchsia",
]


@pytest.mark.parametrize("title", ORDINARY_CATALOGUE_GOODS)
def test_ordinary_catalogue_goods_are_never_flagged(matcher, title):
    result = matcher.match(title)
    assert result.risk == 0.0, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        # the same animals sold as what they are still count
        "Genuine alligator belt, size 34",
        "Vintage fox fur coat, full skins",
        "Antique Cantonese carved ivory silk fan",
        "Real taxidermy bat in a shadow box backed with wallpaper",
    ],
)
def test_real_wildlife_beside_ordinary_words_is_still_risky(matcher, title):
    result = matcher.match(title)
    assert result.risk >= 0.45, result.explanation


# (lead, fourth release) "ivory" as the colour of more garments, linen and cosmetics; the
# colour word never counts beside a part or craft word ("ivory scarf ring, carved").
@pytest.mark.parametrize(
    "title",
    [
        "Slim fit chinos, ivory, size 32",
        "Long ivory scarf with fringe",
        "Liquid foundation in ivory, 30 ml",
        "Crochet tablecloth, ivory, 120 cm",
    ],
)
def test_ivory_as_the_colour_of_clothes_and_linen_is_no_ivory(matcher, title):
    result = matcher.match(title)
    assert result.risk < 0.3, result.explanation


def test_a_colour_word_beside_a_carved_ivory_still_counts_as_ivory(matcher):
    assert matcher.match("Carved ivory scarf ring, antique").risk >= 0.5


# --- leather27: Japanese and Chinese shops name an exotic skin or a fur by the animal and the
# article ("パイソンミニウォレット", "水貂皮大衣"), with no word for leather or fur; their
# look-alikes are synthetic names and embossed or printed skins (docs/detection-log.md)
@pytest.mark.parametrize(
    "title",
    [
        "OPUS パイソンミニウォレット",
        "パイソン 長財布 ラウンドファスナー",
        "クロコダイル 長財布 マット ブラック",
        "本クロコ 二つ折り財布",
        "リザード 時計ベルト 18mm",
        "スティングレイ 長財布 ブラック",
        "サメ革 名刺入れ",
        "ミンクファー ショール",
        "フォックスファー ティペット シルバー",
        "セーブルファー 襟",
        "水貂皮大衣 女 整貂",
        "狐狸毛领 羽绒服",
    ],
)
def test_skins_and_furs_named_by_animal_and_article_are_risky(matcher, title):
    result = matcher.match(title)
    assert result.risk >= 0.45, result.explanation


@pytest.mark.parametrize(
    ("decoy", "real"),
    [
        ("型押しクロコダイル 長財布", "クロコダイル 長財布"),
        ("パイソンプリント ポーチ", "パイソンポーチ"),
        ("フェイクパイソン 財布", "パイソン 財布"),
        ("ミンク毛布 シングル", "ミンク毛皮 コート"),
        ("ミンクファー調 マフラー", "ミンクファー マフラー"),
        ("フォックスファー風 ティペット", "フォックスファー ティペット"),
        ("コルトパイソン 357 モデルガン", "パイソン ベルト"),
        ("仿狐狸毛 围巾", "狐狸毛 围巾"),
        ("仿水貂皮 外套", "水貂皮 外套"),
        ("貂绒大衣 女", "貂皮大衣 女"),
        ("狐狸毛绒玩具 抱枕", "狐狸毛 围脖"),
    ],
)
def test_look_alikes_of_skins_and_furs_named_by_animal_score_nothing(matcher, decoy, real):
    low, high = matcher.match(decoy), matcher.match(real)
    assert low.risk == 0 and not low.flagged, low.explanation
    assert high.risk >= 0.45, high.explanation


@pytest.mark.parametrize(
    "title",
    ["エコファー コート", "ビーガンレザー 財布", "合皮 ハンドバッグ", "PU皮 钱包", "人造皮草 外套"],
)
def test_synthetic_furs_and_leathers_lower_a_listing(matcher, title):
    result = matcher.match(title)
    assert result.risk == 0 and not result.flagged, result.explanation
    found = list(result.matches) + list(result.negatives)
    assert any(m.role == "replica" for m in found), result.explanation


# weak27: everyday live words ("Wild", "Male", "Baby", "cub", "Live") raised an animal's name
# to 0.6-0.75 on things that are no animal; the same words keep a live animal risky. Each
# decoy scored 0.6-0.75 on main; the wording is ours.
@pytest.mark.parametrize(
    "decoy",
    [
        "Wild tiger pewter bookend",
        "Baby owl crystal ornament",
        "Male cheetah bronze bookend",
        "Snow leopard cub and mother, glass paperweight",
        "Rhino live in concert, double album",
    ],
)
def test_everyday_live_words_raise_no_animal_on_a_made_thing(matcher, decoy):
    result = matcher.match(decoy)
    assert result.risk <= 0.3 and not result.flagged, result.explanation


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Adult female leopard gecko", None),
        ("Baby ball python, captive bred", None),
        ("Wild type axolotl", None),
        ("Proven male", "Ball python, 1800 g, great feeder, shipped overnight"),
    ],
)
def test_everyday_live_words_still_raise_a_live_animal(matcher, title, description):
    result = matcher.match(title, description)
    assert result.risk >= 0.6, result.explanation


# weak27: pewter, crystal and glass animals under their makers' names (before: 0.15-0.3),
# knives named after an animal (0.3-0.54) and "ivory" as a colour (0.85)
@pytest.mark.parametrize(
    "decoy",
    [
        "Swarovski crystal polar bear figurine",
        "Royal Selangor pewter owl",
        "Harmony Kingdom owl trinket box",
    ],
)
def test_makers_of_pewter_and_crystal_animals_are_depictions(matcher, decoy):
    assert matcher.match(decoy).risk == 0


@pytest.mark.parametrize(
    "decoy",
    [
        "Snow Leopard trapper pocket knife",
        "Whitetail deer bone trapper knife",
        "Honey badger folding knife",
        "Couteau pliant tigre",
        "Navaja leopardo, acero inoxidable",
        "Taschenmesser Tiger",
    ],
)
def test_a_knife_named_after_an_animal_is_a_model_name(matcher, decoy):
    result = matcher.match(decoy)
    assert result.risk < 0.15, result.explanation


@pytest.mark.parametrize(
    "decoy",
    [
        "Camera strap, black and ivory",
        "Rotary telephone, available in ivory",
        "Ivory invitations, set of 25",
        "Ivory camisole, size M",
        "Ivory handbag with gold chain",
        "Ivory/navy stationery set",
    ],
)
def test_ivory_as_the_colour_of_stationery_bags_and_colour_lists(matcher, decoy):
    result = matcher.match(decoy)
    assert result.risk < 0.3, result.explanation


@pytest.mark.parametrize(
    ("title", "risk"),
    [
        ("Lalique crystal and carved ivory box", 0.5),
        ("Antique knife with ivory handle", 0.5),
        ("Tiger claw knife, antique", 0.5),
        ("Carved ivory box, black/ivory ribbon", 0.5),
        ("Ostrich leather clutch, ivory handbag", 0.5),
    ],
)
def test_a_wildlife_material_beside_a_maker_knife_or_colour_list_still_counts(matcher, title, risk):
    result = matcher.match(title)
    assert result.risk >= risk, result.explanation


# (lead, 7 Dec) an object whose name holds a decoy's word is the object: a "coin purse" of a
# wild skin is the skin's purse, not a coin (a craft term shields the negatives inside it)
@pytest.mark.parametrize(
    "title", ["Frog skin coin purse", "Ostrich leather coin purse", "Stingray skin coin pouch"]
)
def test_a_coin_purse_of_a_wild_skin_is_not_lowered_by_coin(matcher, title):
    result = matcher.match(title)
    assert result.risk >= 0.5, result.explanation


def test_a_coin_holder_naming_no_animal_stays_nothing(matcher):
    assert matcher.match("Morgan silver dollar coin holder").risk == 0
