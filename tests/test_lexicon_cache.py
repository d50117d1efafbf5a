"""The disk cache of the parsed lexicon, the compiled matcher and the CLDR indexes.

Each test gets its own cache folder (``WILDCRAWL_CACHE_DIR``) and a small copy of the
lexicon; "another process" is simulated by clearing the in-process lexicon memo.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import shutil
from pathlib import Path

import pytest

import crawler.matching.lexicon as lexicon_module
import crawler.matching.matcher as matcher_module
from crawler import cache
from crawler.errors import LexiconError
from crawler.matching.lexicon import default_lexicon_path, lexicon_digest, load_lexicon
from crawler.matching.matcher import Matcher

TEXTS = [
    ("Carved ivory bangle, antique", "genuine elephant ivory, pre-ban, Schreger lines"),
    ("Plush pangolin soft toy", "WWF edition, never used"),
    ("舊象牙雕件 穿山甲鱗片", None),
    ("Elfenbeinschnitzerei um 1900", "Echtes Elfenbein"),
]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


@pytest.fixture
def small_lexicon(tmp_path):
    """A copy of the lexicon with only the taxa its terms use (fast to parse)."""
    target = tmp_path / "keywords"
    shutil.copytree(default_lexicon_path(), target, ignore=shutil.ignore_patterns("*.py"))
    term_files = [*(target / "terms").glob("*.yaml"), *(target / "checklists").glob("*.yaml")]
    used = "".join(p.read_text(encoding="utf-8") for p in term_files)
    lines = (target / "taxa.csv").read_text(encoding="utf-8").splitlines()
    kept = lines[:2] + [line for line in lines[2:] if f"taxon: {line.split(',', 1)[0]}" in used]
    (target / "taxa.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return target


def new_process() -> None:
    """Forget what this process loaded, as a new crawl process would."""
    lexicon_module._LOADED.clear()


def cache_files(folder: Path, kind: str) -> list[Path]:
    return sorted(folder.glob(f"{kind}-*.pickle"))


def _append(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [text]) + "\n", encoding="utf-8")
    return len(lines) + 1


def test_miss_writes_the_cache_and_a_new_process_loads_it_without_parsing(
    cache_dir, small_lexicon, monkeypatch
):
    new_process()
    built = load_lexicon(small_lexicon)
    assert built.digest == lexicon_digest(small_lexicon)
    [path] = cache_files(cache_dir, "lexicon")
    assert not list(cache_dir.glob("*.tmp"))  # written through a temporary file, renamed

    def no_parsing(*_a, **_k):
        raise AssertionError("the cached lexicon should have been used")

    monkeypatch.setattr(lexicon_module, "check_lexicon", no_parsing)
    new_process()
    loaded = load_lexicon(small_lexicon)
    assert loaded == built and loaded is not built
    assert loaded.digest == built.digest
    assert cache_files(cache_dir, "lexicon") == [path]


def test_edited_lexicon_makes_the_cache_stale(cache_dir, small_lexicon, caplog):
    new_process()
    before = load_lexicon(small_lexicon)
    _append(small_lexicon / "terms" / "en.yaml", "  - {term: zzyzx carving, kind: product}")
    new_process()
    with caplog.at_level(logging.INFO, logger="crawler.cache"):
        after = load_lexicon(small_lexicon)
    assert "en:product:zzyzx carving" in {t.id for t in after.terms}
    assert "en:product:zzyzx carving" not in {t.id for t in before.terms}
    assert after.digest != before.digest
    assert any("is stale" in r.getMessage() for r in caplog.records)
    assert len(cache_files(cache_dir, "lexicon")) == 1  # replaced, not added


def test_changed_code_makes_the_cache_stale(cache_dir, small_lexicon, monkeypatch, caplog):
    new_process()
    load_lexicon(small_lexicon)
    monkeypatch.setattr(
        lexicon_module, "code_version", lambda *modules, **packages: "another version"
    )
    new_process()
    with caplog.at_level(logging.INFO, logger="crawler.cache"):
        load_lexicon(small_lexicon)
    assert any("is stale" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"not a pickle at all",
        lambda data: data[: len(data) // 2],  # truncated (a crash mid-write of an old version)
        lambda data: data[:18] + pickle.dumps(("lexicon",)),  # a pickle of the wrong shape
        lambda data: b"",
    ],
    ids=["garbage", "truncated", "wrong-shape", "empty"],
)
def test_corrupt_cache_file_is_logged_and_rebuilt(cache_dir, small_lexicon, caplog, damage):
    new_process()
    built = load_lexicon(small_lexicon)
    [path] = cache_files(cache_dir, "lexicon")
    path.write_bytes(damage(path.read_bytes()))
    new_process()
    with caplog.at_level(logging.WARNING, logger="crawler.cache"):
        loaded = load_lexicon(small_lexicon)
    assert loaded == built
    messages = [r.getMessage() for r in caplog.records]
    assert any("is corrupt" in m and str(path) in m for m in messages), messages
    new_process()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="crawler.cache"):
        assert load_lexicon(small_lexicon) == built  # the rewritten file is good again
    assert not caplog.records


def test_bad_entry_still_names_file_and_line_with_a_warm_cache(cache_dir, small_lexicon):
    new_process()
    load_lexicon(small_lexicon)
    path = small_lexicon / "terms" / "fr.yaml"
    line = _append(path, "  - {term: narval, kind: speceis}")
    new_process()
    with pytest.raises(LexiconError) as info:
        load_lexicon(small_lexicon)
    assert (info.value.path, info.value.line) == (str(path), line)
    assert "kind 'speceis'" in str(info.value)
    assert f"{path}:{line}" in str(info.value)


def test_cache_off_and_unwritable_folder_still_load(tmp_path, small_lexicon, monkeypatch, caplog):
    monkeypatch.setenv(cache.ENV, "off")
    new_process()
    expected = load_lexicon(small_lexicon)
    assert cache.cache_dir() is None
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))  # cannot become a folder
    new_process()
    with caplog.at_level(logging.WARNING, logger="crawler.cache"):
        assert load_lexicon(small_lexicon) == expected
    assert any("cannot write" in r.getMessage() for r in caplog.records)


def test_matcher_from_the_cache_matches_as_a_fresh_build(cache_dir, small_lexicon, monkeypatch):
    new_process()
    lexicon = load_lexicon(small_lexicon)
    fresh = Matcher(lexicon)  # miss: builds and writes
    assert len(cache_files(cache_dir, "matcher")) == 1

    def no_building(*_a, **_k):
        raise AssertionError("the cached automaton should have been used")

    monkeypatch.setattr(matcher_module, "_build_automaton", no_building)
    new_process()
    cached = Matcher(load_lexicon(small_lexicon))
    assert cached.size == fresh.size
    for title, description in TEXTS:
        assert cached.match(title, description) == fresh.match(title, description)
    assert cached.match(*TEXTS[0]).flagged


def test_matcher_of_an_unsaved_lexicon_is_built_not_cached(cache_dir, small_lexicon):
    new_process()
    lexicon, _ = lexicon_module.check_lexicon(small_lexicon)  # no digest: not from a folder
    assert lexicon is not None and lexicon.digest == ""
    matcher = Matcher(lexicon)
    assert matcher.match(*TEXTS[0]).flagged
    assert not cache_files(cache_dir, "matcher")


def test_lexicon_digest_is_the_one_databases_already_store(small_lexicon):
    """``wildcrawl_meta.lexicon_sha256`` of existing databases must still match."""
    digest = hashlib.sha256()
    for path in sorted(p for p in small_lexicon.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(small_lexicon)).encode() + b"\0" + path.read_bytes())
    assert lexicon_digest(small_lexicon) == digest.hexdigest()


def test_database_holding_the_lexicon_is_not_rewritten(cache_dir, small_lexicon, tmp_path):
    from crawler.crawl.pipelines.store import begin_crawl
    from crawler.store.database import ListingStore

    new_process()
    store = ListingStore(tmp_path / "w.db")
    writes = []
    original = store.save_lexicon_values
    store.save_lexicon_values = lambda *rows: (writes.append(1), original(*rows))
    market = {"name": "m", "title": "M", "base_url": "http://127.0.0.1:9"}
    begin_crawl(store, market, small_lexicon, ["ivory"])
    begin_crawl(store, market, small_lexicon, ["ivory"])
    assert writes == [1]
    lexicon = load_lexicon(small_lexicon)
    count = store.db.execute("select count(*) from terms").fetchone()[0]
    assert count == len(lexicon.terms)
    row = store.db.execute("select * from terms where id = 'en:product:ivory'").fetchone()
    assert row[1:4] == ("ivory", "en", "product")
    _append(small_lexicon / "terms" / "en.yaml", "  - {term: zzyzx carving, kind: product}")
    new_process()
    begin_crawl(store, market, small_lexicon, ["ivory"])
    assert writes == [1, 1]
    assert store.db.execute("select count(*) from terms").fetchone()[0] == count + 1
    store.close()


def test_cldr_indexes_from_the_cache_equal_fresh_builds(cache_dir):
    from crawler.normalise import locations, prices

    for cached_function, build in (
        (prices._symbol_index, prices._build_symbol_index),
        (locations.country_names, locations._build_country_names),
    ):
        cached_function.cache_clear()
        first = cached_function()  # miss: built and written
        cached_function.cache_clear()
        assert cached_function() == first == build()  # hit: loaded
    assert cache_files(cache_dir, "currency-symbols") and cache_files(cache_dir, "country-names")
    prices._symbol_index.cache_clear()
    locations.country_names.cache_clear()


def test_old_cache_files_are_pruned(cache_dir, monkeypatch):
    monkeypatch.setattr(cache, "KEEP", 2)
    for n in range(4):
        assert cache.cached("thing", f"source {n}", "key", lambda n=n: {"n": n}) == {"n": n}
    assert len(cache_files(cache_dir, "thing")) == 2
    # The two most recent are kept and hit (no rebuild).
    assert cache.cached("thing", "source 3", "key", lambda: "rebuilt") == {"n": 3}


def test_a_modified_copy_of_a_cached_lexicon_gets_its_own_matcher(cache_dir, small_lexicon):
    import dataclasses

    new_process()
    lexicon = load_lexicon(small_lexicon)
    Matcher(lexicon)  # caches the folder's automaton
    fewer = dataclasses.replace(lexicon, terms=tuple(t for t in lexicon.terms if t.term != "ivory"))
    assert fewer.digest == ""
    assert "ivory" not in {m.matched_text for m in Matcher(fewer).find("ivory bangle")}


# --- a new database starts as a copy of a cached one (schema + lexicon rows) -------------

MARKET = {"name": "m", "title": "M", "base_url": "http://127.0.0.1:9"}


def _contents(path: Path) -> dict:
    """Everything a new database holds after its first ``begin_crawl``, comparable."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        schema = sorted(conn.execute("select type, name, tbl_name, sql from sqlite_master"))
        tables = {
            name: sorted(conn.execute(f'select * from "{name}"'))
            for name in ("taxa", "terms", "wildcrawl_meta", "marketplaces")
        }
        journal = conn.execute("pragma journal_mode").fetchone()[0]
        crawls = conn.execute("select id, marketplace, status from crawls").fetchall()
    finally:
        conn.close()
    return {"schema": schema, "tables": tables, "journal": journal, "crawls": crawls}


