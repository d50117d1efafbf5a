"""A marketplace's item-specific fields (issue 21, specifics29).

eBay's "item specifics" and the fields of other marketplaces and shops say which word of a
listing is the article's material and which its pattern or theme: an animal of the skin or
fur trade named by a material field ("Upper Material: Python") is the article's skin
(``articles.skin_articles``, ``skin_words.MATERIAL_FIELD``), the animal of a pattern, theme or
character field ("Pattern: Snakeskin", "Theme: Sharks") is what the article shows
(``skins.pattern_fields``, ``skin_words.PATTERN_FIELD``). The listings below are hand-written in
the fields' own format; they test the rules, they are not evidence of accuracy.
"""

import pytest

# A material field naming a skin: the skin's product, not lowered by the colour field beside
# it (main: the bare species name, lowered by "Color:", risk 0.03-0.2).
MATERIAL_FIELDS = [
    ("Women's Ankle Boots Size 8", "Upper Material: Python. Color: Beige. Heel Height: 3 in"),
    ("Watch strap 20mm", "Material: Alligator. Color: Brown. Lug Width: 20 mm"),
    ("Crossbody bag", "Brand: Unbranded Exterior Material: Python Color: Multicolor"),
    ("Cowboy boots 10 D", "Shaft Material: Leather Vamp Material: Caiman Color: Black"),
    ("Chanel watch", "Housing material: Steel Bracelet material: Crocodile Color: Black"),
    ("Winter hat", "Material: Fox. Size: One size"),
    ("Stiefel Gr. 38", "Obermaterial: Python Farbe: Schwarz"),
    ("Sac à main", "Matière : Python. Couleur : beige"),
    ("Borsa a tracolla", "Materiale: Pitone. Colore: beige"),
    ("Borsa", "Materiale: pelle di pitone. Colore: naturale"),
    ("Bolso de mano", "Material: Cocodrilo. Color: negro"),
    ("Wallet", "Material: Genuine Ostrich. Color: Cognac"),
]


@pytest.mark.parametrize("title,description", MATERIAL_FIELDS)
def test_a_material_field_naming_a_skin_is_the_articles_skin(matcher, title, description):
    result = matcher.match(title, description)
    assert result.risk >= 0.5, result.explanation
    assert any(m.kind == "product" for m in result.matches if m.taxon_id), result.explanation


# A material field whose animal is a print, an embossing or a fake: nothing.
MATERIAL_LOOKALIKES = [
    ("Ladies boots", "Upper Material: Python Print Leather Color: Beige"),
    ("Ladies boots", "Upper Material: Faux Python. Color: Beige"),
    ("Handbag", "Material: Crocodile Embossed Leather"),
]


@pytest.mark.parametrize("title,description", MATERIAL_LOOKALIKES)
def test_a_material_field_naming_a_print_scores_nothing(matcher, title, description):
    assert matcher.match(title, description).risk < 0.1


# A pattern, theme or character field's animal is a picture (main: a species name at 0.3, or
# raised by a part word: "Piel", "Jaws", 0.8 and 0.16).
PATTERN_FIELDS = [
    ("Blanket Throw 50x60", "Pattern: Leopard. Material: Polyester"),
    ("Boys T-Shirt Size M", "Theme: Sharks Character: Shark Material: Cotton"),
    ("Mens hoodie XL", "Theme: Sharks Character Family: Jaws Material: Cotton"),
    ("Botas mujer", "Material: Piel Color: Negro Estampado: Leopardo"),
    ("Kleid Gr. 40", "Muster: Leopard Material: Viskose"),
    ("Robe taille 38", "Motif : Léopard Matière : Coton"),
    ("Shoulder bag", "Material: Faux Leather. Pattern: Crocodile"),
]


@pytest.mark.parametrize("title,description", PATTERN_FIELDS)
def test_a_pattern_or_theme_field_names_a_picture(matcher, title, description):
    assert matcher.match(title, description).risk == 0.0


def test_a_pattern_field_leaves_the_material_field_of_the_same_listing(matcher):
    description = "Pattern: Snakeskin Exterior Material: Python Color: Beige"
    result = matcher.match("Handbag", description)
    assert result.risk >= 0.5, result.explanation
    assert "Exterior Material: Python" in result.explanation


def test_a_theme_field_leaves_the_title_of_the_same_listing(matcher):
    result = matcher.match("Great white shark tooth 1.5 inch", "Theme: Sharks Type: Tooth")
    assert result.risk >= 0.5, result.explanation
