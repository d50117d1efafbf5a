"""Small leather goods of the cane toad, and skin words as the pattern of glasses (article33).

The cane toad's skin is sold as coin purses, pick pouches and key rings (docs/labelling.md,
"Exotic leathers of the trade": frog and cane toad): its name beside a leather article, or a
key ring read for it alone (``words.TOAD_ANIMALS``, ``TOAD_GOODS``), is that leather
(``articles.skin_articles``), in en, de, fr, es and it; "toad" alone is not (Nintendo's Toad
wallets), nor a key ring beside another animal (a snake keyring is its shape). A generic
snakeskin term in a title of glasses or spectacles (not their cases) names the frame's pattern
(``skin_words.NOT_SKIN_OBJECTS``), as on sunglasses. The titles are written for these tests
after the kinds seen on real shop pages (docs/detection-log.md, article33); they test the rule,
not its accuracy. Each wildlife title reads under the default rule's risk floor on main, and
so do the first three look-alikes over it; the rest guard the rule's edges.
"""

import pytest

from crawler.matching.train import DEFAULT_RISK_FLOOR

# Read 0.2 on main (the species name alone).
WILDLIFE = [
    "Cane Toad Pick Pouch",
    "Cane Toad Key Ring",
    "Cane toad keyring, Queensland",
    "Cane Toad Wallet",
    "Cane Toads Belt",
    "Geldbörse Agakröte",
    "Sac en crapaud buffle",
    "Cartera sapo de caña",
    "Portafoglio rospo delle canne",
]


@pytest.mark.parametrize("title", WILDLIFE)
def test_a_cane_toad_beside_its_article_reaches_the_floor(matcher, title):
    result = matcher.match(title)
    assert result.risk >= DEFAULT_RISK_FLOOR, result.explanation


# Each stays under the floor (the first three read 0.35 on main, over it).
LOOKALIKES = [
    "Gucci GG0484S Chestnut Brown Snake Skin Oversized Square Glasses",
    "Snake Skin Cat Eye Glasses Frame",
    "Occhiali da sole pelle di serpente",
    "Toad Wallet Super Mario",
    "Python 474P Remote Key Fob",
    "Snake Keyring",
    "Cane Toad",
]


@pytest.mark.parametrize("title", LOOKALIKES)
def test_no_skin_article(matcher, title):
    result = matcher.match(title)
    assert result.risk < DEFAULT_RISK_FLOOR, result.explanation


def test_a_glasses_case_of_real_snakeskin_stays_a_skin(matcher):
    result = matcher.match("Genuine Snakeskin Glasses Case")
    assert result.risk >= DEFAULT_RISK_FLOOR, result.explanation
