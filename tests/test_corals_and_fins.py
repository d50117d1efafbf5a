"""(jewel33) Coral set in a jewel, and things shaped as a shark fin (issue 21).

A bare coral word ("coral", "corail", "Koralle", 珊瑚) is a colour as often as the material;
set in a jewel (beside a cut or setting word, a precious coral's name, or a precious metal
with the jewel's name) it is the material, as "coral necklace" is
(``crawler.matching.colours.set_corals``; docs/labelling.md: a piece set with coral is 1). A
shark fin is a car part's or an object's shape wherever the title names the part or the
object (``negatives.denied``: a cancel of product fin). Hand-written titles in the spirit of
real ones; they test the rules, they are no evidence of accuracy (docs/detection-log.md).
"""

import pytest


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Vintage Bedouin coral and silver Yemeni ring, 925, granulation", None),
        ("Oval coral and handmade silver ring, stamped 800", None),
        ("Coral silver earrings", None),
        ("Pendant 750 rose gold, hand-engraved coral disc, diamonds", None),
        ("Bague cabochon de corail en or jaune 18 carats", None),
        ("Korallen Ohrringe Silber 925", None),
        ("Anillo de plata con coral", None),
        ("Bronze ring inlay coral, ancient", None),
        ("Brooch", "Brooch of 14k gold with a round coral, circa 1960."),
        ("銀 珊瑚 指輪", None),
    ],
)
def test_a_coral_set_in_a_jewel_is_the_material(matcher, title, description):
    result = matcher.match(title, description)
    assert result.risk >= 0.5, result.explanation


def test_a_colour_word_telling_a_named_corals_colour_does_not_lower_it(matcher):
    # the description tells the coral's colour: no colourway of the pendant
    result = matcher.match(
        "Sunrise 750 red gold, diamonds",
        "Corals glow in colours such as the intense orange of the Pacific Momo coral.",
    )
    assert result.risk >= 0.5, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Auto Pearl Shark Fin Signal Receiver Antenna Compatible with Honda",
        "Antenna Shark Fin Universal",
        "Decorative shark fin carbon look antenna",
        "Shark Fin Signal Booster for SUV",
        "Shark Fin Swim Fins for kids",
        "Shark fin hair clip, large claw clip",
        "Surfboard fin, shark fin shape, FCS",
        "Aleta de tiburón decorativa para coche",
        "Aileron de requin décoratif pour voiture",
        "鲨鱼鳍 装饰 汽车 车顶",
    ],
)
def test_a_shark_fin_shaped_thing_is_no_fin_wherever_its_words_stand(matcher, title):
    result = matcher.match(title)
    assert result.risk < 0.3, result.explanation


@pytest.mark.parametrize("title", ["Agatized coral necklace", "Agatised coral cabochon"])
def test_fossil_coral_is_a_fossil(matcher, title):
    result = matcher.match(title)
    assert result.risk < 0.3, result.explanation


# Guards: what the rules above must leave as it was (these pass on main too)
@pytest.mark.parametrize(
    "title",
    [
        "Neon Coral running shoes, size 9",
        "Coral gold sequin dress",
        "Coral lipstick, matte",
        "Coral enamel flower earrings, gold tone",
        "Silver-plated necklace with artificial corals",
        "Coral pink and gold bracelet watch",
        "Coral Bay sterling silver dolphin pendant",
    ],
)
def test_coral_as_a_colour_or_a_look_alike_stays_low(matcher, title):
    result = matcher.match(title)
    assert result.risk < 0.3, result.explanation


@pytest.mark.parametrize(
    "title", ["Dried shark fin 500g, premium", "Shark fin soup ingredient, dried", "魚翅 排翅 乾貨"]
)
def test_dried_shark_fin_stays_risky(matcher, title):
    result = matcher.match(title)
    assert result.risk >= 0.5, result.explanation
