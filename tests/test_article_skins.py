"""An exotic skin or fur named by the animal and the article (article27).

An animal of the skin trade named with a leather article, or one of the fur trade with a
garment, within a few words of the same field is that skin or fur (``articles.skin_articles``),
a product of weight 0.5 as the lexicon's phrase entries ("python handbag", "fox coat") are:
at the default flag rule's risk floor with the title alone. A print, pattern, faux or replica
word between them, or a picture's word, leaves the animal a picture or a colour. The titles are
written for these tests after the kinds seen on real listings (docs/detection-log.md,
article27); they test the rule, not its accuracy.
"""

import pytest

from crawler.matching.train import DEFAULT_RISK_FLOOR

# Each read 0.01-0.2 on main (a species name alone, or lowered by a garment's colour word).
ARTICLES = [
    # a brand or a model's name between the animal and the article
    "burgundy python vara ferragamo ballet flats",
    "black lizard pouch bottega clutch bag",
    "green python sac de jour handbag",
    "red eel gucci flats",
    "grey water snake romy heels",
    "blue ostrich dior tote",
    # articles the phrase lists do not name
    "Lizard loafers",
    "Ostrich espadrilles",
    "caiman crossbody bag",
    # a garment word that is a colour negative for "ivory" ("coat") beside a fur
    "brown fox balmain coat",
    "navy mink dior coat",
    "1980s mens river otter car coat",
    # a colour beside the skin is the article's colour
    "beige python gucci handbag",
    # fr, de, it, es: the article named first, across linking words
    "veste en renard",
    "Gürtel aus Krokodil",
    "Jacke aus Nerz, Größe 40",
    "Fuchsmantel Größe 38",
    "borsetta di struzzo",
    "cappotto di volpe",
    "cartera de avestruz",
    "chaqueta de zorro",
]


@pytest.mark.parametrize("title", ARTICLES)
def test_animal_with_article_is_the_skin(matcher, title):
    result = matcher.match(title)
    assert result.risk >= DEFAULT_RISK_FLOOR, result.explanation
    assert any(m.kind == "product" and m.taxon_id for m in result.matches), result.explanation


# The animal is the article's picture, colour or brand, or a print or fake of its skin.
PICTURES = [
    "python print flats",
    "croc-embossed bag",
    "faux fox collar",
    "fox print scarf",
    "fox embroidered wool coat",
    "Zorro costume hat",
    "mink cashmere scarf",
    "owl handbag",
    "Wolf Grey running shoes",
    "Baby Shark kids backpack",
    "snake chain bracelet",
    "snake boots, snake proof",
    "Serpent of the Seas belt buckle",
    "Snake monogram satchel",
    "Python book, leather bag",
    "snake plant in a basket",
]


@pytest.mark.parametrize("title", PICTURES)
def test_animal_as_picture_or_fake_stays_below_the_floor(matcher, title):
    assert matcher.match(title).risk < DEFAULT_RISK_FLOOR, matcher.match(title).explanation


def test_a_name_of_role_article_alone_is_no_term(matcher):
    # "snake", "croco", "nerz" are skin-trade words only beside an article
    for title in ("snake plant", "Croco the clown", "Nerz"):
        assert not [m for m in matcher.match(title).matches if m.kind == "species"], title


def test_the_phrase_entry_keeps_its_match(matcher):
    # where a phrase of the lexicon's names the skin the animal stays as it was found
    kinds = [(m.kind, m.product) for m in matcher.match("Peacock blue lizard strap").matches]
    assert ("product", "skin") in kinds
    assert ("product", "leather") not in kinds
