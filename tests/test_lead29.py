"""The lead's rules of 7 December 2026 (docs/detection-log.md, "Game parts, possum blends and
two French part words (lead29)"): our own short titles, in the spirit of the real ones."""

from __future__ import annotations

import pytest

from crawler.matching.matcher import Matcher
from crawler.matching.train import DEFAULT_RISK_FLOOR


# the trade's product, named without a species word the lexicon had alone
@pytest.mark.parametrize(
    "title",
    [
        "Genuine sambar stag knife scales, pair",
        "Folding hunter with Indian sambar stag handle",
        "Wild turkey spurs and beard from spring hunt",
        "Turkey tail fan mount, Eastern gobbler",
        "Possum merino gloves, made in New Zealand",
        "Possum fur and merino wool beanie",
        "Crâne de renard véritable",
    ],
)
def test_flagged(matcher: Matcher, title: str) -> None:
    assert matcher.match(title).flagged, title


# the everyday senses: a dish, a bourbon, a farmed bird's craft feathers, and the English words
# a French part word folds to ("crane", "massacre") beside an animal
@pytest.mark.parametrize(
    "title",
    [
        "Sambar masala powder 100 g",
        "Wild Turkey 101 bourbon decanter, empty",
        "Dyed turkey feathers for crafts, 50 pieces",
        "Japanese cloisonne vase with cranes and turtles",
        "Bronze crane standing on a turtle, incense burner",
        "Texas Chainsaw Massacre figure with bear",
    ],
)
def test_not_flagged(matcher: Matcher, title: str) -> None:
    assert not matcher.match(title).flagged, title


# a skin named by its trade name is the garment's material: the garment's word is no colour of
# it ("python leather jacket" read 0.10, lowered by "jacket" as the colour of an ivory jacket;
# leather29's SKIN_MATERIAL_WEIGHT rule, which keeps "snake skin", 0.35, lowered)
@pytest.mark.parametrize(
    "title",
    [
        "Python leather jacket, mens size L",
        "Ostrich leather jacket, vintage",
        "Lizard skin skirt, green",
    ],
)
def test_a_skin_beside_a_garment_keeps_its_risk(matcher: Matcher, title: str) -> None:
    assert matcher.match(title).risk >= DEFAULT_RISK_FLOOR, title


def test_ivory_beside_a_garment_is_still_a_colour(matcher: Matcher) -> None:
    assert matcher.match("Ivory lace wedding dress, size 10").risk < DEFAULT_RISK_FLOOR


# the names of a tackle maker, a succulent and a snowshoe's shape
@pytest.mark.parametrize(
    "title",
    [
        "Eagle Claw Lazer Sharp baitholder hooks size 4",
        "Eagle Claw Featherlight spinning rod 6ft",
        "Bear paw succulent in 4 inch pot",
        "Cotyledon tomentosa, bear's paw, rooted cutting",
        "Vintage bear paw snowshoes, wood and rawhide",
        "Vibration lure, colour Red Tiger, 50 mm",
        "Vintage wooden frog lure, bass fishing",
        "Asian elephant, laser engraved photo on wood",
        "Brass and rosewood try square, 6 inch",
        "Rosewood marking gauge with brass wear strips",
    ],
)
def test_names_of_things_not_flagged(matcher: Matcher, title: str) -> None:
    assert not matcher.match(title).flagged, title


# a part word holding a decoy's word is the part ("fur keychain" was lowered x0.25 by "keychain")
@pytest.mark.parametrize(
    "title",
    ["Fox fur keychain, natural", "Real raccoon fur pom pom keychain, bag charm"],
)
def test_a_fur_keychain_is_the_fur(matcher: Matcher, title: str) -> None:
    assert matcher.match(title).flagged, title


@pytest.mark.parametrize(
    "title", ["Plush fox keychain", "Faux fox fur pom pom keychain", "Rabbit fur pom pom keychain"]
)
def test_a_toy_or_faux_keychain_is_not(matcher: Matcher, title: str) -> None:
    assert not matcher.match(title).flagged, title


def test_a_misspelt_alligator_with_its_skin(matcher: Matcher) -> None:
    assert matcher.match("Genuine aligator skin belt, brown").flagged
    assert not matcher.match("Aligator R40 eXtremo phone, black").flagged


def test_a_genuine_claim_before_the_skin_word_undoes_the_use_decoy(matcher: Matcher) -> None:
    # "Genuine skin" at the end of a craft-hide title, as "Genuine python skin" before it
    title = "Karung snake skin hide, python, for costume and crafts, genuine skin"
    assert matcher.match(title).flagged


# ordinary goods of eBay searches (lead29): colours, brands, motifs, a cricket bat, screws
@pytest.mark.parametrize(
    "title",
    [
        "Studio headphones, over ear, matte ivory",
        "Fine china dinner plates, ivory with gold rim, set of 4",
        "Big Horn 14 oz tiger titanium hammer",
        "Tree of life pendant, sterling silver",
        "Odor defense shoe spray",
        "Tiger cricket bat, English willow",
        "Black and white plastic nylon screws, M3",
        "Kids alligator rain boots, size 9",
        "Toddler crocodile rubber boots with handles",
    ],
)
def test_ordinary_goods_of_searches_not_flagged(matcher: Matcher, title: str) -> None:
    assert not matcher.match(title).flagged, title


def test_the_bighorn_sheep_keeps_its_name(matcher: Matcher) -> None:
    assert matcher.match("Big horn sheep skull, Montana").flagged
