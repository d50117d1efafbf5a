"""The specimen and pet trade's everyday names (issue 21, specimen27).

Insects, spiders and scorpions sold framed, hawks in taxidermy, the pet trade's lizards,
snakes and tortoises, real alligator feet and heads as novelties and named seashells, as
short eBay-style titles write them; and their everyday senses (knives, valves, cars, helmets,
kites, bands, piercings). Hand-written examples of the rules in keywords/terms/*.yaml
(source ``wildcrawl-i21-specimen27``); the real titles they were written after are measured
in docs/detection-log.md, not kept here.
"""

import pytest


# an everyday name beside a display, specimen, taxidermy, part or live word: flagged by the
# lexicon alone (each scored 0-0.2 before specimen27)
@pytest.mark.parametrize(
    "title",
    [
        "Butterfly wings real framed",
        "Real tarantula framed",
        "Scorpion in resin paperweight",
        "Real scorpion paperweight",
        "Praying mantis in shadow box",
        "Atlas moth pinned specimen",
        "Stick insect framed, Phasmatidae",
        "Giant centipede specimen framed",
        "Hawk taxidermy mount",
        "Bearded dragon baby live",
        "Corn snake hatchling",
        "Hognose snake baby, captive bred",
        "Sulcata tortoise hatchling",
        "Savannah monitor baby",
        "Blue tongue skink juvenile",
        "Real Alligator Foot Back Scratcher",
        "Alligator head keychain real",
        "Conch shell large natural",
        "Cone shell specimen 45mm",
        "Triton's trumpet shell",
        "Schmetterling gerahmt",
        "Papillon encadré sous verre",
        "Mariposa disecada enmarcada",
        "Farfalla incorniciata",
        "Vlinder ingelijst",
        "Borboleta emoldurada",
        "Vogelspinne Nachzucht",
        "Bartagame Jungtier",
    ],
)
def test_everyday_names_of_the_specimen_and_pet_trade_are_flagged(matcher, title):
    result = matcher.match(title)
    assert result.flagged, result.explanation


# a name alone, with no display, part or live word: low (the model decides)
@pytest.mark.parametrize(
    "title",
    ["Butterfly pendant sterling silver", "Scorpion pendant gold", "Hawk ridge", "Mariposa"],
)
def test_an_everyday_name_alone_is_low(matcher, title):
    assert matcher.match(title).risk < 0.1


# display words lift insects, arachnids and shells only: beside another animal's name they are
# a picture's frame
@pytest.mark.parametrize(
    "title", ["Framed Owl Art", "Framed Lion photo", "Tiger in shadow box", "Eagle under glass"]
)
def test_display_words_lift_no_other_animal(matcher, title):
    result = matcher.match(title)
    assert not result.flagged, result.explanation


# the everyday senses of the names
@pytest.mark.parametrize(
    "title",
    [
        "Butterfly knife bone handle",
        "Butterfly valve 4 inch wafer type",
        "Butterfly hinge brass pair, framed cabinet",
        "Butterfly framed print",
        "Framed butterfly art print",
        "Tony Hawk skateboard deck with bones wheels",
        "Hawk modular helmet DOT",
        "Scorpion EXO-1000 helmet",
        "Pirelli Scorpion Verde tyre",
        "Scorpion kite",
        "Mantis tiller tines",
        "VW Beetle convertible 2003 parts",
        "Moth balls cedar",
        "Tarantula LP vinyl",
        "Corn snake plush",
        "Bearded dragon tank 40 gallon",
        "Bearded dragon harness leash",
        "Conch piercing jewelry, inner shell of the ear",
        "Conch shell soap set",
        "Alligator clip framed",
        "Válvula de mariposa 2 pulgadas",
        "Noeuds papillon en soie",
        "Pasta farfalle 500g",
        "VW Käfer Cabrio",
    ],
)
def test_everyday_senses_of_the_names_score_low(matcher, title):
    result = matcher.match(title)
    assert result.risk < 0.3, result.explanation


def test_cicada_is_an_insect_not_a_cycad(matcher):
    result = matcher.match("Cicada framed")
    assert "insects" in result.explanation and result.flagged, result.explanation


def test_a_bear_claw_back_scratcher_stays_a_back_scratcher(matcher):
    # only the alligator's foot or claw is a real part on a back scratcher
    assert matcher.match("Bear claw back scratcher").risk == 0
