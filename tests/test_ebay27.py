"""What eBay searches for animals and leather return besides wildlife (ebay27;
docs/detection-log.md, "eBay result titles of students' scraper assignments (ebay27)"), as
general rules: the examples are our own short titles, written in the spirit of the real ones
measured, never copies of them."""

from __future__ import annotations

import pytest


# Video-game items named by the animal they depict: the game's name makes the listing no
# wildlife product (risk 0), whatever animal and "pet" word it holds.
@pytest.mark.parametrize(
    "title",
    [
        "Roblox pets bundle: tiger, golden cat and owl",
        "Adopt Me pets - neon arctic fox, cheap",
        "Adopt Me legendary neon tiger pet",
        "Grow a Garden raccoon pet, instant delivery",
        "Grow a Garden red fox pet",
        "Pet Simulator 99 huge tiger",
        "Blox Fruits permanent leopard fruit",
        "Roblox in-game items: python and crocodile skins",
        "ロブロックス ペット ニシキヘビ",
        "로블록스 펫 호랑이",
        "罗布乐思 宠物 老虎",
    ],
)
def test_video_game_items_have_no_risk(matcher, title):
    result = matcher.match(title)
    assert result.risk == 0, (title, result.explanation)


# The animal of a Chinese-zodiac year or sign on lighters, coins, medals and charms is no
# wildlife term: the cancel drops it (risk 0), in the languages where the sign is sold.
@pytest.mark.parametrize(
    "title",
    [
        "Brass lighter engraved Year of the Tiger",
        "Keyring, year of the monkey",
        "Chinese zodiac tiger keychain",
        "Médaille année du tigre, bronze",
        "Anhänger Jahr des Tigers",
        "Colgante signo del tigre, plata",
        "Ciondolo anno della tigre",
        "Pingente signo do tigre",
        "Munt jaar van de tijger",
        "호랑이띠 열쇠고리",
        "生肖老虎 摆件 铜",
    ],
)
def test_zodiac_animals_have_no_risk(matcher, title):
    result = matcher.match(title)
    assert result.risk == 0, (title, result.explanation)


# Tortoise as the colour of reading glasses and frames: cancelled as a colour (risk 0)...
@pytest.mark.parametrize(
    "title",
    [
        "Readers, 3 pairs, black or tortoise",
        "Oval frames in tortoise/black, spring hinge",
    ],
)
def test_tortoise_as_a_frame_colour_has_no_risk(matcher, title):
    result = matcher.match(title)
    assert result.risk == 0, (title, result.explanation)


# ...or lowered by the reading-glasses word, in the languages whose word for tortoiseshell is
# also the frame colour (Schildpatt, carey, écaille, tartaruga): not flagged.
@pytest.mark.parametrize(
    "title",
    [
        "Lunettes de lecture écaille de tortue +2",
        "Lesebrille Schildpatt, 2 Stück",
        "Gafas de lectura carey +2.5",
    ],
)
def test_tortoise_coloured_reading_glasses_are_not_flagged(matcher, title):
    result = matcher.match(title)
    assert not result.flagged and result.risk < 0.25, (title, result.explanation)


# What the rules must leave alone: a zodiac figure carved of a wild animal's material keeps
# the material; a live wild animal offered "for adoption" keeps its risk; a real tortoise
# shell is still a shell.
@pytest.mark.parametrize(
    ("title", "least"),
    [
        ("Old ivory netsuke, year of the tiger", 0.5),
        ("Carved coral zodiac monkey", 0.5),
        ("Live baby raccoon, adopt me, hand raised", 0.3),
        ("Antique tortoiseshell spectacles case", 0.5),
    ],
)
def test_wildlife_named_beside_the_look_alike_words_keeps_its_risk(matcher, title, least):
    result = matcher.match(title)
    assert result.risk >= least, (title, result.explanation)
