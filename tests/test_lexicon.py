"""The keyword lexicon: the shipped one is valid; broken entries are named by file and line."""

import shutil
from pathlib import Path

import pytest

from crawler.errors import LexiconError
from crawler.matching.lexicon import LANGS, check_lexicon, default_lexicon_path, load_lexicon

REQUIRED_LANGS = {"en", "zh-Hans", "zh-Hant", "vi", "th", "id", "ms", "fr", "es", "pt", "de"}
GROUPS = {
    "elephants",
    "rhinos",
    "pangolins",
    "big cats",
    "bears",
    "sea turtles",
    "sharks",
    "hornbills",
    "totoaba",
    "corals",
    "reptiles",
    "parrots",
    "songbirds",
    "primates",
    "saiga",
    "musk deer",
}


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(default_lexicon_path())


def test_shipped_lexicon_is_valid(lexicon):
    _, problems = check_lexicon(default_lexicon_path())
    assert problems == []
    assert lexicon.version


def test_every_language_has_products_negatives_and_seeds(lexicon):
    for lang in REQUIRED_LANGS:
        kinds = {t.kind for t in lexicon.terms if t.lang == lang}
        assert {"product", "negative"} <= kinds, lang
        assert lexicon.seeds.get(lang), lang


def test_most_traded_groups_have_product_or_species_terms_in_english_and_chinese(lexicon):
    groups = {t.id: t.taxon_group for t in lexicon.taxa}
    for lang in ("en", "zh-Hans"):
        covered = {
            groups[t.taxon_id]
            for t in lexicon.terms
            if t.lang == lang and t.taxon_id and t.kind != "negative"
        }
        assert GROUPS - covered == set(), lang


@pytest.mark.parametrize(
    ("taxon_id", "appendix", "group"),
    [
        ("Loxodonta africana", "I/II", "elephants"),
        ("Manis javanica", "I", "pangolins"),
        ("Panthera tigris", "I", "big cats"),
        ("Rhinoplax vigil", "I", "hornbills"),
        ("Totoaba macdonaldi", "I", "totoaba"),
        ("Corallium", "III", "corals"),  # commonly traded Appendix III
        ("Psittacus erithacus", "I", "parrots"),  # uplisted at CoP17 (2016)
    ],
)
def test_taxa_come_from_the_cites_index(lexicon, taxon_id, appendix, group):
    taxon = lexicon.taxon(taxon_id)
    assert taxon is not None
    assert taxon.cites_appendix == appendix
    assert taxon.taxon_group == group
    assert taxon.source.startswith("cites-speciesplus-2017")


def test_scientific_names_synonyms_and_common_names_become_terms(lexicon):
    ids = {t.id for t in lexicon.terms}
    assert "la:species:loxodonta africana" in ids
    assert "la:species:loxodonta cyclotis" in ids  # synonym in the 2017 index
    assert "fr:species:pangolin de temminck" in ids


def test_every_term_cites_a_source(lexicon):
    for term in lexicon.terms:
        assert term.source, term.id
        assert " " in term.source or term.source in lexicon.sources, term.id
        assert term.lang in LANGS


@pytest.fixture
def broken(tmp_path):
    """A copy of the lexicon with only the taxa its terms use (fast to load)."""
    target = tmp_path / "keywords"
    shutil.copytree(default_lexicon_path(), target, ignore=shutil.ignore_patterns("*.py"))
    term_files = [*(target / "terms").glob("*.yaml"), *(target / "checklists").glob("*.yaml")]
    used = "".join(p.read_text(encoding="utf-8") for p in term_files)
    lines = (target / "taxa.csv").read_text(encoding="utf-8").splitlines()
    kept = lines[:2] + [
        line
        for line in lines[2:]
        if f"taxon: {line.split(',', 1)[0]}" in used or line.startswith("Monodon monoceros,")
    ]
    (target / "taxa.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return target


def _append(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [text]) + "\n", encoding="utf-8")
    return len(lines) + 1


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("  - {term: ivory, kind: product, taxon: Elephantidae}", "duplicate term"),
        ("  - {term: narwhal, kind: speceis, taxon: Monodon monoceros}", "kind 'speceis'"),
        ("  - {term: dodo, kind: species, taxon: Raphus cucullatus}", "not in taxa.csv"),
        ("  - {term: dodo bone, kind: product, weight: 3}", "weight 3"),
        ("  - {term: foo, kind: negative}", "role None not allowed"),
        ("  - {term: bar, kind: legality, source: nowhere-2020}", "not a key"),
        ("  - {term: baz, kind: product, colour: red}", "unknown field"),
        ("  - {term: qux, kind: product, wild: true}", "only on a negative"),
        ("  - {term: quux shark, kind: negative, role: cancel, wild: yes please}", "'wild'"),
    ],
)
def test_broken_entry_names_file_and_line(broken, entry, message):
    path = broken / "terms" / "en.yaml"
    line = _append(path, entry)
    with pytest.raises(LexiconError) as info:
        load_lexicon(broken)
    assert info.value.path == str(path)
    assert info.value.line == line
    assert message in str(info.value)


