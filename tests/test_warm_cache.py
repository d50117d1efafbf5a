"""What a crawl's warm-up loads, made cheap to load (issue 26, start-up): the city names as a
``StringTable`` in the disk cache, the default model with its digest, one HTML parse per
page, the contact finder's folding of text that folds to itself.

Each cache test gets its own cache folder (``WILDCRAWL_CACHE_DIR``); "another process" is
simulated by clearing the functions' in-process memos.
"""

from __future__ import annotations

import json
import logging
import pickle
import subprocess
import sys

import pytest

from crawler import cache
from crawler.cache import code_version
from crawler.normalise import locations
from tests.conftest import ROOT

CITIES = {
    "paris": "FRUS",
    "lagos": "NGPT",
    "genève": "CH",
    "深圳": "CN",
    "münchen": "DE",
    "parisville": "US",
    "pari": "IT",
}


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    locations.city_names.cache_clear()
    yield folder
    locations.city_names.cache_clear()


@pytest.fixture
def small_gazetteer(monkeypatch):
    """A few cities instead of GeoNames' 337,000 names (seconds to build)."""
    built = []

    def build():
        built.append(1)
        return dict(CITIES)

    monkeypatch.setattr(locations, "_build_city_names", build)
    return built


def city_files(folder):
    return sorted(folder.glob("city-names-*.pickle"))


def test_string_table_answers_as_the_dict_it_was_made_from():
    from crawler.cache import StringTable

    table = pickle.loads(pickle.dumps(StringTable(CITIES), protocol=pickle.HIGHEST_PROTOCOL))
    assert len(table) == len(CITIES)
    for key, value in CITIES.items():
        assert table.get(key) == value
    for missing in ("", "par", "parisvill", "parisvillez", "zzz", "深", "münche"):
        assert table.get(missing) is None
    assert table.get("nowhere", "-") == "-"
    assert dict(table.items()) == CITIES
    empty = pickle.loads(pickle.dumps(StringTable({})))
    assert len(empty) == 0 and empty.get("paris") is None


def test_string_table_with_inconsistent_buffers_does_not_load():
    from crawler.cache import StringTable

    keys, key_ends, values, value_ends = StringTable(CITIES).__getstate__()
    table = StringTable.__new__(StringTable)
    with pytest.raises(ValueError):
        table.__setstate__((keys[:-1], key_ends, values, value_ends))


def test_city_names_load_from_the_cache_without_building(cache_dir, small_gazetteer):
    first = locations.city_names()
    assert type(first).__name__ == "StringTable" and small_gazetteer == [1]
    [path] = city_files(cache_dir)
    locations.city_names.cache_clear()
    again = locations.city_names()
    assert small_gazetteer == [1]  # loaded, not built again
    assert dict(again.items()) == CITIES
    assert locations.country_from_location("Genève") == "CH"
    assert city_files(cache_dir) == [path]


def test_city_names_of_another_code_version_get_their_own_file(
    cache_dir, small_gazetteer, monkeypatch
):
    """Checkouts of different versions sharing the cache folder keep one file each: neither
    rebuilds the table (seconds for GeoNames) after the other ran."""
    locations.city_names()
    monkeypatch.setattr(cache, "code_version", lambda *modules, **packages: "another version")
    locations.city_names.cache_clear()
    locations.city_names()  # a changed input (here: the code): built again ...
    assert small_gazetteer == [1, 1]
    assert len(city_files(cache_dir)) == 2  # ... into a file of its own
    monkeypatch.undo()
    monkeypatch.setenv(cache.ENV, str(cache_dir))
    monkeypatch.setattr(locations, "_build_city_names", lambda: pytest.fail("rebuilt"))
    locations.city_names.cache_clear()
    assert locations.city_names().get("paris") == "FRUS"  # the first version's, still there


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data.replace(b"lagos", b"lagox").replace(b"NGPT", b"NGPTZ"),
        lambda data: b"",
    ],
    ids=["truncated", "inconsistent", "empty"],
)
def test_corrupt_city_names_file_is_rebuilt_not_a_crash(cache_dir, small_gazetteer, caplog, damage):
    locations.city_names()
    [path] = city_files(cache_dir)
    path.write_bytes(damage(path.read_bytes()))
    locations.city_names.cache_clear()
    with caplog.at_level(logging.WARNING, logger="crawler.cache"):
        table = locations.city_names()
    assert small_gazetteer == [1, 1]
    assert dict(table.items()) == CITIES
    assert any("is corrupt" in r.getMessage() for r in caplog.records)


