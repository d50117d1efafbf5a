"""Media named after an animal (issue 21, media31): books, comics, records, films, games and
trading cards are what is sold, so the trade's words for the medium score no risk; the binding
of a book in ivory or a skin, an ivory card case and a wolverine's steel claws are read apart.
Titles are hand-written for the rules, not evidence of accuracy."""

import pytest

MEDIA = [
    "Amazing Spider-Man 212 Lizard cover, 1981, high grade",
    "Tiger Queen #4 CGC 9.6 white pages",
    "Savage Shark #2 1st appearance of the Hammerhead",
    "Rhino Rampage newsstand edition, 1992",
    "Crocodile Tears trade paperback, Dark Horse",
    "Elephant Goes to School board book, like new",
    "The Pangolin's Secret - a novel, signed by the author",
    "Tiger Moon picture book, illustrated by A. Painter",
    "Eagle Wings LP, 1978 gatefold",
    "Shark Attack region 2 widescreen",
    "Cobra Strike PS4 video game, sealed",
    "Jungle Leopard holo rookie card PSA 10",
    "Ivory Tower board game, complete",
    "Stingray Squadron trading cards lot of 20",
    "Tigerkönig Bilderbuch, gebraucht",
    "Le lion et la girafe, bande dessinée, édition 1985",
    "El elefante azul, libro infantil tapa dura",
    "La tigre e il leone, fumetto, prima edizione",
]


@pytest.mark.parametrize("title", MEDIA)
def test_media_named_after_an_animal_score_no_risk(matcher, title):
    result = matcher.match(title)
    assert result.risk == 0, result.explanation


def test_a_comic_heros_steel_claws_are_not_an_animals_claws(matcher):
    result = matcher.match("Wolverine Origins 5 with silver foil and steel claws")
    assert result.risk < 0.1, result.explanation


@pytest.mark.parametrize(
    ("title", "risk"),
    [
        ("Carved ivory book cover, 19th century", 0.3),
        ("Antique prayer book cover of tortoiseshell and silver", 0.3),
        ("Chinese carved ivory card case", 0.3),
        ("Python skin album cover, handmade", 0.3),
        ("Antique ivory game counters, set of 12", 0.3),
        ("Bear claw necklace, 1st half 20th century", 0.3),
    ],
)
def test_a_wildlife_material_beside_a_media_word_still_counts(matcher, title, risk):
    result = matcher.match(title)
    assert result.risk >= risk, result.explanation
