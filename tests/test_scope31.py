"""(scope31) Replica words that name another part of the item, handmade animal heads sold as
"taxidermy", and the tusks of domestic pigs. The titles are our own short examples written in
the spirit of real shop, museum and craft pages (docs/detection-log.md, scope31)."""

from __future__ import annotations

import pytest


# A replica word that qualifies a component (a cord, a lining, a base, a box, beads, a mount's
# eyes) lowers nothing: the animal material is named apart from it (role setting).
@pytest.mark.parametrize(
    "title",
    [
        "Carved warthog tusk ivory fish hook pendant, adjustable synthetic sinew cord",
        "Hand carved ivory netsuke in imitation leather box",
        "Crocodile leather handbag with synthetic leather lining",
        "Red coral bead necklace with faux pearl spacers",
        "Taxidermy hawk mount on plastic stand",
        "Cased taxidermy kingfisher, resin base",
        "Antique carved ivory elephant, plastic display stand",
        "Python skin clutch, faux suede lining",
        "Tiger claw pendant on faux leather cord",
        "Ivoire sculpté, socle en plastique",
        "Bolso de piel de cocodrilo, forro de polipiel",
        "Borsa in pelle di coccodrillo, fodera in ecopelle",
    ],
)
def test_a_replica_word_of_a_component_does_not_lower_the_real_material(matcher, title):
    result = matcher.match(title)
    assert result.risk >= 0.5, result.explanation
    assert not any(n.role == "replica" for n in result.negatives), result.explanation


# ... but a replica word that qualifies the animal material itself still lowers it, component
# or not, and a replica item with a component stays a replica
@pytest.mark.parametrize(
    "title",
    [
        "Fake ivory bangle in plastic box",
        "Faux ivory elephant on resin base",
        "Imitation crocodile belt, synthetic lining",
        "Resin replica bear skull on resin base",
        "Plastic tiger claw pendant, synthetic cord",
        "Faux pearl necklace, five strands of ivory pearls",
    ],
)
def test_a_replica_of_the_material_itself_still_lowers(matcher, title):
    result = matcher.match(title)
    assert not result.flagged, result.explanation


# Handmade heads and animals sold as "cruelty free taxidermy", felt, crochet or knitted trophies
@pytest.mark.parametrize(
    "title",
    [
        "Needle felted fox trophy head, cruelty free taxidermy",
        "Cruelty-free taxidermy fox head",
        "Crochet taxidermy bear head wall hanging",
        "Felt trophy head lion, nursery decor",
        "Knitted animal head wolf, wall mount",
        "Amigurumi lion head trophy",
        "Cardboard elephant head trophy",
        "Feltidermy rhino head",
        "Gefilzter Fuchskopf, Trophäe aus Filz",
        "Filztier Fuchs Trophäe gefilzt",
        "Trophée tête de renard en feutrine",
        "Tête d'ours au crochet, trophée",
        "Renard au crochet, trophée mural",
        "Trofeo de cabeza de zorro de ganchillo",
        "Cabeza de oso de fieltro, trofeo",
        "Trofeo testa di volpe all'uncinetto",
        "Make your own bear claw necklace from air dry clay",
    ],
)
def test_handmade_animal_heads_sold_as_taxidermy_are_not_flagged(matcher, title):
    result = matcher.match(title)
    assert result.risk < 0.3, result.explanation


# The medium of a depiction lowers a listing that names only an animal: a real fur, ivory or
# skin beside "knitted" or "crochet" is what is sold, and a real specimen shipped in a
# cardboard box is the specimen
@pytest.mark.parametrize(
    "title",
    [
        "Knitted mink fur scarf",
        "Antique ivory crochet hook",
        "Real fox fur pom pom, knitted beanie",
        "Taxidermy hawk, shipped in a cardboard box",
        "Victorian cased taxidermy kingfisher with plastic eyes",
    ],
)
def test_a_craft_word_beside_a_real_material_or_specimen_lowers_nothing(matcher, title):
    result = matcher.match(title)
    assert result.flagged, result.explanation


# A tusk with a domestic animal named is that animal's (the pigs of Vanuatu and Papua New
# Guinea), not an elephant's; warthog, wild boar and wild pig tusks stay wildlife (wild21 row)
@pytest.mark.parametrize(
    "title",
    [
        "Pig Tusk Necklace",
        "Vanuatu pig tusk pendant",
        "Shell and pigs tusk necklace, Papua New Guinea",
        "Circle pig's tusk bracelet",
        "Collier défense de cochon, Vanuatu",
        "Schweinestoßzahn Anhänger",
    ],
)
def test_a_domestic_pigs_tusk_is_no_ivory(matcher, title):
    result = matcher.match(title)
    assert result.risk == 0, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Boar tusk necklace",
        "Warthog tusk pendant",
        "Wild pig tusk necklace",
        "Feral pig tusks, pair",
    ],
)
def test_wild_pig_tusks_stay_flagged(matcher, title):
    result = matcher.match(title)
    assert result.risk >= 0.55, result.explanation
