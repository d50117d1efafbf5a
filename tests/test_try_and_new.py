"""``wildcrawl try`` and ``wildcrawl new-marketplace`` on saved real pages, through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli, new_marketplace_cmd, try_cmd  # noqa: F401 (registers the commands)
from crawler.cli.try_cmd import decode_page, empty_fields
from crawler.config import load_config
from crawler.extract.autoconfig import propose
from crawler.extract.listings import extract_listings
from crawler.extract.saved_pages import SavedPages


def run_cli(*args: str):
    """The commands in-process (no Scrapy reactor involved); stdout and stderr apart."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def real_pages(shared_data) -> Path:
    path = shared_data / "real-pages"
    if not path.is_dir():
        pytest.skip(f"saved real pages not found at {path}")
    return path


def test_try_prints_listings_and_empty_fields(real_pages):
    page = real_pages / "gumtree_pl" / "gumtree_pl_search_wynajem_katowice_3.html"
    result = run_cli("try", "gumtree-pl", str(page))
    assert result.exit_code == 0, result.stderr
    assert "13 listings from" in result.stdout
    assert "empty fields: price_text 1/13, posted_at 3/13" in result.stdout
    assert "Słoneczne mieszkanie obok Spodka i MCK" in result.stdout


def test_try_json_on_a_live_url_served_locally(real_pages):
    page = real_pages / "leboncoin" / "leboncoin_search_voitures_laguna_p1.html"
    with SavedPages({"/voitures/offres/midi_pyrenees/": page}) as site:
        result = run_cli(
            "try", "leboncoin", site.url("/voitures/offres/midi_pyrenees/?q=laguna"), "--json"
        )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert len(out["listings"]) == 9 and out["page_state"] == "ok"
    assert (
        out["listings"][0]["price_text"] == "14 000 €"
    )  # windows-1252 byte 0x80, forced by the config
    assert out["empty_fields"] == {}


def test_try_generic_prints_json(real_pages):
    page = real_pages / "ebay" / "zyte_ebay_com_item1.html"
    result = run_cli(
        "try", "--generic", str(page), "--url", "https://www.ebay.com/itm/302474151804"
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["price"], out["currency"]) == ("1.99", "GBP")
    assert "Halloween Zombie Scars" in out["title"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["try", "gumtree-pl", "/no/such/page.html"], "/no/such/page.html: no such file"),
        (["try", "no-such-market", "x.html"], "unknown marketplace 'no-such-market'"),
        (["try", "--generic", "a.html", "b.html"], "with --generic give exactly one FILE_OR_URL"),
    ],
)
def test_try_user_errors_are_one_line(args, message):
    result = run_cli(*args)
    assert result.exit_code != 0
    assert message in result.stderr and "Traceback" not in result.stderr


def test_empty_fields_counts_only_fields_with_gaps():
    rows = [{"title": "a", "price_text": None}, {"title": "b", "price_text": "1 zł"}]
    assert empty_fields(rows, ["title", "price_text"]) == {"price_text": 1}


@pytest.mark.parametrize(
    "page, url, item, count",
    [
        (
            "gumtree_pl/gumtree_pl_search_wynajem_katowice_1.html",
            "https://www.gumtree.pl/",
            "div.tileV1",
            13,
        ),
        (
            "jiji_ng/jiji_ng_search_used_cars_nigeria.html",
            "https://jiji.ng/cars",
            "div.masonry-item",
            20,
        ),
    ],
)
def test_propose_finds_the_listing_block(real_pages, page, url, item, count):
    proposal = propose(decode_page((real_pages / page).read_bytes()), url)
    assert (proposal.kind, proposal.html.item, proposal.count) == ("html", item, count)


def test_propose_reads_avito_next_data_like_the_shipped_config(real_pages):
    page = real_pages / "avito_ma" / "avito_ma_search_appartements_p1.html"
    proposal = propose(
        decode_page(page.read_bytes()), "https://www.avito.ma/fr/maroc/appartements-à_vendre"
    )
    shipped = load_config(
        Path(__file__).resolve().parents[1] / "spiders/marketplaces/avito-ma.yaml"
    )
    section = proposal.listings_section()["json"]
    assert section["source"] == shipped.listings.json_.source
    assert section["items"] == shipped.listings.json_.items
    assert {k: v for k, v in section["fields"].items()} == {
        k: f.path for k, f in shipped.listings.json_.fields.items()
    }
    site = proposal.site
    assert (site.country, site.currency, site.locale) == ("MA", "MAD", "fr_MA")
    assert site.languages[:2] == ["fr", "ar"]
    assert any("listId" in note for note in proposal.notes)


