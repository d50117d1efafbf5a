"""Skin-trade phrases that name a pattern, a finish or a shape (known29).

A generic snakeskin term on a thing no skin article can be (a tyre's sidewall, a trading
card's parallel, a stencil, sunglasses, a phone case, nail wraps, fabric, wallpaper, a stone)
is that thing's pattern or technology (``skins.pattern_skins``); a style word after a skin
("crocodile leather style", "python leather look") makes the skin a pattern's name; an
animal, a skull or tusks carved in stone are the stone's shape (``skins.stone_shapes``); a
shark tooth of ebony, silver, bone or pounamu is a tooth's shape (lexicon cancels). A real
skin, shed, hide or tooth stays. The titles are written for these tests after the kinds seen
on real listings (docs/detection-log.md, known29); they test the rules, not their accuracy.
"""

import pytest

from crawler.matching.train import DEFAULT_RISK_FLOOR

# Each read 0.35-0.95 on main (at or above the flag rule's risk floor).
LOOKALIKES = [
    # a tyre maker's "Snake Skin" sidewall: sizes, TPI, PSI, e-bikes, German
    "Schwalbe Marathon Plus 700x35c SnakeSkin folding tyre",
    "26 x 2.10 Snake Skin e-bike tire 70 PSI",
    "Faltreifen 29x2.35 SnakeSkin Addix",
    # a trading card's parallel
    "2021 Prizm Green Snake Skin Rookie /99",
    "Donruss Optic snakeskin parallel #12",
    # stencils, glasses, phone cases, nails, fabric, wallpaper
    "Snake skin stencil for cakes",
    "snakeskin sunglasses cat eye",
    "Snakeskin phone case for iPhone 13",
    "snake skin nail wraps 20 pcs",
    "snakeskin spandex fabric by the yard",
    "Snakeskin wallpaper peel and stick",
    # stones named after a skin, and carvings in stone
    "snakeskin jasper tumbled stone",
    "Snake Skin Agate sphere",
    "leopard skin jasper bead bracelet",
    "hand carved quartz crystal snake skull",
    "Obsidian crocodile skull, carved",
    "Labradorite carved raven skull",
    "jadeite elephant carving with tusks",
    "elephant statue with tusks, lavender jadeite",
    "Leopard jasper pendant, spots like the skin of the leopard",
    # a style word after the skin
    "crocodile leather style wallet",
    "python leather look clutch",
    "leopard skin design scarf",
    # a shark tooth's shape in another material
    "ebony shark tooth pendant",
    "sterling silver shark tooth charm",
    "bone carved shark tooth necklace",
    "pounamu shark tooth",
]


@pytest.mark.parametrize("title", LOOKALIKES)
def test_pattern_or_shape_is_no_wildlife_product(matcher, title):
    result = matcher.match(title)
    assert result.risk < DEFAULT_RISK_FLOOR, result.explanation


# Real skins, sheds, hides and teeth, and a wildlife material carved: as on main.
REAL = [
    "genuine snakeskin belt",
    "real snake skin shed 3 ft",
    "snakeskin cowboy boots",
    "python snakeskin watch strap",
    "tanned snakeskin hide 4 ft",
    "real tiger shark tooth necklace",
    "mako shark tooth set in sterling silver",
    "carved ivory elephant on a jade stand",
    "rattlesnake skin hatband",
    "crocodile leather wallet",
]


@pytest.mark.parametrize("title", REAL)
def test_real_skin_or_tooth_stays(matcher, title):
    result = matcher.match(title)
    assert result.risk >= DEFAULT_RISK_FLOOR, result.explanation


def test_hair_dye_with_an_animal_brand_is_no_fur(matcher):
    # "Arctic Fox" semi-permanent colour: a decoy of weight 0, the fox never raised
    for title in (
        "Arctic Fox Semi Permanent Hair Color Dye 8 oz",
        "ARCTIC FOX Poseidon Semi-Permanent Hair Dye",
        "Arctic Fox Diluter 8 oz",
    ):
        result = matcher.match(title)
        assert result.risk == 0.0, result.explanation
        assert any(m.kind == "negative" for m in result.matches), title


def test_the_cancel_holds_the_pattern_term(matcher):
    # the rule's cancel spans the snakeskin term it denies, in the same field
    result = matcher.match("Snake Skin 700x25c tyre")
    cancels = [m for m in result.matches if m.role == "cancel"]
    skins = [m for m in result.matches if m.kind == "product" and m.taxon_id]
    assert cancels and skins
    assert all(any(c.start <= s.start and s.end <= c.end for c in cancels) for s in skins), (
        result.explanation
    )