def test_cached_default_model_carries_its_digest(cache_dir, tmp_path, monkeypatch):
    """The default model's digest (a JSON dump of the whole model, 0.03 CPU s) is stored
    with it: a crawl loading it from the cache computes none."""
    from crawler.matching import train
    from crawler.matching.matcher import Matcher

    rows = [
        json.loads(line)
        for line in (ROOT / "keywords" / "labelled" / "real_listings.jsonl")
        .read_text("utf-8")
        .splitlines()
    ]
    pick = [r for r in rows if r["label"] == 1 and r["source"] == "wlt_osn"][:20]
    pick += [r for r in rows if r["label"] == 0 and r["source"] == "promap_en"][:20]
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(r) + "\n" for r in pick), encoding="utf-8")
    matcher = Matcher.from_lexicon()
    built = train.default_model(matcher, labels)
    assert built.digest == train.digest_of(built.to_json())
    monkeypatch.setattr(train, "train", lambda *a, **k: pytest.fail("trained again"))
    monkeypatch.setattr(train, "digest_of", lambda data: pytest.fail("digest computed"))
    loaded = train.default_model(matcher, labels)
    assert loaded.digest == built.digest and loaded.to_json() == built.to_json()


def test_a_page_is_parsed_once_for_its_state_fields_and_next_page(monkeypatch):
    from crawler.config import load_marketplace
    from crawler.extract import listings

    config = load_marketplace("demo-bazaar")
    parsed = []
    real = listings.Selector

    def counting(*args, **kwargs):
        parsed.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(listings, "Selector", counting)
    body = (
        "<html><body><div class='listing'><h1 class='title'>Carved ivory</h1>"
        "<a class='seller' href='/seller/7'>Bob</a></div></body></html>"
    )
    listings.page_state(config, 200, body)
    listings.extract_detail(config, body, "http://example.test/item/1")
    listings.next_page_url(config, body, "http://example.test/search")
    assert config.detail and config.removed.selector  # it has fields and a state to read
    assert len(parsed) == 1
    again = "".join(list(body))  # equal text, another object (another response)
    assert again == body and again is not body
    listings.extract_detail(config, again, "http://example.test/item/1")
    assert len(parsed) == 2


def test_fold_of_text_that_folds_to_itself_equals_the_character_loop(monkeypatch):
    """The set test in front of ``fold`` answers exactly as the loop over characters."""
    from crawler.demo.catalogue import generate_catalogue
    from crawler.normalise import contacts

    corpus = [
        json.loads(line)["text"]
        for line in (ROOT / "tests" / "data" / "hidden_contacts.jsonl")
        .read_text("utf-8")
        .splitlines()
        if line.strip()
    ]
    texts = corpus + [
        t
        for listing in generate_catalogue("demo-bazaar", size=300)
        for t in (listing.title, listing.description)
    ]
    texts += ["", "a\u200bb", "ｗｅｃｈａｔ", "a．b", "plain ascii 0803 123 4567", "Ä" * 3, "é"]
    fast = [contacts.fold(t) for t in texts]
    assert contacts._SAME, "no text took the fast path"
    assert not contacts._SAME & set(contacts._CHAR_MAP)
    monkeypatch.setattr(contacts, "_folds_to_itself", lambda text: False)
    assert [contacts.fold(t) for t in texts] == fast