def _first_crawl(path: Path, lexicon: Path) -> None:
    from crawler.crawl.pipelines.store import begin_crawl
    from crawler.store.database import ListingStore

    store = ListingStore(path)
    begin_crawl(store, MARKET, lexicon, ["ivory"])
    store.close()


def test_new_database_from_the_cache_equals_one_built_without(
    cache_dir, small_lexicon, tmp_path, monkeypatch
):
    from crawler.crawl.pipelines import store as store_pipeline

    new_process()
    seeded = tmp_path / "out" / "seeded.db"
    assert store_pipeline.seed_new_database(seeded, small_lexicon)
    [template] = sorted(cache_dir.glob("newdb-*.sqlite"))
    assert not list(cache_dir.glob(".*")) and not list(seeded.parent.glob(".*"))  # no leftovers
    writes = []
    monkeypatch.setattr(
        store_pipeline.ListingStore, "save_lexicon_values", lambda *a: writes.append(1)
    )
    _first_crawl(seeded, small_lexicon)
    assert writes == []  # the rows came with the copy
    monkeypatch.undo()
    monkeypatch.setenv(cache.ENV, "off")
    plain = tmp_path / "plain.db"
    assert not store_pipeline.seed_new_database(plain, small_lexicon)
    _first_crawl(plain, small_lexicon)
    expected = _contents(plain)
    assert expected["tables"]["terms"] and expected["journal"] == "wal"
    assert _contents(seeded) == expected
    # A second new database is a copy of the same cached file; an existing one is left alone.
    monkeypatch.setenv(cache.ENV, str(cache_dir))
    again = tmp_path / "again.db"
    assert store_pipeline.seed_new_database(again, small_lexicon)
    assert again.read_bytes() == template.read_bytes()
    before = seeded.read_bytes()
    assert not store_pipeline.seed_new_database(seeded, small_lexicon)
    assert seeded.read_bytes() == before


