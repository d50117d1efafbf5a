"""The internal Datasette in-process: login wall, review and report queries, dashboard, evidence.

Most tests use a small database written through ``ListingStore`` (``test_publish``);
the last ones run over a real crawl of the demo marketplaces (``crawled``).
"""

from __future__ import annotations

import asyncio
import re

import pytest
import sqlite_utils
from datasette.app import Datasette
from test_publish import build_internal_db

from crawler.publish.datasette import (
    SETTINGS,
    accounts,
    database_name,
    datasette_kwargs,
    metadata_for,
)

CANNED = ("flagged_newest", "listings_per_taxon", "top_sellers", "crawl_status", "review_queue")


def internal_datasette(root):
    """(the internal instance in-process, anna's login cookies, its database) under ``root``."""
    db_path = build_internal_db(root / "wc.db")
    accounts.create_user("anna", "correct horse battery", root / "accounts")
    ds = Datasette(**datasette_kwargs(db_path, root / "accounts"))
    cookies = {"ds_actor": ds.sign({"a": {"id": "anna"}}, "actor")}
    return ds, cookies, db_path


@pytest.fixture(scope="module")
def internal(tmp_path_factory):
    return internal_datasette(tmp_path_factory.mktemp("internal"))


def run(coro):
    return asyncio.run(coro)


ANONYMOUS_PATHS = [
    "/",
    "/wc",
    "/wc/listings",
    "/wc/listings.json",
    "/wc/listings.csv",
    "/wc.json?sql=select+*+from+sellers",
    "/wc/sellers/demo-bazaar~3A4471093",
    "/wc/top_sellers.json",
    "/wc/mark_confirmed",
    "/-/metadata.json",
    "/-/dashboards/monitor",
    "/-/evidence/wc/1",
    "/wc.db",
    "/-/actor.json",
]


@pytest.mark.parametrize("path", ANONYMOUS_PATHS)
def test_anonymous_visitors_get_the_login_page_never_data(internal, path):
    """Pages send anonymous visitors to the login; data (.json, .csv, .db) answers 401, so a
    script without a token never takes the login page for data (issue 24)."""
    ds, _, _ = internal
    response = run(ds.client.get(path))
    if path.split("?")[0].endswith((".json", ".csv", ".db")):
        assert response.status_code == 401, response.text[:200]
        assert "password" not in response.text
    else:
        assert response.status_code == 302, response.text[:200]
        assert response.headers["location"].startswith("/-/login")
    assert "old_carver_hk" not in response.text


def test_login_with_the_stored_hash(internal):
    ds, _, _ = internal

    async def go():
        page = await ds.client.get("/-/login")
        token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
        cookies = dict(page.cookies)
        bad = await ds.client.post(
            "/-/login",
            data={"username": "anna", "password": "wrong", "csrftoken": token},
            cookies=cookies,
        )
        good = await ds.client.post(
            "/-/login",
            data={"username": "anna", "password": "correct horse battery", "csrftoken": token},
            cookies=cookies,
        )
        return bad, good

    bad, good = run(go())
    assert "Invalid username or password" in bad.text
    assert good.status_code == 302 and "ds_actor" in good.cookies
    meta = metadata_for("x/wc.db", accounts_dir=None)
    assert "$2" not in str(meta) and "pbkdf2" not in str(meta)  # hashes are referenced only


def _post_form(ds, cookies, path, data):
    async def go():
        page = await ds.client.get(path, cookies=cookies)
        token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
        return await ds.client.post(
            path, data={**data, "csrftoken": token}, cookies={**cookies, **dict(page.cookies)}
        )

    return run(go())