def test_rates_from_the_cache_equal_a_parse_and_an_edited_file_is_read_again(
    cache_dir, tmp_path, caplog
):
    from crawler.normalise import rates

    table_file = tmp_path / "rates.csv"
    table_file.write_bytes(rates.SHIPPED_RATES.read_bytes())
    rates._cached.cache_clear()
    first = rates.load_rates(table_file)
    assert first == rates.read_ecb_csv(table_file)[0]
    [path] = sorted(cache_dir.glob("rates-*.pickle"))
    rates._cached.cache_clear()
    assert rates.load_rates(table_file) == first  # from the cache file
    lines = table_file.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = ["2099-01-02"] + ["2" if code == "USD" else "N/A" for code in header[1:]]
    table_file.write_text("\n".join([*lines, ",".join(row)]) + "\n", encoding="utf-8")
    rates._cached.cache_clear()
    with caplog.at_level(logging.INFO, logger="crawler.cache"):
        edited = rates.load_rates(table_file)
    assert edited.days[-1].isoformat() == "2099-01-02" and len(edited.days) == len(first.days) + 1
    assert any("is stale" in r.getMessage() for r in caplog.records)
    path.write_bytes(path.read_bytes()[:100])  # corrupt: rebuilt, not a crash
    rates._cached.cache_clear()
    assert rates.load_rates(table_file) == edited
    rates._cached.cache_clear()


def test_locale_infos_share_one_cache_file_and_load_without_babel(cache_dir, monkeypatch):
    from crawler.normalise import prices

    prices._locale_info.cache_clear()
    assert prices._locale_info("de_DE") == (",", "EUR", "de")
    assert prices._locale_info("en_US") == (".", "USD", "en")
    assert len(list(cache_dir.glob("locale-info-*.pickle"))) == 1
    monkeypatch.setattr(prices, "_babel_locale_info", lambda locale: pytest.fail("read Babel"))
    prices._locale_info.cache_clear()
    assert prices._locale_info("en_US") == (".", "USD", "en")
    assert prices._locale_info("de_DE") == (",", "EUR", "de")
    monkeypatch.undo()
    monkeypatch.setenv(cache.ENV, str(cache_dir))
    [path] = cache_dir.glob("locale-info-*.pickle")
    path.write_bytes(b"garbage")
    prices._locale_info.cache_clear()
    assert prices._locale_info("de_DE") == (",", "EUR", "de")  # corrupt: rebuilt
    prices._locale_info.cache_clear()


@pytest.mark.parametrize(
    "module, function, builder",
    [
        ("crawler.normalise.prices", "_symbol_index", "_build_symbol_index"),
        ("crawler.normalise.locations", "country_names", "_build_country_names"),
        ("crawler.normalise.currency_names", "currency_table", "_build"),
        ("crawler.normalise.scale_words", "scale_table", "_build"),
    ],
)
def test_cldr_indexes_of_another_code_version_keep_their_own_file(
    cache_dir, monkeypatch, module, function, builder
):
    """Two checkouts of different code sharing the cache folder (its source named "cldr"
    for all versions) rebuilt the index (0.08 CPU s for the currency symbols) after one
    another; now each version has its file."""
    import importlib

    mod = importlib.import_module(module)
    cached_function = getattr(mod, function)
    built = []

    def build():
        built.append(1)
        return {"value": len(built)}

    monkeypatch.setattr(mod, builder, build)
    cached_function.cache_clear()
    first = cached_function()
    monkeypatch.setattr(cache, "code_version", lambda *modules, **packages: "another version")
    cached_function.cache_clear()
    assert cached_function() != first and built == [1, 1]
    monkeypatch.setattr(cache, "code_version", code_version)
    cached_function.cache_clear()
    assert cached_function() == first and built == [1, 1]  # the first version's file, kept
    cached_function.cache_clear()