def test_edited_lexicon_gets_its_own_cached_new_database(cache_dir, small_lexicon, tmp_path):
    from crawler.crawl.pipelines.store import seed_new_database

    new_process()
    assert seed_new_database(tmp_path / "a.db", small_lexicon)
    _append(small_lexicon / "terms" / "en.yaml", "  - {term: zzyzx carving, kind: product}")
    new_process()
    assert seed_new_database(tmp_path / "b.db", small_lexicon)
    assert len(list(cache_dir.glob("newdb-*.sqlite"))) == 2
    _first_crawl(tmp_path / "b.db", small_lexicon)
    contents = _contents(tmp_path / "b.db")
    assert "en:product:zzyzx carving" in {row[0] for row in contents["tables"]["terms"]}


def test_cached_new_database_is_keyed_by_every_store_module(cache_dir, small_lexicon, tmp_path):
    """A change to the tables, indexes, triggers or views builds a new template: the key names
    the source of every module of crawler.store a new database is built by."""
    import sys

    from crawler.crawl.pipelines import store as store_pipeline

    keyed = []
    real = store_pipeline.code_version

    def record(*modules, **packages):
        keyed.extend(modules)
        return real(*modules, **packages)

    new_process()
    store_pipeline.code_version = record
    try:
        assert store_pipeline.seed_new_database(tmp_path / "a.db", small_lexicon)
    finally:
        store_pipeline.code_version = real
    loaded = {name for name in sys.modules if name.startswith("crawler.store.")}
    assert {"crawler.store.tables", "crawler.store.digest", "crawler.store.views"} <= loaded
    assert loaded <= set(keyed)