def test_a_monitor_records_a_verdict_and_a_report(internal):
    ds, cookies, db_path = internal
    response = _post_form(
        ds,
        cookies,
        "/wc/mark_needs_expert",
        {"listing_id": "demo-tiaozao:2001", "note": "scales or plastic?"},
    )
    assert response.status_code == 302
    _post_form(
        ds,
        cookies,
        "/wc/report_listing",
        {"listing_id": "demo-tiaozao:2001", "channel": "form", "reference": "T-1"},
    )
    _post_form(ds, cookies, "/wc/mark_confirmed", {"listing_id": "no-such:listing", "note": ""})
    db = sqlite_utils.Database(db_path)
    reviews = list(db.query("select * from reviews where listing_id = 'demo-tiaozao:2001'"))
    assert [(r["verdict"], r["reviewer"], r["note"]) for r in reviews] == [
        ("needs_expert", "anna", "scales or plastic?")
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", reviews[0]["reviewed_at"])
    report = next(db.query("select * from reports where listing_id = 'demo-tiaozao:2001'"))
    assert (report["platform"], report["reported_by"]) == ("Demo Tiaozao", "anna")
    assert not list(db.query("select * from reviews where listing_id = 'no-such:listing'"))
    queue = run(ds.client.get("/wc/review_queue.json?_shape=array&verdict=", cookies=cookies))
    row = next(r for r in queue.json() if r["id"] == "demo-tiaozao:2001")
    assert (row["verdict"], row["reviewer"], row["reports"]) == ("needs_expert", "anna", 1)


def test_write_queries_refuse_anonymous_posts(internal):
    ds, _, db_path = internal
    before = sqlite_utils.Database(db_path)["reviews"].count
    response = run(ds.client.post("/wc/mark_confirmed", data={"listing_id": "demo-bazaar:1001"}))
    assert response.status_code in (302, 403)
    assert sqlite_utils.Database(db_path)["reviews"].count == before


def test_dashboard_charts_all_run(internal):
    ds, cookies, _ = internal
    page = run(ds.client.get("/-/dashboards/monitor", cookies=cookies))
    assert page.status_code == 200 and "Takedown rate" in page.text
    charts = metadata_for("wc.db")["plugins"]["datasette-dashboards"]["monitor"]["charts"]
    for slug, chart in charts.items():
        response = run(
            ds.client.get(
                "/wc.json", params={"sql": chart["query"], "_shape": "objects"}, cookies=cookies
            )
        )
        assert response.status_code == 200, (slug, response.text[:300])
        assert response.json()["rows"], slug


def test_listing_page_shows_the_evidence_screenshot(internal):
    ds, cookies, _ = internal
    page = run(ds.client.get("/wc/listings/demo-bazaar~3A1001", cookies=cookies))
    assert '<img\n           src="/-/evidence/wc/1"' in page.text
    assert 'action="/-/review"' in page.text and 'value="confirmed"' in page.text
    image = run(ds.client.get("/-/evidence/wc/1", cookies=cookies))
    assert image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert run(ds.client.get("/-/evidence/wc/99", cookies=cookies)).status_code == 404


def test_evidence_outside_the_evidence_folder_is_never_served(internal):
    ds, cookies, db_path = internal
    db = sqlite_utils.Database(db_path)
    with db.conn:
        db["evidence"].insert(
            {
                "id": 50,
                "listing_id": "demo-bazaar:1002",
                "kind": "html",
                "path": "../../../../etc/passwd",
            }
        )
        db["evidence"].insert(
            {"id": 51, "listing_id": "demo-bazaar:1002", "kind": "html", "path": "wc.db"}
        )
    for evidence_id in (50, 51):
        response = run(ds.client.get(f"/-/evidence/wc/{evidence_id}", cookies=cookies))
        assert response.status_code == 404


def test_settings_limit_queries(internal):
    ds, cookies, _ = internal
    settings = run(ds.client.get("/-/settings.json", cookies=cookies)).json()
    assert settings["sql_time_limit_ms"] == SETTINGS["sql_time_limit_ms"]
    assert settings["max_returned_rows"] == SETTINGS["max_returned_rows"]


def test_serve_command_creates_users_and_refuses_without_accounts(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from crawler.cli.app import cli

    monkeypatch.setenv("WILDCRAWL_ACCOUNTS_DIR", str(tmp_path / "acc"))
    db_path = build_internal_db(tmp_path / "w.db")
    runner = CliRunner()
    none = runner.invoke(cli, ["serve", "--db", str(db_path)])
    assert none.exit_code == 1 and "--create-user" in none.output
    bad = runner.invoke(cli, ["serve", "--create-user", "no spaces"], input="x\nx\n")
    assert bad.exit_code == 1 and "account names" in bad.output
    made = runner.invoke(cli, ["serve", "--create-user", "anna"], input="s3cret-pw\ns3cret-pw\n")
    assert made.exit_code == 0, made.output
    assert accounts.users() == ["anna"]
    assert oct((tmp_path / "acc" / "anna.hash").stat().st_mode & 0o777) == "0o600"


# --- over a real crawl of the demo marketplaces -------------------------------------------


@pytest.fixture(scope="module")
def datasette(crawled, tmp_path_factory):
    db_path = crawled[0]
    ds = Datasette(**datasette_kwargs(db_path, tmp_path_factory.mktemp("acc")))
    cookies = {"ds_actor": ds.sign({"a": {"id": "monitor"}}, "actor")}
    return ds, database_name(db_path), db_path, cookies


def get(datasette, path):
    ds, _, _, cookies = datasette
    return asyncio.run(ds.client.get(path, cookies=cookies))


@pytest.mark.parametrize("query", CANNED)
def test_canned_queries_run_and_return_rows(datasette, query):
    name = datasette[1]
    response = get(datasette, f"/{name}/{query}.json?_shape=array&verdict=")
    assert response.status_code == 200, response.text[:500]
    rows = response.json()
    assert rows, f"{query} returned no rows"


def test_every_contract_table_and_column_is_described(datasette):
    _, name, db_path, _ = datasette
    tables = metadata_for(db_path)["databases"][name]["tables"]
    db = sqlite_utils.Database(db_path)
    for table in (
        "marketplaces",
        "crawls",
        "taxa",
        "terms",
        "listings",
        "observations",
        "sellers",
        "matches",
        "evidence",
        "reports",
        "reviews",
        "contacts",
        "listing_contacts",
    ):
        assert tables[table]["description"]
        described = set(tables[table]["columns"])
        assert set(db[table].columns_dict) <= described, (
            table,
            set(db[table].columns_dict) - described,
        )


def test_full_text_search_finds_a_known_listing(datasette):
    _, name, db_path, _ = datasette
    db = sqlite_utils.Database(db_path)
    row = next(
        db.query(
            "select id, title from listings where marketplace = 'demo-bazaar' and title like '%ivory%' limit 1"
        )
    )
    word = next(w for w in row["title"].split() if len(w) >= 5 and w.isalpha())
    response = get(datasette, f"/{name}/listings.json?_search={word}&_shape=array&_size=max")
    assert response.status_code == 200
    assert row["id"] in {r["id"] for r in response.json()}


def test_chinese_full_text_search(datasette):
    """Trigram FTS finds Chinese words of three characters or more inside unspaced text."""
    _, name, db_path, _ = datasette
    db = sqlite_utils.Database(db_path)
    for row in db.query("select id, title from listings where marketplace = 'demo-tiaozao'"):
        run = re.search(r"[\u4e00-\u9fff]{3,}", row["title"])
        if run:
            break
    needle = run.group(0)[:3]
    response = get(datasette, f"/{name}/listings.json?_search={needle}&_shape=array&_size=max")
    found = {r["id"] for r in response.json()}
    assert row["id"] in found, (needle, row["title"])
    expected = {
        r["id"]
        for r in db.query(
            "select id from listings where title like ? or description like ?", [f"%{needle}%"] * 2
        )
    }
    assert found == expected


def test_two_character_chinese_words_through_the_contains_filter(datasette):
    """象牙 is too short for trigram FTS; the README's answer is the column filter."""
    _, name, db_path, _ = datasette
    db = sqlite_utils.Database(db_path)
    expected = {r["id"] for r in db.query("select id from listings where title like '%象牙%'")}
    assert expected
    response = get(datasette, f"/{name}/listings.json?title__contains=象牙&_shape=array&_size=max")
    assert {r["id"] for r in response.json()} == expected


def test_listing_page_shows_metadata_descriptions(datasette):
    html = get(datasette, f"/{datasette[1]}/listings").text
    assert "One row per listing ever seen" in html


def test_internal_metadata_describes_every_table_and_column_of_the_schema():
    """A table or column added to the store without a description in the internal metadata
    (or a metadata file that no longer parses) fails here, in one place."""
    from crawler.publish.datasette import metadata_for
    from crawler.store.database import TABLES

    # As loaded: the listings columns come from the listing schema (crawler.store.schema).
    meta = metadata_for("wildcrawl.db")
    tables = meta["databases"]["wildcrawl"]["tables"]
    missing = [name for name in TABLES if not (tables.get(name) or {}).get("description")]
    assert not missing, missing
    undocumented = {
        name: sorted(set(spec["columns"]) - set(tables[name].get("columns") or {}))
        for name, spec in TABLES.items()
    }
    assert not {k: v for k, v in undocumented.items() if v}
