"""Bad input: each case ends in one clear line (file, line where known, what to do), a non-zero
exit and an untouched database; an older schema is migrated with its data kept.

Every case runs the real ``wildcrawl crawl`` in a subprocess against an existing
database holding one earlier crawl, and compares the file's bytes before and after.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from tests.conftest import run_cli
from tests.test_politeness import TinyMarket, write_config


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


@pytest.fixture(scope="module")
def market():
    with TinyMarket() as m:
        yield m


@pytest.fixture(scope="module")
def crawled_once(tmp_path_factory, market) -> Path:
    """A database with one finished crawl in it, made once per module."""
    folder = tmp_path_factory.mktemp("existing")
    config = write_config(folder, base_url=market.base_url)
    db = folder / "existing.db"
    result = run_cli(
        "crawl",
        str(config),
        "--db",
        str(db),
        "-k",
        "allowed",
        "-s",
        "WILDCRAWL_PROGRESS=False",
        "-s",
        "WILDCRAWL_EVIDENCE=False",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    conn = sqlite3.connect(db)  # fold the WAL into the file, so its bytes are the whole data
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    return db


@pytest.fixture
def existing_db(tmp_path, crawled_once) -> Path:
    """This test's copy of the crawled database: the data that must survive bad input."""
    db = tmp_path / "existing.db"
    shutil.copyfile(crawled_once, db)
    copy = sqlite_utils.Database(db)
    assert copy["listings"].count == 3 * 4
    copy.close()
    return db


def one_line_error(result) -> str:
    """The error output must be exactly one line, starting 'Error: ', without a traceback."""
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert len(lines) == 1, result.stderr[-2000:]
    assert lines[0].startswith("Error: ")
    return lines[0]


BAD_CONFIGS = [
    # (case, what replaces a line of the valid config, expected text, line of the error)
    ("invalid_yaml", ("listings:\n", "listings:\n  item: [unclosed\n"), "invalid YAML", 14),
    (
        "unknown_key",
        ("render: http\n", "render: http\nrender_mode: fast\n"),
        "unknown key 'render_mode'",
        8,
    ),
    (
        "selector_does_not_parse",
        ('  item: "li.item"\n', '  item: "li.item[["\n'),
        "does not parse",
        13,
    ),
    (
        "url_without_keyword",
        ('"/search/{keyword}?page={page}"', '"/search?page={page}"'),
        "must contain {keyword}",
        9,
    ),
]


@pytest.mark.parametrize(
    ("case", "edit", "expected", "line"), BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS]
)
def test_bad_config_one_line_with_file_and_line(tmp_path, existing_db, case, edit, expected, line):
    config = write_config(tmp_path, name=f"bad-{case.replace('_', '-')}")
    text = config.read_text(encoding="utf-8")
    assert edit[0] in text
    config.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    before = digest(existing_db)
    error = one_line_error(run_cli("crawl", str(config), "--db", str(existing_db), "-k", "x"))
    assert f"{config}:{line}:" in error and expected in error, error
    assert digest(existing_db) == before


def test_empty_lexicon_folder(tmp_path, existing_db, market):
    config = write_config(tmp_path, base_url=market.base_url)
    empty = tmp_path / "lexicon"
    empty.mkdir()
    before, requests = digest(existing_db), len(market.log)
    error = one_line_error(
        run_cli("crawl", str(config), "--db", str(existing_db), "--lexicon", str(empty))
    )
    assert str(empty) in error and "lexicon folder holds" in error, error
    assert digest(existing_db) == before
    assert len(market.log) == requests  # stopped before any request


def test_unwritable_output_folder(tmp_path, existing_db, market):
    # Root ignores permission bits; a folder under a regular file fails for everyone.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file", encoding="utf-8")
    config = write_config(tmp_path, base_url=market.base_url)
    error = one_line_error(
        run_cli("crawl", str(config), "--db", str(blocker / "out" / "w.db"), "-k", "allowed")
    )
    assert str(blocker / "out") in error and "cannot create the output folder" in error, error
    assert blocker.read_text(encoding="utf-8") == "a file"


def test_file_that_is_not_sqlite(tmp_path, market):
    notes = tmp_path / "notes.db"
    notes.write_text("field notes, not a database\n" * 100, encoding="utf-8")
    before = digest(notes)
    config = write_config(tmp_path, base_url=market.base_url)
    error = one_line_error(run_cli("crawl", str(config), "--db", str(notes), "-k", "allowed"))
    assert f"{notes}: not an SQLite database; choose another --db path" in error
    assert digest(notes) == before


