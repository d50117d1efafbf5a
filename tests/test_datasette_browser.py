"""Real Chromium against real ``datasette`` processes: journalist, monitor, hostile titles."""

from __future__ import annotations

import contextlib
import json
import os
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from test_publish import SECRETS, build_internal_db

from crawler.publish.datasette import accounts, serve_command, write_metadata
from crawler.publish.release import publish
from crawler.publish.release import serve_command as public_serve_command
from tests.conftest import free_port, running_server

pytestmark = pytest.mark.browser

XSS_TITLES = [
    "<script>alert('xss-script')</script> ivory carving",
    "<img src=x onerror=alert('xss-img')> ivory bangle",
]
PASSWORD = "correct horse battery"


HOSTILE_MARKET = "Hostile <script>alert('xss-market')</script>"
HOSTILE_KEYWORD = "ivory<img src=x onerror=alert('xss-keyword')>"


def _add_hostile_marketplace_and_keyword(db_path: Path) -> None:
    """A config titled with a script and a crawl keyword with an event handler (issue 20)."""
    db = sqlite_utils.Database(db_path)
    with db.conn:
        db["marketplaces"].insert(
            {"name": "hostile", "title": HOSTILE_MARKET, "base_url": "http://x/<b>"}
        )
        row = {k: v for k, v in next(db["crawls"].rows).items() if k != "id"}
        db["crawls"].insert({**row, "keywords": json.dumps([HOSTILE_KEYWORD])})
    db.close()


def _xss_items() -> list[dict]:
    return [
        {
            "id": f"demo-bazaar:x{i}",
            "marketplace": "demo-bazaar",
            "item_id": f"x{i}",
            "url": f"http://127.0.0.1:8701/item/x{i}",
            "title": title,
            "description": "<b onmouseover=alert(3)>old</b> ivory",
            "price_text": "10 €",
            "price": 10.0,
            "currency": "EUR",
            "price_usd": 11.0,
            "seen_at": "2026-11-07T10:00:00Z",
            "last_seen": "2026-11-07T10:00:00Z",
            "flagged": 1,
            "risk": 0.95,
            "country": "DE",
            "seller_id": "demo-bazaar:old_carver_hk",
            "seller_key": "old_carver_hk",
            "seller_handle": "old_carver_hk",
        }
        for i, title in enumerate(XSS_TITLES)
    ]


@contextlib.contextmanager
def both_instances(db_path: Path, release_dir: Path, root: Path) -> Iterator[tuple[str, str]]:
    """The internal instance of ``db_path`` (user anna, ``PASSWORD``; accounts and metadata
    written under ``root``) and the public one of the release in ``release_dir``, each on a
    free port: (internal base URL, public base URL)."""
    acc = root / "accounts"
    accounts.create_user("anna", PASSWORD, acc)
    meta = write_metadata(db_path, root / "wc.metadata.json", acc)
    env = {**os.environ, "DATASETTE_SECRET": "test-secret-" + "x" * 20}
    internal_port, public_port = free_port(), free_port()
    internal = serve_command(db_path, meta, "127.0.0.1", internal_port)
    public = public_serve_command(release_dir, "127.0.0.1", public_port)
    with (
        running_server(internal, internal_port, ready="/-/login", env=env) as internal_base,
        running_server(public, public_port, ready="/-/login", env=env) as public_base,
    ):
        yield internal_base, public_base


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    db_path = build_internal_db(root / "wc.db", extra_listings=_xss_items())
    _add_hostile_marketplace_and_keyword(db_path)
    release = publish(db_path, root / "public", key=bytes(32))
    x1 = (
        sqlite_utils.Database(release.db_path)
        .execute("select id from listings where title = ?", [XSS_TITLES[1]])
        .fetchone()[0]
    )
    with both_instances(db_path, release.out_dir, root) as (internal_base, public_base):
        yield {
            "internal": internal_base,
            "public": public_base,
            "db": db_path,
            "release": release,
            "public_x1": "/wildcrawl-public/listings/" + urllib.parse.quote(x1.replace(":", "~3A")),
        }


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def _login(page, base):
    page.goto(f"{base}/-/login")
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")


def test_journalist_searches_facets_opens_a_listing_and_downloads_csv(servers, page):
    base = servers["public"]
    page.goto(f"{base}/wildcrawl-public/listings")
    page.fill("input[name=_search]", "ivory")
    page.press("input[name=_search]", "Enter")
    page.wait_for_url("**_search=ivory**")
    page.click(".facet-info[data-column=taxon_group] a:has-text('elephants')")
    page.wait_for_url("**taxon_group=elephants**")
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() >= 1 and "ivory" in rows.first.inner_text().lower()
    page.click("table.rows-and-columns tbody tr td.col-title a >> nth=0")
    page.wait_for_url("**/wildcrawl-public/listings/**")
    assert "seller-" in page.content()
    page.go_back()
    page.check("#export input[name=_dl]")
    with page.expect_download() as download:
        page.click("#export input[type=submit][value='Export CSV']")
    csv_text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "ivory" in csv_text.lower() and "seller-" in csv_text
    for text in (csv_text, page.content()):
        assert not [s for s in SECRETS if s in text]


def test_anonymous_sees_only_the_login_page(servers, page):
    for path in ("/", "/wc/listings", "/wc/sellers", "/-/dashboards/monitor"):
        page.goto(servers["internal"] + path)
        assert "/-/login" in page.url
        assert page.locator("input[name=password]").count() == 1
        content = page.content()
        assert "old_carver_hk" not in content and "ivory" not in content.lower()


