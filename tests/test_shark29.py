"""What a marketplace search for "shark" returns besides shark products (shark29;
docs/detection-log.md, "eBay shark-search titles measured (shark29)"), as general rules: the
examples are our own short titles, written in the spirit of the real ones measured, never
copies of them."""

from __future__ import annotations

import pytest


# The film Jaws: "jaws" is the part word of a shark jaw, so its merchandise beside the word
# shark read as a jaw (before: 0.65). A real jaw is a "shark jaw", never a "jaws shark".
@pytest.mark.parametrize(
    "title",
    [
        "Jaws 1975 shark, original",
        "Jaws shark, Universal Studios exclusive",
        "Bruce the shark, Jaws",
        "Amity Island jaws shark",
        "Jaws 50th anniversary shark",
        "JAWS great white shark 18 inch",
        "Les Dents de la mer, requin Bruce",
    ],
)
def test_the_film_jaws_is_no_shark_jaw(matcher, title):
    result = matcher.match(title)
    assert result.risk <= 0.3, (title, result.explanation)


# Goods named after the shark that its search returns (before: 0.15-0.65): gaming keyboards
# and mice, skate wheels, gummy candy, gear for catching sharks, porcelain "shark fin" bowls.
@pytest.mark.parametrize(
    "title",
    [
        "Attack Shark wireless gaming mouse",
        "Attack Shark 75% mechanical keyboard",
        "Longboard with shark wheels 70mm",
        "Gummy sharks candy, 2 lb bag",
        "Shark teeth gummy candy bulk",
        "Shark fishing rig with circle hook and wire leader",
        "Shark leaders 10/0, pack of 3",
        "Trolling lure for shark fishing",
        "Porcelain shark fin soup bowl, set of 4",
        "鱼翅碗 青花瓷 一套",
        "魚翅碗 景德鎮",
    ],
)
def test_goods_named_after_the_shark_have_no_risk(matcher, title):
    result = matcher.match(title)
    assert result.risk == 0, (title, result.explanation)


def test_gummy_candy_lowers_a_listing_naming_white_sharks(matcher):
    result = matcher.match("Blue and white sharks gummi candy, 1 lb")
    assert result.risk < 0.15, result.explanation


# The shark products themselves still count, beside the new cancels' words.
@pytest.mark.parametrize(
    "title",
    [
        "Real shark jaw, 12 inch",
        "Mako shark jaws, dried, from a fishing trip",
        "Jaws of a blue shark, real specimen",
        "Dried shark fin 500 g",
        "鱼翅 干货 500克",
    ],
)
def test_shark_products_still_count(matcher, title):
    result = matcher.match(title)
    assert result.risk >= 0.5, (title, result.explanation)


# Shark jaws and vertebrae as German, Spanish, French, Italian and Dutch titles name them
# (before: 0-0.3): "Hai Gebiss", "Gebiss vom Hai", "Haiwirbel", "vértebra de tiburón".
@pytest.mark.parametrize(
    "title",
    [
        "Gebiss vom Hai, echt, Wunderkammer",
        "Hai Gebiss getrocknet 25 cm",
        "Haiwirbel, echte Wirbel vom Blauhai",
        "Vértebras de tiburón naturales",
        "Vertèbres de requin véritables",
        "Vertebre di squalo vere",
        "Haaienwervels, echt",
    ],
)
def test_shark_jaws_and_vertebrae_in_other_languages(matcher, title):
    result = matcher.match(title)
    assert result.risk >= 0.5, (title, result.explanation)
