"""The public front page's figures and server-drawn SVG charts (``wildcrawl_front.py``)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import sqlite_utils
from test_publish import build_internal_db

from crawler.publish.datasette import wildcrawl_front as front
from crawler.publish.release import publish

HOSTILE = "<script>alert('x')</script> & \"pangolins\""


def _svg(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # well-formed XML, or this raises


def test_fourteen_taxon_groups_get_fourteen_distinct_colours():
    groups = [f"group {i:02d}" for i in range(14)]
    rows = [["2026-11", g, i + 1] for i, g in enumerate(groups)]
    chart = front.stacked_bars("c", "Flagged listings per month, by taxon group", rows)
    colours = [colour for _, colour, _ in chart["legend"]]
    assert len(colours) == 14 and len(set(colours)) == 14
    fills = {r.get("fill") for r in _svg(chart["svg"]).iter("{http://www.w3.org/2000/svg}rect")}
    assert fills == set(colours)


def test_charts_escape_crawled_labels_and_have_accessible_names():
    bars = front.stacked_bars("c", "Per month", [["2026-10", HOSTILE, 2], ["2026-11", "x", 1]])
    prices = front.price_ranges("p", "Prices", [[HOSTILE, 2, 10.0, 20.0, 3000.0]])
    for chart in (bars, prices):
        svg = chart["svg"]
        assert "<script" not in str(svg) and "&lt;script&gt;" in str(svg)
        root = _svg(svg)
        assert root.get("role") == "img"
        title_id, desc_id = root.get("aria-labelledby").split()
        ns = "{http://www.w3.org/2000/svg}"
        assert root.find(f"{ns}title").get("id") == title_id
        assert root.find(f"{ns}desc").get("id") == desc_id
    assert "2026-10" in str(bars["svg"]) and "$3,000" not in str(bars["svg"])


def test_a_single_month_is_one_labelled_bar():
    chart = front.stacked_bars("c", "t", [["2026-11", "elephants", 3], ["2026-11", "rhinos", 1]])
    labels = re.findall(r">(\d{4}-\d\d)</text>", str(chart["svg"]))
    assert labels == ["2026-11"]


def test_the_release_stores_its_front_page_figures(tmp_path):
    db_path = build_internal_db(tmp_path / "wc.db")
    release = publish(db_path, tmp_path / "public", key=bytes(32))
    db = sqlite_utils.Database(release.db_path)
    figures = json.loads(db["wildcrawl_release"].get("front_page")["value"])
    listings = db.execute("select count(*), sum(flagged) from listings").fetchone()
    assert (figures["listings"], figures["flagged"]) == listings
    assert figures["marketplaces"] == 2 and figures["countries"] >= 1
    assert figures["first_seen"] <= figures["last_seen"]
    assert sum(n for _, _, n in figures["by_taxon_group"]) == listings[1]
    assert sum(n for _, _, n in figures["by_marketplace"]) == listings[1]
    products = {p: (n, lo, med, hi) for p, n, lo, med, hi in figures["prices_by_product"]}
    assert products and all(lo <= med <= hi for _, lo, med, hi in products.values())
    assert (release.out_dir / "templates" / "index.html").is_file()
    assert (release.out_dir / "plugins" / "wildcrawl_front.py").is_file()
