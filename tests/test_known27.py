"""The kinds of error left on fresh25 (known27; docs/detection-log.md, "The error kinds left on
fresh25 (known27)"), as general rules: the examples are our own short titles, written in the
spirit of the real ones measured, never copies of them."""

from __future__ import annotations

import pytest


# Flagged by the lexicon alone (risk above 0.5): piqué, shagreen, sharkskin and ray skin on
# objects, fish and bird taxidermy in several languages, helmet-shell and conch cameos, a wild
# hide in a shield's description, bison leather.
@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Pair of Victorian piqué earrings", None),
        ("Georgian pique work snuff box", None),
        ("Écaille piquée d'or, boucles anciennes", None),
        ("Schildpatt-Piqué Brosche um 1860", None),
        ("Small shagreen box with silver mounts", None),
        ("Spectacle case covered in shagreen", None),
        ("Korean sharkskin chest, Joseon", None),
        ("Boîte en galuchat, époque Art Déco", None),
        ("鮫皮 脇差 柄", None),
        ("어피함 조선 후기", None),
        ("鲨鱼皮刀柄 老物件", None),
        ("Cased pike by a Victorian taxidermist", None),
        ("Mounted trout in a bow front case", None),
        ("Brochet naturalisé ancien", None),
        ("Präparierter Hecht in Vitrine", None),
        ("鳥の剥製 キジ", None),
        ("魚の剥製 ヤマメ", None),
        ("鸟类标本 老", None),
        ("꿩 박제", None),
        ("Carved helmet shell cameo brooch", None),
        ("Queen conch cameo pendant", None),
        ("Old Sudanese war shield", "Round form with a boss. Made of thick hippo hide."),
        ("Japanese samurai sword", "Signed blade. The hilt is wrapped over ray skin and silk."),
        ("Bison leather wallet", None),
        ("Cuir de bison, sac", None),
    ],
)
def test_known27_wildlife_is_flagged(matcher, title, description):
    result = matcher.match(title, description)
    assert result.flagged, (title, result.explanation)


# A wild fur named with a garment is the fur (product, 0.5), not the animal's name alone (0.04).
@pytest.mark.parametrize(
    "title",
    [
        "Revillon style mink anorak",
        "Vintage mink parka",
        "Sable beret",
        "Silver fox bolero",
        "Lynx gilet",
    ],
)
def test_a_wild_fur_named_with_a_garment_is_the_fur(matcher, title):
    result = matcher.match(title)
    assert result.risk >= 0.5, (title, result.explanation)


# Look-alikes: piqué cotton, sharkskin cloth, stone cameos, shell cameos naming no shell,
# water-buffalo leather, elephant-hair style wire jewellery, antler claws, hornbill carvings.
@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Cotton piqué polo shirt", None),
        ("Pique knit tennis polo", None),
        ("1960s sharkskin suit", None),
        ("Sharkskin fabric trousers", None),
        ("Sardonyx cameo brooch", None),
        ("Lava cameo of Bacchus", None),
        ("Carved shell cameo brooch", None),
        ("Buffalo leather messenger bag", None),
        ("Sterling silver elephant hair bangle", None),
        ("Elephant hair bracelet", "Knotted from strands of silver wire."),
        ("Grizzly claw necklace", "Reenactor's piece: carved antler claws on otter strips."),
        ("Rhinoceros hornbill sculpture", "A kenyalang carved of wood by Iban artisans."),
    ],
)
def test_known27_lookalikes_are_not_flagged(matcher, title, description):
    result = matcher.match(title, description)
    assert not result.flagged, (title, result.explanation)
