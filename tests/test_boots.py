"""Exotic western boots titled with the skin anywhere in the title (boots29).

Marketplaces title boots with the brand, the size and "Men's" before or after the skin ("Corral
Western Boots Men's Ostrich Black"): an animal of the skin trade and a boot in its clause, with
no print, embossed, faux or look word between them or right after the animal, is that leather
(``articles._boot_span``). The titles are written for these tests after the kinds named in the
brief and seen on boot shops' pages (docs/detection-log.md, boots29); they test the rule, not its
accuracy. Each wildlife title reads under the default rule's risk floor on main; each look-alike
stays under it.
"""

import pytest

from crawler.matching.train import DEFAULT_RISK_FLOOR

# Read 0.1-0.15 on main.
WILDLIFE = [
    "Corral Western Boots Men's Ostrich Black",
    "Cowboy Boots Mens Size 9 Python Brown",
    "Ariat Men's Heritage Western Boot 10.5 EE Ostrich Brown",
    "Tecovas Boots Men's Size 10 Lizard",
    "Ropers Womens 7.5 B Ostrich Cognac",
    "Stivali texani uomo 42 pitone",
    "Botas vaqueras hombre talla 28 avestruz",
    "Cowboystiefel Herren Gr. 43 Python",
    # (lead31) names that are skins only beside an article: the boot reads for them too
    "Santiags homme 42 western autruche",
    "Stivali texani uomo 43 marroni struzzo",
    "Santiags femme croco noir",
]


@pytest.mark.parametrize("title", WILDLIFE)
def test_skin_named_anywhere_with_boots_reaches_the_floor(matcher, title):
    result = matcher.match(title)
    assert result.risk >= DEFAULT_RISK_FLOOR, result.explanation


LOOKALIKES = [
    "Justin Women's Boots Ostrich Print 7.5",
    "Ariat Women's Boots Lizard Print size 8",
    "Corral Western Boots Exotic-Look Ostrich",
    "Lucchese Men's Boots 11 D Full Quill Ostrich Embossed",
    "Bullhide Cowboy Boots Men's 10 D Lizard Look",
    "Western Boots Men's Cowhide Lizard Print",
    "Boots Women's Faux Ostrich Size 8",
    "Men's Boots 10 D Ostrich Embossing",
    "Western Boot, two-tone brown leather, python embossing across the foot",
    "Mens Snake Boots Size 11 Rocky",
    "Cowboy Boots Men's Alligator Buckle",
    "Puss in Boots python toy",
    "Santiags femme imprimé croco",
    "Bottes de pluie autruche enfant",
]


@pytest.mark.parametrize("title", LOOKALIKES)
def test_lookalikes_stay_under_the_floor(matcher, title):
    result = matcher.match(title)
    assert result.risk < DEFAULT_RISK_FLOOR, result.explanation