def test_new_marketplace_writes_a_working_config_and_golden_test(real_pages, tmp_path):
    page = real_pages / "jiji_ng" / "jiji_ng_search_used_cars_nigeria.html"
    result = run_cli(
        "new-marketplace",
        "jiji-try",
        "--from",
        str(page),
        "--url",
        "https://jiji.ng/cars",
        "--search-url",
        "/search?query={keyword}&page={page}",
        "--out",
        str(tmp_path),
        "--tests",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.stderr
    config = load_config(tmp_path / "jiji-try.yaml")
    assert config.base_url == "https://jiji.ng"
    found = extract_listings(config, page.read_text(encoding="utf-8"), "https://jiji.ng/cars")
    assert len(found.listings) == 20
    assert found.listings[0]["title"] == "Toyota Venza 2015 Black"
    assert found.listings[0]["price_text"] == "₦ 22,000,000"
    assert (config.country, config.currency, config.locale) == ("NG", "NGN", "en_NG")
    golden_text = (tmp_path / "test_marketplace_jiji_try.py").read_text(encoding="utf-8")
    assert "/work/" not in golden_text and "shared_data() / 'real-pages/jiji_ng/" in golden_text
    check = run_cli("check", "marketplaces", str(tmp_path / "jiji-try.yaml"))
    assert check.exit_code == 0, check.stderr
    golden = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(tmp_path / "test_marketplace_jiji_try.py"),
        ],
        check=False,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert golden.returncode == 0, golden.stdout[-2000:]
    again = run_cli(
        "new-marketplace",
        "jiji-try",
        "--from",
        str(page),
        "--out",
        str(tmp_path),
        "--tests",
        str(tmp_path),
    )
    assert again.exit_code != 0 and "exists (use --force to overwrite)" in again.stderr


def _write(tmp_path, name, text):
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


_CONFIG = """# {golden}
name: {name}
title: T
base_url: https://jiji.ng
languages: [{langs}]
search:
  url: "{url}"
listings:
  item: "{item}"
  item_id_regex: "-([A-Za-z0-9]+)\\\\.html"
  fields:
    url: "a::attr(href)"
    title: "div.qa-advert-list-item-title"
"""


@pytest.mark.parametrize(
    "url, langs, item, message",
    [
        ("/TODO-search-path?q={keyword}&page={page}", "en", "div.masonry-item", "placeholder"),
        ("/search?q={keyword}", "xx", "div.masonry-item", "'xx' is not a language of the lexicon"),
        ("/search?q={keyword}", "en", "div.no-such-block", "matches nothing on golden page"),
    ],
)
def test_check_marketplaces_fails_unusable_configs(tmp_path, real_pages, url, langs, item, message):
    golden = "Golden page: ../shared/data/real-pages/jiji_ng/jiji_ng_search_used_cars_nigeria.html"
    path = _write(
        tmp_path,
        "bad-one",
        _CONFIG.format(golden=golden, name="bad-one", langs=langs, url=url, item=item),
    )
    result = run_cli("check", "marketplaces", str(path))
    assert result.exit_code != 0
    assert message in result.stderr


def test_try_shows_what_will_be_stored_and_warnings(real_pages):
    page = real_pages / "jiji_ng" / "jiji_ng_search_used_cars_nigeria.html"
    result = run_cli("try", "jiji-ng", str(page), "--url", "https://jiji.ng/cars", "--json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    first = out["stored"][0]
    assert (first["price"], first["currency"]) == ("22000000", "NGN")
    assert "terms" in first and first["flagged"] in (True, False)
    table = run_cli("try", "jiji-ng", str(page), "--url", "https://jiji.ng/cars")
    assert "what will be stored" in table.stdout and "NGN" in table.stdout


def test_try_warnings_name_what_is_wrong():
    from crawler.cli.try_report import warnings

    rows = [
        {"item_id": "utm_source=x", "title": "Flat 2 rooms 1 200 000 DH", "url": "/a/1"},
        {"item_id": "utm_source=x", "title": "Flat il y a 35 minutes", "url": "/a/2"},
    ]
    text = "\n".join(warnings(rows))
    assert "titles hold a price" in text and "titles hold a date" in text
    assert "share 1 ids" in text and "did not resolve" in text and "tracking" in text
