"""The monitor's dashboard in a real Chromium: 14 taxon groups in 14 distinct colours (issue 24).

A screenshot goes to ``output/screenshots/dashboard-monitor-desktop.png`` (git-ignored).
"""

from __future__ import annotations

import os

import pytest
import sqlite_utils
from test_publish import build_internal_db

from crawler.browser.launch import find_chromium, launch_options
from crawler.publish.datasette import accounts, serve_command, write_metadata
from tests.conftest import ROOT, free_port, running_server

pytestmark = pytest.mark.browser

GROUPS = [f"group-{i:02d}" for i in range(14)]
PASSWORD = "correct horse battery"


def _fourteen_groups(db_path) -> None:
    """A flagged listing per taxon group, 14 groups, all first seen in the same week."""
    db = sqlite_utils.Database(db_path)
    listing = next(db.query("select * from listings where flagged = 1"))
    match = next(db.query("select * from matches"))
    taxon = next(db.query("select * from taxa"))
    with db.conn:
        for i, group in enumerate(GROUPS):
            taxon_id = 9000 + i
            db["taxa"].insert(
                {**taxon, "id": taxon_id, "taxon_group": group, "scientific_name": f"Taxon {i}"}
            )
            listing_id = f"demo-bazaar:g{i}"
            db["listings"].insert({**listing, "id": listing_id, "item_id": f"g{i}"})
            row = {k: v for k, v in match.items() if k != "id"}
            db["matches"].insert({**row, "listing_id": listing_id, "taxon_id": taxon_id})
    db.close()


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    root = tmp_path_factory.mktemp("dashboard")
    db_path = build_internal_db(root / "wc.db")
    _fourteen_groups(db_path)
    acc = root / "accounts"
    accounts.create_user("anna", PASSWORD, acc)
    meta = write_metadata(db_path, root / "wc.metadata.json", acc)
    port = free_port()
    env = {**os.environ, "DATASETTE_SECRET": "test-secret-" + "x" * 20}
    with running_server(
        serve_command(db_path, meta, "127.0.0.1", port), port, ready="/-/login", env=env
    ) as base:
        yield base


def test_every_taxon_group_has_its_own_colour_and_weeks_read_well(dashboard):
    if not find_chromium():
        pytest.skip("no Chromium found (install Debian's chromium or run playwright install)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_options())
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(f"{dashboard}/-/login")
        page.fill("input[name=username]", "anna")
        page.fill("input[name=password]", PASSWORD)
        page.click("input[type=submit]")
        page.goto(f"{dashboard}/-/dashboards/monitor")
        page.wait_for_selector("#chart-by-taxon svg .role-legend-symbol path")
        page.wait_for_load_state("networkidle")
        legend = page.locator("#chart-by-taxon svg .role-legend-label text").all_text_contents()
        fills = page.locator("#chart-by-taxon svg .role-legend-symbol path").evaluate_all(
            "paths => paths.map(p => p.getAttribute('fill') || getComputedStyle(p).fill)"
        )
        assert set(GROUPS) <= set(legend), legend
        assert len(fills) == len(legend) and len(set(fills)) == len(fills), fills
        # One week of data: its label appears once on the axis, not repeated as ticks.
        ticks = page.locator("#chart-by-taxon svg .role-axis-label text").all_text_contents()
        weeks = [t for t in ticks if t[:2] == "20"]
        assert weeks and len(weeks) == len(set(weeks)), ticks
        titles = page.locator("svg .role-axis-title text").all_text_contents()
        assert "Price (USD, log scale)" in titles, titles
        shots = ROOT / "output" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "dashboard-monitor-desktop.png"), full_page=True)
        browser.close()
