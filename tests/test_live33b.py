"""The exotic-pet trade's species, wide (live33b): small mammals, parrots, lizards, snakes,
turtles, amphibians and invertebrates offered alive by their trade names, its morph and rehoming
words, requests, and supplies and plush named by the animal (docs/detection-log.md, "The
exotic-pet trade's species, wide (live33b)"). The titles are ours, written after real classified
and shop titles; they test the lexicon's entries, not its accuracy."""

import pytest

# Names only the live trade uses: 0.5 alone (they flag with the model); each scored below 0.5 on
# main (a8fea36), most of them 0 ("no lexicon terms found").
LIVE_TRADE_NAMES = [
    "Sugar gliders",
    "African pygmy hedgehog",
    "Kinkajou",
    "Frilled dragon",
    "Quince monitor",
    "Chinese Reeves turtle",
    "Stinkpot turtle",
    "Children's python",
    "Mexican black kingsnake",
    "Fire belly newt",
    "Tomato frog",
    "Socotra island blue baboon",
    "Spiny tailed monitor",
    "Quakers parrots",
    "Kakariki",
]


@pytest.mark.parametrize("title", LIVE_TRADE_NAMES)
def test_names_only_the_live_trade_uses_weigh_half(matcher, title):
    result = matcher.match(title)
    assert result.risk >= 0.5, result.explanation


# Beside a live word (baby, juvenile, for adoption) or a morph word of the trade (het for, enchi,
# 3 gene): flagged on the lexicon alone. Each was unflagged on main.
OFFERED = [
    "Young sugar gliders for adoption",
    "Juvenile quince monitor",
    "Blue baby Quakers $395",
    "Corn snakes (het for blood red)",
    "Enchi lemonblast ball python 3 gene",
    "Hoglets for adoption",
    "Box turtle needs a new home",
]


@pytest.mark.parametrize("title", OFFERED)
def test_offered_with_a_live_or_morph_word_flags(matcher, title):
    result = matcher.match(title)
    assert result.flagged and result.risk >= 0.7, result.explanation


# Look-alikes: supplies, plush and toys named by the animal, requests, and everyday senses. Some
# already scored low on main; each would score 0.5 or more with the names above but for its decoy.
LOOK_ALIKES = [
    "Sugar glider bonding pouch",
    "Sugar glider cage with wheel",
    "Axolotl plush",
    "Leopard gecko hide",
    "Hedgehog plush toy",
    "Fennec fox plush",
    "Quaker Oats oatmeal",
    "ISO sun conure",
    "Frilled lizard toy",
    "Tarantula enclosure",
]


@pytest.mark.parametrize("title", LOOK_ALIKES)
def test_look_alikes_of_the_exotic_pet_trade_score_low(matcher, title):
    result = matcher.match(title)
    assert result.risk < 0.3 and not result.flagged, result.explanation


def test_the_exempt_parrots_stay_unflagged_beside_a_request(matcher):
    """'ISO' (in search of) is a request: the ad offers nothing (docs/labelling.md)."""
    result = matcher.match("Iso Sun Conure or Indian Ringneck Parrot")
    assert not result.flagged and result.risk < 0.3, result.explanation


# (lead) a request is the title's: in a description "ISO" is a standard or a camera setting
# and "in search of" a shop's patter, and a real skin stays risky
@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Genuine crocodile leather watch strap 20mm", "Made in our ISO 9001 certified tannery."),
        ("Vintage alligator handbag", "In search of a unique gift? This bag is it."),
        ("Baby ball python, captive bred", "Photos taken at ISO 200, natural light."),
    ],
)
def test_a_request_in_the_description_lowers_nothing(matcher, title, description):
    assert matcher.match(title, description).risk >= 0.5


def test_a_request_in_the_title_still_offers_nothing(matcher):
    assert matcher.match("ISO baby ball python, will pay cash").risk == 0


# (lead) "gecko" alone is a tool's or a tape's brand as often as the animal: offered alive it flags
def test_a_gecko_needs_a_live_word(matcher):
    assert matcher.match("Gecko Gauge siding gauge, 2 pack").risk < 0.3
    assert matcher.match("Female gecko with eggs").risk >= 0.5