def test_invalid_yaml_is_one_clear_error(broken):
    path = broken / "terms" / "de.yaml"
    _append(path, "  - {term: [unclosed")
    _, problems = check_lexicon(broken)
    assert len(problems) == 1
    assert problems[0].path == str(path) and "invalid YAML" in str(problems[0])


def test_missing_taxa_column(broken):
    csv_path = broken / "taxa.csv"
    text = csv_path.read_text(encoding="utf-8").replace(",cites_appendix,", ",appendix,", 1)
    csv_path.write_text(text, encoding="utf-8")
    _, problems = check_lexicon(broken)
    assert any("missing columns: cites_appendix" in str(p) for p in problems)


def test_missing_folder():
    with pytest.raises(LexiconError, match="lexicon folder not found"):
        load_lexicon("/nonexistent/keywords")


def test_check_keywords_command(broken):
    from click.testing import CliRunner

    import crawler.cli.keywords_cmd  # noqa: F401
    from crawler.cli.app import cli

    runner = CliRunner()
    ok = runner.invoke(cli, ["check", "keywords"])
    assert ok.exit_code == 0, ok.output
    assert "zh-Hant" in ok.output and "code_word" in ok.output
    _append(broken / "terms" / "fr.yaml", "  - {term: x, kind: nope}")
    bad = runner.invoke(cli, ["check", "keywords", str(broken)])
    assert bad.exit_code == 1
    assert "fr.yaml:" in bad.output and "kind 'nope'" in bad.output


NEW_LANGS = {"ja", "ko", "ru", "pl", "ar", "tr", "hi", "it", "nl"}
PLANT_GROUPS = {"agarwood", "rosewoods", "ginseng", "orchids", "cacti and succulents", "cycads"}


def test_lexicon_has_twenty_languages_each_with_sources_seeds_and_negatives(lexicon):
    langs = {t.lang for t in lexicon.terms} - {"la"}
    assert len(langs) >= 20 and NEW_LANGS <= langs
    for lang in NEW_LANGS:
        terms = [t for t in lexicon.terms if t.lang == lang]
        assert {"species", "product", "negative", "legality"} <= {t.kind for t in terms}, lang
        assert all(t.source in lexicon.sources for t in terms), lang
        assert lexicon.seeds.get(lang), lang


def test_plants_are_taxa_with_groups_and_terms(lexicon):
    groups = {t.id: t.taxon_group for t in lexicon.taxa}
    assert groups["Aquilaria"] == "agarwood" and groups["Dalbergia"] == "rosewoods"
    assert groups["Pterocarpus santalinus"] == "rosewoods" and groups["Panax"] == "ginseng"
    assert groups["Pholidota"] == "pangolins"  # the order, not the orchid genus
    for lang in ("en", "zh-Hans"):
        covered = {groups[t.taxon_id] for t in lexicon.terms if t.lang == lang and t.taxon_id}
        assert PLANT_GROUPS <= covered, lang


@pytest.mark.parametrize(
    "title",
    [
        # (shark21) a modern tiger shark's tooth is a shark product (docs/labelling.md): the
        # look-alike is the tiger, not the shark; a fossil one is a geological specimen
        "Fossil tiger shark tooth necklace",
        "Frozen tiger prawns 1kg",
        "Tiger Balm red 19g",
        "Shark vacuum cleaner NV360",
        "Learn Python programming book",
        "Jaguar XF 2.0 diesel 2016",
        "Shark fin antenna for car roof",
        "象牙色 ワンピース",
        "상아색 원피스",
        "Платье цвета слоновой кости",
        "Bransoletka z kości mamuta",
    ],
)
def test_look_alikes_are_not_flagged(title):
    from crawler.matching.matcher import Matcher

    assert not Matcher.from_lexicon().match(title).flagged, title


OLDER_LANGS = ("de", "fr", "es", "pt", "id", "ms", "th", "vi", "zh-Hant")
WHOLE_GROUPS = PLANT_GROUPS | {
    "reptiles",  # crocodilians, monitors, pythons, geckos, freshwater turtles
    "sharks",  # sharks and rays, manta gill plates
    "birds of prey",
    "corals",
    "insects",
    "hornbills",
    "other animals",  # seahorses
}


