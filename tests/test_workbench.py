"""The monitor's workbench in-process (issue 24): home, review, reports, search, tokens.

The same pages in a real Chromium: ``test_workbench_browser``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path

import pytest
import sqlite_utils
from datasette.app import Datasette
from test_publish import build_internal_db

from crawler.publish.datasette import accounts, datasette_kwargs, metadata_for, tokens
from crawler.publish.datasette.workbench.queries import highlight
from crawler.publish.datasette.workbench.reports import outcome_time, paste_text


@pytest.fixture(scope="module")
def internal(tmp_path_factory):
    root = tmp_path_factory.mktemp("workbench")
    db_path = build_internal_db(root / "wc.db")
    accounts.create_user("anna", "correct horse battery", root / "accounts")
    token = tokens.create_token("nightly", root / "accounts")
    ds = Datasette(**datasette_kwargs(db_path, root / "accounts"))
    cookies = {"ds_actor": ds.sign({"a": {"id": "anna"}}, "actor")}
    return ds, cookies, db_path, token


def run(coro):
    return asyncio.run(coro)


def _post(ds, cookies, page_path, path, data, headers=None):
    async def go():
        page = await ds.client.get(page_path, cookies=cookies)
        token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
        return await ds.client.post(
            path,
            data={**data, "csrftoken": token},
            cookies={**cookies, **dict(page.cookies)},
            headers=headers or {},
        )

    return run(go())


def test_home_says_what_needs_attention(internal):
    ds, cookies, _, _ = internal
    page = run(ds.client.get("/", cookies=cookies)).text
    assert 'href="/-/review"' in page and "waiting for a verdict" in page
    assert 'name="_search"' in page and "/-/dashboards/monitor" in page
    assert "Crawls that failed or look broken" in page and "/-/reports" in page
    # the lexicon is reachable, folded away
    assert page.index("<details>") < page.index("/wc/terms")


def test_review_cards_link_ids_and_show_thumbnails(internal):
    ds, cookies, _, _ = internal
    response = run(ds.client.get("/-/review", cookies=cookies))
    assert response.status_code == 200
    page = response.text
    assert 'class="wc-id" href="/wc/listings/demo-bazaar~3A1001"' in page
    assert re.search(
        r'<img src="/-/evidence/wc/\d+" alt="Screenshot of listing demo-bazaar:1001"', page
    )
    assert page.count('name="verdict" value="confirmed"') >= 3
    anonymous = run(ds.client.get("/-/review"))
    assert anonymous.status_code == 302 and anonymous.headers["location"].startswith("/-/login")


def test_a_verdict_without_javascript_redirects_back_and_takes_the_login(internal):
    ds, cookies, db_path, _ = internal
    response = _post(
        ds,
        cookies,
        "/-/review",
        "/-/review",
        {
            "listing_id": "demo-tiaozao:2001",
            "verdict": "needs_expert",
            "note": "scales?",
            "reviewer": "mallory",  # ignored: the reviewer is the login
            "f_verdict": "waiting",
            "f_marketplace": "demo-tiaozao",
        },
    )
    assert response.status_code == 302
    assert response.headers["location"].startswith("/-/review?")
    assert "marketplace=demo-tiaozao" in response.headers["location"]
    db = sqlite_utils.Database(db_path)
    row = next(db.query("select * from reviews where listing_id = 'demo-tiaozao:2001'"))
    assert (row["verdict"], row["reviewer"], row["note"]) == ("needs_expert", "anna", "scales?")
    # JSON for the page's script; an unknown verdict is refused
    ok = _post(
        ds,
        cookies,
        "/-/review",
        "/-/review",
        {"listing_id": "demo-tiaozao:2001", "verdict": "confirmed"},
        headers={"Accept": "application/json"},
    )
    assert ok.json() == {"ok": True, "listing_id": "demo-tiaozao:2001", "verdict": "confirmed"}
    bad = _post(
        ds,
        cookies,
        "/-/review",
        "/-/review",
        {"listing_id": "demo-tiaozao:2001", "verdict": "maybe"},
    )
    assert bad.status_code == 400


def test_verdicts_need_the_csrf_token(internal):
    ds, cookies, db_path, _ = internal
    before = sqlite_utils.Database(db_path)["reviews"].count
    response = run(
        ds.client.post(
            "/-/review",
            data={"listing_id": "demo-bazaar:1001", "verdict": "confirmed"},
            cookies=cookies,
        )
    )
    assert response.status_code == 403
    assert sqlite_utils.Database(db_path)["reviews"].count == before


def test_report_is_prefilled_recorded_and_its_outcome_validated(internal):
    ds, cookies, db_path, _ = internal
    form = run(ds.client.get("/-/report?listing_id=demo-bazaar:1001", cookies=cookies)).text
    db = sqlite_utils.Database(db_path)
    sha = next(db.query("select sha256 from evidence where listing_id = 'demo-bazaar:1001'"))
    assert sha["sha256"] in form and "http://127.0.0.1:8701/item/1001" in form
    assert 'value="Demo Bazaar"' in form
    response = _post(
        ds,
        cookies,
        "/-/report?listing_id=demo-bazaar:1001",
        "/-/report",
        {
            "listing_id": "demo-bazaar:1001",
            "platform": "Demo Bazaar",
            "channel": "report form",
            "reference": "T-9",
            "reported_by": "mallory",
        },
    )
    assert response.status_code == 302
    assert response.headers["location"] == "/wc/listings/demo-bazaar~3A1001#reports"
    report = next(db.query("select * from reports where reference = 'T-9'"))
    assert report["reported_by"] == "anna"
    before = _post(
        ds,
        cookies,
        "/-/reports",
        "/-/report/outcome",
        {"report_id": report["id"], "outcome": "removed", "outcome_date": "2020-01-01"},
    )
    assert before.status_code == 400 and "before the report" in before.text
    free_text = _post(
        ds,
        cookies,
        "/-/reports",
        "/-/report/outcome",
        {"report_id": report["id"], "outcome": "gone?", "outcome_date": report["reported_at"][:10]},
    )
    assert free_text.status_code == 400
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    ok = _post(
        ds,
        cookies,
        "/-/reports",
        "/-/report/outcome",
        {
            "report_id": report["id"],
            "outcome": "still_online",
            "outcome_date": today,
            "next": "/-/reports",
        },
    )
    assert ok.status_code == 302 and ok.headers["location"] == "/-/reports"
    report = db["reports"].get(report["id"])
    assert report["outcome"] == "still_online" and report["outcome_at"] >= report["reported_at"]
    listing = run(ds.client.get("/wc/listings/demo-bazaar~3A1001", cookies=cookies)).text
    assert "Still online" in listing and "T-9" in listing


def test_outcome_dates():
    reported = "2026-11-10T15:00:00Z"
    today = dt.date(2026, 11, 20)
    assert outcome_time("2026-11-10", reported, today) == reported  # never before the report
    assert outcome_time("2026-11-12", reported, today) == "2026-11-12T12:00:00Z"
    for bad in ("2026-11-09", "2026-11-21", "soon", ""):
        with pytest.raises(ValueError):
            outcome_time(bad, reported, today)


def test_open_reports_page_lists_reports_by_age(internal):
    ds, cookies, _, _ = internal
    page = run(ds.client.get("/-/reports", cookies=cookies)).text
    assert "<h1>Open reports</h1>" in page


def test_titles_are_escaped_and_matches_highlighted():
    html = highlight("<b>ivory</b> & 象牙", [(3, 8), (15, 17), (4, 6)])
    assert str(html) == "&lt;b&gt;<mark>ivory</mark>&lt;/b&gt; &amp; <mark>象牙</mark>"
    text = paste_text(
        {"id": "m:1", "url": "http://x/1", "title": "t", "explanation": "ivory"},
        [{"kind": "screenshot", "captured_at": "2026", "sha256": "ab" * 32}],
    )
    assert "http://x/1" in text and "ab" * 32 in text


def test_cjk_words_of_two_characters_are_found(internal):
    ds, cookies, _, _ = internal
    found = run(
        ds.client.get("/wc/listings.json?_search=象牙&_shape=array&_col=title", cookies=cookies)
    ).json()
    assert found and all("象牙" in r["title"] for r in found)
    assert [r["id"] for r in found] == ["demo-tiaozao:2002"]
    latin = run(ds.client.get("/wc/listings.json?_search=ivory&_shape=array", cookies=cookies))
    assert len(latin.json()) >= 2
    nothing = run(ds.client.get("/wc/listings?_search=xylophagous", cookies=cookies)).text
    assert "Nothing found for" in nothing and "_fts_table=listings_fts" in nothing


def test_scripts_use_a_token_and_anonymous_data_is_refused(internal):
    ds, _, _, token = internal
    for path in ("/wc/listings.csv", "/wc/listings.json", "/wc.json?sql=select+1"):
        response = run(ds.client.get(path))
        assert response.status_code == 401 and "<form" not in response.text
    auth = {"Authorization": f"Bearer {token}"}
    csv = run(ds.client.get("/wc/listings.csv", headers=auth))
    assert csv.status_code == 200 and "demo-bazaar:1001" in csv.text
    wrong = run(ds.client.get("/wc/listings.csv", headers={"Authorization": "Bearer nope"}))
    assert wrong.status_code == 401
    # a token reads; recording verdicts needs a monitor's login
    assert run(ds.client.get("/wc/mark_confirmed", headers=auth)).status_code == 403
    meta = metadata_for(ds.files[0], accounts_dir=Path(ds.files[0]).parent / "accounts")
    assert meta["plugins"]["datasette-auth-tokens"]["tokens"][0]["token"]["$file"]
    assert token not in str(meta)  # referenced, never written into the metadata


def test_home_links_new_flags_broken_crawls_and_old_reports(tmp_path):
    db_path = build_internal_db(tmp_path / "wc.db")
    accounts.create_user("anna", "correct horse battery", tmp_path / "accounts")
    db = sqlite_utils.Database(db_path)
    now = dt.datetime.now(dt.timezone.utc)
    with db.conn:
        db.execute(
            "update listings set first_seen = ? where id = 'demo-tiaozao:2001'",
            [now.strftime("%Y-%m-%dT%H:%M:%SZ")],
        )
        crawl = dict(next(db.query("select * from crawls where marketplace = 'demo-bazaar'")))
        crawl.update(id=None, status="broken", message="far fewer listings than usual")
        db["crawls"].insert({k: v for k, v in crawl.items() if k != "id"})
        db["reports"].insert(
            {
                "listing_id": "demo-bazaar:1001",
                "reported_at": (now - dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "platform": "Demo Bazaar",
                "reported_by": "anna",
            }
        )
    ds = Datasette(**datasette_kwargs(db_path, tmp_path / "accounts"))
    cookies = {"ds_actor": ds.sign({"a": {"id": "anna"}}, "actor")}
    page = run(ds.client.get("/", cookies=cookies)).text
    assert re.search(
        r'href="/wc/listings\?flagged=1&amp;marketplace=demo-tiaozao&amp;first_seen__gte=[^"]+">1 on demo-tiaozao',
        page,
    )
    assert "crawl 3 broken" in page and "far fewer listings than usual" in page
    assert "1 report, the oldest 30 days old" in page
    reports = run(ds.client.get("/-/reports", cookies=cookies)).text
    assert "demo-bazaar:1001" in reports and 'min="' in reports
    # the review page's filters: taxon group and marketplace
    cards = run(ds.client.get("/-/review?taxon_group=pangolins&verdict=", cookies=cookies)).text
    ids = set(re.findall(r'data-listing="([^"]+)"', cards))
    assert ids and all(i.startswith("demo-tiaozao:") for i in ids)


def test_table_pages_fold_the_column_descriptions(internal):
    ds, cookies, _, _ = internal
    page = run(ds.client.get("/wc/listings", cookies=cookies)).text
    folded = page.index('<details class="wildcrawl-columns">')
    assert folded < page.index('name="_search"')
    assert "dl.column-descriptions { display: none; }" in page


def test_forms_never_redirect_off_the_site(internal):
    ds, cookies, _, _ = internal
    for evil in ("//evil.example/", "/\\evil.example/", "https://evil.example/"):
        response = _post(
            ds,
            cookies,
            "/-/review",
            "/-/review",
            {"listing_id": "demo-bazaar:1004", "verdict": "not_wildlife", "next": evil},
        )
        assert response.status_code == 302
        assert response.headers["location"].startswith("/-/review?"), evil
