"""(taxid33) Taxidermy named by words the lexicon lacks; a depiction in the title against a part
in the description; specimen dealers' notation (``crawler.matching.specimens``).

Cased birds and small mammals (docs/labelling.md: taxidermy of wild species is 1) are often
titled with a name the lexicon has no term for, or holds only beside a part word ("robin",
"wren", "jay": role ``adjacent``); a taxidermy word with no taxon is a risk of its own unless
the title sells a supply or a picture. A figure, plush or bronze named in the title is what is
sold: the description's "moveable lower jaw" is the figure's. Shell and insect dealers write a
grade and a size beside a Latin genus ("F++ 82 mm GEM"): a named specimen shell is 1. The
titles are written for these tests after real dealer, antiques and toy-shop titles
(docs/detection-log.md, taxid33); they are not evidence of accuracy.
"""

import pytest

from crawler.matching.specimens import BARE_RISK


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Taxidermy – Robin & Wren in wall dome Circa 1875", None),
        ("Taxidermy - a jay and a wren on a mossy branch", None),
        ("Victorian cased diorama with a wren and a robin", None),
    ],
)
def test_an_adjacent_name_counts_beside_a_taxidermy_word_in_its_field(matcher, title, description):
    result = matcher.match(title, description)
    assert result.flagged, result.explanation


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Robin Hood skull ring sterling silver", None),
        ("Batman and Robin stuffed toy 1966", None),
        ("Blue Jay wall mount for TV", None),
        ("Kingfisher beer tin sign", None),
    ],
)
def test_an_adjacent_name_stays_out_without_a_taxidermy_word(matcher, title, description):
    result = matcher.match(title, description)
    assert result.risk < 0.3, result.explanation


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Taxidermy – pair of songbirds in wall dome circa 1875", None),
        ("Antique taxidermy under glass, Victorian", None),
        ("1930年 雄ミミズクの古い仮剥製", None),
        ("Ancienne taxidermie, oiseau sur socle", None),
        ("Tassidermia antica, uccellino su ramo", None),
        ("Taxidermia antigua, pájaro en vitrina", None),
    ],
)
def test_a_taxidermy_word_with_no_taxon_is_a_risk(matcher, title, description):
    result = matcher.match(title, description)
    assert result.risk == BARE_RISK, result.explanation


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Taxidermy glass eyes 12 mm brown pair", None),
        ("Taxidermy mannequin forms, small bird", None),
        ("Faux taxidermy deer head, white resin", None),
        ("Taxidermy style art print, vintage birds", None),
        ("Needle felted taxidermy fox, cruelty free", None),
        ("Taxidermy book: a beginner's guide", None),
        ("Oak plaque for taxidermy, shield shape", None),
        # (lead) a domestic animal's taxidermy
        ("Steer skull mounted, cow bull taxidermy", None),
        ("Vintage taxidermy rooster, barn decor", None),
        ("Taxidermie vache, tête montée", None),
    ],
)
def test_a_taxidermy_supply_or_picture_is_no_risk(matcher, title, description):
    result = matcher.match(title, description)
    assert result.risk < 0.1, result.explanation


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Alligator Figure", "Features moveable lower jaw! Measures 7.5 inches long."),
        ("Rhinoceros figurine, hand painted", "Black rhinos have two horns."),
        ("Elephant bronze", "Chiselled bronze of an Asian elephant; the skin is rendered finely."),
        ("Shark plush 40 cm", "Soft felt teeth and a wide jaw."),
        ("Tiger statue for the garden", "Realistic claws and stripes."),
    ],
)
def test_a_depiction_in_the_title_keeps_the_descriptions_part_words_off(
    matcher, title, description
):
    result = matcher.match(title, description)
    assert result.risk < 0.5, result.explanation


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Alligator Head", "Real alligator head, jaw open, farm raised."),
        ("Tiger claw figure pendant", "Old tiger claw set in silver."),
    ],
)
def test_a_part_word_of_a_real_product_stays(matcher, title, description):
    result = matcher.match(title, description)
    assert result.risk >= 0.5, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "cypraea pantherina F++ 82 mm GEM",
        "Conus textile 65 mm F+",
        "Cypraea aurantium 94.8mm Albay Gulf",
        "Papilio blumei 120mm, Sulawesi",
    ],
)
def test_a_dealers_grade_or_size_beside_a_latin_genus_says_a_specimen(matcher, title):
    result = matcher.match(title)
    assert result.risk > 0.5, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "Cowrie shell beads 10 mm, 100 pcs",
        "Butterfly earrings 10 mm sterling silver",
        "Shell lei, natural cowries",
    ],
)
def test_craft_shells_and_sized_jewels_stay_no_specimen(matcher, title):
    result = matcher.match(title)
    assert result.risk < 0.5, result.explanation


# (lead) families of ants, wasps and dragonflies as specimen dealers name them, as the beetle
# and butterfly families are (keywords/terms/la.yaml); the order alone stays low (posters, books)
@pytest.mark.parametrize(
    "title",
    ["Formicidae Myrmecia gulosa 25 mm", "Vespidae Vespa mandarinia A1", "Aeshnidae Anax sp. pair"],
)
def test_ant_wasp_and_dragonfly_families_are_specimens(matcher, title):
    result = matcher.match(title)
    assert result.risk >= 0.4, result.explanation


def test_an_insect_order_alone_stays_low(matcher):
    assert matcher.match("Hymenoptera of the world, field guide").risk < 0.2