def test_database_of_a_newer_schema_is_refused_untouched(tmp_path, existing_db, market):
    conn = sqlite3.connect(existing_db)
    conn.execute("update wildcrawl_meta set value = '99' where key = 'schema_version'")
    conn.commit()
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    before = digest(existing_db)
    config = write_config(tmp_path, base_url=market.base_url)
    error = one_line_error(run_cli("crawl", str(config), "--db", str(existing_db), "-k", "allowed"))
    assert "schema version 99 is newer" in error and "upgrade wildcrawl" in error, error
    assert digest(existing_db) == before


def make_old_database(path: Path) -> None:
    """A database as an early wildcrawl wrote it: no version, fewer columns, observations
    without a key (and a duplicate row), a full-text index that cannot search Chinese."""
    conn = sqlite3.connect(path)
    conn.executescript("""
        create table marketplaces (name text primary key, title text, base_url text);
        create table crawls (id integer primary key, marketplace text, started_at text,
            finished_at text, status text, pages int, listings_seen int, listings_new int,
            listings_removed int, errors int);
        create table listings (id text primary key, marketplace text, item_id text, url text,
            title text, description text, price_text text, price float, currency text,
            first_seen text, last_seen text, status text);
        create table observations (listing_id text, crawl_id int, seen_at text, price float,
            currency text, title text, status text);
        insert into crawls values (1, 'tiny-market', '2025-01-01T00:00:00Z',
            '2025-01-01T00:10:00Z', 'finished', 3, 2, 2, 0, 0);
        insert into listings values ('tiny-market:old-1', 'tiny-market', 'old-1', 'http://x/1',
            '象牙手镯 老货', '', '¥1200', 1200, 'CNY', '2025-01-01T00:01:00Z',
            '2025-01-01T00:01:00Z', 'active');
        insert into observations values ('tiny-market:old-1', 1, '2025-01-01T00:01:00Z', 1200,
            'CNY', '象牙手镯 老货', 'active');
        insert into observations values ('tiny-market:old-1', 1, '2025-01-01T00:01:00Z', 1200,
            'CNY', '象牙手镯 老货', 'active');
    """)
    conn.commit()
    conn.close()
    sqlite_utils.Database(path)["listings"].enable_fts(
        ["title", "description"], create_triggers=True
    )


def test_database_of_an_older_schema_is_migrated_and_kept(tmp_path, market):
    db = tmp_path / "old.db"
    make_old_database(db)
    config = write_config(tmp_path, base_url=market.base_url)
    result = run_cli(
        "crawl",
        str(config),
        "--db",
        str(db),
        "-k",
        "allowed",
        "-s",
        "WILDCRAWL_PROGRESS=False",
        "-s",
        "WILDCRAWL_EVIDENCE=False",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "migrated from schema version 0 to 2" in result.stderr
    backup = Path(f"{db}.schema-v0.bak")
    assert backup.exists()
    assert sqlite_utils.Database(backup)["listings"].count == 1  # the copy is the old file
    new = sqlite_utils.Database(db)
    assert (
        new.execute("select value from wildcrawl_meta where key = 'schema_version'").fetchone()[0]
        == "2"
    )
    assert new["listings"].get("tiny-market:old-1")["title"] == "象牙手镯 老货"
    assert new["observations"].pks == ["listing_id", "crawl_id"]
    assert new["observations"].count_where("listing_id = 'tiny-market:old-1'") == 1
    assert [
        r["id"]
        for r in new.query(
            "select l.id from listings l join listings_fts f on f.rowid = l.rowid "
            "where listings_fts match '象牙手'"
        )
    ] == ["tiny-market:old-1"]
    assert new["listings"].count == 1 + 3 * 4  # the old listing and the new crawl's
    assert {m["name"] for m in new["wildcrawl_migrations"].rows} == {
        "0001_listings_fts_trigram",
        "0002_observations_primary_key",
    }


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("WILDCRAWL_BATCH_SIZE=abc", "WILDCRAWL_BATCH_SIZE needs a whole number"),
        ("ROBOTSTXT_OBEY=maybe", "ROBOTSTXT_OBEY needs true or false"),
        ("DOWNLOAD_DELAY=soon", "DOWNLOAD_DELAY needs a number"),
    ],
)
def test_bad_setting_value_one_line_and_data_kept(tmp_path, existing_db, market, setting, expected):
    config = write_config(tmp_path, base_url=market.base_url)
    before = digest(existing_db)
    error = one_line_error(
        run_cli("crawl", str(config), "--db", str(existing_db), "-k", "allowed", "-s", setting)
    )
    assert expected in error and setting.split("=")[0] in error
    assert digest(existing_db) == before