def test_unusable_cache_folder_still_creates_the_database(
    small_lexicon, tmp_path, monkeypatch, caplog
):
    from crawler.crawl.pipelines.store import seed_new_database

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))  # cannot become a folder
    new_process()
    with caplog.at_level(logging.WARNING):
        assert not seed_new_database(tmp_path / "w.db", small_lexicon)
    assert any("cannot write the cached new database" in r.getMessage() for r in caplog.records)
    _first_crawl(tmp_path / "w.db", small_lexicon)
    assert _contents(tmp_path / "w.db")["tables"]["terms"]


def test_crawl_seeds_a_new_database_before_opening_it(tmp_path, monkeypatch):
    """``run_crawl`` copies the cached new database before it opens ``--db`` (its start-up)."""
    from crawler.crawl import runner

    calls = []

    class Opened(Exception):
        pass

    def seed(path, lexicon):
        calls.append(("seed", str(path), lexicon))

    def open_database(path):
        calls.append(("open", str(path)))
        raise Opened

    monkeypatch.setattr(runner, "seed_new_database", seed)
    monkeypatch.setattr(runner, "open_database", open_database)
    db = tmp_path / "x.db"
    with pytest.raises(Opened):
        runner.run_crawl(["demo-bazaar"], db, settings={"WILDCRAWL_LEXICON": "my-keywords"})
    assert calls == [("seed", str(db), "my-keywords"), ("open", str(db))]


START_UP_PROBE = r"""
import gc, json, sys
from crawler.crawl import runner

collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info["generation"]))
seen = {}


class Process(runner.CrawlerProcess):
    def start(self, *args, **kwargs):  # the reactor starts: start-up is over
        seen["collections"] = list(collections)
        seen["frozen"] = gc.get_freeze_count()
        seen["collecting"] = gc.isenabled()
        return super().start(*args, **kwargs)


start_up = runner._start_up


def timed_start_up(*args):  # collections counted from here: the crawl's start-up
    collections.clear()
    return start_up(*args)


runner.CrawlerProcess = Process
runner._start_up = timed_start_up
runner.run_crawl(["demo-bazaar"], sys.argv[1], keywords=["ivory"], max_pages=1,
                 base_urls={"demo-bazaar": sys.argv[2]},
                 settings={"WILDCRAWL_EVIDENCE": False, "WILDCRAWL_PROGRESS": False})
# Built after the first request by the warm-up thread (crawler.crawl.warmup), then frozen.
from crawler.crawl.pipelines.match import _SHARED
(matcher, model), = _SHARED.values()
collected = {id(o) for o in gc.get_objects()}
seen["matcher_frozen"] = id(matcher) not in collected and id(model) not in collected
print(json.dumps(seen))
"""


def test_crawl_start_up_runs_without_garbage_collection(demo_server, tmp_path):
    """Scrapy's components are built with collection paused, then frozen: a full collection
    in the middle of start-up walked them all (~90 ms). The lexicon, matcher and model are
    built after the first request (crawler.crawl.warmup), as paused, and frozen too."""
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            START_UP_PROBE,
            str(tmp_path / "w.db"),
            demo_server.base_url("demo-bazaar"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["collections"] == []
    assert seen["frozen"] > 50_000  # Scrapy's components, the modules' objects
    assert seen["collecting"]  # and collection is back on for the crawl itself
    assert seen["matcher_frozen"]
