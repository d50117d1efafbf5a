"""Luxury houses and their model names beside a skin of the trade (brand31).

Resale titles of luxury goods name the house, the model and the skin and often no article word
("Louis Vuitton Alligator Speedy 30", "Hermes Kelly 28 Niloticus"): a house or a model of
``skin_words.HOUSES``/``MODELS`` and an animal of the skin trade in one clause, with no print,
embossed, faux or look word between them or right after the animal and none of the houses'
other goods (a scarf, a T-shirt, a charm) in the clause, is that leather
(``articles._house_span``); the trade's species epithets (niloticus, porosus...) are skins
there and beside a leather article, nothing alone; a model name before "style" is the bag's
shape, not a fake skin (``skin_words.shaped``). The titles are written for these tests after
the kinds seen in resale shops' saved listings (docs/detection-log.md, brand31); they test the
rule, not its accuracy. Each wildlife title reads under the default rule's risk floor on main;
each look-alike stays under it.
"""

import pytest

from crawler.matching.train import DEFAULT_RISK_FLOOR

# Read 0-0.2 on main.
WILDLIFE = [
    "Louis Vuitton Alligator Speedy 30",
    "Hermes Constance Ostrich",
    "Nancy Gonzalez Crocodile Gotham",
    "CHLOE Silverado Python",
    "Gucci Python Jackie",
    "Jimmy Choo Python",
    "Hermes Kelly 28 Niloticus",
    "Birkin 30 Shiny Porosus Gold Hardware",
    "Dior Lizard Mini Lady Dior Pink",
    "Capucines Mini Metallic Crocodile",
    "Vintage Lizard Kelly Style Bag",
    "Cartier clutch in beige python",
    "Hermès Lindy 26 matte alligator",
]


@pytest.mark.parametrize("title", WILDLIFE)
def test_a_skin_beside_a_house_or_model_reaches_the_floor(matcher, title):
    result = matcher.match(title)
    assert result.risk >= DEFAULT_RISK_FLOOR, result.explanation


LOOKALIKES = [
    "Gucci Python Print Jackie",
    "Chanel Crocodile Embossed Flap",
    "Dior Saddle Python Effect",
    "Prada croc-embossed Galleria",
    "Balenciaga Calfskin Crocodile Embossed City",
    "Hermes silk scarf Crocodiles carre 90",
    "Hermes crocodile charm keychain",
    "Gucci snake embroidered T-shirt",
    "Lacoste crocodile polo shirt",
    "Crocodile Classic Style Handbag",
    "Oreochromis niloticus tilapia fingerlings",
    "Porosus and niloticus: a field guide",
    "Kelly Python",
]


@pytest.mark.parametrize("title", LOOKALIKES)
def test_lookalikes_stay_under_the_floor(matcher, title):
    result = matcher.match(title)
    assert result.risk < DEFAULT_RISK_FLOOR, result.explanation
