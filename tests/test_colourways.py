"""Ivory, tortoiseshell and coral as the colourway of a modern article (colour31).

Eyewear, watch dials, phone cases, hair clips, guitar picks and pickguards, pens, cosmetics,
yarn and swimwear in these colours are acetate, lacquer or dye: with such an article, or an
eyewear model code, in the same title or sentence the material word is their colour
(``crawler.matching.colours``; docs/labelling.md, the "faux" and colour rows). A claim that the
material is genuine or the piece old keeps it. The titles are written for these tests after the
kinds of real eBay and shop titles read in colour31 (docs/detection-log.md); they test the rule,
not its accuracy. Each colourway is flagged on main, each genuine piece stays flagged.
"""

import pytest

COLOURWAYS = [
    "Tom Ford Ivory cat-eye FT9284/S Sunglasses",
    "Tom Ford FT TF211 Tortoiseshell Brown Sunglasses",
    "Sunglasses Black With Ivory Piping TY 7184U",
    "Designer Flat Top Sunglasses Ivory Arms",
    "Tortoise Shell Hair Claw Clip 3 inch",
    "Vintage style watch, gold case, ivory dial, leather strap",
    "Omega Seamaster ivory dial 36mm",
    "Women's Bikini Red/coral Trim Size M",
    "Schildpatt Brille Damen 52-18-140",
    "Elfenbein Zifferblatt Armbanduhr Herren",
    "Occhiali da sole avorio donna",
    "Gafas de sol marfil mujer",
    "Lunettes de vue ivoire femme",
    "べっ甲 メガネ フレーム 日本製",
    "Merino yarn ivory 100g skein",
    # (lead31) balloons, appliances, home textiles
    "12 inch pearl ivory latex balloons, pack of 50",
    "Split inverter air conditioner 1.5 ton, ivory matte",
    "Velvet cushion cover ivory 45 x 45",
]


@pytest.mark.parametrize("title", COLOURWAYS)
def test_a_material_named_as_a_goods_colourway_scores_nothing(matcher, title):
    result = matcher.match(title)
    assert result.risk == 0.0 and not result.flagged, result.explanation


def test_a_colourway_in_a_description_sentence_scores_nothing(matcher):
    result = matcher.match("Gold Dress Watch", "Gold case, ivory dial, brown leather strap.")
    assert result.risk == 0.0, result.explanation


GENUINE = [
    "Antique spectacles in real tortoiseshell",
    "Genuine tortoiseshell eyeglasses frames 1920s",
    "Victorian tortoiseshell lorgnette glasses",
    "Real tortoiseshell frames, Maison Bonnet",
    "19th century carved ivory pen holder",
    "Echtes Schildpatt Brille antik",
    "Carved ivory watch stand",
]


@pytest.mark.parametrize("title", GENUINE)
def test_a_genuine_or_old_piece_keeps_its_material(matcher, title):
    result = matcher.match(title)
    assert result.flagged and result.risk >= 0.85, result.explanation


def test_the_colour_rule_needs_an_article_in_the_same_sentence(matcher):
    # the article is in another sentence of the description: the ivory is the carving's
    result = matcher.match(
        "Ivory figure of a fisherman",
        "Ivory figure on a wooden base, 12 cm. Sunglasses in the photo for scale.",
    )
    assert result.flagged, result.explanation


@pytest.mark.parametrize(
    "title",
    ["Black Coral pendant 14k gold", "Ivory bangle bracelet", "Tortoiseshell card case"],
)
def test_a_material_without_a_colour_article_still_counts(matcher, title):
    assert matcher.match(title).flagged
