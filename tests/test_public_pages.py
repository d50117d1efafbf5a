"""The public release's own pages in a real Chromium: front page, listings, a listing (issue 24).

Screenshots at 1280 px and at a 390 px phone width go to ``output/screenshots/`` (git-ignored)
for a person to look at; axe-core audits each page (``tests/axe.py``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from test_publish import build_internal_db

from crawler.publish.release import publish
from crawler.publish.release import serve_command as public_serve_command
from tests.axe import AXE_CONTEXT, require_axe, serious_violations
from tests.conftest import ROOT, free_port, running_server

pytestmark = pytest.mark.browser

SHOTS = ROOT / "output" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}
CHOSEN = [
    "Title",
    "Price (USD)",
    "Marketplace",
    "Country",
    "Taxon group",
    "Flagged",
    "First seen",
    "Status",
]


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    root = tmp_path_factory.mktemp("public-pages")
    db_path = build_internal_db(root / "wc.db")
    release = publish(db_path, root / "public", key=bytes(32))
    port = free_port()
    env = {**os.environ, "DATASETTE_SECRET": "test-secret-" + "x" * 20}
    with running_server(
        public_serve_command(release.out_dir, "127.0.0.1", port), port, env=env
    ) as base:
        yield {"base": base, "release": release}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def _screenshots(browser, url: str, name: str) -> list[Path]:
    """Full-page screenshots of ``url`` at each of ``WIDTHS``."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    saved = []
    for label, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        shot = context.new_page()
        shot.goto(url)
        shot.wait_for_load_state("networkidle")
        path = SHOTS / f"public-{name}-{label}.png"
        shot.screenshot(path=str(path), full_page=True)
        # Nothing wider than the screen but the tables' own scrolling wrappers.
        overflow = shot.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= width + 1, (name, label, overflow)
        context.close()
        saved.append(path)
    return saved


def test_front_page_has_search_key_figures_charts_and_offers_listings_first(public, page, browser):
    base = public["base"]
    page.goto(f"{base}/")
    assert page.locator("html").get_attribute("lang") == "en"
    lede = page.locator("p.lede").inner_text()
    assert "flagged" in lede and "never proof" in lede
    figures = page.locator(".key-figures").inner_text()
    for word in ("listings", "flagged", "marketplaces", "countries", "2026-11-01"):
        assert word in figures, figures
    assert re.search(r"\b7\s+listings", figures) and re.search(r"\b5\s+flagged", figures)
    # Listings is the first thing offered: the first call to action and the first table.
    assert page.locator(".start-here a").first.get_attribute("href").endswith("/listings")
    assert page.locator("ul.tables li").first.inner_text().startswith("listings")
    charts = page.locator("svg.wildcrawl-chart")
    assert charts.count() == 3
    titles = [charts.nth(i).locator("title").first.text_content() for i in range(3)]
    assert titles == [
        "Flagged listings per month, by taxon group",
        "Flagged listings per month, by marketplace",
        "Asking prices per product (USD, log scale)",
    ]
    for i in range(3):
        assert charts.nth(i).get_attribute("role") == "img"
        assert charts.nth(i).locator("desc").text_content()
    swatches = page.locator("figure.chart").first.locator(".legend .swatch")
    colours = [swatches.nth(i).get_attribute("style") for i in range(swatches.count())]
    assert len(colours) == 3 and len(set(colours)) == 3
    downloads = page.locator("#downloads-heading + ul a")
    hrefs = [downloads.nth(i).get_attribute("href") for i in range(downloads.count())]
    assert any(".csv" in h for h in hrefs) and any(h.endswith(".db") for h in hrefs)
    assert "CC BY 4.0" in page.locator(".methodology").inner_text()
    # The search box leads to the listings found.
    page.fill("#front-search-input", "ivory")
    page.press("#front-search-input", "Enter")
    page.wait_for_url("**/listings?_search=ivory**")
    assert "ivory" in page.locator("table.rows-and-columns tbody").inner_text().lower()
    _screenshots(browser, f"{base}/", "front")
    # The database page offers listings first too.
    page.goto(f"{base}/wildcrawl-public")
    assert page.locator(".db-table h3 a").first.inner_text() == "listings"


def test_listings_page_shows_chosen_columns_flagged_first_and_folded_descriptions(
    public, page, browser
):
    base = public["base"]
    page.goto(f"{base}/wildcrawl-public/listings")
    headers = page.locator("table.rows-and-columns thead th").all_inner_texts()
    assert [h.replace("\xa0", " ").strip(" ▼▲") for h in headers] == CHOSEN
    flagged = page.locator("table.rows-and-columns tbody td.col-flagged").all_inner_texts()
    assert flagged[0] == "flagged" and flagged == sorted(flagged, key=lambda f: f != "flagged")
    descriptions = page.locator("details.column-descriptions-folded")
    assert descriptions.count() == 1 and descriptions.get_attribute("open") is None
    assert not page.locator("dl.column-descriptions").is_visible()
    text = page.locator("body").inner_text()
    assert "to the address" not in text and "&_fts_table" not in text
    # The flagged facet says its values in words, and still filters on them.
    facet = page.locator("#facet-flagged li").all_inner_texts()
    assert [f.split()[0:2] for f in facet] == [["flagged", "5"], ["not", "flagged"]], facet
    # The page ends with the listings and the export; the SQL schema is folded for researchers.
    assert "CREATE TABLE" not in text, text[-500:]
    schema = page.locator("details.table-definition")
    assert schema.count() == 1 and "CREATE TABLE" in schema.text_content()
    # Parts of words: a checkbox, not an address to edit.
    page.fill("#_search", "Elfenbeinschnitz")
    page.check("input[name=_fts_table]")
    page.press("#_search", "Enter")
    page.wait_for_url("**_fts_table=listings_substring**")
    assert page.locator("input[name=_fts_table]").is_checked()
    # Every column is one click away.
    page.goto(f"{base}/wildcrawl-public/listings")
    page.click("text=Show all columns")
    page.wait_for_url("**_labels=on**")
    assert page.locator("table.rows-and-columns thead th").count() > len(CHOSEN)
    _screenshots(browser, f"{base}/wildcrawl-public/listings", "listings")


def test_a_listing_page_says_why_it_was_flagged(public, page, browser):
    base = public["base"]
    page.goto(f"{base}/wildcrawl-public/listings")
    page.click("table.rows-and-columns tbody tr td.col-title a >> nth=0")
    page.wait_for_url("**/wildcrawl-public/listings/**")
    assert page.locator("h2#why-flagged").inner_text() == "Why it was flagged"
    terms = page.locator("table.matched-terms tbody").inner_text().lower()
    assert "rhino horn" in terms and "diceros bicornis" in terms
    assert page.locator("details.all-columns").get_attribute("open") is None
    _screenshots(browser, page.url, "listing")


@pytest.mark.parametrize(
    "path",
    ["/", "/wildcrawl-public/listings", "/wildcrawl-public/listings?_search=ivory", "listing"],
)
def test_no_serious_or_critical_accessibility_violations(public, browser, path):
    require_axe()
    context = browser.new_context(**AXE_CONTEXT)
    page = context.new_page()
    if path == "listing":
        page.goto(f"{public['base']}/wildcrawl-public/listings")
        page.click("table.rows-and-columns tbody tr td.col-title a >> nth=0")
        page.wait_for_url("**/wildcrawl-public/listings/**")
    else:
        page.goto(public["base"] + path)
    page.wait_for_load_state("networkidle")
    found = serious_violations(page)
    context.close()
    assert found == [], "\n".join(f"{v['id']}: {v['help']}: {n}" for v in found for n in v["nodes"])
