"""The lead's rules of 7 December 2026, afternoon (docs/detection-log.md, lead31): our own
short titles, in the spirit of the real ones."""

from __future__ import annotations

import pytest

from crawler.matching.matcher import Matcher
from crawler.matching.train import DEFAULT_RISK_FLOOR


# a finish "inspired by" a skin is a moulded or printed look, not the skin
@pytest.mark.parametrize(
    "title, description",
    [
        ("Crocs Classic Cowboy Boots", "Textured finish inspired by crocodile skin."),
        ("Phone case, black", "A grippy back inspired by python skin"),
        ("Rubber ankle boots", "Croc-inspired texture, waterproof"),
    ],
)
def test_inspired_by_a_skin_is_no_skin(matcher: Matcher, title: str, description: str) -> None:
    result = matcher.match(title, description)
    assert result.risk < DEFAULT_RISK_FLOOR, result.explanation


# the real skin beside the word stays one
def test_real_skin_beside_inspired_design_stays(matcher: Matcher) -> None:
    result = matcher.match("Genuine crocodile skin wallet", "A design inspired by the 1920s")
    assert result.risk >= DEFAULT_RISK_FLOOR, result.explanation


# the fur trade's pompoms claimed real are sold as keychains: the use lowers nothing then
def test_real_fur_pompom_keychain(matcher: Matcher) -> None:
    result = matcher.match("Pom pom fox keychain", "Genuine real fur fox pom pom keychain, 10 cm")
    assert result.risk >= DEFAULT_RISK_FLOOR, result.explanation


# everyday things named after an animal, or its part, with no wildlife in them
@pytest.mark.parametrize(
    "title, description",
    [
        ("Fox keychain", "Cute plush fox keychain for backpacks"),
        ("3 pairs MINK EYELASHES", "100% real mink fur strip lashes, reusable"),
        ("Power Rangers Snake Ax and Tiger Claw battle set", ""),
        ("Ivory Ella tee, size M", ""),
        ("Diecast Porsche Cayman S Guards Red", ""),
        ("County Cayman Blue Defender 1:18", ""),
        ("Leather care kit exotic skins cleaner", ""),
    ],
)
def test_not_wildlife(matcher: Matcher, title: str, description: str) -> None:
    result = matcher.match(title, description)
    assert result.risk < DEFAULT_RISK_FLOOR, result.explanation


# an animal named alone on a jewel is its motif; a part, a craft, a product, a claim or an
# animal that is itself the material keep it
@pytest.mark.parametrize(
    "title",
    [
        "Hammerhead shark pendant sterling silver",
        "Whale shark earrings, 925 silver",
        "Sea turtle necklace on a chain",
        "Collier requin marteau argent",
        "Halskette Walhai Silber",
    ],
)
def test_animal_alone_on_a_jewel_is_its_motif(matcher: Matcher, title: str) -> None:
    result = matcher.match(title)
    assert result.risk < DEFAULT_RISK_FLOOR, result.explanation
    assert any(n.role == "motif" for n in result.negatives), result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Shark tooth necklace",
        "Bear claw necklace, old pawn",
        "Antique carved ivory pendant",
        "Real red coral necklace",
        "Walrus ivory pendant",
        "Genuine hammerhead shark jaw pendant",
    ],
)
def test_the_jewel_of_a_material_stays(matcher: Matcher, title: str) -> None:
    result = matcher.match(title)
    assert result.risk >= DEFAULT_RISK_FLOOR, result.explanation
    assert not any(n.role == "motif" for n in result.negatives), result.explanation


def test_a_claim_or_a_material_animal_keeps_the_jewel_unlowered(matcher: Matcher) -> None:
    for title in ("Real beetle wing earrings", "Butterfly wing pendant", "Coral pendant"):
        result = matcher.match(title)
        assert not any(n.role == "motif" for n in result.negatives), result.explanation


# coral named among a jewel's stones is the material; a colour is not
@pytest.mark.parametrize(
    "title",
    [
        "Gold ring with coral and lapis lazuli, 1970s",
        "Silver pendant: jade, opal, coral and onyx",
        "Navajo cuff set with coral",
    ],
)
def test_coral_among_stones_is_the_material(matcher: Matcher, title: str) -> None:
    result = matcher.match(title)
    assert result.risk >= DEFAULT_RISK_FLOOR, result.explanation


@pytest.mark.parametrize(
    "title, description",
    [
        ("Coral color dress with turquoise beads", ""),
        ("Snakeskin ring, textured stacking ring", ""),
        ("Face mask chain, tortoise shell acrylic links", ""),
        ("Shark mouth reusable face masks, filters included", ""),
        ("Leather repair cream for car seats, croc skin refurbish", ""),
        ("Makeup bundle", "Highlighter and foundation in ivory, barely used"),
    ],
)
def test_colours_patterns_and_care_are_not_wildlife(
    matcher: Matcher, title: str, description: str
) -> None:
    result = matcher.match(title, description)
    assert result.risk < DEFAULT_RISK_FLOOR, result.explanation


# "adult", "female", "male" on clothes, costumes and leather goods are sizes and genders, and a
# mask of an animal named alone is its likeness; a live animal keeps its live word
@pytest.mark.parametrize(
    "title",
    ["Shark slippers adult female", "Crocodile adult swimming goggles", "Tiger mask adult"],
)
def test_sizes_and_masks_are_not_live_animals(matcher: Matcher, title: str) -> None:
    result = matcher.match(title)
    assert result.risk < DEFAULT_RISK_FLOOR, result.explanation


def test_live_words_stay_on_live_animals_and_fur_masks_stay(matcher: Matcher) -> None:
    assert matcher.match("Adult female ball python").flagged
    assert matcher.match("Real fox fur mask").risk >= DEFAULT_RISK_FLOOR
    assert matcher.match("Early 20thC mounted taxidermy fox mask").risk >= DEFAULT_RISK_FLOOR
