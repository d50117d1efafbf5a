"""Issue 20: what a public release must not leak or overstate (escaping, addresses, facets, errors)."""

from __future__ import annotations

import json

import sqlite_utils
from click.testing import CliRunner
from test_publish import PRODUCT_TERM, build_internal_db

from crawler.publish.release import publish

HOSTILE_TITLE = "Hostile <script>alert(1)</script>"
HOSTILE_KEYWORD = "ivory<img src=x onerror=alert(2)>"


def hostile_db(path):
    """The shared internal database plus a marketplace and a crawl keyword carrying markup."""
    db_path = build_internal_db(path)
    db = sqlite_utils.Database(db_path)
    with db.conn:
        db["marketplaces"].insert(
            {
                "name": "hostile",
                "title": HOSTILE_TITLE,
                "base_url": 'http://x/"><script>1</script>',
            },
            alter=False,
        )
        row = next(db["crawls"].rows)
        crawl = {k: v for k, v in row.items() if k != "id"}
        crawl["keywords"] = json.dumps([HOSTILE_KEYWORD])
        db["crawls"].insert(crawl)
    db.close()
    return db_path


def test_release_description_escapes_configs_and_keywords(tmp_path):
    release = publish(hostile_db(tmp_path / "w.db"), tmp_path / "public", key=bytes(32))
    text = release.metadata_path.read_text(encoding="utf-8")
    meta = json.loads(text)
    html = meta.get("description_html", "") + meta.get("description", "")
    assert "<script" not in html and "<img" not in html
    assert "Hostile &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "ivory&lt;img src=x onerror=alert(2)&gt;" in html


def test_release_ships_the_content_security_policy_plugin(tmp_path):
    release = publish(build_internal_db(tmp_path / "w.db"), tmp_path / "public", key=bytes(32))
    assert (release.out_dir / "plugins" / "wildcrawl_csp.py").is_file()


def test_publish_into_an_unwritable_folder_is_one_line(tmp_path):
    import crawler.cli.publish_cmd  # noqa: F401  (registers the command)
    from crawler.cli.app import cli

    db_path = build_internal_db(tmp_path / "w.db")
    (tmp_path / "afile").write_text("x")
    out = tmp_path / "afile" / "public"
    result = CliRunner().invoke(cli, ["publish", "--db", str(db_path), "--out", str(out)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and str(out) in lines[0], result.output
    assert not isinstance(result.exception, OSError) or isinstance(result.exception, SystemExit)


def test_release_drops_listing_addresses_and_item_ids_by_default(tmp_path):
    db_path = build_internal_db(tmp_path / "w.db")
    release = publish(db_path, tmp_path / "public", key=bytes(32))
    db = sqlite_utils.Database(release.db_path)
    cols = set(db["listings"].columns_dict)
    assert not cols & {"url", "item_id", "image_url"}
    ids = [r[0] for r in db.execute("select id from listings")]
    assert all(":" not in i or not i.split(":", 1)[1].isdigit() for i in ids), ids[:3]
    raw = release.db_path.read_bytes()
    assert b"127.0.0.1:8701/item" not in raw
    for csv_file in (release.out_dir / "csv").glob("*.csv"):
        assert "/item/" not in csv_file.read_text(encoding="utf-8")
    kept = publish(db_path, tmp_path / "kept", key=bytes(32), keep_urls=True)
    kept_db = sqlite_utils.Database(kept.db_path)
    assert {"url", "item_id"} <= set(kept_db["listings"].columns_dict)


def test_release_text_says_what_a_reader_can_and_cannot_learn(tmp_path):
    release = publish(build_internal_db(tmp_path / "w.db"), tmp_path / "public", key=bytes(32))
    meta = json.loads(release.metadata_path.read_text(encoding="utf-8"))
    text = meta["description_html"]
    assert "No seller can be identified" not in text
    assert "addresses" in text and "item numbers" in text
    readme = (release.out_dir / "README.md").read_text(encoding="utf-8")
    assert "can learn" in readme and "cannot learn" in readme


def test_group_facets_count_only_flagged_listings_and_results_sort_by_risk(tmp_path):
    plush = {
        "id": "demo-bazaar:plush1",
        "marketplace": "demo-bazaar",
        "item_id": "plush1",
        "url": "http://127.0.0.1:8701/item/plush1",
        "title": "Plush pangolin toy, 30 cm",
        "seen_at": "2026-11-07T10:00:00Z",
        "last_seen": "2026-11-07T10:00:00Z",
        "flagged": 0,
        "risk": 0.2,
        "matches": [
            {
                "term_id": PRODUCT_TERM["Manis pentadactyla"]["id"],
                "field": "title",
                "start": 6,
                "end": 14,
                "taxon_id": "Manis pentadactyla",
                "kind": "product",
                "matched_text": "pangolin",
            }
        ],
    }
    db_path = build_internal_db(tmp_path / "w.db", extra_listings=[plush])
    release = publish(db_path, tmp_path / "public", key=bytes(32))
    db = sqlite_utils.Database(release.db_path)
    unflagged_grouped = db.execute(
        "select count(*) from listings where flagged = 0 and taxon_group is not null"
    ).fetchone()[0]
    assert unflagged_grouped == 0
    assert db.execute("select count(*) from listings where flagged = 0").fetchone()[0] > 0
    meta = json.loads(release.metadata_path.read_text(encoding="utf-8"))
    listings = meta["databases"]["wildcrawl-public"]["tables"]["listings"]
    assert "flagged" in listings["facets"]
    assert listings.get("sort") == "risk_rank"
    ranked = [r[0] for r in db.execute("select risk from listings order by risk_rank")]
    assert ranked == sorted(ranked, reverse=True)