def test_the_lexicon_digest_is_computed_once_for_the_store_and_the_matcher(tmp_path, monkeypatch):
    """A crawl's store (is the database's lexicon this one?) and its matcher (the cache key)
    both ask for the digest of the lexicon's files: read and hashed once per process while
    their sizes and times stay the same."""
    import crawler.matching.lexicon as lexicon_module
    from crawler.crawl.pipelines import store

    calls = []
    real = lexicon_module.files_digest

    def counting(root, files=None):
        calls.append(root)
        return real(root, files)

    monkeypatch.setattr(lexicon_module, "files_digest", counting)
    folder = tmp_path / "keywords"
    folder.mkdir()
    (folder / "seeds.yaml").write_text("ivory: [en]\n", encoding="utf-8")
    first = lexicon_module.lexicon_digest(folder)
    assert lexicon_module.lexicon_digest(folder) == first and len(calls) == 1
    (folder / "seeds.yaml").write_text("ivory: [en, de]\n", encoding="utf-8")
    edited = lexicon_module.lexicon_digest(folder)
    assert edited != first and edited == real(folder) and len(calls) == 2

    calls.clear()
    lexicon_module._LOADED.clear()
    store._DIGESTS.clear()
    root = lexicon_module.default_lexicon_path()
    digest = store._digest_only(root)
    assert lexicon_module.load_lexicon(root).digest == digest
    assert len(calls) <= 1


def test_the_price_step_finds_its_rate_table_once_per_crawl(monkeypatch):
    from crawler.crawl.pipelines.price import PricePipeline
    from crawler.normalise import rates

    calls = []
    real = rates.load_rates
    monkeypatch.setattr(rates, "load_rates", lambda *a: calls.append(1) or real(*a))

    class Stats:
        def inc_value(self, key, count=1):
            pass

    step = PricePipeline(Stats())
    for text in ("€ 120", "EUR 80", "£ 45"):
        item = step.process_item(
            {"price_text": text, "currency_hint": "EUR", "locale": None, "seen_at": "2024-06-03"}
        )
        assert item["price_usd"] is not None and item["rate_status"] == "ok"
    assert len(calls) == 1


def test_cookies_middleware_imported_without_tldextract_still_refuses_public_domains():
    """Scrapy's check that a cookie's domain is no public suffix ("co.uk") works as before;
    tldextract is imported by its first use, and is the real module for everyone else."""
    code = (
        "import sys\n"
        "from crawler.crawl.imports import import_cookies_middleware\n"
        "import_cookies_middleware()\n"
        "from scrapy.downloadermiddlewares import cookies\n"
        "assert 'tldextract' not in sys.modules and 'requests' not in sys.modules\n"
        "checks = [cookies._is_public_domain(d) for d in ('co.uk', 'example.co.uk', 'github.io')]\n"
        "assert checks == [True, False, True], checks\n"
        "import tldextract\n"
        "assert tldextract.TLDExtract.__module__ == 'tldextract.tldextract'\n"
        "print('ok')\n"
    )
    _prints_ok(code)


def _prints_ok(code: str) -> None:
    """``code`` run in a fresh Python (its imports are what is checked) prints ``ok``."""
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.stdout.strip() == "ok", run.stderr[-2000:]


def test_the_contact_finder_compiles_the_redaction_prefilter_only_when_used():
    """``may_hold_contact``'s pattern (~10 ms to compile) is a release's, not a crawl's."""
    code = (
        "from crawler.normalise import contacts\n"
        "contacts.find_contacts('WhatsApp +234 803 123 4567', 'NG')\n"
        "assert contacts._maybe.cache_info().currsize == 0\n"
        "assert contacts.may_hold_contact('call 0803') and not contacts.may_hold_contact('a bag')\n"
        "print('ok')\n"
    )
    _prints_ok(code)