def test_monitor_marks_a_listing_and_the_row_changes(servers, page):
    base = servers["internal"]
    _login(page, base)
    page.goto(f"{base}/wc/review_queue?verdict=")
    row = page.locator("table.rows-and-columns tr", has_text="White plastic netsuke")
    assert row.locator("td.col-verdict").inner_text().strip() in ("", "\xa0")
    page.goto(f"{base}/wc/listings/demo-bazaar~3A1002")
    page.click(".wildcrawl-review button[value=confirmed]")
    page.wait_for_url("**/wc/listings/demo-bazaar~3A1002#review")
    assert "Confirmed wildlife" in page.locator(".wildcrawl-verdicts").inner_text()
    page.goto(f"{base}/wc/review_queue?verdict=")
    row = page.locator("table.rows-and-columns tr", has_text="White plastic netsuke")
    assert row.locator("td.col-verdict").inner_text().strip() == "confirmed"
    assert row.locator("td.col-reviewer").inner_text().strip() == "anna"


def test_monitor_sees_the_evidence_screenshot_and_dashboard(servers, page):
    base = servers["internal"]
    _login(page, base)
    page.goto(f"{base}/wc/listings/demo-bazaar~3A1001")
    width = page.locator(".wildcrawl-evidence img").evaluate("img => img.naturalWidth")
    assert width == 2
    page.goto(f"{base}/-/dashboards/monitor")
    page.wait_for_selector("#chart-by-marketplace svg, #chart-by-marketplace canvas")
    assert page.locator("#chart-takedown p").inner_text() == "100%"


def test_hostile_titles_are_shown_as_text_and_never_run(servers, page):
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    _login(page, servers["internal"])
    urls = [
        f"{servers['internal']}/wc/listings?_search=ivory",
        f"{servers['internal']}/wc/listings/demo-bazaar~3Ax0",
        f"{servers['internal']}/wc/listings/demo-bazaar~3Ax1",
        f"{servers['internal']}/wc/flagged_newest",
        f"{servers['internal']}/wc/review_queue?verdict=",
        f"{servers['internal']}/-/dashboards/monitor",
        f"{servers['public']}/wildcrawl-public/listings?_search=ivory",
        f"{servers['public']}{servers['public_x1']}",
        f"{servers['public']}/",
        f"{servers['public']}/wildcrawl-public",
    ]
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert page.dialogs == []
    assert not [m for m in messages if "xss" in m]
    page.goto(f"{servers['internal']}/wc/listings/demo-bazaar~3Ax0")
    assert (
        XSS_TITLES[0] in page.locator("h1.wildcrawl-title").inner_text()
    )  # the listing page's title
    assert XSS_TITLES[0] in page.locator("td.col-title").text_content()  # folded columns
    assert page.locator("img[src=x]").count() == 0
    page.goto(f"{servers['public']}{servers['public_x1']}")
    assert XSS_TITLES[1] in page.locator("td.col-title").inner_text()
    # The hostile page the injection needed exists: the same title as HTML would run
    # (on a blank page: our pages' Content-Security-Policy would block it too).
    page.goto("about:blank")
    page.set_content(XSS_TITLES[1])
    page.wait_for_timeout(200)
    assert page.dialogs == ["xss-img"], json.dumps(page.dialogs)


def _csp_violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m]


def test_the_public_front_page_shows_hostile_configs_as_text(servers, page):
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    response = page.goto(f"{servers['public']}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert page.dialogs == []
    body = page.locator("body").inner_text()
    assert HOSTILE_MARKET in body and HOSTILE_KEYWORD in body
    assert page.locator("img[src=x]").count() == 0
    assert not _csp_violations(messages), messages


def test_datasettes_own_scripts_run_under_the_policy(servers, page):
    """Both instances: no script of Datasette's own pages is refused, and its menus work."""
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(f"{servers['public']}/wildcrawl-public/listings?_search=ivory")
    page.wait_for_load_state("networkidle")
    page.click("th.col-title svg, th.col-title .dropdown-menu-icon")  # table.js column menu
    assert page.locator(".dropdown-menu").first.is_visible()
    page.goto(f"{servers['public']}/wildcrawl-public?sql=select+1")
    page.wait_for_load_state("networkidle")
    assert page.locator(".CodeMirror").count() == 1  # the SQL editor is Datasette's script
    _login(page, servers["internal"])
    for path in ("/wc/listings", "/wc/listings/demo-bazaar~3Ax0", "/-/dashboards/monitor"):
        response = page.goto(servers["internal"] + path)
        assert "content-security-policy" in response.headers
        page.wait_for_load_state("networkidle")
    page.wait_for_selector("#chart-by-marketplace svg, #chart-by-marketplace canvas")
    assert not _csp_violations(messages), messages


def test_the_policy_blocks_a_script_that_got_into_a_page(servers, page):
    """Were escaping ever to fail, the Content-Security-Policy still stops the script."""

    def inject(route):
        response = route.fetch()
        body = response.text().replace(
            "</body>", "<script>alert('injected')</script><img src=x onerror=alert('img')></body>"
        )
        route.fulfill(response=response, body=body)

    for base in (servers["public"], servers["internal"]):
        page.route(f"{base}/**", inject)
    page.goto(f"{servers['public']}/wildcrawl-public/listings")
    page.wait_for_load_state("networkidle")
    _login(page, servers["internal"])
    page.goto(f"{servers['internal']}/wc/listings")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert page.dialogs == []
