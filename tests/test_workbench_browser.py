"""The monitor's workbench in a real Chromium against a real ``datasette`` (issue 24).

Screenshots go to ``output/screenshots/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import sqlite_utils
from test_datasette_browser import PASSWORD, _login
from test_publish import build_internal_db

from crawler.publish.datasette import accounts, serve_command, tokens, write_metadata
from tests.conftest import free_port, running_server

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent.parent / "output" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("workbench-browser")
    db_path = build_internal_db(root / "wc.db")
    acc = root / "accounts"
    accounts.create_user("anna", PASSWORD, acc)
    token = tokens.create_token("nightly", acc)
    meta = write_metadata(db_path, root / "wc.metadata.json", acc)
    env = {**os.environ, "DATASETTE_SECRET": "test-secret-" + "y" * 20}
    port = free_port()
    command = serve_command(db_path, meta, "127.0.0.1", port)
    with running_server(command, port, ready="/-/login", env=env) as base:
        yield {"base": base, "db": db_path, "token": token}


def _page(browser, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.messages = []
    page.on("console", lambda m: page.messages.append(m.text))
    return context, page


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _csp_refusals(page) -> list[str]:
    return [m for m in page.messages if "Content Security Policy" in m or "Refused to" in m]


def test_monitor_reviews_with_the_keyboard_reports_and_sets_the_outcome(server, browser):
    base, db = server["base"], sqlite_utils.Database(server["db"])
    context, page = _page(browser)
    _login(page, base)
    page.goto(f"{base}/")
    assert page.locator("h1").inner_text() == "What needs attention"
    _shot(page, "internal-home")
    before = db.execute("select coalesce(max(id), 0) from reviews").fetchone()[0]
    page.click("#wc-review-link")  # one click from home to the review page
    page.wait_for_url(f"{base}/-/review")
    page.wait_for_load_state("networkidle")
    assert page.locator(".wc-card a.wc-id").count() >= 3
    thumb = page.locator(".wc-card[data-listing='demo-bazaar:1001'] .wc-thumb img")
    assert thumb.evaluate("img => img.complete && img.naturalWidth") > 0
    _shot(page, "internal-review")

    recorded = []
    for key, verdict in (("c", "confirmed"), ("n", "not_wildlife"), ("e", "needs_expert")):
        first = page.locator(".wc-card").first.get_attribute("data-listing")
        assert "wc-current" in page.locator(".wc-card").first.get_attribute("class")
        page.keyboard.press(key)
        page.wait_for_function(
            "id => document.querySelector('.wc-card') && "
            "document.querySelector('.wc-card').dataset.listing !== id",
            arg=first,
        )
        assert page.url == f"{base}/-/review"  # never left the page
        recorded.append((first, verdict))
    assert "Recorded" in page.locator("#wc-status").inner_text()
    _shot(page, "internal-review-after-three-verdicts")
    rows = list(
        db.query(
            "select listing_id, verdict, reviewer from reviews where id > ? order by id", [before]
        )
    )
    assert [(r["listing_id"], r["verdict"]) for r in rows] == recorded
    assert {r["reviewer"] for r in rows} == {"anna"}

    listing_id = recorded[0][0]
    page.click(".wc-card a.wc-id >> nth=0")  # every id links to its listing page
    page.wait_for_url("**/wc/listings/**")
    page.goto(f"{base}/-/review?verdict=")
    page.click(f".wc-card[data-listing='{listing_id}'] a.wc-id")
    page.wait_for_url("**/wc/listings/**")
    listing_url = page.url
    page.click("a.wc-report-link")
    page.wait_for_url("**/-/report?**")
    paste = page.locator("#wc-paste").input_value()
    assert "http://127.0.0.1:8701/item/" in paste
    _shot(page, "internal-report-form")
    page.fill("#wc-reference", "TICKET-42")
    page.click("input[type=submit][value='Record the report']")
    page.wait_for_url(f"{listing_url}#reports")
    report = next(db.query("select * from reports where reference = 'TICKET-42'"))
    assert report["reported_by"] == "anna" and report["listing_id"] == listing_id
    page.select_option(f"#wc-outcome-{report['id']}", "removed")
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert page.locator(f"#wc-outcome-date-{report['id']}").input_value() == today
    page.click(".wildcrawl-reports input[type=submit][value='Save outcome']")
    page.wait_for_load_state("networkidle")
    assert db["reports"].get(report["id"])["outcome"] == "removed"
    facts = page.locator(".wildcrawl-facts").inner_text()
    assert "Risk" in facts and "Why" in facts and "First seen" in facts
    assert "Confirmed wildlife" in page.locator(".wildcrawl-verdicts").inner_text()
    reports = page.locator(".wildcrawl-reports").inner_text()
    assert "TICKET-42" in reports and "Removed" in reports
    assert page.locator("details.wildcrawl-all-columns").count() == 1
    _shot(page, "internal-listing")
    assert not _csp_refusals(page), page.messages
    context.close()


def test_the_review_page_works_without_javascript(server, browser):
    base, db = server["base"], sqlite_utils.Database(server["db"])
    context, page = _page(browser, java_script_enabled=False)
    _login(page, base)
    page.goto(f"{base}/-/review?marketplace=demo-tiaozao&verdict=")
    first = page.locator(".wc-card").first.get_attribute("data-listing")
    page.locator(".wc-card").first.locator("input[name=note]").fill("no JS")
    page.locator(".wc-card").first.locator("button[value=not_wildlife]").click()
    page.wait_for_url("**/-/review?**done=**")
    assert "marketplace=demo-tiaozao" in page.url
    assert first in page.locator(".wc-done").inner_text()
    row = next(db.query("select * from reviews where note = 'no JS'"))
    assert (row["listing_id"], row["verdict"], row["reviewer"]) == (first, "not_wildlife", "anna")
    _shot(page, "internal-review-no-javascript")
    context.close()


def test_open_reports_and_search(server, browser):
    base = server["base"]
    context, page = _page(browser)
    _login(page, base)
    db = sqlite_utils.Database(server["db"])
    reported = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=20)
    with db.conn:
        db["reports"].insert(
            {
                "listing_id": "demo-tiaozao:2002",
                "reported_at": reported.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "platform": "Demo Tiaozao",
                "channel": "report form",
                "reported_by": "anna",
            }
        )
    db.close()
    page.goto(f"{base}/-/reports")
    row = page.locator("table.wc-table tbody tr", has_text="demo-tiaozao:2002")
    assert row.locator("td").first.inner_text() == "20"
    _shot(page, "internal-open-reports")
    page.goto(f"{base}/")
    assert "the oldest 20 days old" in page.locator(".wc-attention").inner_text()
    page.goto(f"{base}/")
    page.fill("#wc-search", "象牙")
    page.press("#wc-search", "Enter")
    page.wait_for_url("**_search=**")
    titles = page.locator("table.rows-and-columns td.col-title").all_inner_texts()
    assert titles and all("象牙" in t for t in titles)
    _shot(page, "internal-search-cjk")
    page.goto(f"{base}/wc/listings?_search=xylophagous")
    assert "Nothing found" in page.locator(".wildcrawl-no-results").inner_text()
    _shot(page, "internal-search-nothing")
    context.close()


def test_anonymous_review_goes_to_login_and_scripts_need_a_token(server, browser):
    base = server["base"]
    context, page = _page(browser)
    page.goto(f"{base}/-/review")
    assert "/-/login" in page.url
    context.close()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}/wc/listings.csv", timeout=10)
    assert refused.value.code in (401, 403)
    request = urllib.request.Request(
        f"{base}/wc/listings.csv?_size=max",
        headers={"Authorization": f"Bearer {server['token']}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200 and "demo-bazaar:1001" in response.read().decode()


def test_the_monitors_pages_have_no_serious_accessibility_violations(server, browser):
    """axe-core (npm) in the same Chromium: home, review page, a listing page (issue 24, 9)."""
    from tests.axe import require_axe, serious_violations

    require_axe()
    base = server["base"]
    context, page = _page(browser, bypass_csp=True)  # axe is injected as an inline script
    _login(page, base)
    found = {}
    for path in ("/", "/-/review?verdict=", "/wc/listings/demo-bazaar~3A1001", "/-/reports"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        bad = serious_violations(page)
        if bad:
            found[path] = bad
    context.close()
    assert not found, found