@pytest.mark.parametrize("lang", OLDER_LANGS)
def test_older_languages_name_plants_and_whole_groups(lexicon, lang):
    # Malay shares most of these words with Indonesian (kaktus, kuda laut): its own file
    # holds the forms that differ, so the two are read together.
    langs = {lang, "id"} if lang == "ms" else {lang}
    groups = {t.id: t.taxon_group for t in lexicon.taxa}
    covered = {
        groups[t.taxon_id]
        for t in lexicon.terms
        if t.lang in langs and t.taxon_id and t.kind != "negative"
    }
    assert WHOLE_GROUPS - covered == set(), lang
    assert all(t.source in lexicon.sources for t in lexicon.terms if t.lang == lang), lang


@pytest.mark.parametrize(
    "title",
    [
        "Armband aus Adlerholz, echte Perlen",
        "Getrocknete Seepferdchen 20 Stück",
        "Crâne de crocodile du Nil authentique",
        "Caballitos de mar secos 100 g",
        "Crânio de jacaré original",
        "Tokek kering untuk obat",
        "ไม้พะยูงแปรรูป",
        "Tượng gỗ trắc đỏ",
        "乾海馬 500克",
    ],
)
def test_older_languages_flag_plants_and_groups(title):
    from crawler.matching.matcher import Matcher

    assert Matcher.from_lexicon().match(title).flagged, title


@pytest.mark.parametrize(
    "title",
    [
        "Seepferdchen-Abzeichen zum Aufnähen",  # swimming badge
        "Couchtisch Palisander-Dekor",  # furniture laminate
        "Handtasche Krokoleder-Optik schwarz",
        "Haifischflossen-Antenne für Auto",
        "Parfum oud Montale eau de parfum 100 ml",
        "Vestido color palo de rosa talla M",  # dusty pink
        "Jacaré de pelúcia 40 cm",
        "Buaya darat jangan dipercaya",  # idiom: a womaniser
        "คุณกฤษณา ขายเสื้อ",  # กฤษณา is also a given name
        "น้ำหอมกลิ่นกฤษณา",  # กลิ่น (scent) holds ลิ่น (pangolin)
        "Đề thi trắc nghiệm lớp 12",  # trắc nghiệm (quiz), not gỗ trắc
        "Kỳ đà cản mũi",  # idiom: a spoilsport
        "沉香味香水 50ml",
        "鱷魚紋 皮夾",
        "Bärentatzen Kekse 200 g",  # biscuits, not bear paws
        "Găng tay gấu cho bé",  # găng tay gấu (mittens) holds tay gấu (bear paw)
        "Oreja de elefante planta grande",  # Alocasia
        "Roti buaya untuk seserahan",  # crocodile-shaped wedding bread
    ],
)
def test_older_language_look_alikes_are_not_flagged(title):
    from crawler.matching.matcher import Matcher

    assert not Matcher.from_lexicon().match(title).flagged, title


# (dedupe25) Strings two entries of one language file hold on purpose (folded: case, hyphens,
# spacing, accents), each with the reason both roles apply.
SHARED_ON_PURPOSE = {
    # the claim never counts: a cancel denies every term it holds, this one too (left)
    "ja:骨董": "a legality claim (antiques) and the cancel of the Chinese part word 骨 inside it",
    "en:stuffed animal": "a plush toy (decoy, weight 0) and the cancel of the part word 'stuffed'",
    "es:piel sintetica": "a look-alike material (replica) and the cancel of the part word 'piel'",
    # (lead31) a jewel is the craft of a material ("ivory pendant") and the motif of an animal
    # named alone ("hammerhead pendant"): negatives.counted reads the two apart
    **{
        key: "a jewel: the craft of a material and the motif of an animal named alone"
        for key in (
            "en:pendant",
            "de:anhanger",
            "es:colgante",
            "fr:collier",
            "fr:pendentif",
            "it:collana",
        )
    },
}


def test_no_folded_string_is_held_by_two_entries_of_one_file(lexicon):
    from crawler.matching.lexicon import shared_strings

    shared = {
        f"{held[0].lang}:{key}": sorted(
            f"{t.kind}/{t.role}: {t.term} (line {t.line})" for t in held
        )
        for (_, key), held in shared_strings(lexicon.terms).items()
    }
    unexpected = {k: v for k, v in shared.items() if k not in SHARED_ON_PURPOSE}
    assert unexpected == {}, "\n".join(f"{k}: {v}" for k, v in sorted(unexpected.items()))
    assert set(SHARED_ON_PURPOSE) <= set(shared), "a string listed is no longer shared"
