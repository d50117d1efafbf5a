"""``wildcrawl taxa import``: both CITES export layouts, merged into a lexicon (issue 22).

Reads the real exports in ``../shared/data/cites/``: the 2017 Index of CITES Species
(14-column copy) and a July 2023 Species+ "CITES listings" export of reptiles.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from crawler.matching.cites import export_age_warning, export_date, import_taxa
from crawler.matching.lexicon import check_lexicon
from tests.conftest import ROOT, run_cli

INDEX = "cites_species_2017_slim.csv"
LISTINGS = "CITES_Listings_Rept_07-23.csv"


@pytest.fixture
def lexicon(tmp_path):
    target = tmp_path / "keywords"
    shutil.copytree(ROOT / "keywords", target, ignore=shutil.ignore_patterns("labelled"))
    return target


def _cites(shared_data, name):
    path = shared_data / "cites" / name
    if not path.exists():
        pytest.skip(f"{path} not found")
    return path


def _rows(path):
    return [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]


def test_the_shipped_taxa_are_rebuilt_from_the_2017_index(shared_data, lexicon):
    result = import_taxa(_cites(shared_data, INDEX), lexicon, replace=True)
    assert result.layout == "index" and result.total == len(_rows(ROOT / "keywords/taxa.csv")) - 1
    assert _rows(lexicon / "taxa.csv") == _rows(ROOT / "keywords" / "taxa.csv")


def test_a_listings_export_updates_its_taxa_and_keeps_the_rest(shared_data, lexicon):
    before, _ = check_lexicon(lexicon)
    result = import_taxa(_cites(shared_data, LISTINGS), lexicon)
    after, problems = check_lexicon(lexicon)
    assert not problems
    assert result.layout == "listings" and result.exported == "2023-07-01"
    taxa = {t.id: t for t in after.taxa}
    # Post-CoP19 listings are in (Calotes, Appendix III since 2023), the rest is kept.
    assert any(i.startswith("Calotes") for i in taxa) and not any(
        t.id.startswith("Calotes") for t in before.taxa
    )
    assert taxa["Loxodonta africana"].cites_appendix == "I/II"
    assert taxa["Alligator mississippiensis"].taxon_group == "reptiles"
    # English names the export lacks are kept from the rows before.
    old = {t.id: t for t in before.taxa}
    assert (
        taxa["Alligator mississippiensis"].common_name
        == old["Alligator mississippiensis"].common_name
    )
    # Hand-written terms are untouched; species terms follow the new taxa.
    curated = lambda lex: {t.id for t in lex.terms if t.path}  # noqa: E731
    assert curated(after) == curated(before)
    assert len(after.terms) > len(before.terms)
    assert 'exported: "2023-07-01"' in (lexicon / "taxa_source.yaml").read_text()


def test_an_old_export_is_warned_about_with_where_to_download(lexicon):
    warning = export_age_warning(lexicon, today=dt.date(2026, 12, 6))
    assert "2017-04-21" in warning and "speciesplus.net" in warning
    (lexicon / "taxa_source.yaml").write_text('exported: "2026-01-10"\n')
    assert export_age_warning(lexicon, today=dt.date(2026, 12, 6)) is None
    result = run_cli("check", "keywords", str(ROOT / "keywords"))
    assert result.returncode == 0 and "years old" in result.stderr
    assert "21 languages" in result.stdout and "plants" in result.stdout


def test_export_dates_from_the_file_names():
    from pathlib import Path

    assert export_date(Path("Index_of_CITES_Species_2017-04-21.csv.gz")) == "2017-04-21"
    assert export_date(Path("CITES_Listings_Rept_07-23.csv")) == "2023-07-01"
    assert export_date(Path("export.csv")) is None
    assert export_date(Path("export.csv"), "2025-02-07") == "2025-02-07"


def test_a_file_that_is_not_an_export_is_one_line(lexicon, tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    result = run_cli("taxa", "import", str(bad), "--lexicon", str(lexicon))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "not a CITES export" in lines[0] and str(bad) in lines[0]
