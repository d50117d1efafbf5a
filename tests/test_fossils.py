"""(fossil31) Fossils named by their age, formation or extinct genus, and fossil ivory.

Fossil shark teeth, fossil sawfish and ray plates are 0 in docs/labelling.md (the fossils
row); mammoth, mastodon and fossil walrus ivory are 1 (the mammoth row). Dealers seldom write
"fossil": they name the age ("Cenomanian", "Éocène"), the formation or locality ("Sharktooth
Hill", "Khouribga", "in matrix") or the extinct shark or ray ("Squalicorax", "Onchopristis").
Those words are decoys of the shark, ray and sawfish rows only: beside an ivory product they
lower nothing (``negatives.fossil_ivory``), in any language. The titles are written for these
tests after real dealer and carver titles (docs/detection-log.md, fossil31); they are not
evidence of accuracy.
"""

import pytest

from crawler.matching.lexicon import load_lexicon
from crawler.matching.words import FOSSIL_WORDS, WALRUS_FOSSIL_WORDS


@pytest.mark.parametrize(
    ("title", "description"),
    [
        (
            "Sclerorhyncus 1",
            "A Sclerorhyncus atavus saw fish shark from the Cenomanian strata, Sannine "
            "limestone, Hajoula, Lebanon",
        ),
        ("Cretoxyrhina shark tooth, Smoky Hill Chalk, Kansas", None),
        ("Squalicorax crow shark tooth Khouribga", None),
        ("Ptychodus shark tooth 2 inch", None),
        ("Onchopristis sawfish rostral barb Kem Kem", None),
        ("Parotodus benedeni shark tooth", None),
        ("Mako shark tooth in matrix, Morocco", None),
        ("Notorynchus shark tooth 29mm", "Cow shark tooth from the Ouled Abdoun basin"),
        ("Dente di squalo del Cretaceo, Marocco", None),
        ("Зуб акулы, миоцен", None),
    ],
)
def test_a_fossil_named_by_its_age_place_or_extinct_genus_is_a_decoy(matcher, title, description):
    result = matcher.match(title, description)
    assert result.risk < 0.1, result.explanation


@pytest.mark.parametrize(
    "title",
    [
        "pendentifs en ivoire fossilisé de morse",
        "Pendentif en ivoire de morse fossilisé",
        "Walross-Elfenbein Anhänger, fossil",
        "Colgante de marfil de morsa fósil",
        "Colgante de marfil fósil de morsa",
        "Ciondolo in avorio di tricheco fossile",
        "Hanger van fossiel walrusivoor",
        "Pingente de marfim de morsa fóssil",
        "Подвеска из ископаемого моржового клыка",
        "セイウチの牙 化石 ペンダント",
        "Pleistocene walrus ivory carving",
    ],
)
def test_fossil_walrus_ivory_is_ivory_in_every_language(matcher, title):
    result = matcher.match(title)
    assert result.risk >= 0.5, result.explanation


def test_a_fossil_word_apart_from_the_walrus_material_does_not_lower_it(matcher):
    result = matcher.match(
        "Fossilized walrus hummingbird pendant", "body of fossilized walrus tusk, sterling silver"
    )
    assert result.risk >= 0.5, result.explanation


def test_a_fossil_word_does_not_lower_mammoth_ivory_further(matcher):
    # "mammoth" itself still lowers it (x0.25, the lexicon's choice); "Pleistocene" no more
    result = matcher.match("Mammoth tusk tip, polished ivory, Pleistocene, Alaska")
    assert result.risk == pytest.approx(0.2125, abs=0.01), result.explanation


@pytest.mark.parametrize(
    "title",
    ["Jurassic World ivory bedding set", "Ivory trilobite fossil display stand"],
)
def test_a_bare_ivory_keeps_its_fossil_decoys(matcher, title):
    assert matcher.match(title).risk < 0.1


@pytest.mark.parametrize(
    ("title", "risk"),
    [
        ("Tiger shark jaw, real", 0.7),
        ("Real sawfish rostrum 30 inch", 0.8),
        ("Fossil walrus ivory pendant", 0.95),
    ],
)
def test_real_sea_products_keep_their_risk(matcher, title, risk):
    assert matcher.match(title).risk == pytest.approx(risk, abs=0.01)


def test_the_fossil_word_lists_name_lexicon_terms():
    ids = {t.id for t in load_lexicon().terms}
    assert (FOSSIL_WORDS | WALRUS_FOSSIL_WORDS) <= ids
    assert all(t.role == "decoy" for t in load_lexicon().terms if t.id in FOSSIL_WORDS)
