"""Furs on shoes and small accessories, and leather articles named first (furacc29).

A fur animal named with a shoe or a pompom where the animal is the material (right before the
article, or right after a colour word: "pink mink fendi sandals"); a skin's watch band, strap
or shoe named first with at most colour words before the animal ("Driving loafers brown
alligator"); bracelets as leather articles, not jewels. The titles are written for these tests
after the kinds seen on real listings and shop catalogues (docs/detection-log.md, furacc29);
they test the rules, not their accuracy. Each reads under the default rule's risk floor on
main, or (the look-alikes) stays under it.
"""

import pytest

from crawler.matching.train import DEFAULT_RISK_FLOOR

# Read 0.008-0.2 on main.
WILDLIFE = [
    # a fur with a shoe or a pompom
    "Mink sandals, brown, size 38",
    "Mink ankle boots black",
    "Grey mink gucci ankle boots",
    "Pink mink fendi sandals",
    "Camel mink lock it sandals",
    "Mink pompom earrings",
    "Fox pom pom beanie",
    "Brown raccoon slides",
    # an article named first, colour words at most before the animal
    "Driving loafers brown alligator",
    "Apple Watch band lizard",
    "Watch strap ostrich brown 20mm",
    "Belt black crocodile 90 cm",
    "Jacket in dyed black cross mink",
    # a leather bracelet of a skin
    "Kelly double tour crocodile bracelet",
    "Kelly lizard bracelet Hermes",
]


@pytest.mark.parametrize("title", WILDLIFE)
def test_fur_or_skin_article_reaches_the_floor(matcher, title):
    result = matcher.match(title)
    assert result.risk >= DEFAULT_RISK_FLOOR, result.explanation


# The same words that must stay under the floor.
LOOKALIKES = [
    "Fox Racing boots size 42",
    "Boots mink grey size 39",
    "Birkenstock sandals mink suede",
    "Faux fur mink sandals pink",
    "Mink lashes 3D, 10 pairs",
    "Mink oil for boots",
    "Danner Coyote military boots",
    "Oakley black coyote boots",
    "Fox print slides",
    "Fox head bag charm, enamel",
    "Fox Rage camo tackle bag",
    "Slippers mink, size 6",
    "Charm bracelet crocodile motif, silver",
    "Sterling silver snake bracelet",
    "Snake chain bracelet 18 cm",
    "Medical alert bracelet stingray",
    "Stingray medical alert bracelet",
    "Watch band crocodile grain leather",
    "Watch band crocodile pattern",
    "Hair clip alligator gold",
    "Crocodile clips, set of 10",
    "Rocky Lynx Snake Waterproof Boots",
    "Vintage onyx leather belt crocodile buckle",
]


@pytest.mark.parametrize("title", LOOKALIKES)
def test_lookalikes_stay_under_the_floor(matcher, title):
    result = matcher.match(title)
    assert result.risk < DEFAULT_RISK_FLOOR, result.explanation
